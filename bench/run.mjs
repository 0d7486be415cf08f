#!/usr/bin/env node
// stowage benchmark: `npm run bench` (builds first). See bench/README.md.
//
//   node bench/run.mjs                      the full benchmark on ../shared/corpus
//   node bench/run.mjs --profile            CPU profile of one in-process lint, top self times
//   node bench/run.mjs --child-lint <dir>   (internal) lint in-process, print a JSON line with maxRSS
//
// Environment: STOWAGE_BENCH_CORPUS (corpus folder), STOWAGE_BENCH_TEMPLATE (the start-up template),
// STOWAGE_BENCH_RSS=child (measure peak memory with the in-process child even where /usr/bin/time exists).

import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, openSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'stowage.js');
const DIST = join(ROOT, 'dist');
const CORPUS = resolve(ROOT, process.env.STOWAGE_BENCH_CORPUS ?? '../shared/corpus');
const COPIES = 10;
const REPEATS = 3;
const STARTUP_RUNS = 10;
const TARGETS = { memoryMB: 500, startupMs: 200, ratio: 1.5 };

const distUrl = (p) => pathToFileURL(join(DIST, p)).href;

// ---------------------------------------------------------------------------------------------
// Small helpers

const now = () => process.hrtime.bigint();
const msSince = (t0) => Number(now() - t0) / 1e6;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const MB = 1024 * 1024;
const fmtMs = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtMB = (b) => `${(b / MB).toFixed(1)} MB`;
const fmtRate = (n) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const sizeOf = (p) => {
  try {
    return statSync(p).size;
  } catch {
    return 0;
  }
};

/** Full garbage collection between in-process measurements (without needing --expose-gc on the command line). */
const gc = (() => {
  try {
    setFlagsFromString('--expose-gc');
    const f = runInNewContext('gc');
    return typeof f === 'function' ? () => f() : () => {};
  } catch {
    return () => {};
  }
})();

/** Does `/usr/bin/time -v` work here (GNU time)? */
function gnuTime() {
  if (!existsSync('/usr/bin/time')) return false;
  const r = spawnSync('/usr/bin/time', ['-v', 'true'], { encoding: 'utf8' });
  return r.status === 0 && /Maximum resident set size/.test(r.stderr ?? '');
}

// ---------------------------------------------------------------------------------------------
// In-process lint, the way the CLI does it (config, discover, read + parse, model + rules), minus formatting.

async function loadStowage() {
  const [{ discover }, { parseInputs, lintParsed }, { builtinRules }, { loadConfig }] = await Promise.all([
    import(distUrl('engine/discover.js')),
    import(distUrl('engine/lint.js')),
    import(distUrl('rules/index.js')),
    import(distUrl('engine/config.js')),
  ]);
  const config = await loadConfig(ROOT);
  const rules = [...builtinRules, ...config.plugins];
  /** One lint of `dir`, timed by stage. */
  const lintDir = (dir) => {
    const t0 = now();
    const found = discover([dir], ROOT, config.ignorePatterns, config.baseDir);
    const inputs = found.files.map((f) => ({ path: f.path, explicit: f.explicit, ...(f.cdk ? { cdk: f.cdk } : {}) }));
    const t1 = now();
    const notices = [...found.notices];
    const parsed = parseInputs(inputs, notices);
    const t2 = now();
    const out = lintParsed(parsed, { rules, config }, notices);
    const t3 = now();
    const ms = (a, b) => Number(b - a) / 1e6;
    return {
      candidates: found.files.map((f) => f.path),
      parsedFiles: parsed.length,
      results: out.results.length,
      findings: out.results.reduce((n, r) => n + r.findings.length, 0),
      internalErrors: out.internalErrors,
      discoverMs: ms(t0, t1),
      parseMs: ms(t1, t2),
      modelRulesMs: ms(t2, t3),
      totalMs: ms(t0, t3),
    };
  };
  const discoverDir = (dir) => discover([dir], ROOT, config.ignorePatterns, config.baseDir).files.map((f) => f.path);
  return { lintDir, discoverDir };
}

// ---------------------------------------------------------------------------------------------
// The floor: read each file and parse it with the bare parsers stowage builds on, nothing else.

