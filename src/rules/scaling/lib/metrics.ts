import { isUnknown, UNKNOWN } from '../../../model/answer.js';
import type { CfnResource } from '../../../model/cfn.js';
import type { Tri } from '../../../model/entities.js';
import type { FileView } from '../../../model/model.js';
import type { Obj } from '../../../model/value.js';
import { alarmIndex } from './targets.js';

const QUEUE_METRICS = ['ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage'];

/** Does one metric (Namespace, MetricName, Dimensions) watch the backlog of the queue? */
function metricWatches(metric: Obj, queue: CfnResource): Tri {
  const ns = metric.prop('Namespace');
  const n = ns.str();
  if (n === undefined) return UNKNOWN;
  if (n !== 'AWS/SQS') return n.startsWith('AWS/') ? 'no' : UNKNOWN;
  const name = metric.prop('MetricName').str();
  if (name !== undefined && !QUEUE_METRICS.includes(name)) return 'no';
  const dims = metric.prop('Dimensions').list();
  if (!dims) return UNKNOWN;
  for (const d of dims) {
    const o = d.obj();
    if (!o) return UNKNOWN;
    if (o.prop('Name').str() !== 'QueueName') continue;
    const v = o.prop('Value');
    const r = v.res;
    if (r.kind === 'ref') return r.resource === queue ? (name === undefined ? UNKNOWN : 'yes') : r.resource.type === 'AWS::SQS::Queue' ? 'no' : UNKNOWN;
    const s = v.str();
    if (s === undefined) return UNKNOWN;
    const own = queue.props.prop('QueueName');
    if (own.str() !== undefined && !(own.res.kind === 'literal' && own.res.pseudo)) return own.str() === s ? (name === undefined ? UNKNOWN : 'yes') : 'no';
    return UNKNOWN;
  }
  return 'no';
}

/** A metric specification (a single metric, or metric math over `Metrics`): does it watch the queue? */
function specWatches(spec: Obj, queue: CfnResource): Tri {
  const metrics = spec.prop('Metrics');
  if (metrics.present) {
    const items = metrics.list();
    if (!items) return UNKNOWN;
    let answer: Tri = 'no';
    for (const i of items) {
      const stat = i.obj()?.obj('MetricStat')?.obj('Metric');
      const expr = i.obj()?.prop('Expression');
      if (!stat) {
        if (expr?.present) continue; // an expression over the other metrics
        answer = UNKNOWN;
        continue;
      }
      const r = metricWatches(stat, queue);
      if (r === 'yes') return 'yes';
      if (isUnknown(r)) answer = UNKNOWN;
    }
    return answer;
  }
  return metricWatches(spec, queue);
}

/** Does a scaling policy scale on the backlog of the queue? */
export function policyWatchesQueue(model: FileView, policy: CfnResource, queue: CfnResource): Tri {
  const type = policy.props.prop('PolicyType').str();
  if (type === 'TargetTrackingScaling') {
    const config = policy.props.obj('TargetTrackingScalingPolicyConfiguration');
    if (!config) return UNKNOWN;
    if (config.prop('PredefinedMetricSpecification').present) return 'no';
    const custom = config.obj('CustomizedMetricSpecification');
    return custom ? specWatches(custom, queue) : UNKNOWN;
  }
  if (type === 'StepScaling') {
    const alarms = alarmIndex(model);
    if (alarms.unknownIn.has(policy.template)) return UNKNOWN;
    let answer: Tri = 'no';
    for (const alarm of alarms.byPolicy.get(policy) ?? []) {
      if (alarm.type !== 'AWS::CloudWatch::Alarm') return UNKNOWN;
      const r = specWatches(alarm.props, queue);
      if (r === 'yes') return 'yes';
      if (isUnknown(r)) answer = UNKNOWN;
    }
    return answer;
  }
  return UNKNOWN;
}
