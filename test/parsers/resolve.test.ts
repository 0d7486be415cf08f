import { describe, expect, it } from 'vitest';
import type { Resolved } from '../../src/model/value.js';
import type { Model } from '../../src/model/model.js';
import { Role } from '../../src/model/entities.js';
import { modelOf } from './util.js';

/** The template of the model, and the resolved values of one resource's properties. */
function props(m: Model, id: string): Record<string, Resolved> {
  const r = m.templates[0]!.resources.get(id)!;
  const out: Record<string, Resolved> = {};
  for (const k of r.props.keys()) out[k] = r.props.prop(k).res;
  return out;
}
const lit = (value: unknown, pseudo = false) => ({ kind: 'literal', value, ...(pseudo ? { pseudo: true } : {}) });

const template = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    Default: prod
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Mappings:
  Sizes:
    prod: { Cpu: "1024", Memory: "2048" }
    dev: { Cpu: "256" }
Resources:
  TaskRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: orders-task
  Repo:
    Type: AWS::ECR::Repository
  Probe:
    Type: AWS::SSM::Parameter
    Properties:
      RefResource: !Ref TaskRole
      RefParameter: !Ref Env
      RefPartition: !Ref AWS::Partition
      RefUrlSuffix: !Ref AWS::URLSuffix
      RefRegion: !Ref AWS::Region
      RefAccount: !Ref AWS::AccountId
      RefStackName: !Ref AWS::StackName
      RefNoValue: !Ref AWS::NoValue
      RefMissing: !Ref Nowhere
      GetAttDotted: !GetAtt TaskRole.Arn
      GetAttList: !GetAtt [TaskRole, RoleId]
      GetAttComputed: !GetAtt [TaskRole, !Sub "Arn"]
      GetAttNested: !GetAtt Repo.RepositoryUri.Something
      GetAttMissing: !GetAtt Nowhere.Arn
      SubLiteral: !Sub "orders-\${!Literal}"
      SubPseudo: !Sub "arn:\${AWS::Partition}:s3:::orders-\${AWS::Region}"
      SubVars: !Sub ["\${Name}-queue", { Name: orders }]
      SubVarRef: !Sub ["\${Name}-queue", { Name: !Ref TaskRole }]
      SubParameter: !Sub "\${Env}-orders"
      SubWholeRef: !Sub "\${TaskRole.Arn}"
      SubWholeResource: !Sub "\${TaskRole}"
      SubPartResource: !Sub "role/\${TaskRole}"
      SubDynamic: !Sub "{{resolve:ssm:/orders/\${AWS::Region}/image}}"
      JoinLiteral: !Join ["-", [orders, !Ref AWS::Partition, "1"]]
      JoinPseudo: !Join [":", [arn, !Ref AWS::Region]]
      JoinParameter: !Join ["-", [orders, !Ref Env]]
      JoinComputedList: !Join [",", !GetAZs ""]
      IfSame: !If [IsProd, orders, orders]
      IfDiffer: !If [IsProd, orders, orders-dev]
      IfNoValue: !If [IsProd, orders, !Ref AWS::NoValue]
      SelectLiteral: !Select [1, [a, b, c]]
      SelectStringIndex: !Select ["0", [a, b]]
      SelectSplit: !Select [2, !Split [":", "arn:aws:ecs"]]
      SelectAzs: !Select [0, !GetAZs ""]
      SelectOutOfRange: !Select [5, [a]]
      FindInMap: !FindInMap [Sizes, prod, Cpu]
      FindInMapParameter: !FindInMap [Sizes, !Ref Env, Cpu]
      FindInMapMissing: !FindInMap [Sizes, dev, Memory]
      Import: !ImportValue orders-vpc-id
      Base64: !Base64 "echo hi"
      Dynamic: "{{resolve:secretsmanager:orders/db:SecretString:password}}"
      Cidr: !Cidr [10.0.0.0/16, 4, 8]
      Plain: orders
      Number: 512
      Nested: { Key: value }
      List: [a, b]
