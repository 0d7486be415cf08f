import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../src/cli/index.js';
import { discover } from '../src/engine/discover.js';
import { lint, type FileResult } from '../src/engine/lint.js';
import { defaultConfig } from '../src/engine/config.js';
import { parse } from '@typescript-eslint/typescript-estree';
import { entryOf } from '../src/cdk/app.js';
import { makeUniqueId } from '../src/cdk/assembly.js';
import { AppSource } from '../src/cdk/constructs.js';
import { clearCdkCaches } from '../src/cdk/map.js';
import { camel } from '../src/cdk/props.js';
import { TsFile } from '../src/cdk/source.js';
import { frameLocation } from '../src/cdk/trace.js';
import { fingerprint } from '../src/engine/baseline.js';
import { builtinRules } from '../src/rules/index.js';
import { CDK_RULE_IDS, FIXTURES, ROOT } from './helpers/fixtures.js';

const CDK = join(FIXTURES, 'cdk');
const ORDERS = join(CDK, 'orders');
const TRACED = join(CDK, 'traced');

const RULES = builtinRules.filter((r) => CDK_RULE_IDS.includes(r.id));

const tmp: string[] = [];
afterAll(() => {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

function lintDir(dir: string, mode: 'source' | 'template' | 'off', extra: { reportUnusedDisableDirectives?: boolean } = {}) {
  clearCdkCaches();
  const found = discover([dir], ROOT);
  return lint(
    found.files.map((f) => ({ path: f.path, explicit: false, ...(f.cdk ? { cdk: f.cdk } : {}) })),
    { rules: RULES, config: { ...defaultConfig(ROOT), preset: 'all' }, cdkLocations: mode, ...extra },
  );
}

/** `file line:col-endLine:endCol rule construct-path` for every finding, relative to `base`. */
function rows(results: FileResult[], base: string): string[] {
  return results.flatMap((r) => r.findings.map((f) => `${relative(base, r.path)} ${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.ruleId} ${f.cdkPath ?? '-'}`));
}

function copyApp(dir: string): string {
  const d = mkdtempSync(join(tmpdir(), 'stowage-cdk-'));
  tmp.push(d);
  cpSync(dir, d, { recursive: true });
  return d;
}

describe('CDK findings on the TypeScript (path walk, no creation traces)', () => {
  const out = lintDir(ORDERS, 'source');

  it('reports each finding at the construct, property or method call that made it', () => {
    expect(rows(out.results, ORDERS)).toEqual([
      // Every finding moved: the templates stay in the results, empty.
      // user construct in another file, through a stack made in the entry file and through a stage
      'lib/api-service.ts 14:21-14:36 ecs/container-insights Prod/ApiStack/Api/Cluster/Resource',
      'lib/api-service.ts 14:21-14:36 ecs/container-insights OrdersStack/Api/Cluster/Resource',
      // addContainer('api', …): the container has no `user`, so the call itself
      'lib/api-service.ts 16:5-16:22 ecs/non-root-user Prod/ApiStack/Api/Task/Resource',
      'lib/api-service.ts 16:5-16:22 ecs/non-root-user OrdersStack/Api/Task/Resource',
      // environment: { DB_PASSWORD: … } (an L2 map for CloudFormation's name/value list)
      'lib/api-service.ts 19:22-19:58 ecs/no-secrets-in-environment Prod/ApiStack/Api/Task/Resource',
      'lib/api-service.ts 19:22-19:58 ecs/no-secrets-in-environment OrdersStack/Api/Task/Resource',
      // FargateService: neither property has the same name in the L2 props, so the `new`
      'lib/api-service.ts 23:5-23:27 ecs/deployment-circuit-breaker Prod/ApiStack/Api/Service/Service',
      'lib/api-service.ts 23:5-23:27 ecs/deployment-circuit-breaker OrdersStack/Api/Service/Service',
      'lib/api-service.ts 23:5-23:27 ecs/no-public-ip Prod/ApiStack/Api/Service/Service',
      'lib/api-service.ts 23:5-23:27 ecs/no-public-ip OrdersStack/Api/Service/Service',
      // cluster.addCapacity('Batch', …): a construct added by a method of a library construct
      'lib/api-service.ts 30:5-30:24 ec2/imds-v2 Prod/ApiStack/Api/Cluster/Batch/LaunchConfig',
      'lib/api-service.ts 30:5-30:24 ec2/imds-v2 OrdersStack/Api/Cluster/Batch/LaunchConfig',
      'lib/api-service.ts 30:5-30:24 ecs/block-task-imds Prod/ApiStack/Api/Cluster/Batch/LaunchConfig',
      'lib/api-service.ts 30:5-30:24 ecs/block-task-imds OrdersStack/Api/Cluster/Batch/LaunchConfig',
      // L2 task definition: container added by addContainer('web', …), volume by addVolume
      'lib/orders-stack.ts 15:5-15:25 ecs/non-root-user OrdersStack/OrdersTask/Resource',
      'lib/orders-stack.ts 18:7-18:23 ecs/no-privileged OrdersStack/OrdersTask/Resource',
      'lib/orders-stack.ts 26:9-26:38 storage/efs-transit-encryption OrdersStack/OrdersTask/Resource',
      // L1: containerDefinitions[name: 'worker'] → name / image, exactly
      'lib/orders-stack.ts 35:11-35:25 ecs/non-root-user OrdersStack/BatchTask',
      'lib/orders-stack.ts 36:11-36:34 ecs/image-tag OrdersStack/BatchTask',
      // LegacyTask: no-privileged is suppressed by the comment above the construct
      'lib/orders-stack.ts 49:11-49:24 ecs/non-root-user OrdersStack/LegacyTask',
      // `Shard${shard}` in a loop: the only construct whose id can be Sharda / Shardb
      'lib/orders-stack.ts 66:34-66:47 ecs/container-logging OrdersStack/Sharda',
      'lib/orders-stack.ts 66:34-66:47 ecs/container-logging OrdersStack/Shardb',
      'lib/orders-stack.ts 66:34-66:47 ecs/non-root-user OrdersStack/Sharda',
      'lib/orders-stack.ts 66:34-66:47 ecs/non-root-user OrdersStack/Shardb',
      'lib/orders-stack.ts 66:104-66:120 ecs/no-privileged OrdersStack/Sharda',
      'lib/orders-stack.ts 66:104-66:120 ecs/no-privileged OrdersStack/Shardb',
      // ids from a variable inside Jobs: the nearest construct that resolves is `new Jobs(this, 'Jobs', …)`
      'lib/orders-stack.ts 71:5-71:13 ecs/container-logging OrdersStack/Jobs/cleanup',
      'lib/orders-stack.ts 71:5-71:13 ecs/container-logging OrdersStack/Jobs/nightly-report',
      'lib/orders-stack.ts 71:5-71:13 ecs/image-tag OrdersStack/Jobs/cleanup',
      'lib/orders-stack.ts 71:5-71:13 ecs/image-tag OrdersStack/Jobs/nightly-report',
      // image: fromRegistry(props.image) is set where the Prod stage instantiates ApiService
      'lib/prod-stage.ts 10:36-10:77 ecs/image-tag Prod/ApiStack/Api/Task/Resource',
    ]);
    expect(out.results.slice(0, 2).map((r) => [relative(ORDERS, r.path), r.findings.length])).toEqual([
      ['cdk.out/OrdersStack.template.json', 0],
      ['cdk.out/assembly-Prod/ProdApiStack96F1B437.template.json', 0],
    ]);
  });

  it('keeps the template position and the construct path', () => {
    const f = out.results.flatMap((r) => r.findings).find((x) => x.ruleId === 'storage/efs-transit-encryption')!;
    expect(f.file.path).toBe(join(ORDERS, 'lib/orders-stack.ts'));
    expect(f.templateLocation).toEqual({ filePath: join(ORDERS, 'cdk.out/OrdersStack.template.json'), line: 67, column: 29, endLine: 67, endColumn: 39 });
    expect(f.cdkPath).toBe('OrdersStack/OrdersTask/Resource');
    expect(f.entity).toBe('OrdersTaskC7829B99');
    expect(f.path).toBe('/Properties/Volumes/[name=data]/EFSVolumeConfiguration/TransitEncryption');
  });

  it('points at the same places as the template, where the template is the source of truth', () => {
    const off = lintDir(ORDERS, 'off');
    const byTemplate = off.results.flatMap((r) => r.findings.map((f) => `${relative(ORDERS, f.file.path)} ${f.line}:${f.column} ${f.ruleId} ${f.cdkPath}`));
    const mapped = out.results.flatMap((r) => r.findings.map((f) => `${relative(ORDERS, f.templateLocation!.filePath)} ${f.templateLocation!.line}:${f.templateLocation!.column} ${f.ruleId} ${f.cdkPath}`));
    // Mapping moves findings; it never adds or loses one (LegacyTask's suppressed finding aside).
    expect(mapped.sort()).toEqual(byTemplate.filter((r) => !r.includes('no-privileged OrdersStack/LegacyTask')).sort());
  });
});

describe('CDK findings on the TypeScript (construct tree only)', () => {
  it('derives construct paths from tree.json and CDK logical ids when templates carry no path metadata', () => {
    const dir = copyApp(ORDERS);
    for (const rel of ['cdk.out/OrdersStack.metadata.json', 'cdk.out/assembly-Prod/ProdApiStack96F1B437.metadata.json']) rmSync(join(dir, rel));
    for (const rel of ['cdk.out/OrdersStack.template.json', 'cdk.out/assembly-Prod/ProdApiStack96F1B437.template.json']) {
      const t = JSON.parse(readFileSync(join(dir, rel), 'utf8')) as { Resources: Record<string, { Metadata?: Record<string, unknown> }> };
      for (const r of Object.values(t.Resources)) delete r.Metadata;
      writeFileSync(join(dir, rel), JSON.stringify(t, null, 1));
    }
    const expected = rows(lintDir(ORDERS, 'source').results, ORDERS);
    expect(rows(lintDir(dir, 'source').results, dir)).toEqual(expected);
  });
});

describe('CDK findings on the TypeScript (creation traces)', () => {
  it('follows the trace into factories and loops, rebasing paths synthesized elsewhere', () => {
    // The assembly was synthesized under /build/traced/ (as in a CI container): the trace paths are rebased onto the app.
    expect(readFileSync(join(TRACED, 'cdk.out/WorkersStack.metadata.json'), 'utf8')).toContain('/build/traced/lib/workers-stack.ts');
    const out = lintDir(TRACED, 'source');
    expect(rows(out.results, TRACED)).toEqual([
      // queueWorker(this, 'Thumbnails', …) → the `new` inside the factory (its id is a parameter: no property mapping)
      'lib/workers-stack.ts 7:15-7:40 ecs/image-tag WorkersStack/Thumbnails/Resource',
      'lib/workers-stack.ts 7:15-7:40 ecs/non-root-user WorkersStack/Thumbnails/Resource',
      // `${queue}-task` in a loop: the trace names the line; the one container literal is the one with a computed name
      'lib/workers-stack.ts 24:34-24:45 ecs/container-logging WorkersStack/emails-task',
      'lib/workers-stack.ts 24:34-24:45 ecs/container-logging WorkersStack/invoices-task',
      'lib/workers-stack.ts 24:34-24:45 ecs/non-root-user WorkersStack/emails-task',
      'lib/workers-stack.ts 24:34-24:45 ecs/non-root-user WorkersStack/invoices-task',
      'lib/workers-stack.ts 24:106-24:122 ecs/no-privileged WorkersStack/emails-task',
      'lib/workers-stack.ts 24:106-24:122 ecs/no-privileged WorkersStack/invoices-task',
      // L1 clusterSettings[name: containerInsights].value
      'lib/workers-stack.ts 31:54-31:71 ecs/container-insights WorkersStack/Cluster',
    ]);
  });

  it('rejects a trace that no longer points at the construct (the source changed since synth), and walks the path instead', () => {
    const dir = copyApp(TRACED);
    const file = join(dir, 'lib/workers-stack.ts');
    writeFileSync(file, `// a line added after synth\n${readFileSync(file, 'utf8')}`);
    const out = lintDir(dir, 'source');
    const r = rows(out.results, dir);
    // The path walk finds the Cluster one line lower and the factory by its call. The loop's ids
    // (`${queue}-task`) could be this id, but the stack is also handed to a factory that may make
    // children of any id: no guess, the nearest construct that resolves (the stack).
    expect(r).toEqual([
      'bin/workers.ts 6:1-6:17 ecs/container-logging WorkersStack/emails-task',
      'bin/workers.ts 6:1-6:17 ecs/container-logging WorkersStack/invoices-task',
      'bin/workers.ts 6:1-6:17 ecs/no-privileged WorkersStack/emails-task',
      'bin/workers.ts 6:1-6:17 ecs/no-privileged WorkersStack/invoices-task',
      'bin/workers.ts 6:1-6:17 ecs/non-root-user WorkersStack/emails-task',
      'bin/workers.ts 6:1-6:17 ecs/non-root-user WorkersStack/invoices-task',
      'lib/workers-stack.ts 29:5-29:16 ecs/image-tag WorkersStack/Thumbnails/Resource',
      'lib/workers-stack.ts 29:5-29:16 ecs/non-root-user WorkersStack/Thumbnails/Resource',
      'lib/workers-stack.ts 32:54-32:71 ecs/container-insights WorkersStack/Cluster',
    ]);
  });
});

describe('creation traces and the path walk together', () => {
  it('a trace that names the same construct as the path walk keeps what the walk knows (values passed in through props)', () => {
    const dir = copyApp(ORDERS);
    const meta = join(dir, 'cdk.out/assembly-Prod/ProdApiStack96F1B437.metadata.json');
    const m = JSON.parse(readFileSync(meta, 'utf8')) as Record<string, Array<{ type: string; data: unknown }>>;
    m['/Prod/ApiStack/Api/Task/Resource']!.push({
      type: 'aws:cdk:creationStack',
      data: ['...new FargateTaskDefinition in aws-cdk-lib...', `new ApiService (/build/orders/lib/api-service.ts:15:18)`, `new ProdStage (/build/orders/lib/prod-stage.ts:10:5)`, '...node internals...'],
    });
    writeFileSync(meta, JSON.stringify(m, null, 2));
    // And a trace where the walk cannot go: an id from a variable in Jobs.
    const stackMeta = join(dir, 'cdk.out/OrdersStack.metadata.json');
    const sm = JSON.parse(readFileSync(stackMeta, 'utf8')) as Record<string, Array<{ type: string; data: unknown }>>;
    sm['/OrdersStack/Jobs/nightly-report']!.push({ type: 'aws:cdk:creationStack', data: ['new Jobs (/build/orders/lib/jobs.ts:9:7)', 'new OrdersStack (/build/orders/lib/orders-stack.ts:71:5)'] });
    writeFileSync(stackMeta, JSON.stringify(sm, null, 2));
    const all = rows(lintDir(dir, 'source').results, dir);
    expect(all.filter((x) => x.includes('OrdersStack/Jobs/'))).toEqual([
      'lib/jobs.ts 11:34-11:38 ecs/container-logging OrdersStack/Jobs/nightly-report',
      'lib/jobs.ts 11:40-11:85 ecs/image-tag OrdersStack/Jobs/nightly-report',
      // no trace for this one: the nearest construct
      'lib/orders-stack.ts 71:5-71:13 ecs/container-logging OrdersStack/Jobs/cleanup',
      'lib/orders-stack.ts 71:5-71:13 ecs/image-tag OrdersStack/Jobs/cleanup',
    ]);
    const r = all.filter((x) => x.includes('Prod/ApiStack/Api/Task/Resource'));
    expect(r).toEqual([
      'lib/api-service.ts 16:5-16:22 ecs/non-root-user Prod/ApiStack/Api/Task/Resource',
      'lib/api-service.ts 19:22-19:58 ecs/no-secrets-in-environment Prod/ApiStack/Api/Task/Resource',
      'lib/prod-stage.ts 10:36-10:77 ecs/image-tag Prod/ApiStack/Api/Task/Resource',
    ]);
  });
});

describe('where the source cannot be found', () => {
  it('stays on the template with the construct path in the message', () => {
    const dir = copyApp(ORDERS);
    rmSync(join(dir, 'cdk.json'));
    const out = lintDir(dir, 'source');
    const f = out.results.flatMap((r) => r.findings).find((x) => x.ruleId === 'storage/efs-transit-encryption')!;
    expect(relative(dir, f.file.path)).toBe('cdk.out/OrdersStack.template.json');
    expect([f.line, f.column]).toEqual([67, 29]);
    expect(f.message).toMatch(/ \(CDK construct OrdersStack\/OrdersTask\/Resource\)$/);
    expect(f.templateLocation).toBeUndefined();
  });

  it('ignores a cdk.json whose output is another folder, and an app whose entry file is missing', () => {
    const dir = copyApp(ORDERS);
    writeFileSync(join(dir, 'cdk.json'), JSON.stringify({ app: 'npx ts-node bin/orders.ts', output: 'build/cdk.out' }));
    expect(lintDir(dir, 'source').results.slice(2)).toEqual([]);
    writeFileSync(join(dir, 'cdk.json'), JSON.stringify({ app: 'npx ts-node bin/missing.ts' }));
    expect(lintDir(dir, 'source').results.slice(2)).toEqual([]);
  });

  it('falls back to the nearest construct that resolves when one was renamed in the source since synth', () => {
    const dir = copyApp(ORDERS);
    const file = join(dir, 'lib/orders-stack.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace("'BatchTask'", "'BatchJob'"));
    const r = rows(lintDir(dir, 'source').results, dir);
    // Nothing deeper resolves: the nearest construct that does is the stack, in the entry file.
    expect(r).toContain('bin/orders.ts 8:1-8:16 ecs/image-tag OrdersStack/BatchTask');
    expect(r.filter((x) => x.includes('BatchTask') && x.startsWith('lib/'))).toEqual([]);
  });
});

describe('--cdk-locations template', () => {
  it('keeps template positions and adds the TypeScript position', () => {
    const out = lintDir(ORDERS, 'template');
    // Sorted by path in code-point order ('O' before 'a').
    expect(out.results.map((r) => relative(ORDERS, r.path))).toEqual(['cdk.out/OrdersStack.template.json', 'cdk.out/assembly-Prod/ProdApiStack96F1B437.template.json']);
    const f = out.results[0]!.findings.find((x) => x.ruleId === 'storage/efs-transit-encryption')!;
    expect([f.line, f.column]).toEqual([67, 29]);
    expect(f.sourceLocation).toEqual({ filePath: join(ORDERS, 'lib/orders-stack.ts'), line: 26, column: 9, endLine: 26, endColumn: 38 });
    // Suppressions in the TypeScript still apply.
    expect(out.results[0]!.findings.filter((x) => x.cdkPath === 'OrdersStack/LegacyTask').map((x) => x.ruleId)).toEqual(['ecs/non-root-user']);
  });

  it('fingerprints a finding the same way in both modes (baselines do not depend on the flag)', () => {
    const a = lintDir(ORDERS, 'source').results.flatMap((r) => r.findings.map((f) => fingerprint(f, ORDERS)));
    const b = lintDir(ORDERS, 'template').results.flatMap((r) => r.findings.map((f) => fingerprint(f, ORDERS)));
    expect(a.length).toBe(31);
    expect([...a].sort()).toEqual([...b].sort());
  });
});

describe('suppressions in the TypeScript', () => {
  it('a comment before the property or the construct suppresses what is mapped there; unused ones are reported', () => {
    const dir = copyApp(ORDERS);
    const file = join(dir, 'lib/orders-stack.ts');
    const text = readFileSync(file, 'utf8')
      .replace('      privileged: true,\n', '      // stowage-disable-next-line ecs/no-privileged -- needs the GPU device\n      privileged: true,\n')
      .replace("          image: 'busybox:latest',", "          image: 'busybox:latest', // stowage-disable-line ecs/image-tag\n          // stowage-disable-next-line ecs/no-host-network -- nothing to suppress");
    writeFileSync(file, text);
    const out = lintDir(dir, 'source', { reportUnusedDisableDirectives: true });
    const r = rows(out.results, dir).filter((x) => x.startsWith('lib/orders-stack.ts') && / (1[5-9]|3[5-9]):/.test(x));
    expect(r).toEqual([
      'lib/orders-stack.ts 15:5-15:25 ecs/non-root-user OrdersStack/OrdersTask/Resource',
      'lib/orders-stack.ts 36:11-36:25 ecs/non-root-user OrdersStack/BatchTask',
      'lib/orders-stack.ts 38:11-38:82 unused-disable-directive -',
    ]);
  });
});

describe('a file-wide directive in the TypeScript', () => {
  it('/* stowage-disable <rule> */ suppresses that rule for everything mapped into the file', () => {
    const dir = copyApp(ORDERS);
    const file = join(dir, 'lib/orders-stack.ts');
    writeFileSync(file, `/* stowage-disable ecs/container-logging -- batch shards log to the host */\n${readFileSync(file, 'utf8')}`);
    const r = rows(lintDir(dir, 'source').results, dir);
    expect(r.filter((x) => x.includes('container-logging'))).toEqual([]);
    expect(r.filter((x) => x.includes('no-privileged OrdersStack/Sharda'))).toEqual(['lib/orders-stack.ts 67:104-67:120 ecs/no-privileged OrdersStack/Sharda']);
  });
});

describe('CLI', () => {
  async function run(args: string[], cwd: string) {
    let stdout = '';
    let stderr = '';
    const io: Io = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), cwd, isTTY: false, readStdin: () => '' };
    clearCdkCaches();
    const code = await main(args, io);
    return { code, stdout, stderr };
  }
  const only = CDK_RULE_IDS.length ? ['--rule', 'ecs/non-root-user=off'] : [];

  it('JSON groups findings under the .ts file with templateLocation and cdkPath', async () => {
    const r = await run(['cdk.out', '-f', 'json', ...only], ORDERS);
    const results = JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<Record<string, unknown>> }>;
    const ts = results.find((x) => x.filePath.endsWith('lib/orders-stack.ts'))!;
    const m = ts.messages.find((x) => x.ruleId === 'storage/efs-transit-encryption')!;
    expect(m).toMatchObject({
      line: 26,
      column: 9,
      endLine: 26,
      endColumn: 38,
      cdkPath: 'OrdersStack/OrdersTask/Resource',
      entity: 'OrdersTaskC7829B99',
      templateLocation: { filePath: join(ORDERS, 'cdk.out/OrdersStack.template.json'), line: 67, column: 29, endLine: 67, endColumn: 39 },
    });
    const tpl = await run(['cdk.out', '-f', 'json', '--cdk-locations', 'template', ...only], ORDERS);
    const t = (JSON.parse(tpl.stdout) as Array<{ filePath: string; messages: Array<Record<string, unknown>> }>).find((x) => x.filePath.endsWith('OrdersStack.template.json'))!;
    expect(t.messages.find((x) => x.ruleId === 'storage/efs-transit-encryption')).toMatchObject({ line: 67, column: 29, sourceLocation: { filePath: join(ORDERS, 'lib/orders-stack.ts'), line: 26, column: 9 } });
  });

  it('SARIF puts the template position in relatedLocations', async () => {
    const r = await run(['cdk.out', '-f', 'sarif'], ORDERS);
    const log = JSON.parse(r.stdout) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }>; relatedLocations?: Array<{ id: number; message: { text: string }; physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }> }> }> };
    const res = log.runs[0]!.results.find((x) => x.ruleId === 'storage/efs-transit-encryption')!;
    expect(res.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'lib/orders-stack.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 26, startColumn: 9, endLine: 26, endColumn: 38 } });
    expect(res.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: { artifactLocation: { uri: 'cdk.out/OrdersStack.template.json', uriBaseId: '%SRCROOT%' }, region: { startLine: 67, startColumn: 29, endLine: 67, endColumn: 39 } },
        message: { text: 'CloudFormation template (OrdersStack/OrdersTask/Resource)' },
      },
    ]);
  });

  it('bin/stowage.js (built, as a subprocess) loads the parser lazily from the bundle and maps', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'stowage.js'), 'lint', 'cdk.out', '--format', 'json'], { cwd: ORDERS, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const results = JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; line: number; column: number }> }>;
    const stage = results.find((x) => x.filePath === join(ORDERS, 'lib/prod-stage.ts'))!;
    expect(stage.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(['10:36 ecs/image-tag']);
  });

  it('rejects an unknown --cdk-locations value', async () => {
    const r = await run(['cdk.out', '--cdk-locations', 'nowhere'], ORDERS);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("argument 'nowhere' is invalid");
  });
});

