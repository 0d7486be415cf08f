import { isUnknown, unknown } from '../../model/answer.js';
import { defineRule } from '../../engine/rule.js';
import { TaskDefinition, type Tri } from '../../model/entities.js';
import type { FileView } from '../../model/model.js';
import { ecsTargets, type EcsTarget } from './lib/targets.js';

/** Does the target run on Fargate: LaunchType FARGATE, or a Fargate capacity provider strategy? */
function targetIsFargate(model: FileView, t: EcsTarget): Tri {
  const lt = t.ecs.prop('LaunchType');
  if (lt.present) {
    if (!lt.known) return unknown('cannot be known from the run');
    return lt.is('FARGATE') ? 'yes' : 'no';
  }
  const strat = t.ecs.prop('CapacityProviderStrategy');
  if (strat.present) return model.strategyIsFargate(strat);
  return unknown('cannot be known from the run');
}

export default defineRule({
  id: 'events/ecs-target',
  severity: 'error',
  description: 'EventBridge rule and schedule targets that run ECS tasks need a cluster ARN, a task definition, a role and, for awsvpc tasks, subnets.',
  check({ model, report }) {
    for (const t of ecsTargets(model)) {
      const { ecs, target, label } = t;
      // The target Arn: the cluster's ARN.
      const arn = target.prop('Arn');
      const r = arn.res;
      if (r.kind === 'ref') {
        if (r.resource.type === 'AWS::ECS::Cluster') {
          if (r.attribute === undefined)
            report(arn, `${label} names cluster "${r.resource.logicalId}" with Ref, which returns the cluster's name, but the target Arn must be the cluster's ARN; use !GetAtt ${r.resource.logicalId}.Arn.`);
        } else if (r.resource.type.startsWith('AWS::ECS::'))
          report(arn, `${label} runs ECS tasks but its Arn refers to ${r.resource.type} "${r.resource.logicalId}"; the target Arn must be the ARN of the cluster to run the tasks in (!GetAtt <Cluster>.Arn), with the task definition in EcsParameters.TaskDefinitionArn.`);
      } else {
        const s = arn.str();
        if (s !== undefined && r.kind === 'literal' && /^arn:[^:]+:ecs:[^:]*:[^:]*:(task-definition|service|task|container-instance|capacity-provider)\//.test(s))
          report(arn, `${label} runs ECS tasks but its Arn "${s}" is a ${/:(task-definition|service|task|container-instance|capacity-provider)\//.exec(s)![1]} ARN; the target Arn must be the ARN of the cluster to run the tasks in, with the task definition in EcsParameters.TaskDefinitionArn.`);
      }
      // The task definition.
      const tdArn = ecs.prop('TaskDefinitionArn');
      if (tdArn.absent) report(ecs.anchor, `${label} has EcsParameters without TaskDefinitionArn, so EventBridge does not know which task to run; set TaskDefinitionArn to the task definition's ARN (!Ref <TaskDefinition>).`);
      // The role EventBridge uses to call RunTask.
      const role = target.prop('RoleArn');
      if (role.absent)
        report(target.anchor, `${label} runs ECS tasks without a RoleArn, so ${t.kind === 'rule' ? 'EventBridge' : 'EventBridge Scheduler'} has no permission to call ecs:RunTask; set RoleArn to a role that trusts ${t.kind === 'rule' ? 'events.amazonaws.com' : 'scheduler.amazonaws.com'} and allows ecs:RunTask and iam:PassRole.`);
      // Network configuration of awsvpc tasks.
      const fargate = targetIsFargate(model, t);
      const td = model.taskDefinitionNamed(tdArn);
      const awsvpc = td instanceof TaskDefinition && td.networkMode.is('awsvpc');
      if (fargate === 'yes' || awsvpc) {
        const why = fargate === 'yes' ? 'runs on Fargate' : `runs task definition "${(td as TaskDefinition).label}", which uses network mode awsvpc`;
        const net = ecs.prop('NetworkConfiguration');
        const vpc = net.obj()?.prop('AwsVpcConfiguration');
        const subnets = vpc?.obj()?.prop('Subnets');
        if (net.absent) report(ecs.anchor, `${label} ${why}, but its EcsParameters have no NetworkConfiguration, so every RunTask call fails; set NetworkConfiguration.${t.kind === 'rule' ? 'AwsVpcConfiguration' : 'AwsvpcConfiguration'}.Subnets (and SecurityGroups).`);
        else if (vpc && vpc.absent && net.obj()) report(net, `${label} ${why}, but its NetworkConfiguration has no ${t.kind === 'rule' ? 'AwsVpcConfiguration' : 'AwsvpcConfiguration'}, so every RunTask call fails; set its Subnets (and SecurityGroups).`);
        else if (subnets && subnets.absent && vpc?.obj()) report(vpc, `${label} ${why}, but its ${t.kind === 'rule' ? 'AwsVpcConfiguration' : 'AwsvpcConfiguration'} has no Subnets, so every RunTask call fails; list the subnets to run the tasks in.`);
      }
      // A network configuration for a task that does not use awsvpc makes the task fail.
      const net = ecs.prop('NetworkConfiguration');
      if (td instanceof TaskDefinition && !awsvpc && net.surelyPresent && fargate !== 'yes') {
        const nm = td.networkMode;
        if (nm.absent || (nm.known && nm.str() !== undefined)) {
          const mode = nm.absent ? 'no NetworkMode (bridge on Linux EC2 instances)' : `network mode "${nm.str()}"`;
          report(net, `${label} sets NetworkConfiguration, but task definition "${td.label}" has ${mode}, not awsvpc, so the tasks fail to start; remove NetworkConfiguration or switch the task definition to awsvpc.`, { atKey: true });
        }
      }
      // PlatformVersion applies to Fargate only.
      const pv = ecs.prop('PlatformVersion');
      const lt = ecs.prop('LaunchType');
      if (pv.surelyPresent && lt.is('EC2', 'EXTERNAL'))
        report(pv, `${label} sets PlatformVersion with LaunchType "${lt.str()}", but platform versions apply only to Fargate, so ECS rejects the RunTask call; remove PlatformVersion or run on FARGATE.`, { atKey: true });
    }
  },
});
