import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type * as vs from "vscode";
import { BioqlInlineCompletionProvider, PREFIX_CHARS, SUFFIX_CHARS } from "../../src/completion";
import * as vscode from "../mocks/vscode";
import { connectionRefused, makeServices, type Harness, type Route } from "./helpers";

beforeEach(() => {
  vscode.resetVscodeMock();
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

const completeJson = (insertion: string) => ({
  insertion, model: "bioql-coder", timing: { total_seconds: 0.05, generation_seconds: 0.04 }, cost: { base_cost_usd: 0.00001, user_cost_usd: 0.000014, profit_usd: 0.000004, markup_percent: 40, margin_percent: 28.57 }, user: { email: "a@b.c", balance: 1.5 },
});
const completeOk: Route = () => ({ json: completeJson('quantum("Create a Bell state")') });

function setup(h: Harness, text = "from bioql import quantum\nresult = |\nprint(result)\n") {
  const editor = vscode.openEditor(text);
  const provider = new BioqlInlineCompletionProvider(h.services, { failures: 3, cooldownMs: 60_000 });
  const request = (source = new vscode.CancellationTokenSource()) =>
    provider.provideInlineCompletionItems(
      editor.document as unknown as vs.TextDocument,
      editor.selection.active as unknown as vs.Position,
      {} as vs.InlineCompletionContext,
      source.token as unknown as vs.CancellationToken,
    );
  return { editor, provider, request };
}

/** Runs a request to completion while advancing fake time past the debounce. */
async function settle<T>(promise: Promise<T>): Promise<T> {
  await vi.advanceTimersByTimeAsync(1_000);
  return promise;
}

describe("inline completions", () => {
  it("asks /v1/complete with the text around the cursor and offers the insertion at the cursor", async () => {
    const h = await makeServices({ "POST /v1/complete": completeOk });
    const { editor, request } = setup(h);

    const items = await settle(request());

    expect(h.calls[0].body).toEqual({ prefix: "from bioql import quantum\nresult = ", suffix: "\nprint(result)\n" });
    expect(items).toHaveLength(1);
    expect(items![0].insertText).toBe('quantum("Create a Bell state")');
    expect(items![0].range?.start).toEqual(editor.selection.active);
    expect(h.channel.lines[0]).toContain("complete  model=bioql-coder");
    expect(h.status.text).toBe("$(beaker) BioQL $1.50");
  });

  it("offers the insertion without its trailing newlines (VS Code drops such an item on an empty line)", async () => {
    const h = await makeServices({
      "POST /v1/complete": () => ({ json: completeJson('result = quantum("Create a Bell state")\n\n') }),
    });
    const { request } = setup(h, "from bioql import quantum\n|\n");
    const items = await settle(request());
    expect(items).toHaveLength(1);
    expect(items![0].insertText).toBe('result = quantum("Create a Bell state")');
  });

  it("offers nothing when the insertion is only whitespace", async () => {
    const h = await makeServices({ "POST /v1/complete": () => ({ json: completeJson("\n  \n") }) });
    const { request } = setup(h);
    expect(await settle(request())).toBeUndefined();
    expect(h.calls).toHaveLength(1);
  });

  it("sends at most the last 4000 characters before and 1000 after the cursor", async () => {
    const h = await makeServices({ "POST /v1/complete": completeOk });
    const { request } = setup(h, "a".repeat(5000) + "|" + "b".repeat(3000));
    await settle(request());
    expect(h.calls[0].body.prefix).toBe("a".repeat(PREFIX_CHARS));
    expect(h.calls[0].body.suffix).toBe("b".repeat(SUFFIX_CHARS));
  });

  it("waits for a pause in typing: keystrokes inside the debounce window send one request", async () => {
    const h = await makeServices({ "POST /v1/complete": completeOk });
    const { request } = setup(h);

    const first = new vscode.CancellationTokenSource();
    const typed = request(first);
    await vi.advanceTimersByTimeAsync(100);
    first.cancel(); // VS Code cancels the previous request on the next keystroke
    const second = settle(request());

    expect(await typed).toBeUndefined();
    expect(await second).toHaveLength(1);
    expect(h.calls).toHaveLength(1);
  });

  it("aborts the HTTP request when VS Code cancels, silently", async () => {
    const h = await makeServices({ "POST /v1/complete": () => new Promise(() => {}) });
    const { request } = setup(h);
    const source = new vscode.CancellationTokenSource();
    const pending = request(source);
    await vi.advanceTimersByTimeAsync(400);
    expect(h.calls).toHaveLength(1);
    source.cancel();
    expect(await pending).toBeUndefined();
    expect(h.calls[0].signal?.aborted).toBe(true);
    expect(h.channel.lines).toEqual([]);
  });

  it("is silent on errors: no notification, one line in the Output channel", async () => {
    const h = await makeServices({ "POST /v1/complete": () => ({ status: 500, json: { detail: "model crashed" } }) });
    const { request } = setup(h);
    expect(await settle(request())).toBeUndefined();
    expect(vscode.window.showErrorMessage).not.toHaveBeenCalled();
    expect(vscode.window.showWarningMessage).not.toHaveBeenCalled();
    expect(h.channel.lines.at(-1)).toContain("complete failed: model crashed");
  });

  it("opens the circuit after 3 failures in a row, then tries again after the cooldown", async () => {
    let down = true;
    const h = await makeServices({ "POST /v1/complete": (call) => (down ? connectionRefused() : completeOk(call)) });
    const { provider, request } = setup(h);

    for (let i = 0; i < 3; i++) expect(await settle(request())).toBeUndefined();
    expect(h.calls).toHaveLength(3);
    expect(provider.circuitOpen).toBe(true);
    expect(h.channel.lines.some((l) => l.includes("inline completions paused for 60 s after 3 failures"))).toBe(true);

    // While open, typing sends nothing.
    for (let i = 0; i < 5; i++) await settle(request());
    expect(h.calls).toHaveLength(3);

    // After the cooldown one trial request goes out; success closes the circuit.
    down = false;
    vi.advanceTimersByTime(61_000);
    expect(await settle(request())).toHaveLength(1);
    expect(h.calls).toHaveLength(4);
    expect(provider.circuitOpen).toBe(false);
    expect(h.channel.lines.some((l) => l.includes("inline completions resumed"))).toBe(true);
  });

  it("a success in between resets the failure count", async () => {
    let fail = true;
    const h = await makeServices({ "POST /v1/complete": (call) => (fail ? connectionRefused() : completeOk(call)) });
    const { provider, request } = setup(h);
    await settle(request());
    await settle(request());
    fail = false;
    await settle(request());
    fail = true;
    await settle(request());
    await settle(request());
    expect(provider.circuitOpen).toBe(false);
  });

  it("reset() (new key or server) closes an open circuit", async () => {
    const h = await makeServices({ "POST /v1/complete": connectionRefused });
    const { provider, request } = setup(h);
    for (let i = 0; i < 3; i++) await settle(request());
    expect(provider.circuitOpen).toBe(true);
    provider.reset();
    expect(provider.circuitOpen).toBe(false);
  });

  it("does nothing when disabled in settings, without a key, or on a blank line at the top", async () => {
    vscode.setSetting("bioql.inlineCompletions.enabled", false);
    const h = await makeServices({ "POST /v1/complete": completeOk });
    expect(await settle(setup(h).request())).toBeUndefined();

    vscode.resetVscodeMock();
    const noKey = await makeServices({ "POST /v1/complete": completeOk }, null);
    expect(await settle(setup(noKey).request())).toBeUndefined();

    vscode.resetVscodeMock();
    const blank = await makeServices({ "POST /v1/complete": completeOk });
    expect(await settle(setup(blank, "  |").request())).toBeUndefined();

    expect(h.calls.length + noKey.calls.length + blank.calls.length).toBe(0);
  });

  it("an empty insertion offers nothing", async () => {
    const h = await makeServices({ "POST /v1/complete": () => ({ json: { insertion: "", model: "m", timing: { total_seconds: 0, generation_seconds: 0 } } }) });
    expect(await settle(setup(h).request())).toBeUndefined();
  });
});