describe('pieces', () => {
  it('finds the entry file of an app command', () => {
    expect(entryOf('npx ts-node --prefer-ts-exts bin/orders.ts', ORDERS)).toBe(join(ORDERS, 'bin/orders.ts'));
    expect(entryOf('npx tsx bin/orders.ts', ORDERS)).toBe(join(ORDERS, 'bin/orders.ts'));
    // compiled JavaScript named, TypeScript beside it
    expect(entryOf('node bin/workers.js', TRACED)).toBe(join(TRACED, 'bin/workers.ts'));
    expect(entryOf('python3 app.py', ORDERS)).toBeUndefined();
  });

  it('reads stack frames', () => {
    expect(frameLocation('new OrdersStack (/app/lib/orders-stack.ts:11:21)')).toEqual({ file: '/app/lib/orders-stack.ts', line: 11, column: 21 });
    expect(frameLocation('<anonymous> (file:///app/bin/app.ts:6:12)')).toEqual({ file: '/app/bin/app.ts', line: 6, column: 12 });
    expect(frameLocation('...new Ec2TaskDefinition2 in aws-cdk-lib...')).toBeUndefined();
    expect(frameLocation('(no user code in 10 frames, use --stack-trace-limit to capture more)')).toBeUndefined();
  });

  it('names CloudFormation properties as JSII does', () => {
    expect(['TaskRoleArn', 'EFSVolumeConfiguration', 'Privileged', 'ContainerDefinitions'].map(camel)).toEqual(['taskRoleArn', 'efsVolumeConfiguration', 'privileged', 'containerDefinitions']);
  });
});

