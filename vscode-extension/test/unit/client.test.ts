import { describe, expect, it } from "vitest";
import { BioqlClient } from "../../src/client";
import { connectionRefused, failure, fakeFetch, generateAnswer } from "./helpers";

const client = (routes: Parameters<typeof fakeFetch>[0], apiKey: string | null = "bioql_k") => {
  const fake = fakeFetch(routes);
  return { client: new BioqlClient({ baseUrl: "http://127.0.0.1:9/", apiKey: apiKey ?? undefined, fetch: fake.fetch }), calls: fake.calls };
};

describe("BioqlClient", () => {
  it("posts the prompt with a bearer key and an idempotency key, and returns the answer", async () => {
    const { client: c, calls } = client({ "POST /v1/generate": () => ({ json: generateAnswer() }) });
    const answer = await c.generate({ prompt: "Create a Bell state", include_reasoning: true });
    expect(answer.code).toContain("quantum(");
    expect(calls[0].path).toBe("/v1/generate");
    expect(calls[0].headers.Authorization).toBe("Bearer bioql_k");
    expect(calls[0].headers["Idempotency-Key"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(calls[0].body).toEqual({ prompt: "Create a Bell state", include_reasoning: true });
  });

  it("reuses a caller's idempotency key so a retry is charged once", async () => {
    const { client: c, calls } = client({ "POST /v1/fix": () => ({ json: { code: "x", changes: [] } }) });
    await c.fix("x", undefined, "same-key");
    await c.fix("x", undefined, "same-key");
    expect(calls.map((k) => k.headers["Idempotency-Key"])).toEqual(["same-key", "same-key"]);
  });

  it("fails without a request when no key is set, pointing at the Set API Key command", async () => {
    const { client: c, calls } = client({}, null);
    const err = await failure(c.account());
    expect(err.kind).toBe("unauthorized");
    expect(err.message).toContain("Set API Key");
    expect(calls).toHaveLength(0);
  });

  it.each([
    [401, { detail: "The API key is revoked." }, "unauthorized", "The API key is revoked."],
    [402, { error: "Balance $0.0001 is below the $0.01 this request may cost." }, "payment", "Balance $0.0001"],
    [413, { detail: "The prompt has 5000 characters; the limit is 4000." }, "bad_input", "limit is 4000"],
    [422, { detail: [{ loc: ["body", "prompt"], msg: "Field required" }] }, "bad_input", "Field required"],
    [500, {}, "server", "HTTP 500"],
  ])("maps HTTP %i to a %s error carrying the server's sentence", async (status, json, kind, text) => {
    const { client: c } = client({ "POST /v1/generate": () => ({ status, json }) });
    const err = await failure(c.generate({ prompt: "p", include_reasoning: false }));
    expect(err.kind).toBe(kind);
    expect(err.status).toBe(status);
    expect(err.message).toContain(text);
  });

  it("reads Retry-After on 429", async () => {
    const { client: c } = client({
      "GET /v1/account": () => ({ status: 429, json: { detail: "Rate limit: 60 requests a minute." }, headers: { "Retry-After": "7" } }),
    });
    const err = await failure(c.account());
    expect(err.kind).toBe("rate_limited");
    expect(err.retryAfterSeconds).toBe(7);
    expect(err.message).toBe("Rate limit: 60 requests a minute. Try again in 7 s.");
  });

  it("429 from bioql serve, whose sentence gives the wait already, says the wait once", async () => {
    const detail = "Too many requests for this API key (limit 12 per minute); retry in 4.7 s.";
    const { client: c } = client({ "GET /v1/account": () => ({ status: 429, json: { detail }, headers: { "Retry-After": "5" } }) });
    const err = await failure(c.account());
    expect(err.retryAfterSeconds).toBe(5);
    expect(err.message).toBe(detail);
  });

  it("429 without a sentence still gives the wait", async () => {
    const { client: c } = client({ "GET /v1/account": () => ({ status: 429, headers: { "Retry-After": "3" } }) });
    const err = await failure(c.account());
    expect(err.message).toBe("Too many requests to the BioQL server. Try again in 3 s.");
  });

  it("names the server URL when nothing answers", async () => {
    const { client: c } = client({ "GET /v1/account": connectionRefused });
    const err = await failure(c.account());
    expect(err.kind).toBe("network");
    expect(err.message).toContain("http://127.0.0.1:9");
    expect(err.message).toContain("ECONNREFUSED");
  });

  it("reports a cancelled request as cancelled, not as a network failure", async () => {
    const { client: c } = client({ "POST /v1/complete": () => new Promise(() => {}) });
    const controller = new AbortController();
    const pending = c.complete({ prefix: "from bioql import ", suffix: "" }, controller.signal);
    controller.abort();
    expect((await failure(pending)).kind).toBe("cancelled");
  });

  it("gives up on a server that never answers after the timeout", async () => {
    const fake = fakeFetch({ "GET /v1/account": () => new Promise(() => {}) });
    const c = new BioqlClient({ baseUrl: "http://127.0.0.1:9", apiKey: "k", fetch: fake.fetch, timeoutMs: 20 });
    const err = await failure(c.account());
    expect(err.kind).toBe("network");
    expect(err.message).toContain("did not answer within");
  });
});
