import { defineRule, key } from '../../engine/rule.js';
import { isUnknown } from '../../model/answer.js';
import { classBackend, className, fileStorageClasses, isEbs, missingAt, parameter } from './lib/storage.js';

export default defineRule({
  id: 'eks/ebs-encrypted',
  severity: 'warning',
  description: 'EBS StorageClasses should encrypt the volumes they create (encrypted: "true").',
  meta: {
    messages: {
      notSet: 'StorageClass "{{storageClass}}" creates EBS volumes without {{key}}, so they are unencrypted unless the account encrypts by default; add {{key}}: "true".',
      disabled: 'StorageClass "{{storageClass}}" sets {{key}} to "{{value}}", so its EBS volumes are unencrypted unless the account encrypts by default; set {{key}}: "true".',
    },
  },
  check({ model, report }) {
    for (const sc of fileStorageClasses(model)) {
      if (!isEbs(classBackend(sc))) continue;
      const enc = parameter(sc, 'encrypted');
      if (isUnknown(enc) || enc.unknown) continue;
      if (enc.absent) report(missingAt(sc), 'notSet', { storageClass: className(sc), key: key('parameters.encrypted') });
      else if (enc.bool() === false) report(enc, 'disabled', { storageClass: className(sc), key: key('encrypted'), value: enc.str() ?? '?' });
    }
  },
});
