/**
 * The "Examples" of every rule docs page are linted with their rule (docs/writing-rule-docs.md):
 * each reported example must draw at least one finding of the rule, on every line it marks with
 * `# <-`, and each passing one none. Fragments are made whole files by the fence's `wrap=`;
 * `context` fences are other files of the run. Only rule ids and lines are compared, never messages.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../src/rules/index.js';
import { lint, type LintInput } from '../src/engine/lint.js';
import { defaultConfig, type ResolvedConfig } from '../src/engine/config.js';
import type { Rule } from '../src/engine/rule.js';
import { ROOT } from './helpers/fixtures.js';

/**
 * Pages that cannot show a fenced example of one kind, and why. Every other page shows at least
 * one reported and one passing example.
 */
const WITHOUT_EXAMPLE: Record<string, { reported?: string; passes?: string }> = {};

type Kind = 'reported' | 'passes';

interface Fence {
  /** 1-based line of the opening fence in the page. */
  line: number;
  lang: 'yaml' | 'json';
  wrap?: string;
  context: boolean;
  code: string;
  /** The prose between the previous fence of the section (or its heading) and this one. */
  prose: string;
}

interface Example {
  line: number;
  kind: Kind;
  lang: 'yaml' | 'json';
  wrap?: string;
  code: string;
}

interface PageExamples {
  examples: Example[];
  /** `context` fences: other files of the run of every example of the page. */
  context: Array<{ line: number; lang: 'yaml' | 'json'; wrap?: string; code: string }>;
}

/** The fences of a page's `## Examples` section (up to the next `## ` heading). */
function fencesOf(page: string): Fence[] {
  const lines = page.split('\n');
  const start = lines.findIndex((l) => l === '## Examples');
  if (start < 0) throw new Error('no "## Examples" section');
  const fences: Fence[] = [];
  let prose: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('## ')) break;
    const open = /^```(\S*)(.*)$/.exec(line);
    if (!open) {
      prose.push(line);
      continue;
    }
    const lang = open[1]!;
    if (lang !== 'yaml' && lang !== 'json') throw new Error(`line ${i + 1}: an example fence must say yaml or json, not "${lang || '(nothing)'}"`);
    let wrap: string | undefined;
    let context = false;
    for (const word of open[2]!.trim().split(/\s+/).filter(Boolean)) {
      if (word === 'context') context = true;
      else if (word.startsWith('wrap=') && wrap === undefined) wrap = checkWrap(word.slice(5), lang, i + 1);
      else throw new Error(`line ${i + 1}: unknown word "${word}" in the fence's info string (expected wrap=<wrapper> or context)`);
    }
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && lines[j] !== '```'; j++) body.push(lines[j]!);
    if (j >= lines.length) throw new Error(`line ${i + 1}: the fence is never closed`);
    fences.push({ line: i + 1, lang, ...(wrap ? { wrap } : {}), context, code: `${body.join('\n')}\n`, prose: prose.join('\n') });
    prose = [];
    i = j;
  }
  return fences;
}

const CFN_TYPE = /^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$/;
const YAML_WRAPS = ['resources', 'container', 'pod-spec', 'eksctl'];
const JSON_WRAPS = ['resources', 'container'];

function checkWrap(wrap: string, lang: 'yaml' | 'json', line: number): string {
  const known = lang === 'yaml' ? YAML_WRAPS : JSON_WRAPS;
  if (known.includes(wrap) || CFN_TYPE.test(wrap)) return wrap;
  throw new Error(`line ${line}: unknown wrapper "${wrap}" for ${lang} (expected ${known.join(', ')} or a resource type)`);
}

/**
 * Whether a fence is reported or passes: the last "Reported"/"reported" or "Passes"/"passes" in
 * the prose before it; with none (two fences in a row, or prose that only explains), the kind of
 * the example before it.
 */
