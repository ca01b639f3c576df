import { beforeEach, describe, expect, it } from "vitest";
import { FIX_SCHEME, FixPreview, fixCode } from "../../src/commands/fix";
import { registerCommands } from "../../src/commands/index";
import * as vscode from "../mocks/vscode";
import { flush, makeServices } from "./helpers";

beforeEach(() => vscode.resetVscodeMock());

const BROKEN = 'from bioql import quantum\nr = quantum("Create a Bell state", shot=1024)\n';
const FIXED = 'from bioql import quantum\nr = quantum("Create a Bell state", shots=1024)\n';
const CHANGES = ["Renamed the unknown argument shot= to shots=."];
const fixRoute = (code = FIXED, changes = CHANGES) => () => ({
  json: { code, changes, valid: true, model: "bioql-fixer", cost: { base_cost_usd: 0, user_cost_usd: 0, profit_usd: 0, markup_percent: 40, margin_percent: 28.57 }, user: { email: "a@b.c", balance: 5 } },
});

/** The diff VS Code was asked to open: [left uri, right uri, title]. */
function openedDiff() {
  const call = vscode.commands.executeCommand.mock.calls.find((c) => c[0] === "vscode.diff");
  expect(call).toBeDefined();
  return { left: call![1] as vscode.Uri, right: call![2] as vscode.Uri, title: call![3] as string };
}

describe("BioQL: Fix Code", () => {
  it("sends the whole file when nothing is selected, shows the diff, and applies on 'Apply Fix'", async () => {
    const h = await makeServices({ "POST /v1/fix": fixRoute() });
    const editor = vscode.openEditor(BROKEN, "python", vscode.Uri.file("/work/bell.py"));
    const preview = new FixPreview();
    vscode.window.showInformationMessage.mockResolvedValueOnce("Apply Fix");

    await fixCode(h.services, preview);

    expect(h.calls[0].body).toEqual({ code: BROKEN });
    const diff = openedDiff();
    expect(diff.left.toString()).toBe("file:///work/bell.py");
    expect(diff.right.scheme).toBe(FIX_SCHEME);
    expect(preview.provideTextDocumentContent(diff.right)).toBe(FIXED);
    expect(diff.title).toBe("bell.py ↔ BioQL fix (1 change)");
    expect(vscode.window.showInformationMessage.mock.calls[0][0]).toBe(`BioQL proposes 1 change: ${CHANGES[0]}`);
    expect(editor.document.text).toBe(FIXED);
    expect(h.channel.lines.some((l) => l.includes(`fix: ${CHANGES[0]}`))).toBe(true);
  });

  it("sends only the selection and replaces only the selection", async () => {
    const line = 'r = quantum("Create a Bell state", shot=1024)';
    const h = await makeServices({ "POST /v1/fix": fixRoute('r = quantum("Create a Bell state", shots=1024)') });
    const editor = vscode.openEditor(`import os\n${line}\nprint(r)\n`);
    editor.selection = new vscode.Selection(new vscode.Position(1, 0), new vscode.Position(1, line.length));
    const preview = new FixPreview();
    vscode.window.showInformationMessage.mockResolvedValueOnce("Apply Fix");

    await fixCode(h.services, preview);

    expect(h.calls[0].body).toEqual({ code: line });
    // The right side of the diff is the whole file with the selection replaced.
    expect(preview.provideTextDocumentContent(openedDiff().right)).toBe('import os\nr = quantum("Create a Bell state", shots=1024)\nprint(r)\n');
    expect(editor.document.text).toBe('import os\nr = quantum("Create a Bell state", shots=1024)\nprint(r)\n');
  });

  it("'Discard' leaves the file untouched", async () => {
    const h = await makeServices({ "POST /v1/fix": fixRoute() });
    const editor = vscode.openEditor(BROKEN);
    vscode.window.showInformationMessage.mockResolvedValueOnce("Discard");

    await fixCode(h.services, new FixPreview());

    expect(editor.document.text).toBe(BROKEN);
  });

  it("refuses to apply a fix to a file edited after the request", async () => {
    const h = await makeServices({ "POST /v1/fix": fixRoute() });
    const editor = vscode.openEditor(BROKEN);
    const preview = new FixPreview();
    vscode.window.showInformationMessage.mockImplementationOnce(async () => {
      editor.document.replace(new vscode.Range(0, 0, 0, 0), "# edited meanwhile\n");
      return "Apply Fix";
    });

    await fixCode(h.services, preview);

    expect(editor.document.text).toBe("# edited meanwhile\n" + BROKEN);
    expect(vscode.window.showWarningMessage.mock.calls[0][0]).toContain("changed after the fix was requested");
  });

  it("the diff's title-bar buttons (bioql.applyFix / bioql.discardFix) act on the pending fix", async () => {
    const h = await makeServices({ "POST /v1/fix": fixRoute() });
    const preview = new FixPreview();
    registerCommands(h.services, preview);
    const editor = vscode.openEditor(BROKEN);

    // The notification is left open; the user clicks the ✓ in the diff's title bar instead.
    const running = fixCode(h.services, preview);
    await flush();
    await flush();
    expect(preview.current?.fixed).toBe(FIXED);
    await vscode.commands.executeCommand("bioql.applyFix");
    expect(editor.document.text).toBe(FIXED);
    expect(preview.current).toBeUndefined();
    await running;
  });

  it("says so when there is nothing to fix, without opening a diff", async () => {
    const h = await makeServices({ "POST /v1/fix": fixRoute(FIXED, []) });
    vscode.openEditor(FIXED);

    await fixCode(h.services, new FixPreview());

    expect(vscode.window.showInformationMessage).toHaveBeenCalledWith("BioQL: nothing to fix, the code is already valid.");
    expect(vscode.commands.executeCommand.mock.calls.some((c) => c[0] === "vscode.diff")).toBe(false);
  });

  it("does not call the server for an empty file or without an editor", async () => {
    const h = await makeServices({ "POST /v1/fix": fixRoute() });
    await fixCode(h.services, new FixPreview());
    vscode.openEditor("   \n");
    await fixCode(h.services, new FixPreview());
    expect(h.calls).toHaveLength(0);
    expect(vscode.window.showInformationMessage).toHaveBeenCalledTimes(2);
  });

  it("402 while fixing → Open Account Page, file untouched", async () => {
    const h = await makeServices({ "POST /v1/fix": () => ({ status: 402, json: { detail: "Balance too low." } }) });
    const editor = vscode.openEditor(BROKEN);

    await fixCode(h.services, new FixPreview());

    expect(vscode.window.showErrorMessage).toHaveBeenCalledWith("BioQL: Balance too low.", "Open Account Page");
    expect(editor.document.text).toBe(BROKEN);
  });
});
