import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadJson } from '../../src/parsers/json.js';
import { loadFile } from '../../src/parsers/index.js';
import { MAX_DEPTH } from '../../src/parsers/yaml.js';
import { type MapNode, type ScalarNode } from '../../src/parsers/tree.js';
import { at, PARSER_FIXTURES, span, where } from './util.js';

const firstError = (text: string) => {
  const l = loadJson('/virtual/x.json', text);
  const d = l.documents[0]!;
  return d.errors.map((e) => `${where(l, e.start)}-${where(l, e.end)} ${e.message}`);
};

describe('JSON values and locations', () => {
  const path = join(PARSER_FIXTURES, 'cfn', 'long-form.json');
  const l = loadJson(path, readFileSync(path, 'utf8'));
  const r = l.documents[0]!.root;
  const props = (...p: Array<string | number>) => at(r, 'Resources', 'Task', 'Properties', ...p);

  it('locates keys and values; strings are quoted scalars', () => {
    const fam = props('Family', 'Fn::Sub') as ScalarNode;
    expect([fam.value, fam.quoted, span(fam)]).toEqual(['${Env}-orders', true, '9:32-9:47']);
    expect(span(props('Family')!.parentKey)).toBe('9:9-9:17');
    expect(span(props('Family'))).toBe('9:19-9:49');
  });

  it('keeps intrinsic functions as data, in their long form', () => {
    expect((props('TaskRoleArn') as MapNode).soleKey).toBe('Fn::GetAtt');
    expect(span(props('TaskRoleArn', 'Fn::GetAtt', 1))).toBe('10:53-10:58');
    expect((props('ExecutionRoleArn', 'Fn::GetAtt') as ScalarNode).value).toBe('TaskRole.Arn');
    expect(span(props('ContainerDefinitions', 0, 'Image', 'Fn::Join', 1, 0, 'Fn::ImportValue'))).toBe('13:79-13:96');
  });

  it('reads numbers, booleans and null', () => {
    const j = loadJson('/v.json', '{"cpu": 256, "essential": true, "x": null, "f": 1.5e2}').documents[0]!.root;
    expect(['cpu', 'essential', 'x', 'f'].map((k) => [(at(j, k) as ScalarNode).value, (at(j, k) as ScalarNode).quoted])).toEqual([
      [256, false],
      [true, false],
      [null, false],
      [150, false],
    ]);
  });

  it('leaves out a byte-order mark (stdin, editors), as editors do when they count columns', () => {
    for (const name of ['/v.json', '/v.yaml']) {
      const l = loadFile(name, '\ufeff{"family": "web"}');
      expect([l.documents[0]!.errors, span(at(l.documents[0]!.root, 'family'))]).toEqual([[], '1:12-1:17']);
    }
  });

  it('a .json file is read as JSON; other names by their first character', () => {
    expect(loadFile('/x.json', '{"a": 1}').file.syntax).toBe('json');
    expect(loadFile('/x.template', '\n  {"a": 1}').file.syntax).toBe('json');
    expect(loadFile('/x.template', 'a: 1').file.syntax).toBe('yaml');
    expect(loadFile('/x.yaml', '{"a": 1}').file.syntax).toBe('yaml');
  });
});

describe('JSON syntax errors', () => {
  it('are located at the character that is wrong, one per file (the rest would follow from the first)', () => {
    expect(firstError('{\n  "family": "web",\n  "cpu": "256"\n  "memory": "512"\n}')).toEqual(['4:3-4:11 comma expected']);
    expect(firstError('{\n  "family": $NAME,\n  "cpu": $CPU\n}')).toEqual(['2:13-2:18 unexpected "$NAME"']);
    expect(firstError('{\n  "containerDefinitions": [\n    {"name": "web"},\n  ],\n}')).toEqual(['3:20-3:21 trailing comma']);
    expect(firstError('{"a": {"b": 1}, }')).toEqual(['1:15-1:16 trailing comma']);
    expect(firstError('{"Label": {"default": """Required"""}}')).toEqual(['1:25-1:35 comma expected']);
    expect(firstError('{"a": "open\n}')).toEqual(['1:7-1:12 unterminated string']);
    expect(firstError('{"a": 1')).toEqual(['1:8-1:8 closing brace expected']);
    expect(firstError('// a comment\n{"a": 1}')).toEqual(['1:1-1:13 comments are not allowed in JSON']);
    expect(firstError('{"a": 1}}')).toEqual(['1:9-1:10 end of file expected']);
    expect(firstError('{"a" 1}')).toEqual(['1:6-1:7 colon expected']);
    expect(firstError('{"a": "\\q"}')).toEqual(['1:7-1:11 invalid escape character']);
  });

  it('a file with an error is not modelled', () => {
    expect(loadJson('/x.json', '{"a": [1,}').documents[0]!.root).toBeUndefined();
  });
});

describe('duplicate keys in JSON', () => {
  const text = '{\n  "family": "web",\n  "cpu": "256",\n  "family": "api"\n}';

  it('are a problem naming the key, at the later occurrence, and the last value wins', () => {
    const l = loadJson('/x.json', text);
    const d = l.documents[0]!;
    expect(d.errors).toEqual([]);
    expect(d.warnings.map((w) => `${where(l, w.start)}-${where(l, w.end)} ${w.message}`)).toEqual(['4:3-4:11 duplicate key "family"']);
    expect([(at(d.root, 'family') as ScalarNode).value, span(at(d.root, 'family'))]).toEqual(['api', '4:13-4:18']);
    expect((d.root as MapNode).entries.map((e) => span(e.key))).toEqual(['4:3-4:11', '3:3-3:8']);
  });
});

describe('JSON limits', () => {
  it(`refuses nesting deeper than ${MAX_DEPTH} levels at the bracket that goes too deep, quickly`, () => {
    const t0 = performance.now();
    expect(firstError('['.repeat(100_000) + ']'.repeat(100_000))).toEqual([`1:${MAX_DEPTH + 1}-1:${MAX_DEPTH + 2} nesting is too deep to read (over ${MAX_DEPTH} levels)`]);
    const deepObj = '{"Resources": ' + '{"a": '.repeat(1000) + '1' + '}'.repeat(1001);
    expect(firstError(deepObj)).toEqual([`1:${14 + 6 * (MAX_DEPTH - 1) + 1}-1:${14 + 6 * (MAX_DEPTH - 1) + 2} nesting is too deep to read (over ${MAX_DEPTH} levels)`]);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it('counts brackets inside strings as text', () => {
    const t = '{"a": "' + '['.repeat(5000) + '", "b": [[1]]}';
    expect(firstError(t)).toEqual([]);
  });

  it('reads nesting up to the limit', () => {
    const t = '['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH);
    expect(firstError(t)).toEqual([]);
  });
});
