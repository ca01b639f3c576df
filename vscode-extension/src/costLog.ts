import type * as vscode from "vscode";
import type { Billed } from "./client";

/**
 * Formats dollars with up to `decimals` places (request prices are fractions of a cent),
 * truncating rather than rounding so a balance is never shown higher than it is.
 */
export function usd(value: number, decimals = 6): string {
  const scale = 10 ** decimals;
  const truncated = Math.trunc(Math.round(value * scale * 1000) / 1000) / scale;
  const text = truncated.toFixed(decimals).replace(/(\.\d\d\d*?)0+$/, "$1");
  return `${text.startsWith("-") ? "-" : ""}$${text.replace(/^-/, "")}`;
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

  record(endpoint: string, answer: Partial<Billed>, clientSeconds: number): string {
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
