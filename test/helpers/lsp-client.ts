/** A minimal LSP client for tests: spawns `node bin/stowage.js lsp` and speaks JSON-RPC over its stdio. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  codeDescription?: { href: string };
  source?: string;
  message: string;
  data?: unknown;
}

export interface Publish {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
  /** When the notification arrived (performance.now()). */
  at: number;
}

export interface TextEdit {
  range: Diagnostic['range'];
  newText: string;
}

export const uri = (path: string) => pathToFileURL(path).href;

export class LspClient {
  readonly child: ChildProcess;
  readonly connection: MessageConnection;
  readonly publishes: Publish[] = [];
  readonly registrations: unknown[] = [];
  readonly messages: Array<{ type: number; message: string }> = [];
  stderr = '';
  exited: number | null | undefined;
  private waiters: Array<() => void> = [];

  constructor(env: Record<string, string> = {}, extraArgs: string[] = []) {
    this.child = spawn(process.execPath, [join(ROOT, 'bin/stowage.js'), 'lsp', '--stdio', ...extraArgs], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.child.on('exit', (code) => {
      this.exited = code;
      this.notify();
    });
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: Omit<Publish, 'at'>) => {
      this.publishes.push({ ...p, at: performance.now() });
      this.notify();
    });
    this.connection.onNotification('window/showMessage', (m: { type: number; message: string }) => void this.messages.push(m));
    this.connection.onNotification('window/logMessage', (m: { type: number; message: string }) => void this.messages.push(m));
    this.connection.onRequest('client/registerCapability', (p: unknown) => {
      this.registrations.push(p);
      this.notify();
      return null;
    });
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.listen();
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Wait until `pred` holds (checked on every notification), or fail after `ms`. */
  async until<T>(pred: () => T | undefined | false, ms = 10_000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = pred();
      if (v) return v;
      if (this.exited !== undefined) throw new Error(`server exited (${this.exited}) while waiting for ${what}\n${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** The next publish for `uri` after the `from`th publish overall (optionally for a given version). */
  nextPublish(docUri: string, from: number, version?: number, ms?: number): Promise<Publish> {
    return this.until(() => this.publishes.slice(from).find((p) => p.uri === docUri && (version === undefined || p.version === version)), ms, `diagnostics for ${docUri}${version !== undefined ? ` v${version}` : ''}`);
  }

  async initialize(rootPath: string, options: { initializationOptions?: unknown; dynamicWatch?: boolean } = {}): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.connection.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: uri(rootPath),
      workspaceFolders: [{ uri: uri(rootPath), name: 'workspace' }],
      capabilities: {
        workspace: { didChangeWatchedFiles: { dynamicRegistration: options.dynamicWatch ?? true } },
        textDocument: { publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true } },
      },
      initializationOptions: options.initializationOptions ?? {},
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Open a document; resolves with its first diagnostics. */
  async open(path: string, text: string, languageId = path.endsWith('.json') ? 'json' : 'yaml', version = 1): Promise<Publish> {
    const from = this.publishes.length;
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(path), languageId, version, text } });
    return this.nextPublish(uri(path), from, version);
  }

  /** Replace a document's whole text. */
  async change(path: string, version: number, text: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri(path), version }, contentChanges: [{ text }] });
  }

  async close(path: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(path) } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest<R>(method, params);
  }

  async shutdown(): Promise<number | null> {
    if (this.exited === undefined) {
      try {
        await this.connection.sendRequest('shutdown');
        await this.connection.sendNotification('exit');
      } catch {
        /* already gone */
      }
      await this.until(() => this.exited !== undefined, 5000, 'exit').catch(() => this.child.kill());
    }
    this.connection.dispose();
    return this.exited ?? null;
  }
}

/** Apply LSP text edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) => (lineStarts[p.line] ?? text.length) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  for (const e of sorted) text = text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
  return text;
}
