import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../src/engine/lint.js';
import { defaultConfig } from '../src/engine/config.js';
import { builtinRules } from '../src/rules/index.js';
import { parseFile } from '../src/parsers/index.js';
import { Model } from '../src/model/model.js';
import { ROOT } from './helpers/fixtures.js';

/** cfn/template-structure and cfn/circular-dependency: exact messages and ranges. */
function run(ruleIds: string[], path: string, text: string) {
  const rules = builtinRules.filter((r) => ruleIds.includes(r.id));
  const out = lint([{ path, text, explicit: true }], { rules, config: { ...defaultConfig(ROOT), preset: 'all' } });
  return out.results.flatMap((r) => r.findings).map((f) => ({ rule: f.ruleId, at: `${f.line}:${f.column}-${f.endLine}:${f.endColumn}`, message: f.message, ...(f.entity ? { entity: f.entity } : {}) }));
}

describe('cfn/template-structure', () => {
  it('reports sections, the format version and resources with exact messages and ranges', () => {
    const text = [
      "AWSTemplateFormatVersion: '2012-10-17'", // 1
      'Parameter:', // 2
      '  Stage: { Type: String }', // 3
      'Outputs:', // 4
      'Resources:', // 5
      '  Queue:', // 6
      '    Type: AWS::SQS::Queue', // 7
      '    Propertes:', // 8
      '      QueueName: jobs', // 9
      '  Topic:', // 10
      '    Properties: {}', // 11
      '  Logs: AWS::Logs::LogGroup', // 12
      '  Bucket:', // 13
      '    Type: [AWS::S3::Bucket]', // 14
      '',
    ].join('\n');
    expect(run(['cfn/template-structure'], 't.yaml', text)).toEqual([
      { rule: 'cfn/template-structure', at: '1:27-1:39', message: 'AWSTemplateFormatVersion is "2012-10-17", the version of IAM policy documents; the only template format version is "2010-09-09".' },
      { rule: 'cfn/template-structure', at: '2:1-2:10', message: 'The template has the top-level section "Parameter", which CloudFormation does not accept; did you mean "Parameters"?' },
      { rule: 'cfn/template-structure', at: '4:1-4:8', message: 'The Outputs section is empty (null), which CloudFormation rejects; remove the key or add entries.' },
      { rule: 'cfn/template-structure', at: '8:5-8:14', message: 'Resource "Queue" has the key "Propertes", which CloudFormation does not accept on a resource; did you mean "Properties"?', entity: 'Queue' },
      { rule: 'cfn/template-structure', at: '10:3-10:8', message: 'Resource "Topic" has no Type; every resource needs one (such as AWS::ECS::Service).', entity: 'Topic' },
      { rule: 'cfn/template-structure', at: '12:9-12:28', message: 'Resource "Logs" is the string "AWS::Logs::LogGroup", not a mapping with Type and Properties.' },
      { rule: 'cfn/template-structure', at: '14:5-14:9', message: 'Resource "Bucket" has a Type that is a list, not a resource type name (such as AWS::ECS::Service).', entity: 'Bucket' },
    ]);
  });

  it('recognises Resources written as a list (not an AppSpec file) and reports it once, at the section', () => {
    const text = ['Resources:', '  - Bucket:', '      Type: AWS::S3::Bucket', ''].join('\n');
    expect(parseFile('t.yaml', text).documents.map((d) => d.format)).toEqual(['cloudformation']);
    expect(run(builtinRules.map((r) => r.id), 't.yaml', text)).toEqual([
      { rule: 'cfn/template-structure', at: '1:1-1:10', message: 'The Resources section is a list, not a mapping of resources by logical id; remove the "- " before each entry.' },
    ]);
    const appspec = ['version: 0.0', 'Resources:', '  - TargetService:', '      Type: AWS::ECS::Service', ''].join('\n');
    expect(parseFile('appspec.yaml', appspec).documents).toEqual([]);
  });

  it('reports a missing Resources section at the first key, and an empty one at its key', () => {
    expect(run(['cfn/template-structure'], 't.json', '{ "AWSTemplateFormatVersion": "2010-09-09", "Outputs": {} }')).toEqual([
      { rule: 'cfn/template-structure', at: '1:3-1:29', message: 'The template has no Resources section; CloudFormation requires one, with at least one resource.' },
    ]);
    expect(run(['cfn/template-structure'], 't.json', '{ "AWSTemplateFormatVersion": "2010-09-09", "Resources": {} }')).toEqual([
      { rule: 'cfn/template-structure', at: '1:45-1:56', message: 'The Resources section has no resources; CloudFormation requires at least one.' },
    ]);
  });

  it('draws nothing from the other rules on a broken structure', () => {
    const text = ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:', '  Topic:', '    Properties: { TopicName: x }', '  Logs: AWS::Logs::LogGroup', ''].join('\n');
    const rules = run(builtinRules.map((r) => r.id), 't.yaml', text).map((f) => f.rule);
    expect(rules).toEqual(['cfn/template-structure', 'cfn/template-structure']);
  });
});

