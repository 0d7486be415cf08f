import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'storage/efs-encrypted',
  severity: 'warning',
  description: 'EFS file systems should be encrypted at rest.',
  check({ model, report }) {
    for (const fs of model.resources('AWS::EFS::FileSystem')) {
      const enc = fs.props.prop('Encrypted');
      if (enc.present && enc.bool() !== false) continue;
      const what = enc.present ? 'sets Encrypted to false' : 'is not encrypted at rest (Encrypted defaults to false in CloudFormation)';
      report(
        enc,
        `EFS file system "${fs.logicalId}" ${what}, so the data that tasks and pods store on it sits unencrypted on disk; set Encrypted to true (optionally with a KmsKeyId). Encryption can only be chosen when the file system is created.`,
      );
    }
  },
});
