import * as vscode from "vscode";
import type { GenerateResponse } from "./client";
import { fenced, interpretationLine } from "./format";
import { asApiError } from "./notify";
import type { Services } from "./services";

/** Must match `contributes.languageModelChatProviders[].vendor` in package.json. */
export const VENDOR = "bioql";
export const MODEL_ID = "bioql-assistant";
/** The service refuses prompts longer than this many characters (bioql serve's default). */
export const MAX_PROMPT_CHARS = 4000;

/** The model as it appears in the chat view's model picker. */
export function modelInformation(serverUrl: string): vscode.LanguageModelChatInformation {
  return {
    id: MODEL_ID,
    name: "BioQL",
    family: "bioql",
    version: "1",
    detail: "BioQL service",
    tooltip: `Writes BioQL quantum programs through the BioQL service at ${serverUrl}. Each answer is a billed request.`,
    // A request is one prompt of at most 4000 characters; ~4 characters a token.
    maxInputTokens: Math.ceil(MAX_PROMPT_CHARS / 4),
    maxOutputTokens: 2048,
    // VS Code 1.139 without Copilot offers only its Agent mode, whose model picker lists only
    // models that accept tools (anything else leaves just a Copilot sign-in). BioQL accepts the
    // tools VS Code sends and never calls one: every answer is text.
    capabilities: { imageInput: false, toolCalling: true },
  };
}

function textOf(message: vscode.LanguageModelChatRequestMessage): string {
  return message.content
    .map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : ""))
    .join("")
    .trim();
}

/**
 * The request to send to the service: the text of the last user message. The service answers
 * one prompt at a time, so earlier turns and system instructions are not sent; text parts only.
 */
export function promptFrom(messages: readonly vscode.LanguageModelChatRequestMessage[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].role !== vscode.LanguageModelChatMessageRole.User) continue;
    const text = textOf(messages[i]);
    if (text) return text;
  }
  return undefined;
}

/** The answer as chat Markdown: reasoning, the code, how the request was read, or the refusal. */
export function answerMarkdown(answer: GenerateResponse, includeReasoning: boolean): string {
  if (!answer.code) return answer.error ?? "The BioQL service returned no code for this request.";
  const parts: string[] = [];
  if (includeReasoning && answer.reasoning?.trim()) parts.push(answer.reasoning.trim());
  parts.push(fenced(answer.code).trimEnd());
  const reading = interpretationLine(answer.interpreted_as);
  if (reading) parts.push(`_${reading}_`);
  return parts.join("\n\n") + "\n";
}

/**
 * BioQL as a language model of VS Code's chat (`vscode.lm`), so chat works with no other AI
 * extension: it appears as "BioQL" in the model picker, `@bioql` can run with it selected, and
 * plain chat with it selected writes BioQL programs through POST /v1/generate.
 */
export class BioqlChatModelProvider implements vscode.LanguageModelChatProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;

  constructor(private readonly services: Services) {}

  /** The server URL is in the model's tooltip; call when it changes. */
  refresh(): void {
    this.changed.fire();
  }

  provideLanguageModelChatInformation(): vscode.LanguageModelChatInformation[] {
    return [modelInformation(this.services.settings().serverUrl)];
  }

  async provideLanguageModelChatResponse(
    _model: vscode.LanguageModelChatInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    _options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const prompt = promptFrom(messages);
    if (!prompt) {
      progress.report(new vscode.LanguageModelTextPart("Describe a quantum program, for example “a 3-qubit GHZ state measured 2000 times”."));
      return;
    }
    if (prompt.length > MAX_PROMPT_CHARS) {
      throw new Error(`BioQL: the request is ${prompt.length} characters long; the service accepts at most ${MAX_PROMPT_CHARS}.`);
    }
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    const { includeReasoning } = this.services.settings();
    const startedAt = Date.now();
    try {
      const client = await this.services.client();
      const answer = await client.generate({ prompt, include_reasoning: includeReasoning }, controller.signal);
      this.services.record("chat", answer, startedAt);
      progress.report(new vscode.LanguageModelTextPart(answerMarkdown(answer, includeReasoning)));
    } catch (error) {
      const err = asApiError(error);
      if (err.kind === "cancelled") return;
      this.services.log.info(`chat failed: ${err.message}`);
      // VS Code shows the message of a thrown error in the chat response.
      throw new Error(`BioQL: ${err.message}`);
    } finally {
      subscription.dispose();
    }
  }

  async provideTokenCount(_model: vscode.LanguageModelChatInformation, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    const value = typeof text === "string" ? text : textOf(text);
    return Math.ceil(value.length / 4);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
