import { defineRule, key } from '../../engine/rule.js';
import type { InstanceLauncher } from '../../model/entities.js';
import { metadataOptions } from '../../model/ecs-extra.js';

export default defineRule({
  id: 'ecs/block-task-imds',
  severity: 'warning',
  description: 'Container instances should block tasks from the instance metadata service.',
  meta: {
    messages: {
      awsvpcOpen:
        '{{kind}} "{{launcher}}" lets awsvpc tasks take the instance role via IMDS (hop limit 1 stops bridge tasks only); set ECS_AWSVPC_BLOCK_IMDS=true in {{key}}.',
      open: '{{kind}} "{{launcher}}" lets tasks take the instance role via IMDS; in {{key}} set ECS_AWSVPC_BLOCK_IMDS=true and block 169.254.169.254 for containers.',
    },
  },
  check({ model, report }) {
    const launchers: InstanceLauncher[] = [...model.launchTemplates, ...model.launchConfigurations, ...model.instances];
    for (const l of launchers) {
      const options = metadataOptions(l);
      // The instance metadata service is turned off: nothing to reach.
      if (options?.prop('HttpEndpoint').isCI('disabled')) continue;
      const boot = model.ecsInstanceBoot(l);
      if (!boot || !boot.joinsEcs || boot.windows || boot.blocksTaskImds !== 'no') continue;
      const kind = l.kind === 'LaunchTemplate' ? 'Launch template' : l.kind === 'LaunchConfiguration' ? 'Launch configuration' : 'Instance';
      // IMDSv2 only, with a hop limit of 1: the token does not reach containers behind the Docker bridge.
      const bridgeBlocked = !!options?.prop('HttpTokens').isCI('required') && options.prop('HttpPutResponseHopLimit').num() === 1;
      report(l.userData(), bridgeBlocked ? 'awsvpcOpen' : 'open', { kind, launcher: l.label, key: key('UserData') }, { atKey: true });
    }
  },
});
