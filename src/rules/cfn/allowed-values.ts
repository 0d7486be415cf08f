import { defineRule } from '../../engine/rule.js';
import { templateFindings } from './lib/validate.js';

export default defineRule({
  id: 'cfn/allowed-values',
  severity: 'error',
  description: 'Property values must be one of the values the resource type allows.',
  check({ model, report }) {
    for (const template of model.templates) {
      for (const f of templateFindings(template)) if (f.check === 'allowed-values') report(f.node, f.message);
    }
  },
});
