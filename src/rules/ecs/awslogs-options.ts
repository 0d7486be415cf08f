import { defineRule, key } from '../../engine/rule.js';
import type { TaskDefinition } from '../../model/entities.js';
import { LogConfiguration } from '../../model/ecs-extra.js';

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
  meta: {
    messages: {
      noOptions: 'Container {{container}} of task definition "{{taskDefinition}}" logs through awslogs without {{key}}, so it has no awslogs-group and cannot start; add {{key}} with awslogs-group and awslogs-region.',
      noGroup: 'Container {{container}} of task definition "{{taskDefinition}}" logs through awslogs without awslogs-group (the log group), so it cannot start; add it to {{key}}.',
      noRegion: 'Container {{container}} of task definition "{{taskDefinition}}" logs through awslogs without awslogs-region, which on {{platform}} cannot come from the instance; add it to {{key}}.',
      noGroupOrRegion: 'Container {{container}} of task definition "{{taskDefinition}}" logs through awslogs without awslogs-group or awslogs-region (none on {{platform}}), so it cannot start; add both to {{key}}.',
      unknownOptionHint: 'Container {{container}} of task definition "{{taskDefinition}}" passes unknown awslogs option "{{option}}", so it cannot start; did you mean "{{suggestion}}"?',
      unknownOption: 'Container {{container}} of task definition "{{taskDefinition}}" passes unknown awslogs option "{{option}}", so it cannot start; remove it.',
    },
  },
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      let needsRegion: boolean | undefined;
      for (const c of td.containers) {
        const log = LogConfiguration.of(c);
        if (!log || !log.driver.is('awslogs')) continue;
        const about = { container: c.label, taskDefinition: td.label };
        const options = log.options;
        if (options.absent) {
          report(log.props.anchor, 'noOptions', { ...about, key: key('Options') });
          continue;
        }
        const opts = options.obj();
        if (!opts) continue;
        // Docker on an EC2 instance falls back to the instance's Region; Fargate and ECS Anywhere do not.
        needsRegion ??= model.taskRunsOnFargate(td) === 'yes' || listsExternal(td);
        const noGroup = log.option('awslogs-group').absent;
        const noRegion = needsRegion && log.option('awslogs-region').absent;
        if (noGroup || noRegion) {
          const platform = listsExternal(td) && td.requiresFargate() !== 'yes' ? 'ECS Anywhere' : 'Fargate';
          const id = noGroup && noRegion ? 'noGroupOrRegion' : noGroup ? 'noGroup' : 'noRegion';
          report(opts.anchor, id, { ...about, platform, key: key('Options') });
        }
        for (const option of log.optionEntries()) {
          if (KNOWN.includes(option.name)) continue;
          const hint = didYouMean(option.name);
          if (hint) report(option, 'unknownOptionHint', { ...about, option: option.name, suggestion: hint }, { atKey: true });
          else report(option, 'unknownOption', { ...about, option: option.name }, { atKey: true });
        }
      }
    }
  },
});
