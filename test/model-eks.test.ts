/**
 * The EKS views of the model (src/model/eks.ts): one cluster notion across CloudFormation, the CDK
 * aws-eks custom resource and eksctl, and answers that keep the reason when they cannot be known.
 */
import { describe, expect, it } from 'vitest';
import { parseFile } from '../src/parsers/index.js';
import { Model } from '../src/model/model.js';
import { EksCluster, EksctlClusterConfig } from '../src/model/eks.js';

function model(files: Record<string, string>): Model {
  return new Model(Object.entries(files).map(([path, text]) => parseFile(path, text)));
}

const TEMPLATE = `Parameters:
  LogTypes:
    Type: CommaDelimitedList
Resources:
  Orders:
    Type: AWS::EKS::Cluster
    Properties:
      Name: orders
      Version: '1.32'
      ResourcesVpcConfig:
        EndpointPublicAccess: true
        PublicAccessCidrs: [10.0.0.0/8, 0.0.0.0/0]
      Logging:
        ClusterLogging:
          EnabledTypes: [{ Type: api }, { Type: audit }]
      EncryptionConfig:
        - Resources: [secrets]
          Provider: { KeyArn: arn:aws:kms:eu-west-1:111122223333:key/abc }
  Payments:
    Type: AWS::EKS::Cluster
    Properties:
      Version: !Ref AWS::NoValue
      ResourcesVpcConfig:
        SubnetIds: [subnet-1]
      Logging:
        ClusterLogging:
          EnabledTypes: !Ref LogTypes
  Legacy:
    Type: Custom::AWSCDK-EKS-Cluster
    Properties:
      Config:
        version: '1.30'
        logging: { clusterLogging: [{ enabled: true, types: [api] }] }
  ConfigLess:
    Type: Custom::AWSCDK-EKS-Cluster
    Properties:
      ServiceToken: arn:aws:lambda:eu-west-1:111122223333:function:provider
  Observability:
    Type: AWS::EKS::Addon
    Properties:
      AddonName: amazon-cloudwatch-observability
      ClusterName: !Ref Orders
  Spot:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: !Ref Orders
      CapacityType: SPOT
      InstanceTypes: [m5.large]
`;

const ESKCTL = `apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: staging
  region: eu-west-1
  version: 1.30
secretsEncryption: {}
cloudWatch:
  clusterLogging:
    enableTypes: ["*"]
vpc:
  clusterEndpoints: { publicAccess: "\${PUBLIC}" }
managedNodeGroups:
  - name: web
    spot: true
nodeGroups:
  - name: legacy
addons:
  - name: vpc-cni
`;

describe('EKS clusters', () => {
  const m = model({ 'stack.yaml': TEMPLATE, 'cluster.yaml': ESKCTL });
  const clusters = m.kubernetesClusters();
  const byLabel = (l: string) => clusters.find((c) => c.label === l)!;

  it('come from CloudFormation, the CDK custom resource (with a Config) and eksctl', () => {
    expect(clusters.map((c) => [c.label, c.source])).toEqual([
      ['Orders', 'cloudformation'],
      ['Payments', 'cloudformation'],
      ['Legacy', 'cdk-custom-resource'],
      ['staging', 'eksctl'],
    ]);
    expect(m.eksClusters.map((c) => c.label)).toEqual(['Orders', 'Payments', 'Legacy', 'ConfigLess']);
    expect(m.eksNodegroups.map((n) => [n.label, n.capacityType.str()])).toEqual([['Spot', 'SPOT']]);
    expect(m.eksAddons.map((a) => a.addonName.str())).toEqual(['amazon-cloudwatch-observability']);
  });

  it('read the version as written, and say why it cannot be known', () => {
    expect(byLabel('Orders').kubernetesVersion()).toEqual({ kind: 'known', value: { major: 1, minor: 32, text: '1.32' } });
    expect(byLabel('Legacy').kubernetesVersion()).toEqual({ kind: 'known', value: { major: 1, minor: 30, text: '1.30' } });
    // An unquoted YAML number is read as written: 1.30, not 1.3.
    expect(byLabel('staging').kubernetesVersion()).toEqual({ kind: 'known', value: { major: 1, minor: 30, text: '1.30' } });
    expect(byLabel('Payments').kubernetesVersion()).toEqual({ kind: 'absent' });
  });

  it('answer control plane logging in one shape', () => {
    expect(byLabel('Orders').controlPlaneLogging()).toMatchObject({ types: ['api', 'audit'], audit: true });
    expect(byLabel('Legacy').controlPlaneLogging()).toMatchObject({ types: ['api'], audit: false });
    expect(byLabel('staging').controlPlaneLogging()).toMatchObject({ types: ['*'], audit: true });
    expect(byLabel('Payments').controlPlaneLogging()).toEqual({ kind: 'unknown', reason: 'parameter LogTypes' });
  });

  it('answer the public endpoint, secrets encryption and add-ons', () => {
    const open = byLabel('Orders').publicEndpoint();
    expect(open).toMatchObject({ open: true });
    expect(!('kind' in open) && open.open && open.cidr?.str()).toBe('0.0.0.0/0');
    expect(byLabel('staging').publicEndpoint()).toEqual({ kind: 'unknown', reason: 'placeholder in "${PUBLIC}"' });
    expect(byLabel('Orders').secretsEncryption()).toMatchObject({ encrypted: 'yes' });
    expect(byLabel('Payments').secretsEncryption()).toMatchObject({ encrypted: 'no' });
    expect(byLabel('staging').secretsEncryption()).toMatchObject({ encrypted: 'no' });
    expect(m.clusterHasAddon(byLabel('Orders'), 'amazon-cloudwatch-observability')).toBe('yes');
    expect(m.clusterHasAddon(byLabel('Payments'), 'amazon-cloudwatch-observability')).toBe('no');
    expect(m.clusterHasAddon(byLabel('staging'), 'amazon-cloudwatch-observability')).toBe('no');
    expect(m.clusterHasAddon(byLabel('staging'), 'vpc-cni')).toBe('yes');
  });

  it('give eksctl node groups as views', () => {
    const c = byLabel('staging');
    expect(c).toBeInstanceOf(EksctlClusterConfig);
    expect(byLabel('Orders')).toBeInstanceOf(EksCluster);
    const cfg = c as EksctlClusterConfig;
    expect(cfg.managedNodeGroups.map((g) => [g.label, g.managed, g.spot.bool()])).toEqual([['web', true, true]]);
    expect(cfg.nodeGroups.map((g) => [g.label, g.managed])).toEqual([['legacy', false]]);
    expect(cfg.describesCluster).toBe(true);
  });
});
