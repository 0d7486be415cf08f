import type { CfnResource, Template } from '../../../model/cfn.js';
import { Role, type Tri } from '../../../model/entities.js';
import type { FileView } from '../../../model/model.js';
import type { Obj, Prop } from '../../../model/value.js';

/**
 * What a role's IAM policies allow, as far as the templates of the run tell: inline `Policies`,
 * `ManagedPolicyArns` (AWS managed policies known by name, customer managed policies of the template),
 * and `AWS::IAM::Policy` / `ManagedPolicy` / `RolePolicy` resources attached to the role.
 */

/** A policy document, an AWS managed policy known by name, or a source that cannot be known. */
export type Source = { doc: Obj } | { managed: (action: string) => Tri } | 'unknown';

export function globMatch(pattern: string, action: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
  return re.test(action);
}

function anyMatch(patterns: string[], action: string): boolean {
  return patterns.some((p) => globMatch(p, action));
}

/** The statements of a policy document; an entry is undefined where a statement cannot be known; undefined when the list cannot. */
export function statementsOf(doc: Obj): Array<Obj | undefined> | undefined {
  const st = doc.prop('Statement');
  const one = st.obj();
  if (one) return [one];
  const items = st.list();
  if (!items) return undefined;
  const out: Array<Obj | undefined> = [];
  for (const i of items) {
    if (i.absent) continue;
    out.push(i.surelyPresent ? i.obj() : undefined);
  }
  return out;
}

/** The items of a string-or-list value (Action, Resource); `unknown` when some cannot be known. */
export function itemsOf(p: Prop): { known: Prop[]; unknown: boolean } {
  const items = p.list() ?? [p];
  const known: Prop[] = [];
  let unknown = false;
  for (const i of items) {
    if (i.known) known.push(i);
    else if (i.present) unknown = true;
  }
  return { known, unknown };
}

/** Does a statement's Action (or NotAction) cover the action? Resource and Condition are not judged. */
export function statementCovers(s: Obj, action: string): Tri {
  const a = s.prop('Action');
  if (a.present) {
    const { known, unknown } = itemsOf(a);
    if (anyMatch(known.map((k) => k.str() ?? ''), action)) return 'yes';
    return unknown ? 'unknown' : 'no';
  }
  const na = s.prop('NotAction');
  if (na.present) {
    const { known, unknown } = itemsOf(na);
    if (anyMatch(known.map((k) => k.str() ?? ''), action)) return 'no';
    return unknown ? 'unknown' : 'yes';
  }
  return 'no';
}

