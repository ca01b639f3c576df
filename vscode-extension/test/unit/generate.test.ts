import { beforeEach, describe, expect, it } from "vitest";
import { generateCode } from "../../src/commands/generate";
import * as vscode from "../mocks/vscode";
import { connectionRefused, flush, generateAnswer, makeServices } from "./helpers";

beforeEach(() => vscode.resetVscodeMock());

const CODE = 'from bioql import quantum\n\nresult = quantum("Create a Bell state", shots=1024)\nprint(result)';

describe("BioQL: Generate Code", () => {
  it("inserts the code at the cursor with the reasoning as a comment block above it", async () => {
    const h = await makeServices({ "POST /v1/generate": () => ({ json: generateAnswer() }) });
    const editor = vscode.openEditor("# experiments\n|\nprint('done')\n");
    vscode.window.showInputBox.mockResolvedValueOnce("Create a Bell state");

    await generateCode(h.services);

    expect(editor.document.text).toBe(
      "# experiments\n" +
        "# A Bell state needs a Hadamard on qubit 0 and then a CNOT from qubit 0 to\n# qubit 1.\n" +
        CODE +
        "\n\nprint('done')\n",
    );
    expect(h.calls[0].body).toEqual({ prompt: "Create a Bell state", include_reasoning: true });
    expect(vscode.progressShown).toHaveLength(1);
    expect(vscode.progressShown[0].cancellable).toBe(true);
  });

  it("leaves the reasoning out, and asks for none, when bioql.includeReasoning is off", async () => {
    vscode.setSetting("bioql.includeReasoning", false);
    const h = await makeServices({ "POST /v1/generate": () => ({ json: generateAnswer({ reasoning: "" }) }) });
    const editor = vscode.openEditor("|");
    vscode.window.showInputBox.mockResolvedValueOnce("Create a Bell state");

    await generateCode(h.services);

    expect(editor.document.text).toBe(CODE + "\n");
    expect(h.calls[0].body.include_reasoning).toBe(false);
  });

  it("indents every line to the cursor's indentation", async () => {
    vscode.setSetting("bioql.includeReasoning", false);
    const h = await makeServices({ "POST /v1/generate": () => ({ json: generateAnswer({ code: "a = 1\nb = 2" }) }) });
    const editor = vscode.openEditor("def main():\n    |");
    vscode.window.showInputBox.mockResolvedValueOnce("two assignments");

    await generateCode(h.services);

    expect(editor.document.text).toBe("def main():\n    a = 1\n    b = 2\n");
  });

  it("logs model, time and cost to the BioQL channel and moves the status-bar balance", async () => {
    const h = await makeServices({ "POST /v1/generate": () => ({ json: generateAnswer() }) });
    vscode.openEditor("|");
    vscode.window.showInputBox.mockResolvedValueOnce("Create a Bell state");

    await generateCode(h.services);

    expect(h.channel.lines).toHaveLength(1);
    expect(h.channel.lines[0]).toMatch(/generate +model=bioql-coder-test +time=1\.25s \(round trip \d+\.\d\ds\) +cost=\$0\.000514 \(base \$0\.000367 \+ 40% markup\) +balance=\$9\.999486/);
    expect(h.status.text).toBe("$(beaker) BioQL $9.999486");
  });

  it("says how the service read the request, in the status bar and the log", async () => {
    const reading = ["Create a Bell state on 2 qubits", "Apply X to qubit 1 of 2 qubits"];
    const h = await makeServices({ "POST /v1/generate": () => ({ json: generateAnswer({ interpreted_as: reading }) }) });
    vscode.openEditor("|");
    vscode.window.showInputBox.mockResolvedValueOnce("a Bell state, then X on qubit 1");

    await generateCode(h.services);

    const line = "Interpreted as: Create a Bell state on 2 qubits · Apply X to qubit 1 of 2 qubits";
    expect(vscode.window.statusBarMessages).toEqual([`BioQL: ${line}`]);
    expect(h.channel.lines[1]).toContain(line);
  });

  it("does nothing when the prompt box is dismissed", async () => {
    const h = await makeServices({ "POST /v1/generate": () => ({ json: generateAnswer() }) });
    const editor = vscode.openEditor("x = 1|");
    vscode.window.showInputBox.mockResolvedValueOnce(undefined);

    await generateCode(h.services);

    expect(h.calls).toHaveLength(0);
    expect(editor.document.text).toBe("x = 1");
  });

  it("cancelling the progress notification aborts the request and inserts nothing", async () => {
    const h = await makeServices({ "POST /v1/generate": () => new Promise(() => {}) });
    const editor = vscode.openEditor("x = 1\n|");
    vscode.window.showInputBox.mockResolvedValueOnce("Create a Bell state");

    const running = generateCode(h.services);
    await flush();
    vscode.progressShown[0].source.cancel();
    await running;

    expect(h.calls[0].signal?.aborted).toBe(true);
    expect(editor.document.text).toBe("x = 1\n");
    expect(vscode.window.showErrorMessage).not.toHaveBeenCalled();
    expect(vscode.window.showWarningMessage).not.toHaveBeenCalled();
  });

  it("opens the code in a new Python document when there is no editor", async () => {
    vscode.setSetting("bioql.includeReasoning", false);
    const h = await makeServices({ "POST /v1/generate": () => ({ json: generateAnswer() }) });
    vscode.window.showInputBox.mockResolvedValueOnce("Create a Bell state");

    await generateCode(h.services);

    expect(vscode.window.activeTextEditor?.document.text).toBe(CODE + "\n");
    expect(vscode.window.activeTextEditor?.document.languageId).toBe("python");
  });

  it("keeps the code when the editor was closed during the request", async () => {
    vscode.setSetting("bioql.includeReasoning", false);
    const h = await makeServices({
      "POST /v1/generate": () => {
        editor.document.isClosed = true;
        return { json: generateAnswer() };
      },
    });
    const editor = vscode.openEditor("|");
    vscode.window.showInputBox.mockResolvedValueOnce("Create a Bell state");

    await generateCode(h.services);

    expect(vscode.window.activeTextEditor).not.toBe(editor);
    expect(vscode.window.activeTextEditor?.document.text).toBe(CODE + "\n");
  });

  it("402 → one error with 'Open Account Page', which opens the account page", async () => {
    vscode.setSetting("bioql.serverUrl", "http://10.0.0.5:8000/");
    const h = await makeServices({ "POST /v1/generate": () => ({ status: 402, json: { detail: "Balance $0.00 is too low for this request." } }) });
    const editor = vscode.openEditor("|");
    vscode.window.showInputBox.mockResolvedValueOnce("Create a Bell state");
    vscode.window.showErrorMessage.mockResolvedValueOnce("Open Account Page");

    await generateCode(h.services);

    expect(vscode.window.showErrorMessage).toHaveBeenCalledTimes(1);
    expect(vscode.window.showErrorMessage).toHaveBeenCalledWith("BioQL: Balance $0.00 is too low for this request.", "Open Account Page");
    expect(String(vscode.env.openExternal.mock.calls[0][0])).toBe("http://10.0.0.5:8000/");
    expect(editor.document.text).toBe("");
  });

  it("401 → one error with 'Set API Key', which runs the Set API Key command", async () => {
    const h = await makeServices({ "POST /v1/generate": () => ({ status: 401, json: { detail: "The API key is revoked." } }) });
    vscode.openEditor("|");
    let setKeyRan = 0;
    vscode.commands.registerCommand("bioql.setApiKey", () => setKeyRan++);
    vscode.window.showInputBox.mockResolvedValueOnce("Create a Bell state");
    vscode.window.showErrorMessage.mockResolvedValueOnce("Set API Key");

    await generateCode(h.services);

    expect(vscode.window.showErrorMessage).toHaveBeenCalledWith("BioQL: The API key is revoked.", "Set API Key");
    expect(setKeyRan).toBe(1);
  });

  it("no key yet → the same Set API Key notification, without calling the server", async () => {
    const h = await makeServices({}, null);
    vscode.openEditor("|");
    vscode.window.showInputBox.mockResolvedValueOnce("Create a Bell state");

    await generateCode(h.services);

    expect(h.calls).toHaveLength(0);
    expect(vscode.window.showErrorMessage.mock.calls[0][1]).toBe("Set API Key");
  });

  it("network down → 'Retry' resends the same request (same idempotency key) and inserts the code", async () => {
    vscode.setSetting("bioql.includeReasoning", false);
    let attempts = 0;
    const h = await makeServices({
      "POST /v1/generate": () => (++attempts === 1 ? connectionRefused() : { json: generateAnswer() }),
    });
    const editor = vscode.openEditor("|");
    vscode.window.showInputBox.mockResolvedValueOnce("Create a Bell state");
    vscode.window.showErrorMessage.mockResolvedValueOnce("Retry");

    await generateCode(h.services);

    const [message, ...actions] = vscode.window.showErrorMessage.mock.calls[0];
    expect(message).toContain("Cannot reach the BioQL server at http://127.0.0.1:8000");
    expect(actions).toEqual(["Retry", "Open Settings"]);
    expect(h.calls).toHaveLength(2);
    expect(h.calls[1].headers["Idempotency-Key"]).toBe(h.calls[0].headers["Idempotency-Key"]);
    expect(editor.document.text).toBe(CODE + "\n");
  });

  it("429 → a warning with the server's wait time and Retry", async () => {
    const h = await makeServices({
      "POST /v1/generate": () => ({ status: 429, json: { detail: "Too many requests." }, headers: { "Retry-After": "12" } }),
    });
    vscode.openEditor("|");
    vscode.window.showInputBox.mockResolvedValueOnce("Create a Bell state");

    await generateCode(h.services);

    expect(vscode.window.showWarningMessage).toHaveBeenCalledWith("BioQL: Too many requests. Try again in 12 s.", "Retry");
    expect(vscode.window.showErrorMessage).not.toHaveBeenCalled();
  });

  it("an out-of-domain prompt (422, not charged) shows the server's sentence", async () => {
    const h = await makeServices({
      "POST /v1/generate": () => ({ status: 422, json: { detail: "BioQL writes quantum programs; 'bake a cake' is not one. You were not charged." } }),
    });
    const editor = vscode.openEditor("|");
    vscode.window.showInputBox.mockResolvedValueOnce("bake a cake");

    await generateCode(h.services);

    expect(vscode.window.showErrorMessage).toHaveBeenCalledWith("BioQL: BioQL writes quantum programs; 'bake a cake' is not one. You were not charged.");
    expect(editor.document.text).toBe("");
  });
});
