import { defineRule } from '../../engine/rule.js';
import { k8sSchemaFindingsOf } from './lib/schema.js';
import { isStorageClass } from '../eks/lib/storage.js';

export default defineRule({
  id: 'k8s/field-type',
  severity: 'error',
  description: 'Kubernetes object fields must have the type their kind expects (a string label value, a whole-number port).',
  check({ model, report }) {
    for (const obj of model.k8sObjects) {
      // A StorageClass parameter that is not a string is eks/storage-class-parameters' finding, at the same value.
      const params = isStorageClass(obj) ? obj.props.obj('parameters')?.node : undefined;
      for (const f of k8sSchemaFindingsOf(obj, 'field-type')) if (!params?.kv.includes(f.node)) report(f.node, f.message);
    }
  },
});
