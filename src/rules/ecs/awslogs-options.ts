import { defineRule } from '../../engine/rule.js';
import type { TaskDefinition } from '../../model/entities.js';
import { isScalar } from '../../parsers/tree.js';
import { logConfiguration, option } from './lib/values.js';

/**
 * Options the awslogs driver accepts: those the ECS documentation lists, the ones the ECS agent
 * handles (awslogs-stream-prefix, awslogs-credentials-endpoint), the ones Docker's awslogs driver
 * validates, and Docker's generic log options (mode, max-buffer-size, tag).
 */
const KNOWN = [
  'awslogs-create-group',
  'awslogs-create-stream',
  'awslogs-credentials-endpoint',
  'awslogs-datetime-as-event-time',
  'awslogs-datetime-format',
  'awslogs-datetime-timezone',
  'awslogs-endpoint',
  'awslogs-force-flush-interval-seconds',
  'awslogs-format',
  'awslogs-group',
  'awslogs-max-buffered-events',
  'awslogs-multiline-pattern',
  'awslogs-region',
  'awslogs-stream',
  'awslogs-stream-prefix',
  'max-buffer-size',
  'mode',
  'tag',
];

/** Suggested replacements for an unknown option, in order of preference. */
const COMMON = ['awslogs-group', 'awslogs-region', 'awslogs-stream-prefix', 'awslogs-create-group', 'awslogs-datetime-format', 'awslogs-multiline-pattern', 'mode', 'max-buffer-size'];

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The known option an unknown one was most likely meant to be. */
function didYouMean(key: string): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/_/g, '-').replace(/^(aws-?logs-?)/, '');
  const k = norm(key);
  let best: string | undefined;
  let bestScore = Infinity;
  for (const known of [...COMMON, ...KNOWN]) {
    const n = norm(known);
    // `awslogs-log-group`, `log-region`: a known option's tail with words in front;
    // `awslogs-multiline`: the start of a known option.
    const tail = n.length >= 4 && (k.endsWith(`-${n}`) || (k.length >= 4 && n.startsWith(`${k}-`))) ? 1 : Infinity;
    const score = Math.min(distance(key.toLowerCase(), known), distance(k, n), tail);
    if (score < bestScore) {
      best = known;
      bestScore = score;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.min(3, Math.floor(norm(best).length / 3)));
  return bestScore <= limit ? best : undefined;
}

/** RequiresCompatibilities lists EXTERNAL (ECS Anywhere: no instance metadata to take the Region from). */
function listsExternal(td: TaskDefinition): boolean {
  return (td.requiresCompatibilities.list() ?? []).some((i) => i.is('EXTERNAL'));
}

export default defineRule({
  id: 'ecs/awslogs-options',
  severity: 'error',
  description: 'The awslogs log driver needs awslogs-group and awslogs-region, and accepts only its own options.',
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      let needsRegion: boolean | undefined;
      for (const c of td.containers) {
        const log = logConfiguration(c);
        if (!log || !log.driver.is('awslogs')) continue;
        const cname = `Container "${c.name}" of task definition "${td.label}"`;
        const options = log.config.prop('Options');
        if (options.absent) {
          report(log.config.anchor, `${cname} logs through awslogs without Options, but the driver needs awslogs-group (the log group to send logs to), so the container cannot start; add Options with awslogs-group, awslogs-region and awslogs-stream-prefix.`);
          continue;
        }
        const opts = options.obj();
        if (!opts) continue;
        // Docker on an EC2 instance falls back to the instance's Region; Fargate and ECS Anywhere do not.
        needsRegion ??= model.taskRunsOnFargate(td) === 'yes' || listsExternal(td);
        const missing = ['awslogs-group', ...(needsRegion ? ['awslogs-region'] : [])].filter((k) => option(opts, k).absent);
        if (missing.length) {
          const what = missing.length === 2 ? 'awslogs-group or awslogs-region' : missing[0]!;
          const where = listsExternal(td) && td.requiresFargate() !== 'yes' ? 'ECS Anywhere' : 'Fargate';
          const region = `the Region of the log group, which on ${where} cannot come from the instance`;
          const why = missing.length === 2 ? `the log group, and ${region}` : missing[0] === 'awslogs-group' ? 'the log group to send logs to' : region;
          report(opts.anchor, `${cname} logs through awslogs without ${what}, which the driver needs (${why}); without it the container cannot start; add ${missing.join(' and ')} to the options.`);
        }
        for (const pair of opts.node.entries) {
          const key = pair.key.value;
          if (!isScalar(pair.key) || typeof key !== 'string' || KNOWN.includes(key) || key.startsWith('Fn::')) continue;
          const hint = didYouMean(key);
          report(pair.key, `${cname} passes unknown awslogs option "${key}", which the awslogs driver rejects ("unknown log opt"), so the container cannot start; ${hint ? `did you mean "${hint}"? Rename or remove it.` : `remove it (the driver accepts ${COMMON.slice(0, 3).join(', ')} and the other options in the ECS documentation).`}`);
        }
      }
    }
  },
});
