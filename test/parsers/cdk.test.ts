import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/engine/discover.js';
import { lint } from '../../src/engine/lint.js';
import { defaultConfig } from '../../src/engine/config.js';
import { isCloudAssembly, readCloudAssembly } from '../../src/parsers/cdk.js';
import { cli, everyEntity, PARSER_FIXTURES } from './util.js';

const APP = join(PARSER_FIXTURES, 'cdk', 'app');
const OUT = join(APP, 'cdk.out');
const rel = (p: string) => relative(OUT, p);

describe('CDK cloud assemblies', () => {
  it('a cdk.out folder is recognised by its manifest', () => {
    expect(isCloudAssembly(OUT)).toBe(true);
    expect(isCloudAssembly(APP)).toBe(false);
    expect(isCloudAssembly(join(OUT, 'assembly-Prod'))).toBe(true);
  });

  it('yields the stack templates, those of nested assemblies (stages) and nested-stack templates, with what the manifest says', () => {
    const t = readCloudAssembly(OUT);
    expect(t.map((x) => [rel(x.path), x.stack?.stackName, x.stack?.displayName, x.stack?.account, x.stack?.region])).toEqual([
      ['OrdersStack.template.json', 'OrdersStack', 'OrdersStack', '123456789012', 'eu-west-1'],
      ['assembly-Prod/ProdApiStack8A3B1C2D.template.json', 'ProdApiStack8A3B1C2D', 'Prod/ApiStack', undefined, undefined],
      ['OrdersStackDatabase1A2B3C4D.nested.template.json', undefined, undefined, undefined, undefined],
    ]);
    expect([...t[0]!.stack!.paths]).toEqual([
      ['ClusterEB0386A7', 'OrdersStack/Cluster/Resource'],
      ['TaskDef54694570', 'OrdersStack/TaskDef/Resource'],
      ['DatabaseNestedStackDatabaseNestedStackResource6F1D7A4B', 'OrdersStack/Database.NestedStack/Database.NestedStackResource'],
    ]);
  });

  it('is one input whether named itself or found in a walk: its manifest and tree.json are not linted as files', () => {
    for (const input of [OUT, APP, PARSER_FIXTURES]) {
      const found = discover([input], APP).files.filter((f) => f.path.startsWith(OUT));
      expect(found.map((f) => [rel(f.path), f.cdk?.stackName]).sort()).toEqual([
        ['OrdersStack.template.json', 'OrdersStack'],
        ['OrdersStackDatabase1A2B3C4D.nested.template.json', undefined],
        ['assembly-Prod/ProdApiStack8A3B1C2D.template.json', 'ProdApiStack8A3B1C2D'],
      ]);
    }
  });

  it('findings carry the construct path, from the resource Metadata or else from the manifest', () => {
    const found = discover([OUT], APP);
    const out = lint(
      found.files.map((f) => ({ path: f.path, explicit: f.explicit, ...(f.cdk ? { cdk: f.cdk } : {}) })),
      { rules: [everyEntity], config: defaultConfig(APP) },
    );
    const rows = out.results.flatMap((r) => r.findings.map((f) => `${rel(r.path)} ${f.line}:${f.column} ${f.entity} ${f.cdkPath}`));
    expect(rows).toEqual([
      'OrdersStack.template.json 3:3 ClusterEB0386A7 OrdersStack/Cluster/Resource',
      'OrdersStack.template.json 6:3 TaskDef54694570 OrdersStack/TaskDef/Resource',
      'OrdersStack.template.json 26:3 DatabaseNestedStackDatabaseNestedStackResource6F1D7A4B OrdersStack/Database.NestedStack/Database.NestedStackResource',
      'OrdersStackDatabase1A2B3C4D.nested.template.json 3:3 ClusterSecurityGroup0921994B OrdersStack/Database/Cluster/SecurityGroup/Resource',
      'assembly-Prod/ProdApiStack8A3B1C2D.template.json 3:3 LB8A12904C Prod/ApiStack/LB/Resource',
    ]);
  });

  it('the account and region of the manifest environment resolve AWS::AccountId and AWS::Region', () => {
    const found = discover([OUT], APP);
    const out = lint(
      found.files.map((f) => ({ path: f.path, ...(f.cdk ? { cdk: f.cdk } : {}) })),
      { rules: [], config: defaultConfig(APP) },
    );
    const td = out.model.taskDefinitions[0]!;
    expect(td.taskRole.res).toEqual({ kind: 'literal', value: 'arn:aws:iam::123456789012:role/orders-task' });
  });

  it('the CLI prints cdkPath in JSON output', async () => {
    const r = await cli(['cdk/app', '--format', 'json'], PARSER_FIXTURES);
    const results = JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; line: number; column: number; cdkPath?: string }> }>;
    const lb = results.flatMap((x) => x.messages.filter((m) => m.ruleId === 'elb/no-classic-load-balancer').map((m) => `${rel(x.filePath)} ${m.line}:${m.column} ${m.cdkPath}`));
    expect(lb).toEqual(['assembly-Prod/ProdApiStack8A3B1C2D.template.json 4:12 Prod/ApiStack/LB/Resource']);
    expect(r.stderr).toBe('');
  });
});
