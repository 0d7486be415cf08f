import { isUnknown, unknown } from '../../model/answer.js';
import { defineRule } from '../../engine/rule.js';
import { byCodePoint } from '../../parsers/text-scan.js';
import type { CfnResource } from '../../model/cfn.js';
import { Role, TaskDefinition } from '../../model/entities.js';
import { allowingStatements, itemsOf, roleDocuments } from '../capacity/lib/policies.js';
import { policyWatchesQueue } from './lib/metrics.js';
import { mayScale, policyIndex, targetIndex } from './lib/targets.js';

export default defineRule({
  id: 'scaling/queue-worker-scaling',
  severity: 'info',
  recommended: false,
  description: "Services that consume an SQS queue should scale on the queue's backlog.",
  check({ model, report }) {
    if (model.services.length === 0) return;
    for (const service of model.services) {
      const strategy = service.props.prop('SchedulingStrategy');
      if (!strategy.absent && !strategy.is('REPLICA')) continue;
      const td = model.taskDefinitionOf(service);
      if (!(td instanceof TaskDefinition)) continue;
      const ref = model.roleRef(td.taskRole);
      if (ref === undefined || isUnknown(ref) || !(ref.role instanceof Role)) continue;
      // Queues of the model the task role may receive from.
      const queues: CfnResource[] = [];
      for (const doc of roleDocuments(model, ref.role)) {
        for (const s of allowingStatements(doc, 'sqs:ReceiveMessage')) {
          for (const r of itemsOf(s.prop('Resource')).known) {
            const res = r.res;
            if (res.kind === 'ref' && res.resource.type === 'AWS::SQS::Queue' && res.attribute === 'Arn' && !queues.includes(res.resource)) queues.push(res.resource);
          }
        }
      }
      if (queues.length === 0) continue;
      // Scaling the model cannot attribute might be this service's.
      const targets = targetIndex(model);
      if (targets.unresolved.some((t) => mayScale(t, service))) continue;
      const policies = policyIndex(model);
      const template = service.origin.resource?.template;
      if (policies.unknownPolicies.some((p) => p.template === template)) continue;
      const own = policies.byService.get(service) ?? [];
      const queue = queues.find((q) => own.every((p) => policyWatchesQueue(model, p, q) === 'no'));
      if (!queue) continue;
      const has = own.length ? `its scaling policies (${own.map((p) => `"${p.logicalId}"`).sort(byCodePoint).join(', ')}) do not watch the queue` : 'it has no scaling policy';
      report(
        service,
        `Service "${service.label}" consumes SQS queue "${queue.logicalId}" (its task role "${ref.name ?? ref.role.label}" allows sqs:ReceiveMessage on it), but ${has}, so a growing backlog does not add workers; scale the service on the queue's ApproximateNumberOfMessagesVisible (a step-scaling policy with a CloudWatch alarm, or target tracking on backlog per task with a CustomizedMetricSpecification).`,
      );
    }
  },
});
