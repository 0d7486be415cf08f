import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadYaml, MAX_DEPTH, MAX_ERRORS } from '../../src/parsers/yaml.js';
import { parseFile } from '../../src/parsers/index.js';
import { isMap, isScalar, isSeq, type MapNode, type Node, type ScalarNode } from '../../src/parsers/tree.js';
import { at, load, PARSER_FIXTURES, problems, root, span, where } from './util.js';

const SHORT = join(PARSER_FIXTURES, 'cfn', 'short-tags.yaml');
const text = readFileSync(SHORT, 'utf8');
const tpl = loadYaml(SHORT, text).documents[0]!.root!;
const parsed = (t: string) => parseFile('/virtual/file.yaml', t);
const res = (id: string, ...path: Array<string | number>) => at(tpl, 'Resources', id, 'Properties', ...path);

/** A short-form tag node: its long form, the exact source it spans and its line:col range. */
function tag(n: Node | undefined): { fn: string | undefined; src: string; span: string; key: string; tag: string | undefined } {
  if (!isMap(n)) throw new Error(`not a mapping: ${span(n)}`);
  return { fn: n.soleKey, src: text.slice(n.start, n.end), span: span(n), key: span(n.entries[0]!.key), tag: n.shortTag };
}

/** The best of three timings of `f`, in ms (a baseline for scaling checks on a loaded machine). */
function best(f: () => unknown): number {
  let min = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    f();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

describe('CloudFormation short-form tags become their long form and keep their range', () => {
  it('!Ref and !Condition stay Ref / Condition', () => {
    expect(tag(at(tpl, 'Conditions', 'IsProd', 'Fn::Equals', 0))).toEqual({ fn: 'Ref', src: '!Ref Env', span: '8:20-8:28', key: '8:20-8:24', tag: '!Ref' });
    expect(tag(at(tpl, 'Conditions', 'IsEu', 'Fn::Or', 1))).toEqual({ fn: 'Condition', src: '!Condition IsProd', span: '9:55-9:72', key: '9:55-9:65', tag: '!Condition' });
    const ref = at(tpl, 'Conditions', 'IsProd', 'Fn::Equals', 0, 'Ref') as ScalarNode;
    expect([ref.value, span(ref)]).toEqual(['Env', '8:25-8:28']);
  });

  it('!Equals, !Or, !And, !Not', () => {
    expect(tag(at(tpl, 'Conditions', 'IsProd'))).toMatchObject({ fn: 'Fn::Equals', src: '!Equals [!Ref Env, prod]', span: '8:11-8:35' });
    expect(tag(at(tpl, 'Conditions', 'IsEu'))).toMatchObject({ fn: 'Fn::Or', span: '9:9-9:73' });
    expect(tag(at(tpl, 'Conditions', 'IsEu', 'Fn::Or', 0))).toMatchObject({ fn: 'Fn::Equals', src: '!Equals [!Ref "AWS::Region", eu-west-1]' });
    expect(tag(at(tpl, 'Conditions', 'ProdOutsideEu'))).toMatchObject({ fn: 'Fn::And', src: '!And [!Condition IsProd, !Not [!Condition IsEu]]', span: '10:18-10:66' });
    expect(tag(at(tpl, 'Conditions', 'ProdOutsideEu', 'Fn::And', 1))).toMatchObject({ fn: 'Fn::Not', src: '!Not [!Condition IsEu]', span: '10:43-10:65' });
  });

  it('!Sub in string form and in list form', () => {
    expect(tag(res('Task', 'Family'))).toEqual({ fn: 'Fn::Sub', src: '!Sub "${Env}-orders"', span: '27:15-27:35', key: '27:15-27:19', tag: '!Sub' });
    const inner = at(res('Task', 'Family'), 'Fn::Sub') as ScalarNode;
    expect([inner.value, inner.quoted, span(inner)]).toEqual(['${Env}-orders', true, '27:20-27:35']);
    const list = tag(res('Queue', 'QueueName'));
    // A block collection ends at the start of the line after it.
    expect(list).toMatchObject({ fn: 'Fn::Sub', span: '52:18-55:1' });
    expect(list.src).toBe('!Sub\n        - "${Name}-queue"\n        - Name: !Ref Env\n');
    expect(span(at(res('Queue', 'QueueName'), 'Fn::Sub', 1, 'Name'))).toBe('54:17-54:25');
  });

  it('!GetAtt in dotted form is [resource, attribute], each part with its own range', () => {
    const g = res('Task', 'TaskRoleArn');
    expect(tag(g)).toEqual({ fn: 'Fn::GetAtt', src: '!GetAtt TaskRole.Arn', span: '29:20-29:40', key: '29:20-29:27', tag: '!GetAtt' });
    const parts = at(g, 'Fn::GetAtt');
    expect(isSeq(parts) && parts.items.map((p) => [(p as ScalarNode).value, span(p)])).toEqual([
      ['TaskRole', '29:28-29:36'],
      ['Arn', '29:37-29:40'],
    ]);
    // Quoted: the parts are located inside the quotes.
    const q = at(res('Shared', 'Value'), 'Fn::GetAtt');
    expect(isSeq(q) && q.items.map((p) => [(p as ScalarNode).value, span(p)])).toEqual([
      ['Queue', '59:23-59:28'],
      ['QueueName', '59:29-59:38'],
    ]);
  });

  it('!GetAtt in list form', () => {
    expect(tag(res('Task', 'ExecutionRoleArn'))).toMatchObject({ fn: 'Fn::GetAtt', src: '!GetAtt [TaskRole, Arn]', span: '30:25-30:48' });
    expect(span(at(res('Task', 'ExecutionRoleArn'), 'Fn::GetAtt', 1))).toBe('30:44-30:47');
  });

  it('!FindInMap, !Join, !ImportValue', () => {
    expect(tag(res('Task', 'Cpu'))).toMatchObject({ fn: 'Fn::FindInMap', src: '!FindInMap [Sizes, !Ref Env, Cpu]', span: '28:12-28:45' });
    const image = res('Task', 'ContainerDefinitions', 0, 'Image');
    expect(tag(image)).toMatchObject({ fn: 'Fn::Join', src: '!Join [":", [!ImportValue orders-repo-uri, latest]]', span: '33:18-33:69' });
    expect(tag(at(image, 'Fn::Join', 1, 0))).toMatchObject({ fn: 'Fn::ImportValue', src: '!ImportValue orders-repo-uri', span: '33:31-33:59' });
  });

  it('!Select, !GetAZs, !Split, !Cidr', () => {
    const env = (i: number) => res('Task', 'ContainerDefinitions', 0, 'Environment', i, 'Value');
    expect(tag(env(0))).toMatchObject({ fn: 'Fn::Select', src: '!Select [0, !GetAZs ""]', span: '36:22-36:45' });
    expect(tag(at(env(0), 'Fn::Select', 1))).toMatchObject({ fn: 'Fn::GetAZs', src: '!GetAZs ""', span: '36:34-36:44' });
    expect(tag(at(env(1), 'Fn::Select', 1))).toMatchObject({ fn: 'Fn::Split', src: '!Split [",", "a,b"]', span: '38:34-38:53' });
    expect(tag(at(env(2), 'Fn::Select', 1))).toMatchObject({ fn: 'Fn::Cidr', src: '!Cidr [10.0.0.0/16, 4, 8]', span: '40:34-40:59' });
    expect((at(env(2), 'Fn::Select', 1, 'Fn::Cidr', 1) as ScalarNode).value).toBe(4);
  });

  it('!If with a list branch and !Ref AWS::NoValue', () => {
    const cmd = res('Task', 'ContainerDefinitions', 0, 'Command');
    expect(tag(cmd)).toMatchObject({ fn: 'Fn::If', src: '!If [IsProd, [serve, --prod], !Ref "AWS::NoValue"]', span: '41:20-41:70' });
    expect(tag(at(cmd, 'Fn::If', 2))).toMatchObject({ fn: 'Ref', src: '!Ref "AWS::NoValue"', span: '41:50-41:69' });
  });

  it('!Base64 on a block scalar spans to the end of the block', () => {
    const ud = res('Template', 'LaunchTemplateData', 'UserData');
    expect(tag(ud)).toMatchObject({ fn: 'Fn::Base64', span: '46:19-49:1' });
    expect((at(ud, 'Fn::Base64') as ScalarNode).value).toBe('#!/bin/bash\necho ECS_CLUSTER=orders >> /etc/ecs/ecs.config\n');
  });

  it('!Transform on a flow mapping', () => {
    const t = res('Shared', 'Tags');
    expect(tag(t)).toMatchObject({ fn: 'Fn::Transform', span: '60:13-60:108' });
    expect((at(t, 'Fn::Transform', 'Name') as ScalarNode).value).toBe('AWS::Include');
  });

  it('a tagged value keeps its key, so a finding about it can point at the key', () => {
    const n = res('Task', 'TaskRoleArn')!;
    expect(span(n.parentKey)).toBe('29:7-29:18');
    expect(span(n.anchor)).toBe('29:7-29:18');
  });

  it('!Length, !ToJsonString and !ForEach (AWS::LanguageExtensions) are understood too', () => {
    const r = root('A: !Length [a, b]\nB: !ToJsonString {k: v}\nC: !ForEach [X, [a], {}]\n');
    expect(['A', 'B', 'C'].map((k) => (at(r, k) as MapNode).soleKey)).toEqual(['Fn::Length', 'Fn::ToJsonString', 'Fn::ForEach']);
  });

  it('other tags are left as plain values', () => {
    const r = root('a: !Custom 12\nb: !!str 7\n');
    expect([(at(r, 'a') as ScalarNode).value, (at(r, 'b') as ScalarNode).value]).toEqual(['12', '7']);
  });
});

describe('YAML values and locations', () => {
  it('reads YAML 1.2 scalars: yes/no/on stay strings, dates stay strings, quotes are kept', () => {
    const r = root('a: yes\nb: true\nc: 2010-09-09\nd: "512"\ne: 512\nf: ~\ng: 0o17\nh: 1e3\n');
    const v = (k: string) => at(r, k) as ScalarNode;
    expect(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((k) => v(k).value)).toEqual(['yes', true, '2010-09-09', '512', 512, null, 15, 1000]);
    expect([v('d').quoted, v('e').quoted]).toEqual([true, false]);
  });

  it('an empty value is a null scalar placed right after its key and colon', () => {
    const r = root('Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n');
    const p = at(r, 'Resources', 'Bucket', 'Properties') as ScalarNode;
    expect([p.value, span(p)]).toEqual([null, '4:16-4:16']);
  });

  it('anchors, aliases and merge keys; an explicit key overrides a merged one without a warning', () => {
    const { docs } = load('base: &base\n  cpu: 256\n  memory: 512\nweb:\n  <<: *base\n  memory: 1024\nworker: *base\n');
    expect(docs[0]!.warnings).toEqual([]);
    const r = docs[0]!.root!;
    expect((at(r, 'web', 'memory') as ScalarNode).value).toBe(1024);
    expect((at(r, 'web', 'cpu') as ScalarNode).value).toBe(256);
    expect(span(at(r, 'web', 'cpu'))).toBe('5:7-5:12'); // merged: located at the merge's alias (see positions.test.ts)
    expect(at(r, 'worker')).toBe(at(r, 'base')); // an alias shares the node
  });

  it('counts columns in UTF-16 code units and handles CRLF line ends', () => {
    const r = root('a: "é😀"\r\nb: 1\r\n  \r\nc: x\r\n');
    expect(span(at(r, 'b'))).toBe('2:4-2:5');
    expect(span(at(r, 'c'))).toBe('4:4-4:5');
    expect(span(at(r, 'a'))).toBe('1:4-1:9');
  });

  it('a collection without a key is located from its first character', () => {
    const r = root('items:\n  - name: a\n    port: 80\n');
    expect(span(at(r, 'items', 0))).toBe('2:5-4:1');
  });
});

describe('multi-document YAML and Helm output', () => {
  const rendered = [
    '---',
    '# Source: orders/templates/service.yaml',
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: orders}',
    '---',
    '# Source: orders/templates/empty.yaml',
    '---',
    '# Source: orders/templates/deployment.yaml',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: orders}',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: plain}',
    '',
  ].join('\n');

  it('keeps each document with its own range, empty ones included', () => {
    const { docs, file } = load(rendered);
    expect(docs).toHaveLength(4);
    expect(docs.map((d) => (isScalar(d.root) && d.root.value === null ? 'empty' : span(d.root)))).toEqual(['3:1-6:1', 'empty', '10:1-13:1', '14:1-17:1']);
    expect(docs.map((d) => where({ file }, d.start))).toEqual(['1:1', '6:1', '8:1', '13:1']);
  });

  it("takes each document's own `# Source:` comment, never the previous document's", () => {
    const { docs } = load(rendered);
    expect(docs.map((d) => d.helmSource)).toEqual(['orders/templates/service.yaml', 'orders/templates/empty.yaml', 'orders/templates/deployment.yaml', undefined]);
  });

  it('reads a `# Source:` comment that comes before the first `---`', () => {
    const { docs } = load('# Source: orders/templates/sa.yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: orders}\n');
    expect(docs[0]!.helmSource).toBe('orders/templates/sa.yaml');
  });
});

