import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result, Run } from 'sarif';
import { fingerprint } from '../engine/baseline.js';
import type { FileResult, Finding } from '../engine/lint.js';
import type { Severity } from '../engine/rule.js';
import type { FormatContext } from './index.js';
import { docsUrl, relPath, REPOSITORY_URL, toolVersion } from './links.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** The key of stowage's own line-independent fingerprint in `partialFingerprints` (the baseline fingerprint). */
export const FINGERPRINT_KEY = 'stowageFingerprint/v1';
const SRCROOT = '%SRCROOT%';

/** Findings that no rule module defines. */
const SYNTHETIC: Array<{ id: string; description: string; severity: Severity; docs: string }> = [
  { id: 'parse-error', description: 'The file is not valid YAML or JSON, or cannot be read as one of the supported formats.', severity: 'error', docs: 'docs/formats.md' },
  { id: 'unused-disable-directive', description: 'A stowage-disable comment, ignore list or configured suppression that suppresses nothing.', severity: 'warning', docs: 'docs/suppressions.md' },
  { id: 'unknown-rule', description: 'A suppression names a rule id that no rule has.', severity: 'warning', docs: 'docs/suppressions.md' },
];

const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', info: 'note' };

/** SARIF 2.1.0: one run, every rule described, each result located relative to %SRCROOT% (the working directory). */
export function formatSarif(results: FileResult[], context: FormatContext): string {
  const rules: ReportingDescriptor[] = [];
  const index = new Map<string, number>();
  const describe = (id: string, description: string, severity: Severity, docs: string) => {
    if (index.has(id)) return;
    index.set(id, rules.length);
    rules.push({ id, shortDescription: { text: description }, helpUri: docsUrl(docs), defaultConfiguration: { level: LEVEL[severity] } });
  };
  for (const r of context.rules) describe(r.id, r.description, r.severity, r.docs);
  for (const s of SYNTHETIC) describe(s.id, s.description, s.severity, s.docs);

  const out: Result[] = [];
  let fatal = false;
  for (const r of results)
    for (const f of r.findings) {
      if (f.fatal) fatal = true;
      // A rule that is not in the list (cannot happen for built-in runs) is still described.
      if (!index.has(f.ruleId)) describe(f.ruleId, f.ruleId, f.severity, `docs/rules/${f.ruleId}.md`);
      out.push(toResult(f, index.get(f.ruleId)!, context.cwd));
    }

  const run: Run = {
    tool: { driver: { name: 'stowage', version: toolVersion(), semanticVersion: toolVersion(), informationUri: REPOSITORY_URL, rules } },
    originalUriBaseIds: { [SRCROOT]: { uri: dirUri(context.cwd) } },
    invocations: [{ executionSuccessful: !fatal }],
    columnKind: 'utf16CodeUnits',
    results: out,
  };
  const log: Log = { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
  return JSON.stringify(log, null, 2);
}

function toResult(f: Finding, ruleIndex: number, cwd: string): Result {
  const result: Result = {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: fileUri(cwd, f.file.path), uriBaseId: SRCROOT },
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
        },
      },
    ],
  };
  // A CDK finding: the other side of the mapping (the template, or the TypeScript with --cdk-locations template).
  const other = f.templateLocation ?? f.sourceLocation;
  if (other) {
    const what = f.templateLocation ? 'CloudFormation template' : 'CDK source';
    result.relatedLocations = [
      {
        id: 1,
        physicalLocation: {
          artifactLocation: { uri: fileUri(cwd, other.filePath), uriBaseId: SRCROOT },
          region: { startLine: other.line, startColumn: other.column, endLine: other.endLine, endColumn: other.endColumn },
        },
        message: { text: f.cdkPath ? `${what} (${f.cdkPath})` : what },
      },
    ];
  }
  if (!f.fatal) result.partialFingerprints = { [FINGERPRINT_KEY]: fingerprint(f, cwd) };
  const props: Record<string, string> = {};
  if (f.entity) props.entity = f.entity;
  if (f.messageId !== undefined) props.messageId = f.messageId;
  if (f.cdkPath) props.cdkPath = f.cdkPath;
  if (f.k8sObject) props.k8sObject = f.k8sObject;
  if (f.helmSource) props.helmSource = f.helmSource;
  if (Object.keys(props).length) result.properties = props;
  return result;
}

/** A relative URI reference for a file under the working directory (each segment percent-encoded). */
export function fileUri(cwd: string, path: string): string {
  return relPath(cwd, path)
    .split('/')
    .map((s) => (s === '..' || s === '.' ? s : encodeURIComponent(s)))
    .join('/');
}

function dirUri(dir: string): string {
  const u = pathToFileURL(dir).href;
  return u.endsWith('/') ? u : `${u}/`;
}
