import { defineRule } from '../../engine/rule.js';
import type { CfnResource, Template } from '../../model/cfn.js';
import { TaskDefinition, type Service } from '../../model/entities.js';
import type { FileView } from '../../model/model.js';
import { runsSeveralTasks, serviceList } from './lib/services.js';

const FS = 'AWS::EFS::FileSystem';

/** Services of the run with several tasks, by the EFS file system (of the model) their task definition mounts. */
function servicesByFileSystem(model: FileView): Map<CfnResource, Service[]> {
  return model.all.memo('storage/efs-multi-az:services', () => {
    const m = new Map<CfnResource, Service[]>();
    for (const service of model.all.services) {
      if (!runsSeveralTasks(service)) continue;
      const td = model.taskDefinitionOf(service);
      if (!(td instanceof TaskDefinition)) continue;
      for (const vol of td.efsVolumes()) {
        const r = vol.efs.obj()!.prop('FileSystemId').res;
        if (r.kind !== 'ref' || r.resource.type !== FS || (r.attribute !== undefined && r.attribute !== 'FileSystemId')) continue;
        const list = m.get(r.resource) ?? [];
        if (!list.includes(service)) list.push(service);
        m.set(r.resource, list);
      }
    }
    return m;
  });
}

/** Mount targets of the run by file system; templates with a mount target whose file system cannot be known. */
function mountTargets(model: FileView): { byFs: Map<CfnResource, CfnResource[]>; unknownIn: Set<Template> } {
  return model.all.memo('storage/efs-multi-az:mount-targets', () => {
    const byFs = new Map<CfnResource, CfnResource[]>();
    const unknownIn = new Set<Template>();
    for (const mt of model.all.resources('AWS::EFS::MountTarget')) {
      const r = mt.props.prop('FileSystemId').res;
      if (r.kind === 'ref' && r.resource.type === FS) byFs.set(r.resource, [...(byFs.get(r.resource) ?? []), mt]);
      else unknownIn.add(mt.template);
    }
    return { byFs, unknownIn };
  });
}

/** Where a mount target is: its subnet (a literal id or a subnet resource) and, when known, that subnet's Availability Zone. */
function placement(mt: CfnResource): { subnet: string; az?: string } | undefined {
  const p = mt.props.prop('SubnetId');
  const r = p.res;
  if (r.kind === 'ref' && r.resource.type === 'AWS::EC2::Subnet' && r.attribute === undefined) {
    const az = r.resource.props.prop('AvailabilityZone');
    const s = az.res.kind === 'literal' && !az.res.pseudo ? az.str() : undefined;
    return { subnet: `resource ${r.resource.logicalId}`, ...(s ? { az: s } : {}) };
  }
  const s = p.str();
  if (s === undefined || r.kind !== 'literal' || r.pseudo) return undefined;
  return { subnet: s };
}

export default defineRule({
  id: 'storage/efs-multi-az',
  severity: 'warning',
  description: 'EFS file systems shared by services with several tasks should be reachable in several Availability Zones.',
  check({ model, report }) {
    const users = servicesByFileSystem(model);
    for (const fs of model.resources(FS)) {
      const services = users.get(fs);
      if (!services?.length) continue;
      const who = `service${services.length > 1 ? 's' : ''} ${serviceList(services)}`;
      const oneZone = fs.props.prop('AvailabilityZoneName');
      if (oneZone.present) {
        const az = oneZone.str();
        if (az === undefined) continue;
        report(
          oneZone,
          `EFS file system "${fs.logicalId}" is a One Zone file system in "${az}", but ${who} run${services.length > 1 ? '' : 's'} several tasks; when that zone is impaired every task loses access to the data (One Zone storage is not replicated to other zones), and tasks in other zones reach it only across zones, at extra cost and latency; use a Regional file system (remove AvailabilityZoneName) with a mount target in each Availability Zone the tasks run in.`,
        );
        continue;
      }
      const { byFs, unknownIn } = mountTargets(model);
      if (unknownIn.has(fs.template)) continue;
      const mts = byFs.get(fs) ?? [];
      if (mts.length === 0) continue;
      const places = mts.map(placement);
      if (places.some((p) => p === undefined)) continue;
      const subnets = new Set(places.map((p) => p!.subnet));
      const azs = new Set(places.map((p) => p!.az));
      let where: string | undefined;
      if (subnets.size === 1) where = `one subnet (${[...subnets][0]})`;
      else if (!azs.has(undefined) && azs.size === 1) where = `one Availability Zone (${[...azs][0]})`;
      if (!where) continue;
      report(
        fs.key,
        `EFS file system "${fs.logicalId}" has mount targets in only ${where}, but ${who} run${services.length > 1 ? '' : 's'} several tasks; tasks placed in other Availability Zones may fail to mount it (the file system's DNS name resolves only in zones with a mount target) or mount across zones, and an outage of that zone stops every task; add an AWS::EFS::MountTarget in a subnet of each Availability Zone the tasks run in.`,
      );
    }
  },
});
