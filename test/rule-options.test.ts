/**
 * Rule options: what each option silences or adds, through the RuleTester (options checked against
 * the rule's `meta.schema` and merged over its `defaultOptions`, as a config's `[severity, options]`).
 */
import { describe, it } from 'vitest';
import supportedVersion from '../src/rules/eks/supported-version.js';
import { RuleTester } from '../src/testing/index.js';

RuleTester.describe = describe;
RuleTester.it = it;

describe('eks options', () => {
  // The suite pins the day: STOWAGE_TODAY=2026-12-01 (vitest.config.ts). On that day 1.32 and 1.33 are in
  // extended support, 1.31 and 1.24 past its end, 1.35 in standard support.
  const template = `Resources:
  Extended:
    Type: AWS::EKS::Cluster
    Properties:
      Version: '1.32'
  AlsoExtended:
    Type: AWS::EKS::Cluster
    Properties:
      Version: '1.33'
  Ended:
    Type: AWS::EKS::Cluster
    Properties:
      Version: '1.31'
  Ancient:
    Type: AWS::EKS::Cluster
    Properties:
      Version: '1.24'
  Current:
    Type: AWS::EKS::Cluster
    Properties:
      Version: '1.35'
`;
  const eksctl = `apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: staging
  region: eu-west-1
  version: "1.32"
`;
  const extended = (line: number, cluster: string, version: string, since: string, until: string) => ({
    messageId: 'extended',
    message: `EKS cluster "${cluster}" runs Kubernetes ${version}, in paid EKS extended support since ${since} and until ${until}; set Version to a version in standard support (1.34, 1.35).`,
    line,
    column: 16,
    endLine: line,
    endColumn: 22,
  });
  const ended = { messageId: 'ended', line: 13, column: 16, endLine: 13, endColumn: 22 };
  const beforeCalendar = { messageId: 'beforeCalendar', line: 17, column: 16, endLine: 17, endColumn: 22 };

  new RuleTester().run(supportedVersion, {
    valid: [
      { name: 'allowExtendedSupport: true accepts a ClusterConfig in extended support', code: eksctl, filename: 'cluster.yaml', options: { allowExtendedSupport: true } },
    ],
    invalid: [
      {
        name: 'by default, versions in extended support are reported with those past its end',
        code: template,
        filename: 'template.yaml',
        errors: [extended(5, 'Extended', '1.32', '2026-03-23', '2027-03-23'), extended(9, 'AlsoExtended', '1.33', '2026-07-29', '2027-07-29'), ended, beforeCalendar],
      },
      {
        name: 'allowExtendedSupport: false is the default',
        code: template,
        filename: 'template.yaml',
        options: { allowExtendedSupport: false },
        errors: [extended(5, 'Extended', '1.32', '2026-03-23', '2027-03-23'), extended(9, 'AlsoExtended', '1.33', '2026-07-29', '2027-07-29'), ended, beforeCalendar],
      },
      {
        name: 'allowExtendedSupport: true silences exactly the versions in extended support',
        code: template,
        filename: 'template.yaml',
        options: { allowExtendedSupport: true },
        errors: [ended, beforeCalendar],
      },
      {
        name: 'without the option, the ClusterConfig in extended support is reported',
        code: eksctl,
        filename: 'cluster.yaml',
        errors: [{ messageId: 'extended', data: { cluster: 'ClusterConfig "staging"', version: '1.32', key: 'metadata.version', supported: '1.34, 1.35', endOfStandard: '2026-03-23', endOfExtended: '2027-03-23' }, line: 6, column: 12 }],
      },
    ],
  });
});