describe('cfn/circular-dependency', () => {
  it('reports a cycle once, named from its first member, at the reference to the next member', () => {
    const text = [
      'Resources:', // 1
      '  A:', // 2
      '    Type: AWS::SNS::Topic', // 3
      '    Properties:', // 4
      "      TopicName: !Sub 'a-${B.TopicName}'", // 5
      '  B:', // 6
      '    Type: AWS::SNS::Topic', // 7
      '    DependsOn: [C]', // 8
      '  C:', // 9
      '    Type: AWS::SNS::Topic', // 10
      '    Properties:', // 11
      '      TopicName: !If [Never, !Ref A, !GetAtt D.TopicName]', // 12
      '  D:', // 13
      '    Type: AWS::SNS::Topic', // 14
      '    Properties:', // 15
      '      TopicName: !GetAtt [B, TopicName]', // 16
      '',
    ].join('\n');
    expect(run(['cfn/circular-dependency'], 't.yaml', text)).toEqual([
      {
        rule: 'cfn/circular-dependency',
        at: "5:26-5:40",
        message:
          'Resources form a dependency cycle: A → B → C → A (with "D" caught in it too); remove one of these references or move it into a resource of its own.',
        entity: 'A',
      },
    ]);
  });

  it('reports a resource that refers to itself, and conditions in a cycle', () => {
    const text = [
      'Conditions:', // 1
      '  IsA: !Condition IsB', // 2
      '  IsB: !Not [!Condition IsA]', // 3
      'Resources:', // 4
      '  Group:', // 5
      '    Type: AWS::EC2::SecurityGroup', // 6
      '    Properties:', // 7
      '      GroupDescription: web', // 8
      '      SecurityGroupIngress:', // 9
      '        - { IpProtocol: tcp, FromPort: 80, ToPort: 80, SourceSecurityGroupId: !GetAtt Group.GroupId }', // 10
      '',
    ].join('\n');
    expect(run(['cfn/circular-dependency'], 't.yaml', text)).toEqual([
      {
        rule: 'cfn/circular-dependency',
        at: '2:19-2:22',
        message: 'Conditions form a cycle: IsA → IsB → IsA; define one of them without referring to the others.',
      },
      {
        rule: 'cfn/circular-dependency',
        at: "10:87-10:92",
        message:
          'Resource "Group" depends on itself (Fn::GetAtt); move the reference into a resource of its own (such as an AWS::EC2::SecurityGroupIngress) or use a parameter.',
        entity: 'Group',
      },
    ]);
  });

  it('names a long cycle once, every member in order, and counts each reference once', () => {
    const chain = (n: number) => {
      const lines = ['Resources:'];
      for (let i = 0; i < n; i++) lines.push(`  R${i}:`, '    Type: AWS::SNS::Topic', '    Properties:', `      TopicName: !Ref R${(i + 1) % n}`);
      return lines.join('\n') + '\n';
    };
    const found = run(['cfn/circular-dependency'], 't.yaml', chain(300));
    expect(found).toHaveLength(1);
    expect(found[0]!.message.startsWith('Resources form a dependency cycle: R0 → R1 → R2 → ')).toBe(true);
    expect(found[0]!.message.includes('→ R299 → R0;')).toBe(true);
    // Each reference is one edge: a chain ten times longer has ten times the edges.
    const refs = (n: number) => {
      const t = new Model([parseFile('t.yaml', chain(n))]).templates[0]!;
      return [...t.dependencies().resources.values()].reduce((a, r) => a + r.length, 0);
    };
    expect(refs(2000)).toBe(10 * refs(200));
  });
});

