import { defineRule } from '../../engine/rule.js';
import { IN_TREE_EBS, className, fileStorageClasses, provisioner } from './lib/storage.js';

export default defineRule({
  id: 'eks/csi-provisioner',
  severity: 'warning',
  description: 'StorageClasses and PersistentVolumes should use the EBS CSI driver, not the in-tree EBS plugin removed in Kubernetes 1.27.',
  check({ model, report }) {
    for (const sc of fileStorageClasses(model)) {
      const p = provisioner(sc);
      if (!p.is(IN_TREE_EBS)) continue;
      report(p, `StorageClass "${className(sc)}" uses the in-tree provisioner "${IN_TREE_EBS}", which was removed in Kubernetes 1.27 and works only through CSI migration to the EBS CSI driver; set provisioner: ebs.csi.aws.com.`);
    }
    for (const pv of model.k8sObjects) {
      if (pv.objectKind !== 'PersistentVolume') continue;
      const src = pv.props.obj('spec')?.prop('awsElasticBlockStore');
      if (!src?.present) continue;
      report(src, `PersistentVolume "${pv.label}" uses the in-tree awsElasticBlockStore volume source, removed in Kubernetes 1.27; describe the volume with spec.csi (driver: ebs.csi.aws.com, volumeHandle: the volume ID).`, { atKey: true });
    }
    for (const w of model.workloads) {
      for (const v of w.podSpec?.prop('volumes').objects() ?? []) {
        const src = v.prop('awsElasticBlockStore');
        if (!src.present) continue;
        report(src, `${w.objectKind} "${w.label}" mounts volume "${v.prop('name').str() ?? '?'}" through the in-tree awsElasticBlockStore source, removed in Kubernetes 1.27; use a PersistentVolumeClaim of an ebs.csi.aws.com StorageClass (or a PersistentVolume with spec.csi.driver: ebs.csi.aws.com).`, { atKey: true });
      }
    }
  },
});
