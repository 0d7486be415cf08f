import { defineRule } from '../../engine/rule.js';
import { TaskDefinition } from '../../model/entities.js';

export default defineRule({
  id: 'ecs/service-network-configuration',
  severity: 'error',
  description: 'Services of awsvpc task definitions need subnets in their network configuration.',
  check({ model, report }) {
    for (const service of model.services) {
      // With the EXTERNAL deployment controller the network configuration belongs to task sets.
      const controller = service.props.obj('DeploymentController')?.prop('Type');
      if (controller && controller.present && !controller.is('ECS', 'CODE_DEPLOY')) continue;
      const td = model.taskDefinitionOf(service);
      if (!(td instanceof TaskDefinition) || !td.networkMode.is('awsvpc')) continue;
      const lead = `Service "${service.label}" runs task definition "${td.label}" with network mode awsvpc`;
      const fix = 'add NetworkConfiguration.AwsvpcConfiguration with the Subnets (and SecurityGroups) its tasks get their network interfaces in';
      const net = service.props.prop('NetworkConfiguration');
      if (net.absent) {
        report(net, `${lead} but has no NetworkConfiguration, so ECS rejects it ("Network Configuration must be provided when networkMode 'awsvpc' is specified"); ${fix}.`);
        continue;
      }
      const netObj = net.obj();
      if (!netObj) continue;
      const vpc = netObj.prop('AwsvpcConfiguration');
      if (vpc.absent) {
        report(vpc, `${lead} but its NetworkConfiguration has no AwsvpcConfiguration, so ECS rejects it; ${fix}.`);
        continue;
      }
      const vpcObj = vpc.obj();
      if (!vpcObj) continue;
      const subnets = vpcObj.prop('Subnets');
      if (subnets.absent) {
        report(subnets, `${lead} but its AwsvpcConfiguration lists no Subnets, so ECS rejects it; add the Subnets its tasks get their network interfaces in.`);
        continue;
      }
      const items = subnets.list();
      if (items && items.length === 0) {
        report(subnets, `${lead} but its AwsvpcConfiguration has an empty Subnets list, so ECS rejects it; list at least one subnet (up to 16, in the same VPC).`, { atKey: true });
      }
    }
  },
});
