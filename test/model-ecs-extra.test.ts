// The ECS questions of src/model/ecs-extra.ts: what an instance's boot does for ECS, private ECR
// images, secret stores and awslogs options, each with the reason when the answer is unknown.
import { describe, expect, it } from 'vitest';
import { parseFile } from '../src/parsers/index.js';
import { Model } from '../src/model/model.js';
import { ecrImage, LogConfiguration, secretSource } from '../src/model/ecs-extra.js';

function model(text: string, path = 't.yaml'): Model {
  return new Model([parseFile(path, text)]);
}

const launcher = (userData: string, extra = '') => `
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Extra: { Type: String }
Resources:
  Cluster: { Type: AWS::ECS::Cluster }
${extra}
  Lc:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-123
      InstanceType: t3.small
      UserData:
        Fn::Base64: !Sub |
${userData
  .split('\n')
  .map((l) => `          ${l}`)
  .join('\n')}
`;

describe('Queryable.ecsInstanceBoot', () => {
  const boot = (userData: string, extra = '') => {
    const m = model(launcher(userData, extra));
    return m.ecsInstanceBoot(m.launchConfigurations[0]!);
  };

  it('answers no for an ECS instance that sets only its cluster', () => {
    expect(boot('#!/bin/bash\necho ECS_CLUSTER=${Cluster} >> /etc/ecs/ecs.config')).toEqual({ joinsEcs: true, windows: false, blocksTaskImds: 'no' });
  });

  it('answers yes for the agent setting and for a firewall rule on the metadata address', () => {
    expect(boot('echo ECS_CLUSTER=${Cluster} >> /etc/ecs/ecs.config\necho ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config')?.blocksTaskImds).toBe('yes');
    expect(boot('echo ECS_CLUSTER=${Cluster} >> /etc/ecs/ecs.config\niptables --insert DOCKER-USER 1 --destination 169.254.169.254/32 --jump DROP')?.blocksTaskImds).toBe('yes');
    // Set to false: not blocked.
    expect(boot('echo ECS_CLUSTER=${Cluster} >> /etc/ecs/ecs.config\necho ECS_AWSVPC_BLOCK_IMDS=false >> /etc/ecs/ecs.config')?.blocksTaskImds).toBe('no');
  });

  it('answers unknown with the reason: a download of agent configuration, a piece that may hold the setting', () => {
    expect(boot('echo ECS_CLUSTER=${Cluster} >> /etc/ecs/ecs.config\naws s3 cp s3://bucket/ecs.config /etc/ecs/ecs.config')?.blocksTaskImds).toEqual({
      kind: 'unknown',
      reason: 'the boot downloads ECS agent configuration or a script',
    });
    expect(boot('echo ECS_CLUSTER=${Cluster} >> /etc/ecs/ecs.config\necho ${Extra} >> /etc/ecs/ecs.config')?.blocksTaskImds).toEqual({
      kind: 'unknown',
      reason: 'the boot text holds ${Extra}, which cannot be known from the run',
    });
    // A piece that is another command's argument cannot hold the setting.
    expect(boot('echo ECS_CLUSTER=${Cluster} >> /etc/ecs/ecs.config\nmkdir -p ${Extra}')?.blocksTaskImds).toBe('no');
  });

  it('tells Windows instances and launchers that do not configure ECS', () => {
    expect(boot('<powershell>\nInitialize-ECSAgent -Cluster ${Cluster}\n</powershell>')).toMatchObject({ joinsEcs: false, windows: true });
    expect(boot('#!/bin/bash\nyum install -y nginx')).toMatchObject({ joinsEcs: false, windows: false });
  });
});

