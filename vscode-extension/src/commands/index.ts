import * as vscode from "vscode";
import type { Services } from "../services";
import { setApiKey, showAccount } from "./account";
import { offeredFix } from "../chat";
import { FixPreview, fixCode } from "./fix";
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
    // From /fix's "Review as Diff" link, which carries the id of the fix it offered.
    "bioql.previewFix": async (id: string) => {
      const fix = offeredFix(id);
      const document = fix && vscode.workspace.textDocuments.find((d) => d.uri.toString() === fix.documentUri.toString());
      if (!fix || !document) {
        void vscode.window.showWarningMessage("BioQL: that fix is no longer available or its file was closed; run Fix Code again.");
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
