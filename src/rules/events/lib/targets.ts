import type { CfnResource } from '../../../model/cfn.js';
import type { FileView } from '../../../model/model.js';
import type { Obj } from '../../../model/value.js';

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
