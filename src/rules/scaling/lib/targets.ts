import type { CfnResource, Template } from '../../../model/cfn.js';
import { Cluster, Service } from '../../../model/entities.js';
import type { FileView } from '../../../model/model.js';
import type { Obj } from '../../../model/value.js';
import { isMap, isScalar, isSeq, toPlain, type Node } from '../../../parsers/tree.js';
import { bracedPieces } from '../../../parsers/text-scan.js';

export const SCALABLE_TARGET = 'AWS::ApplicationAutoScaling::ScalableTarget';
export const SCALING_POLICY = 'AWS::ApplicationAutoScaling::ScalingPolicy';
export const ALARM = 'AWS::CloudWatch::Alarm';

// ------------------------------------------------------------------ path pieces

/** A piece of a `/`-separated identifier: literal text, a reference to a resource, or something unknown. */
export type Piece = { text: string } | { ref: CfnResource; attribute?: string } | { unknown: string };

/**
 * The pieces of a CloudFormation string built with Sub/Join/Ref/GetAtt (ResourceId, ResourceLabel),
 * keeping references to resources as references (their generated values cannot be known).
 */
export function piecesOf(node: Node | undefined, t: Template, depth = 0): Piece[] {
  if (node === undefined || depth > 10) return [{ unknown: 'missing' }];
  if (isScalar(node)) {
    const r = t.resolve(node);
    return r.kind === 'literal' && !r.pseudo ? [{ text: r.value === null ? '' : String(r.value) }] : [{ unknown: 'value' }];
  }
  if (isMap(node)) {
    const fn = node.soleKey;
    const arg = fn ? node.get(fn) : undefined;
    if (fn === 'Fn::Sub') {
      const pattern = isSeq(arg) ? arg.items[0] : arg;
      const vars = isSeq(arg) && isMap(arg.items[1]) ? arg.items[1] : undefined;
      if (!isScalar(pattern) || typeof pattern.value !== 'string') return [{ unknown: 'Sub' }];
      const out: Piece[] = [];
      const text = pattern.value;
      let last = 0;
      for (const m of bracedPieces(text)) {
        if (m.index > last) out.push({ text: text.slice(last, m.index) });
        last = m.end;
        const name = m.inner.trim();
        if (name.startsWith('!')) {
          out.push({ text: '${' + name.slice(1) + '}' });
          continue;
        }
        const v = vars?.get(name);
        if (v !== undefined) {
          out.push(...piecesOf(v, t, depth + 1));
          continue;
        }
        const [id, ...attr] = name.split('.');
        const res = t.resources.get(id!);
        if (res) out.push({ ref: res, ...(attr.length ? { attribute: attr.join('.') } : {}) });
        else if (name === 'AWS::Partition') out.push({ text: 'aws' });
        else out.push({ unknown: name });
      }
      if (last < text.length) out.push({ text: text.slice(last) });
      return out;
    }
    if (fn === 'Fn::Join' && isSeq(arg) && arg.items.length === 2 && isSeq(arg.items[1])) {
      const d = isScalar(arg.items[0]) ? String(arg.items[0].value ?? '') : undefined;
      if (d === undefined) return [{ unknown: 'Join' }];
      const out: Piece[] = [];
      arg.items[1].items.forEach((item, i) => {
        if (i > 0 && d !== '') out.push({ text: d });
        out.push(...piecesOf(item, t, depth + 1));
      });
      return out;
    }
    const r = t.resolve(node);
    if (r.kind === 'ref') return [{ ref: r.resource, ...(r.attribute !== undefined ? { attribute: r.attribute } : {}) }];
    if (r.kind === 'literal' && !r.pseudo) return [{ text: r.value === null ? '' : String(r.value) }];
  }
  return [{ unknown: 'value' }];
}

/** Pieces split into `/`-separated segments (a reference stays inside its segment). */
export function segmentsOf(pieces: Piece[]): Piece[][] {
  const segs: Piece[][] = [[]];
  for (const p of pieces) {
    if ('text' in p) {
      const parts = p.text.split('/');
      parts.forEach((part, i) => {
        if (i > 0) segs.push([]);
        if (part !== '') segs[segs.length - 1]!.push({ text: part });
      });
    } else segs[segs.length - 1]!.push(p);
  }
  return segs;
}

/** A segment's text when it is all literal, else undefined. */
export function segmentText(seg: Piece[]): string | undefined {
  let s = '';
  for (const p of seg) {
    if (!('text' in p)) return undefined;
    s += p.text;
  }
  return s;
}

/** A segment that is exactly one reference. */
export function segmentRef(seg: Piece[]): { ref: CfnResource; attribute?: string } | undefined {
  return seg.length === 1 && 'ref' in seg[0]! ? seg[0] : undefined;
}

