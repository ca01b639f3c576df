import * as vscode from "vscode";
import { BioqlApiError, ErrorKind } from "./client";

export const ACTION_SET_KEY = "Set API Key";
export const ACTION_ACCOUNT = "Open Account Page";
export const ACTION_RETRY = "Retry";
export const ACTION_SETTINGS = "Open Settings";

export interface NotifyContext {
  accountUrl: string;
  /** Offered as "Retry" for failures worth retrying (network down, rate limited). */
  retry?: () => unknown;
}

/**
 * Turns service failures into one notification each, with the action that fixes it.
 * While a notification of some kind is on screen, further errors of that kind are not stacked
 * (a failing balance refresh and a failing command would otherwise both pop up).
 */
export class ErrorNotifier {
  private readonly showing = new Set<ErrorKind>();

  async report(error: unknown, context: NotifyContext): Promise<void> {
    const err = asApiError(error);
    if (err.kind === "cancelled" || this.showing.has(err.kind)) return;
    this.showing.add(err.kind);
    let action: Action | undefined;
    try {
      action = await this.ask(err, context);
    } finally {
      // Released before acting, so a failing retry can notify again.
      this.showing.delete(err.kind);
    }
    await action?.();
  }

  private async ask(err: BioqlApiError, context: NotifyContext): Promise<Action | undefined> {
    const message = `BioQL: ${err.message}`;
    switch (err.kind) {
      case "unauthorized": {
        const choice = await vscode.window.showErrorMessage(message, ACTION_SET_KEY);
        return choice === ACTION_SET_KEY ? () => vscode.commands.executeCommand("bioql.setApiKey") : undefined;
      }
      case "payment": {
        const choice = await vscode.window.showErrorMessage(message, ACTION_ACCOUNT);
        return choice === ACTION_ACCOUNT ? () => vscode.env.openExternal(vscode.Uri.parse(context.accountUrl)) : undefined;
      }
      case "rate_limited": {
        const actions = context.retry ? [ACTION_RETRY] : [];
        const choice = await vscode.window.showWarningMessage(message, ...actions);
        return choice === ACTION_RETRY ? context.retry : undefined;
      }
      case "network": {
        const actions = context.retry ? [ACTION_RETRY, ACTION_SETTINGS] : [ACTION_SETTINGS];
        const choice = await vscode.window.showErrorMessage(message, ...actions);
        if (choice === ACTION_RETRY) return context.retry;
        if (choice === ACTION_SETTINGS) {
          return () => vscode.commands.executeCommand("workbench.action.openSettings", "bioql.serverUrl");
        }
        return undefined;
      }
      default:
        await vscode.window.showErrorMessage(message);
        return undefined;
    }
  }
}

type Action = () => unknown;

export function asApiError(error: unknown): BioqlApiError {
  if (error instanceof BioqlApiError) return error;
  const text = error instanceof Error ? error.message : String(error);
  return new BioqlApiError("server", text);
}
