/**
 * CDK findings on the TypeScript that created them.
 *
 * A finding on a resource of a cloud assembly (`cdk.out`) is mapped to the app's source when the
 * app can be found: the `cdk.json` beside or above the assembly names the entry file in its `app`
 * command. The creating expression is found, in order of preference,
 *
 * 1. from the creation stack trace the assembly records for the construct (`aws:cdk:creationStack`
 *    metadata, or a `trace` on its `aws:cdk:logicalId` entry, in the manifest or the stack's
 *    `additionalMetadataFile`), checked against the source: the frame must point at a `new`
 *    expression whose id agrees with the construct path;
 * 2. by following the construct path (`aws:cdk:path`) through the source, syntax only: the
 *    `new Stack(app, 'Id')` in the entry file, into the constructor of the user's class (imports
 *    followed across files), down to the outermost construct of a library (`aws-cdk-lib`,
 *    `constructs`, any package), which users cannot edit.
 *
 * Construct paths come from the template's `aws:cdk:path`, the manifest's logical-id metadata, or
 * the construct tree (`tree.json`) with the logical ids CDK derives from paths.
 *
 * Within that construct, a finding about a property (`Finding.path`, `/Properties/TaskRoleArn`)
 * points at the matching property of the props object literal (`taskRoleArn`, or `taskRole` for
 * an L2), container and volume findings at the `addContainer` / `addVolume` call that added them,
 * constructs added by id (`cluster.addCapacity('Batch', …)`) at that call, and a value passed in
 * through a user construct's props at the instantiation that passes it. Anything ambiguous (ids
 * from variables, loops, factories) stops at the nearest construct that resolves; nothing is ever
 * guessed (docs/cdk.md lists the cases).
 *
 * `@typescript-eslint/typescript-estree` (syntax only) is loaded on first use, so runs without a
 * CDK app never load it.
 *
 * The jobs, one module each: `assembly.ts` reads the cloud assembly (manifest, metadata, creation
 * traces, construct tree; shared with `src/parsers/cdk.ts`), `app.ts` finds the app's entry file
 * through `cdk.json`, `source.ts` parses and caches its files, `constructs.ts` follows construct
 * paths (and `trace.ts` creation traces) through them, `props.ts` maps property paths onto props,
 * and this module moves a run's findings (suppression comments: `engine/suppressions.ts`).
 */
import { renderMessage, spellingOf } from '../engine/rule.js';
import { basename, dirname } from 'node:path';
import { suppressedBy, unusedDirectiveMessage, UNUSED_DIRECTIVE, type Directive } from '../engine/suppressions.js';
import type { FileResult, Finding, FindingLocation } from '../engine/lint.js';
import { findApp } from './app.js';
import { assemblyMeta, assemblyRoot, clearAssemblyCache } from './assembly.js';
import { AppSource, type SourceHit } from './constructs.js';
import { clearSourceCache, sourceReader, type SourceOptions, type TsFile } from './source.js';

/** Where findings on CDK resources are reported: the TypeScript (`source`), the template with the source as related (`template`), or no mapping (`off`). */
export type CdkLocations = 'source' | 'template' | 'off';

export interface CdkMapOptions extends SourceOptions {
  mode: CdkLocations;
  reportUnusedDisableDirectives?: boolean;
}

export interface MapStats {
  /** Findings on CDK resources. */
  considered: number;
  mapped: number;
}

/**
 * Move findings on CDK resources to the TypeScript that created them (mode `source`), or attach
 * that position to them (mode `template`). Suppression comments in the TypeScript apply to the
 * findings mapped there. Results of templates keep their order; files of the app follow.
 */
