import type { CfnResource, Template } from '../../../model/cfn.js';
import { Role, type Tri } from '../../../model/entities.js';
import type { FileView, RoleRef } from '../../../model/model.js';
import type { Prop } from '../../../model/value.js';
import { getCI, isRecord, itemsOf, plainOf, RefValue, UNKNOWN, type Plain } from '../../ecr/lib/plain.js';

type Statement = { [key: string]: Plain };

/** A policy document's statements (plain), or UNKNOWN where the document or a statement cannot be known. */
type Doc = Array<Statement | typeof UNKNOWN> | typeof UNKNOWN;

/** What a role's permissions come from: policy documents, and AWS managed policies known by name. */
export type Source = { doc: Doc } | { managed: (action: string) => boolean } | 'unknown';

/** AWS managed policies whose grants for these rules are known (true: grants the action on every resource). */
const MANAGED: Record<string, (action: string) => boolean> = {
  'service-role/AmazonEC2ContainerServiceEventsRole': (a) => ['ecs:runtask', 'iam:passrole', 'ecs:tagresource'].includes(a.toLowerCase()),
  AdministratorAccess: () => true,
};

export function docOf(p: Prop | undefined): Doc {
  if (!p || !p.surelyPresent) return UNKNOWN;
  const v = plainOf(p, true);
  if (!isRecord(v)) return UNKNOWN;
  const st = getCI(v, 'Statement');
  if (st === undefined || st === UNKNOWN) return UNKNOWN;
  return itemsOf(st).map((s) => (isRecord(s) ? s : UNKNOWN));
}

function glob(pattern: string, value: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
  return re.test(value);
}

/** Does a list of patterns (Action / NotAction, a string or a list) match the value? */
function matches(v: Plain | undefined, value: string): Tri {
  let unknown = false;
  for (const i of itemsOf(v)) {
    if (typeof i === 'string') {
      if (glob(i, value)) return 'yes';
    } else unknown = true;
  }
  return unknown ? 'unknown' : 'no';
}

/** Does an Allow statement grant the action (ignoring Resource and Condition)? */
function grantsAction(s: Statement, action: string): Tri {
  const a = getCI(s, 'Action');
  if (a !== undefined) return matches(a, action);
  const na = getCI(s, 'NotAction');
  if (na !== undefined) {
    const m = matches(na, action);
    return m === 'yes' ? 'no' : m === 'no' ? 'yes' : 'unknown';
  }
  return 'no';
}

/**
 * Does a statement's Resource cover a role? `*`, a reference to the role, or an ARN pattern whose
 * `role/...` part matches the role's name.
 */
function coversRole(s: Statement, role: RoleRef): Tri {
  if (getCI(s, 'NotResource') !== undefined) return 'unknown';
  const res = getCI(s, 'Resource');
  if (res === undefined) return 'unknown';
  let unknown = false;
  for (const i of itemsOf(res)) {
    if (i === '*') return 'yes';
    if (role === 'none' || role === 'unknown') return 'unknown';
    if (i instanceof RefValue) {
      if (i.resource.type !== 'AWS::IAM::Role' || (i.attribute !== undefined && i.attribute !== 'Arn')) {
        unknown = true;
        continue;
      }
      if (role.role && role.role.origin.resource === i.resource) return 'yes';
      if (role.role) continue; // another role of the model
      unknown = true;
      continue;
    }
    // The stack's own account and Region (`!Sub ...${AWS::AccountId}...`) match as wildcards.
    const text = typeof i === 'string' ? i.replace(/\$\{AWS::(?:AccountId|Region|Partition)\}/g, '*') : undefined;
    if (text === undefined || text.includes('${')) {
      unknown = true;
      continue;
    }
    const m = /^arn:[^:]+:iam::[^:]*:role\/(.+)$/.exec(text);
    if (!m) {
      if (!/^arn:[^:]+:[^:]+:/.test(text) || /^arn:[^:]+:iam:/.test(text)) unknown = true;
      continue;
    }
    const path = m[1]!;
    if (path === '*') return 'yes';
    if (role.name === undefined) {
      unknown = true;
      continue;
    }
    // The pattern's last segment against the role's name (a role's path is not judged).
    if (glob(path, role.name) || glob(path.split('/').pop()!, role.name)) return 'yes';
  }
  return unknown ? 'unknown' : 'no';
}

