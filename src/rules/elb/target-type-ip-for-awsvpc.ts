import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'elb/target-type-ip-for-awsvpc',
  severity: 'error',
  description: 'Target groups of awsvpc services must use the ip target type.',
  check() {
    // TODO: implemented in this issue.
  },
});
