/**
 * Every regular expression literal in src/ is checked for super-linear backtracking with recheck (the
 * linted repository is untrusted: a pattern that backtracks quadratically or worse on a file's text lets
 * a pull request stall the CI gate). Literals are collected from the TypeScript syntax tree, not by a
 * pattern over the source. recheck answers with its native build when its package for this platform is
 * installed, else with its pure-JavaScript build (both offline).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from '@typescript-eslint/typescript-estree';

const ROOT = join(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

interface Literal {
  file: string;
  line: number;
  column: number;
  pattern: string;
  flags: string;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out.sort();
}

/** The regular expression literals of a TypeScript source (`/.../flags`), from its syntax tree. */
export function regexLiterals(source: string, file = '<source>'): Literal[] {
  const ast = parse(source, { loc: true, jsx: file.endsWith('.tsx') });
  const out: Literal[] = [];
  const stack: unknown[] = [ast];
  while (stack.length) {
    const n = stack.pop();
    if (!n || typeof n !== 'object') continue;
    if (Array.isArray(n)) {
      stack.push(...n);
      continue;
    }
    const node = n as { type?: unknown; regex?: { pattern: string; flags: string }; loc?: { start: { line: number; column: number } } };
    if (node.type === 'Literal' && node.regex) out.push({ file, line: node.loc!.start.line, column: node.loc!.start.column + 1, pattern: node.regex.pattern, flags: node.regex.flags });
    for (const [k, v] of Object.entries(n)) if (k !== 'parent' && v && typeof v === 'object') stack.push(v);
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

type Verdict = { status: 'safe' | 'vulnerable' | 'unknown'; attack?: { pattern: string }; complexity?: { type: string }; error?: { kind: string } };

async function check(pattern: string, flags: string): Promise<Verdict> {
  const { check: recheck } = await import('recheck');
  // A fixed seed keeps the fuzzing part (used for patterns the automaton cannot take) repeatable.
  return (await recheck(pattern, flags, { timeout: 60_000, randomSeed: 1 })) as Verdict;
}

const literals = tsFiles(SRC).flatMap((f) => regexLiterals(readFileSync(f, 'utf8'), relative(ROOT, f)));

describe('regular expressions in src/', () => {
  test('are collected from the syntax tree', () => {
    expect(literals.length).toBeGreaterThan(200);
    // A slash inside a string or a comment is not a regular expression; a literal in a template's expression is.
    const found = regexLiterals('const a = "/x+/"; // /y+/\nconst b = `${/z+/g.source}`;\nconst c = 1 / 2 / 3;');
    expect(found.map((l) => `/${l.pattern}/${l.flags}`)).toEqual(['/z+/g']);
  });

  test('the checker flags exponential and quadratic patterns (a deliberately bad sample)', async () => {
    const sample = regexLiterals('export const BAD = /^(a|a)*$/;\nexport const SLOW = /\\$\\{([^}]*)\\}/g;\nexport const FINE = /^[a-z]+$/;');
    const verdicts = await Promise.all(sample.map((l) => check(l.pattern, l.flags)));
    expect(verdicts.map((v) => `${v.status} ${v.complexity?.type ?? ''}`.trim())).toEqual(['vulnerable exponential', 'vulnerable polynomial', 'safe linear']);
  });

  test('none backtracks super-linearly', { timeout: 900_000 }, async () => {
    const unique = new Map<string, Literal[]>();
    for (const l of literals) {
      const key = `/${l.pattern}/${l.flags}`;
      unique.set(key, [...(unique.get(key) ?? []), l]);
    }
    const problems: string[] = [];
    for (const [key, where] of unique) {
      const [first] = where;
      const v = await check(first!.pattern, first!.flags);
      if (v.status === 'safe') continue;
      const at = where.map((l) => `${l.file}:${l.line}:${l.column}`).join(', ');
      problems.push(`${at}: ${key} is ${v.status}${v.complexity ? ` (${v.complexity.type})` : ''}${v.error ? ` (${v.error.kind})` : ''}${v.attack ? `, e.g. ${v.attack.pattern}` : ''}`);
    }
    expect(problems).toEqual([]);
  });
});
