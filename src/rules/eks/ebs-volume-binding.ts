import { defineRule, key } from '../../engine/rule.js';
import { classBackend, className, fileStorageClasses, isEbs, volumeBindingMode } from './lib/storage.js';

export default defineRule({
  id: 'eks/ebs-volume-binding',
  severity: 'warning',
  description: 'EBS StorageClasses should create volumes when a pod is scheduled (volumeBindingMode: WaitForFirstConsumer).',
  meta: {
    messages: {
      notSet: 'StorageClass "{{storageClass}}" has no {{key}}, so EBS volumes are created at once in a zone the scheduler did not choose; set {{key}}: WaitForFirstConsumer.',
      immediate: 'StorageClass "{{storageClass}}" sets {{key}} Immediate, so EBS volumes are created in a zone the scheduler did not choose; set {{key}}: WaitForFirstConsumer.',
    },
  },
  check({ model, report }) {
    for (const sc of fileStorageClasses(model)) {
      if (!isEbs(classBackend(sc))) continue;
      const mode = volumeBindingMode(sc);
      if (mode.unknown) continue;
      if (mode.absent) report(sc, 'notSet', { storageClass: className(sc), key: key('volumeBindingMode') });
      else if (mode.is('Immediate')) report(mode, 'immediate', { storageClass: className(sc), key: key('volumeBindingMode') });
    }
  },
});
