/**
 * `stowage lsp`: a language server over stdio. Diagnostics for open documents
 * (immediately on open, debounced on change), with the workspace's other
 * files as cross-file context; code actions to suppress a finding; hover with
 * the rule's description and docs. For CDK apps, a separate pass lints the
 * cloud assemblies (`cdk.out`) and publishes their findings on the app's
 * TypeScript files, open or not: at start, and again (debounced) whenever an
 * assembly changes (`cdk synth`, `cdk watch`) or an open app file is edited.
 *
 * This thread only speaks the protocol: the workspace and the linting live in a
 * worker thread (`lint-client.ts`, `worker.ts`, `host.ts`), so hover, code actions
 * and every other request are answered while a large document is being linted.
 * The config file is checked as it is typed (diagnostics on it, at the offending
 * line) and used for the workspace as soon as it is valid.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
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
  DiagnosticSeverity,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_NAMES } from '../engine/config.js';
import { codeActions } from './actions.js';
import { findingRange, hoverMarkdown, PACKAGE_ROOT, toDiagnostic } from './convert.js';
import { LintClient, SUPERSEDED } from './lint-client.js';
import { APP_SOURCE, appOfSource, type CdkReply, type ConfigProblem, type ConfigState, type ConfigTextReply, type LintReply, type LspFinding, type RuleInfo, type WatchedReply, type WorkspaceApp } from './wire.js';

export const DEFAULT_DEBOUNCE_MS = 150;
/** Delay of the CDK pass after an assembly changes: `cdk synth` writes many files in a burst. */
export const DEFAULT_CDK_DEBOUNCE_MS = 300;

/** File watchers the server registers (when the client allows dynamic registration). */
export const WATCHERS = ['**/*.{yaml,yml,json,template}', '**/stowage.config.{yaml,yml,json}', '**/cdk.out/**'];

export interface ServerOptions {
  /** Delay between a change and its diagnostics (default 150 ms; `initializationOptions.debounceMs` or STOWAGE_LSP_DEBOUNCE_MS override). */
  debounceMs?: number;
  /** Delay of the CDK pass after an assembly or app file changes (default 300 ms; `initializationOptions.cdkDebounceMs` overrides). */
  cdkDebounceMs?: number;
}

/** A config problem as a diagnostic on the config file. */
export function configDiagnostic(p: ConfigProblem): Diagnostic {
  return {
    range: findingRange(p),
    severity: DiagnosticSeverity.Error,
    code: 'config-error',
    source: 'stowage',
    message: p.detail,
  };
}

const isConfigDocument = (uri: string) => CONFIG_NAMES.includes(basename(uriToPath(uri)));

/** Documents larger than this (in UTF-8) are not linted: the client is told once, and their diagnostics are cleared. */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

/** Shown once when the configuration names plugins the client did not allow. */
export const PLUGINS_NOTICE = "stowage: plugins not loaded: set initializationOptions.allowPlugins (or STOWAGE_ALLOW_PLUGINS=1) to trust this repository's plugins";

/** A CDK finding as a diagnostic on the app's source, with its place in the synthesized template as related information. */
export function cdkDiagnostic(f: LspFinding, rules: Map<string, RuleInfo>): Diagnostic {
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
    const stop = serve(connection, options);
    connection.onExit(() => {
      void stop();
      resolveExit(0);
    });
    connection.listen();
  });
}

interface DocState {
  version: number;
  findings: LspFinding[];
  json: boolean;
}

