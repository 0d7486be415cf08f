/**
 * Rule options (`meta.schema`, `defaultOptions`, a config's `[severity, options]`): each option
 * silences or adds exactly what it says.
 */
import { describe, it } from 'vitest';
import { RuleTester } from '../src/testing/index.js';
import imageTag from '../src/rules/k8s/image-tag.js';
import noPrivileged from '../src/rules/k8s/no-privileged.js';
import readonlyRootFilesystem from '../src/rules/k8s/readonly-root-filesystem.js';
import runAsNonRoot from '../src/rules/k8s/run-as-non-root.js';
import supportedVersion from '../src/rules/eks/supported-version.js';

RuleTester.describe = describe;
RuleTester.it = it;

describe('k8s options', () => {
  const tester = new RuleTester();

  /** A Deployment with one container per image, each with the given securityContext. */
  const deployment = (images: string[], securityContext: string) =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: agents',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      ...images.flatMap((image, i) => [`        - name: c${i}`, `          image: ${image}`, `          securityContext: ${securityContext}`]),
      '',
    ].join('\n');

  const images = ['public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.30.0', 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0', 'example.com/shop/api:1.2.3'];
  const allowImages = ['public.ecr.aws/ebs-csi-driver/*', '*/aws-for-fluent-bit:*'];

  tester.run(noPrivileged, {
    valid: [{ name: 'every image allowed', filename: 'a.yaml', code: deployment(images.slice(0, 2), '{ privileged: true }'), options: { allowImages } }],
    invalid: [
      {
        name: 'allowImages silences exactly the matching images',
        filename: 'a.yaml',
        code: deployment(images, '{ privileged: true }'),
        options: { allowImages },
        errors: [{ messageId: 'privileged', line: 17, column: 42, data: { container: 'Container "c2" of Deployment "agents"', key: 'securityContext.privileged' } }],
      },
      { name: 'no option: every privileged container', filename: 'a.yaml', code: deployment(images, '{ privileged: true }'), errors: 3 },
    ],
  });

  tester.run(readonlyRootFilesystem, {
    invalid: [
      {
        name: 'allowImages silences exactly the matching images',
        filename: 'a.yaml',
        code: deployment(images, '{ readOnlyRootFilesystem: false }'),
        options: { allowImages },
        errors: [{ messageId: 'writable', line: 17, column: 54 }],
      },
      { name: 'no option', filename: 'a.yaml', code: deployment(images, '{ readOnlyRootFilesystem: false }'), errors: 3 },
    ],
  });

  tester.run(runAsNonRoot, {
    invalid: [
      {
        name: 'allowImages silences exactly the matching images (a log router that starts as root)',
        filename: 'a.yaml',
        code: deployment(images, '{ runAsUser: 0 }'),
        options: { allowImages: ['*/aws-for-fluent-bit:*'] },
        errors: [
          { messageId: 'root', line: 11, column: 41 },
          { messageId: 'root', line: 17, column: 41 },
        ],
      },
      { name: 'no option', filename: 'a.yaml', code: deployment(images, '{ runAsUser: 0 }'), errors: 3 },
    ],
  });

  const tagged = ['busybox', 'nginx:latest', 'example.com/shop/api:main', 'example.com/shop/api:1.2.3'];
  tester.run(imageTag, {
    valid: [{ name: 'latest allowed: untagged images count as latest', filename: 'a.yaml', code: deployment(tagged, '{}'), options: { allowTags: ['latest'] } }],
    invalid: [
      {
        name: 'a tag that is not listed is still reported',
        filename: 'a.yaml',
        code: deployment(tagged, '{}'),
        options: { allowTags: ['lat?st-*'] },
        errors: [
          { messageId: 'untagged', line: 10, column: 18, data: { container: 'Container "c0" of Deployment "agents"', image: 'busybox' } },
          { messageId: 'latest', line: 13, column: 18 },
        ],
      },
      { name: 'no option', filename: 'a.yaml', code: deployment(tagged, '{}'), errors: 2 },
    ],
  });
});

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