/** Does a policy document allow the action (ignoring Deny, Resource and Condition)? */
export function docAllows(doc: Obj, action: string): Tri {
  const statements = statementsOf(doc);
  if (!statements) return 'unknown';
  let unknown = false;
  for (const s of statements) {
    if (!s) {
      unknown = true;
      continue;
    }
    const effect = s.prop('Effect').str();
    if (effect === undefined) {
      unknown = true;
      continue;
    }
    if (effect !== 'Allow') continue;
    const r = statementCovers(s, action);
    if (r === 'yes') return 'yes';
    if (r === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : 'no';
}

/** Allow statements of a document whose actions surely cover the action. */
export function allowingStatements(doc: Obj, action: string): Obj[] {
  return (statementsOf(doc) ?? []).filter((s): s is Obj => !!s && s.prop('Effect').is('Allow') && statementCovers(s, action) === 'yes');
}

const ECS_AGENT = ['ecs:CreateCluster', 'ecs:DeregisterContainerInstance', 'ecs:DiscoverPollEndpoint', 'ecs:Poll', 'ecs:RegisterContainerInstance', 'ecs:StartTelemetrySession', 'ecs:Submit*', 'ecs:UpdateContainerInstancesState'];

/** AWS managed policies whose grants are known well enough; `no` only where the policy surely lacks the action. */
const MANAGED: Record<string, (action: string) => Tri> = {
  'service-role/AmazonEC2ContainerServiceforEC2Role': (a) => (anyMatch(ECS_AGENT, a) ? 'yes' : a.toLowerCase().startsWith('ecs:') ? 'no' : 'unknown'),
  AdministratorAccess: () => 'yes',
  // Policies often attached to container instances that grant no ECS actions.
  AmazonSSMManagedInstanceCore: (a) => (a.toLowerCase().startsWith('ecs:') ? 'no' : 'unknown'),
  AmazonSSMManagedEC2InstanceDefaultPolicy: (a) => (a.toLowerCase().startsWith('ecs:') ? 'no' : 'unknown'),
  'service-role/AmazonEC2RoleforSSM': (a) => (a.toLowerCase().startsWith('ecs:') ? 'no' : 'unknown'),
  CloudWatchAgentServerPolicy: (a) => (a.toLowerCase().startsWith('ecs:') ? 'no' : 'unknown'),
  AmazonEC2ContainerRegistryReadOnly: (a) => (a.toLowerCase().startsWith('ecs:') ? 'no' : 'unknown'),
  AmazonS3ReadOnlyAccess: (a) => (a.toLowerCase().startsWith('ecs:') ? 'no' : 'unknown'),
  CloudWatchLogsFullAccess: (a) => (a.toLowerCase().startsWith('ecs:') ? 'no' : 'unknown'),
};

/** A managed policy ARN's judgement, by its name after `:policy/`. */
function managedByArn(arn: string): ((action: string) => Tri) | undefined {
  const name = /^arn:[^:]+:iam::aws:policy\/(.+)$/.exec(arn)?.[1];
  return name !== undefined ? MANAGED[name] : undefined;
}

interface AttachIndex {
  attached: Map<Role, CfnResource[]>;
  /** Templates with a policy attached to roles that cannot be known. */
  unknownIn: Set<Template>;
}

function attachIndex(model: FileView): AttachIndex {
  return model.all.memo('capacity/lib/policies:attached', () => {
    const attached = new Map<Role, CfnResource[]>();
    const unknownIn = new Set<Template>();
    const attach = (p: Prop, res: CfnResource) => {
      const ref = model.roleRef(p);
      if (ref === 'none') return;
      if (ref === 'unknown') {
        unknownIn.add(res.template);
        return;
      }
      const role = ref.role ?? (ref.name !== undefined ? model.all.roleIndex().get(ref.name)?.[0] : undefined);
      if (!role) return;
      const list = attached.get(role) ?? [];
      if (!list.includes(res)) list.push(res);
      attached.set(role, list);
    };
    for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
      for (const res of model.all.resources(type)) {
        const roles = res.props.prop('Roles');
        if (roles.absent) continue;
        const items = roles.list();
        if (!items) {
          unknownIn.add(res.template);
          continue;
        }
        for (const i of items) attach(i, res);
      }
    }
    for (const res of model.all.resources('AWS::IAM::RolePolicy')) attach(res.props.prop('RoleName'), res);
    return { attached, unknownIn };
  });
}

/** The policy sources of a role. */
export function roleSources(model: FileView, role: Role): Source[] {
  const out: Source[] = [];
  const seen = new Set<CfnResource>();
  const fromResource = (res: CfnResource) => {
    if (seen.has(res)) return;
    seen.add(res);
    const doc = res.props.obj('PolicyDocument');
    out.push(doc ? { doc } : 'unknown');
  };
  const inline = role.props.prop('Policies');
  if (inline.present) {
    const items = inline.list();
    if (!items) out.push('unknown');
    for (const i of items ?? []) {
      if (i.absent) continue;
      const doc = i.surelyPresent ? i.obj()?.obj('PolicyDocument') : undefined;
      out.push(doc ? { doc } : 'unknown');
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
        if (r.resource.type === 'AWS::IAM::ManagedPolicy') fromResource(r.resource);
        else out.push('unknown');
        continue;
      }
      const known = i.surelyPresent ? managedByArn(i.str() ?? '') : undefined;
      out.push(known ? { managed: known } : 'unknown');
    }
  }
  const index = attachIndex(model);
  for (const res of index.attached.get(role) ?? []) fromResource(res);
  const t = role.origin.resource?.template;
  if (t && index.unknownIn.has(t)) out.push('unknown');
  return out;
}

/** Does a role allow an action (ignoring Deny, resources and conditions)? */
export function roleAllows(sources: Source[], action: string): Tri {
  let unknown = false;
  for (const s of sources) {
    const r = s === 'unknown' ? 'unknown' : 'doc' in s ? docAllows(s.doc, action) : s.managed(action);
    if (r === 'yes') return 'yes';
    if (r === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : 'no';
}

/** The policy documents of a role that the model can read (inline, customer managed, attached). */
export function roleDocuments(model: FileView, role: Role): Obj[] {
  return roleSources(model, role).flatMap((s) => (s !== 'unknown' && 'doc' in s ? [s.doc] : []));
}