/** Wire the server to a connection; returns a function that stops its lint worker. */
export function serve(connection: Connection, options: ServerOptions = {}): () => Promise<void> {
  const documents = new TextDocuments(TextDocument);
  const state = new Map<string, DocState>();
  const timers = new Map<string, NodeJS.Timeout>();
  /** The version of each open document last sent to be linted (or checked, for a config document). */
  const requested = new Map<string, number>();
  let rulesById = new Map<string, RuleInfo>();
  let apps: WorkspaceApp[] = [];
  let initial: ConfigState | undefined;
  let debounceMs = options.debounceMs ?? envDebounce() ?? DEFAULT_DEBOUNCE_MS;
  let cdkDebounceMs = options.cdkDebounceMs ?? DEFAULT_CDK_DEBOUNCE_MS;
  let watchDynamically = false;
  /** The CDK pass's findings and what was last published, by source file path. */
  let cdkFindings = new Map<string, LspFinding[]>();
  const cdkPublished = new Map<string, string>();
  let cdkTimer: NodeJS.Timeout | undefined;
  let shuttingDown = false;
  /** Notices of the CDK pass already logged (each once per session). */
  const cdkNotices = new Set<string>();
  /** Config problems by where they come from (`workspace`, or an open config document's path), and what was published, by config file path. */
  const configProblems = new Map<string, ConfigProblem[]>();
  const configPublished = new Map<string, string>();
  /** Open documents over the size limit the client has been told about. */
  const tooLarge = new Set<string>();
  let pluginsNoticeShown = false;

  const logError = (what: string, e: unknown) => connection.console.error(`stowage: ${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  const link = new LintClient(
    (line) => connection.console.error(line),
    (s) => {
      // The worker was started again: it knows nothing of the open documents.
      applyState(s as ConfigState);
      requested.clear();
      for (const doc of documents.all()) if (isConfigDocument(doc.uri)) lintNow(doc);
      relintOpen();
      if (apps.length) scheduleCdk();
    },
  );

  // A notification (not window/showMessageRequest): clients that cannot answer requests still show it.
  const warn = (message: string) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });

  const applyState = (s: ConfigState, force?: string) => {
    rulesById = new Map(s.rules.map((r) => [r.id, r]));
    apps = s.apps;
    configProblems.set('workspace', s.problems);
    publishConfig(force);
    if (s.pluginsSkipped && !pluginsNoticeShown) {
      pluginsNoticeShown = true;
      warn(PLUGINS_NOTICE);
    }
  };

  /** Tell the user about the workspace configuration's problems (when it is loaded from disk). */
  const warnConfig = (problems: ConfigProblem[]) => {
    if (!problems.length) return;
    warn(`stowage: ${problems[0]!.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`);
  };

  /** Publish the config problems on the config files they are in (clearing files that have none now); `force`: this file's even when unchanged. */
  const publishConfig = (force?: string) => {
    const byPath = new Map<string, Diagnostic[]>();
    const seen = new Set<string>();
    for (const list of configProblems.values()) {
      for (const p of list) {
        const key = `${p.path}\0${p.line}:${p.column}\0${p.detail}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const ds = byPath.get(p.path) ?? [];
        ds.push(configDiagnostic(p));
        byPath.set(p.path, ds);
      }
    }
    for (const path of new Set([...byPath.keys(), ...configPublished.keys(), ...(force ? [force] : [])])) {
      const diagnostics = byPath.get(path) ?? [];
      const key = JSON.stringify(diagnostics);
      if (path !== force && (configPublished.get(path) ?? '[]') === key) continue;
      if (diagnostics.length) configPublished.set(path, key);
      else configPublished.delete(path);
      const doc = documents.all().find((d) => uriToPath(d.uri) === path);
      void connection.sendDiagnostics({ uri: doc?.uri ?? pathToFileURL(path).href, diagnostics, ...(doc ? { version: doc.version } : {}) });
    }
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
  const runCdk = async () => {
    if (cdkTimer) clearTimeout(cdkTimer);
    cdkTimer = undefined;
    const sources: Record<string, string> = {};
    for (const doc of documents.all()) if (APP_SOURCE.test(doc.uri)) sources[uriToPath(doc.uri)] = doc.getText();
    let r: CdkReply | typeof SUPERSEDED;
    try {
      r = await link.request<CdkReply>({ type: 'cdk', sources }, { key: 'cdk' });
    } catch (e) {
      logError('could not lint the CDK assemblies', e);
      return;
    }
    if (r === SUPERSEDED) return;
    for (const n of r.notices) {
      if (cdkNotices.has(n)) continue;
      cdkNotices.add(n);
      connection.console.warn(`stowage: ${n}`);
    }
    const next = new Map<string, LspFinding[]>();
    for (const [path, findings] of r.bySource) if (findings.length) next.set(path, findings);
    const before = [...cdkPublished.keys()];
    cdkFindings = next;
    for (const path of next.keys()) publishCdk(path);
    for (const path of before) if (!next.has(path)) publishCdk(path);
  };

  const scheduleCdk = () => {
    if (cdkTimer) clearTimeout(cdkTimer);
    if (shuttingDown) return;
    cdkTimer = setTimeout(() => void runCdk(), cdkDebounceMs);
  };

  /** Check an open config document's text; the workspace's own is used as soon as it is valid. */
  const checkConfigText = async (doc: TextDocument) => {
    const path = uriToPath(doc.uri);
    let r: ConfigTextReply | typeof SUPERSEDED;
    try {
      r = await link.request<ConfigTextReply>({ type: 'configText', path, text: doc.getText() }, { key: `config:${doc.uri}` });
    } catch (e) {
      logError(`could not check ${doc.uri}`, e);
      return;
    }
    if (r === SUPERSEDED || documents.get(doc.uri) === undefined) return;
    if (r.workspace) configProblems.delete(path);
    else configProblems.set(path, r.problems);
    // The document gets its diagnostics (an empty list included) for every version checked.
    applyState(r.state, path);
    if (r.applied) {
      relintOpen();
      if (apps.length) scheduleCdk();
    }
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
    requested.set(doc.uri, doc.version);
    if (isConfigDocument(doc.uri)) {
      void checkConfigText(doc);
      return;
    }
    const path = uriToPath(doc.uri);
    const text = doc.getText();
    const key = `lint:${doc.uri}`;
    if (text.length > MAX_DOCUMENT_BYTES || Buffer.byteLength(text, 'utf8') > MAX_DOCUMENT_BYTES) {
      // Not linted, and not kept as context either.
      link.cancelKey(key);
      void link.request({ type: 'close', path }).catch((e: unknown) => logError(`could not drop ${doc.uri}`, e));
      if (!tooLarge.has(doc.uri)) {
        tooLarge.add(doc.uri);
        warn(`stowage: ${path} is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB, so it is not linted`);
      }
      state.set(doc.uri, { version: doc.version, findings: [], json: false });
      void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: [] });
      return;
    }
    const version = doc.version;
    link.request<LintReply>({ type: 'lint', path, text }, { key, tag: version }).then(
      (r) => {
        if (r === SUPERSEDED || r.cancelled) return;
        // Only the document's current version is published; a newer one is on its way.
        if (documents.get(doc.uri)?.version !== version) return;
        state.set(doc.uri, { version, findings: r.findings, json: r.json });
        void connection.sendDiagnostics({ uri: doc.uri, version, diagnostics: r.findings.map((f) => toDiagnostic(f, rulesById)) });
      },
      (e: unknown) => logError(`could not lint ${doc.uri}`, e),
    );
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
    for (const doc of documents.all()) if (!APP_SOURCE.test(doc.uri) && !isConfigDocument(doc.uri)) lintNow(doc);
  };

  connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
    const init = (params.initializationOptions ?? {}) as { debounceMs?: unknown; cdkDebounceMs?: unknown; allowPlugins?: unknown };
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0) debounceMs = init.debounceMs;
    if (typeof init.cdkDebounceMs === 'number' && init.cdkDebounceMs >= 0) cdkDebounceMs = init.cdkDebounceMs;
    const allowPlugins = init.allowPlugins === true || process.env.STOWAGE_ALLOW_PLUGINS === '1';
    const uris = (params.workspaceFolders ?? []).map((f) => f.uri);
    if (!uris.length && params.rootUri) uris.push(params.rootUri);
    const roots = uris.filter((u) => u.startsWith('file:')).map(uriToPath);
    if (!roots.length && params.rootPath) roots.push(params.rootPath);
    try {
      await link.start();
      const s = await link.request<ConfigState>({ type: 'init', roots, allowPlugins });
      if (s !== SUPERSEDED) initial = s;
    } catch (e) {
      logError('could not read the workspace', e);
    }
    if (initial) rulesById = new Map(initial.rules.map((r) => [r.id, r]));
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
    if (initial) {
      applyState(initial);
      warnConfig(initial.problems);
      if (initial.workspaceNotice) connection.console.warn(`stowage: ${initial.workspaceNotice}`);
    }
    if (watchDynamically) {
      connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: WATCHERS.map((globPattern) => ({ globPattern })),
        })
        .catch((e: unknown) => connection.console.warn(`stowage: the client refused to watch files: ${e instanceof Error ? e.message : String(e)}`));
    }
    // The CDK pass at start (after this handler, so the registration goes out first).
    if (apps.length) setImmediate(() => shuttingDown || void runCdk());
  });

  connection.onShutdown(() => {
    shuttingDown = true;
    if (cdkTimer) clearTimeout(cdkTimer);
    cdkTimer = undefined;
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
    return link.stop();
  });

  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    let r: WatchedReply | typeof SUPERSEDED;
    try {
      r = await link.request<WatchedReply>({ type: 'watched', changes: changes.map((c) => ({ path: uriToPath(c.uri), deleted: c.type === FileChangeType.Deleted })) });
    } catch (e) {
      logError('could not read the changed files', e);
      return;
    }
    if (r === SUPERSEDED) return;
    applyState(r.state);
    if (r.configChanged) warnConfig(r.state.problems);
    relintOpen();
    if (r.cdkChanged || r.configChanged) scheduleCdk();
  });

  documents.onDidOpen(({ document }) => lintNow(document));
  documents.onDidChangeContent(({ document }) => {
    // Opening fires this as well: the open handler has already sent it.
    if (APP_SOURCE.test(document.uri)) {
      // An app file edited: map the assembly to the source as it is now.
      if (appOfSource(apps, uriToPath(document.uri))) scheduleCdk();
      return;
    }
    if (requested.get(document.uri) === document.version) return;
    schedule(document);
  });
  documents.onDidSave(() => {
    // Other open documents may depend on the saved one (cross-file rules).
    for (const doc of documents.all()) if (!timers.has(doc.uri) && !APP_SOURCE.test(doc.uri) && !isConfigDocument(doc.uri)) lintNow(doc);
  });
  documents.onDidClose(({ document }) => {
    const t = timers.get(document.uri);
    if (t) clearTimeout(t);
    timers.delete(document.uri);
    state.delete(document.uri);
    requested.delete(document.uri);
    tooLarge.delete(document.uri);
    const path = uriToPath(document.uri);
    link.cancelKey(`lint:${document.uri}`);
    void link.request({ type: 'close', path }).catch((e: unknown) => logError(`could not close ${document.uri}`, e));
    if (APP_SOURCE.test(document.uri)) {
      // Its CDK findings stay (a problems view shows unopened files); the file on disk counts again.
      publishCdk(path, true);
      if (appOfSource(apps, path)) scheduleCdk();
      return;
    }
    if (isConfigDocument(document.uri)) {
      // The file on disk counts again; its problems (if any) stay published.
      configProblems.delete(path);
      link.request<ConfigTextReply>({ type: 'configText', path, text: undefined }, { key: `config:${document.uri}` }).then(
        (r) => {
          if (r === SUPERSEDED) return;
          applyState(r.state);
          if (r.applied) relintOpen();
        },
        (e: unknown) => logError(`could not reload ${document.uri}`, e),
      );
      return;
    }
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.onCodeAction((params) => {
    const doc = documents.get(params.textDocument.uri);
    const st = state.get(params.textDocument.uri);
    if (!doc || !st || st.version !== doc.version) return [];
    return codeActions({ document: doc, json: st.json, findings: st.findings }, params.context.diagnostics);
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
  return () => link.stop();
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
