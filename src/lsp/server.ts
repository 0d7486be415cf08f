/**
 * `stowage lsp`: a language server over stdio. Diagnostics for open documents
 * (immediately on open, debounced on change), with the workspace's other
 * files as cross-file context; code actions to suppress a finding; hover with
 * the rule's description and docs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  MarkupKind,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../engine/lint.js';
import type { Rule } from '../engine/rule.js';
import type { ParsedFile } from '../parsers/index.js';
import { codeActions } from './actions.js';
import { findingRange, hoverMarkdown, PACKAGE_ROOT, toDiagnostic } from './convert.js';
import { LspWorkspace } from './workspace.js';

export const DEFAULT_DEBOUNCE_MS = 150;

interface DocState {
  version: number;
  findings: Finding[];
  parsed: ParsedFile | undefined;
}

export interface ServerOptions {
  /** Delay between a change and its diagnostics (default 150 ms; `initializationOptions.debounceMs` or STOWAGE_LSP_DEBOUNCE_MS override). */
  debounceMs?: number;
}

/** Path of a document URI (file URIs become file paths; other schemes keep the URI). */
export function uriToPath(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return uri;
    }
  }
  return uri;
}

/** Start the server on stdin/stdout; resolves when the client ends the session. */
export function startServer(options: ServerOptions = {}): Promise<number> {
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  // A failed request to the client (a capability it lacks) must not end the server.
  process.on('unhandledRejection', (e) => connection.console.error(`stowage: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  return new Promise((resolveExit) => {
    serve(connection, options);
    connection.onExit(() => resolveExit(0));
    connection.listen();
  });
}

export function serve(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const state = new Map<string, DocState>();
  const timers = new Map<string, NodeJS.Timeout>();
  let workspace = new LspWorkspace([]);
  let rulesById = new Map<string, Rule>();
  let debounceMs = options.debounceMs ?? envDebounce() ?? DEFAULT_DEBOUNCE_MS;
  let watchDynamically = false;

  // A notification (not window/showMessageRequest): clients that cannot answer requests still show it.
  const warn = (message: string) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });

  const refreshRules = () => {
    rulesById = new Map(workspace.rules.map((r) => [r.id, r]));
  };

  const lintNow = (doc: TextDocument) => {
    const t = timers.get(doc.uri);
    if (t) {
      clearTimeout(t);
      timers.delete(doc.uri);
    }
    if (documents.get(doc.uri) !== doc) return; // closed or replaced meanwhile
    let findings: Finding[] = [];
    let parsed: ParsedFile | undefined;
    try {
      const r = workspace.lintDocument(uriToPath(doc.uri), doc.getText());
      findings = r.findings;
      parsed = r.parsed;
    } catch (e) {
      connection.console.error(`stowage: could not lint ${doc.uri}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    state.set(doc.uri, { version: doc.version, findings, parsed });
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: findings.map((f) => toDiagnostic(f, rulesById)) });
  };

  const schedule = (doc: TextDocument) => {
    const t = timers.get(doc.uri);
    if (t) clearTimeout(t);
    if (debounceMs <= 0) {
      timers.delete(doc.uri);
      lintNow(doc);
      return;
    }
    timers.set(
      doc.uri,
      setTimeout(() => {
        timers.delete(doc.uri);
        const current = documents.get(doc.uri);
        if (current) lintNow(current);
      }, debounceMs),
    );
  };

  const relintOpen = () => {
    for (const doc of documents.all()) lintNow(doc);
  };

  connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
    const init = (params.initializationOptions ?? {}) as { debounceMs?: unknown };
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0) debounceMs = init.debounceMs;
    const uris = (params.workspaceFolders ?? []).map((f) => f.uri);
    if (!uris.length && params.rootUri) uris.push(params.rootUri);
    const roots = uris.filter((u) => u.startsWith('file:')).map(uriToPath);
    if (!roots.length && params.rootPath) roots.push(params.rootPath);
    workspace = new LspWorkspace(roots);
    try {
      await workspace.init();
    } catch (e) {
      connection.console.error(`stowage: could not read the workspace: ${e instanceof Error ? e.message : String(e)}`);
    }
    refreshRules();
    watchDynamically = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
      },
      serverInfo: { name: 'stowage', version: serverVersion() },
    };
  });

  connection.onInitialized(() => {
    if (workspace.configError) warn(`stowage: ${workspace.configError}`);
    if (workspace.notice) connection.console.warn(`stowage: ${workspace.notice}`);
    if (watchDynamically) {
      connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/*.{yaml,yml,json,template}' }, { globPattern: '**/stowage.config.{yaml,yml,json}' }],
        })
        .catch((e: unknown) => connection.console.warn(`stowage: the client refused to watch files: ${e instanceof Error ? e.message : String(e)}`));
    }
  });

  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    let configChanged = false;
    for (const c of changes) {
      const path = uriToPath(c.uri);
      if (workspace.isConfigFile(path)) {
        configChanged = true;
        continue;
      }
      // An open document's own file on disk does not matter while it is open; its context does.
      if (c.type === FileChangeType.Deleted) workspace.fileDeleted(path);
      else workspace.fileChanged(path);
    }
    if (configChanged) {
      await workspace.reloadConfig();
      workspace.rediscover();
      refreshRules();
      if (workspace.configError) warn(`stowage: ${workspace.configError}`);
    }
    relintOpen();
  });

  documents.onDidOpen(({ document }) => lintNow(document));
  documents.onDidChangeContent(({ document }) => {
    // Opening fires this as well: the open handler has already published.
    if (state.get(document.uri)?.version === document.version) return;
    schedule(document);
  });
  documents.onDidSave(() => {
    // Other open documents may depend on the saved one (cross-file rules).
    for (const doc of documents.all()) if (!timers.has(doc.uri)) lintNow(doc);
  });
  documents.onDidClose(({ document }) => {
    const t = timers.get(document.uri);
    if (t) clearTimeout(t);
    timers.delete(document.uri);
    state.delete(document.uri);
    workspace.closeDocument(uriToPath(document.uri));
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.onCodeAction((params) => {
    const doc = documents.get(params.textDocument.uri);
    const st = state.get(params.textDocument.uri);
    if (!doc || !st || st.version !== doc.version) return [];
    return codeActions({ document: doc, parsed: st.parsed, findings: st.findings }, params.context.diagnostics);
  });

  connection.onHover((params) => {
    const st = state.get(params.textDocument.uri);
    if (!st) return null;
    const { line, character } = params.position;
    const hits = st.findings.filter((f) => {
      if (f.ruleId === 'parse-error') return false;
      const r = findingRange(f);
      const afterStart = line > r.start.line || (line === r.start.line && character >= r.start.character);
      const beforeEnd = line < r.end.line || (line === r.end.line && character <= r.end.character);
      return afterStart && beforeEnd;
    });
    if (!hits.length) return null;
    const seen = new Set<string>();
    const parts: string[] = [];
    for (const f of hits) {
      if (seen.has(f.ruleId)) continue;
      seen.add(f.ruleId);
      parts.push(hoverMarkdown(f, rulesById.get(f.ruleId)));
    }
    return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') }, range: findingRange(hits[0]!) };
  });

  documents.listen(connection);
}

function envDebounce(): number | undefined {
  const v = process.env.STOWAGE_LSP_DEBOUNCE_MS;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function serverVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
