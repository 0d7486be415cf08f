/**
 * The CLI's CI-gate pieces: progress on a terminal, `--output-file`, `--context`,
 * baselines and `stowage init`. Kept apart from index.ts so that file stays the wiring.
 */
import { appendFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CONFIG_NAMES } from '../engine/config.js';
import { discover } from '../engine/discover.js';
import { parseInputs, type LintInput } from '../engine/lint.js';
import type { ParsedFile } from '../parsers/index.js';

/** Whether `CI` is set (to anything but an explicit false). */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * `files parsed / total` on a terminal's stderr, only once a run has taken longer than
 * `delayMs`, at most ten writes a second, cleared at the end. Parsing is synchronous, so a
 * timer could not fire during it; instead each file costs one clock read.
 */
export class Progress {
  private readonly started = Date.now();
  private last = 0;
  private shown = false;

  constructor(
    private readonly write: (s: string) => void,
    readonly enabled: boolean,
    private readonly delayMs = Number(process.env.STOWAGE_PROGRESS_DELAY_MS ?? 1000),
  ) {}

  update(text: string, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.started < this.delayMs) return;
    if (!force && now - this.last < 100) return;
    this.last = now;
    this.shown = true;
    this.write(`\r\u001b[2K${text}`);
  }

  clear(): void {
    if (this.shown) this.write('\r\u001b[2K');
    this.shown = false;
  }
}

/** Parse inputs one by one, reporting progress. */
export function parseWithProgress(inputs: LintInput[], notices: string[], progress: Progress): ParsedFile[] {
  if (!progress.enabled) return parseInputs(inputs, notices);
  const parsed: ParsedFile[] = [];
  const total = inputs.length;
  for (let i = 0; i < total; i++) {
    parsed.push(...parseInputs([inputs[i]!], notices));
    progress.update(`stowage: parsed ${i + 1}/${total} files`);
  }
  progress.update(`stowage: parsed ${total}/${total} files; checking rules`, true);
  return parsed;
}

/**
 * `--context <dir>`: every file under `dir` joins the model, but only the inputs named on the
 * command line are reported on. Returns the merged inputs and the paths to report on.
 */
export function withContext(
  inputs: LintInput[],
  contextDir: string,
  cwd: string,
  ignorePatterns: string[],
  ignoreBase: string,
  notices: string[],
): { inputs: LintInput[]; reportOnly: Set<string> } | { error: string } {
  let isDir = false;
  try {
    isDir = statSync(resolve(cwd, contextDir)).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) return { error: `--context expects a directory, got "${contextDir}"` };
  const reportOnly = new Set(inputs.map((i) => i.path));
  const found = discover([contextDir], cwd, ignorePatterns, ignoreBase);
  notices.push(...found.notices);
  const merged = [...inputs];
  for (const f of found.files) {
    if (reportOnly.has(f.path)) continue;
    merged.push({ path: f.path, explicit: false, ...(f.cdk ? { cdk: f.cdk } : {}), ...(f.raw ? { raw: f.raw } : {}) });
  }
  return { inputs: merged, reportOnly };
}

/** Write a report to a file, creating its folder. */
export function writeReport(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Append the job summary where GitHub Actions asks for it (`$GITHUB_STEP_SUMMARY`), if it does. */
export function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  appendFileSync(file, markdown);
  return true;
}

export const STARTER_CONFIG = `# stowage configuration. Reference: README.md, "Configuration".
# Every key is optional; delete what you do not need.

# The preset: "recommended" (the default rules) or "all" (adds the rules that are off by default).
extends: recommended

# Severity per rule: off | info | warning | error. \`stowage rules\` lists every rule.
rules: {}
#  elb/no-classic-load-balancer: error
#  iam/task-role-per-service: "off"

# Globs (relative to this file) of paths never to lint.
ignorePatterns: []
#  - "legacy/**"

# Different severities for some files, applied in order after \`rules\`.
overrides: []
#  - files: ["stacks/sandbox-*.yaml"]
#    rules:
#      capacity/managed-termination-protection: warning

# Modules with your own rules (see docs/custom-rules.md).
plugins: []
#  - ./stowage-rules/cost-center.mjs
`;

/** `stowage init`: write a starter config into `cwd`; refuses to replace one unless `force`. */
export function initConfig(cwd: string, force: boolean): { ok: true; path: string } | { ok: false; message: string } {
  const path = join(resolve(cwd), CONFIG_NAMES[0]!);
  const existing = CONFIG_NAMES.map((n) => join(resolve(cwd), n)).filter((p) => existsSync(p));
  if (existing.length && !force) return { ok: false, message: `${existing[0]} already exists; use --force to overwrite ${CONFIG_NAMES[0]}` };
  writeFileSync(path, STARTER_CONFIG);
  return { ok: true, path };
}
