import { defineRule } from '../../engine/rule.js';
import { repoLabel } from './lib/repository.js';

export default defineRule({
  id: 'ecr/immutable-tags',
  severity: 'warning',
  description: 'ECR repositories should make image tags immutable.',
  check({ model, report }) {
    for (const repo of model.resources('AWS::ECR::Repository')) {
      const m = repo.props.prop('ImageTagMutability');
      if (m.present && !m.is('MUTABLE')) continue;
      const what = m.present ? 'sets ImageTagMutability to "MUTABLE"' : 'leaves image tags mutable (ImageTagMutability defaults to MUTABLE)';
      report(
        m,
        `${repoLabel(repo)} ${what}, so a push can silently replace the image behind a tag that task definitions and deployments already use; set ImageTagMutability to IMMUTABLE (or IMMUTABLE_WITH_EXCLUSION for tags such as "latest" that must move).`,
      );
    }
  },
});
