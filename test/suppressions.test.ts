import { describe, expect, it } from 'vitest';
import { defaultConfig, type ResolvedConfig } from '../src/engine/config.js';
import { lint, type Finding, type LintInput } from '../src/engine/lint.js';
import { DirectiveIndex, suppressedBy, type Directive } from '../src/engine/suppressions.js';
import { formatJson } from '../src/formatters/json.js';
import { SourceFile } from '../src/parsers/tree.js';
import { builtinRules } from '../src/rules/index.js';

const LB = `Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties: { Listeners: [{ LoadBalancerPort: '80', InstancePort: '8080', Protocol: HTTP }] }`;

const row = (f: Finding) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.severity} ${f.ruleId} ${f.message}`;

function run(inputs: LintInput[], opts: { unused?: boolean; config?: ResolvedConfig; reportOnly?: Set<string> } = {}) {
  const out = lint(inputs, {
    rules: builtinRules,
    ...(opts.config ? { config: opts.config } : {}),
    ...(opts.unused ? { reportUnusedDisableDirectives: true } : {}),
    ...(opts.reportOnly ? { reportOnly: opts.reportOnly } : {}),
  });
  return out.results.map((r) => ({ path: r.path, rows: r.findings.map(row) }));
}

const CLB = (id: string) =>
  `Load balancer "${id}" is a Classic Load Balancer, a previous-generation type that cannot target awsvpc or Fargate tasks; use an Application Load Balancer (or a Network Load Balancer) with AWS::ElasticLoadBalancingV2::LoadBalancer.`;

describe('unknown rule ids in suppressions', () => {
  it('in a comment: a warning at the id with a did-you-mean; the finding is not suppressed', () => {
    const text = `Resources:
  A:
    # stowage-disable-next-line elb/no-clasic-load-balancer -- typo
    ${LB}
  B:
    # stowage-disable-next-line ecs/imag-tag, elb/no-classic-load-balancer, acme/whatever
    ${LB}
`;
    expect(run([{ path: '/p/t.yaml', text }])).toEqual([
      {
        path: '/p/t.yaml',
        rows: [
          '3:33-3:60 warning unknown-rule Unknown rule "elb/no-clasic-load-balancer" in a stowage-disable comment (did you mean "elb/no-classic-load-balancer"?).',
          `4:11-4:50 warning elb/no-classic-load-balancer ${CLB('A')}`,
          '7:33-7:45 warning unknown-rule Unknown rule "ecs/imag-tag" in a stowage-disable comment (did you mean "ecs/image-tag"?).',
          '7:77-7:90 warning unknown-rule Unknown rule "acme/whatever" in a stowage-disable comment.',
        ],
      },
    ]);
  });

  it('in Metadata.stowage.ignore (YAML list, JSON string) and the stowage.dev/ignore annotation', () => {
    const yaml = `Resources:
  A:
    Metadata:
      stowage:
        ignore: [elb/no-classic-load-balancer, ECS/Image-Tag]
    ${LB}
`;
    const json = `{"Resources": {"A": {"Metadata": {"stowage": {"ignore": "elb/no-classic-load-balancr"}},
  "Type": "AWS::ElasticLoadBalancing::LoadBalancer", "Properties": {"Listeners": []}}}}
`;
    const k8s = `apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    stowage.dev/ignore: elb/no-classic-load-balancer, k8s/no-privilegd -- reason
spec:
  type: LoadBalancer
