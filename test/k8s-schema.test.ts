import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/engine/config.js';
import { lint } from '../src/engine/lint.js';
import fieldType from '../src/rules/k8s/field-type.js';
import unknownField from '../src/rules/k8s/unknown-field.js';
import { definitionOf, k8sSchema } from '../src/rules/k8s/lib/schema.js';
import { ROOT } from './helpers/fixtures.js';

/** Findings of the two Kubernetes schema rules on an in-memory manifest: `line:column rule`. */
function check(text: string, path = '/virtual/manifest.yaml'): string[] {
  const out = lint([{ path, text, explicit: true }], {
    rules: [unknownField, fieldType],
    config: { ...defaultConfig(ROOT), preset: 'all' },
    cliRules: { [unknownField.id]: 'error', [fieldType.id]: 'error' },
  });
  return out.results.flatMap((r) => r.findings.map((f) => `${f.line}:${f.column} ${f.ruleId}`));
}

describe('generated/k8s/schema.json (scripts/gen-k8s-spec.mjs)', () => {
  const { definitions, kinds, source } = k8sSchema();

  it('names its source and has every modelled kind in its current API version', () => {
    expect(source).toMatch(/^kubernetes-models@\d+\.\d+\.\d+$/);
    expect(kinds['v1']).toMatchObject({ Pod: 'core/v1/Pod', Service: 'core/v1/Service', PersistentVolumeClaim: 'core/v1/PersistentVolumeClaim' });
    expect(kinds['apps/v1']).toMatchObject({ Deployment: 'apps/v1/Deployment', StatefulSet: 'apps/v1/StatefulSet', DaemonSet: 'apps/v1/DaemonSet' });
    expect(kinds['batch/v1']).toMatchObject({ Job: 'batch/v1/Job', CronJob: 'batch/v1/CronJob' });
    expect(kinds['networking.k8s.io/v1']).toMatchObject({ Ingress: 'networking.k8s.io/v1/Ingress', IngressClass: 'networking.k8s.io/v1/IngressClass' });
    expect(kinds['storage.k8s.io/v1']).toMatchObject({ StorageClass: 'storage.k8s.io/v1/StorageClass' });
  });

  it('keeps older API versions, each with its own fields', () => {
    expect(definitionOf('extensions/v1beta1', 'Ingress')).toBe('extensions/v1beta1/Ingress');
    expect(definitions['extensions/v1beta1/IngressBackend']?.properties).toHaveProperty('serviceName');
    expect(definitions['networking.k8s.io/v1/IngressBackend']?.properties).not.toHaveProperty('serviceName');
    expect(definitionOf('batch/v1beta1', 'CronJob')).toBeDefined();
  });

  it('skips kinds and versions it does not have', () => {
    expect(definitionOf('apps/v1beta3', 'Deployment')).toBeUndefined();
    expect(definitionOf('serving.knative.dev/v1', 'Service')).toBeUndefined();
    expect(definitionOf('v1', 'ConfigMap')).toBeUndefined();
  });

  it('closes objects, and keeps int-or-string, quantities, integers and free content apart', () => {
    const port = definitions['core/v1/ServicePort']!;
    expect(port.additionalProperties).toBe(false);
    expect(port.properties!['port']).toEqual({ type: 'integer' });
    expect(port.properties!['targetPort']).toEqual({ type: ['integer', 'string'], format: 'int-or-string' });
    expect(definitions['core/v1/ResourceRequirements']!.properties!['limits']).toEqual({
      type: 'object',
      additionalProperties: { type: ['number', 'string'], format: 'quantity' },
    });
    expect(definitions['core/v1/PodSpec']!.properties!['terminationGracePeriodSeconds']).toEqual({ type: 'integer' });
    expect(definitions['meta/v1/ObjectMeta']!.properties!['labels']).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
    expect(definitions['meta/v1/FieldsV1']).toEqual({});
    expect(definitions['apps/v1/Deployment']!.properties!['status']).toEqual({});
  });
});

describe('k8s/unknown-field and k8s/field-type', () => {
  it('find a typo and a value of the wrong type at the key and the value', () => {
    const text = ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: api', 'spec:', '  prots: []', '  type: 1', ''].join('\n');
    expect(check(text)).toEqual(['6:3 k8s/unknown-field', '7:9 k8s/field-type']);
  });

  it('leave YAML 1.1 booleans, nulls, placeholders and patch directives alone', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: api',
      '  labels:',
      '    team:',
      'spec:',
      '  hostNetwork: no',
      '  terminationGracePeriodSeconds: ${GRACE}',
      '  $setElementOrder/containers: [{name: api}]',
      '  containers:',
      '    - name: api',
      '      image: ${IMAGE}',
      '      ports:',
      '        - containerPort: $PORT',
      '',
    ].join('\n');
    expect(check(text)).toEqual([]);
  });

  it('read unquoted yes/no/on/off as kubectl does (YAML 1.1 booleans): fine for a boolean, wrong for a string', () => {
    const text = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: api', '  labels:', '    country: NO', '    quoted: "NO"', 'spec:', '  hostIPC: off', '  containers: []', ''].join('\n');
    expect(check(text)).toEqual(['6:14 k8s/field-type']);
  });

  it('check JSON manifests too, where every string is quoted', () => {
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'a' }, automountServiceAccountToken: 'false' }, null, 2);
    expect(check(text, '/virtual/sa.json')).toEqual(['7:35 k8s/field-type']);
  });
});
