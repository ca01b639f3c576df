import * as vscode from "vscode";

export const SECTION = "bioql";
export const DEFAULT_SERVER_URL = "http://127.0.0.1:8000";

export interface BioqlSettings {
  serverUrl: string;
  includeReasoning: boolean;
  inlineEnabled: boolean;
  inlineDebounceMs: number;
  /** Where "Open Account Page" goes; the service's web playground shows balance and usage. */
  accountUrl: string;
}

export function readSettings(): BioqlSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const serverUrl = (config.get<string>("serverUrl") || DEFAULT_SERVER_URL).trim().replace(/\/+$/, "");
  const accountUrl = (config.get<string>("accountUrl") || "").trim() || `${serverUrl}/`;
  return {
    serverUrl,
    includeReasoning: config.get<boolean>("includeReasoning", true),
    inlineEnabled: config.get<boolean>("inlineCompletions.enabled", true),
    inlineDebounceMs: Math.max(0, config.get<number>("inlineCompletions.debounceMs", 300)),
    accountUrl,
  };
}
