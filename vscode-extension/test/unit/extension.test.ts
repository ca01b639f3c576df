import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type * as vs from "vscode";
import { describeAccount, showAccount } from "../../src/commands/account";
import { activate } from "../../src/extension";
import * as vscode from "../mocks/vscode";
import { fakeFetch, makeServices } from "./helpers";

const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));

beforeEach(() => vscode.resetVscodeMock());
afterEach(() => vi.unstubAllGlobals());

async function activateWith(routes: Parameters<typeof fakeFetch>[0], key?: string) {
  const fake = fakeFetch(routes);
  vi.stubGlobal("fetch", fake.fetch);
  const secrets = new vscode.FakeSecretStorage();
  if (key) await secrets.store("bioql.apiKey", key);
  const context = { subscriptions: [] as Array<{ dispose(): unknown }>, secrets, extensionUri: vscode.Uri.file("/ext") };
  const services = await activate(context as unknown as vs.ExtensionContext);
  await new Promise((r) => setImmediate(r));
  return { services, context, secrets, calls: fake.calls };
}

const ACCOUNT = {
  email: "ada@example.org",
  balance: 7.123456,
  available_balance: 7.123456,
  transactions: [
    { id: 2, created_at: "2026-11-22T15:00:01", kind: "charge", amount_usd: -0.000514, balance_after_usd: 7.123456, endpoint: "generate", model: "bioql-coder" },
    { id: 1, created_at: "2026-11-22T14:00:00", kind: "credit", amount_usd: 7.12397, balance_after_usd: 7.12397, endpoint: null, model: null },
  ],
};

describe("activation", () => {
  it("registers every command, keybinding target and menu item declared in package.json", async () => {
    await activateWith({});
    const declared = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    expect(vscode.commands.registered().sort()).toEqual(declared);
    for (const k of manifest.contributes.keybindings) expect(declared).toContain(k.command);
  });

  it("registers the @bioql participant under the id package.json declares, and Python inline completions", async () => {
    await activateWith({});
    const [participant] = manifest.contributes.chatParticipants;
    expect(participant.name).toBe("bioql");
    expect(participant.commands.map((c: { name: string }) => c.name)).toEqual(["generate", "fix", "explain"]);
    expect(vscode.chat.createChatParticipant).toHaveBeenCalledWith(participant.id, expect.any(Function));
    expect(vscode.languages.registerInlineCompletionItemProvider.mock.calls[0][0]).toEqual({ language: "python" });
  });

  it("registers BioQL as a chat model under the vendor package.json declares, managed by Set API Key", async () => {
    await activateWith({});
    const [provider] = manifest.contributes.languageModelChatProviders;
    expect(provider).toEqual({ vendor: "bioql", displayName: "BioQL", managementCommand: "bioql.setApiKey" });
    expect(vscode.lm.registerLanguageModelChatProvider).toHaveBeenCalledWith(provider.vendor, expect.anything());
    const declared = manifest.contributes.commands.map((c: { command: string }) => c.command);
    expect(declared).toContain(provider.managementCommand);
    // Selecting the vendor's models once is what makes VS Code list them in the picker.
    expect(vscode.lm.selectChatModels).toHaveBeenCalledWith({ vendor: provider.vendor });
  });

  it("creates the BioQL Output channel and shows the balance from /v1/account", async () => {
    const { calls } = await activateWith({ "GET /v1/account": () => ({ json: ACCOUNT }) }, "bioql_k");
    expect(vscode.window.createOutputChannel).toHaveBeenCalledWith("BioQL");
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(["GET /v1/account"]);
    const item = vscode.window.createStatusBarItem.mock.results[0].value as vscode.FakeStatusBarItem;
    expect(item.text).toBe("$(beaker) BioQL $7.123456");
    expect(item.command).toBe("bioql.showAccount");
  });

  it("without a key the status bar offers to set one, and no request is made", async () => {
    const { calls } = await activateWith({});
    const item = vscode.window.createStatusBarItem.mock.results[0].value as vscode.FakeStatusBarItem;
    expect(item.text).toContain("set API key");
    expect(item.command).toBe("bioql.setApiKey");
    expect(calls).toHaveLength(0);
  });

  it("migrates a legacy plaintext key on activation and uses it right away", async () => {
    vscode.setSetting("bioql.apiKey", "bioql_from_settings");
    const { secrets, calls } = await activateWith({ "GET /v1/account": () => ({ json: ACCOUNT }) });
    expect(secrets.values.get("bioql.apiKey")).toBe("bioql_from_settings");
    expect(vscode.settingScopes("bioql.apiKey")).toEqual({});
    expect(calls[0].headers.Authorization).toBe("Bearer bioql_from_settings");
  });

  it("a revoked key at startup → one Set API Key notification", async () => {
    await activateWith({ "GET /v1/account": () => ({ status: 401, json: { detail: "The API key was revoked." } }) }, "bioql_old");
    expect(vscode.window.showErrorMessage).toHaveBeenCalledTimes(1);
    expect(vscode.window.showErrorMessage).toHaveBeenCalledWith("BioQL: The API key was revoked.", "Set API Key");
  });

  it("a server that is down at startup does not pop up anything (only the status bar says so)", async () => {
    await activateWith({ "GET /v1/account": () => Promise.reject(Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } })) }, "bioql_k");
    const item = vscode.window.createStatusBarItem.mock.results[0].value as vscode.FakeStatusBarItem;
    expect(item.text).toBe("$(beaker) BioQL ?");
    expect(item.tooltip).toContain("Cannot reach");
    expect(vscode.window.showErrorMessage).not.toHaveBeenCalled();
  });
});

