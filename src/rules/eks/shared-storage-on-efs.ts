import { defineRule } from '../../engine/rule.js';
import type { Workload } from '../../model/entities.js';
import type { Obj } from '../../model/value.js';
import { BACKEND_NAME, accessModes, claimNamed, claimStorage, className, isEbs, isSharedFileBackend } from './lib/storage.js';

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
  check({ model, report }) {
    for (const w of model.workloads) {
      if (!REPLICATED.includes(w.objectKind)) continue;
      const replicas = w.props.obj('spec')?.prop('replicas').num();
      if (replicas === undefined || replicas <= 1) continue;
      for (const v of w.podSpec?.prop('volumes').objects() ?? []) {
        const pvc: Obj | undefined = v.obj('persistentVolumeClaim');
        const claimName = pvc?.prop('claimName');
        const name = claimName?.str();
        const volName = v.prop('name').str();
        if (!pvc || !claimName || name === undefined || volName === undefined) continue;
        const ro = pvc.prop('readOnly');
        if (ro.unknown || ro.bool() === true || mountedReadOnly(w, volName)) continue;
        const claim = claimNamed(model.all, w, name);
        const spec = claim?.props.obj('spec');
        if (!spec) continue;
        const storage = claimStorage(model.all, spec);
        const modes = accessModes(spec);
        const single = modes !== undefined && modes.length > 0 && modes.every((m) => SINGLE_NODE.includes(m.mode));
        const what = `${w.objectKind} "${w.label}" runs ${replicas} replicas that all write claim "${name}"`;
        if (storage && isEbs(storage.backend)) {
          if (spec.prop('volumeMode').is('Block') || spec.prop('volumeMode').unknown) continue;
          const cls = storage.via === 'class' ? `StorageClass "${className(storage.sc)}"` : `PersistentVolume "${storage.pv.label}"`;
          report(claimName, `${what}, an EBS volume (${cls}) that attaches to one node at a time, so replicas scheduled on other nodes cannot start; put shared data on EFS (an efs.csi.aws.com class with ReadWriteMany) or FSx, or give each replica its own volume with a StatefulSet.`);
        } else if (modes?.length === 1 && modes[0]!.mode === 'ReadWriteOncePod') {
          report(claimName, `${what}, whose access mode ReadWriteOncePod lets only one pod use it, so the other replicas stay Pending; put shared data on EFS (an efs.csi.aws.com class with ReadWriteMany) or FSx, or give each replica its own volume with a StatefulSet.`);
        } else if (single && !(storage && isSharedFileBackend(storage.backend))) {
          const on = storage?.backend ? ` on ${BACKEND_NAME[storage.backend]}` : '';
          report(claimName, `${what}, which asks only for ${modes!.map((m) => m.mode).join('/')}${on}, so replicas on other nodes cannot mount it; put shared data on EFS (an efs.csi.aws.com class with ReadWriteMany) or FSx, or give each replica its own volume with a StatefulSet.`);
        }
      }
    }
  },
});
