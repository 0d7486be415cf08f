import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'storage/efs-transit-encryption',
  severity: 'warning',
  description: 'EFS volumes should encrypt data in transit.',
  check({ model, report }) {
    for (const volume of model.efsVolumes()) {
      const config = volume.efs.obj()!;
      const te = config.prop('TransitEncryption');
      const where = `Volume "${volume.name}" of task definition "${volume.taskDefinition.label}"`;
      if (te.absent) {
        report(volume.efs, `${where} mounts EFS without TransitEncryption, so NFS traffic between the host and the file system is unencrypted (the default is DISABLED); set TransitEncryption: ENABLED.`, { atKey: true });
      } else if (te.is('DISABLED')) {
        report(te, `${where} mounts EFS with TransitEncryption "DISABLED", so NFS traffic between the host and the file system is unencrypted; set TransitEncryption: ENABLED.`);
      }
    }
  },
});