export function mapCdkFindings(results: FileResult[], options: CdkMapOptions, notices: string[] = [], stats?: MapStats): FileResult[] {
  if (options.mode === 'off') return results;
  const read = sourceReader(options, notices);
  const apps = new Map<string, AppSource | null>();
  const moved = new Map<string, { file: TsFile; findings: Finding[] }>();
  const directives = new Map<TsFile, Directive[]>();
  const directivesOf = (file: TsFile) => {
    let d = directives.get(file);
    if (!d) directives.set(file, (d = file.directives()));
    return d;
  };
  const out: FileResult[] = [];
  for (const r of results) {
    const root = r.findings.some((f) => f.cdkPath || f.entity) ? assemblyRoot(r.path) : undefined;
    if (!root) {
      out.push(r);
      continue;
    }
    let app = apps.get(root);
    if (app === undefined) {
      const found = findApp(root);
      app = found ? new AppSource(found, read) : null;
      apps.set(root, app);
    }
    const meta = assemblyMeta(dirname(r.path), root);
    const ids = meta.paths.get(basename(r.path));
    const kept: Finding[] = [];
    for (const f of r.findings) {
      const cdkPath = f.cdkPath ?? (f.entity ? ids?.get(f.entity) : undefined);
      if (!cdkPath || f.fatal || f.ruleId === 'parse-error' || f.ruleId === UNUSED_DIRECTIVE) {
        kept.push(f);
        continue;
      }
      if (stats) stats.considered++;
      const hit = app ? app.resolve(cdkPath, f.path, meta.traces.get(cdkPath)) : undefined;
      if (!hit) {
        const g = { ...f, cdkPath };
        if (options.mode === 'source' && !f.message.includes(cdkPath)) g.message = `${f.message} (CDK construct ${cdkPath})`;
        kept.push(g);
        continue;
      }
      if (stats) stats.mapped++;
      const src = sourcePosition(hit);
      // A directive on the line before the property or before the construct's `new` suppresses it.
      const lines = [src.line, hit.file.source.position(hit.node.range[0]).line];
      const suppressed = lines.some((line) => suppressedBy(directivesOf(hit.file), f.ruleId, line));
      if (options.mode === 'template') {
        if (!suppressed) kept.push({ ...f, cdkPath, sourceLocation: { filePath: hit.file.path, line: src.line, column: src.column, endLine: src.endLine, endColumn: src.endColumn } });
        continue;
      }
      const entry = ensure(moved, hit.file);
      if (suppressed) continue;
      const templateLocation: FindingLocation = { filePath: f.file.path, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn };
      entry.findings.push({ ...f, ...inSourceSpelling(f), file: hit.file.source, start: src.start, end: src.end, line: src.line, column: src.column, endLine: src.endLine, endColumn: src.endColumn, cdkPath, templateLocation });
    }
    kept.sort((a, b) => a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
    out.push({ ...r, findings: kept });
  }
  for (const [path, m] of [...moved].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (options.reportUnusedDisableDirectives) {
      for (const d of directivesOf(m.file)) {
        const message = unusedDirectiveMessage(d);
        if (message === undefined) continue;
        const s = m.file.source.position(d.start);
        const e = m.file.source.position(d.end);
        m.findings.push({ ruleId: UNUSED_DIRECTIVE, severity: 'warning', message, file: m.file.source, start: d.start, end: d.end, line: s.line, column: s.column, endLine: e.line, endColumn: e.column });
      }
    }
    m.findings.sort((a, b) => a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
    out.push({ path, findings: m.findings });
  }
  return out;
}

function ensure(moved: Map<string, { file: TsFile; findings: Finding[] }>, file: TsFile): { file: TsFile; findings: Finding[] } {
  let m = moved.get(file.path);
  if (!m) moved.set(file.path, (m = { file, findings: [] }));
  return m;
}

/** The reported range: the property (its first line), or `new ecs.X` / `taskDef.addContainer` of the construct. */
function sourcePosition(hit: SourceHit): { start: number; end: number; line: number; column: number; endLine: number; endColumn: number } {
  const sf = hit.file.source;
  let start: number;
  let end: number;
  if (hit.property) {
    start = hit.property.range[0];
    end = hit.property.range[1];
    const nl = sf.text.indexOf('\n', start);
    if (nl >= 0 && nl < end) end = hit.property.key.range[1];
  } else {
    start = hit.node.range[0];
    end = hit.node.callee.range[1];
  }
  const s = sf.position(start);
  const e = sf.position(end);
  return { start, end, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
}

/** Forget cached apps, metadata and parsed files (after `cdk synth` rewrote the assembly, or in tests). */
export function clearCdkCaches(): void {
  clearAssemblyCache();
  clearSourceCache();
}

/** On the app's TypeScript, keys are named as construct props are: `readonlyRootFilesystem`. */
function inSourceSpelling(f: Finding): { message?: string; data?: Record<string, string> } {
  if (!f.render) return {};
  const spelling = spellingOf('cdk-source');
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(f.render.data)) data[k] = renderMessage('{{v}}', { v }, spelling);
  return { message: renderMessage(f.render.template, f.render.data, spelling), data };
}
