/**
 * What crosses between the language server's connection thread and its lint worker
 * (`worker.ts`): plain data only (structured clone keeps no classes), so findings travel
 * without their `SourceFile`, and rules as the little the connection thread shows of them.
 */
import { sep } from 'node:path';
import type { ConfigErrorLocation } from '../engine/config.js';
import type { Finding } from '../engine/lint.js';
import type { ParsedFile } from '../parsers/index.js';
import type { Node } from '../parsers/tree.js';

/** A finding without its file; `inMultilineScalar` says a line comment above it would land inside a value. */
export type LspFinding = Omit<Finding, 'file'> & { inMultilineScalar?: boolean };

/** What the connection thread needs of a rule: its docs link and hover text. */
export interface RuleInfo {
  id: string;
  description: string;
  docs: string;
}

/** A configuration problem, located in a config file (1-based lines and columns, end exclusive). */
export interface ConfigProblem extends ConfigErrorLocation {
  /** `path:line:col: detail`, as the CLI prints it (`detail`, without the location, is the diagnostic's message). */
  message: string;
}

/** A CDK app of the workspace: the folder of its `cdk.json` and its cloud assembly folder (`output`, default `cdk.out`). */
export interface WorkspaceApp {
  root: string;
  assembly: string;
}

/** Files the CDK mapping reports on: the app's own TypeScript (or JavaScript). */
export const APP_SOURCE = /\.[cm]?[jt]sx?$/i;

/** The app whose source folder holds this path (a TypeScript file of the app, not of its assembly or dependencies). */
export function appOfSource(apps: WorkspaceApp[], path: string): WorkspaceApp | undefined {
  if (!APP_SOURCE.test(path) || path.includes(`${sep}node_modules${sep}`)) return undefined;
  return apps.find((a) => path.startsWith(a.root + sep) && !path.startsWith(a.assembly + sep));
}

/** The workspace's configuration as the connection thread sees it. */
export interface ConfigState {
  rules: RuleInfo[];
  /** Problems of the configuration in use (empty when it is valid). */
  problems: ConfigProblem[];
  /** Plugins named by the configuration but not loaded (the client did not allow them). */
  pluginsSkipped: boolean;
  apps: WorkspaceApp[];
  /** Something the user should know about the workspace (too many files to read). */
  workspaceNotice: string | undefined;
}

/** Requests of the connection thread; the worker answers each in order. */
export type HostRequest =
  | { type: 'init'; roots: string[]; allowPlugins: boolean }
  | { type: 'lint'; path: string; text: string }
  | { type: 'close'; path: string }
  | { type: 'watched'; changes: Array<{ path: string; deleted: boolean }> }
  | { type: 'configText'; path: string; text: string | undefined }
  | { type: 'cdk'; sources: Record<string, string> };

export interface LintReply {
  findings: LspFinding[];
  json: boolean;
  /** A newer request made this one useless: its findings are partial. */
  cancelled?: boolean;
}

export interface WatchedReply {
  configChanged: boolean;
  cdkChanged: boolean;
  state: ConfigState;
}

export interface ConfigTextReply {
  /** The problems of the text (located in it, or in a file it extends). */
  problems: ConfigProblem[];
  /** The document is the workspace's config file (its problems are also `state.problems`). */
  workspace: boolean;
  /** The text is the workspace's configuration, valid, and now in use. */
  applied: boolean;
  state: ConfigState;
}

export interface CdkReply {
  bySource: Array<[string, LspFinding[]]>;
  notices: string[];
}

export type HostReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** Findings as they cross to the connection thread (with what the code actions need of the tree). */
export function toWire(findings: Finding[], pf: ParsedFile | undefined): LspFinding[] {
  const multiline = pf && pf.file.syntax === 'yaml' && findings.length ? multilineScalars(pf) : undefined;
  return findings.map((f) => {
    const { file, ...rest } = f;
    const w: LspFinding = rest;
    if (multiline && file === pf!.file && multiline(f.start, f.line)) w.inMultilineScalar = true;
    return w;
  });
}

/**
 * A test for "this offset is inside a scalar that starts on an earlier line" (a block scalar, a
 * multi-line quoted string), over one walk of the file's trees: a comment line there would become
 * part of the value. Scalars are leaves and do not overlap, so a sorted list of spans answers it.
 */
export function multilineScalars(pf: ParsedFile): (offset: number, line: number) => boolean {
  const spans: Array<[number, number]> = [];
  const seen = new Set<Node>();
  const stack: Node[] = pf.documents.map((d) => d.root);
  const text = pf.file.text;
  while (stack.length) {
    const n = stack.pop()!;
    if (n.kind === 'scalar') {
      // A line break inside the span (the search stops at the end of the scalar's first line).
      if (n.end > n.start && n.file === pf.file) {
        const nl = text.indexOf('\n', n.start);
        if (nl >= 0 && nl < n.end - 1) spans.push([n.start, n.end]);
      }
      continue;
    }
    // Aliases can share a collection: walk it once.
    if (seen.has(n)) continue;
    seen.add(n);
    for (const c of n.kind === 'map' ? n.kv : n.items) stack.push(c);
  }
  spans.sort((a, b) => a[0] - b[0]);
  return (offset, line) => {
    let lo = 0;
    let hi = spans.length - 1;
    let hit = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid]![0] <= offset) {
        hit = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (hit < 0) return false;
    const [start, end] = spans[hit]!;
    return offset <= end && pf.file.position(start).line < line;
  };
}
