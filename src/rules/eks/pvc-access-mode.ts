import { defineRule, key, type RuleContext } from '../../engine/rule.js';
import { isUnknown } from '../../model/answer.js';
import type { K8sObject } from '../../model/entities.js';
import type { Obj } from '../../model/value.js';
import {
  accessModes,
  claimStorage,
  className,
  fileClaims,
  filePersistentVolumes,
  isEbs,
  parameter,
  pvBackend,
  pvSpec,
  storageIndex,
  volumeMode,
  type ClaimStorage,
} from './lib/storage.js';

const S3_MODES = ['ReadWriteMany', 'ReadOnlyMany'];

/** `StorageClass "gp3"`, `default StorageClass "gp3"` or `PersistentVolume "pv"`. */
function via(s: ClaimStorage): string {
  if (s.via === 'pv') return `PersistentVolume "${s.pv.label}"`;
  return `${s.byDefault ? 'default ' : ''}StorageClass "${className(s.sc)}"`;
}

/**
 * EBS Multi-Attach: the EBS CSI driver serves ReadWriteMany only for io2 volumes in Block mode.
 * Possible when the claim asks for Block and the class's type is io2 (or cannot be known), or the claim
 * binds to a PersistentVolume (whose volume type the manifests do not tell).
 */
function multiAttachPossible(spec: Obj, s: ClaimStorage): boolean {
  const mode = volumeMode(spec);
  if (mode.unknown) return true;
  if (!mode.is('Block')) return false;
  if (s.via === 'pv') return true;
  const type = parameter(s.sc, 'type');
  return isUnknown(type) || type.unknown || type.isCI('io2');
}

export default defineRule({
  id: 'eks/pvc-access-mode',
  severity: 'error',
  description: 'PersistentVolumeClaims must use access modes their storage supports (EBS: not ReadWriteMany except io2 Block; Mountpoint for S3: ReadWriteMany/ReadOnlyMany, static provisioning only).',
  meta: {
    messages: {
      ebsReadWriteMany: '{{claim}} asks for ReadWriteMany on EBS ({{storage}}), which serves it only for io2 with {{volumeMode}}: Block; use ReadWriteOnce, or EFS to share it.',
      s3Dynamic: '{{claim}} would be provisioned by {{storage}}, but Mountpoint for S3 has only static volumes; bind it to one with {{key}}: "" and volumeName.',
      s3Mode: '{{claim}} asks for {{mode}} on Mountpoint for S3 ({{storage}}), which supports only ReadWriteMany and ReadOnlyMany; use one of those.',
      pvEbsReadWriteMany: 'PersistentVolume "{{volume}}" offers ReadWriteMany on an EBS volume in Filesystem mode, which EBS cannot serve; use ReadWriteOnce, or EFS for shared storage.',
      pvS3Mode: 'PersistentVolume "{{volume}}" offers {{mode}} on Mountpoint for S3, which supports only ReadWriteMany and ReadOnlyMany; use one of those.',
    },
  },
  check({ model, report }) {
    const all = model.all;
    for (const claim of fileClaims(model)) {
      const storage = claimStorage(all, claim.spec);
      if (isUnknown(storage)) continue;
      const modes = accessModes(claim.spec);
      const known = isUnknown(modes) ? [] : modes;
      if (isEbs(storage.backend)) {
        const rwx = known.find((m) => m.mode === 'ReadWriteMany');
        if (!rwx || multiAttachPossible(claim.spec, storage)) continue;
        report(rwx.prop, 'ebsReadWriteMany', { claim: claim.label, storage: via(storage), volumeMode: key('volumeMode') });
      } else if (storage.backend === 's3') {
        if (storage.via === 'class' && !claim.spec.prop('volumeName').present && !storageIndex(all).pvClassNames.has(className(storage.sc))) {
          const cls = claim.spec.prop('storageClassName');
          report(cls.present ? cls : claim.anchor, 's3Dynamic', { claim: claim.label, storage: via(storage), key: key('storageClassName') });
        }
        for (const m of known) {
          if (S3_MODES.includes(m.mode)) continue;
          report(m.prop, 's3Mode', { claim: claim.label, mode: m.mode, storage: via(storage) });
        }
      }
    }
    for (const pv of filePersistentVolumes(model)) checkVolume(pv, report);
  },
});

function checkVolume(pv: K8sObject, report: RuleContext['report']): void {
  const spec = pvSpec(pv);
  if (!spec) return;
  const backend = pvBackend(pv);
  const modes = accessModes(spec);
  const known = isUnknown(modes) ? [] : modes;
  if (isEbs(backend)) {
    const rwx = known.find((m) => m.mode === 'ReadWriteMany');
    const mode = volumeMode(spec);
    if (!rwx || mode.unknown || mode.is('Block')) return;
    report(rwx.prop, 'pvEbsReadWriteMany', { volume: pv.label });
  } else if (backend === 's3') {
    for (const m of known) {
      if (S3_MODES.includes(m.mode)) continue;
      report(m.prop, 'pvS3Mode', { volume: pv.label, mode: m.mode });
    }
  }
}
