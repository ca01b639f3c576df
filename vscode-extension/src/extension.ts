import * as vscode from "vscode";
import { BalanceStatus } from "./balance";
import { PARTICIPANT_ID, createChatHandler } from "./chat";
import { FIX_SCHEME, FixPreview } from "./commands/fix";
import { registerCommands } from "./commands/index";
import { BioqlInlineCompletionProvider } from "./completion";
import { SECTION } from "./config";
import { CostLog } from "./costLog";
import { BioqlChatModelProvider, VENDOR } from "./languageModel";
import { ApiKeyStore, migrateLegacyApiKey } from "./secrets";
import { Services } from "./services";

/** Wiring only: every behaviour lives in the modules it imports. */
export async function activate(context: vscode.ExtensionContext): Promise<Services> {
  const channel = vscode.window.createOutputChannel("BioQL");
  const statusItem = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
  const services = new Services(new ApiKeyStore(context.secrets), new CostLog(channel), new BalanceStatus(statusItem));
  const preview = new FixPreview();
  const completions = new BioqlInlineCompletionProvider(services);

  context.subscriptions.push(
    channel,
    statusItem,
    preview,
    vscode.workspace.registerTextDocumentContentProvider(FIX_SCHEME, preview),
    ...registerCommands(services, preview),
    vscode.languages.registerInlineCompletionItemProvider({ language: "python" }, completions),
    services.keys.onDidChange(() => {
      completions.reset();
      void services.refreshBalance();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SECTION}.serverUrl`)) {
        completions.reset();
        void services.refreshBalance();
      }
    }),
  );
  registerChatParticipant(context, services);
  registerLanguageModel(context, services);

  await migrateLegacyApiKey(services.keys);
  void services.refreshBalance();
  return services;
}

function registerChatParticipant(context: vscode.ExtensionContext, services: Services): void {
  // Hosts without the chat API (older builds, some forks) still get every other feature.
  if (!vscode.chat?.createChatParticipant) return;
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, createChatHandler(services));
  participant.iconPath = vscode.Uri.joinPath(context.extensionUri, "media", "icon.png");
  context.subscriptions.push(participant);
}

/**
 * BioQL as a chat model (VS Code 1.104+), so that chat, and @bioql, need no other AI extension:
 * VS Code runs no chat request, not even a participant's, without a model selected.
 */
function registerLanguageModel(context: vscode.ExtensionContext, services: Services): void {
  if (!vscode.lm?.registerLanguageModelChatProvider) return;
  const provider = new BioqlChatModelProvider(services);
  context.subscriptions.push(
    provider,
    vscode.lm.registerLanguageModelChatProvider(VENDOR, provider),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SECTION}.serverUrl`)) provider.refresh();
    }),
  );
  // VS Code asks a vendor for its models only when something selects them; until then its model
  // picker offers nothing but a Copilot sign-in. Selecting ours once makes "BioQL" appear.
  void Promise.resolve(vscode.lm.selectChatModels({ vendor: VENDOR })).catch(() => undefined);
}

export function deactivate(): void {}
