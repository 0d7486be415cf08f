import { isUnknown, UNKNOWN } from '../../model/answer.js';
import type { CfnResource, Template } from '../../model/cfn.js';
import type { Role, Tri } from '../../model/entities.js';
import type { FileView, RoleRef } from '../../model/model.js';
import type { Obj, Prop } from '../../model/value.js';
import { isMap, toPlain } from '../../parsers/tree.js';
import { wildcardMatch } from '../../engine/glob.js';
import { getCI, isRecord, itemsOf as plainItems, plainOf, RefValue, UNKNOWN as PLAIN_UNKNOWN, type Plain } from '../ecr/lib/plain.js';

/**
 * What an IAM role's policy set allows, as far as the templates of the run tell: inline `Policies`,
 * `ManagedPolicyArns` (AWS managed policies known by name, customer managed policies of the template),
 * and `AWS::IAM::Policy` / `ManagedPolicy` / `RolePolicy` resources attached to the role. Deny,
 * Condition and (except for a role passed with iam:PassRole) Resource are not judged: they can only narrow.
 */

// ------------------------------------------------------------------ actions

/** An IAM glob (`*`, `?`) against a value, ignoring case. */
export function globMatch(pattern: string, value: string): boolean {
  return wildcardMatch(pattern, value, { caseInsensitive: true, questionMark: true });
}

export function anyMatch(patterns: string[], action: string): boolean {
  return patterns.some((p) => globMatch(p, action));
}

/** The known patterns of an Action / NotAction value, and whether some cannot be known. */
export interface Patterns {
  known: string[];
  unknown: boolean;
}

/** Does an Action (or, when it is absent, NotAction) cover the action? Neither: 'no'. */
export function actionCovers(action: Patterns | undefined, notAction: Patterns | undefined, name: string): Tri {
  if (action) {
    if (anyMatch(action.known, name)) return 'yes';
    return action.unknown ? UNKNOWN : 'no';
  }
  if (notAction) {
    if (anyMatch(notAction.known, name)) return 'no';
    return notAction.unknown ? UNKNOWN : 'yes';
  }
  return 'no';
}

/**
 * Does some Allow statement grant it? `judge` answers for one Allow statement; a statement that cannot
 * be known (undefined) or whose Effect cannot be known makes a 'no' unknown.
 */
function allowsOver<S>(statements: Array<S | undefined> | undefined, effect: (s: S) => string | undefined, judge: (s: S) => Tri): Tri {
  if (!statements) return UNKNOWN;
  let unknown = false;
  for (const s of statements) {
    if (s === undefined) {
      unknown = true;
      continue;
    }
    const e = effect(s);
    if (e === undefined) {
      unknown = true;
      continue;
    }
    if (e !== 'Allow') continue;
    const r = judge(s);
    if (r === 'yes') return 'yes';
    if (isUnknown(r)) unknown = true;
  }
  return unknown ? UNKNOWN : 'no';
}

// ------------------------------------------------------------------ located documents (Obj)

