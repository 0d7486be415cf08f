#!/usr/bin/env node
// Corpus findings, saved and compared: the before/after record a change that touches many rules keeps.
//
//   node bench/corpus-diff.mjs save <file.json>    lint ../shared/corpus with the built CLI, save the findings
//   node bench/corpus-diff.mjs diff <file.json>    lint again and print what changed, by rule
//   node bench/corpus-diff.mjs diff <a.json> <b.json>   compare two saved runs
//
// A finding is compared as (file relative to the corpus, rule, line, column, end, message). Options:
// --details lists every added and removed finding; STOWAGE_BENCH_CORPUS points at another corpus.
// Exits 0 whether or not there are differences (it records; the closing note explains).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = resolve(ROOT, process.env.STOWAGE_BENCH_CORPUS ?? '../shared/corpus');
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const details = process.argv.includes('--details');
// --positions: compare (file, rule, range) and not the message text (for a change that rewrites messages).
const positions = process.argv.includes('--positions');

function run() {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'stowage.js'), 'lint', CORPUS, '--format', 'json', '--cdk-locations', 'template'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, STOWAGE_CACHE_DIR: 'off' },
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`stowage exited ${r.status}: ${r.stderr}`);
  const rows = [];
  for (const file of JSON.parse(r.stdout))
    for (const m of file.messages)
      rows.push({ file: relative(CORPUS, file.filePath), rule: m.ruleId ?? 'parse-error', line: m.line, column: m.column, endLine: m.endLine, endColumn: m.endColumn, message: m.message, ...(m.messageId ? { messageId: m.messageId } : {}) });
  return rows;
}

const key = (f) => `${f.file}\t${f.rule}\t${f.line}:${f.column}-${f.endLine}:${f.endColumn}\t${positions ? '' : f.message}`;

function load(p) {
  return JSON.parse(readFileSync(p, 'utf8'));
}

if (!existsSync(CORPUS)) {
  console.log(`corpus not found (${CORPUS}), skipping`);
  process.exit(0);
}
const [cmd, a, b] = args;
if (cmd === 'save' && a) {
  const rows = run();
  writeFileSync(a, JSON.stringify(rows));
  console.log(`${rows.length} findings saved to ${a}`);
} else if (cmd === 'diff' && a) {
  const before = load(a);
  const after = b ? load(b) : run();
  const count = (rows) => {
    const m = new Map();
    for (const f of rows) m.set(key(f), (m.get(key(f)) ?? 0) + 1);
    return m;
  };
  const cb = count(before);
  const ca = count(after);
  const added = [];
  const removed = [];
  for (const [k, n] of ca) for (let i = cb.get(k) ?? 0; i < n; i++) added.push(k);
  for (const [k, n] of cb) for (let i = ca.get(k) ?? 0; i < n; i++) removed.push(k);
  const byRule = new Map();
  for (const [list, sign] of [[added, '+'], [removed, '-']])
    for (const k of list) {
      const rule = k.split('\t')[1];
      const e = byRule.get(rule) ?? { '+': 0, '-': 0 };
      e[sign]++;
      byRule.set(rule, e);
    }
  console.log(`before ${before.length}, after ${after.length}: ${added.length} added, ${removed.length} removed`);
  for (const [rule, e] of [...byRule].sort((x, y) => (x[0] < y[0] ? -1 : 1))) console.log(`  ${rule.padEnd(52)} +${e['+']}  -${e['-']}`);
  if (details) {
    for (const k of removed.sort()) console.log(`- ${k}`);
    for (const k of added.sort()) console.log(`+ ${k}`);
  }
} else {
  console.error('usage: corpus-diff.mjs save <file> | diff <saved> [<saved>] [--details]');
  process.exit(2);
}
