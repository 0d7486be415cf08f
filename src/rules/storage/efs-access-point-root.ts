import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'storage/efs-access-point-root',
  severity: 'error',
  description: "With an EFS access point, the volume's root directory must be absent or /.",
  check({ model, report }) {
    for (const volume of model.efsVolumes()) {
      const config = volume.efs.obj()!;
      const ap = config.obj('AuthorizationConfig')?.prop('AccessPointId');
      if (!ap || !ap.surelyPresent || !ap.known || ap.str() === '') continue;
      const root = config.prop('RootDirectory');
      const dir = root.surelyPresent ? root.str() : undefined;
      if (dir === undefined || dir === '' || dir === '/') continue;
      const accessPoint = ap.res.kind === 'ref' ? ap.res.resource.logicalId : ap.str();
      report(
        root,
        `Volume "${volume.name}" of task definition "${volume.taskDefinition.label}" mounts EFS access point "${accessPoint}" with RootDirectory "${dir}", but with an access point the root directory must be omitted or "/", so ECS rejects the task definition; remove RootDirectory and set the directory as the access point's RootDirectory.Path instead.`,
      );
    }
  },
});