`;
    expect(run([{ path: '/p/a.yaml', text: yaml }, { path: '/p/b.json', text: json }, { path: '/p/c.yaml', text: k8s }])).toEqual([
      { path: '/p/a.yaml', rows: ['5:48-5:61 warning unknown-rule Unknown rule "ECS/Image-Tag" in Metadata.stowage.ignore (did you mean "ecs/image-tag"?).'] },
      {
        path: '/p/b.json',
        rows: [
          '1:58-1:85 warning unknown-rule Unknown rule "elb/no-classic-load-balancr" in Metadata.stowage.ignore (did you mean "elb/no-classic-load-balancer"?).',
          `2:11-2:52 warning elb/no-classic-load-balancer ${CLB('A')}`,
        ],
      },
      { path: '/p/c.yaml', rows: ['6:55-6:71 warning unknown-rule Unknown rule "k8s/no-privilegd" in the stowage.dev/ignore annotation (did you mean "k8s/no-privileged"?).'] },
    ]);
  });

  it('plugin rule ids are known when the plugin is among the rules', () => {
    const text = `Resources:\n  A:\n    # stowage-disable-next-line acme/cost-center\n    ${LB}\n`;
    const plugin = { id: 'acme/cost-center', severity: 'warning' as const, description: '', docs: '', check() {} };
    const out = lint([{ path: '/p/t.yaml', text }], { rules: [...builtinRules, plugin] });
    expect(out.results[0]!.findings.map((f) => f.ruleId)).toEqual(['elb/no-classic-load-balancer']);
    // A caller that runs a subset of the rules names the ids a suppression may use.
    const subset = lint([{ path: '/p/t.yaml', text }], { rules: [builtinRules.find((r) => r.id === 'ecs/image-tag')!], knownRuleIds: ['acme/cost-center'] });
    expect(subset.results[0]!.findings).toEqual([]);
  });
});

describe('unused suppressions are warnings', () => {
  it('comments, Metadata and annotations; an unknown id is reported once (unknown), not also as unused', () => {
    const text = `Resources:
  A:
    # stowage-disable-next-line iam/task-role-per-service
    ${LB}
  B:
    Metadata: { stowage: { ignore: [ecs/image-tag, ecs/imag-tag] } }
    # stowage-disable-line elb/no-classic-load-balancer
    ${LB}
`;
    // The disable-line comment stands on its own line, so it suppresses nothing.
    expect(run([{ path: '/p/t.yaml', text }], { unused: true })[0]!.rows).toEqual([
      "3:5-3:58 warning unused-disable-directive Unused stowage-disable directive (no problems were reported from 'iam/task-role-per-service').",
      `4:11-4:50 warning elb/no-classic-load-balancer ${CLB('A')}`,
      "7:36-7:65 warning unused-disable-directive Unused stowage ignore for 'ecs/image-tag' on B (no problems were reported).",
      '7:52-7:64 warning unknown-rule Unknown rule "ecs/imag-tag" in Metadata.stowage.ignore (did you mean "ecs/image-tag"?).',
      "8:5-8:56 warning unused-disable-directive Unused stowage-disable directive (no problems were reported from 'elb/no-classic-load-balancer').",
      `9:11-9:50 warning elb/no-classic-load-balancer ${CLB('B')}`,
    ]);
  });
});

