import { describe, expect, it } from 'vitest';
import { lintParsed, parseInputs } from '../src/engine/lint.js';
import { ScopeIndex, type EntityScope } from '../src/model/model.js';
import { builtinRules } from '../src/rules/index.js';

/**
 * Scaling, never wall-clock limits: the engine's time on an input ten times larger must stay
 * near ten times (a quadratic step makes it ~100 times). Absolute figures: bench/hostile.mjs.
 */

/** One template with n resources, each with findings, a suppression comment and an ignore list. */
function template(n: number): string {
  const out = ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:'];
  for (let i = 0; i < n; i++)
    out.push(
      `  Task${i}:`,
      '    Type: AWS::ECS::TaskDefinition',
      '    Metadata: { stowage: { ignore: [ecs/image-tag, ecs/imag-tag] } }',
      '    Properties:',
      '      ContainerDefinitions:',
      '        - Name: web',
      '          Image: nginx:latest',
      '          # stowage-disable-next-line ecs/no-privileged, ecs/no-privilegd',
      '          Privileged: true',
      `  Lb${i}:`,
      '    Type: AWS::ElasticLoadBalancing::LoadBalancer',
      "    Properties: { Listeners: [{ LoadBalancerPort: '80', InstancePort: '8080', Protocol: HTTP }] }",
    );
  return out.join('\n') + '\n';
}

/** A minified JSON template: one line, so anything that searches the text for a newline per finding is quadratic. */
function minified(n: number): string {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    resources[`Task${i}`] = { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'web', Image: 'nginx:latest', Privileged: true }] } };
    resources[`Lb${i}`] = { Type: 'AWS::ElasticLoadBalancing::LoadBalancer', Properties: { Listeners: [{ LoadBalancerPort: '80', InstancePort: '8080', Protocol: 'HTTP' }] } };
  }
  return JSON.stringify({ Resources: resources });
}

/** A Kubernetes List of n Deployments, each with findings. */
function list(n: number): string {
  const out = ['apiVersion: v1', 'kind: List', 'items:'];
  for (let i = 0; i < n; i++)
    out.push(
      '  - apiVersion: apps/v1',
      '    kind: Deployment',
      `    metadata: { name: app${i}, annotations: { stowage.dev/ignore: k8s/image-tag, k8s/imag-tag } }`,
      '    spec:',
      '      template:',
      '        spec:',
      '          containers:',
      '            - name: app',
      '              image: nginx:latest',
      '              securityContext: { privileged: true }',
    );
  return out.join('\n') + '\n';
}

function cpuMs(f: () => void): number {
  const t = process.cpuUsage();
  f();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
}

/** Engine time (model, rules, labels, suppressions) on a parsed input: the best of two runs, and its finding count. */
/**
 * A few cheap rules, so that the engine's own per-finding work (labels, key paths, suppressions)
 * is what the time measures: a scan of every scope per finding then dominates and shows.
 */
const RULES = builtinRules.filter((r) => ['elb/no-classic-load-balancer', 'ecs/no-privileged', 'ecs/image-tag', 'k8s/no-privileged', 'k8s/image-tag'].includes(r.id));
const KNOWN = builtinRules.map((r) => r.id);

function engineTime(path: string, text: string): { ms: number; findings: number } {
  const parsed = parseInputs([{ path, text, explicit: true }], []);
  let findings = 0;
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    best = Math.min(
      best,
      cpuMs(() => {
        const out = lintParsed(parsed, { rules: RULES, knownRuleIds: KNOWN, reportUnusedDisableDirectives: true });
        findings = out.results.reduce((a, r) => a + r.findings.length, 0);
      }),
    );
  }
  return { ms: best, findings };
}

function expectLinear(name: string, make: (n: number) => string, n: number): void {
  engineTime(name, make(Math.max(10, n / 10))); // warm-up (JIT)
  const small = engineTime(name, make(n));
  const large = engineTime(name, make(n * 10));
  // The input really has findings everywhere (else the check proves nothing).
  expect(large.findings).toBeGreaterThanOrEqual(small.findings * 10);
  expect(small.findings).toBeGreaterThanOrEqual(n);
  expect(large.ms / small.ms).toBeLessThan(20);
  console.log(`${name}: ${small.findings} findings in ${small.ms.toFixed(0)} ms, ${large.findings} in ${large.ms.toFixed(0)} ms (x${(large.ms / small.ms).toFixed(1)})`);
}

describe('the engine scales linearly on hostile shapes', () => {
  it('a template with thousands of resources, suppression comments and ignore lists', () => {
    expectLinear('/hostile/template.yaml', template, 700);
  }, 120_000);

  it('a minified (one-line) JSON template', () => {
    expectLinear('/hostile/minified.json', minified, 2000);
  }, 120_000);

  it('a Kubernetes List of thousands of Deployments', () => {
    expectLinear('/hostile/list.yaml', list, 1000);
  }, 120_000);
});

describe('ScopeIndex', () => {
  it('finds the innermost containing scope and every enclosing one, as a scan does', () => {
    let seed = 11;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    for (let round = 0; round < 30; round++) {
      // Disjoint and nested ranges, some sharing a start or an end.
      const scopes: EntityScope[] = [];
      const add = (start: number, end: number, depth: number) => {
        scopes.push({ start, end, label: `${start}-${end}` });
        if (depth < 3 && end - start > 4)
          for (let k = 0; k < 1 + rand(3); k++) {
            const s = start + rand(end - start);
            add(s, s + rand(end - s + 1), depth + 1);
          }
      };
      for (let i = 0; i < 5; i++) {
        const s = rand(200);
        add(s, s + rand(60), 0);
      }
      const index = new ScopeIndex(scopes);
      for (let offset = -1; offset < 280; offset++) {
        let best: EntityScope | undefined;
        for (const s of scopes) if (s.start <= offset && offset <= s.end && (!best || s.start >= best.start)) best = s;
        expect(index.at(offset)).toBe(best);
        const all = scopes.filter((s) => s.start <= offset && offset <= s.end);
        expect(new Set(index.containing(offset))).toEqual(new Set(all));
      }
    }
  });
});

describe('cfn/intrinsic-function on thousands of unknown names', () => {
  const rule = builtinRules.filter((r) => r.id === 'cfn/intrinsic-function');
  /** n resources, each referring to a name nothing defines: a did-you-mean per reference over every resource. */
  const refs = (n: number) => {
    const out = ['Resources:'];
    for (let i = 0; i < n; i++) out.push(`  Queue${i}:`, '    Type: AWS::SQS::Queue', '    Properties:', `      QueueName: !Ref Missing${i}`);
    return out.join('\n') + '\n';
  };
  const time = (text: string) => {
    const parsed = parseInputs([{ path: '/hostile/refs.yaml', text, explicit: true }], []);
    let best = Infinity;
    let findings = 0;
    for (let i = 0; i < 2; i++)
      best = Math.min(
        best,
        cpuMs(() => {
          findings = lintParsed(parsed, { rules: rule }).results[0]!.findings.length;
        }),
      );
    return { ms: best, findings };
  };

  it('stays linear: did-you-mean hints have a budget per template', () => {
    time(refs(100));
    const small = time(refs(800));
    const large = time(refs(8000));
    expect([small.findings, large.findings]).toEqual([800, 8000]);
    expect(large.ms / small.ms).toBeLessThan(20);
  }, 120_000);
});
