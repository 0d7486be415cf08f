import { isUnknown } from '../../model/answer.js';
import { defineRule, key } from '../../engine/rule.js';
import { Role, type Container, type TaskDefinition } from '../../model/entities.js';
import { ecrImage, LogConfiguration, secretSource } from '../../model/ecs-extra.js';
import { PLACEHOLDER, type Obj, type Prop } from '../../model/value.js';
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

/** Actions to read a secret (ValueFrom / CredentialsParameter); empty when its store cannot be told. */
function secretActions(valueFrom: Prop, arnOnly = false): string[] {
  const source = secretSource(valueFrom, arnOnly);
  if (isUnknown(source)) return [];
  switch (source.store) {
    case 'secrets-manager':
      return ['secretsmanager:GetSecretValue', ...(source.keyPolicy && keyPolicyDefersToIam(source.keyPolicy) ? ['kms:Decrypt'] : [])];
    case 'parameter-store':
      return ['ssm:GetParameters'];
    case 'parameter-store-to-secrets-manager':
      // A Parameter Store reference to a Secrets Manager secret needs both.
      return ['ssm:GetParameters', 'secretsmanager:GetSecretValue'];
  }
}

/**
 * A key policy (of a customer managed key that encrypts a secret) that grants kms:Decrypt only to the
 * account (`...:root`, which delegates to IAM policies) and to service principals: then the role's own
 * policies must allow kms:Decrypt.
 */
function keyPolicyDefersToIam(doc: Obj): boolean {
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
      out.push({ kind: 'registry credentials', what: `container "${c.name}"`, actions: secretActions(param, true) });
    }
    if (!fargate) continue;
    const log = LogConfiguration.of(c);
    if (log?.driver.is('awslogs')) {
      const create = log.options.obj()?.prop('awslogs-create-group');
      out.push({ kind: 'awslogs', what: `container "${c.name}"`, actions: create?.bool() === true ? [...LOGS, 'logs:CreateLogGroup'] : LOGS });
    }
    if (ecrImage(c.image) === 'yes') out.push({ kind: 'ECR image', what: `container "${c.name}"`, actions: ECR_PULL });
  }
  return out;
}

/** Secrets of a container (Secrets and LogConfiguration.SecretOptions) that are surely there. */
function secretsOf(c: Container): Obj[] {
  const out: Obj[] = [];
  for (const list of [c.props.prop('Secrets'), LogConfiguration.of(c)?.secretOptions]) {
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
  secrets: 'reads secrets',
  'registry credentials': 'pulls with registry credentials',
  awslogs: 'uses awslogs',
  'ECR image': 'pulls from private ECR',
};

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Actions for a message: the three ECR pull actions as one item (`ECR pulls`). */
function actionList(actions: string[]): string {
  const pull = ECR_PULL.every((a) => actions.includes(a));
  const shown = pull ? [...actions.filter((a) => !ECR_PULL.includes(a)), 'ECR pulls'] : actions;
  return list(shown);
}

export default defineRule({
  id: 'ecs/execution-role-required',
  severity: 'error',
  description: 'Task definitions that pull private images, read secrets or send logs need an execution role that allows it.',
  meta: {
    messages: {
      noRole: 'Task definition "{{taskDefinition}}" {{needs}} ({{example}}) without an {{key}}; set it to a role with AmazonECSTaskExecutionRolePolicy.',
      noRoleSecrets: 'Task definition "{{taskDefinition}}" {{needs}} ({{example}}) without an {{key}}; set it to a role that can read them.',
      notAllowed: 'Execution role "{{role}}" of task definition "{{taskDefinition}}" lacks {{actions}} for {{what}}; {{fix}}.',
      notAllowedMany: 'Execution role "{{role}}" of task definition "{{taskDefinition}}" lacks {{actions}}; {{fix}}.',
    },
  },
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
        const secrets = kinds.includes('secrets') || kinds.includes('registry credentials');
        const onFargate = kinds.includes('awslogs') || kinds.includes('ECR image') ? ' on Fargate' : '';
        report(td, secrets ? 'noRoleSecrets' : 'noRole', {
          taskDefinition: td.label,
          needs: list(kinds.map((k) => KIND_TEXT[k])) + onFargate,
          example: needs[0]!.what,
          key: key('ExecutionRoleArn'),
        });
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
      const actions = [...missing.keys()];
      const whats = [...new Set([...missing.values()].flat())];
      const fixes: string[] = [];
      if (actions.some((a) => a.startsWith('ecr:') || a === 'logs:CreateLogStream' || a === 'logs:PutLogEvents')) fixes.push('attach AmazonECSTaskExecutionRolePolicy');
      if (actions.includes('logs:CreateLogGroup')) fixes.push('allow logs:CreateLogGroup');
      if (actions.some((a) => a.startsWith('secretsmanager:') || a.startsWith('ssm:') || a.startsWith('kms:'))) fixes.push('let it read the secrets');
      const about = { taskDefinition: td.label, role: ref.name ?? ref.role.label, actions: actionList(actions), fix: list(fixes) };
      if (whats.length === 1) report(exec, 'notAllowed', { ...about, what: whats[0]! });
      else report(exec, 'notAllowedMany', about);
    }
  },
});
