import { UNKNOWN } from '../../../model/answer.js';
/**
 * Load balancers of the AWS Load Balancer Controller: NLB Services and ALB Ingresses, their
 * IngressClass / IngressClassParams, backends and target types.
 */
import type { K8sObject, K8sService, Tri } from '../../../model/entities.js';
import type { FileView } from '../../../model/model.js';
import type { Prop } from '../../../model/value.js';
import { findK8s, k8sIndex, namespaceOf } from './fargate.js';

export const NLB_TYPE = 'service.beta.kubernetes.io/aws-load-balancer-type';
export const NLB_TARGET_TYPE = 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type';
export const NLB_SCHEME = 'service.beta.kubernetes.io/aws-load-balancer-scheme';
export const NLB_INTERNAL = 'service.beta.kubernetes.io/aws-load-balancer-internal';
export const ALB_TARGET_TYPE = 'alb.ingress.kubernetes.io/target-type';
export const ALB_SCHEME = 'alb.ingress.kubernetes.io/scheme';
export const ALB_GROUP = 'alb.ingress.kubernetes.io/group.name';
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const ALB_CONTROLLER = 'ingress.k8s.aws/alb';

/** Is the Service of type LoadBalancer served by the AWS Load Balancer Controller (an NLB)? */
export function isLbcNlb(svc: K8sService): Tri {
  const spec = svc.spec;
  const type = spec?.prop('type');
  if (!spec || !type?.known) return type?.unknown ? UNKNOWN : 'no';
  if (!type.is('LoadBalancer')) return 'no';
  const cls = spec.prop('loadBalancerClass');
  if (cls.present) {
    if (!cls.known) return UNKNOWN;
    return cls.is('service.k8s.aws/nlb') ? 'yes' : 'no';
  }
  const ann = svc.annotation(NLB_TYPE);
  if (!ann || ann.absent) return 'no';
  if (!ann.known) return UNKNOWN;
  return ann.isCI('external', 'nlb-ip') ? 'yes' : 'no';
}

/** The NLB's target type: 'ip', 'instance' (the controller's default), or undefined when unknown. */
export function nlbTargetType(svc: K8sService): { type: 'ip' | 'instance' | undefined; prop?: Prop } {
  const ann = svc.annotation(NLB_TARGET_TYPE);
  if (ann && ann.present) {
    if (!ann.known) return { type: undefined };
    const v = ann.str()?.toLowerCase();
    return { type: v === 'ip' ? 'ip' : v === 'instance' ? 'instance' : undefined, prop: ann };
  }
  if (svc.annotation(NLB_TYPE)?.isCI('nlb-ip')) return { type: 'ip' };
  return { type: 'instance' };
}

/** The IngressClass object an Ingress uses (by name, or the default class), when the run has it. */
function ingressClassObject(model: FileView, name: string | undefined): K8sObject | undefined {
  if (name !== undefined) return findK8s(model, 'IngressClass', name);
  const defaults = model.all.memo('eks/default-ingress-classes', () => {
    const out: K8sObject[] = [];
    for (const byName of k8sIndex(model).get('IngressClass')?.values() ?? [])
      for (const o of byName) if (o.annotation('ingressclass.kubernetes.io/is-default-class')?.is('true') && !out.includes(o)) out.push(o);
    return out;
  });
  return defaults.length === 1 ? defaults[0] : undefined;
}

export interface AlbIngress {
  answer: Tri;
  /** The IngressClass of the run, when found. */
  ingressClass?: K8sObject;
}

/** Is the Ingress an ALB of the AWS Load Balancer Controller? */
export function isAlbIngress(model: FileView, ing: K8sObject): AlbIngress {
  const spec = ing.props.obj('spec');
  const clsName = spec?.prop('ingressClassName');
  const ann = ing.annotation(INGRESS_CLASS_ANNOTATION);
  let name: string | undefined;
  if (clsName && clsName.present) {
    if (!clsName.known) return { answer: UNKNOWN };
    name = clsName.str();
  } else if (ann && ann.present) {
    if (!ann.known) return { answer: UNKNOWN };
    name = ann.str();
    // The annotation names the controller's class directly.
    if (name === 'alb') return { answer: 'yes' };
  }
  const obj = ingressClassObject(model, name);
  if (obj) {
    const controller = obj.props.obj('spec')?.prop('controller');
    if (!controller?.known) return { answer: UNKNOWN };
    return controller.is(ALB_CONTROLLER) ? { answer: 'yes', ingressClass: obj } : { answer: 'no' };
  }
  if (name === 'alb') return { answer: 'yes' };
  return { answer: name === undefined ? UNKNOWN : 'no' };
}

/**
 * The IngressClassParams of an ALB IngressClass: undefined when the class has none,
 * 'unknown' when it names parameters the run does not hold.
 */
export function ingressClassParams(model: FileView, ingressClass: K8sObject | undefined): K8sObject | 'unknown' | undefined {
  if (!ingressClass) return undefined;
  const params = ingressClass.props.obj('spec')?.prop('parameters');
  if (!params || params.absent) return undefined;
  const name = params.obj()?.prop('name').str();
  if (!name) return 'unknown';
  return findK8s(model, 'IngressClassParams', name) ?? 'unknown';
}

/** The backend Service names of an Ingress (networking.k8s.io/v1 and v1beta1 shapes). */
export function ingressBackends(ing: K8sObject): Prop[] {
  const spec = ing.props.obj('spec');
  if (!spec) return [];
  const out: Prop[] = [];
  const add = (backend: Prop | undefined) => {
    const b = backend?.obj();
    if (!b) return;
    const v1 = b.obj('service')?.prop('name');
    if (v1 && v1.present) out.push(v1);
    else if (b.prop('serviceName').present) out.push(b.prop('serviceName'));
  };
  add(spec.prop('defaultBackend'));
  add(spec.prop('backend'));
  for (const rule of spec.prop('rules').objects())
    for (const path of rule.obj('http')?.prop('paths').objects() ?? []) add(path.prop('backend'));
  return out;
}

/** A Service of the run by name in a namespace. */
export function findService(model: FileView, name: string, ns: string): K8sService | undefined {
  return findK8s(model, 'Service', name, ns) as K8sService | undefined;
}

export { namespaceOf };
