import { defineRule, key, type RuleContext } from '../../engine/rule.js';
import type { K8sObject } from '../../model/entities.js';
import type { Obj } from '../../model/value.js';
import { classBackend, className, fileStorageClasses, isEbs, missingAt, parameterEntries, parameters } from './lib/storage.js';

/** Volume types the EBS CSI driver accepts (docs/parameters.md); sbp1/sbg1 are Snow family types. */
const EBS_TYPES = ['gp2', 'gp3', 'io1', 'io2', 'sc1', 'st1', 'standard', 'sbp1', 'sbg1'];
const EFS_ID_SOURCES = ['fileSystemId', 'fileSystemIdConfigRef', 'fileSystemIdSecretRef'];
/** Access points of an EFS file system, or of an Amazon S3 Files file system (same driver). */
const EFS_MODES = ['efs-ap', 's3files-ap'];

export default defineRule({
  id: 'eks/storage-class-parameters',
  severity: 'error',
  description: 'StorageClass parameters must be strings and valid for their CSI driver (EBS, EFS, FSx for Lustre).',
  meta: {
    messages: {
      notStringScalar: 'StorageClass "{{storageClass}}" sets parameter {{key}} to {{value}}, which the API server rejects (parameters are strings); quote it: {{key}}: "{{value}}".',
      notStringCollection: 'StorageClass "{{storageClass}}" sets parameter {{key}} to {{value}}, which the API server rejects (parameters are strings); write it as one string.',
      ebsType: 'StorageClass "{{storageClass}}" sets EBS volume type "{{value}}", which does not exist; set {{key}} to gp3, gp2, io2, io1, st1, sc1 or standard.',
      iopsAndPerGb: 'StorageClass "{{storageClass}}" sets both {{iops}} and {{iopsPerGB}}, which the EBS CSI driver rejects; keep one of them.',
      efsNoMode: 'StorageClass "{{storageClass}}" passes EFS parameters without {{key}}, so the EFS CSI driver cannot provision volumes; add {{key}}: efs-ap.',
      efsMode: 'StorageClass "{{storageClass}}" sets {{key}} "{{value}}", which the EFS CSI driver does not support; use efs-ap (or s3files-ap for Amazon S3 Files).',
      efsNoFileSystem: 'StorageClass "{{storageClass}}" names no EFS file system, so the EFS CSI driver cannot create access points; add {{key}}: fs-… (or a ConfigRef / SecretRef).',
      efsTwoFileSystems: 'StorageClass "{{storageClass}}" names its EFS file system through both {{first}} and {{second}}; keep exactly one of them.',
      fsxMissing: 'StorageClass "{{storageClass}}" provisions FSx for Lustre without {{missing}}, so the FSx CSI driver cannot create file systems; add it (one subnet; groups allowing TCP 988).',
    },
  },
  check({ model, report }) {
    for (const sc of fileStorageClasses(model)) {
      const name = className(sc);
      const params = parameters(sc);
      if (!params) continue;

      // Parameters are a map of strings: the API server rejects numbers, booleans, lists and maps.
      for (const p of parameterEntries(sc)) {
        if (p.unknown) continue; // a placeholder: a string once rendered
        const r = p.res;
        if (r.kind === 'literal' && (r.value === null || typeof r.value === 'string')) continue;
        if (r.kind === 'literal') report(p, 'notStringScalar', { storageClass: name, key: key(p.name), value: String(r.value) });
        else report(p, 'notStringCollection', { storageClass: name, key: key(p.name), value: p.list() ? 'a list' : 'a map' });
      }

      const backend = classBackend(sc);
      const some = params.keys().length > 0;
      if (isEbs(backend)) checkEbs(sc, params, backend === 'ebs', name, report);
      else if (backend === 'efs' && some) checkEfs(sc, params, name, report);
      else if (backend === 'fsx-lustre' && some) checkFsxLustre(sc, params, name, report);
    }
  },
});

type Report = RuleContext['report'];

function checkEbs(sc: K8sObject, params: Obj, csi: boolean, name: string, report: Report): void {
  const type = params.prop('type');
  const t = type.str();
  if (t !== undefined && !EBS_TYPES.includes(t.toLowerCase())) report(type, 'ebsType', { storageClass: name, value: t, key: key('type') });
  if (csi) {
    const iops = params.prop('iops');
    const perGb = params.prop('iopsPerGB');
    if (iops.present && perGb.present) report(iops.key ?? sc, 'iopsAndPerGb', { storageClass: name, iops: key('iops'), iopsPerGB: key('iopsPerGB') });
  }
}

function checkEfs(sc: K8sObject, params: Obj, name: string, report: Report): void {
  const mode = params.prop('provisioningMode');
  if (mode.absent) report(missingAt(sc), 'efsNoMode', { storageClass: name, key: key('provisioningMode') });
  else if (mode.str() !== undefined && !EFS_MODES.includes(mode.str()!)) report(mode, 'efsMode', { storageClass: name, key: key('provisioningMode'), value: mode.str()! });
  const sources = EFS_ID_SOURCES.map((k) => params.prop(k)).filter((p) => p.present);
  if (sources.length === 0) report(missingAt(sc), 'efsNoFileSystem', { storageClass: name, key: key('fileSystemId') });
  else if (sources.length > 1) report(sources[1]!.key ?? sc, 'efsTwoFileSystems', { storageClass: name, first: key(sources[0]!.name), second: key(sources[1]!.name) });
}

function checkFsxLustre(sc: K8sObject, params: Obj, name: string, report: Report): void {
  const missing = ['subnetId', 'securityGroupIds'].filter((k) => params.prop(k).absent);
  if (missing.length) report(missingAt(sc), 'fsxMissing', { storageClass: name, missing: missing.join(' and ') });
}
