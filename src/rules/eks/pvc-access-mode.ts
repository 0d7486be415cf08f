import { defineRule, type RuleContext } from '../../engine/rule.js';
import type { K8sObject } from '../../model/entities.js';
import type { Obj } from '../../model/value.js';
import { accessModes, claimStorage, className, fileClaims, isEbs, parameter, pvBackend, storageIndex, type ClaimStorage } from './lib/storage.js';

const S3_MODES = ['ReadWriteMany', 'ReadOnlyMany'];

/** `class "gp3" (ebs.csi.aws.com)`, `default class "gp3" (…)` or `PersistentVolume "pv" (…)`. */
function via(s: ClaimStorage): string {
  if (s.via === 'pv') return `PersistentVolume "${s.pv.label}"`;
  return `${s.byDefault ? 'default ' : ''}StorageClass "${className(s.sc)}" (${s.sc.props.prop('provisioner').str()})`;
}

/**
 * EBS Multi-Attach: the EBS CSI driver serves ReadWriteMany only for io2 volumes in Block mode.
 * Yes when the claim asks for Block and the class's type is io2 (or cannot be known), or the claim
 * binds to a PersistentVolume (whose volume type the manifests do not tell).
 */
function multiAttachPossible(spec: Obj, s: ClaimStorage): boolean {
  const mode = spec.prop('volumeMode');
  if (mode.unknown) return true;
  if (!mode.is('Block')) return false;
  if (s.via === 'pv') return true;
  const type = parameter(s.sc, 'type');
  return type === undefined || type.unknown || type.isCI('io2');
}

export default defineRule({
  id: 'eks/pvc-access-mode',
  severity: 'error',
  description: 'PersistentVolumeClaims must use access modes their storage supports (EBS: not ReadWriteMany except io2 Block; Mountpoint for S3: ReadWriteMany/ReadOnlyMany, static provisioning only).',
  check({ model, report }) {
    const all = model.all;
    for (const claim of fileClaims(model)) {
      const storage = claimStorage(all, claim.spec);
      if (!storage) continue;
      const modes = accessModes(claim.spec);
      if (isEbs(storage.backend)) {
        const rwx = modes?.find((m) => m.mode === 'ReadWriteMany');
        if (!rwx || multiAttachPossible(claim.spec, storage)) continue;
        report(rwx.prop, `${claim.label} asks for ReadWriteMany on EBS storage (${via(storage)}), which the EBS CSI driver supports only for io2 volumes with volumeMode: Block (Multi-Attach); use ReadWriteOnce, or an EFS StorageClass for storage shared between nodes.`);
      } else if (storage.backend === 's3') {
        if (storage.via === 'class' && !claim.spec.prop('volumeName').present && !storageIndex(all).pvClassNames.has(className(storage.sc))) {
          const cls = claim.spec.prop('storageClassName');
          report(cls.present ? cls : claim.anchor, `${claim.label} would be dynamically provisioned by ${via(storage)}, but the Mountpoint for Amazon S3 CSI driver supports only static provisioning; create a PersistentVolume with csi.driver: s3.csi.aws.com and volumeAttributes.bucketName, and bind the claim to it with storageClassName: "" and volumeName.`);
        }
        for (const m of modes ?? []) {
          if (S3_MODES.includes(m.mode)) continue;
          report(m.prop, `${claim.label} asks for access mode ${m.mode} on Mountpoint for Amazon S3 storage (${via(storage)}), which supports only ReadWriteMany and ReadOnlyMany; use ReadWriteMany (or ReadOnlyMany).`);
        }
      }
    }
    for (const pv of model.k8sObjects) {
      if (pv.objectKind !== 'PersistentVolume') continue;
      checkVolume(pv, report);
    }
  },
});

function checkVolume(pv: K8sObject, report: RuleContext['report']): void {
  const spec = pv.props.obj('spec');
  if (!spec) return;
  const backend = pvBackend(pv);
  const modes = accessModes(spec);
  if (isEbs(backend)) {
    const rwx = modes?.find((m) => m.mode === 'ReadWriteMany');
    const mode = spec.prop('volumeMode');
    if (!rwx || mode.unknown || mode.is('Block')) return;
    report(rwx.prop, `PersistentVolume "${pv.label}" offers ReadWriteMany on an EBS volume in Filesystem mode, which EBS cannot serve (Multi-Attach needs io2 with volumeMode: Block); use ReadWriteOnce, or EFS for storage shared between nodes.`);
  } else if (backend === 's3') {
    for (const m of modes ?? []) {
      if (S3_MODES.includes(m.mode)) continue;
      report(m.prop, `PersistentVolume "${pv.label}" offers access mode ${m.mode} on Mountpoint for Amazon S3, which supports only ReadWriteMany and ReadOnlyMany; use ReadWriteMany (or ReadOnlyMany).`);
    }
  }
}
