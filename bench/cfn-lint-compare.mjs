#!/usr/bin/env node
// Agreement of stowage's CloudFormation schema rules with cfn-lint on the corpus.
//
//   npm run build && node bench/cfn-lint-compare.mjs [--details] [--check E3003]
//
// Reads cfn-lint's findings (../shared/reference/cfn-lint-on-corpus.json: cfn-lint 1.55.1 on the
// corpus's templates), lints the corpus with stowage (only the mapped rules), maps cfn-lint rule
// ids to stowage rule ids and compares findings by file and line. Prints, per check, how many
// findings both report, only cfn-lint reports, and only stowage reports; --details lists the
// differences (file:line and both messages). Environment: STOWAGE_BENCH_CORPUS,
// STOWAGE_CFN_LINT_REFERENCE.
import { spawnSync } from 'node:child_process';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadReference } from './cfn-lint-reference.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = resolve(ROOT, process.env.STOWAGE_BENCH_CORPUS ?? '../shared/corpus');
const REFERENCE = resolve(ROOT, process.env.STOWAGE_CFN_LINT_REFERENCE ?? '../shared/reference/cfn-lint-on-corpus.json');

/** cfn-lint rule id → stowage rule id. */
export const MAPPING = {
  E3002: 'cfn/unknown-property',
  E3003: 'cfn/required-property',
  E3012: 'cfn/property-type',
  E3030: 'cfn/allowed-values',
  E3006: 'cfn/unknown-resource-type',
};

const args = process.argv.slice(2);
const details = args.includes('--details');
const only = args.includes('--check') ? args[args.indexOf('--check') + 1] : undefined;

const { reference, templates } = loadReference(REFERENCE, CORPUS);

const ruleArgs = [];
for (const id of new Set(Object.values(MAPPING))) ruleArgs.push('--rule', `${id}=error`);
const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'stowage.js'), 'lint', CORPUS, '-f', 'json', ...ruleArgs], { encoding: 'utf8', maxBuffer: 1 << 28 });
if (!run.stdout) {
  process.stderr.write(run.stderr);
  process.exit(2);
}
const results = JSON.parse(run.stdout);

const key = (file, line) => `${file}:${line}`;
const push = (map, k, v) => (map.get(k) ?? map.set(k, []).get(k)).push(v);
const rows = [];
for (const [lintId, ours] of Object.entries(MAPPING)) {
  if (only && only !== lintId && only !== ours) continue;
  // Findings per file:line (a line may hold several: two required properties missing from one object).
  const theirs = new Map();
  for (const f of reference) if (f.rule === lintId) push(theirs, key(f.file, f.line), f.message);
  const mine = new Map();
  const outOfScope = new Map();
  for (const r of results) {
    const file = relative(CORPUS, r.filePath);
    for (const m of r.messages) if (m.ruleId === ours) push(templates.has(file) ? mine : outOfScope, key(file, m.line), m.message);
  }
  let both = 0;
  let onlyLint = 0;
  let onlyUs = 0;
  for (const k of new Set([...theirs.keys(), ...mine.keys()])) {
    const a = theirs.get(k) ?? [];
    const b = mine.get(k) ?? [];
    both += Math.min(a.length, b.length);
    onlyLint += Math.max(0, a.length - b.length);
    onlyUs += Math.max(0, b.length - a.length);
    if (details && a.length !== b.length) {
      const side = a.length > b.length ? `only cfn-lint ${lintId}` : `only stowage  ${ours}`;
      console.log(`${side}  ${k}  (${a.length} vs ${b.length})\n    cfn-lint: ${a.join(' | ') || '-'}\n    stowage:  ${b.join(' | ') || '-'}`);
    }
  }
  let extra = 0;
  for (const [k, msgs] of outOfScope) {
    extra += msgs.length;
    if (details) for (const m of msgs) console.log(`stowage (file cfn-lint did not lint)  ${ours}  ${k}  ${m}`);
  }
  rows.push({ lintId, ours, both, onlyLint, onlyUs, outOfScope: extra });
}

console.log('\n| cfn-lint | stowage | both | only cfn-lint | only stowage | stowage on files cfn-lint did not lint |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.lintId} | ${r.ours} | ${r.both} | ${r.onlyLint} | ${r.onlyUs} | ${r.outOfScope} |`);
