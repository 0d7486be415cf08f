/**
 * The language server's view of a workspace: the files the CLI would lint,
 * parsed once and kept, the open documents' in-memory versions on top, and
 * the configuration. Linting an open document re-parses only that document
 * and models it together with the cached rest (engine `reportOnly`).
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve, sep } from 'node:path';
import { CONFIG_NAMES, defaultConfig, type ResolvedConfig } from '../engine/config.js';
import { discover } from '../engine/discover.js';
import { stampOf } from '../cdk/files.js';
import { lintParsed, parseInputs, type Finding, type LintInput } from '../engine/lint.js';
import type { Rule } from '../engine/rule.js';
import { isCloudAssembly, readCloudAssembly } from '../parsers/cdk.js';
import type { CdkStack, ParsedFile } from '../parsers/index.js';
import { builtinRules } from '../rules/index.js';
import { APP_SOURCE, appOfSource, type WorkspaceApp } from './wire.js';

export { APP_SOURCE, type WorkspaceApp } from './wire.js';

/** A workspace folder with more candidate files than this (a home folder opened by mistake) is read only in part. */
export const MAX_CONTEXT_FILES = 5000;

const LINTED_EXTENSIONS = new Set(['.yaml', '.yml', '.json', '.template']);

/** Would a broken file be one of ours? Then its syntax errors are shown (as the CLI does for a named file). */
// Indentation is matched within the line (`[^\S\n\r\u2028\u2029]`), so blank lines are not read again from every line start.
const LOOKS_LIKE_OURS = /AWSTemplateFormatVersion|"?Resources"?\s*:|containerDefinitions|^[^\S\n\r\u2028\u2029]*"?apiVersion"?\s*:|^[^\S\n\r\u2028\u2029]*"?kind"?\s*:\s*"?ClusterConfig/im;

export interface DocumentLint {
  /** Findings for the document (empty when it is none of stowage's formats). */
  findings: Finding[];
  /** The parsed document, when it was recognised (or is broken but looks like one of ours). */
  parsed?: ParsedFile;
  /** The lint was given up half-way (a newer version of the document is waiting): the findings are partial. */
  cancelled?: boolean;
}

/** Thrown inside a rule when the lint it belongs to was cancelled. */
class Cancelled extends Error {}


export interface CdkLint {
  /** Findings mapped to the apps' source files, by path (an empty list: the file had findings, all suppressed). */
  bySource: Map<string, Finding[]>;
  /** Assemblies linted (those that exist). */
  assemblies: number;
  notices: string[];
}

export class LspWorkspace {
  config: ResolvedConfig;
  rules: Rule[] = [...builtinRules];
  /** Something the user should know about the last discovery (a workspace too large to read whole). */
  notice: string | undefined;
  /** Workspace files as on disk, by absolute path. */
  private readonly disk = new Map<string, ParsedFile>();
  /** CDK stack information of templates discovered inside cloud assemblies. */
  private readonly cdk = new Map<string, CdkStack>();
  /** Open documents' latest parse, by path; these win over `disk`. */
  private readonly open = new Map<string, ParsedFile>();
  /** Paths of open documents that were once recognised (their later syntax errors are shown). */
  private readonly recognised = new Set<string>();
  /** `cdk.json` files of the workspace (found by the walk; their assemblies are usually git-ignored, so looked up directly). */
  private cdkJsons: string[] = [];
  /** The CDK apps of the workspace. */
  apps: WorkspaceApp[] = [];
  /** Assembly templates as parsed for the CDK pass, with the stamp (time and size) they were parsed at. */
  private readonly assemblyParsed = new Map<string, { stamp: string; pf: ParsedFile | undefined }>();

  constructor(readonly roots: string[]) {
    this.config = defaultConfig(roots[0] ?? process.cwd());
  }

  /** Use a configuration (loaded and checked by the caller, `host.ts`). */
  setConfig(config: ResolvedConfig): void {
    this.config = config;
    this.rules = [...builtinRules, ...config.plugins];
  }

