import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover } from '../src/engine/discover.js';
import { lint, type LintInput } from '../src/engine/lint.js';
import { defaultConfig } from '../src/engine/config.js';
import { builtinRules } from '../src/rules/index.js';
import { attributes, isKnownResourceType, propertyTypeSpec, resourceSpec, resourceTypeNames } from '../src/rules/cfn/lib/spec.js';
import { ROOT } from './helpers/fixtures.js';

/**
 * The CloudFormation resource spec data (scripts/gen-cfn-spec.mjs → generated/cfn/, read by
 * src/rules/cfn/lib/spec.ts) and the schema rules' agreement with cfn-lint on the corpus.
 */
describe('CloudFormation resource spec data', () => {
  it('is generated: an index of every type and one file per service namespace', () => {
    const index = JSON.parse(readFileSync(join(ROOT, 'generated', 'cfn', 'index.json'), 'utf8')) as { source: string; types: string[] };
    expect(index.source).toMatch(/^@aws-cdk\/aws-service-spec@\d/);
    expect(index.types.length).toBeGreaterThan(1500);
    expect(existsSync(join(ROOT, 'generated', 'cfn', 'AWS-ECS.json'))).toBe(true);
    expect(existsSync(join(ROOT, 'generated', 'cfn', 'Alexa-ASK.json'))).toBe(true);
    expect(resourceTypeNames()).toEqual(index.types);
  });

  it('knows resource types; custom, registry and misspelt ones are not in it', () => {
    expect(isKnownResourceType('AWS::ECS::TaskDefinition')).toBe(true);
    expect(isKnownResourceType('AWS::ECS::Taskdefinition')).toBe(false);
    expect(isKnownResourceType('Custom::Seed')).toBe(false);
    expect(isKnownResourceType('AWSQS::Kubernetes::Helm')).toBe(false);
    expect(resourceSpec('AWS::Nope::Nothing')).toBeUndefined();
    expect(attributes('AWS::Nope::Nothing')).toBeUndefined();
  });

  it('gives properties, types, required names and nested property types', () => {
    const svc = resourceSpec('AWS::ECS::Service')!;
    expect(svc.type).toBe('AWS::ECS::Service');
    expect(svc.props.get('DesiredCount')).toEqual({ kind: 'integer' });
    expect(svc.props.get('LaunchType')).toEqual({ kind: 'enum', values: ['EC2', 'FARGATE', 'EXTERNAL'] });
    const lbs = svc.props.get('LoadBalancers')!;
    expect(lbs.kind).toBe('list');
    const lb = lbs.kind === 'list' ? lbs.of : undefined;
    expect(lb?.kind === 'object' && lb.name).toBe('AWS::ECS::Service.LoadBalancer');
    const lbShape = lb?.kind === 'object' ? lb.shape() : undefined;
    expect([...(lbShape?.props.keys() ?? [])]).toEqual(expect.arrayContaining(['ContainerName', 'ContainerPort', 'TargetGroupArn']));
    const td = resourceSpec('AWS::ECS::TaskDefinition')!;
    expect(td.props.has('TaskRoleArn')).toBe(true);
    expect(propertyTypeSpec('AWS::ECS::TaskDefinition.LogConfiguration')?.required).toEqual(['LogDriver']);
    expect(propertyTypeSpec('AWS::ECS::TaskDefinition.Nothing')).toBeUndefined();
    // The spec records the JSON type this property had before: both are accepted.
    const doc = resourceSpec('AWS::IAM::Role')!.props.get('AssumeRolePolicyDocument')!;
    expect(doc.kind === 'union' && doc.of.some((t) => t.kind === 'json')).toBe(true);
    expect(resourceSpec('AWS::IAM::Role')!.required).toContain('AssumeRolePolicyDocument');
    expect(resourceSpec('AWS::EC2::Volume')!.oneOf).toEqual([
      ['Size', 'SnapshotId', 'SourceVolumeId'],
      ['AvailabilityZone', 'AvailabilityZoneId'],
    ]);
  });

  it('gives the GetAtt attribute names, dotted ones included', () => {
    expect(attributes('AWS::ECS::Service')).toEqual(expect.arrayContaining(['Name', 'ServiceArn']));
    expect(attributes('AWS::RDS::DBInstance')).toEqual(expect.arrayContaining(['Endpoint.Address', 'Endpoint.Port']));
    expect(attributes('AWS::IAM::Role')).toEqual(expect.arrayContaining(['Arn', 'RoleId']));
  });

  it('is loaded per service: a lookup returns the same cached object', () => {
    expect(resourceSpec('AWS::ECS::Service')).toBe(resourceSpec('AWS::ECS::Service'));
    expect(propertyTypeSpec('AWS::ECS::Service.LoadBalancer')).toBe(propertyTypeSpec('AWS::ECS::Service.LoadBalancer'));
  });
});

const CORPUS = resolve(ROOT, '..', 'shared', 'corpus');
const CFN_LINT = resolve(ROOT, '..', 'shared', 'reference', 'cfn-lint-on-corpus.json');

/** cfn-lint's checks that stowage's schema rules make too. */
const MAPPING: Record<string, string> = {
  E3002: 'cfn/unknown-property',
  E3003: 'cfn/required-property',
  E3012: 'cfn/property-type',
  E3030: 'cfn/allowed-values',
  E3006: 'cfn/unknown-resource-type',
};

describe.skipIf(!existsSync(CORPUS) || !existsSync(CFN_LINT))('the schema rules on the corpus', () => {
  it('report only what cfn-lint reports on the same line (no finding on a template cfn-lint finds valid)', () => {
    const found = discover([CORPUS], CORPUS);
    const inputs: LintInput[] = found.files.map((f) => ({ path: f.path, explicit: true, ...(f.cdk ? { cdk: f.cdk } : {}) }));
    const rules = builtinRules.filter((r) => Object.values(MAPPING).includes(r.id));
    const out = lint(inputs, { rules, config: { ...defaultConfig(CORPUS), preset: 'all' } });
    const ref = JSON.parse(readFileSync(CFN_LINT, 'utf8')) as Array<{ file: string; rule: string; line: number }>;
    const theirs = new Set(ref.filter((f) => MAPPING[f.rule]).map((f) => `${f.file}:${f.line} ${MAPPING[f.rule]}`));
    const ours: string[] = [];
    for (const r of out.results) for (const f of r.findings) if (rules.some((x) => x.id === f.ruleId)) ours.push(`${r.path.slice(CORPUS.length + 1)}:${f.line} ${f.ruleId}`);
    expect(ours.length).toBeGreaterThan(90);
    expect(ours.filter((o) => !theirs.has(o))).toEqual([]);
  }, 60_000);
});
