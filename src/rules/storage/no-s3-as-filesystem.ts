import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'storage/no-s3-as-filesystem',
  severity: 'warning',
  description: 'Do not mount S3 as a file system in containers; use EFS for shared file storage.',
  check() {
    // TODO: implemented in this issue.
  },
});
