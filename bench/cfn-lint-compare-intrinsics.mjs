#!/usr/bin/env node
// Agreement of stowage's cfn/intrinsic-function with cfn-lint's function and reference checks on the corpus.
//
//   npm run build && node bench/cfn-lint-compare-intrinsics.mjs [--details] [--json <stowage-output.json>]
//
// cfn-lint's findings: ../shared/reference/cfn-lint-on-corpus.json (cfn-lint 1.55.1 on the corpus's
// templates). stowage's findings of cfn/intrinsic-function are sorted into the cfn-lint check that
// makes the same test (by what the message says), then matched with cfn-lint's by file and the name
// the finding quotes (cfn-lint reports a Fn::Sub at the string, stowage at the variable inside it,
// so lines may differ within a multi-line string: the nearest line wins). Prints, per cfn-lint
// check, how many findings both report, only cfn-lint reports and only stowage reports; --details
// lists every difference. --json reuses a saved `stowage lint -f json` output instead of linting.
// Environment: STOWAGE_BENCH_CORPUS, STOWAGE_CFN_LINT_REFERENCE.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadReference } from './cfn-lint-reference.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = resolve(ROOT, process.env.STOWAGE_BENCH_CORPUS ?? '../shared/corpus');
const REFERENCE = resolve(ROOT, process.env.STOWAGE_CFN_LINT_REFERENCE ?? '../shared/reference/cfn-lint-on-corpus.json');
const RULE = 'cfn/intrinsic-function';

/** The cfn-lint checks compared, and what each tests. */
const CHECKS = {
  E1001: 'template sections (top-level keys)',
  E1010: 'Fn::GetAtt: resource and attribute exist',
  E1011: 'Fn::FindInMap: map and keys exist, shape',
  E1012: 'Ref to a defined name (cfn-lint 0.x; E1020 in 1.x)',
  E1016: 'Fn::ImportValue: its argument (Fn::Sub variables included) resolves',
  E1017: 'Fn::Select shape',
  E1018: 'Fn::Split shape',
  E1019: 'Fn::Sub: variables resolve, shape',
  E1020: 'Ref: a defined name given as a string',
  E1022: 'Fn::Join shape',
  E1028: 'Fn::If shape and condition exists',
  E1041: 'Ref matches the destination format (a role name where an ARN is expected, ...)',
  E3005: 'DependsOn names resources of the template',
  E3015: 'a resource Condition exists',
  E8001: 'a Conditions entry is a condition function',
  E8002: 'a condition referenced in Conditions exists',
  E8003: 'Fn::Equals shape',
  E8004: 'Fn::And / Fn::Or shape',
  E8005: 'Fn::Not shape',
};

/** Which cfn-lint check makes the test a stowage finding reports. */
function checkOf(message) {
  if (/\(DependsOn\)/.test(message)) return 'E3005';
  if (/, not a condition; /.test(message)) return 'E8001';
  if (/ uses Fn::If with the condition /.test(message)) return 'E1028';
  if (/^Resource "[^"]*" has the condition /.test(message)) return 'E3015';
  if (/^Output "[^"]*" has the condition /.test(message)) return 'E6xxx (output Condition)';
  if (/ refers to the condition /.test(message)) return 'E8002';
  if (/ in Fn::Sub|uses Fn::Sub /.test(message)) return 'E1019';
  if (/\(Fn::GetAtt\)|Fn::GetAtt |!GetAtt /.test(message)) return 'E1010';
  if (/\(Ref\)|uses Ref |which is not a pseudo parameter/.test(message)) return 'E1020';
  if (/Fn::FindInMap/.test(message)) return 'E1011';
  if (/ Fn::Join /.test(message)) return 'E1022';
  if (/ Fn::Select /.test(message)) return 'E1017';
  if (/ Fn::Split /.test(message)) return 'E1018';
  if (/ Fn::If /.test(message)) return 'E1028';
  if (/ Fn::Equals /.test(message)) return 'E8003';
  if (/ Fn::(And|Or) /.test(message)) return 'E8004';
  if (/ Fn::Not /.test(message)) return 'E8005';
  return 'other';
}

