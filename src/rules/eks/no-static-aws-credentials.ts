import { defineRule } from '../../engine/rule.js';
import { isFillIn } from './lib/iam.js';

const CREDENTIAL_VARS = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);

/** Values of local emulators and samples that are not credentials (LocalStack accepts any key, e.g. "test"). */
const DUMMY = /^(?:test|testing|dummy|fake|foo|bar|none|null|x+|placeholder|localstack|mock|example|local|secret|key|password|changeme|-)$/i;

export default defineRule({
  id: 'eks/no-static-aws-credentials',
  severity: 'error',
  description: 'Pods must not carry static AWS credentials in their environment.',
  meta: {
    messages: {
      key: 'Container "{{container}}" of {{workload}} sets {{name}} to a literal AWS key: remove it, give the pod a role (EKS Pod Identity or IRSA) and deactivate the key.',
      session: 'Container "{{container}}" of {{workload}} sets {{name}} to a literal session token: remove it and give the pod a role (EKS Pod Identity or IRSA).',
    },
  },
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
          report(value, name === 'AWS_SESSION_TOKEN' ? 'session' : 'key', { container: c.name, workload: `${w.objectKind} "${w.label}"`, name });
        }
      }
    }
  },
});