  /** Walk the workspace folders again (at start, and when the configuration changes). */
  rediscover(): void {
    this.disk.clear();
    this.cdk.clear();
    this.notice = undefined;
    this.cdkJsons = [];
    this.apps = [];
    if (!this.roots.length) return;
    const found = discover(this.roots, this.roots[0]!, this.config.ignorePatterns, this.config.baseDir);
    this.cdkJsons = found.files.filter((f) => basename(f.path) === 'cdk.json').map((f) => f.path);
    this.refreshApps();
    const inputs: LintInput[] = [];
    if (found.files.length > MAX_CONTEXT_FILES) {
      this.notice = `the workspace has ${found.files.length} YAML/JSON files; only the first ${MAX_CONTEXT_FILES} are read as cross-file context`;
      found.files.length = MAX_CONTEXT_FILES;
    }
    for (const f of found.files) {
      if (f.cdk) this.cdk.set(f.path, f.cdk);
      inputs.push({ path: f.path, explicit: false, ...(f.cdk ? { cdk: f.cdk } : {}), ...(f.raw ? { raw: f.raw } : {}) });
    }
    for (const pf of parseInputs(inputs, [])) this.disk.set(pf.file.path, pf);
  }

  /** Number of workspace files held as context. */
  get size(): number {
    return this.disk.size;
  }

  isConfigFile(path: string): boolean {
    return CONFIG_NAMES.includes(basename(path));
  }

  /** A file changed or appeared on disk: parse it again (or drop it when it is not ours any more). */
  fileChanged(path: string): void {
    if (basename(path) === 'manifest.json' && path.includes('cdk.out')) {
      this.rediscover();
      return;
    }
    if (!LINTED_EXTENSIONS.has(extname(path).toLowerCase()) || this.isIgnored(path)) return;
    const cdk = this.cdk.get(path);
    const [pf] = parseInputs([{ path, explicit: false, ...(cdk ? { cdk } : {}) }], []);
    if (pf) this.disk.set(path, pf);
    else this.disk.delete(path);
  }

  fileDeleted(path: string): void {
    this.disk.delete(path);
    // A deleted folder: drop what was under it.
    const prefix = path.endsWith('/') ? path : `${path}/`;
    for (const p of [...this.disk.keys()]) if (p.startsWith(prefix)) this.disk.delete(p);
  }

  private isIgnored(path: string): boolean {
    if (!this.roots.some((r) => path === r || path.startsWith(r.endsWith('/') ? r : `${r}/`))) return true;
    return this.isIgnoredPattern(path);
  }

  /** Listed in the configuration's `ignorePatterns`. */
  private isIgnoredPattern(path: string): boolean {
    if (!this.config.ignorePatterns.length) return false;
    return discover([path], this.roots[0]!, this.config.ignorePatterns, this.config.baseDir).files.length === 0;
  }

  /** Read the workspace's `cdk.json` files again (one of them changed, appeared or went away). */
  refreshApps(changed?: { path: string; deleted: boolean }): void {
    if (changed) {
      this.cdkJsons = this.cdkJsons.filter((p) => p !== changed.path);
      if (!changed.deleted && !this.isIgnored(changed.path)) this.cdkJsons.push(changed.path);
    }
    const apps: WorkspaceApp[] = [];
    for (const path of this.cdkJsons) {
      let output: unknown;
      try {
        output = (JSON.parse(readFileSync(path, 'utf8')) as { output?: unknown }).output;
      } catch {
        continue;
      }
      const root = dirname(path);
      apps.push({ root, assembly: resolve(root, typeof output === 'string' ? output : 'cdk.out') });
    }
    this.apps = apps;
  }

  /** Is this a `cdk.json` (of the workspace, or a new one)? */
  isCdkJson(path: string): boolean {
    return basename(path) === 'cdk.json';
  }

  /** The app whose assembly holds this path (or is this folder), if any. */
  appOfAssemblyFile(path: string): WorkspaceApp | undefined {
    return this.apps.find((a) => path === a.assembly || path.startsWith(a.assembly + sep));
  }

  /** The app whose source folder holds this path (a TypeScript file of the app, not of its assembly or dependencies). */
  appOfSource(path: string): WorkspaceApp | undefined {
    return appOfSource(this.apps, path);
  }

