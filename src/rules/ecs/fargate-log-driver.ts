import { defineRule, key } from '../../engine/rule.js';
import { LogConfiguration } from '../../model/ecs-extra.js';
import { fargateContext } from './lib/fargate.js';
import { ecsApiSpec } from './lib/api-schema.js';

const FARGATE_DRIVERS = ['awslogs', 'splunk', 'awsfirelens'];

export default defineRule({
  id: 'ecs/fargate-log-driver',
  severity: 'error',
  description: 'Fargate supports only the awslogs, splunk and awsfirelens log drivers, and awslogs needs a stream prefix there.',
  meta: {
    messages: {
      unsupported: 'Task definition "{{taskDefinition}}" {{why}}, but container {{container}} logs through "{{driver}}", which Fargate lacks; use awslogs, splunk or awsfirelens.',
      noOptions: 'Task definition "{{taskDefinition}}" {{why}}, but container {{container}} logs through awslogs without {{key}}, where Fargate requires awslogs-stream-prefix; add it.',
      noPrefix: 'Task definition "{{taskDefinition}}" {{why}}, but container {{container}} logs through awslogs without awslogs-stream-prefix, which Fargate requires; add it to {{key}}.',
    },
  },
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      const ctx = fargateContext(model, td);
      if (!ctx) continue;
      for (const c of td.containers) {
        const log = LogConfiguration.of(c);
        const driver = log?.driver.str();
        if (!log || driver === undefined) continue;
        const about = { taskDefinition: td.label, why: ctx.why, container: c.label, key: key('Options') };
        // In task-definition JSON, a value that is no log driver of the API (`cloudwatch`) is ecs/allowed-values' finding, with the driver to use.
        if (td.origin.format === 'ecs-task-definition' && !(ecsApiSpec().enums.get('LogDriver') ?? []).some((d) => d.toLowerCase() === driver.toLowerCase())) continue;
        if (!FARGATE_DRIVERS.includes(driver)) {
          report(log.driver, 'unsupported', { ...about, driver });
          continue;
        }
        if (driver !== 'awslogs') continue;
        const options = log.options;
        if (options.absent) {
          report(log.props.anchor, 'noOptions', about);
          continue;
        }
        const opts = options.obj();
        if (!opts) continue;
        if (log.option('awslogs-stream-prefix').absent) report(opts.anchor, 'noPrefix', about);
      }
    }
  },
});
