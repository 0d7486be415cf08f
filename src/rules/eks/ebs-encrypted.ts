import { defineRule } from '../../engine/rule.js';
import { classBackend, className, fileStorageClasses, isEbs, missingAt, parameter } from './lib/storage.js';

export default defineRule({
  id: 'eks/ebs-encrypted',
  severity: 'warning',
  description: 'EBS StorageClasses should encrypt the volumes they create (encrypted: "true").',
  check({ model, report }) {
    for (const sc of fileStorageClasses(model)) {
      if (!isEbs(classBackend(sc))) continue;
      const enc = parameter(sc, 'encrypted');
      if (enc === undefined || enc.unknown) continue;
      if (enc.absent) {
        report(missingAt(sc), `StorageClass "${className(sc)}" creates EBS volumes without the encrypted parameter, so they are unencrypted unless the account enables EBS encryption by default; add encrypted: "true" (and kmsKeyId for a customer managed key).`);
      } else if (enc.bool() === false) {
        report(enc, `StorageClass "${className(sc)}" sets encrypted to "${enc.str() ?? '?'}", so its EBS volumes are unencrypted unless the account enables EBS encryption by default; set encrypted: "true".`);
      }
    }
  },
});
