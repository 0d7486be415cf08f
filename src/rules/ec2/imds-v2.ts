import { defineRule } from '../../engine/rule.js';
import type { InstanceLauncher } from '../../model/entities.js';
import type { Obj } from '../../model/value.js';

const RISK =
  'a server-side request forgery or an open proxy in any task or process on the instance can then read the instance role\'s credentials with a single unauthenticated GET to 169.254.169.254';

export default defineRule({
  id: 'ec2/imds-v2',
  severity: 'warning',
  description: 'Container instances should require IMDSv2 (HttpTokens: required).',
  check({ model, report }) {
    const candidates: Array<{ l: InstanceLauncher; kind: string; owner: Obj | undefined }> = [
      ...model.launchTemplates.map((l) => ({ l, kind: 'Launch template', owner: l.data })),
      ...model.launchConfigurations.map((l) => ({ l, kind: 'Launch configuration', owner: l.props as Obj | undefined })),
    ];
    if (candidates.length === 0) return;
    const containerInstances = model.all.memo('ec2/imds-v2', () => new Set(model.all.containerInstanceLaunchers()));

    for (const { l, kind, owner } of candidates) {
      if (!owner || !containerInstances.has(l)) continue;
      const name = `${kind} "${l.label}" of ECS container instances`;
      const options = owner.prop('MetadataOptions');
      if (options.absent) {
        report(
          options,
          `${name} has no MetadataOptions, so its instances accept IMDSv1 unless the AMI or the account default requires IMDSv2; ${RISK}; set MetadataOptions with HttpTokens: required.`,
        );
        continue;
      }
      const o = options.obj();
      if (!o) continue;
      const endpoint = o.prop('HttpEndpoint');
      if (endpoint.present && !endpoint.isCI('enabled')) continue;
      const tokens = o.prop('HttpTokens');
      if (tokens.absent) {
        report(
          tokens,
          `${name} does not set HttpTokens, so its instances accept IMDSv1 unless the AMI or the account default requires IMDSv2; ${RISK}; set HttpTokens: required.`,
        );
      } else if (tokens.isCI('optional')) {
        report(tokens, `${name} allows IMDSv1 (HttpTokens: ${tokens.str()}); ${RISK}; set HttpTokens: required.`);
      }
    }
  },
});