`;

describe("the model's resolver (Template.resolve), through Model and entity properties", () => {
  const m = modelOf({ 'orders.yaml': template });
  const p = props(m, 'Probe');
  const role = m.templates[0]!.resources.get('TaskRole')!;
  const repo = m.templates[0]!.resources.get('Repo')!;

  it('Ref: to a resource, to a parameter, to pseudo parameters, to AWS::NoValue', () => {
    expect(p.RefResource).toEqual({ kind: 'ref', resource: role });
    expect(p.RefParameter).toEqual({ kind: 'unknown', reason: 'parameter Env' });
    expect(p.RefPartition).toEqual(lit('aws'));
    expect(p.RefUrlSuffix).toEqual(lit('amazonaws.com'));
    expect(p.RefRegion).toEqual(lit('${AWS::Region}', true));
    expect(p.RefAccount).toEqual(lit('${AWS::AccountId}', true));
    expect(p.RefStackName).toEqual(lit('${AWS::StackName}', true));
    expect(p.RefNoValue).toEqual({ kind: 'absent' });
    expect(p.RefMissing).toEqual({ kind: 'unknown', reason: 'Ref to undefined "Nowhere"' });
  });

  it('GetAtt: dotted, list, computed attribute, attribute paths, missing target', () => {
    expect(p.GetAttDotted).toEqual({ kind: 'ref', resource: role, attribute: 'Arn' });
    expect(p.GetAttList).toEqual({ kind: 'ref', resource: role, attribute: 'RoleId' });
    expect(p.GetAttComputed).toEqual({ kind: 'ref', resource: role, attribute: 'Arn' });
    expect(p.GetAttNested).toEqual({ kind: 'ref', resource: repo, attribute: 'RepositoryUri.Something' });
    expect(p.GetAttMissing).toEqual({ kind: 'unknown', reason: 'GetAtt that cannot be followed' });
  });

  it('Sub: literals, ${!Literal}, pseudo parameters, variables, parameters, whole references', () => {
    expect(p.SubLiteral).toEqual(lit('orders-${Literal}'));
    expect(p.SubPseudo).toEqual(lit('arn:aws:s3:::orders-${AWS::Region}', true));
    expect(p.SubVars).toEqual(lit('orders-queue'));
    expect(p.SubVarRef!.kind).toBe('unknown'); // part of a string made from a generated value
    expect(p.SubParameter).toEqual({ kind: 'unknown', reason: 'parameter Env' });
    expect(p.SubWholeRef).toEqual({ kind: 'ref', resource: role, attribute: 'Arn' });
    expect(p.SubWholeResource).toEqual({ kind: 'ref', resource: role });
    expect(p.SubPartResource).toEqual({ kind: 'unknown', reason: 'includes the generated value of TaskRole' });
    expect(p.SubDynamic).toEqual({ kind: 'unknown', reason: 'dynamic reference resolved at deploy time' });
  });

  it('Join: of literals, of pseudo parameters, of a parameter, of a computed list', () => {
    expect(p.JoinLiteral).toEqual(lit('orders-aws-1'));
    expect(p.JoinPseudo).toEqual(lit('arn:${AWS::Region}', true));
    expect(p.JoinParameter).toEqual({ kind: 'unknown', reason: 'parameter Env' });
    expect(p.JoinComputedList.kind).toBe('unknown');
  });

  it('If: branches that agree are known; branches that disagree are unknown; AWS::NoValue may remove it', () => {
    expect(p.IfSame).toEqual(lit('orders'));
    expect(p.IfDiffer).toEqual({ kind: 'unknown', reason: 'depends on condition IsProd' });
    expect(p.IfNoValue).toEqual({ kind: 'unknown', reason: 'depends on condition IsProd', mayBeAbsent: true });
    const probe = m.templates[0]!.resources.get('Probe')!.props;
    expect([probe.prop('IfNoValue').present, probe.prop('IfNoValue').surelyPresent, probe.prop('IfSame').surelyPresent]).toEqual([true, false, true]);
  });

  it('Select: from a list, with a string index, from Split, from GetAZs, out of range', () => {
    expect(p.SelectLiteral).toEqual(lit('b'));
    expect(p.SelectStringIndex).toEqual(lit('a'));
    expect(p.SelectSplit).toEqual(lit('ecs'));
    expect(p.SelectAzs).toEqual({ kind: 'unknown', reason: 'Fn::Select from a computed list' });
    expect(p.SelectOutOfRange).toEqual({ kind: 'unknown', reason: 'Fn::Select out of range' });
  });

  it('FindInMap: known keys, a parameter key, a missing key', () => {
    expect(p.FindInMap).toEqual(lit('1024'));
    expect(p.FindInMapParameter).toEqual({ kind: 'unknown', reason: 'Fn::FindInMap with a computed key' });
    expect(p.FindInMapMissing).toEqual({ kind: 'unknown', reason: 'Fn::FindInMap to a missing key' });
  });

  it('ImportValue, dynamic references and other functions are unknown; Base64 is its text', () => {
    expect(p.Import).toEqual({ kind: 'unknown', reason: 'imported value (Fn::ImportValue)' });
    expect(p.Dynamic).toEqual({ kind: 'unknown', reason: 'dynamic reference resolved at deploy time' });
    expect(p.Cidr).toEqual({ kind: 'unknown', reason: 'computed by Fn::Cidr' });
    expect(p.Base64).toEqual(lit('echo hi'));
  });

  it('plain values: literals and nodes', () => {
    expect(p.Plain).toEqual(lit('orders'));
    expect(p.Number).toEqual(lit(512));
    expect(p.Nested!.kind).toBe('node');
    expect(p.List!.kind).toBe('node');
    const probe = m.templates[0]!.resources.get('Probe')!.props;
    expect(probe.prop('List').list()!.map((x) => x.str())).toEqual(['a', 'b']);
    expect(probe.obj('Nested')!.prop('key').str()).toBe('value'); // case-insensitive
  });

  it('the same resolution applies to long-form JSON', () => {
    const json = modelOf({
      'orders.json': JSON.stringify({
        Resources: {
          TaskRole: { Type: 'AWS::IAM::Role' },
          Task: {
            Type: 'AWS::ECS::TaskDefinition',
            Properties: {
              Family: { 'Fn::Join': ['-', ['orders', { Ref: 'AWS::Partition' }]] },
              TaskRoleArn: { 'Fn::GetAtt': ['TaskRole', 'Arn'] },
              ExecutionRoleArn: { 'Fn::If': ['IsProd', { 'Fn::GetAtt': ['TaskRole', 'Arn'] }, { 'Fn::GetAtt': ['TaskRole', 'Arn'] }] },
              Cpu: { 'Fn::Sub': ['${Size}', { Size: '512' }] },
            },
          },
        },
      }),
    });
    const td = json.taskDefinitions[0]!;
    const r = json.templates[0]!.resources.get('TaskRole')!;
    expect([td.family.str(), td.cpu.num(), td.taskRole.res, td.executionRole.res]).toEqual(['orders-aws', 512, { kind: 'ref', resource: r, attribute: 'Arn' }, { kind: 'ref', resource: r, attribute: 'Arn' }]);
    expect(json.refTarget(td.taskRole, Role)).toBe(json.roles[0]);
  });

  it('placeholders of rendering tools are unknown in task-definition and Kubernetes files', () => {
    const m2 = modelOf({
      'task.json': '{"family": "orders", "taskRoleArn": "${TASK_ROLE_ARN}", "containerDefinitions": [{"name": "api", "image": "{{ image }}"}]}',
    });
    const td = m2.taskDefinitions[0]!;
    expect([td.taskRole.unknown, td.containers[0]!.image.unknown, td.family.str()]).toEqual([true, true, 'orders']);
  });
});
