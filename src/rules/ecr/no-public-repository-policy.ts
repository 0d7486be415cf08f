import { defineRule } from '../../engine/rule.js';
import type { CfnResource } from '../../model/cfn.js';
import { getCI, isRecord, itemsOf, statementsOf, UNKNOWN, type Plain, type Statement } from './lib/plain.js';
import { repoLabel } from './lib/repository.js';

/** Is the principal everyone: `"*"`, `{"AWS": "*"}` or a list with `"*"`? */
function isEveryone(p: Plain | undefined): boolean {
  if (p === '*') return true;
  if (!isRecord(p)) return false;
  const aws = getCI(p, 'AWS');
  return itemsOf(aws).some((i) => i === '*');
}

/** Allow statements granting everyone without a Condition. */
function publicStatements(statements: Array<Statement | typeof UNKNOWN>): Statement[] {
  const out: Statement[] = [];
  for (const s of statements) {
    if (s === UNKNOWN) continue;
    if (getCI(s.value, 'Effect') !== 'Allow') continue;
    if (getCI(s.value, 'Condition') !== undefined) continue;
    if (isEveryone(getCI(s.value, 'Principal'))) out.push(s);
  }
  return out;
}

function actions(s: Statement): string {
  const a = itemsOf(getCI(s.value, 'Action')).filter((x): x is string => typeof x === 'string');
  if (a.length === 0) return '';
  return ` (${a.slice(0, 3).map((x) => `"${x}"`).join(', ')}${a.length > 3 ? ', …' : ''})`;
}

function check(res: CfnResource, key: string, label: string, report: (t: Statement['where'] | NonNullable<ReturnType<Statement['keyWhere']>>, m: string) => void): void {
  const statements = statementsOf(res.props.prop(key));
  if (!statements) return;
  for (const s of publicStatements(statements)) {
    const principal = s.keyWhere('Principal');
    report(
      principal ?? s.where,
      `${label} has a ${key} statement that allows any principal ("*")${actions(s)} without a Condition, so anyone with an AWS account can use it; name the accounts or roles in Principal, or add a Condition such as aws:PrincipalOrgID.`,
    );
  }
}

export default defineRule({
  id: 'ecr/no-public-repository-policy',
  severity: 'error',
  description: 'ECR repository and registry policies must not allow any principal without a condition.',
  check({ model, report }) {
    for (const repo of model.resources('AWS::ECR::Repository')) check(repo, 'RepositoryPolicyText', repoLabel(repo), (t, m) => report(t, m));
    for (const reg of model.resources('AWS::ECR::RegistryPolicy')) check(reg, 'PolicyText', `ECR registry policy "${reg.logicalId}"`, (t, m) => report(t, m));
  },
});
