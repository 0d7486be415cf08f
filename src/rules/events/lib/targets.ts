import type { CfnResource } from '../../../model/cfn.js';
import { TaskDefinition } from '../../../model/entities.js';
import type { FileView } from '../../../model/model.js';
import type { Obj, Prop } from '../../../model/value.js';

/** An EventBridge rule target or a Scheduler schedule target that runs ECS tasks. */
export interface EcsTarget {
  kind: 'rule' | 'schedule';
  resource: CfnResource;
  target: Obj;
  ecs: Obj;
  /** How messages name it: `rule "Nightly" target "run-report"`. */
  label: string;
}

/** The ECS targets of the file's `AWS::Events::Rule` and `AWS::Scheduler::Schedule` resources. */
export function ecsTargets(model: FileView): EcsTarget[] {
  const out: EcsTarget[] = [];
  for (const res of model.resources('AWS::Events::Rule')) {
    for (const target of res.props.prop('Targets').objects()) {
      const ecs = target.obj('EcsParameters');
      if (!ecs) continue;
      const id = target.prop('Id').str();
      out.push({ kind: 'rule', resource: res, target, ecs, label: `EventBridge rule "${res.logicalId}" target${id ? ` "${id}"` : ''}` });
    }
  }
  for (const res of model.resources('AWS::Scheduler::Schedule')) {
    const target = res.props.obj('Target');
    const ecs = target?.obj('EcsParameters');
    if (!target || !ecs) continue;
    out.push({ kind: 'schedule', resource: res, target, ecs, label: `EventBridge Scheduler schedule "${res.logicalId}"` });
  }
  return out;
}

/** The task definition a target's TaskDefinitionArn names, when it is in the model. */
export function targetTaskDefinition(model: FileView, arn: Prop): TaskDefinition | 'unknown' | undefined {
  const r = arn.res;
  if (r.kind === 'absent') return undefined;
  if (r.kind === 'ref') {
    const e = model.all.entityOfResource(r.resource);
    return e instanceof TaskDefinition ? e : 'unknown';
  }
  const s = arn.str();
  if (s === undefined || r.kind !== 'literal' || r.pseudo) return 'unknown';
  const family = /task-definition\/([^:/]+)/.exec(s)?.[1] ?? s.split(':')[0]!;
  const found = model.all.familyIndex().get(family);
  return found && found.length === 1 ? found[0]! : 'unknown';
}

/** The awsvpc configuration of a target: Events spells it AwsVpcConfiguration, Scheduler AwsvpcConfiguration (case-insensitive access reads both). */
export function awsvpcConfiguration(ecs: Obj): Prop | undefined {
  return ecs.obj('NetworkConfiguration')?.prop('AwsVpcConfiguration');
}