/** The name a stowage message is about: the second quoted string (the first is the owner). */
function ourName(message) {
  const attr = /reads the attribute "([^"]*)"/.exec(message);
  if (attr) return attr[1];
  const q = [...message.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
  const s = q[1] ?? q[0] ?? '';
  return s.replace(/^\$\{(.*)\}$/, '$1');
}

/** The name a cfn-lint message is about: `'Name' is not one of [...]`, or the first quoted value. */
function theirName(message) {
  const m = /^'([^']*)'/.exec(message) ?? /'([^']*)'/.exec(message);
  return m ? m[1] : '';
}

const args = process.argv.slice(2);
const details = args.includes('--details');
const saved = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;

const { reference, templates } = loadReference(REFERENCE, CORPUS);

let output;
if (saved) output = readFileSync(saved, 'utf8');
else {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'stowage.js'), 'lint', CORPUS, '-f', 'json', '--rule', `${RULE}=error`], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (!run.stdout) {
    process.stderr.write(run.stderr);
    process.exit(2);
  }
  output = run.stdout;
}
const results = JSON.parse(output);

const ours = [];
for (const r of results) {
  const file = relative(CORPUS, r.filePath);
  for (const m of r.messages) if (m.ruleId === RULE) ours.push({ file, line: m.line, column: m.column, message: m.message, check: checkOf(m.message), name: checkOf(m.message) === 'E8001' ? '' : ourName(m.message), matched: false });
}
const theirs = reference.filter((f) => f.rule in CHECKS).map((f) => ({ ...f, name: f.rule === 'E8001' ? '' : theirName(f.message), matched: false }));

// E8001 (`{'Ref': 'Enable'} is not of type 'boolean'`) names no condition: it matches by file and line alone.
// Match: same file and name, the nearest stowage line at or after cfn-lint's (a string's variables follow its start).
for (const t of theirs) {
  let best;
  for (const o of ours) {
    if (o.matched || o.file !== t.file || o.name !== t.name) continue;
    const d = o.line >= t.line ? o.line - t.line : (t.line - o.line) * 100;
    if (d > 200) continue;
    if (!best || d < best.d) best = { o, d };
  }
  if (best) {
    best.o.matched = true;
    t.matched = best.o;
  }
}
// cfn-lint reports one Sub variable under both E1019 and E1020 at times: a second cfn-lint finding of
// the same file, line and name counts as agreeing with the stowage finding the first one matched.
for (const t of theirs) {
  if (t.matched) continue;
  const twin = theirs.find((u) => u !== t && u.matched && u.file === t.file && u.line === t.line && u.name === t.name);
  if (twin) t.matched = twin.matched;
}

const rows = new Map();
const row = (id) => rows.get(id) ?? rows.set(id, { id, both: 0, onlyLint: 0, onlyUs: 0, outOfScope: 0 }).get(id);
for (const id of Object.keys(CHECKS)) row(id);
for (const t of theirs) {
  if (t.matched) row(t.rule).both++;
  else row(t.rule).onlyLint++;
}
for (const o of ours) {
  if (o.matched) continue;
  if (templates.has(o.file)) row(o.check).onlyUs++;
  else row(o.check).outOfScope++;
}

if (details) {
  for (const t of theirs) if (!t.matched) console.log(`only cfn-lint ${t.rule}  ${t.file}:${t.line}:${t.column}  ${t.message.slice(0, 160)}`);
  for (const o of ours) if (!o.matched) console.log(`only stowage  ${o.check}  ${o.file}:${o.line}:${o.column}  ${o.message}${templates.has(o.file) ? '' : '  (file not in cfn-lint reference)'}`);
}

console.log(`\n${RULE}: ${ours.length} stowage findings; cfn-lint: ${theirs.length} findings of the compared checks.\n`);
console.log('| cfn-lint | what it checks | both | only cfn-lint | only stowage | stowage on files cfn-lint did not lint |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
for (const r of rows.values()) console.log(`| ${r.id} | ${CHECKS[r.id] ?? ''} | ${r.both} | ${r.onlyLint} | ${r.onlyUs} | ${r.outOfScope} |`);
