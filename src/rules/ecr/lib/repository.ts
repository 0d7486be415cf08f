import type { CfnResource } from '../../../model/cfn.js';
import type { Prop } from '../../../model/value.js';

/** How messages name a repository: `repository "Logical" ("name")` when the name is known. */
export function repoLabel(repo: CfnResource): string {
  const name = repo.props.prop('RepositoryName').str();
  return name !== undefined && !name.includes('${') ? `ECR repository "${repo.logicalId}" ("${name}")` : `ECR repository "${repo.logicalId}"`;
}

/** A short quotation of a known scalar value. */
export function q(p: Prop): string {
  const s = p.str() ?? '';
  return `"${s.length > 60 ? s.slice(0, 60) + '…' : s}"`;
}
