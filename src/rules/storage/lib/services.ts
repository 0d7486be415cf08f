import type { Service } from '../../../model/entities.js';
import { byCodePoint } from '../../../parsers/text-scan.js';

/**
 * Does the service run several tasks at once? A known DesiredCount above 1 (REPLICA scheduling);
 * DAEMON services run one task per instance and are left alone.
 */
export function runsSeveralTasks(service: Service): boolean {
  const strategy = service.props.prop('SchedulingStrategy');
  if (strategy.present && !strategy.is('REPLICA')) return false;
  const n = service.props.prop('DesiredCount').num();
  return n !== undefined && n > 1;
}

export function serviceList(services: Service[]): string {
  const names = services.map((s) => `"${s.label}"`).sort(byCodePoint);
  return names.length <= 2 ? names.join(' and ') : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
}