/** How a piece list reads in a message. */
export function showPieces(pieces: Piece[]): string {
  return pieces
    .map((p) => ('text' in p ? p.text : 'ref' in p ? `\${${p.ref.logicalId}${p.attribute ? '.' + p.attribute : ''}}` : '${?}'))
    .join('');
}

// ------------------------------------------------------------------ scalable targets

export interface EcsTarget {
  resource: CfnResource;
  /** The service it scales: a service entity, 'unknown', or undefined (surely none of the model). */
  service: Service | 'unknown' | undefined;
  /** The cluster segment, when it names a cluster of the model. */
  cluster: Cluster | 'unknown' | undefined;
  /** ResourceId pieces. */
  pieces: Piece[];
  /** A literal service name and cluster name (for services known by name). */
  serviceName?: string;
  clusterName?: string;
}

/** Does a scalable target (or a policy with its own ResourceId) scale an ECS service: yes / no / unknown. */
export function isEcsTarget(props: Obj): 'yes' | 'no' | 'unknown' {
  const ns = props.prop('ServiceNamespace');
  if (ns.is('ecs')) return 'yes';
  const t = props.scope as Template;
  const rid = props.prop('ResourceId');
  if (rid.present && t.resources) {
    const segs = segmentsOf(piecesOf(rid.node, t));
    if (segmentText(segs[0]!) === 'service') return 'yes';
    const dim = props.prop('ScalableDimension').str();
    if (dim?.startsWith('ecs:')) return 'yes';
    if (ns.known && segmentText(segs[0]!) !== undefined) return 'no';
  }
  return ns.known ? 'no' : 'unknown';
}

/** The ECS service (and cluster) a ResourceId names. */
export function readTarget(model: FileView, resource: CfnResource): EcsTarget {
  const t = resource.template;
  const rid = resource.props.prop('ResourceId');
  const pieces = piecesOf(rid.node, t);
  const segs = segmentsOf(pieces);
  const out: EcsTarget = { resource, service: 'unknown', cluster: 'unknown', pieces };
  if (segs.length !== 3 || segmentText(segs[0]!) !== 'service') return out;
  const [, cSeg, sSeg] = segs as [Piece[], Piece[], Piece[]];
  const cRef = segmentRef(cSeg);
  if (cRef) {
    const e = model.all.entityOfResource(cRef.ref);
    out.cluster = e instanceof Cluster ? e : 'unknown';
  } else {
    const name = segmentText(cSeg);
    if (name !== undefined) {
      out.clusterName = name;
      const hits = model.all.clusters.filter((c) => c.clusterName.str() === name);
      out.cluster = hits.length === 1 ? hits[0]! : 'unknown';
    }
  }
  const sRef = segmentRef(sSeg);
  if (sRef) {
    const e = model.all.entityOfResource(sRef.ref);
    out.service = e instanceof Service ? e : 'unknown';
  } else {
    const name = segmentText(sSeg);
    if (name !== undefined) {
      out.serviceName = name;
      const hits = serviceNameIndex(model).get(name) ?? [];
      out.service = hits.length === 1 ? hits[0]! : 'unknown';
    }
  }
  return out;
}

/** Services of the run by their literal ServiceName. */
export function serviceNameIndex(model: FileView): Map<string, Service[]> {
  return model.all.memo('scaling:serviceNameIndex', () => {
    const m = new Map<string, Service[]>();
    for (const s of model.all.services) {
      const n = s.props.prop('ServiceName');
      if (n.res.kind !== 'literal' || n.res.pseudo) continue;
      const v = n.str();
      if (v) m.set(v, [...(m.get(v) ?? []), s]);
    }
    return m;
  });
}

export interface TargetIndex {
  /** ECS scalable targets of the run, read. */
  targets: EcsTarget[];
  /** Targets by the service they scale. */
  byService: Map<Service, EcsTarget[]>;
  /** Targets whose service cannot be told (they might scale any service). */
  unresolved: EcsTarget[];
}

/** Every ECS scalable target of the run, with the service it scales (once per run). */
export function targetIndex(model: FileView): TargetIndex {
  return model.all.memo('scaling:targetIndex', () => {
    const targets: EcsTarget[] = [];
    const byService = new Map<Service, EcsTarget[]>();
    const unresolved: EcsTarget[] = [];
    for (const res of model.all.resources(SCALABLE_TARGET)) {
      const ecs = isEcsTarget(res.props);
      if (ecs === 'no') continue;
      const target = readTarget(model, res);
      targets.push(target);
      if (target.service instanceof Service) byService.set(target.service, [...(byService.get(target.service) ?? []), target]);
      else unresolved.push(target);
    }
    return { targets, byService, unresolved };
  });
}

