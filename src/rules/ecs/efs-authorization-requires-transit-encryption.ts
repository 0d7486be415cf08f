import { defineRule, key } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/efs-authorization-requires-transit-encryption',
  severity: 'error',
  description: 'EFS IAM authorization and access points require transit encryption.',
  meta: {
    messages: {
      iam: 'Volume "{{volume}}" of task definition "{{taskDefinition}}" uses EFS IAM authorization with {{key}} {{state}}, so ECS rejects it; set {{key}} to ENABLED.',
      accessPoint: 'Volume "{{volume}}" of task definition "{{taskDefinition}}" uses an EFS access point with {{key}} {{state}}, so ECS rejects it; set {{key}} to ENABLED.',
    },
  },
  check({ model, report }) {
    for (const volume of model.efsVolumes()) {
      const config = volume.efs.obj()!;
      const te = config.prop('TransitEncryption');
      // Only a definite "not enabled": absent (the default is DISABLED) or DISABLED.
      if (!(te.absent || te.is('DISABLED'))) continue;
      const auth = config.obj('AuthorizationConfig');
      if (!auth) continue;
      const about = { volume: volume.name, taskDefinition: volume.taskDefinition.label, key: key('TransitEncryption'), state: te.absent ? 'unset (DISABLED by default)' : 'DISABLED' };
      const iam = auth.prop('IAM');
      if (iam.is('ENABLED')) report(iam, 'iam', about, { atKey: true });
      const ap = auth.prop('AccessPointId');
      if (ap.surelyPresent && ap.known && ap.str() !== '') report(ap, 'accessPoint', about, { atKey: true });
    }
  },
});
