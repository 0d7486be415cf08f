import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { defaultConfig } from '../../src/engine/config.js';
import { builtinRules } from '../../src/rules/index.js';
import { AliasedScalar, isMap, isSeq, type MapNode, type Node, type ScalarNode, type SourceFile } from '../../src/parsers/tree.js';
import { at, load, span } from './util.js';

/**
 * Every range the parsers produce lies inside its file and ends at or after its start, on every
 * path: syntax errors (also at the end of the input), merge keys, anchors and aliases, a
 * byte-order mark, CRLF, an empty file, a file without a final newline, duplicate keys, several
 * documents, JSON errors.
 */

/** `line:col-line:col` of a range of offsets. */
function rangeOf(file: SourceFile, start: number, end: number): string {
  const r = file.range(start, end);
  return `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`;
}

/** Problems of a loaded text as `range message` (errors and warnings of every document). */
function located(text: string, path = '/virtual/file.yaml'): string[] {
  const { docs, file } = load(text, path);
  return docs.flatMap((d) => [...d.errors, ...d.warnings].map((p) => `${rangeOf(file, p.start, p.end)} ${p.message}`));
}

/** Every node (keys too) inside the file, start <= end, and every key of a map inside the map. */
function checkTree(n: Node | undefined, file: SourceFile, out: string[], seen = new Set<Node>()): void {
  if (!n || seen.has(n)) return;
  seen.add(n);
  const len = file.text.length;
  if (!(n.start >= 0 && n.start <= n.end && n.end <= len)) out.push(`${n.kind} ${n.start}-${n.end} of ${len}`);
  if (isMap(n)) {
    for (let i = 0; i < n.size; i++) {
      const k = n.keyAt(i);
      if (!(k.start >= n.start && k.end <= n.end && k.start <= k.end)) out.push(`key ${String(k.value)} ${k.start}-${k.end} outside its map ${n.start}-${n.end}`);
      checkTree(k, file, out, seen);
      checkTree(n.valueAt(i), file, out, seen);
    }
  } else if (isSeq(n)) for (const item of n.items) checkTree(item, file, out, seen);
}