async function loadFloor() {
  const { parseAllDocuments } = await import('yaml');
  const jsonc = (await import('jsonc-parser')).default;
  // The cheapest settings a located parse can use: no duplicate-key search, no error code frames.
  // (src/parsers/yaml.ts reads with the same settings today; src/parsers/json.ts with the same JSON options.)
  const YAML_OPTIONS = { uniqueKeys: false, prettyErrors: false, version: '1.2' };
  const JSON_OPTIONS = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };
  /** The same JSON-or-YAML choice as src/parsers/index.ts (extension first, then the first non-blank character). */
  const isJson = (path, text) => {
    if (/\.json$/i.test(path)) return true;
    if (/\.ya?ml$/i.test(path)) return false;
    const m = /[^\s\ufeff]/.exec(text);
    return !!m && (m[0] === '{' || m[0] === '[');
  };
  const classify = (paths) => {
    let yaml = 0;
    let json = 0;
    for (const p of paths) {
      const text = readFileSync(p, 'utf8');
      if (isJson(p, text)) json++;
      else yaml++;
    }
    return { yaml, json };
  };
  const parseAll = (paths) => {
    const t0 = now();
    let nodes = 0;
    for (const p of paths) {
      let text = readFileSync(p, 'utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (isJson(p, text)) {
        const tree = jsonc.parseTree(text, [], JSON_OPTIONS);
        if (tree) nodes++;
      } else {
        nodes += parseAllDocuments(text, YAML_OPTIONS).length ?? 1;
      }
    }
    return { totalMs: msSince(t0), nodes };
  };
  return { parseAll, classify };
}

// ---------------------------------------------------------------------------------------------
// Child processes

