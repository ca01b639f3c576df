import { beforeEach, describe, expect, it } from "vitest";
import type * as vs from "vscode";
import { setApiKey } from "../../src/commands/account";
import { ApiKeyStore, SECRET_NAME, migrateLegacyApiKey, validateApiKey } from "../../src/secrets";
import * as vscode from "../mocks/vscode";
import { makeServices } from "./helpers";

beforeEach(() => vscode.resetVscodeMock());

const store = () => {
  const secrets = new vscode.FakeSecretStorage();
  return { secrets, keys: new ApiKeyStore(secrets as unknown as vs.SecretStorage) };
};

describe("API key in SecretStorage", () => {
  it("moves a plaintext bioql.apiKey into secret storage, deletes the setting and tells the user", async () => {
    vscode.setSetting("bioql.apiKey", "bioql_legacy123", vscode.ConfigurationTarget.Global);
    const { secrets, keys } = store();

    expect(await migrateLegacyApiKey(keys)).toBe(true);

    expect(secrets.values.get(SECRET_NAME)).toBe("bioql_legacy123");
    expect(vscode.settingScopes("bioql.apiKey")).toEqual({});
    expect(vscode.window.showInformationMessage.mock.calls[0][0]).toContain("moved your API key from settings.json");
  });

  it("removes the key from every settings file it is in, using the most specific one", async () => {
    vscode.setSetting("bioql.apiKey", "bioql_user", vscode.ConfigurationTarget.Global);
    vscode.setSetting("bioql.apiKey", "bioql_workspace", vscode.ConfigurationTarget.Workspace);
    const { secrets, keys } = store();

    await migrateLegacyApiKey(keys);

    expect(secrets.values.get(SECRET_NAME)).toBe("bioql_workspace");
    expect(vscode.settingScopes("bioql.apiKey")).toEqual({});
  });

  it("keeps a key already in secret storage and still removes the plaintext copy", async () => {
    vscode.setSetting("bioql.apiKey", "bioql_old", vscode.ConfigurationTarget.Global);
    const { secrets, keys } = store();
    await secrets.store(SECRET_NAME, "bioql_current");

    await migrateLegacyApiKey(keys);

    expect(secrets.values.get(SECRET_NAME)).toBe("bioql_current");
    expect(vscode.settingScopes("bioql.apiKey")).toEqual({});
    expect(vscode.window.showInformationMessage.mock.calls[0][0]).toContain("already in secret storage is kept");
  });

  it("runs once: with no plaintext setting it does nothing and says nothing", async () => {
    const { secrets, keys } = store();
    expect(await migrateLegacyApiKey(keys)).toBe(false);
    vscode.setSetting("bioql.apiKey", "", vscode.ConfigurationTarget.Global);
    expect(await migrateLegacyApiKey(keys)).toBe(false);
    expect(secrets.values.size).toBe(0);
    expect(vscode.window.showInformationMessage).not.toHaveBeenCalled();
  });

  it("'BioQL: Set API Key' asks with a password box, stores the trimmed key and refreshes the balance", async () => {
    const h = await makeServices({ "GET /v1/account": () => ({ json: { email: "ada@example.org", balance: 3.25, transactions: [] } }) }, null);
    vscode.window.showInputBox.mockResolvedValueOnce("  bioql_new_key  ");

    await setApiKey(h.services);

    const options = vscode.window.showInputBox.mock.calls[0][0] as vs.InputBoxOptions;
    expect(options.password).toBe(true);
    expect(h.secrets.values.get(SECRET_NAME)).toBe("bioql_new_key");
    expect(h.calls[0].headers.Authorization).toBe("Bearer bioql_new_key");
    expect(h.status.text).toBe("$(beaker) BioQL $3.25");
  });

  it("cancelling Set API Key changes nothing", async () => {
    const h = await makeServices({}, "bioql_keep");
    vscode.window.showInputBox.mockResolvedValueOnce(undefined);
    await setApiKey(h.services);
    expect(h.secrets.values.get(SECRET_NAME)).toBe("bioql_keep");
  });

  it("rejects empty keys and keys with spaces in the input box", () => {
    expect(validateApiKey("")).toContain("bioql admin create-user");
    expect(validateApiKey("bioql_a b")).toContain("no spaces");
    expect(validateApiKey("bioql_abc")).toBeUndefined();
  });
});
