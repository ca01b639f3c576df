import { beforeEach, describe, expect, it } from "vitest";
import type * as vs from "vscode";
import { MAX_EXPLAINED_CALLS, createChatHandler } from "../../src/chat";
import { FixPreview } from "../../src/commands/fix";
import { registerCommands } from "../../src/commands/index";
import * as vscode from "../mocks/vscode";
import { flush, generateAnswer, makeServices, type Harness } from "./helpers";

beforeEach(() => vscode.resetVscodeMock());

/**
 * Records what the participant streams, in order. Its actions are buttons or command links in
 * Markdown; a link counts only when the Markdown is trusted to run that command (VS Code
 * ignores it otherwise).
 */
class Stream {
  readonly parts: Array<{ kind: "markdown" | "button"; value: any }> = [];
  markdown(value: string | vscode.MarkdownString) {
    this.parts.push({ kind: "markdown", value });
  }
  button(value: vs.Command) {
    this.parts.push({ kind: "button", value });
  }
  get text(): string {
    return this.parts
      .filter((p) => p.kind === "markdown")
      .map((p) => (typeof p.value === "string" ? p.value : p.value.value))
      .join("");
  }
  get buttons(): vs.Command[] {
    const found: vs.Command[] = [];
    for (const part of this.parts) {
      if (part.kind === "button") found.push(part.value);
      if (part.kind !== "markdown" || typeof part.value === "string") continue;
      const trusted: string[] = part.value.isTrusted?.enabledCommands ?? [];
      for (const m of String(part.value.value).matchAll(/\[([^\]]+)\]\(command:([\w.]+)\?([^)]*)\)/g)) {
        if (trusted.includes(m[2])) found.push({ title: m[1], command: m[2], arguments: JSON.parse(decodeURIComponent(m[3])) });
      }
    }
    return found;
  }
}

async function ask(h: Harness, prompt: string, command?: string, token = new vscode.CancellationTokenSource().token) {
  const stream = new Stream();
  const handler = createChatHandler(h.services);
  const result = await handler({ prompt, command } as vs.ChatRequest, {} as vs.ChatContext, stream as unknown as vs.ChatResponseStream, token as vs.CancellationToken);
  return { stream, result: result as vs.ChatResult };
}

