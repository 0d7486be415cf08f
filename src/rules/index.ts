import type { Rule } from '../engine/rule.js';
import elbNoClassicLoadBalancer from './elb/no-classic-load-balancer.js';
import ecsFargateIncompatibleLoadBalancer from './ecs/fargate-incompatible-load-balancer.js';
import iamSeparateTaskAndInstanceRoles from './iam/separate-task-and-instance-roles.js';
import iamSeparateTaskAndExecutionRoles from './iam/separate-task-and-execution-roles.js';
import iamTaskRolePerService from './iam/task-role-per-service.js';
import storageNoS3AsFilesystem from './storage/no-s3-as-filesystem.js';
import storageEfsTransitEncryption from './storage/efs-transit-encryption.js';
import ecsEfsAuthorizationRequiresTransitEncryption from './ecs/efs-authorization-requires-transit-encryption.js';
import ecsFargateEfsPlatformVersion from './ecs/fargate-efs-platform-version.js';
import capacityProviderRequiresAsg from './capacity/provider-requires-asg.js';
import capacityManagedTerminationProtection from './capacity/managed-termination-protection.js';
import capacityProviderNotAssociated from './capacity/provider-not-associated.js';

/** Every built-in rule, in catalogue order. */
export const builtinRules: Rule[] = [
  elbNoClassicLoadBalancer,
  ecsFargateIncompatibleLoadBalancer,
  iamSeparateTaskAndInstanceRoles,
  iamSeparateTaskAndExecutionRoles,
  iamTaskRolePerService,
  storageNoS3AsFilesystem,
  storageEfsTransitEncryption,
  ecsEfsAuthorizationRequiresTransitEncryption,
  ecsFargateEfsPlatformVersion,
  capacityProviderRequiresAsg,
  capacityManagedTerminationProtection,
  capacityProviderNotAssociated,
];