describe('one problem, one finding', () => {
  it('a Classic Load Balancer in front of a Fargate service is reported once, by ecs/fargate-incompatible-load-balancer', () => {
    const text = [
      'Resources:', // 1
      '  Task:', // 2
      '    Type: AWS::ECS::TaskDefinition', // 3
      '    Properties:', // 4
      '      RequiresCompatibilities: [FARGATE]', // 5
      '      NetworkMode: awsvpc', // 6
      "      Cpu: '256'", // 7
      "      Memory: '512'", // 8
      '      ContainerDefinitions:', // 9
      '        - { Name: web, Image: nginx:1.27, PortMappings: [{ ContainerPort: 80 }] }', // 10
      '  Service:', // 11
      '    Type: AWS::ECS::Service', // 12
      '    Properties:', // 13
      '      LaunchType: FARGATE', // 14
      '      TaskDefinition: !Ref Task', // 15
      '      LoadBalancers:', // 16
      '        - { LoadBalancerName: legacy-web, ContainerName: web, ContainerPort: 80 }', // 17
      '',
    ].join('\n');
    const found = run(['elb/no-classic-load-balancer', 'ecs/fargate-incompatible-load-balancer'], 't.yaml', text);
    expect(found.map((f) => `${f.rule} ${f.at}`)).toEqual(['ecs/fargate-incompatible-load-balancer 17:13-17:29']);
    // On EC2 the same key is elb/no-classic-load-balancer's.
    const ec2 = run(['elb/no-classic-load-balancer', 'ecs/fargate-incompatible-load-balancer'], 't.yaml', text.replace('LaunchType: FARGATE', 'LaunchType: EC2').replace('[FARGATE]', '[EC2]'));
    expect(ec2.map((f) => `${f.rule} ${f.at}`)).toEqual(['elb/no-classic-load-balancer 17:13-17:29']);
  });
});

describe('one problem, one finding: rules that yield to a more specific one', () => {
  // With every rule on, the more specific rule reports and the other stays quiet.
  const cases: Array<[fixture: string, winner: string, yields: string]> = [
    ['ecs/no-privileged/quiet-fargate.yaml', 'ecs/fargate-unsupported-parameter', 'ecs/no-privileged'],
    ['ecs/no-host-pid/quiet-fargate.yaml', 'ecs/fargate-unsupported-parameter', 'ecs/no-host-pid'],
    ['ecs/fargate-network-mode/quiet-misspelt.yaml', 'cfn/allowed-values', 'ecs/fargate-network-mode'],
    ['ecs/fargate-log-driver/quiet-misspelt.json', 'ecs/allowed-values', 'ecs/fargate-log-driver'],
    ['ecs/fargate-platform-version/quiet-efs.yaml', 'ecs/fargate-efs-platform-version', 'ecs/fargate-platform-version'],
    ['elb/no-classic-load-balancer/quiet-fargate-service.yaml', 'ecs/fargate-incompatible-load-balancer', 'elb/no-classic-load-balancer'],
    ['k8s/field-type/report-k8s.yaml', 'eks/storage-class-parameters', 'k8s/field-type'],
  ];
  it.each(cases)('%s: %s, not %s', (rel, winner, yields) => {
    const path = join(ROOT, 'test/fixtures/rules', rel);
    const found = run(builtinRules.map((r) => r.id), path, readFileSync(path, 'utf8'));
    const at = (id: string) => new Set(found.filter((f) => f.rule === id).map((f) => f.at));
    expect(at(winner).size).toBeGreaterThan(0);
    expect([...at(yields)].filter((r) => at(winner).has(r))).toEqual([]);
  });

  it('k8s/no-privileged yields to eks/fargate-incompatible-pod for pods a Fargate profile selects', () => {
    const dir = join(ROOT, 'test/fixtures/rules/k8s/no-privileged/quiet-fargate');
    const rules = builtinRules.filter((r) => r.id === 'k8s/no-privileged' || r.id === 'eks/fargate-incompatible-pod');
    const out = lint(['cluster.yaml', 'app.yaml'].map((n) => ({ path: join(dir, n), explicit: true })), { rules, config: { ...defaultConfig(ROOT), preset: 'all' } });
    expect(out.results.flatMap((r) => r.findings).map((f) => `${f.ruleId} ${f.line}:${f.column}`)).toEqual(['eks/fargate-incompatible-pod 22:25']);
  });
});
