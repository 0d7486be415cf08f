import { UNKNOWN } from '../../../model/answer.js';
import type { CfnResource } from '../../../model/cfn.js';
import type { Tri } from '../../../model/entities.js';
import type { FileView } from '../../../model/model.js';
import type { Obj, Prop } from '../../../model/value.js';

/** The resource a property refers to (Ref/GetAtt), when it is of the given type. */
export function refResource(p: Prop, type: string): CfnResource | 'unknown' | undefined {
  const r = p.res;
  if (r.kind === 'absent') return undefined;
  if (r.kind === 'ref') return r.resource.type === type ? r.resource : undefined;
  return 'unknown';
}

export const LB = 'AWS::ElasticLoadBalancingV2::LoadBalancer';
export const LISTENER = 'AWS::ElasticLoadBalancingV2::Listener';
export const LISTENER_RULE = 'AWS::ElasticLoadBalancingV2::ListenerRule';
export const TARGET_GROUP = 'AWS::ElasticLoadBalancingV2::TargetGroup';

/** `application` (the default), `network` or `gateway`; undefined when unknown. */
export function lbType(lb: CfnResource): string | undefined {
  const t = lb.props.prop('Type');
  if (t.absent) return 'application';
  return t.str()?.toLowerCase();
}

/** `internet-facing` (the default) or `internal`; undefined when unknown. */
export function lbScheme(lb: CfnResource): string | undefined {
  const s = lb.props.prop('Scheme');
  if (s.absent) return 'internet-facing';
  return s.str()?.toLowerCase();
}

/** Listener rules of the run, by the listener resource they attach to (memoised). */
export function listenerRules(model: FileView): Map<CfnResource, CfnResource[]> {
  return model.all.memo('elb/lib:listenerRules', () => {
    const m = new Map<CfnResource, CfnResource[]>();
    for (const rule of model.all.resources(LISTENER_RULE)) {
      const l = refResource(rule.props.prop('ListenerArn'), LISTENER);
      if (l === 'unknown' || l === undefined) continue;
      m.set(l, [...(m.get(l) ?? []), rule]);
    }
    return m;
  });
}

/** Target groups an action list forwards to (ForwardConfig or TargetGroupArn); 'unknown' where unknown. */
export function forwardTargets(actions: Obj[]): Array<CfnResource | 'unknown'> {
  const out: Array<CfnResource | 'unknown'> = [];
  for (const a of actions) {
    const type = a.prop('Type');
    if (!type.known) {
      out.push('unknown');
      continue;
    }
    if (!type.isCI('forward')) continue;
    const direct = a.prop('TargetGroupArn');
    if (direct.present) out.push(refResource(direct, TARGET_GROUP) ?? 'unknown');
    const fc = a.obj('ForwardConfig');
    for (const tg of fc?.prop('TargetGroups').objects() ?? []) out.push(refResource(tg.prop('TargetGroupArn'), TARGET_GROUP) ?? 'unknown');
    if (!direct.present && !fc) out.push('unknown');
  }
  return out;
}

/** Does an action list serve requests (forward, authenticate-* then forward)? yes / no / unknown. */
export function actionsServe(actions: Prop): Tri {
  const items = actions.list();
  if (!items) return UNKNOWN;
  let unknown = false;
  for (const i of items) {
    const a = i.obj();
    if (!a) {
      if (i.present) unknown = true;
      continue;
    }
    const type = a.prop('Type');
    if (!type.known) unknown = true;
    else if (type.isCI('forward')) return 'yes';
  }
  return unknown ? UNKNOWN : 'no';
}
