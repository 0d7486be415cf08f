import type { Role, Tri } from '../../../model/entities.js';
import type { FileView, RoleRef } from '../../../model/model.js';
import * as iam from '../../lib/iam-policy.js';

/**
 * What a role's IAM policies allow, as the events rules read them (see src/rules/lib/iam-policy.ts): policies
 * written as JSON text are parsed, a policy attached by RoleName reaches every role of that name, a policy
 * attached to roles that cannot be known reaches the roles of its template and every role with a RoleName,
 * and an AWS managed policy counts only where it surely grants the action.
 */
const READING: iam.Reading = { docs: 'plain', absentItems: 'skip', surely: false, byName: 'all', unknownRoles: 'named', strict: false, managedNo: false };

export type Source = iam.Source;
export { docOf, trusts } from '../../lib/iam-policy.js';

/** Where a role's permissions come from (see `Source`). */
export function sourcesOf(model: FileView, role: Role): Source[] {
  return iam.roleSources(model, role, READING);
}

/** Do the role's policies allow the action (on the given role, for iam:PassRole)? */
export function allows(sources: Source[], action: string, role?: RoleRef): Tri {
  return iam.roleAllows(sources, action, READING, role);
}
