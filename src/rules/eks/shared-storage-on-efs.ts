import { defineRule } from '../../engine/rule.js';
import { isUnknown } from '../../model/answer.js';
import type { Workload } from '../../model/entities.js';
import { BACKEND_NAME, accessModes, claimNamed, claimSpec, claimStorage, claimVolumes, className, isEbs, isSharedFileBackend, volumeMode } from './lib/storage.js';

/** Kinds whose replicas all run the same pod template and so share its claims (StatefulSet claim templates are per pod). */
const REPLICATED = ['Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet'];
const SINGLE_NODE = ['ReadWriteOnce', 'ReadWriteOncePod'];

/** True when every container that mounts the volume mounts it read-only (or nothing mounts it). */
function mountedReadOnly(w: Workload, volumeName: string): boolean {
  for (const c of w.containers) {
    for (const m of c.props.prop('volumeMounts').objects()) {
      const n = m.prop('name');
      if (n.unknown) return true;
      if (!n.is(volumeName)) continue;
      const ro = m.prop('readOnly');
      if (ro.unknown) return true;
      if (ro.bool() !== true) return false;
    }
    for (const d of c.props.prop('volumeDevices').objects()) if (d.prop('name').is(volumeName)) return false;
  }
  return true;
}

export default defineRule({
  id: 'eks/shared-storage-on-efs',
  severity: 'warning',
  description: 'Several replicas writing one claim need storage many nodes can mount read-write, such as EFS.',
  meta: {
    messages: {
      ebs: '{{workload}} runs {{replicas}} replicas writing claim "{{claim}}" on EBS ({{storage}}), which attaches to one node; use EFS (ReadWriteMany) or a StatefulSet with a volume per replica.',
      oncePod: '{{workload}} runs {{replicas}} replicas writing claim "{{claim}}", whose ReadWriteOncePod lets one pod use it; use EFS (ReadWriteMany) or a StatefulSet with a volume per replica.',
      singleNode: '{{workload}} runs {{replicas}} replicas writing claim "{{claim}}", which asks only for {{modes}}{{on}}; use EFS (ReadWriteMany) or a StatefulSet with a volume per replica.',
    },
  },
  check({ model, report }) {
    for (const w of model.workloads) {
      if (!REPLICATED.includes(w.objectKind)) continue;
      const replicas = w.props.obj('spec')?.prop('replicas').num();
      if (replicas === undefined || replicas <= 1) continue;
      for (const v of claimVolumes(w)) {
        if (v.readOnly.unknown || v.readOnly.bool() === true || mountedReadOnly(w, v.name)) continue;
        const claim = claimNamed(model.all, w, v.claim);
        const spec = claim && !isUnknown(claim) ? claimSpec(claim) : undefined;
        if (!spec) continue;
        const storage = claimStorage(model.all, spec);
        const known = isUnknown(storage) ? undefined : storage;
        const modes = accessModes(spec);
        const listed = isUnknown(modes) ? undefined : modes;
        const single = listed !== undefined && listed.length > 0 && listed.every((m) => SINGLE_NODE.includes(m.mode));
        const data = { workload: `${w.objectKind} "${w.label}"`, replicas, claim: v.claim };
        if (known && isEbs(known.backend)) {
          const mode = volumeMode(spec);
          if (mode.is('Block') || mode.unknown) continue;
          const cls = known.via === 'class' ? `StorageClass "${className(known.sc)}"` : `PersistentVolume "${known.pv.label}"`;
          report(v.claimName, 'ebs', { ...data, storage: cls });
        } else if (listed?.length === 1 && listed[0]!.mode === 'ReadWriteOncePod') {
          report(v.claimName, 'oncePod', data);
        } else if (single && !(known && isSharedFileBackend(known.backend))) {
          report(v.claimName, 'singleNode', { ...data, modes: listed.map((m) => m.mode).join('/'), on: known?.backend ? ` on ${BACKEND_NAME[known.backend]}` : '' });
        }
      }
    }
  },
});
