import { randomUUID } from "node:crypto";
import * as vscode from "vscode";
import type { GenerateResponse } from "../client";
import { insertionText, interpretationLine, placeCode } from "../format";
import type { Services } from "../services";

export const PROMPT_PLACEHOLDER = "e.g. Create a 3-qubit GHZ state and measure it 1024 times";

/** Runs a request under a cancellable progress notification; the signal aborts the HTTP call. */
export function withCancellableProgress<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (_progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      return work(controller.signal).finally(() => subscription.dispose());
    },
  );
}

/**
 * "BioQL: Generate Code": prompt → POST /v1/generate → code (and, when bioql.includeReasoning is
 * on, the reasoning as a comment block) inserted at the cursor of the editor it was started from.
 */
export async function generateCode(services: Services, promptArg?: string): Promise<void> {
  const prompt =
    promptArg ??
    (await vscode.window.showInputBox({
      title: "BioQL: Generate Code",
      prompt: "Describe the quantum program in plain English or Spanish",
      placeHolder: PROMPT_PLACEHOLDER,
      ignoreFocusOut: true,
    }));
  if (!prompt?.trim()) return;

  const editor = vscode.window.activeTextEditor;
  const { includeReasoning } = services.settings();
  // Same key on a retry: a request that did reach the server is not charged twice.
  const idempotencyKey = randomUUID();

  const attempt = async (): Promise<void> => {
    let answer: GenerateResponse;
    const startedAt = Date.now();
    try {
      const client = await services.client();
      answer = await withCancellableProgress("BioQL: generating code…", (signal) =>
        client.generate({ prompt: prompt.trim(), include_reasoning: includeReasoning }, signal, idempotencyKey),
      );
    } catch (error) {
      await services.report(error, attempt);
      return;
    }
    services.record("generate", answer, startedAt);
    if (!answer.code) {
      void vscode.window.showWarningMessage(`BioQL: ${answer.error ?? "the service returned no code for this prompt."}`);
      return;
    }
    await insertAtCursor(editor, answer.code, includeReasoning ? answer.reasoning : undefined);
    // The Output log has the same line; the status bar shows it where the user is looking.
    const reading = interpretationLine(answer.interpreted_as);
    if (reading) vscode.window.setStatusBarMessage(`BioQL: ${reading}`, 15_000);
  };
  await attempt();
}

/**
 * Inserts generated code at the editor's cursor, on lines of its own and without imports the
 * file already has above it (see placeCode). If that editor is gone (closed during the
 * request, or there was none), the code opens in a new Python document instead of being lost.
 */
export async function insertAtCursor(
  editor: vscode.TextEditor | undefined,
  code: string,
  reasoning?: string,
): Promise<boolean> {
  if (editor && !editor.document.isClosed) {
    const document = editor.document;
    const placement = placeCode(document.getText(), document.offsetAt(editor.selection.active), code, reasoning, document.languageId);
    const ok = await editor.edit((builder) => builder.insert(document.positionAt(placement.offset), placement.text));
    if (ok) return true;
  }
  const text = insertionText(code, reasoning, "python");
  const document = await vscode.workspace.openTextDocument({ language: "python", content: text });
  await vscode.window.showTextDocument(document);
  return true;
}

/** "Insert" from the chat: into the active editor at its cursor. */
export function insertCode(code: string): Promise<boolean> {
  return insertAtCursor(vscode.window.activeTextEditor, code);
}
