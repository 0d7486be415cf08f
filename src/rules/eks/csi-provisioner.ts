import { defineRule, key } from '../../engine/rule.js';
import { IN_TREE_EBS, EBS_CSI, className, filePersistentVolumes, fileStorageClasses, inTreeEbsSource, inTreeEbsVolumes, provisioner } from './lib/storage.js';

export default defineRule({
  id: 'eks/csi-provisioner',
  severity: 'warning',
  description: 'StorageClasses and PersistentVolumes should use the EBS CSI driver, not the in-tree EBS plugin removed in Kubernetes 1.27.',
  meta: {
    messages: {
      inTreeProvisioner: 'StorageClass "{{storageClass}}" uses the in-tree provisioner {{provisioner}}, removed in Kubernetes 1.27; set {{key}}: {{csiDriver}}.',
      inTreeVolume: 'PersistentVolume "{{volume}}" uses the in-tree {{key}} source, removed in Kubernetes 1.27; describe it with {{csi}} (driver {{csiDriver}}, volumeHandle the volume ID).',
      inTreePodVolume: '{{workload}} mounts volume "{{volume}}" through the in-tree {{key}} source, removed in Kubernetes 1.27; use a PersistentVolumeClaim of a {{csiDriver}} StorageClass.',
    },
  },
  check({ model, report }) {
    for (const sc of fileStorageClasses(model)) {
      const p = provisioner(sc);
      if (!p.is(IN_TREE_EBS)) continue;
      report(p, 'inTreeProvisioner', { storageClass: className(sc), provisioner: IN_TREE_EBS, key: key('provisioner'), csiDriver: EBS_CSI });
    }
    for (const pv of filePersistentVolumes(model)) {
      const src = inTreeEbsSource(pv);
      if (!src) continue;
      report(src, 'inTreeVolume', { volume: pv.label, key: key('spec.awsElasticBlockStore'), csi: key('spec.csi'), csiDriver: EBS_CSI }, { atKey: true });
    }
    for (const w of model.workloads) {
      for (const v of inTreeEbsVolumes(w)) {
        report(v.source, 'inTreePodVolume', { workload: `${w.objectKind} "${w.label}"`, volume: v.name, key: key('awsElasticBlockStore'), csiDriver: EBS_CSI }, { atKey: true });
      }
    }
  },
});
