import { defineRule } from '../../engine/rule.js';
import { templateFindings } from './lib/validate.js';

export default defineRule({
  id: 'cfn/unknown-resource-type',
  severity: 'error',
  description: 'Resource types must exist in CloudFormation (custom and registry types excepted).',
  check({ model, report }) {
    for (const template of model.templates) {
      for (const f of templateFindings(template)) if (f.check === 'unknown-resource-type') report(f.node, f.message);
    }
  },
});
