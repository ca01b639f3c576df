import { beforeEach, describe, expect, it } from "vitest";
import type * as vs from "vscode";
import { BioqlChatModelProvider, MAX_PROMPT_CHARS, promptFrom } from "../../src/languageModel";
import * as vscode from "../mocks/vscode";
import { generateAnswer, makeServices, type Harness } from "./helpers";

beforeEach(() => vscode.resetVscodeMock());

function message(role: vscode.LanguageModelChatMessageRole, ...parts: unknown[]): vs.LanguageModelChatRequestMessage {
  return { role, content: parts, name: undefined } as unknown as vs.LanguageModelChatRequestMessage;
}
const user = (text: string) => message(vscode.LanguageModelChatMessageRole.User, new vscode.LanguageModelTextPart(text));
const assistant = (text: string) => message(vscode.LanguageModelChatMessageRole.Assistant, new vscode.LanguageModelTextPart(text));

/** Runs one chat request through the provider and returns the text it reported. */
async function respond(h: Harness, messages: vs.LanguageModelChatRequestMessage[], token = new vscode.CancellationTokenSource().token) {
  const provider = new BioqlChatModelProvider(h.services);
  const [model] = provider.provideLanguageModelChatInformation();
  const reported: string[] = [];
  const progress = { report: (part: vscode.LanguageModelTextPart) => reported.push(part.value) };
  await provider.provideLanguageModelChatResponse(model, messages, {} as vs.ProvideLanguageModelChatResponseOptions, progress as never, token as vs.CancellationToken);
  return reported.join("");
}

describe("BioQL as a chat model", () => {
  it("offers one model named BioQL, whose tooltip names the server it calls", async () => {
    vscode.setSetting("bioql.serverUrl", "http://127.0.0.1:9123");
    const h = await makeServices();
    const models = new BioqlChatModelProvider(h.services).provideLanguageModelChatInformation();
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({ id: "bioql-assistant", name: "BioQL", family: "bioql", capabilities: { toolCalling: true } });
    expect(models[0].tooltip).toContain("http://127.0.0.1:9123");
  });

  it("sends the last user message to /v1/generate and answers with the code and how the request was read", async () => {
    const answer = generateAnswer({ interpreted_as: ["Create a Bell state on 2 qubits, measured 1024 times"] });
    const h = await makeServices({ "POST /v1/generate": () => ({ json: answer }) });

    const text = await respond(h, [user("a GHZ state"), assistant("…"), user("  a Bell state  ")]);

    expect(h.calls.map((c) => c.body)).toEqual([{ prompt: "a Bell state", include_reasoning: true }]);
    expect(text).toContain("A Bell state needs a Hadamard");
    expect(text).toContain("```python\n" + answer.code + "\n```");
    expect(text).toContain("_Interpreted as: Create a Bell state on 2 qubits, measured 1024 times_");
    expect(h.channel.lines[0]).toContain("chat      model=bioql-coder-test");
    expect(h.channel.lines[1]).toContain("Interpreted as: Create a Bell state on 2 qubits, measured 1024 times");
    expect(h.status.text).toBe("$(beaker) BioQL $9.999486");
  });

  it("answers a refusal with the service's sentence, not with code", async () => {
    const refusal = "“paint it blue” is not something BioQL can do; try “Create a Bell state”.";
    const h = await makeServices({ "POST /v1/generate": () => ({ json: generateAnswer({ code: null, error: refusal }) }) });
    expect(await respond(h, [user("a Bell state and paint it blue")])).toBe(refusal);
  });

  it("reads text parts only and asks for a description when there is none, without a request", async () => {
    const h = await makeServices({});
    const image = new vscode.LanguageModelDataPart(new Uint8Array([1]), "image/png");
    expect(promptFrom([message(vscode.LanguageModelChatMessageRole.User, image)])).toBeUndefined();
    expect(await respond(h, [message(vscode.LanguageModelChatMessageRole.User, image)])).toContain("Describe a quantum program");
    expect(h.calls).toHaveLength(0);
  });

  it("fails with the service's reason, e.g. a rejected key, so chat shows it", async () => {
    const h = await makeServices({ "POST /v1/generate": () => ({ status: 401, json: { detail: "This API key was revoked." } }) });
    await expect(respond(h, [user("a Bell state")])).rejects.toThrow("BioQL: This API key was revoked.");
    expect(h.channel.lines.at(-1)).toContain("chat failed: This API key was revoked.");
  });

  it("refuses a prompt longer than the service accepts before sending it", async () => {
    const h = await makeServices({});
    await expect(respond(h, [user("x".repeat(MAX_PROMPT_CHARS + 1))])).rejects.toThrow(`at most ${MAX_PROMPT_CHARS}`);
    expect(h.calls).toHaveLength(0);
  });

  it("aborts the request when chat cancels, and reports nothing", async () => {
    const h = await makeServices({ "POST /v1/generate": () => new Promise(() => {}) });
    const source = new vscode.CancellationTokenSource();
    const pending = respond(h, [user("a Bell state")], source.token);
    await new Promise((r) => setTimeout(r, 10));
    source.cancel();
    expect(await pending).toBe("");
    expect(h.calls[0].signal?.aborted).toBe(true);
  });
});
