import { defineRule } from '../../engine/rule.js';
import { SCALABLE_TARGET } from './lib/targets.js';
import { scheduleProblem } from './lib/schedule.js';

export default defineRule({
  id: 'scaling/scheduled-action',
  severity: 'error',
  description: 'Scheduled scaling actions need MinCapacity <= MaxCapacity and a valid at(), rate() or cron() schedule.',
  check({ model, report }) {
    for (const res of model.resources(SCALABLE_TARGET)) {
      for (const action of res.props.prop('ScheduledActions').objects()) {
        const name = action.prop('ScheduledActionName').str();
        const what = `Scheduled action ${name ? `"${name}" ` : ''}of scalable target "${res.logicalId}"`;
        const schedule = action.prop('Schedule');
        const s = schedule.str();
        const problem = s !== undefined ? scheduleProblem(s) : undefined;
        if (problem) report(schedule, `${what} has schedule "${s}", which Application Auto Scaling rejects: ${problem}; e.g. cron(0 8 ? * MON-FRI *) or at(2026-12-24T18:00:00).`);
        const act = action.obj('ScalableTargetAction');
        const lo = act?.prop('MinCapacity').num();
        const hi = act?.prop('MaxCapacity').num();
        if (act && lo !== undefined && hi !== undefined && lo > hi)
          report(act.prop('MinCapacity'), `${what} sets MinCapacity ${lo} above MaxCapacity ${hi}, so the action fails when it runs; set MinCapacity <= MaxCapacity.`);
      }
    }
  },
});
