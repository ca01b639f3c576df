/**
 * HTTP client for the BioQL service's JSON API (`bioql serve`: /v1/generate, /v1/fix,
 * /v1/complete, /v1/account; errors 401, 402, 413/422 and 429 with Retry-After).
 *
 * Deliberately free of any `vscode` import so the same code is exercised by the unit tests
 * (against a fake fetch) and by the integration tests (against a real `bioql serve`).
 */
import { randomUUID } from "node:crypto";

export interface Timing {
  total_seconds: number;
  generation_seconds: number;
}

export interface Cost {
  base_cost_usd: number;
  user_cost_usd: number;
  profit_usd: number;
  markup_percent: number;
  margin_percent: number;
}

export interface UserInfo {
  email: string;
  balance: number;
}

/** Fields every billed answer carries; older servers may omit cost/user. */
export interface Billed {
  model: string;
  timing: Timing;
  cost?: Cost;
  user?: UserInfo;
}

export interface GenerateRequest {
  prompt: string;
  include_reasoning: boolean;
  max_length?: number;
  temperature?: number;
}

export interface GenerateResponse extends Billed {
  code: string | null;
  reasoning: string;
  valid?: boolean;
  source?: string;
  error?: string;
  /** How the service read the request: one canonical sentence per quantum() call, in order. */
  interpreted_as?: string[];
}

export interface FixResponse extends Partial<Billed> {
  code: string;
  changes: string[];
  valid?: boolean;
}

export interface CompleteRequest {
  prefix: string;
  suffix: string;
  max_length?: number;
}

export interface CompleteResponse extends Partial<Billed> {
  insertion: string;
}

export interface Transaction {
  [field: string]: unknown;
}

export interface AccountResponse {
  email: string;
  balance: number;
  transactions: Transaction[];
  [field: string]: unknown;
}

export type ErrorKind =
  | "unauthorized" // 401: missing, bad or revoked key
  | "payment" // 402: balance too low
  | "rate_limited" // 429
  | "bad_input" // 413 / 422 / other 4xx
  | "server" // 5xx
  | "network" // no answer at all
  | "cancelled"; // the user (or VS Code) cancelled

/** Every failure of the client is one of these, with a sentence a person can act on. */
export class BioqlApiError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly status?: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "BioqlApiError";
  }
}

export interface ClientOptions {
  baseUrl: string;
  apiKey?: string;
  /** Injected for tests; defaults to the global fetch (Node 18+, VS Code's extension host). */
  fetch?: typeof fetch;
  /** Wall-clock limit of one request; generation on a CPU can take a while. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;

export class BioqlClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.fetchImpl = options.fetch ?? globalThis.fetch;
  }

  get serverUrl(): string {
    return this.baseUrl;
  }

  /**
   * `idempotencyKey` lets a caller retry the same request (e.g. after a network error)
   * without being charged twice; a fresh one is made when omitted.
   */
  generate(body: GenerateRequest, signal?: AbortSignal, idempotencyKey?: string): Promise<GenerateResponse> {
    return this.request("POST", "/v1/generate", body, signal, idempotencyKey ?? randomUUID());
  }

  fix(code: string, signal?: AbortSignal, idempotencyKey?: string): Promise<FixResponse> {
    return this.request("POST", "/v1/fix", { code }, signal, idempotencyKey ?? randomUUID());
  }

  complete(body: CompleteRequest, signal?: AbortSignal): Promise<CompleteResponse> {
    return this.request("POST", "/v1/complete", body, signal);
  }

  account(signal?: AbortSignal): Promise<AccountResponse> {
    return this.request("GET", "/v1/account", undefined, signal);
  }

  private async request<T>(
    method: "GET" | "POST",
    path: string,
    body: unknown,
    signal?: AbortSignal,
    idempotencyKey?: string,
  ): Promise<T> {
    if (!this.options.apiKey) {
      throw new BioqlApiError("unauthorized", "No BioQL API key is set. Run “BioQL: Set API Key”.");
    }
    const headers: Record<string, string> = {
      Accept: "application/json",
      Authorization: `Bearer ${this.options.apiKey}`,
    };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;

    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await this.fetchImpl(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: combined,
      });
    } catch (err) {
      throw this.transportError(err, signal, timeout);
    }
    if (!response.ok) throw await errorFromResponse(response, this.baseUrl);
    try {
      return (await response.json()) as T;
    } catch {
      throw new BioqlApiError("server", `The BioQL server at ${this.baseUrl} sent a reply that is not JSON.`, response.status);
    }
  }

  private transportError(err: unknown, signal: AbortSignal | undefined, timeout: AbortSignal): BioqlApiError {
    if (signal?.aborted) return new BioqlApiError("cancelled", "Cancelled.");
    if (timeout.aborted) {
      const seconds = Math.round((this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000);
      return new BioqlApiError("network", `The BioQL server at ${this.baseUrl} did not answer within ${seconds} s.`);
    }
    const cause = (err as { cause?: { code?: string } })?.cause?.code;
    const why = cause ? ` (${cause})` : "";
    return new BioqlApiError(
      "network",
      `Cannot reach the BioQL server at ${this.baseUrl}${why}. Is \`bioql serve\` running, and is bioql.serverUrl right?`,
    );
  }
}

/** Maps an HTTP error to the kind the UI reacts to, keeping the server's own sentence. */
export async function errorFromResponse(response: Response, baseUrl: string): Promise<BioqlApiError> {
  const status = response.status;
  const detail = await readDetail(response);
  const retryAfter = parseRetryAfter(response.headers.get("Retry-After"));
  switch (true) {
    case status === 401:
      return new BioqlApiError("unauthorized", detail ?? "The BioQL API key was rejected (bad or revoked).", status);
    case status === 402:
      return new BioqlApiError("payment", detail ?? "Your BioQL balance is too low for this request.", status);
    case status === 429: {
      // bioql serve's sentence already gives the wait ("…; retry in 4.7 s."): say it once.
      const told = detail !== undefined && /\b(retry|try again)\b/i.test(detail);
      const wait = retryAfter !== undefined && !told ? ` Try again in ${retryAfter} s.` : "";
      return new BioqlApiError("rate_limited", (detail ?? "Too many requests to the BioQL server.") + wait, status, retryAfter);
    }
    case status >= 500:
      return new BioqlApiError("server", detail ?? `The BioQL server at ${baseUrl} failed (HTTP ${status}).`, status);
    default:
      return new BioqlApiError("bad_input", detail ?? `The BioQL server refused the request (HTTP ${status}).`, status);
  }
}

/** The error sentence from `{"error": "..."}`, `{"detail": "..."}` or FastAPI's `{"detail": [{msg}]}`. */
async function readDetail(response: Response): Promise<string | undefined> {
  let data: unknown;
  try {
    data = await response.json();
  } catch {
    return undefined;
  }
  if (!data || typeof data !== "object") return undefined;
  const record = data as Record<string, unknown>;
  for (const field of ["error", "detail", "message"]) {
    const value = record[field];
    if (typeof value === "string" && value.trim()) return value.trim();
    if (Array.isArray(value) && value.length > 0) {
      return value
        .map((item) => (item && typeof item === "object" && "msg" in item ? String(item.msg) : String(item)))
        .join("; ");
    }
    if (value && typeof value === "object" && "message" in value) return String((value as { message: unknown }).message);
  }
  return undefined;
}

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
  return undefined;
}
