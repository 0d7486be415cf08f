import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, sep } from 'node:path';
import type { FileResult, Finding } from './lint.js';

/**
 * Baselines: accept today's findings, fail only on new ones.
 *
 * A finding's fingerprint is a hash of what it is about, never where it sits: the rule id,
 * the file (relative to the baseline's folder), the entity (CloudFormation logical id or
 * Kubernetes `Kind/namespace/name`) and the key path from the entity to the reported node
 * (`Finding.path`). Lines can shift freely. The message is kept beside the fingerprint and
 * used only to tell apart findings that share one; each entry counts its occurrences.
 */

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  file: string;
  entity?: string;
  path?: string;
  message: string;
  count: number;
}

export interface Baseline {
  version: number;
  findings: BaselineEntry[];
}

/** A path relative to `base`, with forward slashes (stable across operating systems). */
export function relativePath(base: string, path: string): string {
  const rel = isAbsolute(path) ? relative(base, path) : path;
  return rel.split(sep).join('/');
}

/** The fingerprint of a finding, with its file relative to `base`. */
export function fingerprint(f: Finding, base: string): string {
  return hash([f.ruleId, relativePath(base, fingerprintFile(f)), f.entity ?? '', f.path ?? ''].join('\0'));
}

/** The file a finding is about: a CDK finding reported on its TypeScript still belongs to its template, so fingerprints do not depend on --cdk-locations. */
function fingerprintFile(f: Finding): string {
  return f.templateLocation?.filePath ?? f.file.path;
}

function hash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 32);
}

/** The baseline of a run's findings (internal errors are never baselined). */
export function createBaseline(results: FileResult[], base: string): Baseline {
  const byKey = new Map<string, BaselineEntry>();
  for (const r of results)
    for (const f of r.findings) {
      if (f.fatal) continue;
      const fp = fingerprint(f, base);
      const key = `${fp}\0${f.message}`;
      const hit = byKey.get(key);
      if (hit) hit.count++;
      else
        byKey.set(key, {
          fingerprint: fp,
          ruleId: f.ruleId,
          file: relativePath(base, fingerprintFile(f)),
          ...(f.entity ? { entity: f.entity } : {}),
          ...(f.path ? { path: f.path } : {}),
          message: f.message,
          count: 1,
        });
    }
  const findings = [...byKey.values()].sort(
    (a, b) =>
      cmp(a.file, b.file) || cmp(a.ruleId, b.ruleId) || cmp(a.entity ?? '', b.entity ?? '') || cmp(a.path ?? '', b.path ?? '') || cmp(a.message, b.message) || cmp(a.fingerprint, b.fingerprint),
  );
  return { version: BASELINE_VERSION, findings };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Stable text of a baseline: sorted entries, fixed key order, two-space indent, final newline. */
export function serializeBaseline(b: Baseline): string {
  const findings = b.findings.map((e) => ({
    fingerprint: e.fingerprint,
    ruleId: e.ruleId,
    file: e.file,
    ...(e.entity !== undefined ? { entity: e.entity } : {}),
    ...(e.path !== undefined ? { path: e.path } : {}),
    message: e.message,
    count: e.count,
  }));
  return JSON.stringify({ version: b.version, findings }, null, 2) + '\n';
}

/** The baseline of these results for a baseline file at `file`, and its text (the CLI writes it safely). */
export function baselineFor(file: string, results: FileResult[]): { baseline: Baseline; text: string } {
  const baseline = createBaseline(results, dirname(file));
  return { baseline, text: serializeBaseline(baseline) };
}

export function writeBaseline(file: string, results: FileResult[]): Baseline {
  const { baseline, text } = baselineFor(file, results);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return baseline;
}

export class BaselineError extends Error {}

/** Read and check a baseline file. */
export function readBaseline(file: string): Baseline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BaselineError(`${file}: cannot read baseline (${code === 'ENOENT' ? 'no such file; create it with --update-baseline' : (code ?? String(e))})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`${file}: baseline is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const o = raw as Partial<Baseline> | null;
  if (!o || typeof o !== 'object' || !Array.isArray(o.findings)) throw new BaselineError(`${file}: not a stowage baseline (expected { "version": ${BASELINE_VERSION}, "findings": [...] })`);
  if (o.version !== BASELINE_VERSION) throw new BaselineError(`${file}: baseline version ${String(o.version)} is not supported (expected ${BASELINE_VERSION}); recreate it with --update-baseline`);
  for (const [i, e] of o.findings.entries()) {
    if (!e || typeof e.fingerprint !== 'string' || typeof e.message !== 'string' || !Number.isInteger(e.count) || e.count < 1)
      throw new BaselineError(`${file}: baseline entry ${i} needs fingerprint, message and a positive count`);
  }
  return { version: o.version, findings: o.findings };
}

/**
 * Drop the findings the baseline accounts for. Within one fingerprint, findings whose message
 * matches a baseline entry are matched first; any count left over in that fingerprint then
 * absorbs findings whose message changed (a reworded rule). Internal errors always stay.
 */
export function applyBaseline(results: FileResult[], baseline: Baseline, base: string): { results: FileResult[]; hidden: number } {
  const remaining = new Map<string, Map<string, number>>();
  for (const e of baseline.findings) {
    let m = remaining.get(e.fingerprint);
    if (!m) remaining.set(e.fingerprint, (m = new Map()));
    m.set(e.message, (m.get(e.message) ?? 0) + e.count);
  }
  // Findings in task-definition JSON gained an entity (the family); a baseline written before that
  // holds them without one: such a finding falls back to its entity-less fingerprint.
  const fpOf = (f: Finding): string => {
    if (f.fatal) return '';
    const fp = fingerprint(f, base);
    if (remaining.has(fp) || f.entity === undefined) return fp;
    const legacy = fingerprint({ ...f, entity: undefined }, base);
    return remaining.has(legacy) ? legacy : fp;
  };
  const all = results.flatMap((r) => r.findings.map((f) => ({ f, fp: fpOf(f) })));
  const hidden = new Set<Finding>();
  // Exact matches first, then the rest of each fingerprint's count.
  for (const { f, fp } of all) {
    const m = remaining.get(fp);
    const n = m?.get(f.message) ?? 0;
    if (m && n > 0) {
      m.set(f.message, n - 1);
      hidden.add(f);
    }
  }
  for (const { f, fp } of all) {
    if (hidden.has(f)) continue;
    const m = remaining.get(fp);
    if (!m) continue;
    for (const [msg, n] of m) {
      if (n > 0) {
        m.set(msg, n - 1);
        hidden.add(f);
        break;
      }
    }
  }
  return { results: results.map((r) => ({ ...r, findings: r.findings.filter((f) => !hidden.has(f)) })), hidden: hidden.size };
}
