import { defineRule, key } from '../../engine/rule.js';
import type { K8sContainer, K8sService, Workload } from '../../model/entities.js';
import { containerName, nameText, podContainers, runsToCompletion, workloadLabel } from './lib/pod.js';
import { isNull } from './lib/security-context.js';

export default defineRule({
  id: 'k8s/probes',
  severity: 'warning',
  description: 'Containers behind a Service should have a readiness probe.',
  meta: {
    messages: {
      noReadinessProbe: 'Container "{{container}}" of {{workload}} receives traffic from {{services}} but has no {{key}}: add one (httpGet, tcpSocket or grpc) on its serving port.',
    },
  },
  check({ model, report }) {
    for (const w of model.workloads) {
      if (runsToCompletion(w)) continue;
      const services = model.servicesSelecting(w);
      if (services.length === 0) continue;
      const main = podContainers(w).filter((c) => c.role === 'main').map((c) => c.container);
      const checked = servingContainers(main, services);
      const names = serviceNames(w, services);
      for (const c of checked) {
        const probe = c.props.prop('readinessProbe');
        if (probe.present && !isNull(probe)) continue;
        report(c.props.prop('name'), 'noReadinessProbe', { container: containerName(c), workload: workloadLabel(w), services: names, key: key('readinessProbe') }, { atKey: true });
      }
    }
  },
});

/**
 * `Service "web"` or `Services "web", "web-internal"`: the selecting Services closest to the
 * workload (same file, else same folder, else any), each name once.
 */
function serviceNames(w: Workload, services: readonly K8sService[]): string {
  const dir = (s: string) => s.slice(0, Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\')) + 1);
  const sameFile = services.filter((s) => s.file === w.file);
  const sameDir = services.filter((s) => dir(s.file.path) === dir(w.file.path));
  const near = sameFile.length ? sameFile : sameDir.length ? sameDir : services;
  // Sorted (by UTF-16 code units: names are DNS labels): the same files in another order give the same message.
  const names = [...new Set(near.map((s) => nameText(s.name) ?? 'unnamed'))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const shown = names.slice(0, 3).map((n) => `"${n}"`).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
  return `${names.length === 1 ? 'Service' : 'Services'} ${shown}`;
}

/**
 * The containers that receive the Services' traffic: those whose declared ports (number or name)
 * a Service targets; when none matches (ports not declared, or targets unknown), every container
 * that declares ports; when none declares any, all of them. Sidecars without ports are left out.
 */
function servingContainers(containers: K8sContainer[], services: readonly K8sService[]): K8sContainer[] {
  const targets = new Set<string>();
  for (const s of services) {
    for (const p of s.ports) {
      const target = p.prop('targetPort');
      const t = target.present ? target.str() : p.prop('port').str();
      if (t !== undefined) targets.add(t);
    }
  }
  const portsOf = (c: K8sContainer) => c.props.prop('ports').objects();
  const targeted = containers.filter((c) => portsOf(c).some((p) => [p.prop('containerPort').str(), p.prop('name').str()].some((v) => v !== undefined && targets.has(v))));
  if (targeted.length) return targeted;
  const declaring = containers.filter((c) => c.props.prop('ports').list()?.length);
  return declaring.length ? declaring : containers;
}