describe('YAML syntax errors', () => {
  const firstError = (t: string) => {
    const { docs, file } = load(t);
    return docs.map((d) => (d.errors[0] ? `${where({ file }, d.errors[0].start)} ${d.errors[0].message}` : 'ok'));
  };

  it('are located at their line and column, one per document, and other documents still load', () => {
    const tooFar = 'a mapping cannot start here (is this line indented too far, or does a value contain ": "?)';
    expect(firstError('kind: Service\nmetadata:\n  name: web\n   labels: {}\n')).toEqual([`4:10 ${tooFar}`]);
    expect(firstError('a: [1, 2\nb: 3\n')).toEqual(['2:1 Flow sequence in block collection must be sufficiently indented and end with a ]']);
    expect(firstError('a: ok\n---\nb: @oops\n---\nc: ok\n')).toEqual(['ok', '3:4 Plain value cannot start with reserved character @', 'ok']);
    expect(firstError('a: ok\n---\nb: "open\n')).toEqual(['ok', '3:4 Missing closing "quote']);
    expect(firstError('a:\n\t- x\n')).toEqual(['2:1 Tabs are not allowed as indentation']);
    expect(firstError('command: echo a: b\n')).toEqual([`1:16 ${tooFar}`]);
    expect(firstError('- a\nb: c\n')).toEqual(['2:1 Unexpected scalar at node end']);
    expect(firstError('a: @x\n')).toEqual(['1:4 Plain value cannot start with reserved character @']);
  });

  it('a document with an error is not modelled', () => {
    const { docs } = load('a: [1\n');
    expect(docs[0]!.root).toBeUndefined();
  });

  it('a mapping or list used as a key is an error at the key (an unrendered `{{ name }}` reads as one)', () => {
    expect(firstError('metadata:\n  name: {{ name }}\n')).toEqual(['2:10 a mapping key must be a string, not a mapping']);
    expect(firstError('? [a, b]\n: c\n')).toEqual(['1:3 a mapping key must be a string, not a list']);
  });
});

