import { defineRule } from '../../engine/rule.js';
import { repoLabel } from './lib/repository.js';

export default defineRule({
  id: 'ecr/lifecycle-policy',
  severity: 'warning',
  recommended: false,
  description: 'ECR repositories should have a lifecycle policy that expires old images.',
  check({ model, report }) {
    for (const repo of model.resources('AWS::ECR::Repository')) {
      const lp = repo.props.prop('LifecyclePolicy');
      if (lp.present && !lp.obj()) continue;
      const text = lp.obj()?.prop('LifecyclePolicyText');
      if (text && text.present) continue;
      report(
        text ?? lp,
        `${repoLabel(repo)} has no lifecycle policy (LifecyclePolicy.LifecyclePolicyText), so every pushed image is kept and billed for storage forever; add a lifecycle policy that expires untagged images and keeps a bounded number of tagged ones.`,
      );
    }
  },
});
