/**
 * Load balancers of the AWS Load Balancer Controller: NLB Services and ALB Ingresses, their
 * IngressClass / IngressClassParams, backends and target types.
 */
import { unknown, type Tri, type Unknown } from '../../../model/answer.js';
import { K8sService } from '../../../model/entities.js';
import { IngressClass, IngressClassParams, type Ingress } from '../../../model/k8s.js';
import type { FileView } from '../../../model/model.js';
import type { Prop } from '../../../model/value.js';

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
  const type = svc.type;
  if (!svc.spec || !type.known) return type.unknown ? type.why : 'no';
  if (!type.is('LoadBalancer')) return 'no';
  const cls = svc.loadBalancerClass;
  if (cls.present) {
    if (!cls.known) return cls.why;
    return cls.is('service.k8s.aws/nlb') ? 'yes' : 'no';
  }
  const ann = svc.annotation(NLB_TYPE);
  if (!ann || ann.absent) return 'no';
  if (!ann.known) return ann.why;
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

/** The IngressClass an Ingress uses (by name, or the one default class), when the run has it. */
function ingressClassObject(model: FileView, name: string | undefined): IngressClass | undefined {
  if (name !== undefined) {
    const o = model.k8sObject('IngressClass', name);
    return o instanceof IngressClass ? o : undefined;
  }
  const defaults = model.all.memo('eks/default-ingress-classes', () => model.all.ingressClasses.filter((c) => c.name.str() !== undefined && c.isDefault));
  return defaults.length === 1 ? defaults[0] : undefined;
}

export interface AlbIngress {
  answer: Tri;
  /** The IngressClass of the run, when found. */
  ingressClass?: IngressClass;
}

/** Is the Ingress an ALB of the AWS Load Balancer Controller? */
export function isAlbIngress(model: FileView, ing: Ingress): AlbIngress {
  const clsName = ing.ingressClassName;
  const ann = ing.classAnnotation;
  let name: string | undefined;
  if (ing.spec && clsName.present) {
    if (!clsName.known) return { answer: clsName.why };
    name = clsName.str();
  } else if (ann && ann.present) {
    if (!ann.known) return { answer: ann.why };
    name = ann.str();
    // The annotation names the controller's class directly.
    if (name === 'alb') return { answer: 'yes' };
  }
  const obj = ingressClassObject(model, name);
  if (obj) {
    const controller = obj.controller;
    if (!obj.spec || !controller.known) return { answer: controller.why };
    return controller.is(ALB_CONTROLLER) ? { answer: 'yes', ingressClass: obj } : { answer: 'no' };
  }
  if (name === 'alb') return { answer: 'yes' };
  return { answer: name === undefined ? unknown(`Ingress "${ing.label}" names no class and the run has no single default IngressClass`) : 'no' };
}

/**
 * The IngressClassParams of an ALB IngressClass: undefined when the class has none, unknown when
 * it names parameters the run does not hold.
 */
export function ingressClassParams(model: FileView, ingressClass: IngressClass | undefined): IngressClassParams | Unknown | undefined {
  if (!ingressClass) return undefined;
  const params = ingressClass.parameters;
  if (!ingressClass.spec || params.absent) return undefined;
  const name = params.obj()?.prop('name').str();
  if (!name) return unknown(`the parameters of IngressClass "${ingressClass.label}" have no known name`);
  const o = model.k8sObject('IngressClassParams', name);
  return o instanceof IngressClassParams ? o : unknown(`IngressClassParams "${name}" is not in the run`);
}

/** A Service of the run by name, in the namespace of the object that names it. */
export function findService(model: FileView, name: string, near: Ingress): K8sService | undefined {
  const o = model.k8sObject('Service', name, near);
  return o instanceof K8sService ? o : undefined;
}
