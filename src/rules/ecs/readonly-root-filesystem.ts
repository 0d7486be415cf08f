import { defineRule, key } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/readonly-root-filesystem',
  severity: 'warning',
  description: 'Containers should have a read-only root file system.',
  meta: {
    messages: {
      notSet: 'Container {{container}} of task definition "{{taskDefinition}}" has a writable root file system: set {{key}} to true and mount volumes where it writes.',
      writable: 'Container {{container}} of task definition "{{taskDefinition}}" has a writable root file system: set {{key}} to true and mount volumes where it writes.',
    },
  },
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      // Not supported for Windows containers.
      if (td.containers.length === 0 || td.windows() !== 'no') continue;
      for (const c of td.containers) {
        const ro = c.props.prop('ReadonlyRootFilesystem');
        const data = { container: c.label, taskDefinition: td.label, key: key('ReadonlyRootFilesystem') };
        if (ro.absent) report(c.props.prop('Name'), 'notSet', data);
        else if (ro.bool() === false) report(ro, 'writable', data, { atKey: true });
      }
    }
  },
});
