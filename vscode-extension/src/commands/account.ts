import type { AccountResponse, Transaction } from "../client";
import { usd } from "../costLog";
import { promptForApiKey } from "../secrets";
import type { Services } from "../services";

/** "BioQL: Set API Key": stores the key in SecretStorage and refreshes the balance. */
export async function setApiKey(services: Services): Promise<void> {
  if (await promptForApiKey(services.keys)) await services.refreshBalance();
}

/** "BioQL: Show Account": balance and recent transactions in the BioQL Output channel. */
export async function showAccount(services: Services): Promise<void> {
  let account: AccountResponse;
  try {
    account = await (await services.client()).account();
  } catch (error) {
    await services.report(error, () => showAccount(services));
    return;
  }
  services.balance.showAccount(account);
  for (const line of describeAccount(account)) services.log.info(line);
  services.log.show();
}

export function describeAccount(account: AccountResponse): string[] {
  const lines = [`account ${account.email}: balance ${usd(account.balance)}`];
  const transactions = account.transactions ?? [];
  if (transactions.length === 0) lines.push("  no transactions yet");
  for (const tx of transactions) lines.push(`  ${describeTransaction(tx)}`);
  return lines;
}

function field(tx: Transaction, ...names: string[]): unknown {
  for (const name of names) if (tx[name] !== undefined && tx[name] !== null) return tx[name];
  return undefined;
}

/** One ledger row, whatever subset of the usual fields the server sends. */
export function describeTransaction(tx: Transaction): string {
  const parts: string[] = [];
  const when = field(tx, "created_at", "time", "timestamp");
  if (when !== undefined) parts.push(String(when).replace("T", " ").slice(0, 19));
  const kind = field(tx, "kind", "type");
  if (kind !== undefined) parts.push(String(kind));
  const endpoint = field(tx, "endpoint");
  if (endpoint !== undefined) parts.push(String(endpoint));
  const model = field(tx, "model");
  if (model) parts.push(`model=${String(model)}`);
  const amount = field(tx, "amount_usd", "user_cost_usd", "amount");
  if (typeof amount === "number") parts.push(usd(amount));
  else if (typeof amount === "string") parts.push(`$${amount}`);
  const after = field(tx, "balance_after_usd", "balance_after");
  if (typeof after === "number") parts.push(`→ ${usd(after)}`);
  else if (typeof after === "string") parts.push(`→ $${after}`);
  return parts.length ? parts.join("  ") : JSON.stringify(tx);
}
