/**
 * The CLI's CI-gate pieces: progress on a terminal, `--output-file`, `--context`,
 * baselines and `stowage init`. Kept apart from index.ts so that file stays the wiring.
 */
import { appendFileSync, closeSync, constants as fsConstants, existsSync, lstatSync, mkdirSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
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

/** `--output-file` cannot be written: a usage error (exit 2) with this one-line message. */
export class ReportWriteError extends Error {}

/** Why a file-system error happened, in a few words. */
function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a parent of it is not a directory';
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'ENAMETOOLONG':
      return 'file name too long';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return (e instanceof Error ? e.message : String(e)).replace(/^[A-Z]+: /, '');
  }
}

/**
 * Why `path` cannot take a report, checked before linting (so a long run is not wasted): an
 * existing target must be a regular file — a folder, a FIFO or a device (which could block a
 * write forever) is refused. Undefined when it looks writable.
 */
export function reportTargetProblem(path: string, what = 'report'): string | undefined {
  let stat;
  try {
    stat = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined; // created by writeReport, with its folders
    return `cannot write ${what} to ${path}: ${reason(e)}`;
  }
  if (stat.isDirectory()) return `cannot write ${what} to ${path}: is a directory`;
  // A character device (`-o /dev/null`) takes the text at once; a FIFO or socket could block.
  if (!stat.isFile() && !stat.isCharacterDevice()) return `cannot write ${what} to ${path}: not a regular file`;
  return undefined;
}

function isCharacterDevice(path: string): boolean {
  try {
    return statSync(path).isCharacterDevice();
  } catch {
    return false;
  }
}

/**
 * Write a report to a file, creating its folder. The text goes to a new temporary file in the
 * target's folder, which then replaces the target (rename): the target is never opened for
 * writing, so a special file (`/proc`, a FIFO) can neither block the run nor take the text, and a
 * failed write leaves the previous report whole. Throws `ReportWriteError` with a plain message.
 */
export function writeReport(path: string, text: string, what = 'report'): void {
  const fail = (e: unknown): never => {
    throw new ReportWriteError(`cannot write ${what} to ${path}: ${reason(e)}`);
  };
  const problem = reportTargetProblem(path, what);
  if (problem) throw new ReportWriteError(problem);
  if (isCharacterDevice(path)) {
    try {
      const fd = openSync(path, fsConstants.O_WRONLY | fsConstants.O_NONBLOCK);
      try {
        writeSync(fd, text);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      fail(e);
    }
    return;
  }
  let target = path;
  try {
    // Through a symbolic link to the file it names (the link stays a link).
    if (lstatSync(path).isSymbolicLink()) target = realpathSync(path);
  } catch {
    // does not exist yet
  }
  const dir = dirname(target);
  makeFolders(dir, path, what);
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', 0o666);
  } catch (e) {
    // The folder exists (made above) but takes no new file: /proc, /sys and the like.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new ReportWriteError(`cannot write ${what} to ${path}: cannot create a file in ${dir}`);
    return fail(e);
  }
  try {
    const buf = Buffer.from(text, 'utf8');
    try {
      for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    fail(e);
  }
}

/**
 * `mkdir -p`, one level at a time. Node's recursive mkdir retries forever when a folder refuses
 * new entries with ENOENT (procfs does: `-o /proc/x/report.sarif` hung), so it is not used.
 */
function makeFolders(dir: string, path: string, what = 'report'): void {
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    try {
      if (statSync(d).isDirectory()) break;
      throw new ReportWriteError(`cannot write ${what} to ${path}: ${d} is not a directory`);
    } catch (e) {
      if (e instanceof ReportWriteError) throw e;
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new ReportWriteError(`cannot write ${what} to ${path}: ${reason(e)}`);
    }
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code === 'ENOENT') throw new ReportWriteError(`cannot write ${what} to ${path}: cannot create a folder in ${dirname(d)}`);
      throw new ReportWriteError(`cannot write ${what} to ${path}: ${reason(e)}`);
    }
  }
}

/**
 * Append the job summary where GitHub Actions asks for it (`$GITHUB_STEP_SUMMARY`), if it does.
 * Returns why it could not (a notice: the report itself is written), else undefined.
 */
export function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return undefined;
  try {
    appendFileSync(file, markdown);
  } catch (e) {
    return `cannot append the job summary to ${file}: ${reason(e)}`;
  }
  return undefined;
}

/**
 * What `stowage init` writes. Each commented example is a whole block (its key included), so
 * removing the `# ` of its lines gives a valid config, alone or with the others (a test does
 * each).
 */
export const STARTER_CONFIG = `# stowage configuration. Reference: docs/configuration.md.
# Every key is optional. To use an example below, remove the "# " in front of its lines.

# The preset: "recommended" (the default rules) or "all" (adds the rules that are off by default).
extends: recommended

# Severity per rule: off | info | warning | error. \`stowage rules\` lists every rule.
# rules:
#   elb/no-classic-load-balancer: error
#   iam/task-role-per-service: "off"

# Globs (relative to this file) of paths never to lint.
# ignorePatterns:
#   - "legacy/**"

# Different severities for some files, applied in order after \`rules\`.
# overrides:
#   - files: ["stacks/sandbox-*.yaml"]
#     rules:
#       capacity/managed-termination-protection: warning

# Findings accepted on purpose, each with its reason. \`entity\` (optional) is a CloudFormation
# logical id or a Kubernetes Kind/namespace/name.
# suppressions:
#   - files: "stacks/legacy-*.yaml"
#     rule: ecs/image-tag
#     entity: LegacyTaskDefinition
#     reason: the vendor image has no pinned tags until the 2026 migration

# Modules with your own rules (docs/custom-rules.md). They are code: a config found by search
# loads them only with --plugins or STOWAGE_ALLOW_PLUGINS=1 (or when named with --config).
# plugins:
#   - ./stowage-rules/cost-center.mjs
`;

/** `stowage init`: write a starter config into `cwd`; refuses to replace one unless `force`. */
export function initConfig(cwd: string, force: boolean): { ok: true; path: string } | { ok: false; message: string } {
  const path = join(resolve(cwd), CONFIG_NAMES[0]!);
  const existing = CONFIG_NAMES.map((n) => join(resolve(cwd), n)).filter((p) => existsSync(p));
  if (existing.length && !force) return { ok: false, message: `${existing[0]} already exists; use --force to overwrite ${CONFIG_NAMES[0]}` };
  writeFileSync(path, STARTER_CONFIG);
  return { ok: true, path };
}
