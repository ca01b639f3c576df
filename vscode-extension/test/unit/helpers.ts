import { expect } from "vitest";
import * as vscode from "vscode";
import { BalanceStatus } from "../../src/balance";
import { BioqlApiError, type GenerateResponse } from "../../src/client";
import { CostLog } from "../../src/costLog";
import { ApiKeyStore } from "../../src/secrets";
import { Services } from "../../src/services";
import { FakeOutputChannel, FakeSecretStorage, FakeStatusBarItem } from "../mocks/vscode";

export interface Reply {
  status?: number;
  json?: unknown;
  headers?: Record<string, string>;
}

export interface Call {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: any;
  signal?: AbortSignal;
}

export type Route = (call: Call) => Reply | Promise<Reply>;

/**
 * A fetch that answers like the BioQL service from per-route handlers and records every call.
 * A handler may throw (a network failure) or never resolve until aborted (a slow server).
 */
export function fakeFetch(routes: Record<string, Route>) {
  const calls: Call[] = [];
  const fetchImpl = (async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const method = (init.method ?? "GET").toUpperCase();
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>));
    const call: Call = { method, path: url.pathname, headers, body: init.body ? JSON.parse(String(init.body)) : undefined, signal: init.signal ?? undefined };
    calls.push(call);
    const route = routes[`${method} ${url.pathname}`];
    if (!route) return new Response(JSON.stringify({ detail: "Not Found" }), { status: 404 });
    const reply = await Promise.race([
      Promise.resolve(route(call)),
      new Promise<never>((_, reject) => {
        if (call.signal?.aborted) reject(new DOMException("aborted", "AbortError"));
        call.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      }),
    ]);
    return new Response(JSON.stringify(reply.json ?? {}), {
      status: reply.status ?? 200,
      headers: { "content-type": "application/json", ...(reply.headers ?? {}) },
    });
  }) as typeof fetch;
  return { fetch: fetchImpl, calls };
}

/** A connection refused, as undici reports it. */
export function connectionRefused(): never {
  throw Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
}

export function generateAnswer(overrides: Partial<GenerateResponse> = {}): GenerateResponse {
  return {
    code: 'from bioql import quantum\n\nresult = quantum("Create a Bell state", shots=1024)\nprint(result)',
    reasoning: "A Bell state needs a Hadamard on qubit 0 and then a CNOT from qubit 0 to qubit 1.",
    model: "bioql-coder-test",
    timing: { total_seconds: 1.25, generation_seconds: 1.2 },
    cost: { base_cost_usd: 0.000367, user_cost_usd: 0.000514, profit_usd: 0.000147, markup_percent: 40, margin_percent: 28.57 },
    user: { email: "ada@example.org", balance: 9.999486 },
    ...overrides,
  };
}

export interface Harness {
  services: Services;
  secrets: FakeSecretStorage;
  channel: FakeOutputChannel;
  status: FakeStatusBarItem;
  calls: Call[];
}

export async function makeServices(routes: Record<string, Route> = {}, apiKey: string | null = "bioql_testkey"): Promise<Harness> {
  const secrets = new FakeSecretStorage();
  if (apiKey) await secrets.store("bioql.apiKey", apiKey);
  const channel = new FakeOutputChannel("BioQL");
  const status = new FakeStatusBarItem();
  const { fetch, calls } = fakeFetch(routes);
  const services = new Services(
    new ApiKeyStore(secrets as unknown as vscode.SecretStorage),
    new CostLog(channel),
    new BalanceStatus(status as unknown as vscode.StatusBarItem),
    undefined,
    fetch,
  );
  return { services, secrets, channel, status, calls };
}

/** Lets pending promise callbacks run. */
export const flush = () => new Promise((resolve) => setImmediate(resolve));

/** The BioqlApiError a request rejects with (fails the test if it resolves or throws anything else). */
export async function failure(promise: Promise<unknown>): Promise<BioqlApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BioqlApiError);
  return error as BioqlApiError;
}
