import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/readonly-root-filesystem',
  severity: 'warning',
  description: 'Containers should have a read-only root file system.',
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      // Not supported for Windows containers.
      if (td.containers.length === 0 || td.windows() !== 'no') continue;
      for (const c of td.containers) {
        const ro = c.props.prop('ReadonlyRootFilesystem');
        const where = `Container ${c.label} of task definition "${td.label}"`;
        const fix = 'set ReadonlyRootFilesystem: true and mount a volume (or a bind mount of the task\'s ephemeral storage) at the paths the application writes to, such as /tmp';
        if (ro.absent) {
          report(c.props.prop('Name'), `${where} has a writable root file system (ReadonlyRootFilesystem is not set), so an attacker can change its binaries and configuration or drop tools into it; ${fix}.`);
        } else if (ro.bool() === false) {
          report(ro, `${where} has a writable root file system (ReadonlyRootFilesystem: false), so an attacker can change its binaries and configuration or drop tools into it; ${fix}.`, { atKey: true });
        }
      }
    }
  },
});
