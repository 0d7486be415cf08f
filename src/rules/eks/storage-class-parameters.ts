import { defineRule, type RuleContext } from '../../engine/rule.js';
import type { K8sObject } from '../../model/entities.js';
import type { Obj } from '../../model/value.js';
import { classBackend, className, fileStorageClasses, isEbs, missingAt } from './lib/storage.js';

/** Volume types the EBS CSI driver accepts (docs/parameters.md); sbp1/sbg1 are Snow family types. */
const EBS_TYPES = ['gp2', 'gp3', 'io1', 'io2', 'sc1', 'st1', 'standard', 'sbp1', 'sbg1'];
const EFS_ID_SOURCES = ['fileSystemId', 'fileSystemIdConfigRef', 'fileSystemIdSecretRef'];
/** Access points of an EFS file system, or of an Amazon S3 Files file system (same driver). */
const EFS_MODES = ['efs-ap', 's3files-ap'];

export default defineRule({
  id: 'eks/storage-class-parameters',
  severity: 'error',
  description: 'StorageClass parameters must be strings and valid for their CSI driver (EBS, EFS, FSx for Lustre).',
  check({ model, report }) {
    for (const sc of fileStorageClasses(model)) {
      const name = className(sc);
      const params = sc.props.obj('parameters');
      if (!params) continue;

      // Parameters are a map of strings: the API server rejects numbers, booleans, lists and maps.
      for (const { key, value } of params.node.entries) {
        if (value.kind === 'scalar' && (value.value === null || typeof value.value === 'string')) continue;
        const shown = value.kind === 'scalar' ? String(value.value) : value.kind === 'seq' ? 'a list' : 'a map';
        const quoted = value.kind === 'scalar' ? ` quote it: ${String(key.value)}: "${String(value.value)}"` : ' write it as one string';
        report(value, `StorageClass "${name}" sets parameter ${String(key.value)} to ${shown}, which the API server rejects (StorageClass parameters are strings);${quoted}.`);
      }

      const backend = classBackend(sc);
      if (isEbs(backend)) checkEbs(sc, params, backend === 'ebs', name, report);
      else if (backend === 'efs' && params.node.entries.length > 0) checkEfs(sc, params, name, report);
      else if (backend === 'fsx-lustre' && params.node.entries.length > 0) checkFsxLustre(sc, params, name, report);
    }
  },
});

type Report = RuleContext['report'];

function checkEbs(sc: K8sObject, params: Obj, csi: boolean, name: string, report: Report): void {
  const type = params.prop('type');
  const t = type.str();
  if (t !== undefined && !EBS_TYPES.includes(t.toLowerCase()))
    report(type, `StorageClass "${name}" sets EBS volume type "${t}", which is not an EBS volume type, so no volume can be created; use one of gp3, gp2, io2, io1, st1, sc1 or standard.`);
  if (csi) {
    const iops = params.prop('iops');
    const perGb = params.prop('iopsPerGB');
    if (iops.present && perGb.present)
      report(iops.key ?? sc.anchor, `StorageClass "${name}" sets both iops and iopsPerGB, which the EBS CSI driver rejects as an invalid StorageClass; keep one of them.`);
  }
}

function checkEfs(sc: K8sObject, params: Obj, name: string, report: Report): void {
  const mode = params.prop('provisioningMode');
  if (mode.absent)
    report(missingAt(sc), `StorageClass "${name}" passes EFS parameters without provisioningMode, so the EFS CSI driver cannot provision volumes; add provisioningMode: efs-ap (dynamic provisioning through access points).`);
  else if (mode.str() !== undefined && !EFS_MODES.includes(mode.str()!))
    report(mode, `StorageClass "${name}" sets provisioningMode "${mode.str()}", which the EFS CSI driver does not support; use provisioningMode: efs-ap (or s3files-ap for an Amazon S3 Files file system).`);
  const sources = EFS_ID_SOURCES.map((k) => params.prop(k)).filter((p) => p.present);
  if (sources.length === 0)
    report(missingAt(sc), `StorageClass "${name}" names no EFS file system, so the EFS CSI driver cannot create access points; add fileSystemId: fs-… (or fileSystemIdConfigRef / fileSystemIdSecretRef).`);
  else if (sources.length > 1)
    report(sources[1]!.key ?? sc.anchor, `StorageClass "${name}" names its EFS file system through both ${sources[0]!.name} and ${sources[1]!.name}; the EFS CSI driver needs exactly one of fileSystemId, fileSystemIdConfigRef and fileSystemIdSecretRef.`);
}

function checkFsxLustre(sc: K8sObject, params: Obj, name: string, report: Report): void {
  const missing = ['subnetId', 'securityGroupIds'].filter((k) => params.prop(k).absent);
  if (missing.length)
    report(missingAt(sc), `StorageClass "${name}" provisions FSx for Lustre file systems without ${missing.join(' and ')}, so the FSx CSI driver cannot create them; add subnetId (one subnet) and securityGroupIds (comma-separated, allowing TCP 988).`);
}
