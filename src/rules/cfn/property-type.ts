import { defineRule } from '../../engine/rule.js';
import { templateFindings } from './lib/validate.js';

export default defineRule({
  id: 'cfn/property-type',
  severity: 'error',
  description: 'Property values must have the type the resource type expects.',
  check({ model, report }) {
    for (const template of model.templates) {
      for (const f of templateFindings(template)) if (f.check === 'property-type') report(f.node, f.message);
    }
  },
});
