import { defineRule, key } from '../../engine/rule.js';
import { TaskDefinition } from '../../model/entities.js';

/** A `major.minor.patch` platform version below 1.4.0; LATEST and anything else is not judged. */
function below140(version: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version.trim());
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major < 1 || (major === 1 && minor < 4);
}

export default defineRule({
  id: 'ecs/fargate-efs-platform-version',
  severity: 'error',
  description: 'EFS volumes on Fargate need platform version 1.4.0 or later.',
  meta: {
    messages: {
      tooOld:
        'Service "{{service}}" runs Fargate platform version "{{version}}", but task definition "{{taskDefinition}}" mounts EFS volume "{{volume}}", which needs 1.4.0 or later; set {{key}} to LATEST.',
    },
  },
  check({ model, report }) {
    for (const service of model.services) {
      const pv = service.platformVersion;
      const version = pv.str();
      if (version === undefined || !below140(version)) continue;
      if (model.isFargate(service) !== 'yes') continue;
      const td = model.taskDefinitionOf(service);
      if (!(td instanceof TaskDefinition)) continue;
      const efs = td.efsVolumes();
      if (efs.length === 0) continue;
      // Windows containers on Fargate have their own platform versions (1.0.0); only Linux is judged.
      const os = td.props.obj('RuntimePlatform')?.prop('OperatingSystemFamily');
      if (os && os.present && !os.is('LINUX')) continue;
      report(pv, 'tooOld', { service: service.label, version, taskDefinition: td.label, volume: efs[0]!.name, key: key('PlatformVersion') });
    }
  },
});