describe('config suppressions', () => {
  const CONFIG_TEXT = `suppressions:
  - files: [legacy/*.yaml]
    rule: elb/no-classic-load-balancer
    reason: migrating in OPS-1
  - files: [other/*.yaml]
    rule: elb/no-classic-load-balancer
    entity: B
    reason: only B
  - files: [nowhere/*.yaml]
    rule: ecs/image-tag
    reason: stale
`;
  const source = new SourceFile('/repo/stowage.config.yaml', CONFIG_TEXT, 'yaml');
  const entry = (n: number) => {
    const starts = [...CONFIG_TEXT.matchAll(/ {2}- files/g)].map((m) => m.index! + 2);
    return { start: starts[n]!, end: n + 1 < starts.length ? starts[n + 1]! - 3 : CONFIG_TEXT.length - 1 };
  };
  const config = {
    ...defaultConfig('/repo'),
    path: '/repo/stowage.config.yaml',
    suppressions: [
      { files: ['legacy/*.yaml'], rule: 'elb/no-classic-load-balancer', reason: 'migrating in OPS-1', match: (p: string) => p.startsWith('legacy/'), source, ...entry(0) },
      { files: ['other/*.yaml'], rule: 'elb/no-classic-load-balancer', entity: 'B', reason: 'only B', match: (p: string) => p.startsWith('other/'), source, ...entry(1) },
      { files: ['nowhere/*.yaml'], rule: 'ecs/image-tag', reason: 'stale', match: (p: string) => p.startsWith('nowhere/'), source, ...entry(2) },
    ],
  } as ResolvedConfig;
  const two = `Resources:\n  A:\n    ${LB}\n  B:\n    ${LB}\n`;
  const inputs = [
    { path: '/repo/legacy/x.yaml', text: two },
    { path: '/repo/other/y.yaml', text: two },
  ];

  it('suppress by file (relative to the config folder), rule and entity', () => {
    expect(run(inputs, { config })).toEqual([
      { path: '/repo/legacy/x.yaml', rows: [] },
      { path: '/repo/other/y.yaml', rows: [`3:11-3:50 warning elb/no-classic-load-balancer ${CLB('A')}`] },
    ]);
  });

  it('unused ones are warnings at their entry in the config file (with --report-unused-disable-directives)', () => {
    expect(run(inputs, { config, unused: true })).toEqual([
      { path: '/repo/legacy/x.yaml', rows: [] },
      { path: '/repo/other/y.yaml', rows: [`3:11-3:50 warning elb/no-classic-load-balancer ${CLB('A')}`] },
      {
        path: '/repo/stowage.config.yaml',
        rows: [`9:3-11:18 warning unused-disable-directive Unused suppression of 'ecs/image-tag' for "nowhere/*.yaml" in the configuration (no problems were reported).`],
      },
    ]);
  });

  it('an entry that matches only files outside the report (--context) is not called unused', () => {
    const out = run([...inputs, { path: '/repo/nowhere/z.yaml', text: two }], { config, unused: true, reportOnly: new Set(['/repo/legacy/x.yaml', '/repo/other/y.yaml']) });
    expect(out.map((r) => r.path)).toEqual(['/repo/legacy/x.yaml', '/repo/other/y.yaml']);
  });
});

describe('determinism', () => {
  it('the same files in another order give the same bytes', () => {
    const a = `Resources:\n  Z:\n    ${LB}\n  A:\n    ${LB}\n`;
    const b = `apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { type: LoadBalancer }\n`;
    const inputs: LintInput[] = [
      { path: '/p/b.yaml', text: b },
      { path: '/p/a.yaml', text: a },
      { path: '/p/c/a.yaml', text: a },
    ];
    const json = (xs: LintInput[]) => formatJson(lint(xs, { rules: builtinRules }).results, { cwd: '/', color: false, rules: builtinRules });
    const once = json(inputs);
    expect(json([...inputs].reverse())).toBe(once);
    expect(json([inputs[1]!, inputs[2]!, inputs[0]!])).toBe(once);
    expect((JSON.parse(once) as Array<{ filePath: string }>).map((r) => r.filePath)).toEqual(['/p/a.yaml', '/p/b.yaml', '/p/c/a.yaml']);
  });
});

describe('DirectiveIndex', () => {
  it('answers as a scan of every directive does (first directive of the file that applies)', () => {
    // Pseudo-random directives: kinds, lines, rule lists (some shared, some empty = every rule).
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const ids = ['a/x', 'a/y', 'b/z'];
    const make = (): Directive[] => {
      const out: Directive[] = [];
      for (let line = 1; line <= 60; line++) {
        if (rand(3)) continue;
        const kind = (['next-line', 'line', 'file'] as const)[rand(3)]!;
        const rules = ids.filter(() => rand(2) === 0);
        out.push({ kind, rules, line, start: line * 100, end: line * 100 + 50, used: new Set() });
      }
      return out;
    };
    for (let round = 0; round < 20; round++) {
      const a = make();
      const b = a.map((d) => ({ ...d, used: new Set<string>() }));
      const index = new DirectiveIndex(b);
      for (let line = 1; line <= 62; line++)
        for (const id of ids) {
          const want = suppressedBy(a, id, line);
          const got = index.suppressedBy(id, line);
          expect(got?.start).toBe(want?.start);
        }
      expect(b.map((d) => [...d.used].sort())).toEqual(a.map((d) => [...d.used].sort()));
    }
  });
});
