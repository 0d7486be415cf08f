// One reading of CloudFormation values: Fn::Sub / Fn::Join pieces, and the reference graph (who refers to a resource, which outputs give it out).
import { describe, expect, it } from 'vitest';
import { parseFile } from '../src/parsers/index.js';
import { Model } from '../src/model/model.js';
import type { CfnPiece, Template } from '../src/model/cfn.js';
import { isMap } from '../src/parsers/tree.js';

const TEXT = `Parameters:
  Env: { Type: String }
Resources:
  Cluster:
    Type: AWS::ECS::Cluster
  Role:
    Type: AWS::IAM::Role
  Launch:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        UserData:
          Fn::Base64: !Sub |
            echo ECS_CLUSTER=\${Cluster} >> /etc/ecs/ecs.config
            echo \${Env}-\${AWS::Region}-\${!Literal} \${Role.Arn}
      Joined: !Join [":", ["arn", !Ref AWS::Partition, !GetAtt Role.Arn, !Ref Env]]
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      Parameters:
        ClusterName: !Ref Cluster
Outputs:
  RoleArn:
    Value: !GetAtt Role.Arn
    Export: { Name: !Sub "\${AWS::StackName}-role" }
  Note:
    Value: !Sub "role \${Role}"
`;

function template(): Template {
  const pf = parseFile('/t/stack.yaml', TEXT);
  return new Model([pf]).templates[0]!;
}

const show = (pieces: CfnPiece[]) =>
  pieces.map((p) => (p.kind === 'text' ? `"${p.text}"` : p.kind === 'ref' ? `ref ${p.resource.logicalId}${p.attribute ? '.' + p.attribute : ''}` : `unknown (${p.reason})${p.written ? ' ' + p.written : ''}`));

describe('CloudFormation value pieces', () => {
  it('reads Fn::Sub (through Fn::Base64) into text, references and unknowns', () => {
    const t = template();
    const props = t.resources.get('Launch')!.props;
    const user = props.obj('LaunchTemplateData')!.prop('UserData').node!;
    expect(show(t.pieces(user))).toEqual([
      '"echo ECS_CLUSTER="',
      'ref Cluster',
      '" >> /etc/ecs/ecs.config\necho "',
      'unknown (parameter Env) ${Env}',
      '"-"',
      '"${AWS::Region}"',
      '"-"',
      '"${Literal}"',
      '" "',
      'ref Role.Arn',
      '"\n"',
    ]);
  });

  it('reads Fn::Join item by item, with its delimiter', () => {
    const t = template();
    const joined = t.resources.get('Launch')!.props.prop('Joined').node!;
    expect(show(t.pieces(joined))).toEqual(['"arn"', '":"', '"aws"', '":"', 'ref Role.Arn', '":"', 'unknown (parameter Env)']);
  });
});

describe('the reference graph', () => {
  it('knows what refers to a resource, which outputs give it out and whether they export it', () => {
    const t = template();
    const role = t.resources.get('Role')!;
    expect(t.referrers(role).map((r) => `${r.section}/${r.from} ${r.ref.via}`)).toEqual(['Resources/Launch Fn::Sub', 'Resources/Launch Fn::GetAtt', 'Outputs/RoleArn Fn::GetAtt', 'Outputs/Note Fn::Sub']);
    expect(t.outputsOf(role).map((o) => `${o.name} ${o.exported ? 'exported' : 'not exported'} ${o.via}`)).toEqual(['RoleArn exported Fn::GetAtt', 'Note not exported Fn::Sub']);
    expect(t.handedOut(role)).toBe(true);
  });

  it('a nested stack parameter hands a resource out; a resource used only inside the template is not', () => {
    const t = template();
    expect(t.handedOut(t.resources.get('Cluster')!)).toBe(true);
    expect(t.outputsOf(t.resources.get('Cluster')!)).toEqual([]);
    expect(t.handedOut(t.resources.get('Launch')!)).toBe(false);
    expect(isMap(t.root.get('Outputs'))).toBe(true);
  });
});
