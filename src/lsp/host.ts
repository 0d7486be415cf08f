/**
 * The lint side of the language server: owns the workspace (its parsed files, the open documents'
 * parses, the configuration) and answers the connection thread's requests one at a time. It runs
 * in a worker thread (`worker.ts`), so a long lint never keeps the connection from answering; the
 * connection thread can cancel the lint in progress through `cancelled`.
 */
import { dirname, resolve } from 'node:path';
import { defaultConfig, findConfig, loadConfig, loadConfigText, ruleOptionProblem, type ResolvedConfig } from '../engine/config.js';
import { builtinRules } from '../rules/index.js';
import { problemAt, problemOf, unknownRuleProblems } from './config-check.js';
import { warmUp } from './warm-up.js';
import { LspWorkspace } from './workspace.js';
import { toWire, type CdkReply, type ConfigProblem, type ConfigState, type ConfigTextReply, type HostRequest, type LintReply, type WatchedReply } from './wire.js';

export class LintHost {
  private ws = new LspWorkspace([]);
  private allowPlugins = false;
  private pluginsSkipped = false;
  /** Problems of the configuration in use. */
  private problems: ConfigProblem[] = [];
  /** Open config documents' texts, by path (they win over the files on disk). */
  private readonly configTexts = new Map<string, string>();

  constructor(private readonly cancelled: () => boolean = () => false) {}

  async handle(req: HostRequest): Promise<unknown> {
    switch (req.type) {
      case 'init':
        return this.init(req.roots, req.allowPlugins);
      case 'lint': {
        const r = this.ws.lintDocument(req.path, req.text, this.cancelled);
        const reply: LintReply = { findings: r.cancelled ? [] : toWire(r.findings, r.parsed), json: r.parsed ? r.parsed.file.syntax === 'json' : /^\s*[{[]/.test(req.text) };
        if (r.cancelled) reply.cancelled = true;
        return reply;
      }
      case 'close':
        this.ws.closeDocument(req.path);
        return null;
      case 'watched':
        return this.watched(req.changes);
      case 'configText':
        return this.configText(req.path, req.text);
      case 'cdk': {
        const r = this.ws.lintCdk((p) => req.sources[p]);
        const reply: CdkReply = { bySource: [...r.bySource].map(([p, f]) => [p, toWire(f, undefined)]), notices: r.notices };
        return reply;
      }
    }
  }

  /** Compile the parsers and rules with a lint of small samples (see `warm-up.ts`); never fails. */
  warmUp(): void {
    try {
      warmUp(this.ws.rules);
    } catch {
      // only costs the first lint some speed
    }
  }

  private async init(roots: string[], allowPlugins: boolean): Promise<ConfigState> {
    this.ws = new LspWorkspace(roots);
    this.allowPlugins = allowPlugins;
    await this.loadWorkspaceConfig();
    try {
      this.ws.rediscover();
    } catch (e) {
      console.error(`stowage: could not read the workspace: ${e instanceof Error ? e.message : String(e)}`);
    }
    return this.state();
  }

  private get root(): string {
    return this.ws.roots[0] ?? process.cwd();
  }

  /** Is this the config file the workspace uses (or would use, once written)? */
  private isWorkspaceConfig(path: string): boolean {
    const found = findConfig(this.root);
    return found ? found === path : dirname(path) === resolve(this.root);
  }

  /** Load a configuration and find its problems: what cannot be loaded, and rule ids no rule has. */
  private async check(load: () => Promise<ResolvedConfig>, path: string): Promise<{ config?: ResolvedConfig; problems: ConfigProblem[]; pluginsSkipped: boolean }> {
    let config: ResolvedConfig;
    try {
      config = await load();
    } catch (e) {
      return { problems: [problemOf(e, path)], pluginsSkipped: false };
    }
    const rules = [...builtinRules, ...config.plugins];
    const problems = unknownRuleProblems(config, rules.map((r) => r.id));
    const options = await ruleOptionProblem(config, rules);
    if (options?.node) problems.push(problemAt(options.node, options.message));
    return { config, problems, pluginsSkipped: config.pluginsSkipped };
  }

  /**
   * The workspace's configuration, from its open document or from disk. One that cannot be loaded
   * leaves the defaults in use; one with unknown rule ids is used (those ids match nothing).
   */
  private async loadWorkspaceConfig(): Promise<void> {
    const root = this.root;
    const path = findConfig(root);
    const text = path ? this.configTexts.get(path) : undefined;
    const opts = { allowPlugins: this.allowPlugins };
    const r = await this.check(() => (path && text !== undefined ? loadConfigText(path, text, opts) : loadConfig(root, undefined, opts)), path ?? root);
    this.ws.setConfig(r.config ?? defaultConfig(root));
    this.problems = r.problems;
    this.pluginsSkipped = r.pluginsSkipped;
  }

  private async watched(changes: Array<{ path: string; deleted: boolean }>): Promise<WatchedReply> {
    let configChanged = false;
    let cdkChanged = false;
    for (const c of changes) {
      if (this.ws.isConfigFile(c.path)) {
        configChanged = true;
        continue;
      }
      if (this.ws.isCdkJson(c.path)) {
        this.ws.refreshApps({ path: c.path, deleted: c.deleted });
        cdkChanged = true;
      }
      if (this.ws.appOfAssemblyFile(c.path)) cdkChanged = true;
      // An open document's own file on disk does not matter while it is open; its context does.
      if (c.deleted) this.ws.fileDeleted(c.path);
      else this.ws.fileChanged(c.path);
    }
    if (configChanged) {
      await this.loadWorkspaceConfig();
      this.ws.rediscover();
    }
    return { configChanged, cdkChanged, state: this.state() };
  }

  /**
   * A config document's text as typed (`text`), or closed (`undefined`: the file on disk counts
   * again). Its problems are returned; the workspace's own config is used as soon as it is valid.
   */
  private async configText(path: string, text: string | undefined): Promise<ConfigTextReply> {
    if (text === undefined) this.configTexts.delete(path);
    else this.configTexts.set(path, text);
    const ignoreBefore = JSON.stringify(this.ws.config.ignorePatterns);
    let applied = false;
    let problems: ConfigProblem[];
    if (!this.isWorkspaceConfig(path)) {
      problems = text === undefined ? [] : (await this.check(() => loadConfigText(path, text, { allowPlugins: this.allowPlugins }), path)).problems;
    } else if (text === undefined) {
      await this.loadWorkspaceConfig();
      problems = this.problems;
      applied = true;
    } else {
      const r = await this.check(() => loadConfigText(path, text, { allowPlugins: this.allowPlugins }), path);
      problems = this.problems = r.problems;
      if (r.config && !r.problems.length) {
        this.ws.setConfig(r.config);
        this.pluginsSkipped = r.pluginsSkipped;
        applied = true;
      }
    }
    if (applied && JSON.stringify(this.ws.config.ignorePatterns) !== ignoreBefore) this.ws.rediscover();
    return { problems, workspace: this.isWorkspaceConfig(path), applied, state: this.state() };
  }

  private state(): ConfigState {
    return {
      rules: this.ws.rules.map((r) => ({ id: r.id, description: r.description, docs: r.docs })),
      problems: this.problems,
      pluginsSkipped: this.pluginsSkipped,
      apps: this.ws.apps,
      workspaceNotice: this.ws.notice,
    };
  }
}
