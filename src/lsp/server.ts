/**
 * `stowage lsp`: a language server over stdio. Diagnostics for open documents
 * (immediately on open, debounced on change), with the workspace's other
 * files as cross-file context; code actions to suppress a finding; hover with
 * the rule's description and docs. For CDK apps, a separate pass lints the
 * cloud assemblies (`cdk.out`) and publishes their findings on the app's
 * TypeScript files, open or not: at start, and again (debounced) whenever an
 * assembly changes (`cdk synth`, `cdk watch`) or an open app file is edited.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../engine/lint.js';
import type { Rule } from '../engine/rule.js';
import type { ParsedFile } from '../parsers/index.js';
import { codeActions } from './actions.js';
import { findingRange, hoverMarkdown, PACKAGE_ROOT, toDiagnostic } from './convert.js';
import { APP_SOURCE, LspWorkspace } from './workspace.js';

export const DEFAULT_DEBOUNCE_MS = 150;
/** Delay of the CDK pass after an assembly changes: `cdk synth` writes many files in a burst. */
export const DEFAULT_CDK_DEBOUNCE_MS = 300;

/** File watchers the server registers (when the client allows dynamic registration). */
export const WATCHERS = ['**/*.{yaml,yml,json,template}', '**/stowage.config.{yaml,yml,json}', '**/cdk.out/**'];

interface DocState {
  version: number;
  findings: Finding[];
  parsed: ParsedFile | undefined;
}

export interface ServerOptions {
  /** Delay between a change and its diagnostics (default 150 ms; `initializationOptions.debounceMs` or STOWAGE_LSP_DEBOUNCE_MS override). */
  debounceMs?: number;
  /** Delay of the CDK pass after an assembly or app file changes (default 300 ms; `initializationOptions.cdkDebounceMs` overrides). */
  cdkDebounceMs?: number;
}

