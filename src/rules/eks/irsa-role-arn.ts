import { defineRule } from '../../engine/rule.js';
import type { Prop } from '../../model/value.js';
import { isFillIn, roleArnProblem } from './lib/iam.js';

const ANNOTATION = 'eks.amazonaws.com/role-arn';

/** The problem with a known, non-empty role ARN value; undefined when fine or not knowable. */
function problem(p: Prop | undefined): { value: string; why: string } | undefined {
  const v = p?.str();
  if (v === undefined || v.trim() === '' || isFillIn(v)) return undefined;
  const why = roleArnProblem(v.trim());
  return why ? { value: v, why } : undefined;
}

export default defineRule({
  id: 'eks/irsa-role-arn',
  severity: 'error',
  description: 'The eks.amazonaws.com/role-arn annotation must be an IAM role ARN.',
  check({ model, report }) {
    for (const o of model.k8sObjects) {
      if (o.objectKind !== 'ServiceAccount') continue;
      const ann = o.annotation(ANNOTATION);
      const p = problem(ann);
      if (!ann || !p) continue;
      report(
        ann,
        `ServiceAccount "${o.label}" has ${ANNOTATION}: "${p.value}", and ${p.why}; the EKS Pod Identity webhook then injects a role its pods cannot assume (AWS SDK calls fail with an STS error); use the role's full ARN, arn:aws:iam::<account-id>:role/<name>.`,
      );
    }
    for (const cfg of model.eksctlConfigs) {
      for (const sa of cfg.props.obj('iam')?.prop('serviceAccounts').objects() ?? []) {
        const arn = sa.prop('attachRoleARN');
        const p = problem(arn);
        if (!p) continue;
        const name = sa.obj('metadata')?.prop('name').str() ?? 'unnamed';
        report(
          arn,
          `eksctl service account "${name}" has attachRoleARN: "${p.value}", and ${p.why}; eksctl writes it to the ${ANNOTATION} annotation, where pods cannot assume it; use the role's full ARN, arn:aws:iam::<account-id>:role/<name>.`,
        );
      }
    }
  },
});
