import { defineRule } from '../../engine/rule.js';
import { classBackend, className, fileStorageClasses, isEbs, missingAt, parameter } from './lib/storage.js';

export default defineRule({
  id: 'eks/ebs-gp3',
  severity: 'info',
  recommended: false,
  description: 'EBS StorageClasses should create gp3 volumes rather than gp2.',
  check({ model, report }) {
    for (const sc of fileStorageClasses(model)) {
      const backend = classBackend(sc);
      if (!isEbs(backend)) continue;
      const type = parameter(sc, 'type');
      if (type === undefined || type.unknown) continue;
      if (type.isCI('gp2')) {
        report(type, `StorageClass "${className(sc)}" creates gp2 EBS volumes; use type: gp3, which costs up to 20% less per GiB and gives 3,000 IOPS and 125 MiB/s at any size.`);
      } else if (type.absent && backend === 'ebs-in-tree') {
        report(missingAt(sc), `StorageClass "${className(sc)}" uses the in-tree provisioner without a type parameter, so its EBS volumes default to gp2; set type: gp3 (with provisioner: ebs.csi.aws.com, whose default is gp3).`);
      }
    }
  },
});
