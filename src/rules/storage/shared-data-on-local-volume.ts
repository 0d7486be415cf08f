import { defineRule } from '../../engine/rule.js';
import type { TaskDefinition } from '../../model/entities.js';
import type { FileView } from '../../model/model.js';
import type { Obj, Prop } from '../../model/value.js';
import { runsSeveralTasks, serviceList } from './lib/services.js';

/**
 * Host paths that hold the host's own state, devices or logs: containers mount them to inspect or
 * manage the host (agents, log shippers, monitoring), not to keep application data.
 */
const SYSTEM_PATHS = ['/proc', '/sys', '/dev', '/etc', '/run', '/var/run', '/var/lib/docker', '/var/lib/ecs', '/var/log', '/tmp', '/cgroup', '/lib/modules', '/usr', '/boot', '/var/lib/cloud'];

/** Path names that suggest a network file system mounted on the host (EFS, NFS, FSx, SMB, S3 FUSE). */
const NETWORK_HINT = /(?:^|[/_.-])(?:efs|nfs|fsx|lustre|ontap|cifs|smb|s3fs|gluster|ceph)(?:$|[/_.\d-])/i;

function isSystemPath(path: string): boolean {
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end--;
  const p = path.slice(0, end) || '/';
  if (p === '/') return true;
  return SYSTEM_PATHS.some((s) => p === s || p.startsWith(s + '/'));
}

/** Host paths the run's container instances prepare at boot (their user data names them): possibly network mounts. */
function bootstrapTexts(model: FileView): string[] {
  return model.all.memo('storage/shared-data-on-local-volume:boot', () => {
    const out: string[] = [];
    for (const l of model.containerInstanceLaunchers()) {
      const b = model.bootstrapText(l);
      if (b) out.push(b.text);
    }
    return out;
  });
}

/** What kind of per-host volume a task volume is, with the property to point at, or undefined. */
function localVolume(model: FileView, vol: Obj): { what: string } | undefined {
  const host = vol.prop('Host');
  const docker = vol.prop('DockerVolumeConfiguration');
  if (host.present) {
    const sp = host.obj()?.prop('SourcePath');
    if (!sp) return undefined;
    const path = sp.str();
    if (path === undefined || path === '') return undefined; // absent: a task-scoped bind mount
    if (!path.startsWith('/') || isSystemPath(path) || NETWORK_HINT.test(path)) return undefined;
    if (bootstrapTexts(model).some((t) => t.includes(path))) return undefined;
    return { what: `host path "${path}"` };
  }
  if (docker.present) {
    const cfg = docker.obj();
    if (!cfg) return undefined;
    const scope = cfg.prop('Scope');
    const driver = cfg.prop('Driver');
    // Task-scoped Docker volumes are scratch space by design: they end with the task.
    if (!scope.is('shared')) return undefined;
    if (driver.present && !driver.is('local')) return undefined;
    if (cfg.prop('DriverOpts').present) return undefined; // may mount NFS or CIFS
    return { what: 'a shared-scope Docker volume of the local driver' };
  }
  return undefined;
}

function volumeByName(td: TaskDefinition, name: string): Obj | undefined {
  const hits = td.volumes.filter((v) => v.props.prop('Name').str() === name);
  return hits.length === 1 ? hits[0]!.props : undefined;
}

export default defineRule({
  id: 'storage/shared-data-on-local-volume',
  severity: 'info',
  description: 'Services with several tasks should not keep writable data on host or local Docker volumes.',
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      const services = model.servicesRunning(td).filter(runsSeveralTasks);
      if (services.length === 0) continue;
      for (const c of td.containers) {
        for (const mp of c.props.prop('MountPoints').objects()) {
          const ro = mp.prop('ReadOnly');
          if (ro.present && ro.bool() !== false) continue;
          const source: Prop = mp.prop('SourceVolume');
          const name = source.str();
          if (name === undefined) continue;
          const vol = volumeByName(td, name);
          if (!vol) continue;
          const local = localVolume(model, vol);
          if (!local) continue;
          const path = mp.prop('ContainerPath').str();
          report(
            source,
            `Container ${c.label} of task definition "${td.label}" writes to volume "${name}"${path ? ` at "${path}"` : ''}, ${local.what}, but service${services.length > 1 ? 's' : ''} ${serviceList(services)} run${services.length > 1 ? '' : 's'} several tasks: tasks on other container instances see a different copy, so data written by one task is missing for the others and stays behind when a task is replaced on another instance; keep shared data on Amazon EFS (EFSVolumeConfiguration) or in a database or S3, or set ReadOnly: true if the container only reads.`,
          );
        }
      }
    }
  },
});