/** Could an unresolved target scale this service? (No only when both names are known and differ.) */
export function mayScale(target: EcsTarget, service: Service): boolean {
  if (target.service instanceof Service) return target.service === service;
  if (target.serviceName !== undefined) {
    const own = service.props.prop('ServiceName');
    if (own.res.kind === 'literal' && !own.res.pseudo && own.str() !== undefined) return own.str() === target.serviceName;
    // A service without ServiceName gets a generated name that a literal cannot know.
    if (own.absent) return false;
  }
  return true;
}

// ------------------------------------------------------------------ scaling policies

/** The scalable target a scaling policy scales (ScalingTargetId, or its own ResourceId). */
export function policyTarget(model: FileView, policy: CfnResource): EcsTarget | 'unknown' {
  const id = policy.props.prop('ScalingTargetId');
  if (id.present) {
    const r = id.res;
    if (r.kind === 'ref' && r.resource.type === SCALABLE_TARGET) {
      const hit = targetIndex(model).targets.find((t) => t.resource === r.resource);
      return hit ?? 'unknown';
    }
    return 'unknown';
  }
  if (policy.props.prop('ResourceId').present && isEcsTarget(policy.props) === 'yes') return readTarget(model, policy);
  return 'unknown';
}

/** Scaling policies of the run by the service they scale; `unknownPolicies` lists policies whose service cannot be told. */
export function policyIndex(model: FileView): { byService: Map<Service, CfnResource[]>; unknownPolicies: CfnResource[] } {
  return model.all.memo('scaling:policyIndex', () => {
    const byService = new Map<Service, CfnResource[]>();
    const unknownPolicies: CfnResource[] = [];
    for (const p of model.all.resources(SCALING_POLICY)) {
      // Policies of other namespaces (DynamoDB, Lambda, ...) scale no service.
      const id = p.props.prop('ScalingTargetId').res;
      if (id.kind === 'ref' && id.resource.type === SCALABLE_TARGET && isEcsTarget(id.resource.props) === 'no') continue;
      if (p.props.prop('ScalingTargetId').absent && isEcsTarget(p.props) === 'no') continue;
      const t = policyTarget(model, p);
      if (t !== 'unknown' && t.service instanceof Service) byService.set(t.service, [...(byService.get(t.service) ?? []), p]);
      else unknownPolicies.push(p);
    }
    return { byService, unknownPolicies };
  });
}

/** Alarms of the run and which policies their actions name; templates with alarms whose actions cannot be known. */
export function alarmIndex(model: FileView): { byPolicy: Map<CfnResource, CfnResource[]>; unknownIn: Set<Template> } {
  return model.all.memo('scaling:alarmIndex', () => {
    const byPolicy = new Map<CfnResource, CfnResource[]>();
    const unknownIn = new Set<Template>();
    for (const type of [ALARM, 'AWS::CloudWatch::CompositeAlarm']) {
      for (const alarm of model.all.resources(type)) {
        for (const key of ['AlarmActions', 'OKActions', 'InsufficientDataActions']) {
          const p = alarm.props.prop(key);
          if (p.absent) continue;
          const items = p.list();
          if (!items) {
            unknownIn.add(alarm.template);
            continue;
          }
          for (const i of items) {
            const r = i.res;
            if (r.kind === 'ref') {
              if (r.resource.type === SCALING_POLICY) byPolicy.set(r.resource, [...(byPolicy.get(r.resource) ?? []), alarm]);
            } else if (r.kind === 'unknown') unknownIn.add(alarm.template);
            else if (r.kind === 'literal' && typeof r.value === 'string' && /scalingPolicy:/.test(r.value)) unknownIn.add(alarm.template);
          }
        }
      }
    }
    return { byPolicy, unknownIn };
  });
}

/** `[A-Za-z0-9]` */
const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** Does the text hold the word, not glued to other letters or digits? */
function mentionsWord(text: string, word: string): boolean {
  for (let i = text.indexOf(word); i >= 0; i = i < text.length ? text.indexOf(word, i + 1) : -1) {
    const before = i === 0 || !isWordChar(text.charCodeAt(i - 1));
    const after = i + word.length === text.length || !isWordChar(text.charCodeAt(i + word.length));
    if (before && after) return true;
  }
  return false;
}

/** Is a resource handed outside its template (an output, a nested stack's parameter), where other stacks may use it? */
export function leavesTemplate(res: CfnResource): boolean {
  const t = res.template;
  const id = res.logicalId;
  const mentions = (n: Node | undefined) => n !== undefined && mentionsWord(JSON.stringify(toPlain(n) ?? null), id);
  const outputs = t.root.get('Outputs');
  if (isMap(outputs) && mentions(outputs)) return true;
  for (const r of t.resources.values()) {
    if (r.type === 'AWS::CloudFormation::Stack' && mentions(r.node.get('Properties'))) return true;
  }
  return false;
}
