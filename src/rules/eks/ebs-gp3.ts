import { defineRule, key } from '../../engine/rule.js';
import { isUnknown } from '../../model/answer.js';
import { classBackend, className, fileStorageClasses, isEbs, missingAt, parameter, EBS_CSI } from './lib/storage.js';

export default defineRule({
  id: 'eks/ebs-gp3',
  severity: 'info',
  recommended: false,
  description: 'EBS StorageClasses should create gp3 volumes rather than gp2.',
  meta: {
    messages: {
      gp2: 'StorageClass "{{storageClass}}" creates gp2 EBS volumes; set {{key}}: gp3, which costs up to 20% less per GiB and gives 3,000 IOPS and 125 MiB/s at any size.',
      inTreeDefault: 'StorageClass "{{storageClass}}" uses the in-tree provisioner without {{key}}, so its EBS volumes are gp2; set {{key}}: gp3 (or provisioner: {{csiDriver}}, whose default is gp3).',
    },
  },
  check({ model, report }) {
    for (const sc of fileStorageClasses(model)) {
      const backend = classBackend(sc);
      if (!isEbs(backend)) continue;
      const type = parameter(sc, 'type');
      if (isUnknown(type) || type.unknown) continue;
      if (type.isCI('gp2')) report(type, 'gp2', { storageClass: className(sc), key: key('type') });
      else if (type.absent && backend === 'ebs-in-tree') report(missingAt(sc), 'inTreeDefault', { storageClass: className(sc), key: key('parameters.type'), csiDriver: EBS_CSI });
    }
  },
});
