import { defineRule } from '../../engine/rule.js';
import { containerName, podContainers, workloadLabel } from './lib/pod.js';

/** Container runtime sockets, relative to /run (/var/run is a symlink to /run). */
const SOCKETS = new Set(['docker.sock', 'containerd/containerd.sock', 'crio/crio.sock', 'cri-dockerd.sock', 'dockershim.sock']);

/** What a host path exposes: a runtime socket, the directory that holds them, or nothing we judge. */
function runtimeSocketOf(path: string): 'socket' | 'directory' | undefined {
  let p = path.trim().replace(/\/+/g, '/');
  if (p.length > 1) p = p.replace(/\/$/, '');
  const rel = p.startsWith('/var/run') ? p.slice('/var/run'.length) : p.startsWith('/run') ? p.slice('/run'.length) : undefined;
  if (rel === undefined || (rel !== '' && !rel.startsWith('/'))) return undefined;
  if (rel === '') return 'directory';
  return SOCKETS.has(rel.slice(1)) ? 'socket' : undefined;
}

export default defineRule({
  id: 'k8s/no-docker-socket',
  severity: 'warning',
  description: 'Pods should not mount the container runtime socket (or /run, which holds it).',
  meta: {
    messages: {
      socket: '{{workload}} mounts the runtime socket "{{path}}" into {{containers}}, handing over the node: remove the hostPath volume "{{volume}}".',
      directory: '{{workload}} mounts "{{path}}", which holds the runtime sockets, into {{containers}}, handing over the node: remove the hostPath volume "{{volume}}".',
    },
  },
  check({ model, report }) {
    for (const w of model.workloads) {
      const volumes = w.podSpec?.prop('volumes').objects() ?? [];
      if (volumes.length === 0) continue;
      const containers = podContainers(w);
      for (const v of volumes) {
        const path = v.obj('hostPath')?.prop('path');
        const p = path?.str();
        if (!path || p === undefined) continue;
        const what = runtimeSocketOf(p);
        if (!what) continue;
        const name = v.prop('name').str();
        if (name === undefined) continue;
        const users = containers.filter(({ container }) => container.props.prop('volumeMounts').objects().some((m) => m.prop('name').str() === name));
        if (users.length === 0) continue;
        const names = users.map(({ container }) => `"${containerName(container)}"`).join(', ');
        report(path, what, { workload: workloadLabel(w), path: p, volume: name, containers: `${users.length === 1 ? 'container' : 'containers'} ${names}` });
      }
    }
  },
});
