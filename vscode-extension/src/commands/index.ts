import * as vscode from "vscode";
import type { Services } from "../services";
import { setApiKey, showAccount } from "./account";
import { FixPreview, fixCode, type PendingFix } from "./fix";
import { generateCode, insertCode } from "./generate";

/** Every command the extension contributes (package.json lists the user-facing ones). */
export function registerCommands(services: Services, preview: FixPreview): vscode.Disposable[] {
  const handlers: Record<string, (...args: any[]) => unknown> = {
    "bioql.generateCode": (prompt?: unknown) => generateCode(services, typeof prompt === "string" ? prompt : undefined),
    "bioql.fixCode": () => fixCode(services, preview),
    "bioql.setApiKey": () => setApiKey(services),
    "bioql.clearApiKey": async () => {
      await services.keys.clear();
      void vscode.window.showInformationMessage("BioQL API key removed from secret storage.");
    },
    "bioql.showAccount": () => showAccount(services),
    "bioql.showLog": () => services.log.show(),
    // Used by the chat participant's buttons.
    "bioql.insertCode": (code: string) => insertCode(code),
    "bioql.previewFix": async (fix: PendingFix) => {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === fix.documentUri.toString());
      if (!document) {
        void vscode.window.showWarningMessage("BioQL: that file is no longer open; run Fix Code again.");
        return;
      }
      await preview.show(document, fix);
    },
    // Editor-title buttons on the fix diff.
    "bioql.applyFix": () => preview.apply(),
    "bioql.discardFix": async () => {
      preview.discard();
      await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
    },
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
