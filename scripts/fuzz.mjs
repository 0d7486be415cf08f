#!/usr/bin/env node
/**
 * Mutation fuzzer for the whole lint pipeline (parsers, model, rules, engine), run on the built
 * `dist/` modules. Seeded and deterministic: case N of seed S is always the same input.
 *
 *   node scripts/fuzz.mjs --seed 1 --seconds 60 [--corpus ../shared/corpus] [--no-corpus]
 *   node scripts/fuzz.mjs --seed 1 --case 1234          # replay one case
 *   node scripts/fuzz.mjs --seed 1 --cases 500          # a fixed number of cases
 *   node scripts/fuzz.mjs --seed 1 --mutators mergeKey,anchorAlias   # only these mutators
 *
 * Inputs are the repository's test/fixtures and the corpus (skipped when absent). Each case takes
 * one file (sometimes with a few of its siblings, for cross-file rules), applies one to four
 * mutators to it and lints the result twice. Properties checked for every case:
 *  - no exception escapes lint();
 *  - every finding's range lies within its file, start <= end, and line/column (1-based) agree
 *    with the offsets;
 *  - no internal-error finding (nor a caught exception reported as a parse error);
 *  - the JSON output is identical across two runs of the same input, and across reversed input
 *    order for multi-file cases.
 * Known violations outside the parsers (`KNOWN`) are reported without failing the run unless
 * `--strict` is given. A failing case is written to `.fuzz-failures/seed-<S>-case-<N>/` (gitignored) with the seed
 * and case to replay it; the exit code is then 1.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXTENSIONS = ['.yaml', '.yml', '.json', '.template', '.tpl'];
/** Source files larger than this are left out (each case lints its input twice). */
const MAX_SOURCE_BYTES = 256 * 1024;
/** At most this many failing cases are written out. */
const MAX_REPORTED = 25;

// ------------------------------------------------------------------ random numbers

