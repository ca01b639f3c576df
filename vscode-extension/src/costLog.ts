import type * as vscode from "vscode";
import type { Billed } from "./client";
import { interpretationLine } from "./format";

/**
 * The service keeps money in nano-dollars, and a request on a local model costs well under a
 * cent, so amounts are shown to the nano-dollar (trailing zeros dropped, at least two decimals):
 * a $0.000000428 charge stays visible and the balance moves after every request. The status
 * bar, the chat footer and the Output log all use this one format.
 */
export const USD_DECIMALS = 9;

/** Dollars to the nano-dollar, truncated rather than rounded so a balance is never shown higher than it is. */
export function usd(value: number): string {
  if (!Number.isFinite(value)) return "$?";
  const scale = 10 ** USD_DECIMALS;
  // Round away float noise first (0.1 + 0.2), then truncate.
  const truncated = Math.trunc(Math.round(Math.abs(value) * scale * 1000) / 1000) / scale;
  const text = truncated.toFixed(USD_DECIMALS).replace(/(\.\d\d\d*?)0+$/, "$1");
  return `${value < 0 && truncated > 0 ? "-" : ""}$${text}`;
}

export interface Totals {
  requests: number;
  userCostUsd: number;
}

/**
 * The "BioQL" Output channel: one line per request with the model, the time and the cost, so
 * the user can always see what was spent and why.
 */
export class CostLog {
  readonly totals: Totals = { requests: 0, userCostUsd: 0 };

  constructor(
    private readonly channel: Pick<vscode.OutputChannel, "appendLine" | "show">,
    private readonly now: () => Date = () => new Date(),
  ) {}

  record(endpoint: string, answer: Partial<Billed> & { interpreted_as?: string[] }, clientSeconds: number): string {
    const parts = [`${endpoint.padEnd(8)}`, `model=${answer.model ?? "?"}`];
    const server = answer.timing?.total_seconds;
    parts.push(server !== undefined ? `time=${server.toFixed(2)}s (round trip ${clientSeconds.toFixed(2)}s)` : `time=${clientSeconds.toFixed(2)}s`);
    if (answer.cost) {
      const c = answer.cost;
      parts.push(`cost=${usd(c.user_cost_usd)} (base ${usd(c.base_cost_usd)} + ${c.markup_percent}% markup)`);
      this.totals.userCostUsd += c.user_cost_usd;
    } else {
      parts.push("cost=n/a");
    }
    if (answer.user) parts.push(`balance=${usd(answer.user.balance)}`);
    this.totals.requests += 1;
    const line = `${this.stamp()} ${parts.join("  ")}`;
    this.channel.appendLine(line);
    const reading = interpretationLine(answer.interpreted_as);
    if (reading) this.channel.appendLine(`${" ".repeat(22)}${reading}`);
    return line;
  }

  info(message: string): void {
    this.channel.appendLine(`${this.stamp()} ${message}`);
  }

  show(): void {
    this.channel.show(true);
  }

  private stamp(): string {
    return `[${this.now().toISOString().replace("T", " ").slice(0, 19)}]`;
  }
}