describe('ecrImage', () => {
  const image = (value: string, extra = '') => {
    const m = model(`
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Image: { Type: String }
Resources:
  Repo: { Type: AWS::ECR::Repository }
${extra}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: ${value}
`);
    return ecrImage(m.taskDefinitions[0]!.containers[0]!.image);
  };

  it('answers yes for a registry host of ECR and for the RepositoryUri of a repository of the template', () => {
    expect(image('123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.2')).toBe('yes');
    expect(image('!Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app:1"')).toBe('yes');
    expect(image('!Sub "${Repo.RepositoryUri}:latest"')).toBe('yes');
    expect(image('!Join [":", [!GetAtt Repo.RepositoryUri, "1"]]')).toBe('yes');
  });

  it('answers no for a public image and unknown, with the reason, for a parameter', () => {
    expect(image('public.ecr.aws/nginx/nginx:1.27')).toBe('no');
    expect(image('nginx:1.27')).toBe('no');
    expect(image('!Ref Image')).toEqual({ kind: 'unknown', reason: 'parameter Image' });
  });
});

describe('secretSource', () => {
  const m = model(`
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Name: { Type: String }
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy: { Version: '2012-10-17', Statement: [] }
  Secret:
    Type: AWS::SecretsManager::Secret
    Properties: { KmsKeyId: !Ref Key }
  Param: { Type: AWS::SSM::Parameter, Properties: { Type: String, Value: x } }
  Bucket: { Type: AWS::S3::Bucket }
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: nginx
          Secrets:
            - { Name: A, ValueFrom: !Ref Secret }
            - { Name: B, ValueFrom: !Ref Param }
            - { Name: C, ValueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/aws/reference/secretsmanager/db' }
            - { Name: D, ValueFrom: /app/db-password }
            - { Name: E, ValueFrom: !Ref Bucket }
            - { Name: F, ValueFrom: !Ref Name }
`);
  const from = m.taskDefinitions[0]!.containers[0]!.props.prop('Secrets').objects().map((o) => o.prop('ValueFrom'));

  it('names the store, and the key policy of a secret encrypted with a key of the template', () => {
    const a = secretSource(from[0]!);
    expect(a).toMatchObject({ store: 'secrets-manager' });
    expect('keyPolicy' in a && a.keyPolicy?.prop('Version').str()).toBe('2012-10-17');
    expect(secretSource(from[1]!)).toEqual({ store: 'parameter-store' });
    expect(secretSource(from[2]!)).toEqual({ store: 'parameter-store-to-secrets-manager' });
    expect(secretSource(from[3]!)).toEqual({ store: 'parameter-store' });
  });

  it('answers unknown with the reason otherwise; registry credentials take ARNs only', () => {
    expect(secretSource(from[4]!)).toEqual({ kind: 'unknown', reason: 'ValueFrom refers to a AWS::S3::Bucket, not a secret' });
    expect(secretSource(from[5]!)).toEqual({ kind: 'unknown', reason: 'parameter Name' });
    expect(secretSource(from[3]!, true)).toEqual({ kind: 'unknown', reason: 'ValueFrom is not a Secrets Manager or Parameter Store ARN' });
  });
});

describe('LogConfiguration', () => {
  it('lists the options as written, each located at its key, without intrinsic keys', () => {
    const m = model(
      JSON.stringify({
        family: 'f',
        containerDefinitions: [{ name: 'app', image: 'nginx', logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g', 'Awslogs-Region': 'r', 7: 'x' } } }],
      }),
      'td.json',
    );
    const log = LogConfiguration.of(m.taskDefinitions[0]!.containers[0]!)!;
    expect(log.driver.str()).toBe('awslogs');
    const entries = log.optionEntries();
    expect(entries.map((p) => [p.name, p.key?.start, p.str()])).toEqual([
      ['7', entries[0]!.key!.start, 'x'],
      ['awslogs-group', entries[1]!.key!.start, 'g'],
      ['Awslogs-Region', entries[2]!.key!.start, 'r'],
    ]);
    // Option names are case-sensitive.
    expect(log.option('awslogs-region').absent).toBe(true);
    expect(log.option('Awslogs-Region').str()).toBe('r');
  });
});
