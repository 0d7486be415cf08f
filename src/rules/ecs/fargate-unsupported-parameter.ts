import { defineRule } from '../../engine/rule.js';
import { fargateContext } from './lib/fargate.js';
import { isSet, keyName, quote } from './lib/values.js';

/** Task-level parameters Fargate rejects, with what to do instead. */
const TASK_PARAMS: Record<string, string> = {
  PlacementConstraints: 'remove it: Fargate places tasks by the subnets and Availability Zones of the service, not by constraints',
  IpcMode: 'remove it: Fargate tasks cannot share an IPC namespace',
};

/** Container-level parameters Fargate rejects. */
const CONTAINER_PARAMS: Record<string, string> = {
  DockerSecurityOptions: 'remove it: Fargate does not accept SELinux, AppArmor or credential-spec options',
  DnsServers: 'remove it: Fargate tasks use the VPC resolver; use a DHCP option set or Route 53 Resolver rules to change DNS',
  DnsSearchDomains: 'remove it: Fargate tasks use the VPC resolver; set search domains in a DHCP option set',
};

/** Container-level parameters that awsvpc also rejects: left to ecs/awsvpc-port-mappings when NetworkMode is awsvpc. */
const AWSVPC_PARAMS: Record<string, string> = {
  Links: 'remove it: containers of a Fargate task share a network namespace and reach each other on localhost',
  Hostname: 'remove it: a Fargate task takes the hostname of its network interface',
  ExtraHosts: 'remove it: resolve names through DNS (a Route 53 private hosted zone or Cloud Map) instead',
};

/** LinuxParameters entries Fargate rejects. */
const LINUX_PARAMS: Record<string, string> = {
  Devices: 'remove it: Fargate cannot expose host devices to a container',
  SharedMemorySize: 'remove it: Fargate does not let a container size /dev/shm',
  Tmpfs: 'remove it: Fargate does not mount tmpfs; use a bind-mount volume (a volume without a host source path) for scratch space',
  MaxSwap: 'remove it: Fargate tasks have no swap',
  Swappiness: 'remove it: Fargate tasks have no swap',
};

export default defineRule({
  id: 'ecs/fargate-unsupported-parameter',
  severity: 'error',
  description: 'Fargate task definitions cannot use parameters that Fargate does not support.',
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      const ctx = fargateContext(model, td);
      if (!ctx) continue;
      const { why, fails } = ctx;
      const name = `Task definition "${td.label}"`;
      const awsvpc = td.networkMode.is('awsvpc');

      for (const [key, fix] of Object.entries(TASK_PARAMS)) {
        const p = td.props.prop(key);
        if (isSet(p)) report(p, `${name} ${why} but sets ${keyName(p)}, which Fargate does not support, so ${fails}; ${fix}.`, { atKey: true });
      }
      const pid = td.props.prop('PidMode');
      if (isSet(pid) && pid.str() !== undefined && !pid.is('task')) {
        report(pid, `${name} ${why} but sets ${keyName(pid)} ${quote(pid)}; Fargate supports only PidMode task, so ${fails}; set it to task (containers of the task share one process namespace) or remove it.`, { atKey: true });
      }

      for (const v of td.volumes) {
        const docker = v.props.prop('DockerVolumeConfiguration');
        if (isSet(docker)) {
          report(docker, `${name} ${why} but volume "${v.name}" is a Docker volume (${keyName(docker)}), which Fargate does not support, so ${fails}; use an EFS volume (EFSVolumeConfiguration) for shared or persistent data, or a bind mount (a volume without Host.SourcePath) for scratch space.`, { atKey: true });
        }
        const source = v.props.obj('Host')?.prop('SourcePath');
        if (source && isSet(source)) {
          report(source, `${name} ${why} but volume "${v.name}" mounts host path ${quote(source) ?? 'through SourcePath'}; Fargate has no host to mount from, so ${fails}; remove SourcePath to get a task-scoped bind mount, or use an EFS volume (EFSVolumeConfiguration) for persistent data.`, { atKey: true });
        }
      }

      for (const c of td.containers) {
        const cname = `${name} ${why} but its container "${c.name}"`;
        if (c.privileged.bool() === true) {
          report(c.privileged, `${cname} is privileged, which Fargate does not support, so ${fails}; remove ${keyName(c.privileged)} and add only the capability the container needs (Fargate allows SYS_PTRACE).`, { atKey: true });
        }
        const noNetwork = c.props.prop('DisableNetworking');
        if (noNetwork.bool() === true) {
          report(noNetwork, `${cname} sets ${keyName(noNetwork)}, which Fargate does not support, so ${fails}; remove it (an awsvpc task always has its network interface; restrict traffic with its security groups instead).`, { atKey: true });
        }
        const params = awsvpc ? CONTAINER_PARAMS : { ...CONTAINER_PARAMS, ...AWSVPC_PARAMS };
        for (const [key, fix] of Object.entries(params)) {
          const p = c.props.prop(key);
          if (isSet(p)) report(p, `${cname} sets ${keyName(p)}, which Fargate does not support, so ${fails}; ${fix}.`, { atKey: true });
        }
        const linuxProp = c.props.prop('LinuxParameters');
        const linux = linuxProp.obj();
        if (linux) {
          for (const [key, fix] of Object.entries(LINUX_PARAMS)) {
            const p = linux.prop(key);
            if (isSet(p)) report(p, `${cname} sets ${keyName(linuxProp)}.${keyName(p)}, which Fargate does not support, so ${fails}; ${fix}.`, { atKey: true });
          }
          for (const cap of linux.obj('Capabilities')?.prop('Add').list() ?? []) {
            const s = cap.str();
            if (s === undefined || /^(CAP_)?SYS_PTRACE$/i.test(s.trim())) continue;
            report(cap, `${cname} adds Linux capability "${s}"; Fargate allows adding only SYS_PTRACE, so ${fails}; remove "${s}" from ${keyName(linuxProp)}.Capabilities.Add.`);
          }
        }
        for (const req of c.props.prop('ResourceRequirements').objects()) {
          const type = req.prop('Type');
          if (type.is('GPU')) {
            report(type, `${cname} asks for a GPU (ResourceRequirements Type GPU); Fargate has no GPUs, so ${fails}; run GPU containers on EC2 GPU instances (the EC2 launch type or an Auto Scaling group capacity provider) or remove the requirement.`);
          }
        }
      }
    }
  },
});