/** Does a document allow the action (on the role, for iam:PassRole)? */
function docAllows(doc: Doc, action: string, role?: RoleRef): Tri {
  if (doc === UNKNOWN) return 'unknown';
  let unknown = false;
  for (const s of doc) {
    if (s === UNKNOWN) {
      unknown = true;
      continue;
    }
    const effect = getCI(s, 'Effect');
    if (typeof effect !== 'string') {
      unknown = true;
      continue;
    }
    if (effect !== 'Allow') continue;
    let r = grantsAction(s, action);
    if (r !== 'no' && role !== undefined) {
      const c = coversRole(s, role);
      r = c === 'no' ? 'no' : r === 'yes' && c === 'yes' ? 'yes' : 'unknown';
    }
    if (r === 'yes') return 'yes';
    if (r === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : 'no';
}

/** Do the role's policies allow the action (on the given role, for iam:PassRole)? */
export function allows(sources: Source[], action: string, role?: RoleRef): Tri {
  let unknown = false;
  for (const s of sources) {
    const r: Tri = s === 'unknown' ? 'unknown' : 'doc' in s ? docAllows(s.doc, action, role) : s.managed(action) ? 'yes' : 'unknown';
    if (r === 'yes') return 'yes';
    if (r === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : 'no';
}

/** Does the role's trust policy let the service principal assume it? */
export function trusts(role: Role, service: string): Tri {
  const doc = docOf(role.props.prop('AssumeRolePolicyDocument'));
  if (doc === UNKNOWN) return 'unknown';
  let unknown = false;
  for (const s of doc) {
    if (s === UNKNOWN) {
      unknown = true;
      continue;
    }
    const effect = getCI(s, 'Effect');
    if (typeof effect !== 'string') {
      unknown = true;
      continue;
    }
    if (effect !== 'Allow') continue;
    const a = grantsAction(s, 'sts:AssumeRole');
    if (a === 'no') continue;
    const principal = getCI(s, 'Principal');
    if (principal === '*') return a === 'yes' ? 'yes' : 'unknown';
    if (!isRecord(principal)) {
      unknown = true;
      continue;
    }
    const svc = getCI(principal, 'Service');
    let hit: Tri = 'no';
    for (const i of itemsOf(svc)) {
      if (typeof i !== 'string') hit = 'unknown';
      else if (i === service || i.replace(/\.com\.cn$/, '.com') === service) {
        hit = 'yes';
        break;
      }
    }
    if (hit === 'yes' && a === 'yes') return 'yes';
    if (hit !== 'no') unknown = true;
  }
  return unknown ? 'unknown' : 'no';
}

interface PolicyIndex {
  attached: Map<Role, CfnResource[]>;
  /** Templates with a policy whose roles cannot be known. */
  unknownIn: Set<Template>;
}

function policyIndex(model: FileView): PolicyIndex {
  return model.all.memo('events/lib:policies', () => {
    const attached = new Map<Role, CfnResource[]>();
    const unknownIn = new Set<Template>();
    const attach = (p: Prop, res: CfnResource) => {
      const ref = model.roleRef(p);
      if (ref === 'none') return;
      if (ref === 'unknown') {
        unknownIn.add(res.template);
        return;
      }
      const roles = ref.role ? [ref.role] : ref.name !== undefined ? (model.all.roleIndex().get(ref.name) ?? []) : [];
      for (const role of roles) attached.set(role, [...(attached.get(role) ?? []), res]);
    };
    for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
      for (const res of model.all.resources(type)) {
        const roles = res.props.prop('Roles');
        if (roles.absent) continue;
        const items = roles.list();
        if (!items) unknownIn.add(res.template);
        for (const i of items ?? []) attach(i, res);
      }
    }
    for (const res of model.all.resources('AWS::IAM::RolePolicy')) attach(res.props.prop('RoleName'), res);
    return { attached, unknownIn };
  });
}

/** Where a role's permissions come from (see `Source`). */
export function sourcesOf(model: FileView, role: Role): Source[] {
  const out: Source[] = [];
  const inline = role.props.prop('Policies');
  if (inline.present) {
    const items = inline.list();
    if (!items) out.push('unknown');
    for (const i of items ?? []) {
      if (i.absent) continue;
      out.push({ doc: docOf(i.obj()?.prop('PolicyDocument')) });
    }
  }
  const managed = role.managedPolicyArns;
  if (managed.present) {
    const items = managed.list();
    if (!items) out.push('unknown');
    for (const i of items ?? []) {
      if (i.absent) continue;
      const r = i.res;
      if (r.kind === 'ref') {
        out.push(r.resource.type === 'AWS::IAM::ManagedPolicy' ? { doc: docOf(r.resource.props.prop('PolicyDocument')) } : 'unknown');
        continue;
      }
      const name = /^arn:[^:]+:iam::aws:policy\/(.+)$/.exec(i.str() ?? '')?.[1];
      const known = name !== undefined ? MANAGED[name] : undefined;
      out.push(known ? { managed: known } : 'unknown');
    }
  }
  const index = policyIndex(model);
  for (const res of index.attached.get(role) ?? []) out.push({ doc: docOf(res.props.prop('PolicyDocument')) });
  const t = role.origin.resource?.template;
  const named = role.roleName.present;
  if ((t && index.unknownIn.has(t)) || (named && index.unknownIn.size > 0)) out.push('unknown');
  return out;
}
