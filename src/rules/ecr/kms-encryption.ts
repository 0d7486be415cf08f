import { defineRule } from '../../engine/rule.js';
import { q, repoLabel } from './lib/repository.js';

export default defineRule({
  id: 'ecr/kms-encryption',
  severity: 'info',
  recommended: false,
  description: 'ECR repositories can encrypt images with an AWS KMS key.',
  check({ model, report }) {
    for (const repo of model.resources('AWS::ECR::Repository')) {
      const enc = repo.props.prop('EncryptionConfiguration');
      if (enc.present && !enc.obj()) continue;
      const type = enc.obj()?.prop('EncryptionType');
      if (type && type.present && (!type.known || type.is('KMS', 'KMS_DSSE'))) continue;
      const what = type?.present ? `sets EncryptionType to ${q(type)}` : 'encrypts images with Amazon S3 managed keys (AES256, the default)';
      report(
        type?.present ? type : enc,
        `${repoLabel(repo)} ${what}, so key use is neither logged in CloudTrail nor controllable by a key policy; set EncryptionConfiguration.EncryptionType to KMS (with a KmsKey of your own) where compliance asks for customer-controlled keys. Encryption can only be chosen when the repository is created.`,
      );
    }
  },
});