describe('resolving in the source (in memory)', () => {
  const ENTRY = '/app/bin/app.ts';
  const text = [
    "import * as cdk from 'aws-cdk-lib';", // 1
    "import * as ecs from 'aws-cdk-lib/aws-ecs';", // 2
    "import { Construct } from 'constructs';", // 3
    'const app = new cdk.App();', // 4
    "const stack = new cdk.Stack(app, 'S');", // 5
    'declare const role: any;', // 6
    "new ecs.FargateTaskDefinition(stack, 'Task', {", // 7
    '  taskRole: role,', // 8
    '});', // 9
    "new ecs.CfnTaskDefinition(stack, 'L1', {", // 10
    "  executionRole: 'not an L1 name',", // 11
    "  volumes: [{ name: 'data', efsVolumeConfiguration: { transitEncryption: 'DISABLED' } }],", // 12
    '});', // 13
    "if (Math.random() > 0.5) new ecs.Cluster(stack, 'Twice');", // 14
    "else new ecs.Cluster(stack, 'Twice');", // 15
    'class Api extends Construct {', // 16
    '  constructor(scope: Construct, id: string) {', // 17
    '    super(scope, id);', // 18
    "    this.make('x');", // 19
    '  }', // 20
    '  private make(name: string) {', // 21
    "    new ecs.CfnService(this, 'Svc', { desiredCount: 0 });", // 22
    '  }', // 23
    '}', // 24
    "new Api(stack, 'Api');", // 25
    "const lb = new elbv2.ApplicationLoadBalancer(stack, 'LB', {});", // 26
    "const listener = lb.addListener('Public', { port: 80 });", // 27
    "listener.addTargets('ECS', { port: 8080 });", // 28
    'for (const n of [1]) new ecs.CfnService(stack, `Loop${n}`, {});', // 29
    "declare class Other { constructor(a: any, b: string, c: any) }; new Other(stack, 'Other', { parent: stack });", // 30
  ].join('\n');
  const file = new TsFile(ENTRY, parse(text, { loc: true, range: true, comment: true }), text);
  const src = new AppSource({ root: '/app', entry: ENTRY }, (p) => (p === ENTRY ? file : undefined));
  const at = (cdkPath: string, prop?: string) => {
    const h = src.resolve(cdkPath, prop, undefined);
    if (!h) return undefined;
    const n = h.property ?? h.node;
    return `${n.loc.start.line}:${n.loc.start.column + 1}${h.property ? ' property' : ''}${h.fallback ? ' fallback' : ''}`;
  };

  it('maps L2 props by the same name, or without an Arn suffix', () => {
    expect(at('S/Task/Resource', '/Properties/TaskRoleArn')).toBe('8:3 property');
    expect(at('S/Task/Resource', '/Properties/Cpu')).toBe('7:1');
  });

  it('maps L1 props by their exact camelCase name only, all the way down', () => {
    expect(at('S/L1', '/Properties/ExecutionRoleArn')).toBe('10:1');
    expect(at('S/L1', '/Properties/Volumes/[name=data]/EFSVolumeConfiguration/TransitEncryption')).toBe('12:55 property');
    // the L1 is the resource: a deeper path is some other construct, not this one's props
    expect(at('S/L1/Extra', '/Properties/Volumes')).toBe('10:1');
  });

  it('finds constructs made in a method of a user class', () => {
    expect(at('S/Api/Svc', '/Properties/DesiredCount')).toBe('22:39 property');
  });

  it('refuses to choose between two constructs with the same id, and leaves unknown paths alone', () => {
    // Twice has two candidates: the nearest construct that resolves is the stack (a library construct: no props mapping)
    expect(at('S/Twice/Resource', '/Properties/ClusterName')).toBe('5:15 fallback');
    // An L1 directly under the stack, ambiguous: never the stack's own props (its `description` is not the resource's)
    expect(at('S/Twice', '/Properties/Description')).toBe('5:15 fallback');
    expect(at('Other/Task/Resource')).toBeUndefined();
    expect(at('S/Api/Missing/Resource')).toBe('25:1 fallback');
  });

  it('follows constructs added by id through chains of add… calls', () => {
    expect(at('S/LB/Public/Resource', '/Properties/Port')).toBe('27:18');
    expect(at('S/LB/Public/ECS/Resource', '/Properties/HealthCheckPath')).toBe('28:1');
    expect(at('S/LB/Resource', '/Properties/Scheme')).toBe('26:12');
  });

  it('does not infer a loop construct from its id template when the parent is handed to code it cannot see', () => {
    // `stack` goes to Other in its props, which may add children of any id: the stack, not line 29.
    expect(at('S/Loop1', '/Properties/DesiredCount')).toBe('5:15 fallback');
  });

  it('computes CDK logical ids', () => {
    expect(makeUniqueId(['Ec2Cluster', 'Resource'])).toBe('Ec2ClusterEE43E89D');
    expect(makeUniqueId(['BatchTask'])).toBe('BatchTask');
    expect(makeUniqueId(['Api', 'Service', 'Service'])).toBe('ApiServiceD5B4A50A');
  });
});

