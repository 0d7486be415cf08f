import { defineRule } from '../../engine/rule.js';
import { fargateContext } from './lib/fargate.js';
import { logConfiguration, option } from './lib/values.js';
import { ecsApiSpec } from './lib/api-schema.js';

const FARGATE_DRIVERS = ['awslogs', 'splunk', 'awsfirelens'];

export default defineRule({
  id: 'ecs/fargate-log-driver',
  severity: 'error',
  description: 'Fargate supports only the awslogs, splunk and awsfirelens log drivers, and awslogs needs a stream prefix there.',
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      const ctx = fargateContext(model, td);
      if (!ctx) continue;
      const { why, fails } = ctx;
      for (const c of td.containers) {
        const log = logConfiguration(c);
        const driver = log?.driver.str();
        if (!log || driver === undefined) continue;
        const cname = `Task definition "${td.label}" ${why} but its container "${c.name}"`;
        // In task-definition JSON, a value that is no log driver of the API (`cloudwatch`) is ecs/allowed-values' finding, with the driver to use.
        if (td.origin.format === 'ecs-task-definition' && !(ecsApiSpec().enums.get('LogDriver') ?? []).some((d) => d.toLowerCase() === driver.toLowerCase())) continue;
        if (!FARGATE_DRIVERS.includes(driver)) {
          report(log.driver, `${cname} logs through the "${driver}" log driver, which Fargate does not support, so ${fails}; use awslogs (CloudWatch Logs), splunk, or awsfirelens (a FireLens log router sidecar, Fluent Bit or Fluentd, that forwards to other destinations).`);
          continue;
        }
        if (driver !== 'awslogs') continue;
        const options = log.config.prop('Options');
        if (options.absent) {
          report(log.config.anchor, `${cname} logs through awslogs with no Options, so it lacks the awslogs-stream-prefix that Fargate requires and ${fails}; add Options with awslogs-stream-prefix (and awslogs-group and awslogs-region).`);
          continue;
        }
        const opts = options.obj();
        if (!opts) continue;
        const prefix = option(opts, 'awslogs-stream-prefix');
        if (prefix.absent) {
          report(opts.anchor, `${cname} logs through awslogs without awslogs-stream-prefix, which Fargate requires, so ${fails}; add awslogs-stream-prefix (for example the service name) to the options: streams are then named prefix/container/task-id.`);
        }
      }
    }
  },
});
