import { BalanceStatus } from "./balance";
import { BioqlApiError, BioqlClient, type Billed } from "./client";
import { readSettings, type BioqlSettings } from "./config";
import { CostLog } from "./costLog";
import { ErrorNotifier } from "./notify";
import { ApiKeyStore } from "./secrets";

/** What the commands, the chat participant and the completion provider share. */
export class Services {
  constructor(
    readonly keys: ApiKeyStore,
    readonly log: CostLog,
    readonly balance: BalanceStatus,
    readonly notifier: ErrorNotifier = new ErrorNotifier(),
    private readonly fetchImpl?: typeof fetch,
  ) {}

  settings(): BioqlSettings {
    return readSettings();
  }

  /** A client for the current settings and key (a missing key fails on first use, as a 401 would). */
  async client(): Promise<BioqlClient> {
    const { serverUrl } = this.settings();
    return new BioqlClient({ baseUrl: serverUrl, apiKey: await this.keys.get(), fetch: this.fetchImpl });
  }

  /** Logs a billed answer and moves the status-bar balance to the one the server reported. */
  record(endpoint: string, answer: Partial<Billed> & { interpreted_as?: string[] }, startedAt: number): void {
    this.log.record(endpoint, answer, (Date.now() - startedAt) / 1000);
    this.balance.update(answer.user);
  }

  /** Errors from user-started actions: one notification, with a fix where there is one. */
  report(error: unknown, retry?: () => unknown): Promise<void> {
    if (error instanceof BioqlApiError && error.kind !== "cancelled") this.log.info(`error: ${error.message}`);
    return this.notifier.report(error, { accountUrl: this.settings().accountUrl, retry });
  }

  /** Refreshes the status bar from GET /v1/account; quiet unless the key is missing or rejected. */
  async refreshBalance(): Promise<void> {
    if (!(await this.keys.get())) {
      this.balance.showNoKey();
      return;
    }
    try {
      const account = await (await this.client()).account();
      this.balance.showAccount(account);
    } catch (error) {
      const err = error instanceof BioqlApiError ? error : undefined;
      this.balance.showUnavailable(err?.message ?? String(error));
      if (err?.kind === "unauthorized") await this.report(err);
    }
  }
}
