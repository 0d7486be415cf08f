import { isMap, isScalar, isSeq } from '../../../parsers/tree.js';
import { Prop, type Obj } from '../../../model/value.js';

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
    case 'node':
      if (isSeq(r.node)) return (prop.list() ?? []).some((i) => i.surelyPresent);
      return isMap(r.node) && r.node.entries.length > 0;
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

/** The property's name as the file spells it (`Links` in CloudFormation, `links` in task-definition JSON). */
export function keyName(p: Prop): string {
  return isScalar(p.key) ? String(p.key.value) : p.name;
}

/** A log-driver option by its exact name (Docker option names are case-sensitive). */
export function option(options: Obj, name: string): Prop {
  const pair = options.node.pair(name);
  return new Prop(options, name, pair?.key, pair?.value);
}

/** A container's log configuration and its driver, when the configuration is a known mapping. */
export function logConfiguration(container: { props: Obj }): { config: Obj; driver: Prop } | undefined {
  const config = container.props.obj('LogConfiguration');
  return config ? { config, driver: config.prop('LogDriver') } : undefined;
}