/** mulberry32: a small seeded PRNG (32-bit state), returning floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The generator of one case: independent of the cases before it, so any case can be replayed alone. */
export function caseRng(seed, n) {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul((n >>> 0) + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return rngHelpers(mulberry32(h));
}

function rngHelpers(next) {
  const r = {
    next,
    int: (n) => Math.floor(next() * n),
    range: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (a) => a[Math.floor(next() * a.length)],
    chance: (p) => next() < p,
  };
  return r;
}

// ------------------------------------------------------------------ text helpers

/** Lines with their line endings kept. */
function lines(text) {
  const out = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') {
      out.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

const KEY_LINE = /^([ \t]*)((?:- +)?)([A-Za-z0-9_$"'][^:#\n]*?):(?:([ \t]+)([^\n#]*?))?[ \t]*(\r?\n)?$/;
const JSON_SCALAR = /("[^"\\\n]{0,80}"|-?\d+(?:\.\d+)?|true|false|null)(?=\s*[,}\]\n])/g;

/** `key: value` lines (YAML): index, indentation, key, value (maybe empty). */
function keyLines(ls) {
  const out = [];
  for (let i = 0; i < ls.length; i++) {
    const m = KEY_LINE.exec(ls[i]);
    if (m) out.push({ i, indent: m[1] + ' '.repeat(m[2].length), dash: m[2], key: m[3], value: m[5] ?? '', eol: m[6] ?? '' });
  }
  return out;
}

/** Indentation of the first non-blank line after line i. */
function childIndent(ls, i) {
  for (let k = i + 1; k < ls.length; k++) {
    const l = ls[k];
    if (l.trim() === '' || l.trimStart().startsWith('#')) continue;
    return l.length - l.trimStart().length;
  }
  return -1;
}

function lineWidth(l) {
  return l.length - l.trimStart().length;
}

/** Replace the value of a `key: value` line. */
function withValue(ls, kl, value) {
  const colon = kl.indent.length + kl.key.length;
  ls[kl.i] = ls[kl.i].slice(0, colon + 1) + (value === '' ? '' : ' ' + value) + kl.eol;
}

function randomScalarSpot(rng, text) {
  JSON_SCALAR.lastIndex = 0;
  const spots = [];
  let m;
  while ((m = JSON_SCALAR.exec(text)) && spots.length < 5000) spots.push([m.index, m.index + m[0].length]);
  return spots.length ? rng.pick(spots) : undefined;
}

// ------------------------------------------------------------------ mutators

const INTERESTING = [':', '-', '{', '}', '[', ']', '"', "'", '&', '*', '!', '|', '>', '#', '\t', '\n', '\r', ' ', '\\', ',', '?', '%', '@', '`', '\u0000', '\ufeff', 'é', '\ud83d', '\udc00', '\u2028', '\u0085', '0', 'x', '<'];
const UNICODE = ['😀', '漢字', 'e\u0301', '\u202e', '\u200b', '\u0085', '\u2028', '\u2029', '\ud800', '\udfff', 'ﬀ', 'İ', 'ß', '\u00a0', '\u3000', '𝔘'];
const TAGS = ['!Ref', '!GetAtt', '!Sub', '!If', '!Join', '!Select', '!Base64', '!ImportValue', '!!str', '!!int', '!!float', '!!bool', '!!map', '!!seq', '!!binary', '!!timestamp', '!!null', '!custom', '!<tag:yaml.org,2002:str>', '!'];
const SCALARS = ['true', 'false', '"true"', 'yes', 'no', 'on', '0', '-1', '80.5', '1e309', '0x1F', '0o17', '.inf', '-.inf', '.nan', 'null', '~', '""', "''", '2001-12-14t21:59:43.10-05:00', '2024-01-01', '12:30:00', '9007199254740993', '"${AWS::Region}"', '"{{resolve:ssm:/x}}"', '${VAR}', '"*"', 'arn:aws:iam::*:role/*', '"latest"', 'nginx', '"0.0.0.0/0"', '65536', '-0', '+12', '1_000'];

/** Each mutator: (text, rng, json) → text. */
export const MUTATORS = {
  flip(t, rng) {
    if (!t.length) return rng.pick(INTERESTING);
    const chars = t.split('');
    for (let k = rng.range(1, 6); k > 0; k--) chars[rng.int(chars.length)] = rng.chance(0.7) ? rng.pick(INTERESTING) : String.fromCharCode(rng.range(32, 126));
    return chars.join('');
  },
  insertChar(t, rng) {
    const at = rng.int(t.length + 1);
    return t.slice(0, at) + rng.pick(INTERESTING) + t.slice(at);
  },
  truncate(t, rng) {
    return t.slice(0, rng.int(t.length + 1));
  },
  dupLines(t, rng) {
    const ls = lines(t);
    if (!ls.length) return t + t;
    const i = rng.int(ls.length);
    const n = rng.range(1, 5);
    ls.splice(i, 0, ...ls.slice(i, i + n));
    return ls.join('');
  },
  delLines(t, rng) {
    const ls = lines(t);
    if (!ls.length) return t;
    ls.splice(rng.int(ls.length), rng.range(1, 3));
    return ls.join('');
  },
  indent(t, rng) {
    const ls = lines(t);
    if (!ls.length) return t;
    for (let k = rng.range(1, 3); k > 0; k--) {
      const i = rng.int(ls.length);
      const w = lineWidth(ls[i]);
      const c = rng.int(4);
      if (c === 0) ls[i] = ' '.repeat(rng.range(1, 4)) + ls[i];
      else if (c === 1) ls[i] = ls[i].slice(Math.min(w, rng.range(1, 4)));
      else if (c === 2) ls[i] = '\t' + ls[i].slice(Math.min(w, 2));
      else {
        // shift a block of lines
        const n = rng.range(2, 10);
        for (let j = i; j < Math.min(ls.length, i + n); j++) ls[j] = '  ' + ls[j];
      }
    }
    return ls.join('');
  },
  anchorAlias(t, rng, json) {
    if (json) return MUTATORS.jsonish(t, rng, json);
    const ls = lines(t);
    const kls = keyLines(ls).filter((k) => k.value !== '' && !k.value.startsWith('&') && !k.value.startsWith('*'));
    if (kls.length < 1) return t;
    const name = `a${rng.int(3)}`;
    const a = rng.pick(kls);
    const b = rng.pick(kls);
    if (b.i !== a.i) withValue(ls, b, rng.chance(0.1) ? '*undefinedAnchor' : `*${name}`);
    if (rng.chance(0.9)) withValue(ls, a, `&${name} ${a.value}`);
    return ls.join('');
  },
  mergeKey(t, rng, json) {
    if (json) return MUTATORS.jsonish(t, rng, json);
    const ls = lines(t);
    const maps = keyLines(ls).filter((k) => k.value === '' && childIndent(ls, k.i) > lineWidth(ls[k.i]));
    const name = `m${rng.int(3)}`;
    if (!maps.length) return t + `base: &${name}\n  x: 1\nuse:\n  <<: *${name}\n  y: 2\n`;
    const a = rng.pick(maps);
    ls[a.i] = ls[a.i].replace(/:[ \t]*(\r?\n)?$/, (_, eol) => `: &${name}${eol ?? ''}`);
    const items = keyLines(ls).filter((k) => k.dash !== '');
    if (items.length && rng.chance(0.35)) {
      // A list item that starts with the merge: `- <<: *m` then its own keys.
      const it = rng.pick(items);
      const dashAt = it.indent.length - it.dash.length;
      const eol = ls[it.i].endsWith('\r\n') ? '\r\n' : '\n';
      ls.splice(it.i, 1, `${ls[it.i].slice(0, dashAt)}- <<: *${name}${eol}`, `${' '.repeat(it.indent.length)}${ls[it.i].slice(it.indent.length)}`);
      return ls.join('');
    }
    const b = rng.pick(maps);
    const ind = ' '.repeat(childIndent(ls, b.i));
    const eol = ls[b.i].endsWith('\r\n') ? '\r\n' : '\n';
    const value = rng.pick([`*${name}`, `*${name}`, `[*${name}, *${name}]`, `[*${name}]`, '{ injected: 1 }', '5', `*${name}`, '*nowhere', '']);
    let at = b.i + 1;
    if (rng.chance(0.5)) {
      // after the map's other keys rather than first
      while (at < ls.length && (ls[at].trim() === '' || lineWidth(ls[at]) >= ind.length)) at++;
    }
    ls.splice(at, 0, `${ind}<<: ${value}${eol}`);
    return ls.join('');
  },
  mergeItem(t, rng, json) {
    // An earlier list item anchored and merged into a later sibling: `- &m0` / `- <<: *m0`.
    if (json) return MUTATORS.jsonish(t, rng, json);
    const ls = lines(t);
    const items = keyLines(ls).filter((k) => k.dash !== '');
    if (items.length < 2) return MUTATORS.mergeKey(t, rng, json);
    const j = rng.range(1, items.length - 1);
    const later = items[j];
    const earlier = items.filter((k, x) => x < j && k.indent.length === later.indent.length);
    if (!earlier.length) return MUTATORS.mergeKey(t, rng, json);
    const first = rng.pick(earlier);
    const name = `i${rng.int(3)}`;
    const split = (k, head) => {
      const eol = ls[k.i].endsWith('\r\n') ? '\r\n' : '\n';
      const dashAt = k.indent.length - k.dash.length;
      ls.splice(k.i, 1, `${ls[k.i].slice(0, dashAt)}- ${head}${eol}`, ' '.repeat(k.indent.length) + ls[k.i].slice(k.indent.length));
    };
    split(later, rng.chance(0.8) ? `<<: *${name}` : `<<: [*${name}]`);
    split(first, `&${name}`);
    return ls.join('');
  },
  tag(t, rng, json) {
    if (json) return MUTATORS.jsonish(t, rng, json);
    const ls = lines(t);
    const kls = keyLines(ls);
    if (!kls.length) return t;
    const k = rng.pick(kls);
    withValue(ls, k, `${rng.pick(TAGS)} ${k.value}`.trimEnd());
    return ls.join('');
  },
  bom(t, rng) {
    if (rng.chance(0.8)) return '\ufeff' + t;
    const at = rng.int(t.length + 1);
    return t.slice(0, at) + '\ufeff' + t.slice(at);
  },
  crlf(t, rng) {
    const c = rng.int(4);
    if (c === 0) return t.replace(/\r?\n/g, '\r\n');
    if (c === 1) return t.replace(/\r?\n/g, '\r');
    if (c === 2) return t.replace(/\r?\n/g, () => (rng.chance(0.5) ? '\r\n' : '\n'));
    return t.replace(/\r?\n$/, '') + (rng.chance(0.5) ? '\r' : '');
  },
  unicode(t, rng) {
    const spot = randomScalarSpot(rng, t);
    const at = spot && rng.chance(0.7) ? rng.range(spot[0] + 1, Math.max(spot[0] + 1, spot[1] - 1)) : rng.int(t.length + 1);
    return t.slice(0, at) + rng.pick(UNICODE) + t.slice(at);
  },
  scalar(t, rng, json) {
    const spot = randomScalarSpot(rng, t);
    if (!spot) return t;
    let v = rng.pick(SCALARS);
    if (json && !/^(?:"|-?\d|true|false|null)/.test(v)) v = JSON.stringify(v);
    return t.slice(0, spot[0]) + v + t.slice(spot[1]);
  },
  shape(t, rng, json) {
    if (json) {
      const spot = randomScalarSpot(rng, t);
      if (!spot) return t;
      const v = t.slice(spot[0], spot[1]);
      return t.slice(0, spot[0]) + rng.pick([`{"x": ${v}}`, `[${v}]`, '[]', '{}', 'null', `[[${v}]]`]) + t.slice(spot[1]);
    }
    const ls = lines(t);
    const kls = keyLines(ls);
    if (!kls.length) return t;
    const k = rng.pick(kls);
    if (k.value === '') {
      // a map or list becomes a scalar (its children stay: often a syntax error, sometimes not)
      withValue(ls, k, rng.pick(['1', 'x', '[]', '{}', '~']));
      if (rng.chance(0.5)) {
        const ci = childIndent(ls, k.i);
        let j = k.i + 1;
        while (j < ls.length && (ls[j].trim() === '' || lineWidth(ls[j]) >= ci)) j++;
        ls.splice(k.i + 1, j - k.i - 1);
      }
    } else {
      const ind = ' '.repeat(lineWidth(ls[k.i]) + 2);
      withValue(ls, k, rng.pick([`{x: ${k.value}}`, `[${k.value}]`, '[]', '{}', '', `\n${ind}- ${k.value}`, `\n${ind}x: ${k.value}`, `|\n${ind}${k.value}`, `>-\n${ind}${k.value}`]));
    }
    return ls.join('');
  },
  deepNest(t, rng, json) {
    const depth = rng.pick([10, 60, 200, 399, 400, 401, 402, 1000, 5000]);
    const spot = randomScalarSpot(rng, t);
    const at = spot ? spot[0] : t.length;
    const end = spot ? spot[1] : t.length;
    const v = spot ? t.slice(at, end) : '1';
    let nested;
    if (json || rng.chance(0.6)) nested = rng.chance(0.5) ? '['.repeat(depth) + v + ']'.repeat(depth) : '{"a":'.repeat(depth) + v + '}'.repeat(depth);
    else {
      const n = Math.min(depth, 600);
      nested = '\n';
      for (let d = 1; d <= n; d++) nested += ' '.repeat(d) + (rng.chance(0.3) ? '- ' : 'k:') + '\n';
      nested += ' '.repeat(n + 1) + v;
    }
    return t.slice(0, at) + nested + t.slice(end);
  },
  hugeScalar(t, rng, json) {
    const spot = randomScalarSpot(rng, t);
    const n = rng.pick([1_000, 10_000, 100_000]);
    const piece = rng.pick(['x', 'ab ', 'arn:aws:iam::123456789012:role/', '${A}', '\\"', 'é']);
    let v = piece.repeat(Math.ceil(n / piece.length));
    v = json ? JSON.stringify(v) : rng.chance(0.5) ? JSON.stringify(v) : v;
    if (!spot) return t + v;
    return t.slice(0, spot[0]) + v + t.slice(spot[1]);
  },
  docMarkers(t, rng, json) {
    const ls = lines(t);
    const at = rng.int(ls.length + 1);
    const marker = rng.pick(['---\n', '...\n', '--- |\n', '%YAML 1.1\n---\n', '--- !!map\n', '---\n---\n', '# Source: chart/templates/x.yaml\n']);
    if (json && rng.chance(0.5)) return t + '\n' + marker;
    ls.splice(at, 0, marker);
    return ls.join('');
  },
  edges(t, rng) {
    return rng.pick(['', '\n', '   ', '\t', '---', '---\n', '...', '{}', '[]', '#', '~', 'null', '\ufeff', '\r\n', '\r', 'a: ', ':', '-', '"', '{', t.replace(/\s+$/, ''), t + '   ', t + '\n\n\n']);
  },
  jsonish(t, rng) {
    const c = rng.int(7);
    const commas = [];
    for (let i = 0; i < t.length && commas.length < 5000; i++) if (t[i] === ',' || t[i] === '}' || t[i] === ']') commas.push(i);
    const at = commas.length ? rng.pick(commas) : t.length;
    if (c === 0) return t.slice(0, at) + t.slice(at + 1); // drop a comma or a closing bracket
    if (c === 1) return t.slice(0, at) + ',' + t.slice(at); // trailing comma
    if (c === 2) return t.slice(0, at) + '// comment\n' + t.slice(at);
    if (c === 3) return t.slice(0, at) + '/* unterminated' + t.slice(at);
    if (c === 4) return MUTATORS.dupLines(t, rng);
    if (c === 5) return t.slice(0, at) + '"' + t.slice(at);
    return t + rng.pick(['}', ']', ',', '{', 'x', '\n{}']);
  },
};

/** Mutators that keep a file well-formed more often are drawn more often (the rules then run). */
const WEIGHTS = { flip: 3, insertChar: 2, truncate: 2, dupLines: 3, delLines: 3, indent: 3, anchorAlias: 5, mergeKey: 5, mergeItem: 3, tag: 4, bom: 2, crlf: 3, unicode: 4, scalar: 6, shape: 5, deepNest: 1, hugeScalar: 1, docMarkers: 2, edges: 1, jsonish: 2 };
const WEIGHTED = Object.entries(WEIGHTS).flatMap(([name, w]) => Array(w).fill(name));

// ------------------------------------------------------------------ inputs

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && EXTENSIONS.some((x) => e.name.endsWith(x))) {
      try {
        if (statSync(p).size <= MAX_SOURCE_BYTES) out.push(p);
      } catch {
        /* gone */
      }
    }
  }
}

/** The files cases are drawn from, in a fixed order: fixtures first, then the corpus. */
export function sourceFiles({ corpus, fixtures = join(ROOT, 'test', 'fixtures') } = {}) {
  const files = [];
  walk(fixtures, files);
  const corpusFiles = [];
  if (corpus && existsSync(corpus)) walk(corpus, corpusFiles);
  files.sort();
  corpusFiles.sort();
  return { files: [...files, ...corpusFiles], fixtures: files.length, corpus: corpusFiles.length, corpusFound: !!corpus && existsSync(corpus) };
}

function siblingsOf(files, index) {
  const dir = dirname(files[index]);
  const out = [];
  for (let i = index - 1; i >= 0 && out.length < 8 && dirname(files[i]) === dir; i--) out.push(files[i]);
  for (let i = index + 1; i < files.length && out.length < 16 && dirname(files[i]) === dir; i++) out.push(files[i]);
  return out.sort();
}

/** One case: the files (virtual path → text) and what was done to them. */
export function makeCase(seed, n, files, read = (p) => readFileSync(p, 'utf8'), only = WEIGHTED) {
  const rng = caseRng(seed, n);
  const index = rng.int(files.length);
  const target = files[index];
  const group = [target];
  if (rng.chance(0.25)) {
    const sib = siblingsOf(files, index);
    for (let k = rng.range(1, 3); k > 0 && sib.length; k--) {
      const s = sib.splice(rng.int(sib.length), 1)[0];
      group.push(s);
    }
  }
  const json = target.endsWith('.json');
  let text = read(target);
  const mutations = [];
  for (let k = rng.range(1, 4); k > 0; k--) {
    const name = rng.pick(only);
    mutations.push(name);
    text = MUTATORS[name](text, rng, json);
  }
  const inputs = group.map((p, i) => ({ source: p, path: virtualPath(p), text: i === 0 ? text : read(p) }));
  return { seed, n, target, mutations, inputs };
}

function virtualPath(p) {
  const rel = relative(ROOT, p);
  return '/fuzz/' + (rel.startsWith('..') ? rel.replace(/^(\.\.[\\/])+/, '') : rel).split(sep).join('/');
}

// ------------------------------------------------------------------ properties

/** Line starts as editors count them (`\n`, `\r\n`, a lone `\r`): written here on purpose, as the oracle the `SourceFile` positions are checked against. */
function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

function positionOf(starts, offset) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

const DISGUISED = /^could not read( the document)?: /;

/** Property violations of one lint output (range, line/column and internal-error properties). */
export function checkOutput(out, paths) {
  const problems = [];
  if (out.internalErrors) problems.push({ property: 'no-internal-error', detail: `${out.internalErrors} internal error(s)` });
  const known = new Set(paths);
  const starts = new Map();
  for (const r of out.results) {
    if (!known.has(r.path)) problems.push({ property: 'range', detail: `findings for a file that is not an input: ${r.path}` });
    for (const f of r.findings) {
      const where = `${f.ruleId} "${String(f.message).slice(0, 120)}" in ${r.path}`;
      if (f.fatal || /^Internal error/.test(f.message)) problems.push({ property: 'no-internal-error', detail: where });
      if (f.ruleId === 'parse-error' && DISGUISED.test(f.message)) problems.push({ property: 'no-internal-error', detail: `an exception reported as a parse error: ${where}` });
      const text = f.file?.text;
      if (typeof text !== 'string') {
        problems.push({ property: 'range', detail: `no file text: ${where}` });
        continue;
      }
      const ints = [f.start, f.end, f.line, f.column, f.endLine, f.endColumn].every(Number.isInteger);
      if (!ints) {
        problems.push({ property: 'range', detail: `non-integer position ${JSON.stringify([f.start, f.end, f.line, f.column, f.endLine, f.endColumn])}: ${where}` });
        continue;
      }
      if (f.start < 0 || f.end > text.length || f.start > f.end) {
        problems.push({ property: 'range', detail: `offsets ${f.start}-${f.end} outside 0-${text.length} or reversed: ${where}` });
        continue;
      }
      let ls = starts.get(f.file);
      if (!ls) starts.set(f.file, (ls = lineStarts(text)));
      const s = positionOf(ls, f.start);
      const e = positionOf(ls, f.end);
      if (s.line !== f.line || s.column !== f.column || e.line !== f.endLine || e.column !== f.endColumn) {
        problems.push({ property: 'line-column', detail: `${f.line}:${f.column}-${f.endLine}:${f.endColumn} where offsets ${f.start}-${f.end} are ${s.line}:${s.column}-${e.line}:${e.column}: ${where}` });
      }
      if (f.line < 1 || f.column < 1 || f.endLine < f.line || (f.endLine === f.line && f.endColumn < f.column)) {
        problems.push({ property: 'line-column', detail: `${f.line}:${f.column}-${f.endLine}:${f.endColumn} is not a forward range: ${where}` });
      }
    }
  }
  return problems;
}

/**
 * Known violations outside the parsers, reported but not failing a run (`--strict` fails on them
 * too). Remove an entry once its fix lands.
 */
export const KNOWN = [];

/** The JSON output of a run, files in path order (the order of inputs is not part of the comparison). */
function canonical(api, out, without) {
  const results = [...out.results]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((r) => (without ? { ...r, findings: r.findings.filter((f) => !without.has(f.ruleId)) } : r));
  return api.formatJson(results, { cwd: ROOT, color: false, rules: api.rules }) + '\n' + [...out.notices].sort().join('\n');
}

/** Load the built modules (`npm run build` first). */
export async function loadApi(dist = join(ROOT, 'dist')) {
  const mod = (p) => import(pathToFileURL(join(dist, p)).href);
  const [{ lint }, { builtinRules }, { defaultConfig }, { formatJson }] = await Promise.all([
    mod('engine/lint.js'),
    mod('rules/index.js'),
    mod('engine/config.js'),
    mod('formatters/json.js'),
  ]);
  return { lint, rules: builtinRules, config: defaultConfig(ROOT), formatJson };
}

function lintOnce(api, inputs) {
  return api.lint(
    inputs.map((i) => ({ path: i.path, text: i.text, explicit: true })),
    { rules: api.rules, config: api.config, reportUnusedDisableDirectives: true },
  );
}

/** Run one case and return its property violations (empty when all hold). */
export function runCase(api, c) {
  const paths = c.inputs.map((i) => i.path);
  const problems = [];
  let a;
  let b;
  try {
    a = lintOnce(api, c.inputs);
  } catch (e) {
    return [{ property: 'no-exception', detail: e instanceof Error ? (e.stack ?? e.message) : String(e) }];
  }
  problems.push(...checkOutput(a, paths));
  const reversed = c.inputs.length > 1;
  try {
    b = lintOnce(api, reversed ? [...c.inputs].reverse() : c.inputs);
  } catch (e) {
    return [...problems, { property: 'no-exception', detail: `second run: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` }];
  }
  const ja = canonical(api, a);
  const jb = canonical(api, b);
  if (ja !== jb) {
    let property = 'deterministic';
    if (reversed) {
      // Tell order dependence from plain non-determinism with a third run in the first order.
      const again = canonical(api, lintOnce(api, c.inputs));
      property = again === ja ? 'input-order' : 'deterministic';
    }
    const known = KNOWN.filter((k) => k.property === property);
    const without = new Set(known.map((k) => k.ruleId));
    const problem = { property, detail: firstDifference(ja, jb) };
    if (known.length && canonical(api, a, without) === canonical(api, b, without)) problem.known = known.map((k) => `${k.ruleId}: ${k.reason}`).join('; ');
    problems.push(problem);
  }
  return problems;
}

function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 120);
  return `outputs differ at character ${i}:\n  first:  …${a.slice(from, i + 120)}\n  second: …${b.slice(from, i + 120)}`;
}

function writeReproducer(dir, c, problems) {
  const out = join(dir, `seed-${c.seed}-case-${c.n}`);
  mkdirSync(out, { recursive: true });
  const names = [];
  c.inputs.forEach((input, k) => {
    const name = `${k}-${basename(input.path)}`;
    writeFileSync(join(out, name), input.text);
    names.push(name);
  });
  const info = { seed: c.seed, case: c.n, mutations: c.mutations, sources: c.inputs.map((i) => i.source), virtualPaths: c.inputs.map((i) => i.path), files: names, problems, replay: `npm run fuzz -- --seed ${c.seed} --case ${c.n}` };
  writeFileSync(join(out, 'case.json'), JSON.stringify(info, null, 2) + '\n');
  return out;
}

/**
 * Run cases until `seconds` have passed or `cases` have run (or just case `only`).
 * Returns the failing cases; writes reproducers under `failures` when given.
 */
export async function fuzz(opts) {
  const { seed = 1, seconds, cases, only, corpus, fixtures, failures, strict = false, mutators, log = () => {}, api: given } = opts;
  process.env.STOWAGE_TODAY ??= '2026-12-01';
  const api = given ?? (await loadApi());
  const src = sourceFiles({ corpus, ...(fixtures ? { fixtures } : {}) });
  if (corpus && !src.corpusFound) log(`fuzz: corpus ${corpus} not found; fixtures only`);
  log(`fuzz: seed ${seed}, ${src.fixtures} fixture files, ${src.corpus} corpus files`);
  if (!src.files.length) return { ran: 0, failed: [], mutations: {} };
  const cache = new Map();
  const read = (p) => {
    let t = cache.get(p);
    if (t === undefined) {
      t = readFileSync(p, 'utf8');
      if (cache.size > 2000) cache.clear();
      cache.set(p, t);
    }
    return t;
  };
  const pool = mutators?.length ? WEIGHTED.filter((m) => mutators.includes(m)) : WEIGHTED;
  if (!pool.length) throw new Error(`no such mutator: ${mutators.join(', ')} (known: ${Object.keys(MUTATORS).join(', ')})`);
  const failed = [];
  const counts = {};
  const knownHits = new Map();
  const t0 = Date.now();
  let ran = 0;
  for (let n = only ?? 0; ; n++) {
    if (only !== undefined && n > only) break;
    if (cases !== undefined && ran >= cases) break;
    if (seconds !== undefined && cases === undefined && only === undefined && Date.now() - t0 >= seconds * 1000) break;
    const c = makeCase(seed, n, src.files, read, pool);
    for (const m of c.mutations) counts[m] = (counts[m] ?? 0) + 1;
    const all = runCase(api, c);
    ran++;
    const problems = strict ? all : all.filter((p) => !p.known);
    for (const p of all) if (p.known && !strict) knownHits.set(p.known, (knownHits.get(p.known) ?? 0) + 1);
    if (problems.length) {
      const entry = { seed, n, mutations: c.mutations, source: c.target, problems };
      if (failures && failed.length < MAX_REPORTED) entry.dir = writeReproducer(failures, c, problems);
      failed.push(entry);
      log(`fuzz: FAILED seed ${seed} case ${n} (${relative(ROOT, c.target)}; ${c.mutations.join(', ')})`);
      for (const p of problems.slice(0, 5)) log(`  ${p.property}: ${p.detail.split('\n')[0]}`);
      if (entry.dir) log(`  reproducer: ${relative(process.cwd(), entry.dir)}; replay: npm run fuzz -- --seed ${seed} --case ${n}`);
    }
  }
  return { ran, failed, mutations: counts, ms: Date.now() - t0, known: Object.fromEntries(knownHits) };
}

function parseArgs(argv) {
  const o = { seed: 1, corpus: resolve(ROOT, '..', 'shared', 'corpus'), failures: join(ROOT, '.fuzz-failures') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    const int = () => {
      const x = Number(v());
      if (!Number.isInteger(x) || x < 0) throw new Error(`${a} needs a non-negative integer`);
      return x;
    };
    if (a === '--seed') o.seed = int();
    else if (a === '--seconds') o.seconds = int();
    else if (a === '--cases') o.cases = int();
    else if (a === '--case') o.only = int();
    else if (a === '--corpus') o.corpus = resolve(v());
    else if (a === '--no-corpus') o.corpus = undefined;
    else if (a === '--out') o.failures = resolve(v());
    else if (a === '--strict') o.strict = true;
    else if (a === '--mutators') o.mutators = v().split(',').filter(Boolean);
    else if (a === '--help' || a === '-h') o.help = true;
    else throw new Error(`unknown option ${a}`);
  }
  if (o.seconds === undefined && o.cases === undefined && o.only === undefined) o.seconds = 60;
  return o;
}

async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`fuzz: ${e.message}\n`);
    return 2;
  }
  if (o.help) {
    process.stdout.write('usage: node scripts/fuzz.mjs [--seed N] [--seconds S | --cases N | --case N] [--corpus DIR | --no-corpus] [--out DIR] [--strict] [--mutators a,b]\n');
    return 0;
  }
  if (!existsSync(join(ROOT, 'dist', 'engine', 'lint.js'))) {
    process.stderr.write('fuzz: dist/ is missing; run `npm run build` first\n');
    return 2;
  }
  const log = (s) => process.stdout.write(s + '\n');
  const r = await fuzz({ ...o, log });
  const kinds = Object.entries(r.mutations)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  for (const [what, n] of Object.entries(r.known)) log(`fuzz: known issue (not failing the run; --strict fails on it), ${n} case(s): ${what}`);
  log(`fuzz: ${r.ran} cases in ${((r.ms ?? 0) / 1000).toFixed(1)} s (mutations: ${kinds})`);
  if (r.failed.length) {
    const byProperty = {};
    for (const f of r.failed) for (const p of f.problems) byProperty[p.property] = (byProperty[p.property] ?? 0) + 1;
    log(`fuzz: ${r.failed.length} failing case(s) with seed ${o.seed}: ${Object.entries(byProperty).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    return 1;
  }
  log('fuzz: all properties held');
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`fuzz: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(2);
    },
  );
}
