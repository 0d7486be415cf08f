import { isUnknown, unknown } from '../../model/answer.js';
import { defineRule } from '../../engine/rule.js';
import { LaunchTemplate, type InstanceLauncher } from '../../model/entities.js';
import { roleAllows, roleSources } from '../capacity/lib/policies.js';
import { leavesTemplate } from '../scaling/lib/targets.js';

/** What the ECS agent calls to register and run tasks (AmazonEC2ContainerServiceforEC2Role grants them). */
const AGENT_ACTIONS = [
  'ecs:RegisterContainerInstance',
  'ecs:DiscoverPollEndpoint',
  'ecs:Poll',
  'ecs:StartTelemetrySession',
  'ecs:SubmitTaskStateChange',
  'ecs:SubmitContainerStateChange',
];

const KIND: Record<string, string> = { LaunchTemplate: 'Launch template', LaunchConfiguration: 'Launch configuration', Ec2Instance: 'Instance' };

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export default defineRule({
  id: 'ecs/instance-profile-for-container-instances',
  severity: 'error',
  description: "Container instances need an instance profile whose role has the ECS agent's permissions.",
  check({ model, report }) {
    const own: InstanceLauncher[] = [...model.launchTemplates, ...model.launchConfigurations, ...model.instances];
    if (own.length === 0) return;
    const hosts = model.all.memo('ecs/instance-profile-for-container-instances', () => new Set(model.all.containerInstanceLaunchers()));
    for (const l of own) {
      if (!hosts.has(l)) continue;
      const what = `${KIND[l.kind] ?? 'Launcher'} "${l.label}"`;
      if (l instanceof LaunchTemplate && !l.data) continue;
      const profile = l.instanceProfile();
      if (l instanceof LaunchTemplate) {
        const p = l.data!.prop('IamInstanceProfile');
        if (p.absent) {
          report(p, `${what} launches ECS container instances without an IamInstanceProfile, so the ECS agent has no credentials and the instances never register with the cluster; set IamInstanceProfile to a profile whose role has the managed policy AmazonEC2ContainerServiceforEC2Role.`);
          continue;
        }
      } else if (profile.absent) {
        report(profile, `${what} launches ECS container instances without an IamInstanceProfile, so the ECS agent has no credentials and the instances never register with the cluster; set IamInstanceProfile to a profile whose role has the managed policy AmazonEC2ContainerServiceforEC2Role.`);
        continue;
      }
      if (!profile.surelyPresent || !profile.known) continue;
      const roles = model.instanceProfileRoles(profile);
      if (!roles) continue;
      for (const ref of roles) {
        if (ref === undefined || isUnknown(ref) || !ref.role) continue;
        const sources = roleSources(model, ref.role);
        // A role without any policy here that other stacks can name may get its policies there.
        const res = ref.role.origin.resource;
        if (sources.length === 0 && (!ref.role.roleName.absent || (res && leavesTemplate(res)))) continue;
        const answers = AGENT_ACTIONS.map((a) => [a, roleAllows(sources, a)] as const);
        const missing = answers.filter(([, r]) => r === 'no').map(([a]) => a);
        if (missing.length === 0) continue;
        const name = ref.name ?? ref.role.label;
        report(
          profile,
          `${what} launches ECS container instances with an instance profile whose role "${name}" does not allow ${list(missing)}, so the ECS agent ${missing.includes('ecs:RegisterContainerInstance') || missing.includes('ecs:DiscoverPollEndpoint') || missing.includes('ecs:Poll') ? 'cannot register the instances or receive tasks' : 'cannot report task state or metrics'}; attach the managed policy AmazonEC2ContainerServiceforEC2Role to the role.`,
        );
      }
    }
  },
});