  /**
   * The CDK pass: lint every app's assembly (with the rest of the workspace as context) and map its
   * findings to the app's source. Template documents keep their own diagnostics (`lintDocument`);
   * this reports only what lands on source files. `readSource` gives an editor's unsaved buffers.
   */
  lintCdk(readSource: (path: string) => string | undefined): CdkLint {
    const notices: string[] = [];
    const templates = new Map<string, ParsedFile>();
    const live = new Set<string>();
    let assemblies = 0;
    for (const app of this.apps) {
      if (!isCloudAssembly(app.assembly)) continue;
      assemblies++;
      for (const t of readCloudAssembly(app.assembly)) {
        if (this.isIgnoredPattern(t.path)) continue;
        live.add(t.path);
        const open = this.open.get(t.path);
        if (open) {
          templates.set(t.path, open);
          continue;
        }
        const stamp = stampOf(t.path);
        if (!stamp) continue;
        let hit = this.assemblyParsed.get(t.path);
        if (!hit || hit.stamp !== stamp) {
          const [pf] = parseInputs([{ path: t.path, explicit: false, ...(t.stack ? { cdk: t.stack } : {}) }], notices);
          hit = { stamp, pf };
          this.assemblyParsed.set(t.path, hit);
        }
        if (hit.pf) templates.set(t.path, hit.pf);
      }
    }
    for (const p of [...this.assemblyParsed.keys()]) if (!live.has(p)) this.assemblyParsed.delete(p);
    const bySource = new Map<string, Finding[]>();
    if (!templates.size) return { bySource, assemblies, notices };
    const inAssembly = (p: string) => !!this.appOfAssemblyFile(p);
    const files: ParsedFile[] = [];
    for (const [p, f] of this.disk) if (!this.open.has(p) && !inAssembly(p)) files.push(f);
    for (const [p, f] of this.open) if (!inAssembly(p)) files.push(f);
    files.push(...templates.values());
    const out = lintParsed(files, { rules: this.rules, config: this.config, cdkLocations: 'source', reportOnly: new Set(templates.keys()), readSource }, notices);
    for (const r of out.results) if (APP_SOURCE.test(r.path)) bySource.set(r.path, r.findings);
    return { bySource, assemblies, notices };
  }

  /**
   * Parse an open document's text and lint it with the rest of the workspace as context.
   * `cancelled` is asked after the parse and before each rule (and each of its reports): once it
   * says yes, the remaining rules are skipped and the result is marked `cancelled`.
   */
  lintDocument(path: string, text: string, cancelled: () => boolean = () => false): DocumentLint {
    const cdk = this.cdk.get(path);
    const explicit = this.recognised.has(path) || LOOKS_LIKE_OURS.test(text);
    const [pf] = parseInputs([{ path, text, explicit, ...(cdk ? { cdk } : {}) }], []);
    if (!pf) {
      this.open.delete(path);
      return { findings: [] };
    }
    if (pf.recognized) this.recognised.add(path);
    this.open.set(path, pf);
    if (cancelled()) return { findings: [], parsed: pf, cancelled: true };
    const files: ParsedFile[] = [];
    for (const [p, f] of this.disk) if (!this.open.has(p)) files.push(f);
    for (const f of this.open.values()) files.push(f);
    const rules = this.rules.map((rule) => ({
      ...rule,
      check: (ctx: Parameters<Rule['check']>[0]) => {
        if (cancelled()) throw new Cancelled();
        return rule.check({
          ...ctx,
          report: (...args: Parameters<typeof ctx.report>) => {
            if (cancelled()) throw new Cancelled();
            ctx.report(...args);
          },
        });
      },
    }));
    const out = lintParsed(files, { rules, config: this.config, reportOnly: new Set([path]) });
    if (cancelled()) return { findings: [], parsed: pf, cancelled: true };
    const findings = out.results.find((r) => r.path === path)?.findings ?? [];
    return { findings, parsed: pf };
  }

  /** The document was closed: the file on disk is the context again. */
  closeDocument(path: string): void {
    this.open.delete(path);
    this.recognised.delete(path);
  }
}