function examplesOf(page: string): PageExamples {
  const out: PageExamples = { examples: [], context: [] };
  let previous: Kind | undefined;
  for (const f of fencesOf(page)) {
    const { line, lang, code } = f;
    const wrap = f.wrap ? { wrap: f.wrap } : {};
    if (f.context) {
      out.context.push({ line, lang, ...wrap, code });
      continue;
    }
    const words = [...f.prose.matchAll(/\b(reported|passes)\b/gi)];
    const last = words[words.length - 1]?.[1]?.toLowerCase() as Kind | undefined;
    const kind = last ?? previous;
    if (!kind) throw new Error(`line ${line}: the prose before the fence does not say "Reported" or "Passes" (mark files that are only context with \`context\`)`);
    out.examples.push({ line, kind, lang, ...wrap, code });
    previous = kind;
  }
  return out;
}

// --- wrappers ---------------------------------------------------------------------------------

function dedent(code: string): string {
  const lines = code.replace(/\n$/, '').split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}

function indent(code: string, by: number): string {
  const pad = ' '.repeat(by);
  return code
    .split('\n')
    .map((l) => (l.trim() === '' ? l : pad + l))
    .join('\n');
}

/** The logical id a `wrap=<type>` resource gets: the type's last part (`AWS::ECS::TaskDefinition` → `TaskDefinition`). */
function logicalId(type: string): string {
  return type.split('::').pop()!;
}

/**
 * The text of the file an example stands for (docs/writing-rule-docs.md lists the wrappers), and
 * the number of lines the wrapper puts before the example's first line.
 */
function wrapped(lang: 'yaml' | 'json', wrap: string | undefined, code: string): { text: string; offset: number } {
  if (!wrap) return { text: code, offset: 0 };
  const [head, body, tail] = lang === 'yaml' ? wrapYaml(wrap, dedent(code)) : wrapJson(wrap, code.trim());
  return { text: head + body + tail, offset: head.split('\n').length - 1 };
}