describe("@bioql chat participant", () => {
  it("/generate streams the reasoning, the code block, an Insert button and the cost", async () => {
    const h = await makeServices({ "POST /v1/generate": () => ({ json: generateAnswer() }) });
    const { stream, result } = await ask(h, "a Bell state", "generate");

    // One Markdown part: VS Code folds the parts before the last Markdown of a finished answer.
    expect(stream.parts.map((p) => p.kind)).toEqual(["markdown"]);
    expect(stream.text).toContain("A Bell state needs a Hadamard");
    expect(stream.text).toContain('```python\nfrom bioql import quantum\n\nresult = quantum("Create a Bell state", shots=1024)\nprint(result)\n```');
    expect(stream.text).toContain("`bioql-coder-test` · 1.25 s · $0.000514 · balance $9.999486");
    expect(stream.buttons).toEqual([{ command: "bioql.insertCode", title: "Insert", arguments: [generateAnswer().code] }]);
    expect(result.metadata).toEqual({ command: "generate", model: "bioql-coder-test" });
    expect(h.channel.lines[0]).toContain("generate  model=bioql-coder-test");
  });

  it("/generate shows how the service read the request, and logs it", async () => {
    const reading = ["Create a Bell state on 2 qubits, measured 1024 times"];
    const h = await makeServices({ "POST /v1/generate": () => ({ json: generateAnswer({ interpreted_as: reading }) }) });
    const { stream } = await ask(h, "a Bell state", "generate");
    expect(stream.text).toContain("_Interpreted as: Create a Bell state on 2 qubits, measured 1024 times_");
    expect(h.channel.lines[1]).toContain("Interpreted as: Create a Bell state on 2 qubits, measured 1024 times");
  });

  it("a message without a slash command generates", async () => {
    const h = await makeServices({ "POST /v1/generate": () => ({ json: generateAnswer() }) });
    await ask(h, "a GHZ state on 3 qubits");
    expect(h.calls[0].path).toBe("/v1/generate");
    expect(h.calls[0].body.prompt).toBe("a GHZ state on 3 qubits");
  });

  it("the Insert button puts the code at the editor's cursor", async () => {
    const h = await makeServices({ "POST /v1/generate": () => ({ json: generateAnswer() }) });
    registerCommands(h.services, new FixPreview());
    const editor = vscode.openEditor("# top\n|");
    const { stream } = await ask(h, "a Bell state", "generate");

    const insert = stream.buttons[0];
    await vscode.commands.executeCommand(insert.command, ...(insert.arguments ?? []));

    expect(editor.document.text).toBe("# top\n" + generateAnswer().code + "\n");
  });

  it("Insert after code on the cursor's line starts a new line and skips an import the file has", async () => {
    const h = await makeServices({ "POST /v1/generate": () => ({ json: generateAnswer() }) });
    registerCommands(h.services, new FixPreview());
    const editor = vscode.openEditor("from bioql import quantum\n\nprint('hello')|");
    const { stream } = await ask(h, "a Bell state", "generate");

    const insert = stream.buttons[0];
    await vscode.commands.executeCommand(insert.command, ...(insert.arguments ?? []));

    expect(editor.document.text).toBe(
      "from bioql import quantum\n\nprint('hello')\n" + 'result = quantum("Create a Bell state", shots=1024)\nprint(result)',
    );
  });

  it("an empty /generate explains how to ask, without a request", async () => {
    const h = await makeServices({});
    const { stream } = await ask(h, "  ", "generate");
    expect(stream.text).toContain("@bioql /generate");
    expect(h.calls).toHaveLength(0);
  });

  it("/fix repairs the editor's selection, lists the changes and offers Insert and Review as Diff", async () => {
    const broken = 'r = quantum("Create a Bell state", shot=10)';
    const fixed = 'r = quantum("Create a Bell state", shots=10)';
    const h = await makeServices({ "POST /v1/fix": () => ({ json: { code: fixed, changes: ["shot= is spelled shots=."], model: "fixer" } }) });
    const preview = new FixPreview();
    registerCommands(h.services, preview);
    const editor = vscode.openEditor(`import x\n${broken}\n`);
    editor.selection = new vscode.Selection(new vscode.Position(1, 0), new vscode.Position(1, broken.length));

    const { stream } = await ask(h, "", "fix");

    expect(h.calls[0].body).toEqual({ code: broken });
    expect(stream.text).toContain("- shot= is spelled shots=.");
    expect(stream.text).toContain("```python\n" + fixed + "\n```");
    expect(stream.buttons.map((b) => b.title)).toEqual(["Insert", "Review as Diff"]);

    // Review as Diff opens the same diff flow as Fix Code, and applying replaces the selection only.
    vscode.window.showInformationMessage.mockResolvedValueOnce("Apply Fix");
    const review = stream.buttons[1];
    await vscode.commands.executeCommand(review.command, ...(review.arguments ?? []));
    expect(editor.document.text).toBe(`import x\n${fixed}\n`);
  });

  it("/fix takes a pasted code block over the editor", async () => {
    const h = await makeServices({ "POST /v1/fix": () => ({ json: { code: "fixed()", changes: ["c"] } }) });
    vscode.openEditor("unrelated = 1");
    const { stream } = await ask(h, "please fix\n```python\nquantum('Bell', shot=1)\n```", "fix");
    expect(h.calls[0].body).toEqual({ code: "quantum('Bell', shot=1)" });
    expect(stream.buttons.map((b) => b.title)).toEqual(["Insert"]);
  });

  it("/fix with nothing to fix says so", async () => {
    const h = await makeServices({ "POST /v1/fix": () => ({ json: { code: "quantum('Bell')", changes: [] } }) });
    const { stream } = await ask(h, "```\nquantum('Bell')\n```", "fix");
    expect(stream.text).toContain("Nothing to fix");
    expect(stream.buttons).toEqual([]);
  });

  it("/explain explains each quantum() call in the selection through the model's reasoning", async () => {
    const h = await makeServices({
      "POST /v1/generate": (call) => ({ json: generateAnswer({ reasoning: `Reasoning for ${call.body.prompt}.` }) }),
    });
    vscode.openEditor('a = quantum("Create a Bell state")\nb = quantum("QFT on 3 qubits")\n');

    const { stream } = await ask(h, "", "explain");

    expect(h.calls.map((c) => c.body)).toEqual([
      { prompt: "Create a Bell state", include_reasoning: true },
      { prompt: "QFT on 3 qubits", include_reasoning: true },
    ]);
    expect(stream.text).toContain('**`quantum("Create a Bell state")`**\n\nReasoning for Create a Bell state.');
    expect(stream.text).toContain('**`quantum("QFT on 3 qubits")`**\n\nReasoning for QFT on 3 qubits.');
  });

  it("/explain of code ends with the requests' summed cost and the balance after the last", async () => {
    let n = 0;
    const h = await makeServices({
      "POST /v1/generate": () => {
        n += 1;
        const cost = { base_cost_usd: 0, user_cost_usd: n === 1 ? 0.000000428 : 0.000000214, profit_usd: 0, markup_percent: 40, margin_percent: 0 };
        return { json: generateAnswer({ cost, timing: { total_seconds: 0.5, generation_seconds: 0.4 }, user: { email: "a@b", balance: n === 1 ? 9.999999572 : 9.999999358 } }) };
      },
    });
    vscode.openEditor('a = quantum("Create a Bell state")\nb = quantum("QFT on 3 qubits")\n');
    const { stream } = await ask(h, "", "explain");
    expect(stream.text).toMatch(/_`bioql-coder-test` · 1\.00 s · \$0\.000000642 · balance \$9\.999999358_$/);
    expect(h.status.text).toContain("$9.999999358");
  });

  it("/explain with a question and nothing selected answers the question, not the open file", async () => {
    const h = await makeServices({ "POST /v1/generate": () => ({ json: generateAnswer() }) });
    vscode.openEditor('a = quantum("QFT on 3 qubits")\n|');
    const { stream } = await ask(h, "what is a Bell state?", "explain");
    expect(h.calls.map((c) => c.body.prompt)).toEqual(["what is a Bell state?"]);
    expect(stream.text).toContain("A Bell state needs");
  });

  it("/explain with a question and a selection explains the selected calls", async () => {
    const h = await makeServices({ "POST /v1/generate": () => ({ json: generateAnswer() }) });
    const code = 'a = quantum("QFT on 3 qubits")';
    const editor = vscode.openEditor(`b = quantum("Create a Bell state")\n${code}\n`);
    editor.selection = new vscode.Selection(new vscode.Position(1, 0), new vscode.Position(1, code.length));
    await ask(h, "what does this do?", "explain");
    expect(h.calls.map((c) => c.body.prompt)).toEqual(["QFT on 3 qubits"]);
  });

  it(`/explain stops after ${MAX_EXPLAINED_CALLS} calls (each is billed) and says how many were left`, async () => {
    const h = await makeServices({ "POST /v1/generate": () => ({ json: generateAnswer() }) });
    vscode.openEditor(["one", "two", "three", "four", "five"].map((d) => `quantum("${d}")`).join("\n"));
    const { stream } = await ask(h, "", "explain");
    expect(h.calls).toHaveLength(MAX_EXPLAINED_CALLS);
    expect(stream.text).toContain("2 more quantum() call(s) not explained");
  });

  it("/explain of a question answers with the reasoning and the example code", async () => {
    const h = await makeServices({ "POST /v1/generate": () => ({ json: generateAnswer() }) });
    const { stream } = await ask(h, "what is a Bell state?", "explain");
    expect(h.calls[0].body).toEqual({ prompt: "what is a Bell state?", include_reasoning: true });
    expect(stream.text.indexOf("A Bell state needs")).toBeLessThan(stream.text.indexOf("```python"));
    expect(stream.buttons[0].title).toBe("Insert");
  });

  it("401 in chat → the message and a Set API Key button, reported as an error result", async () => {
    const h = await makeServices({ "POST /v1/generate": () => ({ status: 401, json: { detail: "Unknown API key." } }) });
    const { stream, result } = await ask(h, "a Bell state");
    expect(stream.text).toContain("Unknown API key.");
    expect(stream.buttons).toEqual([{ command: "bioql.setApiKey", title: "Set API Key" }]);
    expect(result.errorDetails?.message).toBe("Unknown API key.");
    expect(vscode.window.showErrorMessage).not.toHaveBeenCalled();
  });

  it("402 in chat → an Open Account Page button", async () => {
    const h = await makeServices({ "POST /v1/generate": () => ({ status: 402, json: { detail: "Balance too low." } }) });
    const { stream } = await ask(h, "a Bell state");
    expect(stream.buttons[0].title).toBe("Open Account Page");
    expect(String(stream.buttons[0].arguments?.[0])).toBe("http://127.0.0.1:8000/");
  });

  it("cancelling the chat request aborts the HTTP call and streams no error", async () => {
    const h = await makeServices({ "POST /v1/generate": () => new Promise(() => {}) });
    const source = new vscode.CancellationTokenSource();
    const pending = ask(h, "a Bell state", "generate", source.token);
    await flush();
    source.cancel();
    const { stream, result } = await pending;
    expect(h.calls[0].signal?.aborted).toBe(true);
    expect(stream.text).toBe("");
    expect(result.errorDetails).toBeUndefined();
  });
});
