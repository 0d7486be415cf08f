import { defineRule, key } from '../../engine/rule.js';
import type { Prop } from '../../model/value.js';
import { isFillIn, roleArnProblem } from './lib/iam.js';

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
  meta: {
    messages: {
      annotation: 'ServiceAccount "{{serviceAccount}}" has role ARN "{{value}}" ({{why}}), which pods cannot assume: use the role\'s full ARN.',
      eksctl: 'Service account "{{serviceAccount}}" has {{key}} "{{value}}" ({{why}}), which pods cannot assume: use the role\'s full ARN.',
    },
  },
  check({ model, report }) {
    for (const sa of model.serviceAccounts) {
      const ann = sa.roleArn;
      const p = problem(ann);
      if (!ann || !p) continue;
      report(ann, 'annotation', { serviceAccount: sa.label, value: p.value, why: p.why });
    }
    for (const cfg of model.eksctlConfigs) {
      for (const sa of cfg.props.obj('iam')?.prop('serviceAccounts').objects() ?? []) {
        const arn = sa.prop('attachRoleARN');
        const p = problem(arn);
        if (!p) continue;
        report(arn, 'eksctl', { serviceAccount: sa.obj('metadata')?.prop('name').str() ?? 'unnamed', key: key('attachRoleARN'), value: p.value, why: p.why });
      }
    }
  },
});