describe("package.json", () => {
  it("keeps Ctrl/Cmd+Shift+G (Source Control) and Ctrl/Cmd+Shift+F (Find in Files) free", () => {
    const keys = manifest.contributes.keybindings.flatMap((k: { key: string; mac?: string }) => [k.key, k.mac ?? ""]);
    for (const key of keys) expect(key).not.toMatch(/^(ctrl|cmd)\+shift\+[gf]$/);
    expect(manifest.contributes.keybindings).toEqual([
      expect.objectContaining({ command: "bioql.generateCode", key: "ctrl+k g", mac: "cmd+k g" }),
      expect.objectContaining({ command: "bioql.fixCode", key: "ctrl+k x", mac: "cmd+k x" }),
    ]);
  });

  it("declares the settings with the documented defaults", () => {
    const props = manifest.contributes.configuration.properties;
    expect(props["bioql.serverUrl"].default).toBe("http://127.0.0.1:8000");
    expect(props["bioql.includeReasoning"].default).toBe(true);
    expect(props["bioql.inlineCompletions.enabled"].default).toBe(true);
    expect(props["bioql.apiKey"].markdownDeprecationMessage).toContain("secret storage");
  });
});

describe("BioQL: Show Account", () => {
  it("writes the balance and recent transactions to the Output channel and shows it", async () => {
    const h = await makeServices({ "GET /v1/account": () => ({ json: ACCOUNT }) });
    await showAccount(h.services);
    expect(h.channel.visible).toBe(true);
    const text = h.channel.lines.join("\n");
    expect(text).toContain("account ada@example.org: balance $7.123456");
    expect(text).toContain("2026-11-22 15:00:01  charge  generate  model=bioql-coder  -$0.000514  → $7.123456");
    expect(text).toContain("2026-11-22 14:00:00  credit  $7.12397  → $7.12397");
  });

  it("an account without transactions says so", () => {
    expect(describeAccount({ email: "a@b.c", balance: 0, transactions: [] })).toEqual(["account a@b.c: balance $0.00", "  no transactions yet"]);
  });
});

describe("the remaining palette commands", () => {
  it("Remove API Key deletes the secret and the status bar asks for a new one", async () => {
    const { secrets } = await activateWith({ "GET /v1/account": () => ({ json: ACCOUNT }) }, "bioql_k");
    await vscode.commands.executeCommand("bioql.clearApiKey");
    await new Promise((r) => setImmediate(r));
    expect(secrets.values.has("bioql.apiKey")).toBe(false);
    const item = vscode.window.createStatusBarItem.mock.results[0].value as vscode.FakeStatusBarItem;
    expect(item.command).toBe("bioql.setApiKey");
  });

  it("Show Request and Cost Log reveals the BioQL channel", async () => {
    await activateWith({});
    await vscode.commands.executeCommand("bioql.showLog");
    const channel = vscode.window.createOutputChannel.mock.results[0].value as vscode.FakeOutputChannel;
    expect(channel.visible).toBe(true);
  });

  it("Discard Fix drops the pending fix and closes the diff", async () => {
    await activateWith({ "POST /v1/fix": () => ({ json: { code: "fixed = 1\n", changes: ["c"] } }) }, "bioql_k");
    const editor = vscode.openEditor("broken(\n");
    await vscode.commands.executeCommand("bioql.fixCode");
    await vscode.commands.executeCommand("bioql.discardFix");
    await vscode.commands.executeCommand("bioql.applyFix"); // nothing left to apply
    expect(editor.document.text).toBe("broken(\n");
    expect(vscode.commands.executeCommand).toHaveBeenCalledWith("workbench.action.closeActiveEditor");
  });
});
