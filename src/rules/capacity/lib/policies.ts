import type { Role, Tri } from '../../../model/entities.js';
import type { FileView } from '../../../model/model.js';
import type { Obj } from '../../../model/value.js';
import * as iam from '../../lib/iam-policy.js';

/**
 * What a role's IAM policies allow, as the capacity and scaling rules read them (see src/rules/lib/iam-policy.ts):
 * items a condition may remove cannot be known, a policy attached by RoleName reaches the first role of that name,
 * and a policy attached to roles that cannot be known reaches the roles of its template.
 */
const READING: iam.Reading = { docs: 'obj', absentItems: 'skip', surely: true, byName: 'first', unknownRoles: 'template', strict: false, managedNo: true };

export type Source = iam.Source;
export { allowingStatements, itemsOf } from '../../lib/iam-policy.js';

/** The policy sources of a role. */
export function roleSources(model: FileView, role: Role): Source[] {
  return iam.roleSources(model, role, READING);
}

/** Does a role allow an action (ignoring Deny, resources and conditions)? */
export function roleAllows(sources: Source[], action: string): Tri {
  return iam.roleAllows(sources, action, READING);
}

/** The policy documents of a role that the model can read (inline, customer managed, attached). */
export function roleDocuments(model: FileView, role: Role): Obj[] {
  return iam.roleDocuments(model, role, READING);
}
