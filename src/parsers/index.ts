import { loadJson } from './json.js';
import { loadYaml } from './yaml.js';
import { endsWithMustache, hasMustache } from './text-scan.js';
import { isMap, isScalar, isSeq, type LoadedDocument, type LoadedFile, type MapNode, type Node, type SourceFile, type SyntaxProblem } from './tree.js';

export type Format = 'cloudformation' | 'ecs-task-definition' | 'kubernetes' | 'eksctl';

/** What a CDK cloud assembly says about one stack template. */
export interface CdkStack {
  stackName: string;
  /** The stack's construct path as the manifest names it (e.g. `Stage/OrdersStack`). */
  displayName?: string;
  account?: string;
  region?: string;
  /** Logical id → construct path, from the manifest's metadata. */
  paths: Map<string, string>;
}

/** One document of a file, recognised as one of stowage's formats. */
export interface ParsedDocument {
  format: Format;
  /** The object the format is about: a template, a task definition, a Kubernetes object, a ClusterConfig. */
  root: MapNode;
  /** Index of the document within its file. */
  index: number;
  helmSource?: string;
  cdk?: CdkStack;
  /** For describe-task-definition output: the wrapper key that held the definition. */
  wrapped?: boolean;
}

export interface ParsedFile {
  file: SourceFile;
  documents: ParsedDocument[];
  /** Syntax errors and warnings to report as `parse-error`. */
  problems: SyntaxProblem[];
  /** True when at least one document is one of our formats (or looks like one but is broken). */
  recognized: boolean;
  /** Set when the file was left alone on purpose (an unrendered template, binary data, ...). */
  skipped?: string;
}

export function loadFile(path: string, text: string): LoadedFile {
  // A byte-order mark (stdin, editors) is not part of the text: editors do not count it as a column.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return looksLikeJson(path, text) ? loadJson(path, text) : loadYaml(path, text);
}

function looksLikeJson(path: string, text: string): boolean {
  if (/\.json$/i.test(path)) return true;
  if (/\.ya?ml$/i.test(path)) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\ufeff') continue;
    return c === '{' || c === '[';
  }
  return false;
}

/** Parse a file's text and recognise its documents by content. */
export function parseFile(path: string, text: string, cdk?: CdkStack): ParsedFile {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const loaded = loadFile(path, text);
  const documents: ParsedDocument[] = [];
  const problems: SyntaxProblem[] = [];
  let broken = false;
  loaded.documents.forEach((doc, index) => {
    if (doc.errors.length) {
      broken = true;
      for (const e of doc.errors) problems.push(e);
      return;
    }
    for (const w of doc.warnings) problems.push(w);
    collect(doc, index, documents, cdk);
  });
  const result: ParsedFile = { file: loaded.file, documents, problems, recognized: documents.length > 0 };
  if (broken) {
    if (looksTemplated(text) || problems.some((p) => placeholderNear(text, p.start))) {
      result.skipped = 'an unrendered template ({{ }} placeholders); render it first (e.g. `helm template`)';
      result.problems = [];
      result.recognized = false;
    } else if (!result.recognized) {
      result.recognized = looksLikeOurs(text);
    }
  } else if (!result.recognized) {
    result.problems = [];
  }
  return result;
}

function collect(doc: LoadedDocument, index: number, out: ParsedDocument[], cdk: CdkStack | undefined): void {
  const root = doc.root;
  if (!isMap(root)) return;
  const format = detectFormat(root);
  if (!format) return;
  const base = { index, ...(doc.helmSource ? { helmSource: doc.helmSource } : {}) };
  if (format === 'kubernetes' && isScalar(root.get('kind')) && root.get('kind')!.kind === 'scalar' && (root.get('kind') as { value: unknown }).value === 'List') {
    const items = root.get('items');
    if (isSeq(items)) for (const item of items.items) if (isMap(item) && detectFormat(item) === 'kubernetes') out.push({ ...base, format, root: item });
    return;
  }
  if (format === 'ecs-task-definition') {
    const inner = root.getCI('taskDefinition');
    if (isMap(inner) && inner.getCI('containerDefinitions')) {
      out.push({ ...base, format, root: inner, wrapped: true });
      return;
    }
  }
  out.push({ ...base, format, root, ...(cdk ? { cdk } : {}) });
}

const RESOURCE_TYPE = /^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9:]+$|^Custom::/;

/** Recognise a document by content, never by file name. */
export function detectFormat(root: MapNode): Format | undefined {
  const apiVersion = root.get('apiVersion');
  const kind = root.get('kind');
  if (isScalar(apiVersion) && typeof apiVersion.value === 'string' && isScalar(kind) && typeof kind.value === 'string') {
    return apiVersion.value.startsWith('eksctl.io/') ? 'eksctl' : 'kubernetes';
  }
  if (root.get('AWSTemplateFormatVersion') !== undefined) return 'cloudformation';
  const resources = root.get('Resources');
  if (isMap(resources)) {
    for (const { value } of resources.entries) {
      if (!isMap(value)) continue;
      const t = value.get('Type');
      if (isScalar(t) && typeof t.value === 'string' && RESOURCE_TYPE.test(t.value)) return 'cloudformation';
    }
    // Resources may hold only `Fn::ForEach::*` loops (AWS::LanguageExtensions) or be empty.
    if (root.get('Transform') !== undefined || (resources.size === 0 && (root.get('Parameters') || root.get('Outputs')))) return 'cloudformation';
  } else if (isSeq(resources) && root.get('version') === undefined) {
    // `Resources` written as a list (a mistake cfn/template-structure reports). A CodeDeploy AppSpec
    // also lists `Resources`, but always has `version`: it is not a template.
    for (const item of resources.items) {
      const entry = isMap(item) && item.size === 1 && isMap(item.valueAt(0)) ? (item.valueAt(0) as MapNode) : item;
      const t = isMap(entry) ? entry.get('Type') : undefined;
      if (isScalar(t) && typeof t.value === 'string' && RESOURCE_TYPE.test(t.value)) return 'cloudformation';
    }
  }
  if (isSeq(root.getCI('containerDefinitions'))) return 'ecs-task-definition';
  const inner = root.getCI('taskDefinition');
  if (isMap(inner) && isSeq(inner.getCI('containerDefinitions'))) return 'ecs-task-definition';
  return undefined;
}

function looksTemplated(text: string): boolean {
  return /\{\{[-\s]*(?:[.$]|if\b|end\b|range\b|include\b|template\b|with\b|define\b|toYaml\b|- )/.test(text) || endsWithMustache(text.split('\n').find((l) => /^\s*\{\{/.test(l)) ?? '');
}

/** A `{{ }}` placeholder on the line of a syntax error, or the line before it (not a `{{resolve:...}}` reference). */
function placeholderNear(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  const prevStart = lineStart > 0 ? text.lastIndexOf('\n', lineStart - 2) + 1 : lineStart;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  return hasMustache(text.slice(prevStart, lineEnd));
}

/** For broken files: would this have been one of our formats? (Decides whether to report it in a walk.) */
function looksLikeOurs(text: string): boolean {
  return (
    /AWSTemplateFormatVersion|"?Resources"?\s*:/.test(text) ||
    /containerDefinitions/i.test(text) ||
    (/^[^\S\n\r\u2028\u2029]*"?apiVersion"?\s*:/m.test(text) && /^[^\S\n\r\u2028\u2029]*"?kind"?\s*:/m.test(text))
  );
}

export type { Node, MapNode };