/** Lint `dir` with the CLI in a child process; JSON to a file; wall time and peak RSS. */
function cliLint(dir, outFile, memoryMethod) {
  const args = [BIN, 'lint', dir, '-f', 'json'];
  // The CLI writes its JSON straight to a file, as a user redirecting stdout would.
  const fd = memoryMethod === 'gnu-time' ? openSync(outFile, 'w') : undefined;
  const t0 = now();
  const r =
    memoryMethod === 'gnu-time'
      ? spawnSync('/usr/bin/time', ['-v', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', fd, 'pipe'] })
      : spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child-lint', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  const wallMs = msSince(t0);
  if (fd !== undefined) closeSync(fd);
  if (r.error) throw r.error;
  let peakRssBytes;
  let results;
  if (memoryMethod === 'gnu-time') {
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    peakRssBytes = m ? Number(m[1]) * 1024 : undefined;
    // Exit 1 = findings, the normal case; 2 = usage/internal error.
    const status = /Command exited with non-zero status (\d+)/.exec(r.stderr)?.[1] ?? String(r.status);
    const json = readFileSync(outFile, 'utf8');
    if (status === '2' || !json.trim().startsWith('[')) throw new Error(`stowage lint exited ${status}:\n${r.stderr.slice(0, 2000)}`);
    results = JSON.parse(json).map((x) => x.filePath);
  } else {
    if (r.status !== 0) throw new Error(`child lint failed (${r.status}):\n${r.stderr.slice(0, 2000)}`);
    const line = JSON.parse(r.stdout.trim().split('\n').pop());
    peakRssBytes = line.maxRSS * 1024;
    writeFileSync(outFile, JSON.stringify(line.results));
    results = line.results;
  }
  return { wallMs, peakRssBytes, results };
}

/** `--child-lint <dir>`: lint in-process (importing dist/), then print the result list and this process's peak RSS. */
async function childLint(dir) {
  const [{ discover }, { lint }, { builtinRules }, { loadConfig }] = await Promise.all([
    import(distUrl('engine/discover.js')),
    import(distUrl('engine/lint.js')),
    import(distUrl('rules/index.js')),
    import(distUrl('engine/config.js')),
  ]);
  const config = await loadConfig(process.cwd());
  const found = discover([dir], process.cwd(), config.ignorePatterns, config.baseDir);
  const inputs = found.files.map((f) => ({ path: f.path, explicit: f.explicit, ...(f.cdk ? { cdk: f.cdk } : {}) }));
  const t0 = now();
  const out = lint(inputs, { rules: [...builtinRules, ...config.plugins], config });
  const ms = msSince(t0);
  process.stdout.write(`${JSON.stringify({ results: out.results.map((r) => r.path), ms, maxRSS: process.resourceUsage().maxRSS })}\n`);
}

// ---------------------------------------------------------------------------------------------
// Profiling: `--profile` runs one in-process lint under --cpu-prof and prints the top self times.

function profile(dir) {
  const profDir = mkdtempSync(join(tmpdir(), 'stowage-prof-'));
  const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', profDir, '--cpu-prof-interval', '500', fileURLToPath(import.meta.url), '--child-lint', dir], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`profiled run failed:\n${r.stderr}`);
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  const prof = JSON.parse(readFileSync(join(profDir, file), 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map(); // node id -> µs
  prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
  const where = (cf) => {
    const url = cf.url ?? '';
    if (!url) return { area: cf.functionName.startsWith('(') ? cf.functionName : 'node', file: '' };
    const path = url.startsWith('file:') ? fileURLToPath(url) : url;
    if (path.startsWith(DIST)) return { area: 'stowage', file: relative(DIST, path) };
    const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path);
    if (nm) return { area: nm[1], file: `${nm[1]}/${nm[2]}` };
    if (path.startsWith('node:')) return { area: 'node', file: path };
    return { area: 'other', file: relative(ROOT, path) };
  };
  const selfByFn = new Map();
  const inclByFn = new Map();
  const byArea = new Map();
  let total = 0;
  for (const [id, us] of self) {
    total += us;
    const n = byId.get(id);
    const w = where(n.callFrame);
    const key = `${w.file}:${n.callFrame.functionName || '(anonymous)'}:${n.callFrame.lineNumber + 1}`;
    selfByFn.set(key, { us: (selfByFn.get(key)?.us ?? 0) + us, area: w.area });
    byArea.set(w.area, (byArea.get(w.area) ?? 0) + us);
    // Inclusive time for stowage functions: count each function once per sampled stack.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const c = byId.get(cur);
      const cw = where(c.callFrame);
      if (cw.area !== 'stowage') continue;
      const k = `${cw.file}:${c.callFrame.functionName || '(anonymous)'}:${c.callFrame.lineNumber + 1}`;
      if (seen.has(k)) continue;
      seen.add(k);
      inclByFn.set(k, (inclByFn.get(k) ?? 0) + us);
    }
  }
  const pct = (us) => `${((100 * us) / total).toFixed(1)}%`.padStart(6);
  const ms = (us) => `${(us / 1000).toFixed(0)} ms`.padStart(8);
  console.log(`\nCPU profile of one in-process lint of ${dir} (${(total / 1000).toFixed(0)} ms sampled)`);
  console.log(`profile: ${join(profDir, file)}\n`);
  console.log('self time by area:');
  for (const [a, us] of [...byArea].sort((x, y) => y[1] - x[1]).slice(0, 10)) console.log(`  ${ms(us)} ${pct(us)}  ${a}`);
  console.log('\ntop self time in stowage (dist/<file>:<function>:<line>):');
  for (const [k, v] of [...selfByFn].filter(([, v]) => v.area === 'stowage').sort((x, y) => y[1].us - x[1].us).slice(0, 20)) console.log(`  ${ms(v.us)} ${pct(v.us)}  ${k}`);
  console.log('\ntop self time anywhere:');
  for (const [k, v] of [...selfByFn].sort((x, y) => y[1].us - x[1].us).slice(0, 15)) console.log(`  ${ms(v.us)} ${pct(v.us)}  ${k}`);
  console.log('\ntop inclusive time in stowage:');
  for (const [k, us] of [...inclByFn].sort((x, y) => y[1] - x[1]).slice(0, 25)) console.log(`  ${ms(us)} ${pct(us)}  ${k}`);
}

// ---------------------------------------------------------------------------------------------
// The benchmark

function pickTemplate(resultPaths) {
  if (process.env.STOWAGE_BENCH_TEMPLATE) return resolve(ROOT, process.env.STOWAGE_BENCH_TEMPLATE);
  // A small CloudFormation YAML template from the corpus: the one nearest 3 KB (deterministic for a given corpus).
  const target = 3 * 1024;
  let best;
  for (const p of [...resultPaths].sort()) {
    if (!/\.ya?ml$/i.test(p)) continue;
    const size = sizeOf(p);
    if (size < 1024 || size > 8 * 1024) continue;
    const text = readFileSync(p, 'utf8');
    if (!/^AWSTemplateFormatVersion\s*:/m.test(text) || !/^Resources\s*:/m.test(text)) continue;
    if (!best || Math.abs(size - target) < Math.abs(best.size - target)) best = { p, size };
  }
  // No such template: the smallest linted file.
  return best?.p ?? [...resultPaths].sort((a, b) => sizeOf(a) - sizeOf(b) || a.localeCompare(b))[0];
}

function describeRun(label, dir, run, candidates, classify) {
  const kinds = classify(run.results);
  const resultBytes = run.results.reduce((n, p) => n + sizeOf(p), 0);
  const walkedBytes = candidates.reduce((n, p) => n + sizeOf(p), 0);
  const s = run.wallMs / 1000;
  const fig = {
    label,
    dir,
    wallMs: run.wallMs,
    peakRssMB: run.peakRssBytes !== undefined ? run.peakRssBytes / MB : undefined,
    parsedFiles: run.results.length,
    parsedYamlFiles: kinds.yaml,
    parsedJsonFiles: kinds.json,
    parsedBytes: resultBytes,
    walkedFiles: candidates.length,
    walkedBytes,
    filesPerSec: run.results.length / s,
    mbPerSec: resultBytes / MB / s,
    walkedFilesPerSec: candidates.length / s,
    walkedMbPerSec: walkedBytes / MB / s,
  };
  console.log(`\n${label}: ${dir}`);
  console.log(`  wall time        ${fmtMs(fig.wallMs)} (child process, start-up included)`);
  console.log(`  peak memory      ${fig.peakRssMB !== undefined ? `${fig.peakRssMB.toFixed(0)} MB RSS` : 'n/a'}`);
  console.log(`  files linted     ${fig.parsedFiles} files (${kinds.yaml} YAML, ${kinds.json} JSON), ${fmtMB(resultBytes)} -> ${fmtRate(fig.filesPerSec)} files/s, ${fmtRate(fig.mbPerSec)} MB/s`);
  console.log(`  files walked     ${fig.walkedFiles} files, ${fmtMB(walkedBytes)} -> ${fmtRate(fig.walkedFilesPerSec)} files/s, ${fmtRate(fig.walkedMbPerSec)} MB/s (total read, incl. files not recognised)`);
  return fig;
}

async function bench() {
  if (!existsSync(CORPUS) || !statSync(CORPUS).isDirectory()) {
    console.log(`stowage bench: corpus not found at ${CORPUS}, skipping.`);
    return 0;
  }
  if (!existsSync(join(DIST, 'engine', 'lint.js'))) {
    console.error('stowage bench: dist/ is missing; run `npm run build` first (npm run bench does).');
    return 2;
  }
  const memoryMethod = process.env.STOWAGE_BENCH_RSS !== 'child' && gnuTime() ? 'gnu-time' : 'child-resourceUsage';
  const via = memoryMethod === 'gnu-time' ? 'CLI' : 'in-process child';
  const work = mkdtempSync(join(tmpdir(), 'stowage-bench-'));
  const figures = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    corpus: CORPUS,
    memoryMethod: memoryMethod === 'gnu-time' ? '/usr/bin/time -v (max RSS of the CLI process)' : 'process.resourceUsage().maxRSS of a child that lints in-process from dist/',
    targets: TARGETS,
  };
  console.log(`stowage bench — node ${process.version}, ${figures.platform}`);
  console.log(`corpus: ${CORPUS}`);
  console.log(`peak memory via ${figures.memoryMethod}`);
  figures.loadAverageAtStart = loadavg()[0];
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (${availableParallelism()} CPUs): figures from a busy machine are noisy`);

  const stowage = await loadStowage();
  const floor = await loadFloor();
  const candidatesOf = (dir) => stowage.discoverDir(dir); // one untimed walk for the file list

  try {
    // 1. The corpus as is.
    const corpusCandidates = candidatesOf(CORPUS);
    const run1 = cliLint(CORPUS, join(work, 'corpus.json'), memoryMethod);
    figures.corpus1x = describeRun(`1. corpus (1x), ${via}`, CORPUS, run1, corpusCandidates, floor.classify);

    // 2. The corpus replicated ten times.
    const big = join(work, 'corpus-x10');
    const tc = now();
    for (let i = 0; i < COPIES; i++) cpSync(CORPUS, join(big, `copy-${i}`), { recursive: true, verbatimSymlinks: true });
    console.log(`\n(copied the corpus ${COPIES}x into ${big} in ${fmtMs(msSince(tc))})`);
    const bigCandidates = candidatesOf(big);
    const run2 = cliLint(big, join(work, 'corpus-x10.json'), memoryMethod);
    figures.corpus10x = describeRun(`2. corpus replicated ${COPIES}x, ${via}`, big, run2, bigCandidates, floor.classify);
    figures.corpus10x.memoryTargetMet = figures.corpus10x.peakRssMB !== undefined ? figures.corpus10x.peakRssMB < TARGETS.memoryMB : undefined;
    rmSync(big, { recursive: true, force: true });

    // 3. Start-up: one small template, 10 runs (after one untimed warm-up run for the file cache).
    const template = pickTemplate(run1.results);
    const runOnce = () => {
      const t0 = now();
      const r = spawnSync(process.execPath, [BIN, 'lint', template], { cwd: ROOT, stdio: 'ignore' });
      const ms = msSince(t0);
      if (r.status === 2 || r.error) throw new Error(`stowage lint ${template} failed (${r.status ?? r.error})`);
      return ms;
    };
    runOnce();
    const startup = Array.from({ length: STARTUP_RUNS }, runOnce);
    figures.startup = {
      template,
      templateBytes: sizeOf(template),
      runs: startup,
      medianMs: median(startup),
      minMs: Math.min(...startup),
      targetMet: median(startup) < TARGETS.startupMs,
    };
    console.log(`\n3. start-up: node bin/stowage.js lint ${relative(ROOT, template)} (${sizeOf(template)} bytes)`);
    console.log(`  median ${fmtMs(figures.startup.medianMs)}, min ${fmtMs(figures.startup.minMs)} over ${STARTUP_RUNS} runs`);

    // 4. In-process: stowage's lint against the bare-parse floor, same files, alternating, median of 3.
    const kinds = floor.classify(corpusCandidates);
    const floorRuns = [];
    const lintRuns = [];
    for (let i = 0; i < REPEATS; i++) {
      gc();
      floorRuns.push(floor.parseAll(corpusCandidates));
      gc();
      lintRuns.push(stowage.lintDir(CORPUS));
    }
    const med = (runs, k) => median(runs.map((r) => r[k]));
    const floorMs = med(floorRuns, 'totalMs');
    const lintMs = med(lintRuns, 'totalMs');
    figures.inProcess = {
      files: corpusCandidates.length,
      yamlFiles: kinds.yaml,
      jsonFiles: kinds.json,
      bytes: figures.corpus1x.walkedBytes,
      floorRunsMs: floorRuns.map((r) => r.totalMs),
      lintRunsMs: lintRuns.map((r) => r.totalMs),
      floorMs,
      lintMs,
      lintStagesMs: { discover: med(lintRuns, 'discoverMs'), readParse: med(lintRuns, 'parseMs'), modelRules: med(lintRuns, 'modelRulesMs') },
      ratio: lintMs / floorMs,
      parseStageRatio: med(lintRuns, 'parseMs') / floorMs,
      targetMet: lintMs / floorMs <= TARGETS.ratio,
      findings: lintRuns[0].findings,
      internalErrors: lintRuns[0].internalErrors,
    };
    const ip = figures.inProcess;
    console.log(`\n4. in-process, ${ip.files} walked files (${ip.yamlFiles} YAML, ${ip.jsonFiles} JSON, ${fmtMB(ip.bytes)}), median of ${REPEATS}`);
    console.log(`  floor: read + yaml.parseAllDocuments / jsonc-parser.parseTree   ${fmtMs(floorMs)}  [${ip.floorRunsMs.map(fmtMs).join(', ')}]`);
    console.log(`  stowage: discover + lint (read, parse, model, rules)           ${fmtMs(lintMs)}  [${ip.lintRunsMs.map(fmtMs).join(', ')}]`);
    console.log(`    discover ${fmtMs(ip.lintStagesMs.discover)}, read + parse into located trees ${fmtMs(ip.lintStagesMs.readParse)}, model + rules + suppressions ${fmtMs(ip.lintStagesMs.modelRules)}`);
    console.log(`  ratio to floor ${ip.ratio.toFixed(2)}x (read + parse stage alone ${ip.parseStageRatio.toFixed(2)}x); ${ip.findings} findings`);

    // Summary.
    const ok = (b) => (b === undefined ? '' : b ? 'ok' : 'MISSED');
    const rows = [
      ['measurement', 'files', 'MB', 'wall', 'files/s', 'MB/s', 'peak RSS', 'target', ''],
      ...[figures.corpus1x, figures.corpus10x].map((f, i) => [
        `${via === 'CLI' ? 'CLI' : 'child'} lint, corpus ${i === 0 ? 1 : COPIES}x`,
        String(f.parsedFiles),
        (f.parsedBytes / MB).toFixed(1),
        fmtMs(f.wallMs),
        fmtRate(f.filesPerSec),
        fmtRate(f.mbPerSec),
        f.peakRssMB !== undefined ? `${f.peakRssMB.toFixed(0)} MB` : 'n/a',
        i === 0 ? '' : `< ${TARGETS.memoryMB} MB`,
        i === 0 ? '' : ok(f.memoryTargetMet),
      ]),
      ['start-up, 1 template (median)', '1', (figures.startup.templateBytes / MB).toFixed(3), fmtMs(figures.startup.medianMs), '', '', '', `< ${TARGETS.startupMs} ms`, ok(figures.startup.targetMet)],
      ['start-up, 1 template (min)', '1', '', fmtMs(figures.startup.minMs), '', '', '', '', ''],
      ['floor: bare parse, in-process', String(ip.files), (ip.bytes / MB).toFixed(1), fmtMs(floorMs), fmtRate(ip.files / (floorMs / 1000)), fmtRate(ip.bytes / MB / (floorMs / 1000)), '', '', ''],
      ['stowage lint, in-process', String(ip.files), (ip.bytes / MB).toFixed(1), fmtMs(lintMs), fmtRate(ip.files / (lintMs / 1000)), fmtRate(ip.bytes / MB / (lintMs / 1000)), '', '', ''],
      ['lint / floor ratio', '', '', `${ip.ratio.toFixed(2)}x`, '', '', '', `<= ${TARGETS.ratio}x`, ok(ip.targetMet)],
    ];
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    const line = (r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
    console.log('\nsummary (rows 1-2: files/MB of the files in the JSON results; in-process rows: every walked file)');
    console.log(line(rows[0]));
    console.log(widths.map((w) => '-'.repeat(w)).join('  ').trimEnd());
    for (const r of rows.slice(1)) console.log(line(r));

    figures.loadAverageAtEnd = loadavg()[0];
    const out = join(tmpdir(), 'stowage-bench-results.json');
    writeFileSync(out, JSON.stringify(figures, null, 2) + '\n');
    console.log(`\nfigures written to ${out}`);
    if (!ip.targetMet) console.log('lint/floor ratio misses the target: `node bench/run.mjs --profile` shows where the time goes.');
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

const argv = process.argv.slice(2);
let code = 0;
if (argv[0] === '--child-lint') {
  await childLint(resolve(argv[1]));
} else if (argv[0] === '--profile') {
  if (!existsSync(CORPUS)) console.log(`stowage bench: corpus not found at ${CORPUS}, skipping.`);
  else profile(argv[1] ? resolve(argv[1]) : CORPUS);
} else {
  code = await bench();
}
process.exitCode = code;
