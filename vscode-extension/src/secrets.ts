import * as vscode from "vscode";
import { SECTION } from "./config";

/** Name of the secret in VS Code's SecretStorage (the OS keychain). */
export const SECRET_NAME = "bioql.apiKey";
/** The plaintext setting older versions of the extension used. */
export const LEGACY_SETTING = "apiKey";

/** The API key lives only in SecretStorage; this wraps it with change notification. */
export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(): Promise<string | undefined> {
    const key = await this.secrets.get(SECRET_NAME);
    return key?.trim() || undefined;
  }

  set(key: string): Thenable<void> {
    return this.secrets.store(SECRET_NAME, key.trim());
  }

  clear(): Thenable<void> {
    return this.secrets.delete(SECRET_NAME);
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange((event) => {
      if (event.key === SECRET_NAME) listener();
    });
  }
}

/** A key pasted into the input box: a single token, no spaces. */
export function validateApiKey(value: string): string | undefined {
  const key = value.trim();
  if (!key) return "Paste the key printed by `bioql admin create-user` (it starts with bioql_).";
  if (/\s/.test(key)) return "An API key is one word with no spaces.";
  return undefined;
}

/** "BioQL: Set API Key". Returns true when a key was stored. */
export async function promptForApiKey(store: ApiKeyStore): Promise<boolean> {
  const key = await vscode.window.showInputBox({
    title: "BioQL API key",
    prompt: "Stored in VS Code's secret storage (your OS keychain), never in settings.json.",
    placeHolder: "bioql_…",
    password: true,
    ignoreFocusOut: true,
    validateInput: validateApiKey,
  });
  if (key === undefined || validateApiKey(key)) return false;
  await store.set(key);
  void vscode.window.showInformationMessage("BioQL API key saved in secret storage.");
  return true;
}

const TARGETS: Array<[keyof ScopeValues, vscode.ConfigurationTarget]> = [
  ["workspaceFolderValue", vscode.ConfigurationTarget.WorkspaceFolder],
  ["workspaceValue", vscode.ConfigurationTarget.Workspace],
  ["globalValue", vscode.ConfigurationTarget.Global],
];

interface ScopeValues {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * Moves a plaintext `bioql.apiKey` setting into SecretStorage and deletes it from every settings
 * file it was in. An existing secret wins over the plaintext value (it was set deliberately later).
 * Returns true when something was migrated or removed, after telling the user.
 */
export async function migrateLegacyApiKey(store: ApiKeyStore): Promise<boolean> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const inspected = config.inspect<string>(LEGACY_SETTING) as ScopeValues | undefined;
  if (!inspected) return false;
  const found = TARGETS.filter(([scope]) => typeof inspected[scope] === "string" && String(inspected[scope]).trim());
  if (found.length === 0) return false;

  // The most specific scope is the one VS Code would have used.
  const legacyKey = String(inspected[found[0][0]]).trim();
  const existing = await store.get();
  if (!existing) await store.set(legacyKey);

  for (const [, target] of found) {
    try {
      await config.update(LEGACY_SETTING, undefined, target);
    } catch {
      // A folder-level setting cannot be removed when no folder is open; the key is already safe.
    }
  }
  const what = existing
    ? "BioQL removed the plaintext bioql.apiKey from your settings; the key already in secret storage is kept."
    : "BioQL moved your API key from settings.json (bioql.apiKey) into VS Code's secret storage and removed the plaintext copy.";
  void vscode.window.showInformationMessage(what);
  return true;
}
