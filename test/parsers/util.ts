/** Helpers shared by the parser, bad-input and corpus tests. */
import { join } from 'node:path';
import { main, type Io } from '../../src/cli/index.js';
import { defineRule } from '../../src/engine/rule.js';
import { Model } from '../../src/model/model.js';
import { loadFile, parseFile, type ParsedFile } from '../../src/parsers/index.js';
import { isMap, isSeq, type LoadedDocument, type Node } from '../../src/parsers/tree.js';
import { FIXTURES } from '../helpers/fixtures.js';

export const PARSER_FIXTURES = join(FIXTURES, 'parsers');

/** `line:col-line:col` of a node (1-based, end exclusive as stored). */
export function span(n: Node | undefined): string {
  if (!n) return 'missing';
  const r = n.range;
  return `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`;
}

/** `line:col` of an offset in a loaded file. */
export function where(doc: { file: { position(o: number): { line: number; column: number } } }, offset: number): string {
  const p = doc.file.position(offset);
  return `${p.line}:${p.column}`;
}

/** Follow keys (exact) and indices from a node. */
export function at(n: Node | undefined, ...path: Array<string | number>): Node | undefined {
  let cur = n;
  for (const k of path) {
    if (typeof k === 'number') cur = isSeq(cur) ? cur.items[k] : undefined;
    else cur = isMap(cur) ? cur.get(k) : undefined;
  }
  return cur;
}

/** The documents of a text loaded as the given file name. */
export function load(text: string, path = '/virtual/file.yaml'): { docs: LoadedDocument[]; file: ReturnType<typeof loadFile>['file'] } {
  const l = loadFile(path, text);
  return { docs: l.documents, file: l.file };
}

/** The root of the only (or first) document. */
export function root(text: string, path = '/virtual/file.yaml'): Node {
  const { docs } = load(text, path);
  const d = docs[0]!;
  if (d.errors.length) throw new Error(`unexpected errors: ${d.errors.map((e) => e.message).join('; ')}`);
  return d.root!;
}

/** Problems of a parsed file as `line:col message`. */
export function problems(pf: ParsedFile): string[] {
  return pf.problems.map((p) => {
    const s = pf.file.position(p.start);
    return `${s.line}:${s.column} ${p.message}`;
  });
}

/** A model of in-memory files (name → text). */
export function modelOf(files: Record<string, string>): Model {
  return new Model(Object.entries(files).map(([name, text]) => parseFile(`/virtual/${name}`, text)));
}

/** A rule that reports every entity (and every CloudFormation resource), to see what a finding carries. */
export const everyEntity = defineRule({
  id: 'test/every-entity',
  severity: 'warning',
  description: 'Reports every entity of a file, for parser tests.',
  docs: 'https://example.invalid/test',
  check({ model, report }) {
    for (const t of model.templates) for (const r of t.resources.values()) report(r.key, `resource ${r.logicalId}`);
    for (const o of model.k8sObjects) report(o, `object ${o.label}`);
    for (const td of model.taskDefinitions) if (td.origin.format !== 'cloudformation') report(td, `task definition ${td.label}`);
    for (const c of model.eksctlConfigs) report(c, `cluster ${c.label}`);
  },
});

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Run the CLI in-process with a fake Io. */
export async function cli(args: string[], cwd: string, stdin = ''): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    cwd,
    isTTY: false,
    readStdin: () => stdin,
  };
  const t0 = performance.now();
  const code = await main(args, io);
  return { code, stdout, stderr, ms: performance.now() - t0 };
}

export interface JsonMessage {
  ruleId: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  fatal?: boolean;
  cdkPath?: string;
  helmSource?: string;
  k8sObject?: string;
  entity?: string;
}

/** `file line:col rule message` rows of `--format json` output (file name relative to `base`). */
export function jsonRows(stdout: string, base: string): string[] {
  const results = JSON.parse(stdout || '[]') as Array<{ filePath: string; messages: JsonMessage[] }>;
  return results
    .flatMap((r) => r.messages.map((m) => `${r.filePath.startsWith(base) ? r.filePath.slice(base.length + 1) : r.filePath} ${m.line}:${m.column} ${m.ruleId} ${m.message}`))
    .sort();
}