/** Lines (1-based, in the example) that a YAML example marks with a `# <-` comment: where a finding is. */
function markedLines(example: Example): number[] {
  if (example.lang !== 'yaml') return [];
  return example.code.split('\n').flatMap((l, i) => (/\s#\s*<-/.test(l) ? [i + 1] : []));
}

/** What goes before the example, the example (re-indented), and what goes after it. */
type Wrapping = [head: string, body: string, tail: string];

function wrapYaml(wrap: string, code: string): Wrapping {
  if (wrap === 'resources') return ['Resources:\n', indent(code, 2), '\n'];
  if (wrap === 'container') {
    const head = 'Resources:\n  TaskDefinition:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - ';
    return [head, indent(code, 10).slice(10), '\n'];
  }
  if (wrap === 'pod-spec') {
    const head =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: example\nspec:\n  selector:\n    matchLabels: { app: example }\n' +
      '  template:\n    metadata:\n      labels: { app: example }\n    spec:\n';
    return [head, indent(code, 6), '\n'];
  }
  if (wrap === 'eksctl') {
    const metadata = /^metadata:/m.test(code) ? '' : 'metadata:\n  name: example\n  region: eu-west-1\n';
    return [`apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\n${metadata}`, code, '\n'];
  }
  return [`Resources:\n  ${logicalId(wrap)}:\n    Type: ${wrap}\n    Properties:\n`, indent(code, 6), '\n'];
}

function wrapJson(wrap: string, code: string): Wrapping {
  // A fragment is either one object or the members of one (`"Key": value, ...`).
  const [open, close] = code.startsWith('{') ? ['', ''] : ['{\n', '\n}'];
  if (wrap === 'resources') return [`{ "Resources": ${open}`, code, `${close} }\n`];
  if (wrap === 'container') return [`{ "family": "example", "containerDefinitions": [${open}`, code, `${close}] }\n`];
  return [`{ "Resources": { "${logicalId(wrap)}": { "Type": "${wrap}", "Properties": ${open}`, code, `${close} } } }\n`];
}

// --- linting ----------------------------------------------------------------------------------

const DIR = join(tmpdir(), 'stowage-docs-examples');

interface Outcome {
  ids: string[];
  /** Lines (1-based, in the example) of the rule's findings. */
  lines: number[];
  /** What made the example unusable: a syntax error, an unrecognised file, a notice, an internal error. */
  problems: string[];
  text: string;
}

function lintExample(rule: Rule, example: Example, context: PageExamples['context']): Outcome {
  const base = join(DIR, ...rule.id.split('/'));
  const path = join(base, `example-${example.line}.${example.lang}`);
  const { text, offset } = wrapped(example.lang, example.wrap, example.code);
  const inputs: LintInput[] = [{ path, text, explicit: true }];
  for (const c of context) inputs.push({ path: join(base, `context-${c.line}.${c.lang}`), text: wrapped(c.lang, c.wrap, c.code).text, explicit: true });
  const config: ResolvedConfig = { ...defaultConfig(ROOT), preset: 'all', rules: { [rule.id]: rule.severity } };
  const out = lint(inputs, { rules: [rule], config, reportOnly: new Set([path]) });
  const problems = [...out.notices];
  for (const pf of out.model.files) {
    const which = pf.file.path === path ? 'the example' : `the context file ${pf.file.path.slice(base.length + 1)}`;
    for (const p of pf.problems) {
      const at = pf.file.position(p.start);
      problems.push(`${which}, ${at.line}:${at.column}: ${p.message}`);
    }
    if (!pf.recognized) problems.push(`${which} is not recognised as CloudFormation, a task definition, Kubernetes or eksctl`);
  }
  const findings = out.results.find((r) => r.path === path)?.findings ?? [];
  for (const f of findings) if (f.fatal) problems.push(`internal error: ${f.message}`);
  const own = findings.filter((f) => !f.fatal && f.ruleId === rule.id);
  return { ids: findings.filter((f) => !f.fatal).map((f) => f.ruleId), lines: own.map((f) => f.line - offset), problems, text };
}

// --- the tests --------------------------------------------------------------------------------

const pages = builtinRules.map((rule) => {
  const page = readFileSync(join(ROOT, rule.docs), 'utf8');
  let parsed: PageExamples | Error;
  try {
    parsed = examplesOf(page);
  } catch (e) {
    parsed = e instanceof Error ? e : new Error(String(e));
  }
  return { rule, parsed };
});

describe.each(pages.map((p) => [p.rule.id, p] as const))('%s', (id, { rule, parsed }) => {
  it('its Examples section can be read, with at least one reported and one passing example', () => {
    if (parsed instanceof Error) throw new Error(`${rule.docs}: ${parsed.message}`);
    const allowed = WITHOUT_EXAMPLE[id] ?? {};
    for (const kind of ['reported', 'passes'] as const) {
      const has = parsed.examples.some((e) => e.kind === kind);
      if (allowed[kind]) expect(has, `${rule.docs} has a ${kind} example now: take it off WITHOUT_EXAMPLE`).toBe(false);
      else expect(has, `${rule.docs} shows no ${kind} example in a fence`).toBe(true);
    }
  });

  const examples = parsed instanceof Error ? [] : parsed.examples;
  const context = parsed instanceof Error ? [] : parsed.context;
  it.each(examples.map((e) => [`${e.kind} example at line ${e.line}`, e] as const))('%s', (_title, example) => {
    const { ids, lines, problems, text } = lintExample(rule, example, context);
    const where = `${rule.docs}:${example.line} (${example.kind})`;
    expect(problems, `${where} cannot be linted as it is:\n${text}`).toEqual([]);
    const own = ids.filter((i) => i === id).length;
    const marked = markedLines(example);
    if (example.kind === 'reported') {
      expect(own, `${where} draws no ${id} finding; the file linted:\n${text}`).toBeGreaterThan(0);
      // A `# <- here` comment promises a finding on its line.
      const unmet = marked.filter((l) => !lines.includes(l));
      expect(unmet, `${where}: lines of the example marked "# <-" without a ${id} finding (findings on lines ${lines.join(', ')})`).toEqual([]);
    } else {
      expect(own, `${where} draws ${own} ${id} finding(s); the file linted:\n${text}`).toBe(0);
      expect(marked, `${where}: a passing example marks lines with "# <-"`).toEqual([]);
    }
  });
});

describe('the example reader', () => {
  const page = (examples: string) => `# x/y\n\n## Examples\n${examples}\n## How to fix\n\`\`\`yaml\nnot: an example\n\`\`\`\n`;

  it('tells reported from passing examples by the prose before each fence, and keeps the kind across adjacent fences', () => {
    const got = examplesOf(page('Reported (CloudFormation):\n```yaml\na: 1\n```\n```json\n{}\n```\n(then something). Passes:\n```yaml wrap=resources\nb: 2\n```\n'));
    expect(got.examples.map((e) => [e.line, e.kind, e.lang, e.wrap ?? '-'])).toEqual([
      [5, 'reported', 'yaml', '-'],
      [8, 'reported', 'json', '-'],
      [12, 'passes', 'yaml', 'resources'],
    ]);
    expect(got.examples[2]!.code).toBe('b: 2\n');
  });

  it('keeps context fences apart and refuses a fence with no kind, an unknown wrapper or an unknown word', () => {
    const got = examplesOf(page('With this profile in the run:\n```yaml wrap=eksctl context\nfargateProfiles: []\n```\nReported:\n```yaml\na: 1\n```\n'));
    expect(got.context.map((c) => [c.line, c.wrap])).toEqual([[5, 'eksctl']]);
    expect(got.examples.map((e) => e.kind)).toEqual(['reported']);
    expect(() => examplesOf(page('A file:\n```yaml\na: 1\n```\n'))).toThrow(/does not say "Reported" or "Passes"/);
    expect(() => examplesOf(page('Passes:\n```yaml wrap=task\na: 1\n```\n'))).toThrow(/unknown wrapper "task"/);
    expect(() => examplesOf(page('Passes:\n```yaml wrapp=resources\na: 1\n```\n'))).toThrow(/unknown word "wrapp=resources"/);
    expect(() => examplesOf(page('Passes:\n```sh\nls\n```\n'))).toThrow(/must say yaml or json/);
  });

  it('wraps fragments into whole files, and knows where the fragment starts in them', () => {
    expect(wrapped('yaml', 'resources', '  Queue:\n    Type: AWS::SQS::Queue\n').text).toBe('Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n');
    expect(wrapped('yaml', 'AWS::ECS::Cluster', 'ClusterName: apps\n').text).toBe('Resources:\n  Cluster:\n    Type: AWS::ECS::Cluster\n    Properties:\n      ClusterName: apps\n');
    expect(wrapped('yaml', 'container', 'Name: web\nImage: nginx:1.27\n').text).toBe(
      'Resources:\n  TaskDefinition:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: web\n          Image: nginx:1.27\n',
    );
    expect(wrapped('yaml', 'eksctl', 'addons: []\n').text).toBe('apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: example\n  region: eu-west-1\naddons: []\n');
    expect(wrapped('yaml', 'eksctl', 'metadata:\n  name: a\n').text).toBe('apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: a\n');
    expect(wrapped('yaml', 'pod-spec', 'containers: []\n').text).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\n[\s\S]*\n {4}spec:\n {6}containers: \[\]\n$/);
    expect(wrapped('json', 'container', '{ "name": "web" }\n').text).toBe('{ "family": "example", "containerDefinitions": [{ "name": "web" }] }\n');
    expect(wrapped('json', 'AWS::ECS::Service', '"LaunchType": "FARGATE"\n').text).toBe(
      '{ "Resources": { "Service": { "Type": "AWS::ECS::Service", "Properties": {\n"LaunchType": "FARGATE"\n} } } }\n',
    );
    expect(wrapped('json', 'resources', '"Q": { "Type": "AWS::SQS::Queue" }').text).toBe('{ "Resources": {\n"Q": { "Type": "AWS::SQS::Queue" }\n} }\n');
    expect(wrapped('yaml', undefined, 'a: 1\n').offset).toBe(0);
    expect(wrapped('yaml', 'resources', 'Q:\n  Type: AWS::SQS::Queue\n').offset).toBe(1);
    expect(wrapped('yaml', 'AWS::ECS::Cluster', 'ClusterName: apps\n').offset).toBe(4);
    expect(wrapped('yaml', 'container', 'Name: web\n').offset).toBe(5);
    expect(wrapped('yaml', 'pod-spec', 'containers: []\n').offset).toBe(11);
    expect(wrapped('yaml', 'eksctl', 'addons: []\n').offset).toBe(5);
    expect(wrapped('yaml', 'eksctl', 'metadata:\n  name: a\n').offset).toBe(2);
    expect(wrapped('json', 'container', '{ "name": "web" }').offset).toBe(0);
    expect(wrapped('json', 'AWS::ECS::Service', '"LaunchType": "FARGATE"').offset).toBe(1);
  });
});
