// Another extension's view of BioQL: select the model by vendor, send one user message, and write
// what comes back (or why nothing did) to probe.md in the workspace for the test to read.
const vscode = require("vscode");

exports.activate = (context) => {
  context.subscriptions.push(
    vscode.commands.registerCommand("bioqlProbe.ask", async (prompt) => {
      let text = "";
      try {
        const [model] = await vscode.lm.selectChatModels({ vendor: "bioql" });
        if (!model) {
          text = "error: no BioQL model";
        } else {
          const messages = [vscode.LanguageModelChatMessage.User(prompt || "Create a Bell state")];
          const response = await model.sendRequest(messages, {}, new vscode.CancellationTokenSource().token);
          for await (const chunk of response.text) text += chunk;
          text = `model: ${model.name} (${model.vendor})\n\n${text}`;
        }
      } catch (error) {
        text = `error: ${error instanceof Error ? error.message : String(error)}`;
      }
      const folder = vscode.workspace.workspaceFolders[0].uri;
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, "probe.md"), Buffer.from(text, "utf8"));
    }),
  );
};