/** A CDK finding as a diagnostic on the app's source, with its place in the synthesized template as related information. */
export function cdkDiagnostic(f: Finding, rules: Map<string, Rule>): Diagnostic {
  const d = toDiagnostic(f, rules);
  const t = f.templateLocation;
  if (t) {
    d.relatedInformation = [{ location: { uri: pathToFileURL(t.filePath).href, range: findingRange(t) }, message: f.cdkPath ? `In the synthesized template (${f.cdkPath})` : 'In the synthesized template' }];
  }
  return d;
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
  let cdkDebounceMs = options.cdkDebounceMs ?? DEFAULT_CDK_DEBOUNCE_MS;
  let watchDynamically = false;
  /** The CDK pass's findings and what was last published, by source file path. */
  let cdkFindings = new Map<string, Finding[]>();
  const cdkPublished = new Map<string, string>();
  let cdkTimer: NodeJS.Timeout | undefined;
  let shuttingDown = false;
  /** Notices of the CDK pass already logged (each once per session). */
  const cdkNotices = new Set<string>();

  // A notification (not window/showMessageRequest): clients that cannot answer requests still show it.
  const warn = (message: string) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });

  const refreshRules = () => {
    rulesById = new Map(workspace.rules.map((r) => [r.id, r]));
  };

  /** Publish a source file's CDK diagnostics (unless unchanged), on the open document's URI as the client spelled it. */
  const publishCdk = (path: string, force = false) => {
    const diagnostics = (cdkFindings.get(path) ?? []).map((f) => cdkDiagnostic(f, rulesById));
    const key = JSON.stringify(diagnostics);
    if (!force && (cdkPublished.get(path) ?? '[]') === key) return;
    if (diagnostics.length) cdkPublished.set(path, key);
    else cdkPublished.delete(path);
    const doc = documents.all().find((d) => uriToPath(d.uri) === path);
    void connection.sendDiagnostics({ uri: doc?.uri ?? pathToFileURL(path).href, diagnostics, ...(doc ? { version: doc.version } : {}) });
  };

  /** Lint the assemblies and publish on the app's source files; clear those that have nothing now. */
  const runCdk = () => {
    if (cdkTimer) clearTimeout(cdkTimer);
    cdkTimer = undefined;
    const buffers = new Map<string, TextDocument>();
    for (const doc of documents.all()) buffers.set(uriToPath(doc.uri), doc);
    const next = new Map<string, Finding[]>();
    try {
      const r = workspace.lintCdk((p) => buffers.get(p)?.getText());
      for (const [path, findings] of r.bySource) if (findings.length) next.set(path, findings);
      for (const n of r.notices) {
        if (cdkNotices.has(n)) continue;
        cdkNotices.add(n);
        connection.console.warn(`stowage: ${n}`);
      }
    } catch (e) {
      connection.console.error(`stowage: could not lint the CDK assemblies: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return;
    }
    const before = [...cdkPublished.keys()];
    cdkFindings = next;
    for (const path of next.keys()) publishCdk(path);
    for (const path of before) if (!next.has(path)) publishCdk(path);
  };

  const scheduleCdk = () => {
    if (cdkTimer) clearTimeout(cdkTimer);
    if (shuttingDown) return;
    cdkTimer = setTimeout(runCdk, cdkDebounceMs);
  };

  const lintNow = (doc: TextDocument) => {
    const t = timers.get(doc.uri);
    if (t) {
      clearTimeout(t);
      timers.delete(doc.uri);
    }
    if (documents.get(doc.uri) !== doc) return; // closed or replaced meanwhile
    if (APP_SOURCE.test(doc.uri)) {
      // A source file (a CDK app's TypeScript): none of stowage's formats; the CDK pass owns its diagnostics.
      publishCdk(uriToPath(doc.uri), true);
      return;
    }
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
    for (const doc of documents.all()) if (!APP_SOURCE.test(doc.uri)) lintNow(doc);
  };

  connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
    const init = (params.initializationOptions ?? {}) as { debounceMs?: unknown; cdkDebounceMs?: unknown };
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0) debounceMs = init.debounceMs;
    if (typeof init.cdkDebounceMs === 'number' && init.cdkDebounceMs >= 0) cdkDebounceMs = init.cdkDebounceMs;
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
          watchers: WATCHERS.map((globPattern) => ({ globPattern })),
        })
        .catch((e: unknown) => connection.console.warn(`stowage: the client refused to watch files: ${e instanceof Error ? e.message : String(e)}`));
    }
    // The CDK pass at start (after this handler, so the registration goes out first).
    if (workspace.apps.length) setImmediate(() => shuttingDown || runCdk());
  });

  connection.onShutdown(() => {
    shuttingDown = true;
    if (cdkTimer) clearTimeout(cdkTimer);
    cdkTimer = undefined;
  });

  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    let configChanged = false;
    let cdkChanged = false;
    for (const c of changes) {
      const path = uriToPath(c.uri);
      if (workspace.isConfigFile(path)) {
        configChanged = true;
        continue;
      }
      if (workspace.isCdkJson(path)) {
        workspace.refreshApps({ path, deleted: c.type === FileChangeType.Deleted });
        cdkChanged = true;
      }
      if (workspace.appOfAssemblyFile(path)) cdkChanged = true;
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
    if (cdkChanged || configChanged) scheduleCdk();
  });

  documents.onDidOpen(({ document }) => lintNow(document));
  documents.onDidChangeContent(({ document }) => {
    // Opening fires this as well: the open handler has already published.
    if (APP_SOURCE.test(document.uri)) {
      // An app file edited: map the assembly to the source as it is now.
      if (workspace.appOfSource(uriToPath(document.uri))) scheduleCdk();
      return;
    }
    if (state.get(document.uri)?.version === document.version) return;
    schedule(document);
  });
  documents.onDidSave(() => {
    // Other open documents may depend on the saved one (cross-file rules).
    for (const doc of documents.all()) if (!timers.has(doc.uri) && !APP_SOURCE.test(doc.uri)) lintNow(doc);
  });
  documents.onDidClose(({ document }) => {
    const t = timers.get(document.uri);
    if (t) clearTimeout(t);
    timers.delete(document.uri);
    state.delete(document.uri);
    const path = uriToPath(document.uri);
    workspace.closeDocument(path);
    if (APP_SOURCE.test(document.uri)) {
      // Its CDK findings stay (a problems view shows unopened files); the file on disk counts again.
      publishCdk(path, true);
      if (workspace.appOfSource(path)) scheduleCdk();
      return;
    }
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.onCodeAction((params) => {
    const doc = documents.get(params.textDocument.uri);
    const st = state.get(params.textDocument.uri);
    if (!doc || !st || st.version !== doc.version) return [];
    return codeActions({ document: doc, parsed: st.parsed, findings: st.findings }, params.context.diagnostics);
  });

  connection.onHover((params) => {
    const findings = state.get(params.textDocument.uri)?.findings ?? cdkFindings.get(uriToPath(params.textDocument.uri));
    if (!findings) return null;
    const { line, character } = params.position;
    const hits = findings.filter((f) => {
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
