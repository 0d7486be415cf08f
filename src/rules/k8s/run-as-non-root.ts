import { defineRule } from '../../engine/rule.js';
import type { K8sContainer } from '../../model/entities.js';
import type { Prop } from '../../model/value.js';
import { ContainerLabel, containerName, isWindowsPod, podContainers, workloadLabel } from './lib/pod.js';
import { effectiveSecurityField, missingSettingTarget } from './lib/security-context.js';

export default defineRule({
  id: 'k8s/run-as-non-root',
  severity: 'warning',
  description: 'Containers should run as a non-root user (runAsNonRoot: true or a non-zero runAsUser).',
  check({ model, report }) {
    for (const w of model.workloads) {
      if (isWindowsPod(w)) continue;
      // A pod-level value that makes several containers root is reported once, at that value.
      const podLevel = new Map<Prop['node'], { prop: Prop; value: string; containers: K8sContainer[] }>();
      for (const { container, role } of podContainers(w)) {
        const label = ContainerLabel(container, role);
        const user = effectiveSecurityField(container, 'runAsUser');
        const nonRoot = effectiveSecurityField(container, 'runAsNonRoot');
        if (user.prop.unknown || nonRoot.prop.unknown) continue;
        const uid = user.prop.num();
        let bad: { prop: Prop; value: string } | undefined;
        if (user.from !== 'none' && uid === 0) bad = { prop: user.prop, value: 'runAsUser: 0' };
        else if (nonRoot.prop.bool() === true) continue;
        else if (user.from !== 'none' && uid !== undefined && uid > 0) continue;
        else if (user.from !== 'none') continue; // a runAsUser that is not a number: not ours to judge
        else if (nonRoot.from !== 'none' && nonRoot.prop.bool() === false) bad = { prop: nonRoot.prop, value: 'runAsNonRoot: false' };
        else if (nonRoot.from !== 'none') continue;
        if (bad) {
          const fromPod = (bad.prop === user.prop ? user.from : nonRoot.from) === 'pod';
          if (fromPod) {
            const entry = podLevel.get(bad.prop.node) ?? { ...bad, containers: [] };
            entry.containers.push(container);
            podLevel.set(bad.prop.node, entry);
            continue;
          }
          if (bad.value === 'runAsUser: 0') report(bad.prop, `${label} runs as root (runAsUser: 0); set runAsUser to a non-zero UID the image supports and runAsNonRoot: true.`);
          else report(bad.prop, `${label} may run as root: it sets runAsNonRoot: false and no non-zero runAsUser, so it runs as the image's USER, root by default; set runAsNonRoot: true and a non-zero runAsUser.`);
          continue;
        }
        report(missingSettingTarget(container), `${label} may run as root: neither it nor the pod sets runAsNonRoot: true or a non-zero runAsUser, so it runs as the image's USER, root by default; set securityContext.runAsNonRoot: true and a runAsUser (here or in the pod's securityContext).`, { atKey: true });
      }
      for (const { prop, value, containers } of podLevel.values()) {
        const names = containers.map((c) => `"${containerName(c)}"`).join(', ');
        const who = containers.length === 1 ? `its container ${names}` : `its containers ${names}`;
        const verb = value === 'runAsUser: 0' ? (containers.length === 1 ? 'runs as root' : 'run as root') : `${containers.length === 1 ? 'runs' : 'run'} as the image's USER, root by default`;
        report(prop, `The pod securityContext of ${workloadLabel(w)} sets ${value}, so ${who} ${verb}; set runAsNonRoot: true and a non-zero runAsUser the image supports.`);
      }
    }
  },
});
