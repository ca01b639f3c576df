import { randomUUID } from "node:crypto";
import * as vscode from "vscode";
import type { Billed, BioqlClient, GenerateResponse } from "./client";
import type { PendingFix } from "./commands/fix";
import { usd } from "./costLog";
import { extractCodeBlock, fenced, interpretationLine, quantumDescriptions } from "./format";
import { ACTION_ACCOUNT, ACTION_SET_KEY, asApiError } from "./notify";
import type { Services } from "./services";

export const PARTICIPANT_ID = "bioql.chat";
/** At most this many quantum() calls are explained per /explain (each is one billed request). */
export const MAX_EXPLAINED_CALLS = 3;

type Stream = Pick<vscode.ChatResponseStream, "markdown" | "button">;

export interface BioqlChatResult extends vscode.ChatResult {
  metadata: { command: string; model?: string };
}

/** Turns a VS Code cancellation token into an AbortSignal for fetch. */
function abortSignal(token: vscode.CancellationToken): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const sub = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => sub.dispose() };
}

/** Code in the prompt itself: a fenced block, or the whole prompt when it looks like code. */
function codeInPrompt(prompt: string): { code: string } | undefined {
  const block = extractCodeBlock(prompt);
  if (block?.trim()) return { code: block };
  if (/(^|\n)\s*(from|import)\s+\w|quantum\s*\(/.test(prompt)) return { code: prompt };
  return undefined;
}

/** The active editor's selection, or its whole file when `wholeFile` and nothing is selected. */
function codeInEditor(wholeFile: boolean): { code: string; fromEditor: EditorLocation } | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || (editor.selection.isEmpty && !wholeFile)) return undefined;
  const document = editor.document;
  const range = editor.selection.isEmpty
    ? new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length))
    : new vscode.Range(editor.selection.start, editor.selection.end);
  const text = document.getText(range);
  return text.trim() ? { code: text, fromEditor: { uri: document.uri, range, version: document.version } } : undefined;
}

/** Code the user is pointing at: a fenced block in the prompt, the prompt itself if it looks like code, else the editor's selection (or file). */
export function codeForRequest(prompt: string): { code: string; fromEditor?: EditorLocation } | undefined {
  return codeInPrompt(prompt) ?? codeInEditor(true);
}

/**
 * What /explain explains: code in the prompt, else the editor's selection, else the whole file
 * only when the prompt is empty. A question asked with nothing selected ("what is a GHZ
 * state?") is a question, not a request to explain whichever file happens to be open.
 */
export function codeToExplain(prompt: string): { code: string } | undefined {
  return codeInPrompt(prompt) ?? codeInEditor(!prompt.trim());
}

interface EditorLocation {
  uri: vscode.Uri;
  range: vscode.Range;
  version: number;
}

/** The `@bioql` participant: /generate (default), /fix and /explain. */
export function createChatHandler(services: Services): vscode.ChatRequestHandler {
  return async (request, _context, stream, token): Promise<BioqlChatResult> => {
    const command = request.command ?? "generate";
    const abort = abortSignal(token);
    try {
      const client = await services.client();
      switch (command) {
        case "fix":
          return await chatFix(services, client, request.prompt, stream, abort.signal);
        case "explain":
          return await chatExplain(services, client, request.prompt, stream, abort.signal);
        default:
          return await chatGenerate(services, client, request.prompt, stream, abort.signal);
      }
    } catch (error) {
      return chatError(error, command, stream, services.settings().accountUrl);
    } finally {
      abort.dispose();
    }
  };
}

/**
 * VS Code 1.139 folds every part of a finished response before its last run of Markdown into
 * "Completed N steps" (chat.agent.collapseCompletedResponses), so an answer is one Markdown part
 * with its actions as command links: the code and its Insert link stay in view.
 */
const LINK_COMMANDS = ["bioql.insertCode", "bioql.previewFix"];

