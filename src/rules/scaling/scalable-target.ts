import { isUnknown, unknown } from '../../model/answer.js';
import { defineRule } from '../../engine/rule.js';
import { Cluster, Service } from '../../model/entities.js';
import { isEcsTarget, readTarget, SCALABLE_TARGET, segmentRef, segmentsOf, segmentText, showPieces } from './lib/targets.js';

const DIMENSION = 'ecs:service:DesiredCount';

export default defineRule({
  id: 'scaling/scalable-target',
  severity: 'error',
  description: 'ECS scalable targets need the ecs namespace, the DesiredCount dimension, a matching service ResourceId and MinCapacity <= MaxCapacity.',
  check({ model, report }) {
    for (const res of model.resources(SCALABLE_TARGET)) {
      if (isEcsTarget(res.props) !== 'yes') continue;
      const id = res.logicalId;
      const ns = res.props.prop('ServiceNamespace');
      if (ns.absent) report(ns, `Scalable target "${id}" has no ServiceNamespace; set ServiceNamespace: ecs for an ECS service.`);
      else if (ns.known && !ns.is('ecs'))
        report(ns, `Scalable target "${id}" scales an ECS service (by its ResourceId or ScalableDimension) but sets ServiceNamespace to "${ns.str() ?? '?'}"; set ServiceNamespace: ecs.`);

      const dim = res.props.prop('ScalableDimension');
      if (dim.absent) report(dim, `Scalable target "${id}" has no ScalableDimension; set ScalableDimension: ${DIMENSION}.`);
      else if (dim.str() !== undefined && dim.str() !== DIMENSION)
        report(dim, `Scalable target "${id}" sets ScalableDimension to "${dim.str()}", which is not a dimension of an ECS service; set ScalableDimension: ${DIMENSION}.`);

      const rid = res.props.prop('ResourceId');
      if (rid.absent) report(rid, `Scalable target "${id}" has no ResourceId; set it to service/<cluster name>/<service name>, e.g. !Join ['/', [service, !Ref Cluster, !GetAtt Service.Name]].`);
      else if (rid.surelyPresent) {
        const target = readTarget(model, res);
        const segs = segmentsOf(target.pieces);
        const known = target.pieces.every((p) => !('unknown' in p));
        const shown = showPieces(target.pieces);
        if (known && (segs.length !== 3 || segmentText(segs[0]!) !== 'service' || segs.some((s) => s.length === 0))) {
          report(rid, `Scalable target "${id}" has ResourceId "${shown}", which is not of the form service/<cluster name>/<service name>; build it from the cluster's name and the service's name, e.g. !Join ['/', [service, !Ref Cluster, !GetAtt Service.Name]].`);
        } else if (segs.length === 3) {
          const sRef = segmentRef(segs[2]!);
          const cRef = segmentRef(segs[1]!);
          if (sRef && sRef.ref.type === 'AWS::ECS::Service' && sRef.attribute !== 'Name') {
            report(rid, `Scalable target "${id}" builds its ResourceId from ${sRef.attribute ? `!GetAtt ${sRef.ref.logicalId}.${sRef.attribute}` : `!Ref ${sRef.ref.logicalId}`}, which is the service's ARN, not its name, so the ResourceId is not service/<cluster>/<service>; use !GetAtt ${sRef.ref.logicalId}.Name.`);
          } else if (cRef && cRef.ref.type === 'AWS::ECS::Cluster' && cRef.attribute !== undefined) {
            report(rid, `Scalable target "${id}" builds its ResourceId from !GetAtt ${cRef.ref.logicalId}.${cRef.attribute}, which is the cluster's ARN, not its name; use !Ref ${cRef.ref.logicalId}.`);
          } else if (target.service instanceof Service) {
            const runsOn = model.clusterOf(target.service);
            const svc = target.service.label;
            if (target.cluster instanceof Cluster && !isUnknown(runsOn) && runsOn !== target.cluster) {
              report(rid, `Scalable target "${id}" names service "${svc}" in cluster "${target.cluster.label}", but that service runs on ${runsOn ? `cluster "${runsOn.label}"` : 'the default cluster'}; use the service's cluster in the ResourceId.`);
            } else if (target.clusterName !== undefined && !isUnknown(runsOn)) {
              const own = runsOn ? runsOn.clusterName : undefined;
              const ownName = runsOn === undefined ? 'default' : own?.res.kind === 'literal' && !own.res.pseudo ? own.str() : undefined;
              if (ownName !== undefined && ownName !== target.clusterName)
                report(rid, `Scalable target "${id}" names cluster "${target.clusterName}" for service "${svc}", which runs on cluster "${ownName}"; use the service's cluster in the ResourceId.`);
            }
          }
        }
      }

      const min = res.props.prop('MinCapacity');
      const max = res.props.prop('MaxCapacity');
      const lo = min.num();
      const hi = max.num();
      if (lo !== undefined && hi !== undefined && lo > hi)
        report(min, `Scalable target "${id}" has MinCapacity ${lo} above MaxCapacity ${hi}, which Application Auto Scaling rejects; set MinCapacity <= MaxCapacity.`);
    }
  },
});
