import { defineRule } from '../../engine/rule.js';
import { classBackend, className, fileStorageClasses, isEbs } from './lib/storage.js';

export default defineRule({
  id: 'eks/ebs-volume-binding',
  severity: 'warning',
  description: 'EBS StorageClasses should create volumes when a pod is scheduled (volumeBindingMode: WaitForFirstConsumer).',
  check({ model, report }) {
    for (const sc of fileStorageClasses(model)) {
      if (!isEbs(classBackend(sc))) continue;
      const mode = sc.props.prop('volumeBindingMode');
      if (mode.unknown) continue;
      if (mode.absent) {
        report(sc.anchor, `StorageClass "${className(sc)}" has no volumeBindingMode, so its EBS volumes are created at once (Immediate) in an Availability Zone the scheduler did not choose, and pods can be stuck on nodes in other zones; set volumeBindingMode: WaitForFirstConsumer.`);
      } else if (mode.is('Immediate')) {
        report(mode, `StorageClass "${className(sc)}" sets volumeBindingMode "Immediate", so its EBS volumes are created in an Availability Zone the scheduler did not choose and pods can be stuck on nodes in other zones; set volumeBindingMode: WaitForFirstConsumer.`);
      }
    }
  },
});
