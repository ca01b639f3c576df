import { beforeEach, describe, expect, it } from "vitest";
import { BioqlApiError } from "../../src/client";
import { ErrorNotifier } from "../../src/notify";
import * as vscode from "../mocks/vscode";

beforeEach(() => vscode.resetVscodeMock());
const ctx = { accountUrl: "http://127.0.0.1:8000/" };

describe("error notifications", () => {
  it("shows one notification per kind while it is on screen", async () => {
    let dismiss!: (v: string | undefined) => void;
    vscode.window.showErrorMessage.mockImplementationOnce(() => new Promise((r) => (dismiss = r)));
    const notifier = new ErrorNotifier();
    const err = new BioqlApiError("unauthorized", "Unknown API key.", 401);

    const first = notifier.report(err, ctx);
    await notifier.report(err, ctx); // e.g. the balance refresh failing at the same time
    await notifier.report(err, ctx);
    expect(vscode.window.showErrorMessage).toHaveBeenCalledTimes(1);

    dismiss(undefined);
    await first;
    await notifier.report(err, ctx); // a later failure is shown again
    expect(vscode.window.showErrorMessage).toHaveBeenCalledTimes(2);
  });

  it("different kinds are not merged", async () => {
    const notifier = new ErrorNotifier();
    await notifier.report(new BioqlApiError("payment", "Balance too low.", 402), ctx);
    await notifier.report(new BioqlApiError("network", "Cannot reach the BioQL server.", undefined), ctx);
    expect(vscode.window.showErrorMessage.mock.calls.map((c) => c.slice(1))).toEqual([["Open Account Page"], ["Open Settings"]]);
  });

  it("network down → Open Settings goes to bioql.serverUrl", async () => {
    vscode.window.showErrorMessage.mockResolvedValueOnce("Open Settings");
    await new ErrorNotifier().report(new BioqlApiError("network", "Cannot reach the BioQL server."), ctx);
    expect(vscode.commands.executeCommand).toHaveBeenCalledWith("workbench.action.openSettings", "bioql.serverUrl");
  });

  it("a failing retry can notify again", async () => {
    const notifier = new ErrorNotifier();
    const err = new BioqlApiError("network", "down");
    let retries = 0;
    const retry = async () => {
      retries++;
      await notifier.report(err, { ...ctx, retry });
    };
    vscode.window.showErrorMessage.mockResolvedValueOnce("Retry").mockResolvedValueOnce(undefined);
    await notifier.report(err, { ...ctx, retry });
    expect(retries).toBe(1);
    expect(vscode.window.showErrorMessage).toHaveBeenCalledTimes(2);
  });

  it("cancellation is never an error", async () => {
    await new ErrorNotifier().report(new BioqlApiError("cancelled", "Cancelled."), ctx);
    expect(vscode.window.showErrorMessage).not.toHaveBeenCalled();
    expect(vscode.window.showWarningMessage).not.toHaveBeenCalled();
  });
});