/** A link that runs one of LINK_COMMANDS with JSON arguments (parentheses escaped too: a `)` would end the link). */
export function commandLink(title: string, command: string, args: unknown[]): string {
  const query = encodeURIComponent(JSON.stringify(args)).replace(/[()!'*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${title}](command:${command}?${query})`;
}

function answer(text: string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(text);
  markdown.isTrusted = { enabledCommands: LINK_COMMANDS };
  return markdown;
}

/** Fixes offered by /fix, waiting for "Review as Diff" (a link carries only the id). */
const offeredFixes = new Map<string, PendingFix>();
const MAX_OFFERED_FIXES = 20;

export function offeredFix(id: string): PendingFix | undefined {
  return offeredFixes.get(id);
}

function offerFix(fix: PendingFix): string {
  const id = randomUUID();
  offeredFixes.set(id, fix);
  for (const old of offeredFixes.keys()) {
    if (offeredFixes.size <= MAX_OFFERED_FIXES) break;
    offeredFixes.delete(old);
  }
  return id;
}

async function chatGenerate(
  services: Services,
  client: BioqlClient,
  prompt: string,
  stream: Stream,
  signal: AbortSignal,
): Promise<BioqlChatResult> {
  if (!prompt.trim()) {
    stream.markdown("Tell me what to build, for example `@bioql /generate a 3-qubit GHZ state measured 2000 times`.");
    return { metadata: { command: "generate" } };
  }
  const { includeReasoning } = services.settings();
  const startedAt = Date.now();
  const reply = await client.generate({ prompt: prompt.trim(), include_reasoning: includeReasoning }, signal);
  services.record("generate", reply, startedAt);
  if (!reply.code) {
    stream.markdown(reply.error ?? "The service returned no code for this prompt.");
    return { metadata: { command: "generate", model: reply.model } };
  }
  const parts: string[] = [];
  if (includeReasoning && reply.reasoning?.trim()) parts.push(reply.reasoning.trim());
  parts.push(fenced(reply.code).trimEnd());
  const reading = interpretationLine(reply.interpreted_as);
  if (reading) parts.push(`_${reading}_`);
  parts.push(commandLink("Insert", "bioql.insertCode", [reply.code]));
  parts.push(costFooter(reply));
  stream.markdown(answer(parts.join("\n\n")));
  return { metadata: { command: "generate", model: reply.model } };
}

async function chatFix(
  services: Services,
  client: BioqlClient,
  prompt: string,
  stream: Stream,
  signal: AbortSignal,
): Promise<BioqlChatResult> {
  const target = codeForRequest(prompt);
  if (!target) {
    stream.markdown("Select the code to fix in the editor, or paste it in a code block after `/fix`.");
    return { metadata: { command: "fix" } };
  }
  const startedAt = Date.now();
  const reply = await client.fix(target.code, signal);
  services.record("fix", reply, startedAt);
  const changes = reply.changes ?? [];
  if (changes.length === 0 && reply.code.trim() === target.code.trim()) {
    stream.markdown("Nothing to fix: the code is already valid BioQL.");
    return { metadata: { command: "fix", model: reply.model } };
  }
  const parts: string[] = [];
  if (changes.length) parts.push(changes.map((c) => `- ${c}`).join("\n"));
  parts.push(fenced(reply.code).trimEnd());
  const links = [commandLink("Insert", "bioql.insertCode", [reply.code])];
  if (target.fromEditor) {
    const id = offerFix({
      documentUri: target.fromEditor.uri,
      version: target.fromEditor.version,
      range: target.fromEditor.range,
      original: target.code,
      fixed: reply.code,
      changes,
    });
    links.push(commandLink("Review as Diff", "bioql.previewFix", [id]));
  }
  parts.push(links.join(" · "));
  parts.push(costFooter(reply));
  stream.markdown(answer(parts.join("\n\n")));
  return { metadata: { command: "fix", model: reply.model } };
}

/**
 * /explain: a question ("why does Grover need an oracle?") is answered by the model's reasoning;
 * code is explained through the descriptions of its quantum() calls, each with the reasoning the
 * model gives for the circuit it builds.
 */
async function chatExplain(
  services: Services,
  client: BioqlClient,
  prompt: string,
  stream: Stream,
  signal: AbortSignal,
): Promise<BioqlChatResult> {
  const target = codeToExplain(prompt);
  const descriptions = target ? quantumDescriptions(target.code) : [];
  if (descriptions.length === 0) {
    const question = prompt.trim();
    if (!question) {
      stream.markdown("Select BioQL code with `quantum(\"…\")` calls, or ask about a program: `@bioql /explain a Bell state`.");
      return { metadata: { command: "explain" } };
    }
    const startedAt = Date.now();
    const reply = await client.generate({ prompt: question, include_reasoning: true }, signal);
    services.record("explain", reply, startedAt);
    const parts = [reply.reasoning?.trim() || "The model gave no explanation for this."];
    if (reply.code) parts.push(fenced(reply.code).trimEnd(), commandLink("Insert", "bioql.insertCode", [reply.code]));
    parts.push(costFooter(reply));
    stream.markdown(answer(parts.join("\n\n")));
    return { metadata: { command: "explain", model: reply.model } };
  }

  const shown = descriptions.slice(0, MAX_EXPLAINED_CALLS);
  const parts: string[] = [];
  const replies: GenerateResponse[] = [];
  for (const description of shown) {
    const startedAt = Date.now();
    const reply = await client.generate({ prompt: description, include_reasoning: true }, signal);
    services.record("explain", reply, startedAt);
    replies.push(reply);
    parts.push(`**\`quantum(${JSON.stringify(description)})\`**\n\n${reply.reasoning?.trim() || "No explanation given."}`);
  }
  if (descriptions.length > shown.length) {
    parts.push(`_${descriptions.length - shown.length} more quantum() call(s) not explained; select them to ask about them._`);
  }
  // Each explained call was a billed request: the footer adds them up, as the log lists them.
  parts.push(costFooter(combined(replies)));
  stream.markdown(answer(parts.join("\n\n")));
  return { metadata: { command: "explain", model: replies.at(-1)?.model } };
}

/** What an answer's footer shows. */
interface FooterFacts {
  model?: string;
  timing?: { total_seconds: number };
  cost?: { user_cost_usd: number };
  user?: { balance: number };
}

/** Several billed answers as one footer: time and cost summed, the balance after the last. */
function combined(replies: readonly Partial<Billed>[]): FooterFacts {
  if (replies.length <= 1) return replies[0] ?? {};
  const last = replies[replies.length - 1];
  return {
    model: last.model,
    timing: replies.every((r) => r.timing) ? { total_seconds: replies.reduce((t, r) => t + r.timing!.total_seconds, 0) } : undefined,
    // Summed in nano-dollars (integers) so float noise cannot show up in the last digit.
    cost: replies.every((r) => r.cost)
      ? { user_cost_usd: replies.reduce((t, r) => t + Math.round(r.cost!.user_cost_usd * 1e9), 0) / 1e9 }
      : undefined,
    user: last.user,
  };
}

function costFooter(answer: FooterFacts): string {
  const bits = [answer.model ? `\`${answer.model}\`` : undefined];
  if (answer.timing) bits.push(`${answer.timing.total_seconds.toFixed(2)} s`);
  if (answer.cost) bits.push(usd(answer.cost.user_cost_usd));
  if (answer.user) bits.push(`balance ${usd(answer.user.balance)}`);
  return `_${bits.filter(Boolean).join(" · ")}_`;
}

/** Errors appear in the chat itself, with the button that fixes them. */
function chatError(error: unknown, command: string, stream: Stream, accountUrl: string): BioqlChatResult {
  const err = asApiError(error);
  if (err.kind === "cancelled") return { metadata: { command } };
  stream.markdown(`**BioQL:** ${err.message}\n\n`);
  if (err.kind === "unauthorized") stream.button({ command: "bioql.setApiKey", title: ACTION_SET_KEY });
  if (err.kind === "payment") {
    stream.button({ command: "vscode.open", title: ACTION_ACCOUNT, arguments: [vscode.Uri.parse(accountUrl)] });
  }
  if (err.kind === "network") {
    stream.button({ command: "workbench.action.openSettings", title: "Open Settings", arguments: ["bioql.serverUrl"] });
  }
  return { metadata: { command }, errorDetails: { message: err.message } } as BioqlChatResult;
}
