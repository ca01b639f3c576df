import {
  BrokenCircuitError,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
} from "cockatiel";
import * as vscode from "vscode";
import { BioqlApiError } from "./client";
import type { Services } from "./services";

/** Text sent around the cursor: enough context for a program, small enough to stay fast. */
export const PREFIX_CHARS = 4000;
export const SUFFIX_CHARS = 1000;

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failures: number;
  /** How long completions stay off before one trial request is allowed. */
  cooldownMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { failures: 3, cooldownMs: 60_000 };

/** Resolves true after `ms`, or false as soon as the token is cancelled (the user typed on). */
export function debounce(ms: number, token: vscode.CancellationToken): Promise<boolean> {
  if (token.isCancellationRequested) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      sub.dispose();
      resolve(!token.isCancellationRequested);
    }, ms);
    const sub = token.onCancellationRequested(() => {
      clearTimeout(timer);
      sub.dispose();
      resolve(false);
    });
  });
}

/**
 * The ghost text to show for the service's insertion: trailing whitespace and newlines removed,
 * because VS Code silently drops an inline item that ends in a newline when the cursor is on an
 * empty line (seen in VS Code 1.139), and a suggestion should not add blank lines anyway.
 * Undefined when nothing but whitespace is left.
 */
export function ghostText(insertion: string | undefined): string | undefined {
  const text = (insertion ?? "").replace(/\s+$/, "");
  return text.trim() ? text : undefined;
}

function isCancelled(error: unknown): boolean {
  return error instanceof BioqlApiError && error.kind === "cancelled";
}

/**
 * Inline (ghost-text) completions for Python through POST /v1/complete.
 *
 * Requests wait for a pause in typing (debounce) and are aborted when VS Code cancels them.
 * Errors never interrupt typing: they go to the Output channel only, and after
 * `failures` consecutive failures the provider stops asking for `cooldownMs` (circuit breaker),
 * so a server that is down or rejects the key is not hammered on every keystroke.
 */
export class BioqlInlineCompletionProvider implements vscode.InlineCompletionItemProvider {
  private breaker!: CircuitBreakerPolicy;

  constructor(
    private readonly services: Services,
    private readonly breakerOptions: BreakerOptions = DEFAULT_BREAKER,
  ) {
    this.reset();
  }

  /** Closes the circuit, e.g. after a new key or server URL. */
  reset(): void {
    this.breaker = circuitBreaker(handleWhen((error) => !isCancelled(error)), {
      halfOpenAfter: this.breakerOptions.cooldownMs,
      breaker: new ConsecutiveBreaker(this.breakerOptions.failures),
    });
    this.breaker.onBreak((reason) => {
      const why = "error" in reason && reason.error instanceof Error ? `: ${reason.error.message}` : "";
      const seconds = Math.round(this.breakerOptions.cooldownMs / 1000);
      this.services.log.info(`inline completions paused for ${seconds} s after ${this.breakerOptions.failures} failures${why}`);
    });
    this.breaker.onReset(() => this.services.log.info("inline completions resumed"));
  }

  get circuitOpen(): boolean {
    return this.breaker.state === CircuitState.Open;
  }

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    _context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const settings = this.services.settings();
    if (!settings.inlineEnabled) return undefined;
    if (!(await this.services.keys.get())) return undefined;
    if (!(await debounce(settings.inlineDebounceMs, token))) return undefined;

    const offset = document.offsetAt(position);
    const text = document.getText();
    const prefix = text.slice(Math.max(0, offset - PREFIX_CHARS), offset);
    const suffix = text.slice(offset, offset + SUFFIX_CHARS);
    if (!prefix.trim()) return undefined;

    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    const startedAt = Date.now();
    try {
      const client = await this.services.client();
      // While the circuit is open this throws BrokenCircuitError without calling the server;
      // after the cooldown it lets one trial request through.
      const answer = await this.breaker.execute(() => client.complete({ prefix, suffix }, controller.signal));
      this.services.record("complete", answer, startedAt);
      const text = ghostText(answer.insertion);
      if (!text || token.isCancellationRequested) return undefined;
      return [new vscode.InlineCompletionItem(text, new vscode.Range(position, position))];
    } catch (error) {
      // Silent by design: a popup per keystroke would make typing impossible.
      if (!isCancelled(error) && !(error instanceof BrokenCircuitError)) {
        this.services.log.info(`complete failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      return undefined;
    } finally {
      sub.dispose();
    }
  }
}
