import { randomUUID } from "node:crypto";
import * as vscode from "vscode";
import type { FixResponse } from "../client";
import type { Services } from "../services";
import { withCancellableProgress } from "./generate";

export const FIX_SCHEME = "bioql-fix";
export const ACTION_APPLY = "Apply Fix";
export const ACTION_DISCARD = "Discard";

/** A fix waiting for the user's decision in the diff view. */
export interface PendingFix {
  documentUri: vscode.Uri;
  /** The document version the fix was computed against; applying to a newer one would clobber edits. */
  version: number;
  range: vscode.Range;
  original: string;
  fixed: string;
  changes: string[];
}

/**
 * Holds the proposed text for the right-hand side of the diff (a read-only virtual document
 * under the bioql-fix: scheme) and applies or discards it.
 */
export class FixPreview implements vscode.TextDocumentContentProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly proposals = new Map<string, string>();
  private pending: PendingFix | undefined;
  private counter = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.proposals.get(uri.toString()) ?? "";
  }

  get current(): PendingFix | undefined {
    return this.pending;
  }

  /** Opens the diff (original ↔ proposed) and asks whether to apply. */
  async show(document: vscode.TextDocument, fix: PendingFix): Promise<void> {
    this.pending = fix;
    const proposedFullText =
      document.getText().slice(0, document.offsetAt(fix.range.start)) +
      fix.fixed +
      document.getText().slice(document.offsetAt(fix.range.end));
    const name = document.uri.path.split("/").pop() || "untitled";
    const proposedUri = vscode.Uri.from({ scheme: FIX_SCHEME, path: `/${name}`, query: String(++this.counter) });
    this.proposals.clear();
    this.proposals.set(proposedUri.toString(), proposedFullText);
    this.emitter.fire(proposedUri);

    const n = fix.changes.length;
    await vscode.commands.executeCommand(
      "vscode.diff",
      document.uri,
      proposedUri,
      `${name} ↔ BioQL fix (${n} change${n === 1 ? "" : "s"})`,
      { preview: true },
    );
    const summary = fix.changes.length ? fix.changes.join(" ") : "The code was reformatted.";
    const choice = await vscode.window.showInformationMessage(
      `BioQL proposes ${n} change${n === 1 ? "" : "s"}: ${summary}`,
      ACTION_APPLY,
      ACTION_DISCARD,
    );
    if (choice === ACTION_APPLY) await this.apply();
    else if (choice === ACTION_DISCARD) this.discard();
  }

  /** Replaces the original range with the fixed code, unless the document moved on meanwhile. */
  async apply(): Promise<boolean> {
    const fix = this.pending;
    if (!fix) return false;
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === fix.documentUri.toString());
    if (!document || document.isClosed) {
      void vscode.window.showWarningMessage("BioQL: the file being fixed is no longer open; run Fix Code again.");
      this.discard();
      return false;
    }
    if (document.version !== fix.version) {
      void vscode.window.showWarningMessage(
        "BioQL: the file changed after the fix was requested, so it was not applied. Run Fix Code again.",
      );
      this.discard();
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(fix.documentUri, fix.range, fix.fixed);
    const ok = await vscode.workspace.applyEdit(edit);
    this.discard();
    if (ok) await closeDiffEditors();
    return ok;
  }

  discard(): void {
    this.pending = undefined;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

async function closeDiffEditors(): Promise<void> {
  // tabGroups exists since VS Code 1.67; the diff tab is the one showing our scheme.
  const groups = vscode.window.tabGroups;
  if (!groups) return;
  for (const group of groups.all) {
    for (const tab of group.tabs) {
      const input = tab.input as { modified?: vscode.Uri } | undefined;
      if (input?.modified?.scheme === FIX_SCHEME) await groups.close(tab);
    }
  }
}

/**
 * "BioQL: Fix Code": the selection (or the whole file) → POST /v1/fix → a diff to accept.
 */
export async function fixCode(services: Services, preview: FixPreview): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage("BioQL: open a BioQL (Python) file, optionally select code, then run Fix Code.");
    return;
  }
  const document = editor.document;
  const range = editor.selection.isEmpty
    ? new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length))
    : new vscode.Range(editor.selection.start, editor.selection.end);
  const original = document.getText(range);
  if (!original.trim()) {
    void vscode.window.showInformationMessage("BioQL: there is no code to fix here.");
    return;
  }
  const version = document.version;
  const idempotencyKey = randomUUID();

  const attempt = async (): Promise<void> => {
    let answer: FixResponse;
    const startedAt = Date.now();
    try {
      const client = await services.client();
      answer = await withCancellableProgress("BioQL: fixing code…", (signal) => client.fix(original, signal, idempotencyKey));
    } catch (error) {
      await services.report(error, attempt);
      return;
    }
    services.record("fix", answer, startedAt);
    for (const change of answer.changes ?? []) services.log.info(`fix: ${change}`);
    if (answer.code === original || (answer.code.trim() === original.trim() && !answer.changes?.length)) {
      void vscode.window.showInformationMessage("BioQL: nothing to fix, the code is already valid.");
      return;
    }
    await preview.show(document, {
      documentUri: document.uri,
      version,
      range,
      original,
      fixed: answer.code,
      changes: answer.changes ?? [],
    });
  };
  await attempt();
}
