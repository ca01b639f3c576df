import type * as vscode from "vscode";
import type { AccountResponse, UserInfo } from "./client";
import { usd } from "./costLog";

/** The status-bar item with the account balance; click it to see recent transactions. */
export class BalanceStatus {
  constructor(private readonly item: vscode.StatusBarItem) {
    item.name = "BioQL balance";
    item.command = "bioql.showAccount";
    item.text = "$(beaker) BioQL";
    item.tooltip = "BioQL: checking balance…";
    item.show();
  }

  update(user: UserInfo | undefined): void {
    if (!user || typeof user.balance !== "number") return;
    this.item.text = `$(beaker) BioQL ${usd(user.balance)}`;
    this.item.tooltip = `BioQL balance for ${user.email}: ${usd(user.balance)}. Click for recent transactions.`;
    this.item.command = "bioql.showAccount";
  }

  showAccount(account: AccountResponse): void {
    this.update({ email: account.email, balance: account.balance });
  }

  showNoKey(): void {
    this.item.text = "$(key) BioQL: set API key";
    this.item.tooltip = "No BioQL API key yet. Click to set one.";
    this.item.command = "bioql.setApiKey";
  }

  showUnavailable(reason: string): void {
    this.item.text = "$(beaker) BioQL ?";
    this.item.tooltip = `BioQL balance unavailable: ${reason}`;
    this.item.command = "bioql.showAccount";
  }

  get text(): string {
    return this.item.text;
  }
}
