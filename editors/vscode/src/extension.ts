/** Starts `stowage lsp` for YAML and JSON files and shows its diagnostics, quick fixes and hovers. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** The command that runs stowage: the setting, the workspace's own install, or `stowage` on PATH. */
function serverCommand(): { command: string; args: string[] } {
  const configured = workspace.getConfiguration('stowage').get<string>('path', '').trim();
  if (configured) {
    // A JavaScript entry point (bin/stowage.js of a checkout) runs with the Node.js that runs VS Code's extension host.
    return configured.endsWith('.js') ? { command: process.execPath, args: [configured, 'lsp'] } : { command: configured, args: ['lsp'] };
  }
  for (const folder of workspace.workspaceFolders ?? []) {
    const local = join(folder.uri.fsPath, 'node_modules', '.bin', process.platform === 'win32' ? 'stowage.cmd' : 'stowage');
    if (existsSync(local)) return { command: local, args: ['lsp'] };
  }
  return { command: process.platform === 'win32' ? 'stowage.cmd' : 'stowage', args: ['lsp'] };
}

export async function activate(_context: ExtensionContext): Promise<void> {
  const { command, args } = serverCommand();
  const serverOptions: ServerOptions = {
    run: { command, args, transport: TransportKind.stdio },
    debug: { command, args, transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', language: 'json' },
      { scheme: 'file', language: 'jsonc' },
      { scheme: 'untitled', language: 'yaml' },
      { scheme: 'untitled', language: 'json' },
    ],
    initializationOptions: {
      debounceMs: workspace.getConfiguration('stowage').get<number>('debounceMs', 150),
      // Plugins are code: loaded only when the user turns this on (and VS Code's workspace trust applies too).
      allowPlugins: workspace.isTrusted && workspace.getConfiguration('stowage').get<boolean>('allowPlugins', false),
    },
  };
  client = new LanguageClient('stowage', 'stowage', serverOptions, clientOptions);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
