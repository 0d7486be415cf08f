import type { Obj, Prop } from '../../../model/value.js';
import { LogConfiguration, optionOf } from '../../../model/ecs-extra.js';

/**
 * A property that surely carries a setting: known, whatever conditions decide, and not `null`,
 * an empty string, an empty list or an empty mapping (describe-task-definition output and
 * exported task definitions write unset parameters as `null` or `[]`).
 */
export function isSet(prop: Prop): boolean {
  if (!prop.surelyPresent) return false;
  const r = prop.res;
  switch (r.kind) {
    case 'literal':
      return r.value !== null && r.value !== '';
    case 'ref':
      return true;
    case 'node': {
      const items = prop.list();
      if (items) return items.some((i) => i.surelyPresent);
      const o = prop.obj();
      return o !== undefined && o.node.size > 0;
    }
    default:
      return false;
  }
}

/** A short quotation of a known scalar value for messages, or undefined. */
export function quote(prop: Prop): string | undefined {
  const s = prop.str();
  if (s === undefined) return undefined;
  return `"${s.length > 60 ? s.slice(0, 60) + '…' : s}"`;
}

/**
 * The property's name as the file spells it (`Links` in CloudFormation, `links` in task-definition JSON).
 * Messages of rules on contract v2 pass `key('Links')` instead, which the engine spells for the file.
 */
export function keyName(p: Prop): string {
  const k = p.key;
  return k !== undefined && k.kind === 'scalar' ? String(k.value) : p.name;
}

/** A log-driver option by its exact name (Docker option names are case-sensitive). */
export function option(options: Obj, name: string): Prop {
  return optionOf(options, name)!;
}

/** A container's log configuration and its driver, when the configuration is a known mapping. */
export function logConfiguration(container: { props: Obj }): { config: Obj; driver: Prop } | undefined {
  const config = container.props.obj('LogConfiguration');
  return config ? { config, driver: config.prop('LogDriver') } : undefined;
}

export { LogConfiguration };