describe('duplicate keys', () => {
  const t = 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Cpu: 256\n      Memory: 512\n      Cpu: "1024"\n';

  it('are a problem naming the key, at the later occurrence', () => {
    const { docs, file } = load(t);
    expect(docs[0]!.errors).toEqual([]);
    expect(docs[0]!.warnings.map((w) => `${where({ file }, w.start)}-${where({ file }, w.end)} ${w.message}`)).toEqual(['7:7-7:10 duplicate key "Cpu"']);
  });

  it('leave the document usable, the last value winning', () => {
    const r = load(t).docs[0]!.root!;
    const cpu = at(r, 'Resources', 'Task', 'Properties', 'Cpu') as ScalarNode;
    expect([cpu.value, span(cpu)]).toEqual(['1024', '7:12-7:18']);
    // The later key takes the earlier one's place.
    expect((at(r, 'Resources', 'Task', 'Properties') as MapNode).entries.map((e) => span(e.key))).toEqual(['7:7-7:10', '6:7-6:13']);
  });
});

describe('multi-line quoted scalars indented less than YAML 1.2 asks (accepted by CloudFormation and cfn-lint)', () => {
  const t = [
    'Parameters:',
    '  ConfigSetName:',
    '    Type: String',
    '    Description: "Name used to map advanced parameters, ',
    '    the name must match the main stack."',
    '  BootstrapArguments:',
    "    Default: '--kubelet-extra-args --node-labels=lifecycle=Ec2Spot",
    "'",
    '    Type: String',
    '  Command:',
    '    Default: "exec server --id=1 \\',
    '  --override listeners=PLAINTEXT://:9093"',
    '',
  ].join('\n');

  it('are read with their values, and every node stays at its place in the file', () => {
    const { docs } = load(t);
    expect(docs[0]!.errors).toEqual([]);
    const r = docs[0]!.root!;
    const d = at(r, 'Parameters', 'ConfigSetName', 'Description') as ScalarNode;
    expect(d.value).toBe('Name used to map advanced parameters, the name must match the main stack.');
    expect(span(d)).toBe('4:18-5:41');
    expect((at(r, 'Parameters', 'BootstrapArguments', 'Default') as ScalarNode).value).toBe('--kubelet-extra-args --node-labels=lifecycle=Ec2Spot ');
    expect(span(at(r, 'Parameters', 'BootstrapArguments', 'Type'))).toBe('9:11-9:17');
    expect(span((at(r, 'Parameters', 'BootstrapArguments') as MapNode).entries[1]!.key)).toBe('9:5-9:9');
    expect((at(r, 'Parameters', 'Command', 'Default') as ScalarNode).value).toBe('exec server --id=1 --override listeners=PLAINTEXT://:9093');
    expect(span(at(r, 'Parameters', 'Command', 'Default'))).toBe('11:14-12:42');
  });

  it('a quote that is never closed is still an error, at the opening quote', () => {
    const { docs, file } = load('a:\n  b: "one\n  c: two\n');
    expect(where({ file }, docs[0]!.errors[0]!.start)).toBe('2:6');
    expect(docs[0]!.errors[0]!.message).toBe('Missing closing "quote');
  });
});

