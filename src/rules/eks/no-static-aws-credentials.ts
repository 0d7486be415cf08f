import { defineRule } from '../../engine/rule.js';
import { isFillIn } from './lib/iam.js';

const CREDENTIAL_VARS = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);

/** Values of local emulators and samples that are not credentials (LocalStack accepts any key, e.g. "test"). */
const DUMMY = /^(?:test|testing|dummy|fake|foo|bar|none|null|x+|placeholder|localstack|mock|example|local|secret|key|password|changeme|-)$/i;

export default defineRule({
  id: 'eks/no-static-aws-credentials',
  severity: 'error',
  description: 'Pods must not carry static AWS credentials in their environment.',
  check({ model, report }) {
    for (const w of model.workloads) {
      for (const c of w.containers) {
        for (const env of c.props.prop('env').objects()) {
          const name = env.prop('name').str();
          if (!name || !CREDENTIAL_VARS.has(name)) continue;
          const value = env.prop('value');
          const v = value.str();
          // `$(OTHER_VAR)` is Kubernetes' dependent-variable expansion, not a literal.
          if (v === undefined || v.trim() === '' || DUMMY.test(v.trim()) || isFillIn(v) || /\$\([A-Za-z_][A-Za-z0-9_]*\)/.test(v)) continue;
          report(
            value,
            `Container "${c.name}" of ${w.objectKind} "${w.label}" sets ${name} to a literal value, so ${name === 'AWS_SESSION_TOKEN' ? 'a copied session credential' : 'a long-lived AWS key'} sits in the manifest (and in Git, the API server and every "kubectl get -o yaml"); remove it and give the pod an IAM role through EKS Pod Identity or IRSA (the eks.amazonaws.com/role-arn annotation on its ServiceAccount), then deactivate the key (or revoke the session).`,
          );
        }
      }
    }
  },
});
