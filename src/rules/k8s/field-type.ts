import { defineRule } from '../../engine/rule.js';
import { StorageClass } from '../../model/k8s.js';
import { FIELD_TYPE_MESSAGES, k8sSchemaFindingsOf } from './lib/schema.js';

export default defineRule<Record<string, never>, string>({
  id: 'k8s/field-type',
  severity: 'error',
  description: 'Kubernetes object fields must have the type their kind expects (a string label value, a whole-number port).',
  meta: { messages: FIELD_TYPE_MESSAGES },
  check({ model, report }) {
    for (const obj of model.k8sObjects) {
      // A StorageClass parameter that is not a string is eks/storage-class-parameters' finding, at the same value.
      const params = obj instanceof StorageClass && /^storage\.k8s\.io\//.test(obj.props.prop('apiVersion').str() ?? '') ? obj.parameters?.node : undefined;
      for (const f of k8sSchemaFindingsOf(obj, 'field-type')) if (!params?.kv.includes(f.node)) report(f.node, f.messageId, f.data);
    }
  },
});