/** The statements of a policy document; an entry is undefined where a statement cannot be known; undefined when the list cannot. */
export function statementsOf(doc: Obj): Array<Obj | undefined> | undefined {
  const st = doc.prop('Statement');
  const one = st.obj();
  if (one) return [one];
  const items = st.list();
  if (!items) return undefined;
  const out: Array<Obj | undefined> = [];
  for (const i of items) {
    if (i.absent) continue; // removed by AWS::NoValue
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

/**
 * The patterns of an Action / NotAction value; undefined when absent. `strict`: an item that is known but
 * not a string (a reference, a mapping) cannot be known; otherwise it matches no action.
 */
function patternsOf(p: Prop, strict: boolean): Patterns | undefined {
  if (!p.present) return undefined;
  if (!strict) {
    const { known, unknown } = itemsOf(p);
    return { known: known.map((k) => k.str() ?? ''), unknown };
  }
  const known: string[] = [];
  let unknown = false;
  for (const i of p.list() ?? [p]) {
    const s = i.str();
    if (s === undefined) {
      if (i.present) unknown = true;
    } else known.push(s);
  }
  return { known, unknown };
}

/** Does a statement's Action (or NotAction) cover the action? Resource and Condition are not judged. */
export function statementCovers(s: Obj, action: string, strict = false): Tri {
  return actionCovers(patternsOf(s.prop('Action'), strict), patternsOf(s.prop('NotAction'), strict), action);
}

/** Does a policy document allow the action (on the role, for iam:PassRole)? */
export function docAllows(doc: Obj, action: string, options: { strict?: boolean; role?: RoleRef } = {}): Tri {
  const { strict = false, role } = options;
  return allowsOver(
    statementsOf(doc),
    (s) => s.prop('Effect').str(),
    (s) => onRole(statementCovers(s, action, strict), role, () => resourcesOf(s)),
  );
}

/** A statement's Resource and NotResource as plain values (for `coversRole`). */
function resourcesOf(s: Obj): Statement {
  const out: Statement = {};
  for (const k of ['Resource', 'NotResource']) {
    const v = plainOf(s.prop(k));
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Allow statements of a document whose actions surely cover the action. */
export function allowingStatements(doc: Obj, action: string): Obj[] {
  return (statementsOf(doc) ?? []).filter((s): s is Obj => !!s && s.prop('Effect').is('Allow') && statementCovers(s, action) === 'yes');
}

// ------------------------------------------------------------------ plain documents (JSON text parsed)

type Statement = { [key: string]: Plain };

/** A policy document's statements (plain), or PLAIN_UNKNOWN where the document or a statement cannot be known. */
export type PlainDoc = Array<Statement | typeof PLAIN_UNKNOWN> | typeof PLAIN_UNKNOWN;

/** A policy document read as a plain value (a policy written as a JSON string is parsed). */
export function docOf(p: Prop | undefined): PlainDoc {
  if (!p || !p.surelyPresent) return PLAIN_UNKNOWN;
  const v = plainOf(p, true);
  if (!isRecord(v)) return PLAIN_UNKNOWN;
  const st = getCI(v, 'Statement');
  if (st === undefined || st === PLAIN_UNKNOWN) return PLAIN_UNKNOWN;
  return plainItems(st).map((s) => (isRecord(s) ? s : PLAIN_UNKNOWN));
}

function plainPatterns(v: Plain | undefined): Patterns | undefined {
  if (v === undefined) return undefined;
  const known: string[] = [];
  let unknown = false;
  for (const i of plainItems(v)) {
    if (typeof i === 'string') known.push(i);
    else unknown = true;
  }
  return { known, unknown };
}

function plainCovers(s: Statement, action: string): Tri {
  return actionCovers(plainPatterns(getCI(s, 'Action')), plainPatterns(getCI(s, 'NotAction')), action);
}

function plainStatements(doc: PlainDoc): Array<Statement | undefined> | undefined {
  return doc === PLAIN_UNKNOWN ? undefined : doc.map((s) => (s === PLAIN_UNKNOWN ? undefined : s));
}

function plainEffect(s: Statement): string | undefined {
  const e = getCI(s, 'Effect');
  return typeof e === 'string' ? e : undefined;
}

/** Does a plain document allow the action (on the role, for iam:PassRole)? */
export function plainDocAllows(doc: PlainDoc, action: string, role?: RoleRef): Tri {
  return allowsOver(plainStatements(doc), plainEffect, (s) => onRole(plainCovers(s, action), role, () => s));
}

// ------------------------------------------------------------------ resources: the role passed

/** Narrow an action answer by whether the statement's Resource covers the role (when one is given). */
function onRole(r: Tri, role: RoleRef | undefined, resources: () => Statement): Tri {
  if (r === 'no' || role === undefined) return r;
  const c = coversRole(resources(), role);
  return c === 'no' ? 'no' : r === 'yes' && c === 'yes' ? 'yes' : UNKNOWN;
}

/**
 * Does a statement's Resource cover a role? `*`, a reference to the role, or an ARN pattern whose
 * `role/...` part matches the role's name.
 */
function coversRole(s: Statement, role: RoleRef): Tri {
  const g = (k: string) => getCI(s, k);
  if (g('NotResource') !== undefined) return UNKNOWN;
  const res = g('Resource');
  if (res === undefined) return UNKNOWN;
  let unknown = false;
  for (const i of plainItems(res)) {
    if (i === '*') return 'yes';
    if (role === undefined || isUnknown(role)) return UNKNOWN;
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
    if (globMatch(path, role.name) || globMatch(path.split('/').pop()!, role.name)) return 'yes';
  }
  return unknown ? UNKNOWN : 'no';
}

// ------------------------------------------------------------------ trust

/** Does the role's trust policy let the service principal assume it? */
export function trusts(role: Role, service: string): Tri {
  const doc = docOf(role.props.prop('AssumeRolePolicyDocument'));
  if (doc === PLAIN_UNKNOWN) return UNKNOWN;
  let unknown = false;
  for (const s of doc) {
    if (s === PLAIN_UNKNOWN) {
      unknown = true;
      continue;
    }
    const effect = plainEffect(s);
    if (effect === undefined) {
      unknown = true;
      continue;
    }
    if (effect !== 'Allow') continue;
    const a = plainCovers(s, 'sts:AssumeRole');
    if (a === 'no') continue;
    const principal = getCI(s, 'Principal');
    if (principal === '*') return a === 'yes' ? 'yes' : UNKNOWN;
    if (!isRecord(principal)) {
      unknown = true;
      continue;
    }
    const svc = getCI(principal, 'Service');
    let hit: Tri = 'no';
    for (const i of plainItems(svc)) {
      if (typeof i !== 'string') hit = UNKNOWN;
      else if (i === service || i.replace(/\.com\.cn$/, '.com') === service) {
        hit = 'yes';
        break;
      }
    }
    if (hit === 'yes' && a === 'yes') return 'yes';
    if (hit !== 'no') unknown = true;
  }
  return unknown ? UNKNOWN : 'no';
}

// ------------------------------------------------------------------ AWS managed policies

const ECS_AGENT = ['ecs:CreateCluster', 'ecs:DeregisterContainerInstance', 'ecs:DiscoverPollEndpoint', 'ecs:Poll', 'ecs:RegisterContainerInstance', 'ecs:StartTelemetrySession', 'ecs:Submit*', 'ecs:UpdateContainerInstancesState'];
const ECR_READ = ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'];

/** Does the action belong to one of the services (`ecs`, `logs`, ...)? */
function inService(action: string, services: string[]): boolean {
  const s = action.toLowerCase().split(':')[0];
  return services.includes(s ?? '');
}

/** Services whose actions the execution-role policies below were judged for: their other actions are surely not granted. */
const EXECUTION = ['ecr', 'logs', 'secretsmanager', 'ssm', 'kms'];

/** Policies often attached to container instances that grant no ECS actions. */
const noEcs = (a: string): Tri => (inService(a, ['ecs']) ? 'no' : UNKNOWN);

/**
 * AWS managed policies whose grants are known well enough, by name after `:policy/`. `yes`: grants the
 * action on every resource; `no` only where the policy surely lacks the action; else `unknown`.
 */
const MANAGED: Record<string, (action: string) => Tri> = {
  AdministratorAccess: () => 'yes',
  'service-role/AmazonEC2ContainerServiceforEC2Role': (a) => (anyMatch(ECS_AGENT, a) ? 'yes' : noEcs(a)),
  'service-role/AmazonEC2ContainerServiceEventsRole': (a) => (['ecs:runtask', 'iam:passrole', 'ecs:tagresource'].includes(a.toLowerCase()) ? 'yes' : UNKNOWN),
  'service-role/AmazonECSTaskExecutionRolePolicy': (a) => (anyMatch([...ECR_READ, 'logs:CreateLogStream', 'logs:PutLogEvents'], a) ? 'yes' : inService(a, EXECUTION) ? 'no' : UNKNOWN),
  AmazonEC2ContainerRegistryReadOnly: (a) => (anyMatch(ECR_READ, a) ? 'yes' : inService(a, ['ecr']) ? UNKNOWN : inService(a, ['ecs', ...EXECUTION]) ? 'no' : UNKNOWN),
  AmazonEC2ContainerRegistryPowerUser: (a) => (anyMatch(['ecr:GetAuthorizationToken', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], a) ? 'yes' : UNKNOWN),
  AmazonEC2ContainerRegistryFullAccess: (a) => (anyMatch(['ecr:*'], a) ? 'yes' : UNKNOWN),
  CloudWatchLogsFullAccess: (a) => (anyMatch(['logs:*'], a) ? 'yes' : noEcs(a)),
  SecretsManagerReadWrite: (a) => (anyMatch(['secretsmanager:*'], a) ? 'yes' : UNKNOWN),
  AmazonSSMReadOnlyAccess: (a) => (anyMatch(['ssm:Describe*', 'ssm:Get*', 'ssm:List*'], a) ? 'yes' : inService(a, EXECUTION) ? 'no' : UNKNOWN),
  AmazonSSMManagedInstanceCore: noEcs,
  AmazonSSMManagedEC2InstanceDefaultPolicy: noEcs,
  'service-role/AmazonEC2RoleforSSM': noEcs,
  CloudWatchAgentServerPolicy: noEcs,
  AmazonS3ReadOnlyAccess: noEcs,
};

/** A managed policy ARN's judgement, by its name after `:policy/`. */
export function managedByArn(arn: string): ((action: string) => Tri) | undefined {
  const name = /^arn:[^:]+:iam::aws:policy\/(.+)$/.exec(arn)?.[1];
  return name !== undefined ? MANAGED[name] : undefined;
}

// ------------------------------------------------------------------ the run's policy index

interface PolicyIndex {
  /** Policy resources attached to each role; a role named by RoleName: the first role of that name. */
  attached: Map<Role, CfnResource[]>;
  /** The same, a role named by RoleName: every role of that name. */
  attachedAll: Map<Role, CfnResource[]>;
  /** Templates with a policy attached to roles that cannot be known (a parameter, an import). */
  unknownIn: Set<Template>;
  /** Roles another template can name: a fixed RoleName, an Outputs value, or a template with nested stacks (computed on first use). */
  nameable(): Set<Role>;
}

function add(map: Map<Role, CfnResource[]>, role: Role, res: CfnResource): void {
  const list = map.get(role) ?? [];
  if (!list.includes(res)) list.push(res);
  map.set(role, list);
}

function policyIndex(model: FileView): PolicyIndex {
  return model.all.memo('lib/iam-policy:index', () => {
    const attached = new Map<Role, CfnResource[]>();
    const attachedAll = new Map<Role, CfnResource[]>();
    const unknownIn = new Set<Template>();
    const attach = (p: Prop, res: CfnResource) => {
      const ref = model.roleRef(p);
      if (ref === undefined) return;
      if (isUnknown(ref)) {
        unknownIn.add(res.template);
        return;
      }
      const roles = ref.role ? [ref.role] : ref.name !== undefined ? (model.all.roleIndex().get(ref.name) ?? []) : [];
      if (roles[0]) add(attached, roles[0], res);
      for (const role of roles) add(attachedAll, role, res);
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
    let nameable: Set<Role> | undefined;
    return {
      attached,
      attachedAll,
      unknownIn,
      nameable: () => {
        if (nameable) return nameable;
        nameable = new Set<Role>();
        if (unknownIn.size) {
          for (const role of model.all.roles) {
            const t = role.origin.resource?.template;
            if (!t || !role.roleName.absent || [...t.resources.values()].some((r) => r.type === 'AWS::CloudFormation::Stack') || outputsName(t, role)) nameable.add(role);
          }
        }
        return nameable;
      },
    };
  });
}

/** Does an output of the template give out the role (its name or ARN)? */
function outputsName(t: Template, role: Role): boolean {
  const outputs = t.root.get('Outputs');
  if (!isMap(outputs)) return false;
  for (const { value } of outputs.entries) {
    const v = isMap(value) ? value.get('Value') : undefined;
    if (!v) continue;
    const r = t.resolve(v);
    if (r.kind === 'ref' && r.resource === role.origin.resource) return true;
    if (r.kind !== 'literal' && role.origin.logicalId !== undefined && JSON.stringify(toPlain(v) ?? null).includes(role.origin.logicalId)) return true;
  }
  return false;
}

// ------------------------------------------------------------------ a role's sources and answers

/** A policy document (located, or plain), an AWS managed policy known by name, or a source that cannot be known. */
export type Source = { doc: Obj } | { plain: PlainDoc } | { managed: (action: string) => Tri } | 'unknown';

/** How a rule reads a role's policies (each rule keeps the reading its answers were written for). */
export interface Reading {
  /** Documents as located mappings (`obj`), or as plain values with policies written as JSON text parsed (`plain`). */
  docs: 'obj' | 'plain';
  /** Policies / ManagedPolicyArns items removed by AWS::NoValue: skipped, or counted as unknown. */
  absentItems: 'skip' | 'unknown';
  /** An inline policy or managed policy ARN that a condition may remove cannot be known. */
  surely: boolean;
  /** A policy attached by RoleName: to the first role of that name, or to every one. */
  byName: 'first' | 'all';
  /**
   * Which roles a policy attached to roles that cannot be known may reach: roles of its template, also
   * roles with a RoleName (`named`), or also roles another template can name (`nameable`).
   */
  unknownRoles: 'template' | 'named' | 'nameable';
  /** Action items that are known but not strings cannot be known (else they match nothing). */
  strict: boolean;
  /** A managed policy's `no` is trusted (else only its `yes` counts). */
  managedNo: boolean;
}

/** The policy sources of a role: inline policies, managed policies, policies attached to it. */
export function roleSources(model: FileView, role: Role, reading: Reading): Source[] {
  const out: Source[] = [];
  const seen = new Set<CfnResource>();
  const read = (p: Prop | undefined): Source => {
    if (reading.docs === 'plain') return { plain: docOf(p) };
    const doc = p?.obj();
    return doc ? { doc } : 'unknown';
  };
  const fromResource = (res: CfnResource) => {
    if (seen.has(res)) return;
    seen.add(res);
    out.push(read(res.props.prop('PolicyDocument')));
  };
  const inline = role.props.prop('Policies');
  if (inline.present) {
    const items = inline.list();
    if (!items) out.push('unknown');
    for (const i of items ?? []) {
      if (i.absent && reading.absentItems === 'skip') continue;
      const o = !reading.surely || i.surelyPresent ? i.obj() : undefined;
      out.push(read(o?.prop('PolicyDocument')));
    }
  }
  const managed = role.managedPolicyArns;
  if (managed.present) {
    const items = managed.list();
    if (!items) out.push('unknown');
    for (const i of items ?? []) {
      if (i.absent && reading.absentItems === 'skip') continue;
      const r = i.res;
      if (r.kind === 'ref') {
        if (r.resource.type === 'AWS::IAM::ManagedPolicy') fromResource(r.resource);
        else out.push('unknown');
        continue;
      }
      const known = !reading.surely || i.surelyPresent ? managedByArn(i.str() ?? '') : undefined;
      out.push(known ? { managed: known } : 'unknown');
    }
  }
  const index = policyIndex(model);
  for (const res of (reading.byName === 'all' ? index.attachedAll : index.attached).get(role) ?? []) fromResource(res);
  // A policy attached to roles named by a parameter or an import may attach to this role.
  const t = role.origin.resource?.template;
  if (index.unknownIn.size) {
    const reached =
      (t !== undefined && index.unknownIn.has(t)) ||
      (reading.unknownRoles === 'named' && role.roleName.present) ||
      (reading.unknownRoles === 'nameable' && index.nameable().has(role));
    if (reached) out.push('unknown');
  }
  return out;
}

/** Does a role's policy set allow an action (on the given role, for iam:PassRole)? */
export function roleAllows(sources: Source[], action: string, reading: Reading, role?: RoleRef): Tri {
  let unknown = false;
  for (const s of sources) {
    let r: Tri;
    if (s === 'unknown') r = UNKNOWN;
    else if ('doc' in s) r = docAllows(s.doc, action, { strict: reading.strict, role });
    else if ('plain' in s) r = plainDocAllows(s.plain, action, role);
    else {
      r = s.managed(action);
      if (r === 'no' && !reading.managedNo) r = UNKNOWN;
    }
    if (r === 'yes') return 'yes';
    if (isUnknown(r)) unknown = true;
  }
  return unknown ? UNKNOWN : 'no';
}

/** The located policy documents of a role (inline, customer managed, attached). */
export function roleDocuments(model: FileView, role: Role, reading: Reading): Obj[] {
  return roleSources(model, role, reading).flatMap((s) => (s !== 'unknown' && 'doc' in s ? [s.doc] : []));
}
