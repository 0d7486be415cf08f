import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ec2/imds-v2',
  severity: 'warning',
  description: 'Container instances should require IMDSv2 (HttpTokens: required).',
  check() {
    // TODO: implemented in this issue.
  },
});
