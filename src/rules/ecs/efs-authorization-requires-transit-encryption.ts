import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/efs-authorization-requires-transit-encryption',
  severity: 'error',
  description: 'EFS IAM authorization and access points require transit encryption.',
  check({ model, report }) {
    for (const volume of model.efsVolumes()) {
      const config = volume.efs.obj()!;
      const te = config.prop('TransitEncryption');
      // Only a definite "not enabled": absent (the default is DISABLED) or DISABLED.
      if (!(te.absent || te.is('DISABLED'))) continue;
      const auth = config.obj('AuthorizationConfig');
      if (!auth) continue;
      const state = te.absent ? 'without TransitEncryption (the default is DISABLED)' : 'with TransitEncryption "DISABLED"';
      const where = `Volume "${volume.name}" of task definition "${volume.taskDefinition.label}"`;
      const iam = auth.prop('IAM');
      if (iam.is('ENABLED')) {
        report(iam, `${where} enables EFS IAM authorization ${state}; ECS rejects the task definition because IAM authorization needs transit encryption, so set TransitEncryption: ENABLED.`, { atKey: true });
      }
      const ap = auth.prop('AccessPointId');
      if (ap.surelyPresent && ap.known && ap.str() !== '') {
        report(ap, `${where} uses an EFS access point ${state}; ECS rejects the task definition because access points need transit encryption, so set TransitEncryption: ENABLED.`, { atKey: true });
      }
    }
  },
});