describe('limits', () => {
  it(`refuses nesting deeper than ${MAX_DEPTH} levels at the place it goes too deep, quickly`, () => {
    for (const [t, pos] of [
      // The 401st bracket, mapping, `- ` entry or indentation level.
      ['['.repeat(100_000) + ']'.repeat(100_000), `1:${MAX_DEPTH + 1}`],
      ['a: ' + '{b: '.repeat(2_000) + '1' + '}'.repeat(2_000), `1:${4 + 4 * MAX_DEPTH}`],
      ['- '.repeat(50_000) + 'x\n', `1:${2 * MAX_DEPTH + 1}`],
      [Array.from({ length: 600 }, (_, i) => ' '.repeat(i) + 'k:').join('\n') + ' v\n', `${MAX_DEPTH + 2}:${MAX_DEPTH + 2}`],
    ] as const) {
      const t0 = performance.now();
      const { docs, file } = load(t);
      expect(performance.now() - t0).toBeLessThan(2_000);
      expect(docs).toHaveLength(1);
      expect(docs[0]!.errors.map((e) => `${where({ file }, e.start)} ${e.message}`)).toEqual([`${pos} nesting is too deep to read (over ${MAX_DEPTH} levels)`]);
    }
  });

  it('reads nesting just under the limit, and block scalars or quoted text full of brackets', () => {
    const deep = '['.repeat(MAX_DEPTH - 2) + ']'.repeat(MAX_DEPTH - 2);
    expect(load(`a: ${deep}\n`).docs[0]!.errors).toEqual([]);
    const script = 'script: |\n' + '  echo "[[[["\n'.repeat(500) + 'quoted: "' + '{'.repeat(1000) + '"\n';
    expect(load(script).docs[0]!.errors).toEqual([]);
  });

  it('refuses an alias bomb (billion laughs) at the alias that goes over the limit, quickly', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const p = String.fromCharCode(96 + i);
      const c = String.fromCharCode(97 + i);
      lines.push(`${c}: &${c} [${Array(9).fill(`*${p}`).join(',')}]`);
    }
    const t0 = performance.now();
    const { docs, file } = load(lines.join('\n') + '\n');
    expect(performance.now() - t0).toBeLessThan(2_000);
    const e = docs[0]!.errors[0]!;
    expect(e.message).toBe('aliases expand to more than 2,000,000 nodes; refusing to read (alias bomb?)');
    expect(where({ file }, e.start)).toMatch(/^[0-9]+:[0-9]+$/);
    expect(file.text.slice(e.start, e.start + 1)).toBe('*');
    expect(docs[0]!.root).toBeUndefined();
  });

  it('reads a mapping of 50,000 keys in linear time (the yaml package checks unique keys quadratically)', () => {
    const keys = (n: number) => Array.from({ length: n }, (_, i) => `key${i}: value${i}`).join('\n') + '\n';
    // Ten times the keys may cost about ten times the time (quadratic would be a hundred), whatever the machine's load.
    const small = best(() => load(keys(5_000)));
    const t0 = performance.now();
    const { docs } = load(keys(50_000));
    expect(performance.now() - t0).toBeLessThan(Math.max(40 * small, 500));
    expect((docs[0]!.root as MapNode).size).toBe(50_000);
  });

  it('reports 150,000 duplicate keys without running out of stack', () => {
    const t = 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n' + 'R: 1\n'.repeat(150_000);
    const small = best(() => parsed('AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n' + 'R: 1\n'.repeat(15_000)));
    const t0 = performance.now();
    const pf = parsed(t);
    expect(performance.now() - t0).toBeLessThan(Math.max(40 * small, 1_000));
    expect([pf.problems.length, pf.documents.length, problems(pf)[0]]).toEqual([149_999, 1, '4:1 duplicate key "R"']);
  });

  it(`stops at ${MAX_ERRORS} syntax errors and reports the first, quickly`, () => {
    // Stopping early: a tenfold longer file costs little more than the shorter one.
    const small = best(() => load(']]]]\n'.repeat(20_000)));
    const t0 = performance.now();
    const { docs, file } = load(']]]]\n'.repeat(200_000));
    expect(performance.now() - t0).toBeLessThan(Math.max(15 * small, 1_000));
    expect(docs.map((d) => d.errors.map((e) => `${where({ file }, e.start)} ${e.message}`))).toEqual([
      [`1:1 Unexpected flow-seq-end token in YAML document (and more than ${MAX_ERRORS} other syntax errors)`],
    ]);
    const t1 = performance.now();
    expect(parsed('{{ .Values.x }}\n'.repeat(200_000)).skipped).toMatch(/^an unrendered template/);
    expect(performance.now() - t1).toBeLessThan(3_000);
  });

  it('reads a document that reuses anchors a reasonable number of times', () => {
    const t = 'defaults: &d {cpu: 256, memory: 512}\n' + Array.from({ length: 2000 }, (_, i) => `svc${i}: *d`).join('\n') + '\n';
    const { docs } = load(t);
    expect(docs[0]!.errors).toEqual([]);
    expect(isMap(at(docs[0]!.root, 'svc1999'))).toBe(true);
    expect(isScalar(at(docs[0]!.root, 'svc1999', 'cpu'))).toBe(true);
  });
});