describe('merge keys and aliases', () => {
  const MERGE = 'base: &base\n  cpu: 256\n  memory: 512\n  limits: {cpu: 1}\nweb:\n  <<: *base\n  memory: 1024\nworker: *base\n';

  it('keys a merge key brings in, and their scalar values, are located at its alias in the merging map', () => {
    const { docs } = load(MERGE);
    const r = docs[0]!.root!;
    const web = at(r, 'web') as MapNode;
    expect(web.entries.map((p) => [p.key.value, span(p.key)])).toEqual([
      ['cpu', '6:7-6:12'],
      ['memory', '7:3-7:9'], // the explicit key overrides the merged one, in its place
      ['limits', '6:7-6:12'],
    ]);
    const cpu = at(r, 'web', 'cpu') as ScalarNode;
    expect([cpu.value, span(cpu), cpu.parent, cpu.parentKey]).toEqual([256, '6:7-6:12', web, web.keyAt(0)]);
    expect(cpu).toBeInstanceOf(AliasedScalar);
    expect(span((cpu as AliasedScalar).source)).toBe('2:8-2:11'); // where it is written
    expect(span(at(r, 'web', 'memory'))).toBe('7:11-7:15');
    expect(docs[0]!.warnings).toEqual([]);
  });

  it('a merged mapping value and an aliased mapping are the anchored node, located where they are written', () => {
    const r = load(MERGE).docs[0]!.root!;
    expect(at(r, 'web', 'limits')).toBe(at(r, 'base', 'limits'));
    expect(span(at(r, 'web', 'limits', 'cpu'))).toBe('4:17-4:18');
    expect(at(r, 'worker')).toBe(at(r, 'base'));
  });

  it('a merge at the start of a list item: the item starts at `<<` and its first key lies inside it', () => {
    const { docs } = load('x: &c\n  image: nginx\n  port: 80\nitems:\n  - <<: *c\n    name: web\n');
    const item = at(docs[0]!.root, 'items', 0) as MapNode;
    expect(span(item)).toBe('5:5-7:1');
    expect(item.entries.map((p) => `${String(p.key.value)} ${span(p.key)} ${span(p.value)}`)).toEqual(['image 5:9-5:11 5:9-5:11', 'port 5:9-5:11 5:9-5:11', 'name 6:5-6:9 6:11-6:14']);
  });

  it('several sources (`<<: [*a, *b]`): each key at its own alias, the first source winning', () => {
    const r = load('a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n').docs[0]!.root!;
    expect((at(r, 'c') as MapNode).entries.map((p) => `${String(p.key.value)}=${String((p.value as ScalarNode).value)} ${span(p.key)}`)).toEqual([
      'x=1 4:8-4:10',
      'y=1 4:8-4:10',
      'z=2 4:12-4:14',
    ]);
  });

  it('a merge of a map that itself merges: located at the outer alias; an inline source keeps its own places', () => {
    const r = load('a: &a {x: 1}\nb: &b\n  <<: *a\n  y: 2\nc:\n  <<: *b\nd:\n  <<: {v: 3}\n').docs[0]!.root!;
    expect((at(r, 'c') as MapNode).entries.map((p) => `${String(p.key.value)} ${span(p.key)} ${span(p.value)}`)).toEqual(['x 6:7-6:9 6:7-6:9', 'y 6:7-6:9 6:7-6:9']);
    const d = at(r, 'd') as MapNode;
    const v = at(r, 'd', 'v')!;
    expect([span(d.keyAt(0)), span(v), v.parent === d, v.parentKey === d.keyAt(0)]).toEqual(['8:8-8:9', '8:11-8:12', true, true]);
  });

  it('an aliased scalar is located at the alias and keeps how it was written (quoted or not)', () => {
    const r = load('img: &img "nginx:latest"\nflag: &f yes\nImage: *img\nEnabled: *f\n').docs[0]!.root!;
    const image = at(r, 'Image') as ScalarNode;
    const enabled = at(r, 'Enabled') as ScalarNode;
    expect([image.value, span(image), image.quoted, image.parentKey?.value]).toEqual(['nginx:latest', '3:8-3:12', true, 'Image']);
    expect([enabled.value, span(enabled), enabled.quoted]).toEqual(['yes', '4:10-4:12', false]);
  });

  it('findings through a merge key lie inside the merging map, start before they end, and carry its entity and key path', () => {
    const text = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  Task:',
      '    Type: AWS::ECS::TaskDefinition',
      '    Properties:',
      '      x-base: &base',
      '        Image: nginx:latest',
      '        Privileged: true',
      '      ContainerDefinitions:',
      '        - <<: *base',
      '          Name: web',
      '        - <<: *base',
      '          Name: worker',
      '',
    ].join('\n');
    const ids = new Set(['ecs/container-memory', 'ecs/image-tag', 'ecs/no-privileged']);
    const out = lint([{ path: '/virtual/merge.yaml', text }], { rules: builtinRules.filter((r) => ids.has(r.id)), config: defaultConfig('/virtual') });
    const rows = out.results[0]!.findings.map((f) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.ruleId} ${f.entity} ${f.path}`);
    expect(rows).toEqual([
      '10:11-10:20 ecs/container-memory Task /Properties/ContainerDefinitions/[name=web]',
      '10:15-10:20 ecs/image-tag Task /Properties/ContainerDefinitions/[name=web]/Image',
      '10:15-10:20 ecs/no-privileged Task /Properties/ContainerDefinitions/[name=web]/Privileged',
      '12:11-12:20 ecs/container-memory Task /Properties/ContainerDefinitions/[name=worker]',
      '12:15-12:20 ecs/image-tag Task /Properties/ContainerDefinitions/[name=worker]/Image',
      '12:15-12:20 ecs/no-privileged Task /Properties/ContainerDefinitions/[name=worker]/Privileged',
    ]);
  });
});

describe('syntax errors at the end of the input', () => {
  const FLOW_MAP = 'Flow map in block collection must be sufficiently indented and end with a }';
  const FLOW_SEQ = 'Flow sequence in block collection must be sufficiently indented and end with a ]';

  it('are an empty range at the end of the text, never past it', () => {
    expect(located('a: {b: 1\n')).toEqual([`2:1-2:1 ${FLOW_MAP}`]);
    expect(located('a: [1, 2')).toEqual([`1:9-1:9 ${FLOW_SEQ}`]); // no final newline
    expect(located('a: {b: 1\r\n')).toEqual([`2:1-2:1 ${FLOW_MAP}`]); // CRLF
    expect(located('\ufeffa: [1\n')).toEqual([`2:1-2:1 ${FLOW_SEQ}`]); // the mark is not part of the text
    expect(located('a: 1\n---\nb: [\n')).toEqual([`4:1-4:1 ${FLOW_SEQ}`]); // the second document
    expect(located('{')).toEqual(['1:2-1:2 Flow map must end with a }']);
  });

  it('in JSON too, and an empty JSON file is an empty range at its start', () => {
    expect(located('{"a": 1', '/virtual/file.json')).toEqual(['1:8-1:8 closing brace expected']);
    expect(located('{"a": 1\r\n', '/virtual/file.json')).toEqual(['2:1-2:1 closing brace expected']);
    expect(located('{"a": "x', '/virtual/file.json')).toEqual(['1:7-1:9 unterminated string']);
    expect(located('', '/virtual/file.json')).toEqual(['1:1-1:1 value expected']);
    expect(located('\ufeff', '/virtual/file.json')).toEqual(['1:1-1:1 value expected']);
  });

  it('a refused document of an empty-looking text stays inside it', () => {
    expect(located('')).toEqual([]);
    expect(located('[[[[[[', '/virtual/file.yaml').every((row) => /^1:[1-7]-1:[1-7] /.test(row))).toBe(true);
  });
});

describe('line ends and marks', () => {
  it('CRLF: duplicate keys and values are located on their own line', () => {
    const { docs, file } = load('a: 1\r\nb:\r\n  c: x\r\na: 2\r\n');
    expect(docs[0]!.warnings.map((w) => `${rangeOf(file, w.start, w.end)} ${w.message}`)).toEqual(['4:1-4:2 duplicate key "a"']);
    expect(span(at(docs[0]!.root, 'b', 'c'))).toBe('3:6-3:7');
  });

  it('a byte-order mark is not counted: columns are those an editor shows', () => {
    const { docs } = load('\ufeffa: x\r\nb: y\r\n');
    expect(span(at(docs[0]!.root, 'a'))).toBe('1:4-1:5');
    expect(span(at(docs[0]!.root, 'b'))).toBe('2:4-2:5');
  });
});

describe('every node and problem lies inside its file', () => {
  const TEXTS: Array<[string, string]> = [
    ['m.yaml', 'base: &b\n  x: 1\nuse:\n  <<: *b\n  y: 2\n'],
    ['m.yaml', 'l:\n  - <<: [*nope]\n'],
    ['m.yaml', 'a: &a [1, 2]\nb:\n  <<: *a\n  c: 1\n'],
    ['m.yaml', 'a: &a {x: &s str}\nb: {<<: *a, y: *s}\nc: [*a, *s, *a]\n'],
    ['m.yaml', '<<: {x: 1}\n<<: {y: 2}\n'],
    ['m.yaml', 'a: !Ref &r x\nb: *r\nc: &m !GetAtt A.B\nd: *m\n'],
    ['m.yaml', 'a: 1\r\n---\r\nb: &q\r\n  k: v\r\nc:\r\n  <<: *q\r\n'],
    ['m.yaml', '\ufeff---\na: 1\n...\n---\n'],
    ['m.yaml', 'a: "é😀"\nb: *x\n'],
    ['m.yaml', 'k: v'],
    ['m.json', '{"a": {"b": [1, 2, {"c": null}]}, "a": 2}'],
    ['m.json', '[1, 2,'],
  ];

  it.each(TEXTS)('%s %j', (path, text) => {
    const { docs, file } = load(text, `/virtual/${path}`);
    const bad: string[] = [];
    for (const d of docs) {
      checkTree(d.root, file, bad);
      for (const p of [...d.errors, ...d.warnings]) if (!(p.start >= 0 && p.start <= p.end && p.end <= file.text.length)) bad.push(`problem ${p.start}-${p.end}: ${p.message}`);
      if (!(d.start >= 0 && d.start <= d.end && d.end <= file.text.length)) bad.push(`document ${d.start}-${d.end}`);
    }
    expect(bad).toEqual([]);
  });
});
