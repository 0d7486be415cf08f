import { defineRule, key } from '../../engine/rule.js';
import type { K8sContainer } from '../../model/entities.js';
import type { Prop } from '../../model/value.js';
import { ALLOW_IMAGES_SCHEMA, imageAllowed } from '../lib/allow-images.js';
import { ContainerLabel, containerName, isWindowsPod, podContainers, workloadLabel } from './lib/pod.js';
import { effectiveSecurityField, missingSettingTarget } from './lib/security-context.js';

export interface RunAsNonRootOptions extends Record<string, unknown> {
  /** Image globs the rule leaves alone (images that must start as root, such as a log router that reads host files). */
  allowImages: string[];
}

type Bad = 'runAsUser: 0' | 'runAsNonRoot: false';

export default defineRule<RunAsNonRootOptions, 'root' | 'nonRootFalse' | 'notSet' | 'podRoot' | 'podNonRootFalse'>({
  id: 'k8s/run-as-non-root',
  severity: 'warning',
  description: 'Containers should run as a non-root user (runAsNonRoot: true or a non-zero runAsUser).',
  meta: {
    messages: {
      root: '{{container}} runs as root ({{user}} is 0): set it to a non-zero UID the image supports and {{nonRoot}} to true.',
      nonRootFalse: '{{container}} sets {{nonRoot}} to false and no non-zero {{user}}, so it may run as root: set {{nonRoot}} to true and a non-zero {{user}}.',
      notSet: '{{container}} may run as root (the image\'s USER): set {{nonRoot}} to true and a non-zero {{user}}, here or in the pod.',
      podRoot: 'The pod securityContext of {{workload}} sets {{user}} to 0, which makes {{containers}} run as root: set a non-zero {{user}} and {{nonRoot}} to true.',
      podNonRootFalse: 'The pod securityContext of {{workload}} sets {{nonRoot}} to false, which lets {{containers}} run as root: set {{nonRoot}} to true and a non-zero {{user}}.',
    },
    schema: { type: 'object', additionalProperties: false, properties: { allowImages: ALLOW_IMAGES_SCHEMA } },
  },
  defaultOptions: { allowImages: [] },
  check({ model, report, options }) {
    for (const w of model.workloads) {
      if (isWindowsPod(w)) continue;
      // A pod-level value that makes several containers root is reported once, at that value.
      const podLevel = new Map<Prop['node'], { prop: Prop; value: Bad; containers: K8sContainer[] }>();
      for (const { container, role } of podContainers(w)) {
        if (imageAllowed(container.image, options.allowImages)) continue;
        const label = ContainerLabel(container, role);
        const user = effectiveSecurityField(container, 'runAsUser');
        const nonRoot = effectiveSecurityField(container, 'runAsNonRoot');
        if (user.prop.unknown || nonRoot.prop.unknown) continue;
        const uid = user.prop.num();
        let bad: { prop: Prop; value: Bad } | undefined;
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
          report(bad.prop, bad.value === 'runAsUser: 0' ? 'root' : 'nonRootFalse', { container: label, user: key('runAsUser'), nonRoot: key('runAsNonRoot') });
          continue;
        }
        report(missingSettingTarget(container), 'notSet', { container: label, user: key('runAsUser'), nonRoot: key('securityContext.runAsNonRoot') }, { atKey: true });
      }
      for (const { prop, value, containers } of podLevel.values()) {
        const names = containers.map((c) => `"${containerName(c)}"`).join(', ');
        const who = containers.length === 1 ? `its container ${names}` : `its containers ${names}`;
        report(prop, value === 'runAsUser: 0' ? 'podRoot' : 'podNonRootFalse', { workload: workloadLabel(w), containers: who, user: key('runAsUser'), nonRoot: key('runAsNonRoot') });
      }
    }
  },
});
