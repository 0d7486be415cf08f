import { defineRule } from '../../engine/rule.js';
import { isPlaceholder } from '../k8s/lib/schema.js';
import { schemaFindings } from '../lib/schema-findings.js';
import { eksctlValidator } from './lib/schema.js';

export default defineRule({
  id: 'eksctl/schema',
  severity: 'error',
  description: 'eksctl ClusterConfig files must match eksctl\'s schema: no unknown keys, no values of the wrong type.',
  meta: {
    messages: {
      invalid: 'ClusterConfig "{{config}}": {{problem}}',
    },
  },
  check({ model, report }) {
    for (const config of model.eksctlConfigs) {
      const findings = schemaFindings(eksctlValidator(), config.props.node, {
        // `${VAR}`, bare `$VAR` and `{{ }}` placeholders are filled in before eksctl reads the file.
        isUnknown: isPlaceholder,
        // eksctl reads YAML with go-yaml (YAML 1.1): unquoted yes/no/on/off are booleans.
        yaml11Booleans: true,
      });
      for (const f of findings) report(f.node, 'invalid', { config: config.label, problem: f.message });
    }
  },
});