describe('creation traces (checked against the source)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-cdk-trace-'));
  tmp.push(dir);
  const entry = join(dir, 'app.ts');
  const text = [
    "import * as cdk from 'aws-cdk-lib';", // 1
    "import * as ecs from 'aws-cdk-lib/aws-ecs';", // 2
    'const app = new cdk.App();', // 3
    "const stack = new cdk.Stack(app, 'S');", // 4
    "new ecs.FargateService(stack, 'Service', { desiredCount: 1 } as any);", // 5
    "new ecs.CfnCluster(stack, 'Cluster', { clusterName: 'x' });", // 6
  ].join('\n');
  writeFileSync(entry, text);
  const file = new TsFile(entry, parse(text, { loc: true, range: true, comment: true }), text);
  const src = new AppSource({ root: dir, entry }, (p) => (p === entry ? file : undefined));
  const at = (cdkPath: string, prop: string, frame: string) => {
    const h = src.resolve(cdkPath, prop, ['...new FargateService in aws-cdk-lib...', frame]);
    if (!h) return undefined;
    const n = h.property ?? h.node;
    return `${n.loc.start.line}:${n.loc.start.column + 1}${h.property ? ' property' : ''}${h.viaTrace ? ' trace' : ''}`;
  };

  it('places an L2 above its own resource, even when both have the same id (Service/Service)', () => {
    expect(at('S/Service/Service', '/Properties/DesiredCount', `<anonymous> (${entry}:5:1)`)).toBe('5:44 property trace');
  });

  it('places an L1 at the last segment, and rejects a frame whose construct does not fit the path', () => {
    expect(at('S/Cluster', '/Properties/ClusterName', `<anonymous> (${entry}:6:1)`)).toBe('6:40 property trace');
    // The frame names the cluster, the path a service: the trace is ignored and the path walk answers.
    expect(at('S/Service/Service', '/Properties/DesiredCount', `<anonymous> (${entry}:6:1)`)).toBe('5:44 property');
    // A frame that points at no `new` (the file changed): the same.
    expect(at('S/Cluster', '/Properties/ClusterName', `<anonymous> (${entry}:2:1)`)).toBe('6:40 property');
  });
});
