import { isUnknown, unknown } from '../../model/answer.js';
import { defineRule } from '../../engine/rule.js';
import { Template, type CfnResource } from '../../model/cfn.js';
import { Role, type Container, type TaskDefinition } from '../../model/entities.js';
import { PLACEHOLDER, textOf, type Obj, type Prop, type Scope } from '../../model/value.js';
import { isMap, isScalar, isSeq, type Node } from '../../parsers/tree.js';
import { roleAllows, roleSources, statementCovers, statementsOf, type Reading } from '../lib/iam-policy.js';

// ------------------------------------------------------------------ what a task definition needs

/** Something that makes ECS use the execution role, with the actions it needs. */
interface Need {
  /** For messages: `secret "DB_PASSWORD" of container "app"`. */
  what: string;
  /** Why the role is needed at all (for the no-role message). */
  kind: 'secrets' | 'registry credentials' | 'awslogs' | 'ECR image';
  /** Actions the role must allow; empty when they cannot be known. */
  actions: string[];
}

const ECR_PULL = ['ecr:GetAuthorizationToken', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

/**
 * `<account>.dkr.ecr.<region>.amazonaws.com/...`, judged on the text of the image (unknown parts as `${?}`),
 * or an image that starts with the RepositoryUri of an AWS::ECR::Repository of the template.
 */
function isPrivateEcrImage(image: Prop): boolean {
  const node = image.node;
  if (!image.surelyPresent || node === undefined) return false;
  const { text } = textOf(node, image.owner.scope);
  const host = text.split('/')[0] ?? '';
  if (text.includes('/') && /\.dkr\.ecr(?:-fips)?\.[^/]/.test(host)) return true;
  return startsWithRepositoryUri(node, image.owner.scope);
}

function startsWithRepositoryUri(node: Node, scope: Scope, depth = 0): boolean {
  if (!(scope instanceof Template) || !isMap(node) || depth > 5) return false;
  const fn = node.soleKey;
  const arg = fn ? node.get(fn) : undefined;
  if (fn === 'Fn::GetAtt') {
    const r = scope.resolve(node);
    return r.kind === 'ref' && r.attribute === 'RepositoryUri' && r.resource.type === 'AWS::ECR::Repository';
  }
  if (fn === 'Fn::Sub') {
    const pattern = isSeq(arg) ? arg.items[0] : arg;
    const m = isScalar(pattern) && typeof pattern.value === 'string' ? /^\$\{([A-Za-z0-9]+)\.RepositoryUri\}/.exec(pattern.value) : null;
    if (!m) return false;
    return scope.resources.get(m[1]!)?.type === 'AWS::ECR::Repository';
  }
  if (fn === 'Fn::Join' && isSeq(arg) && isSeq(arg.items[1])) {
    const first = arg.items[1].items[0];
    return first !== undefined && startsWithRepositoryUri(first, scope, depth + 1);
  }
  return false;
}

/** The resource a property refers to (Ref/GetAtt), when it is one of the template's resources. */
function refResource(p: Prop): CfnResource | undefined {
  const r = p.res;
  return r.kind === 'ref' ? r.resource : undefined;
}

/** Actions to read a secret (ValueFrom / CredentialsParameter); empty when its store cannot be told. */
function secretActions(valueFrom: Prop, sm = false): string[] {
  const res = refResource(valueFrom);
  if (res) {
    if (res.type === 'AWS::SecretsManager::Secret') return ['secretsmanager:GetSecretValue', ...kmsFor(res)];
    if (res.type === 'AWS::SSM::Parameter') return ['ssm:GetParameters'];
    return [];
  }
  if (valueFrom.node === undefined) return [];
  const { text, complete } = textOf(valueFrom.node, valueFrom.owner.scope);
  if (/^arn:[^:]+:secretsmanager:/.test(text)) return ['secretsmanager:GetSecretValue'];
  if (/^arn:[^:]+:ssm:.*:parameter\//.test(text)) {
    // A Parameter Store reference to a Secrets Manager secret needs both.
    return /:parameter\/aws\/reference\/secretsmanager\//.test(text) ? ['ssm:GetParameters', 'secretsmanager:GetSecretValue'] : ['ssm:GetParameters'];
  }
  if (sm) return [];
  // A name (not an ARN, even where parts are parameters) is a Parameter Store parameter of the task's Region.
  const literalStart = complete ? text !== '' : text !== '' && !text.startsWith('${') && !text.startsWith('{{');
  if (literalStart && !text.startsWith('arn:') && !text.startsWith('/aws/reference/secretsmanager/')) return ['ssm:GetParameters'];
  return [];
}

/** `kms:Decrypt` when a Secrets Manager secret of the template names a customer managed key whose policy leaves access to IAM. */
function kmsFor(secret: CfnResource): string[] {
  const kms = secret.props.prop('KmsKeyId');
  if (kms.absent) return [];
  const key = refResource(kms);
  if (!key || key.type !== 'AWS::KMS::Key') return [];
  return keyPolicyDefersToIam(key) ? ['kms:Decrypt'] : [];
}

/**
 * A key policy that grants kms:Decrypt only to the account (`...:root`, which delegates to IAM policies)
 * and to service principals: then the role's own policies must allow kms:Decrypt.
 */
function keyPolicyDefersToIam(key: CfnResource): boolean {
  const doc = key.props.obj('KeyPolicy');
  if (!doc) return false;
  const statements = statementsOf(doc);
  if (!statements) return false;
  for (const s of statements) {
    if (!s) return false;
    const effect = s.prop('Effect').str();
    if (effect === undefined) return false;
    if (effect !== 'Allow') continue;
    if (statementCovers(s, 'kms:Decrypt', true) === 'no') continue;
    const principal = s.prop('Principal').obj();
    if (!principal) return false;
    for (const k of principal.keys()) {
      const p = principal.prop(k);
      if (k === 'Service') continue;
      if (k !== 'AWS') return false;
      const items = p.list() ?? [p];
      for (const i of items) {
        const v = i.str();
        if (v === undefined || !/^(?:arn:[^:]+:iam::(?:\d{12}|\$\{AWS::AccountId\}):root|\d{12}|\$\{AWS::AccountId\})$/.test(v)) return false;
      }
    }
  }
  return true;
}

function needsOf(td: TaskDefinition, fargate: boolean): Need[] {
  const out: Need[] = [];
  for (const c of td.containers) {
    const of = `of container "${c.name}"`;
    for (const item of secretsOf(c)) {
      const name = item.prop('Name').str();
      out.push({ kind: 'secrets', what: `secret ${name ? `"${name}" ` : ''}${of}`, actions: secretActions(item.prop('ValueFrom')) });
    }
    const creds = c.props.obj('RepositoryCredentials');
    const param = creds?.prop('CredentialsParameter');
    if (param && param.surelyPresent) {
      out.push({ kind: 'registry credentials', what: `RepositoryCredentials ${of}`, actions: secretActions(param, true) });
    }
    if (!fargate) continue;
    const log = c.props.obj('LogConfiguration');
    if (log?.prop('LogDriver').is('awslogs')) {
      const create = log.obj('Options')?.prop('awslogs-create-group');
      out.push({ kind: 'awslogs', what: `the awslogs log driver ${of}`, actions: create?.bool() === true ? [...LOGS, 'logs:CreateLogGroup'] : LOGS });
    }
    if (isPrivateEcrImage(c.image)) out.push({ kind: 'ECR image', what: `the Amazon ECR image ${of}`, actions: ECR_PULL });
  }
  return out;
}

/** Secrets of a container (Secrets and LogConfiguration.SecretOptions) that are surely there. */
function secretsOf(c: Container): Obj[] {
  const out: Obj[] = [];
  for (const list of [c.props.prop('Secrets'), c.props.obj('LogConfiguration')?.prop('SecretOptions')]) {
    if (!list || !list.surelyPresent) continue;
    for (const item of list.list() ?? []) {
      const o = item.surelyPresent ? item.obj() : undefined;
      if (o && o.prop('ValueFrom').surelyPresent) out.push(o);
    }
  }
  return out;
}

// ------------------------------------------------------------------ what a role allows

/**
 * How this rule reads a role's policies (see src/rules/lib/iam-policy.ts): an item removed by AWS::NoValue
 * cannot be known, a policy attached by RoleName reaches the first role of that name, and a policy attached
 * to roles that cannot be known reaches the roles of its template and the roles another template can name.
 */
const READING: Reading = { docs: 'obj', absentItems: 'unknown', surely: false, byName: 'first', unknownRoles: 'nameable', strict: true, managedNo: true };

// ------------------------------------------------------------------ the rule

const KIND_TEXT: Record<Need['kind'], string> = {
  secrets: 'injects secrets from Secrets Manager or Parameter Store',
  'registry credentials': 'pulls with private registry credentials',
  awslogs: 'sends logs with the awslogs driver on Fargate',
  'ECR image': 'pulls a private Amazon ECR image on Fargate',
};

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export default defineRule({
  id: 'ecs/execution-role-required',
  severity: 'error',
  description: 'Task definitions that pull private images, read secrets or send logs need an execution role that allows it.',
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      const fargate = model.taskRunsOnFargate(td) === 'yes';
      const needs = needsOf(td, fargate);
      if (needs.length === 0) continue;
      const exec = td.executionRole;
      if (exec.absent) {
        // A task-definition file with rendering placeholders is a template that scripts complete, often
        // adding the role on the command line (`register-task-definition --execution-role-arn ...`).
        if (td.origin.format === 'ecs-task-definition' && PLACEHOLDER.test(td.file.text)) continue;
        const kinds = [...new Set(needs.map((n) => n.kind))];
        const first = kinds.map((k) => needs.find((n) => n.kind === k)!);
        report(
          td,
          `Task definition "${td.label}" has no ExecutionRoleArn, but it ${list(kinds.map((k) => KIND_TEXT[k]))} (${list(first.map((n) => n.what))}), which the ECS agent does with the task execution role, so ECS rejects the task definition or cannot start its tasks; set ExecutionRoleArn to a role trusted by ecs-tasks.amazonaws.com with the managed policy AmazonECSTaskExecutionRolePolicy${kinds.includes('secrets') || kinds.includes('registry credentials') ? ' and read access to the referenced secrets' : ''}.`,
        );
        continue;
      }
      const ref = model.roleRef(exec);
      if (ref === undefined || isUnknown(ref) || !(ref.role instanceof Role)) continue;
      const sources = roleSources(model, ref.role, READING);
      const missing = new Map<string, string[]>();
      for (const need of needs) {
        for (const action of need.actions) {
          if (roleAllows(sources, action, READING) !== 'no') continue;
          const whys = missing.get(action) ?? [];
          if (!whys.includes(need.what)) whys.push(need.what);
          missing.set(action, whys);
        }
      }
      if (missing.size === 0) continue;
      // Group actions needed for the same things: "logs:CreateLogStream and logs:PutLogEvents (for ...)".
      const groups = new Map<string, string[]>();
      for (const [action, whys] of missing) {
        const key = whys.join('; ');
        groups.set(key, [...(groups.get(key) ?? []), action]);
      }
      const parts = [...groups].map(([whys, actions]) => `${list(actions)} (for ${whys.split('; ').length > 2 ? `${whys.split('; ').slice(0, 2).join(', ')} and more` : list(whys.split('; '))})`);
      const actions = [...missing.keys()];
      const fixes: string[] = [];
      if (actions.some((a) => a.startsWith('ecr:') || a === 'logs:CreateLogStream' || a === 'logs:PutLogEvents')) fixes.push('attach the managed policy AmazonECSTaskExecutionRolePolicy to the role');
      if (actions.includes('logs:CreateLogGroup')) fixes.push('allow logs:CreateLogGroup (or create the log group and drop awslogs-create-group)');
      const secretActs = actions.filter((a) => a.startsWith('secretsmanager:') || a.startsWith('ssm:') || a.startsWith('kms:'));
      if (secretActs.length) fixes.push(`allow ${list(secretActs)} on the referenced secrets${secretActs.includes('kms:Decrypt') ? ' and their KMS key' : ''}`);
      const roleName = ref.name ?? ref.role.label;
      report(
        exec,
        `Task definition "${td.label}" uses execution role "${roleName}", whose policies do not allow ${parts.join(', nor ')}, so ECS cannot start its tasks; ${list(fixes)}.`,
      );
    }
  },
});
