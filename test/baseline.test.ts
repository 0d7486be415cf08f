import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../src/cli/index.js';
import { applyBaseline, createBaseline, fingerprint, readBaseline, serializeBaseline, BaselineError, type Baseline } from '../src/engine/baseline.js';
import { keyPath } from '../src/engine/keypath.js';
import { lint, type FileResult, type Finding } from '../src/engine/lint.js';
import { defaultConfig } from '../src/engine/config.js';
import { loadFile } from '../src/parsers/index.js';
import { isMap, isSeq, type Node } from '../src/parsers/tree.js';
import { builtinRules } from '../src/rules/index.js';
import { FIXTURES } from './helpers/fixtures.js';

async function run(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), cwd, isTTY: false, readStdin: () => '' };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

interface JsonResult {
  filePath: string;
  messages: Array<{ ruleId: string; line: number; column: number; entity?: string }>;
}

/** `file line:col rule entity` rows of a JSON report. */
function rows(stdout: string): string[] {
  return (JSON.parse(stdout || '[]') as JsonResult[]).flatMap((r) => r.messages.map((m) => `${r.filePath.split('/').pop()} ${m.line}:${m.column} ${m.ruleId} ${m.entity ?? ''}`)).sort();
}

/** A copy of the baseline fixture project in a temporary folder. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-baseline-'));
  cpSync(join(FIXTURES, 'ci', 'baseline'), dir, { recursive: true });
  return dir;
}

describe('keyPath', () => {
  const nodeAt = (root: Node, ...keys: Array<string | number>): Node => {
    let n = root;
    for (const k of keys) n = typeof k === 'number' ? (isSeq(n) ? n.items[k]! : n) : isMap(n) ? n.get(k)! : n;
    return n;
  };

  it('names the keys and list items from the entity down, with named items by name', () => {
    const text = 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: web\n          Image: nginx\n        - Image: sidecar\n      Tags: [{Key: a/b~c, Value: x}]\n';
    const loaded = loadFile('/t.yaml', text);
    const root = loaded.documents[0]!.root!;
    const image = nodeAt(root, 'Resources', 'Task', 'Properties', 'ContainerDefinitions', 0, 'Image');
    expect(keyPath(image)).toBe('/Resources/Task/Properties/ContainerDefinitions/[name=web]/Image');
    const keyStart = text.indexOf('Task:');
    expect(keyPath(image, { start: keyStart, keyed: true })).toBe('/Properties/ContainerDefinitions/[name=web]/Image');
    expect(keyPath(nodeAt(root, 'Resources', 'Task', 'Properties', 'ContainerDefinitions', 1, 'Image'), { start: keyStart, keyed: true })).toBe('/Properties/ContainerDefinitions/[1]/Image');
    expect(keyPath(nodeAt(root, 'Resources', 'Task', 'Properties', 'Tags', 0, 'Key'), { start: keyStart, keyed: true })).toBe('/Properties/Tags/[0]/Key');
    expect(keyPath(nodeAt(root, 'Resources', 'Task'), { start: keyStart, keyed: true })).toBe('');
  });

  it('stops at a Kubernetes object that starts the document (first key included)', () => {
    const text = 'apiVersion: v1\nkind: Service\nspec:\n  type: LoadBalancer\n';
    const root = loadFile('/s.yaml', text).documents[0]!.root!;
    expect(keyPath(nodeAt(root, 'apiVersion'), { start: 0, keyed: false })).toBe('/apiVersion');
    expect(keyPath(nodeAt(root, 'spec', 'type'), { start: 0, keyed: false })).toBe('/spec/type');
  });

  it('is stored on findings', () => {
    const out = lint([{ path: join(FIXTURES, 'ci', 'baseline', 'stack.yaml') }, { path: join(FIXTURES, 'ci', 'baseline', 'services.yaml') }], {
      rules: builtinRules.filter((r) => r.id === 'elb/no-classic-load-balancer'),
      config: defaultConfig(FIXTURES),
    });
    // Results are sorted by path (services.yaml before stack.yaml), whatever the order of the inputs.
    expect(out.results.flatMap((r) => r.findings.map((f) => `${f.entity} ${f.path}`))).toEqual(['Service/shop/web /spec/type', 'WebLoadBalancer /Type']);
  });
});

describe('baseline files', () => {
  it('--update-baseline writes a sorted, stable, versioned file and exits 0; --baseline then hides those findings', async () => {
    const dir = project();
    const up = await run(['.', '--baseline', 'stowage-baseline.json', '--update-baseline', '--rule', 'elb/no-classic-load-balancer=error'], dir);
    expect(up.code).toBe(0);
    expect(up.stdout).toBe('');
    expect(up.stderr).toMatch(/wrote \d+ findings? to the baseline .*stowage-baseline\.json/);
    const text = readFileSync(join(dir, 'stowage-baseline.json'), 'utf8');
    const b = JSON.parse(text) as Baseline;
    expect(b.version).toBe(1);
    const clb = b.findings.filter((e) => e.ruleId === 'elb/no-classic-load-balancer');
    expect(clb.map((e) => `${e.file} ${e.entity} ${e.path} ${e.count}`)).toEqual(['services.yaml Service/shop/web /spec/type 1', 'stack.yaml WebLoadBalancer /Type 1']);
    const keys = b.findings.map((e) => `${e.file}\0${e.ruleId}\0${e.entity ?? ''}\0${e.path ?? ''}`);
    expect(keys).toEqual([...keys].sort());
    // Stable: a second run writes the same bytes.
    await run(['.', '--baseline', 'stowage-baseline.json', '--update-baseline'], dir);
    expect(readFileSync(join(dir, 'stowage-baseline.json'), 'utf8')).toBe(text);

    const gated = await run(['.', '--baseline', 'stowage-baseline.json', '--rule', 'elb/no-classic-load-balancer=error', '--format', 'json'], dir);
    expect(rows(gated.stdout)).toEqual([]);
    expect(gated.code).toBe(0);
    expect(gated.stderr).toMatch(/\d+ findings? hidden by the baseline stowage-baseline\.json/);
  });

  it('keeps old findings hidden when unrelated edits shift lines, and reports a new one', async () => {
    const dir = project();
    expect((await run(['.', '--baseline', 'stowage-baseline.json', '--update-baseline'], dir)).code).toBe(0);
    // Shift everything: comments at the top, an unrelated resource and object before the old ones.
    const stack = readFileSync(join(dir, 'stack.yaml'), 'utf8').replace(
      'Resources:\n',
      'Resources:\n  # Notifications for the on-call rota.\n  Alerts:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: alerts\n',
    );
    writeFileSync(join(dir, 'stack.yaml'), `# Owned by the web team.\n# Reviewed 2026-11.\n${stack}`);
    writeFileSync(join(dir, 'services.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  A: b\n---\n${readFileSync(join(dir, 'services.yaml'), 'utf8')}`);
    const shifted = await run(['.', '--baseline', 'stowage-baseline.json', '--format', 'json', '--rule', 'elb/no-classic-load-balancer=error'], dir);
    expect(rows(shifted.stdout)).toEqual([]);
    expect(shifted.code).toBe(0);
    // The old findings did move: without the baseline they are on their new lines.
    const all = await run(['.', '--format', 'json', '--rule', 'elb/no-classic-load-balancer=error'], dir);
    expect(rows(all.stdout).filter((r) => r.includes('elb/no-classic-load-balancer'))).toEqual([
      'services.yaml 15:9 elb/no-classic-load-balancer Service/shop/web',
      'stack.yaml 12:11 elb/no-classic-load-balancer WebLoadBalancer',
    ]);

    // A new Classic Load Balancer is new: reported, and the gate fails.
    writeFileSync(
      join(dir, 'stack.yaml'),
      readFileSync(join(dir, 'stack.yaml'), 'utf8') +
        '  AdminLoadBalancer:\n    Type: AWS::ElasticLoadBalancing::LoadBalancer\n    Properties:\n      Listeners:\n        - LoadBalancerPort: \'443\'\n          InstancePort: \'9090\'\n          Protocol: TCP\n      Subnets: [subnet-1]\n',
    );
    const fresh = await run(['.', '--baseline', 'stowage-baseline.json', '--format', 'json', '--rule', 'elb/no-classic-load-balancer=error'], dir);
    const found = rows(fresh.stdout);
    expect(found.filter((r) => r.includes('elb/no-classic-load-balancer'))).toEqual(['stack.yaml 20:11 elb/no-classic-load-balancer AdminLoadBalancer']);
    // Whatever else fires is about the new resource only.
    for (const r of found) expect(r.endsWith(' AdminLoadBalancer')).toBe(true);
    expect(fresh.code).toBe(1);
  });

  it('matches from any working directory: file paths are relative to the baseline’s folder', async () => {
    const dir = project();
    mkdirSync(join(dir, 'ci'));
    expect((await run(['.', '--baseline', 'ci/baseline.json', '--update-baseline'], dir)).code).toBe(0);
    const b = readBaseline(join(dir, 'ci', 'baseline.json'));
    expect(b.findings.every((e) => e.file.startsWith('../'))).toBe(true);
    const fromCi = await run(['..', '--baseline', 'baseline.json', '--format', 'json'], join(dir, 'ci'));
    expect(rows(fromCi.stdout)).toEqual([]);
  });

  it('refuses a missing or malformed baseline with exit 2, and --update-baseline without --baseline', async () => {
    const dir = project();
    const missing = await run(['.', '--baseline', 'nope.json'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json: cannot read baseline (no such file; create it with --update-baseline)');
    writeFileSync(join(dir, 'bad.json'), '{"version": 7, "findings": []}');
    const bad = await run(['.', '--baseline', 'bad.json'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('baseline version 7 is not supported');
    expect(() => readBaseline(join(dir, 'stack.yaml'))).toThrow(BaselineError);
    const noFile = await run(['.', '--update-baseline'], dir);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('--update-baseline needs --baseline <file>');
  });
});

describe('matching', () => {
  const base = join(FIXTURES, 'ci', 'baseline');
  const results = (): FileResult[] =>
    lint([{ path: join(base, 'stack.yaml') }], { rules: builtinRules.filter((r) => r.id === 'elb/no-classic-load-balancer'), config: defaultConfig(base) }).results;
  const one = (): Finding => results()[0]!.findings[0]!;
  const of = (...findings: Finding[]): FileResult[] => [{ path: findings[0]!.file.path, findings }];
  const shown = (current: FileResult[], b: Baseline) => applyBaseline(current, b, base).results.flatMap((r) => r.findings.map((f) => f.message));

  it('counts duplicates: a second occurrence of a baselined finding is new', () => {
    const f = one();
    const b1 = createBaseline(of(f), base);
    expect(b1.findings).toHaveLength(1);
    expect(b1.findings[0]!.count).toBe(1);
    expect(shown(of(f, { ...f }), b1)).toEqual([f.message]);
    const b2 = createBaseline(of(f, { ...f }), base);
    expect(b2.findings.map((e) => e.count)).toEqual([2]);
    expect(shown(of(f, { ...f }), b2)).toEqual([]);
    expect(shown(of(f, { ...f }, { ...f }), b2)).toEqual([f.message]);
  });

  it('uses the message only to tell apart findings that share a fingerprint', () => {
    const f = one();
    const g = { ...f, message: 'Another finding at the same place.' };
    expect(fingerprint(f, base)).toBe(fingerprint(g, base));
    // Baseline holds f; g is new even if it comes first.
    expect(shown(of(g, f), createBaseline(of(f), base))).toEqual([g.message]);
    // A reworded message alone is still the same finding.
    expect(shown(of(g), createBaseline(of(f), base))).toEqual([]);
  });

  it('tells findings apart by rule, entity and key path, not by line', () => {
    const f = one();
    expect(fingerprint({ ...f, line: f.line + 40, endLine: f.endLine + 40, start: f.start + 900 }, base)).toBe(fingerprint(f, base));
    expect(fingerprint({ ...f, entity: 'OtherBalancer' }, base)).not.toBe(fingerprint(f, base));
    expect(fingerprint({ ...f, path: '/Properties/Listeners' }, base)).not.toBe(fingerprint(f, base));
    expect(fingerprint({ ...f, ruleId: 'ecs/other' }, base)).not.toBe(fingerprint(f, base));
  });

  it('a finding that gained an entity (task-definition JSON: its family) still matches a baseline entry written without one', () => {
    const f = one();
    const before = { ...f, entity: undefined };
    const b = createBaseline(of(before), base);
    expect(shown(of(f), b)).toEqual([]);
    // Only an entry without an entity is a fallback: another entity is another finding.
    expect(shown(of({ ...f, entity: 'Other' }), createBaseline(of(f), base))).toEqual([f.message]);
  });

  it('never hides internal errors', () => {
    const f = { ...one(), fatal: true };
    expect(createBaseline(of(f), base).findings).toEqual([]);
    const b: Baseline = { version: 1, findings: [{ fingerprint: fingerprint(f, base), ruleId: f.ruleId, file: 'stack.yaml', message: f.message, count: 1 }] };
    expect(shown(of(f), b)).toEqual([f.message]);
  });

  it('serialises with a fixed key order and a final newline', () => {
    const text = serializeBaseline(createBaseline(results(), base));
    expect(text.endsWith('}\n')).toBe(true);
    const entry = (JSON.parse(text) as Baseline).findings[0]!;
    expect(Object.keys(entry)).toEqual(['fingerprint', 'ruleId', 'file', 'entity', 'path', 'message', 'count']);
  });
});
