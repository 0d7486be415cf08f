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
