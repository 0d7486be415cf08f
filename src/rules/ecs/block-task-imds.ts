import { defineRule } from '../../engine/rule.js';
import { LaunchTemplate, type InstanceLauncher } from '../../model/entities.js';
import type { Bootstrap } from '../../model/model.js';

/** The agent setting, unless it is explicitly `false` (a placeholder value counts as set: unknown). */
const AGENT_SETTING = /ECS_AWSVPC_BLOCK_IMDS(?!\s*=\s*["']?false\b)|AWSVPCBlockInstanceMet/i;
const IMDS_LINE = /^.*169\.254\.169\.254.*$/gm;
/** A firewall rule on the metadata address (drop, reject, redirect to a proxy): blocks or may block. */
const FIREWALL = /\biptables\b|\bnft\b|--jump\b|\s-j\s|DOCKER-USER|FORWARD/;
/** Boot steps that pull ECS agent configuration or scripts from elsewhere. */
const EXTERNAL = [
  /(?:s3\s+cp|s3api\s+get-object|curl|wget|ssm\s+get-parameters?|secretsmanager\s+get-secret-value)\b[^\n]*\/etc\/ecs\//,
  /(?:curl|wget)\b[^\n]*\|\s*(?:sudo\s+)?(?:ba|z)?sh\b/,
  /s3\s+cp\s+s3:\/\/\S+\.sh\b/,
];
/** Windows container instances (their agent is configured with Initialize-ECSAgent). */
const WINDOWS = /<powershell>|Initialize-ECSAgent/i;

/**
 * Could an unknown piece of the boot text (a `${...}`) hold the setting or a firewall rule?
 * Pieces that are resource names or ids, pseudo parameters, shell variables of a `!Sub` (`${!x}`),
 * and pieces glued to a word (`ECS_CLUSTER=${Cluster}`, `${Id}.efs`) or that are the argument of another
 * command (`mkdir -p ${MountPoint}`) cannot: only a piece that starts a line or is what an echo/printf
 * writes can.
 */
function unknownPieceMayBlock(boot: Bootstrap, resources: ReadonlySet<string>): boolean {
  if (boot.complete) return false;
  for (const m of boot.text.matchAll(/\$\{([^}]*)\}/g)) {
    const name = m[1]!.trim();
    if (name.startsWith('!') || name.includes('::') || resources.has(name.split('.')[0]!)) continue;
    // Glued to text that follows (`${FileSystem}.efs.${AWS::Region}`): part of a longer word.
    if (/[^\s"'`;&|<>)]/.test(boot.text.charAt(m.index + m[0].length))) continue;
    const lineStart = boot.text.lastIndexOf('\n', m.index) + 1;
    const before = boot.text.slice(lineStart, m.index).replace(/["'`]$/, '');
    if (/^\s*$/.test(before)) return true;
    if (/(?:^|[;&|]|\b(?:then|do)\b)\s*(?:sudo\s+)?(?:echo|printf)(?:\s+-[a-zA-Z]+)*\s*$/.test(before)) return true;
  }
  return false;
}

/** Does the boot text block tasks from IMDS, or may it (then the launcher is left alone)? */
function mayBlock(boot: Bootstrap, resources: ReadonlySet<string>): boolean {
  if (boot.external) return true;
  if (AGENT_SETTING.test(boot.text)) return true;
  for (const line of boot.text.match(IMDS_LINE) ?? []) if (FIREWALL.test(line)) return true;
  if (EXTERNAL.some((re) => re.test(boot.text))) return true;
  return unknownPieceMayBlock(boot, resources);
}

function metadataOptions(l: InstanceLauncher) {
  return l instanceof LaunchTemplate ? l.data?.obj('MetadataOptions') : l.props.obj('MetadataOptions');
}

export default defineRule({
  id: 'ecs/block-task-imds',
  severity: 'warning',
  description: 'Container instances should block tasks from the instance metadata service.',
  check({ model, report }) {
    const launchers: InstanceLauncher[] = [...model.launchTemplates, ...model.launchConfigurations, ...model.instances];
    if (launchers.length === 0) return;
    for (const l of launchers) {
      const options = metadataOptions(l);
      // The instance metadata service is turned off: nothing to reach.
      if (options?.prop('HttpEndpoint').isCI('disabled')) continue;
      const boot = model.bootstrapText(l);
      if (!boot || !/ECS_CLUSTER/.test(boot.text) || WINDOWS.test(boot.text)) continue;
      const template = l.origin.resource?.template;
      const resources = new Set(template ? template.resources.keys() : []);
      if (mayBlock(boot, resources)) continue;
      const kind = l.kind === 'LaunchTemplate' ? 'Launch template' : l.kind === 'LaunchConfiguration' ? 'Launch configuration' : 'Instance';
      // IMDSv2 only, with a hop limit of 1: the token does not reach containers behind the Docker bridge.
      const bridgeBlocked = !!options?.prop('HttpTokens').isCI('required') && options.prop('HttpPutResponseHopLimit').num() === 1;
      report(
        l.userData(),
        bridgeBlocked
          ? `${kind} "${l.label}" starts ECS container instances whose awsvpc tasks can reach the instance metadata service (IMDSv2 with hop limit 1 keeps only bridge-mode containers out) and take the instance role's credentials, which undoes their separate task roles; add ECS_AWSVPC_BLOCK_IMDS=true to /etc/ecs/ecs.config in the user data.`
          : `${kind} "${l.label}" starts ECS container instances whose tasks can reach the instance metadata service and take the instance role's credentials, which undoes their separate task roles; add ECS_AWSVPC_BLOCK_IMDS=true to /etc/ecs/ecs.config (awsvpc tasks) and an iptables rule that drops container traffic to 169.254.169.254 (bridge tasks), e.g. iptables --insert DOCKER-USER 1 --in-interface docker+ --destination 169.254.169.254/32 --jump DROP.`,
        { atKey: true },
      );
    }
  },
});
