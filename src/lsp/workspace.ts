/**
 * The language server's view of a workspace: the files the CLI would lint,
 * parsed once and kept, the open documents' in-memory versions on top, and
 * the configuration. Linting an open document re-parses only that document
 * and models it together with the cached rest (engine `reportOnly`).
 */
import { basename, extname } from 'node:path';
import { ConfigError, CONFIG_NAMES, defaultConfig, loadConfig, type ResolvedConfig } from '../engine/config.js';
import { discover } from '../engine/discover.js';
import { lintParsed, parseInputs, type Finding, type LintInput } from '../engine/lint.js';
import type { Rule } from '../engine/rule.js';
import type { CdkStack, ParsedFile } from '../parsers/index.js';
import { builtinRules } from '../rules/index.js';

/** A workspace folder with more candidate files than this (a home folder opened by mistake) is read only in part. */
export const MAX_CONTEXT_FILES = 5000;

const LINTED_EXTENSIONS = new Set(['.yaml', '.yml', '.json', '.template']);

/** Would a broken file be one of ours? Then its syntax errors are shown (as the CLI does for a named file). */
const LOOKS_LIKE_OURS = /AWSTemplateFormatVersion|"?Resources"?\s*:|containerDefinitions|^\s*"?apiVersion"?\s*:|^\s*"?kind"?\s*:\s*"?ClusterConfig/im;

export interface DocumentLint {
  /** Findings for the document (empty when it is none of stowage's formats). */
  findings: Finding[];
  /** The parsed document, when it was recognised (or is broken but looks like one of ours). */
  parsed?: ParsedFile;
}

export class LspWorkspace {
  config: ResolvedConfig;
  rules: Rule[] = [...builtinRules];
  /** Something the user should know about the last discovery (a workspace too large to read whole). */
  notice: string | undefined;
  /** A configuration problem found at the last (re)load, for the client to show. */
  configError: string | undefined;
  /** Workspace files as on disk, by absolute path. */
  private readonly disk = new Map<string, ParsedFile>();
  /** CDK stack information of templates discovered inside cloud assemblies. */
  private readonly cdk = new Map<string, CdkStack>();
  /** Open documents' latest parse, by path; these win over `disk`. */
  private readonly open = new Map<string, ParsedFile>();
  /** Paths of open documents that were once recognised (their later syntax errors are shown). */
  private readonly recognised = new Set<string>();

  constructor(readonly roots: string[]) {
    this.config = defaultConfig(roots[0] ?? process.cwd());
  }

  /** Load the configuration and parse every file of the workspace once. */
  async init(): Promise<void> {
    await this.reloadConfig();
    this.rediscover();
  }

  async reloadConfig(): Promise<void> {
    const root = this.roots[0] ?? process.cwd();
    try {
      this.config = await loadConfig(root);
      this.configError = undefined;
    } catch (e) {
      this.config = defaultConfig(root);
      this.configError = e instanceof ConfigError ? e.message : `cannot load the configuration: ${e instanceof Error ? e.message : String(e)}`;
    }
    this.rules = [...builtinRules, ...this.config.plugins];
  }

  /** Walk the workspace folders again (at start, and when the configuration changes). */
  rediscover(): void {
    this.disk.clear();
    this.cdk.clear();
    this.notice = undefined;
    if (!this.roots.length) return;
    const found = discover(this.roots, this.roots[0]!, this.config.ignorePatterns, this.config.baseDir);
    const inputs: LintInput[] = [];
    if (found.files.length > MAX_CONTEXT_FILES) {
      this.notice = `the workspace has ${found.files.length} YAML/JSON files; only the first ${MAX_CONTEXT_FILES} are read as cross-file context`;
      found.files.length = MAX_CONTEXT_FILES;
    }
    for (const f of found.files) {
      if (f.cdk) this.cdk.set(f.path, f.cdk);
      inputs.push({ path: f.path, explicit: false, ...(f.cdk ? { cdk: f.cdk } : {}) });
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
    if (!this.config.ignorePatterns.length) return false;
    return discover([path], this.roots[0]!, this.config.ignorePatterns, this.config.baseDir).files.length === 0;
  }

  /** Parse an open document's text and lint it with the rest of the workspace as context. */
  lintDocument(path: string, text: string): DocumentLint {
    const cdk = this.cdk.get(path);
    const explicit = this.recognised.has(path) || LOOKS_LIKE_OURS.test(text);
    const [pf] = parseInputs([{ path, text, explicit, ...(cdk ? { cdk } : {}) }], []);
    if (!pf) {
      this.open.delete(path);
      return { findings: [] };
    }
    if (pf.recognized) this.recognised.add(path);
    this.open.set(path, pf);
    const files: ParsedFile[] = [];
    for (const [p, f] of this.disk) if (!this.open.has(p)) files.push(f);
    for (const f of this.open.values()) files.push(f);
    const out = lintParsed(files, { rules: this.rules, config: this.config, reportOnly: new Set([path]) });
    const findings = out.results.find((r) => r.path === path)?.findings ?? [];
    return { findings, parsed: pf };
  }

  /** The document was closed: the file on disk is the context again. */
  closeDocument(path: string): void {
    this.open.delete(path);
    this.recognised.delete(path);
  }
}
