import { defineRule, key } from '../../engine/rule.js';
import { TaskDefinition } from '../../model/entities.js';

/** The latest Fargate Linux platform version (what LATEST selects). */
const LATEST_LINUX = [1, 4, 0] as const;

/** A `major.minor.patch` version below the latest Linux one; LATEST and anything else is not judged. */
function olderThanLatest(version: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version.trim());
  if (!m) return false;
  const v = [Number(m[1]), Number(m[2]), Number(m[3])];
  for (let i = 0; i < 3; i++) if (v[i] !== LATEST_LINUX[i]) return v[i]! < LATEST_LINUX[i];
  return false;
}

export default defineRule({
  id: 'ecs/fargate-platform-version',
  severity: 'info',
  description: 'Fargate services should run the LATEST platform version.',
  meta: {
    messages: {
      old: 'Service "{{service}}" pins Fargate platform version "{{version}}", older than {{latest}} (EFS volumes, more ephemeral storage, task metadata v4); set {{key}} to LATEST or leave it out.',
    },
  },
  check({ model, report }) {
    for (const service of model.services) {
      const pv = service.platformVersion;
      const version = pv.str();
      if (version === undefined || !olderThanLatest(version)) continue;
      if (model.isFargate(service) !== 'yes') continue;
      // Windows containers on Fargate have their own platform versions (only 1.0.0): leave them alone.
      const td = model.taskDefinitionOf(service);
      if (td instanceof TaskDefinition) {
        if (td.windows() !== 'no') continue;
        // With EFS volumes this version is an error that ecs/fargate-efs-platform-version reports at the same value.
        if (td.efsVolumes().length > 0) continue;
      } else if (version.trim() === '1.0.0') {
        // 1.0.0 is also the Windows version: without the task definition the operating system is unknown.
        continue;
      }
      report(pv, 'old', { service: service.label, version, latest: LATEST_LINUX.join('.'), key: key('PlatformVersion') });
    }
  },
});
