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
import ecsFargateTaskSize from './ecs/fargate-task-size.js';
import ecsFargateNetworkMode from './ecs/fargate-network-mode.js';
import ecsFargateUnsupportedParameter from './ecs/fargate-unsupported-parameter.js';
import ecsFargateLogDriver from './ecs/fargate-log-driver.js';
import ecsAwslogsOptions from './ecs/awslogs-options.js';
import ecsAwsvpcPortMappings from './ecs/awsvpc-port-mappings.js';
import ecsEssentialContainer from './ecs/essential-container.js';
import ecsContainerMemory from './ecs/container-memory.js';
import ecsServiceNetworkConfiguration from './ecs/service-network-configuration.js';
import ecsServiceLaunchTypeCompatibility from './ecs/service-launch-type-compatibility.js';
import ecsDaemonScheduling from './ecs/daemon-scheduling.js';
import ecsLaunchTypeOrCapacityProvider from './ecs/launch-type-or-capacity-provider.js';
import ecsLoadBalancerContainerPort from './ecs/load-balancer-container-port.js';
import elbTargetTypeIpForAwsvpc from './elb/target-type-ip-for-awsvpc.js';
import ecsExecutionRoleRequired from './ecs/execution-role-required.js';
import storageEfsAccessPointRoot from './storage/efs-access-point-root.js';
import ecsNoPrivileged from './ecs/no-privileged.js';
import ecsNoHostPid from './ecs/no-host-pid.js';
import ecsNoHostNetwork from './ecs/no-host-network.js';
import ecsNonRootUser from './ecs/non-root-user.js';
import ecsReadonlyRootFilesystem from './ecs/readonly-root-filesystem.js';
import ecsNoSecretsInEnvironment from './ecs/no-secrets-in-environment.js';
import ecsContainerLogging from './ecs/container-logging.js';
import ecsNoPublicIp from './ecs/no-public-ip.js';
import ecsImageTag from './ecs/image-tag.js';
import ecsBlockTaskImds from './ecs/block-task-imds.js';
import ec2ImdsV2 from './ec2/imds-v2.js';
import ecsFargatePlatformVersion from './ecs/fargate-platform-version.js';
import ecsContainerInsights from './ecs/container-insights.js';
import ecsDeploymentCircuitBreaker from './ecs/deployment-circuit-breaker.js';
import ecsInstanceProfileForContainerInstances from './ecs/instance-profile-for-container-instances.js';
import ecsContainerInstancesJoinCluster from './ecs/container-instances-join-cluster.js';
import capacityManagedScaling from './capacity/managed-scaling.js';
import capacityEc2ServiceWithoutCapacityProvider from './capacity/ec2-service-without-capacity-provider.js';
import scalingScalableTarget from './scaling/scalable-target.js';
import scalingAlbRequestCountResourceLabel from './scaling/alb-request-count-resource-label.js';
import scalingTargetValue from './scaling/target-value.js';
import scalingStepScalingAlarm from './scaling/step-scaling-alarm.js';
import scalingScheduledAction from './scaling/scheduled-action.js';
import scalingServiceWithoutAutoscaling from './scaling/service-without-autoscaling.js';
import scalingQueueWorkerScaling from './scaling/queue-worker-scaling.js';
import eventsEcsTarget from './events/ecs-target.js';
import eventsEcsTargetRole from './events/ecs-target-role.js';
import eventsEcsEventPattern from './events/ecs-event-pattern.js';
import ecrScanOnPush from './ecr/scan-on-push.js';
import ecrImmutableTags from './ecr/immutable-tags.js';
import ecrLifecyclePolicy from './ecr/lifecycle-policy.js';
import ecrKmsEncryption from './ecr/kms-encryption.js';
import ecrNoPublicRepositoryPolicy from './ecr/no-public-repository-policy.js';
import elbNlbForHttp from './elb/nlb-for-http.js';
import elbHttpsListener from './elb/https-listener.js';
import elbHealthCheckDynamicPorts from './elb/health-check-dynamic-ports.js';
import storageEfsEncrypted from './storage/efs-encrypted.js';
import storageEfsMultiAz from './storage/efs-multi-az.js';
import storageSharedDataOnLocalVolume from './storage/shared-data-on-local-volume.js';
import eksCsiProvisioner from './eks/csi-provisioner.js';
import eksStorageClassParameters from './eks/storage-class-parameters.js';
import eksEbsEncrypted from './eks/ebs-encrypted.js';
import eksEbsVolumeBinding from './eks/ebs-volume-binding.js';
import eksEbsGp3 from './eks/ebs-gp3.js';
import eksPvcAccessMode from './eks/pvc-access-mode.js';
import eksSharedStorageOnEfs from './eks/shared-storage-on-efs.js';
import eksFargateIncompatiblePod from './eks/fargate-incompatible-pod.js';
import eksFargateLbTargetType from './eks/fargate-lb-target-type.js';
import eksLoadBalancerScheme from './eks/load-balancer-scheme.js';
import eksIngressClass from './eks/ingress-class.js';
import eksIrsaRoleArn from './eks/irsa-role-arn.js';
import eksNoStaticAwsCredentials from './eks/no-static-aws-credentials.js';
import eksPodImdsAccess from './eks/pod-imds-access.js';
import eksctlOidcForServiceAccounts from './eksctl/oidc-for-service-accounts.js';
import eksctlSchema from './eksctl/schema.js';
import eksEndpointPublicAccess from './eks/endpoint-public-access.js';
import eksSecretsEncryption from './eks/secrets-encryption.js';
import eksControlPlaneLogging from './eks/control-plane-logging.js';
import eksSupportedVersion from './eks/supported-version.js';
import eksNodegroupSshOpen from './eks/nodegroup-ssh-open.js';
import eksSpotInstanceDiversity from './eks/spot-instance-diversity.js';
import eksManagedNodeGroups from './eks/managed-node-groups.js';
import eksContainerInsights from './eks/container-insights.js';
import k8sNoPrivileged from './k8s/no-privileged.js';
import k8sNoPrivilegeEscalation from './k8s/no-privilege-escalation.js';
import k8sRunAsNonRoot from './k8s/run-as-non-root.js';
import k8sReadonlyRootFilesystem from './k8s/readonly-root-filesystem.js';
import k8sNoDockerSocket from './k8s/no-docker-socket.js';
import k8sImageTag from './k8s/image-tag.js';
import k8sResourceRequests from './k8s/resource-requests.js';
import k8sProbes from './k8s/probes.js';
import cfnUnknownResourceType from './cfn/unknown-resource-type.js';
import cfnUnknownProperty from './cfn/unknown-property.js';
import cfnRequiredProperty from './cfn/required-property.js';
import cfnPropertyType from './cfn/property-type.js';
import cfnAllowedValues from './cfn/allowed-values.js';
import cfnIntrinsicFunction from './cfn/intrinsic-function.js';
import cfnTemplateStructure from './cfn/template-structure.js';
import cfnCircularDependency from './cfn/circular-dependency.js';
import ecsUnknownField from './ecs/unknown-field.js';
import ecsFieldType from './ecs/field-type.js';
import ecsAllowedValues from './ecs/allowed-values.js';
import ecsReadOnlyField from './ecs/read-only-field.js';
import k8sUnknownField from './k8s/unknown-field.js';
import k8sFieldType from './k8s/field-type.js';

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
  ecsFargateTaskSize,
  ecsFargateNetworkMode,
  ecsFargateUnsupportedParameter,
  ecsFargateLogDriver,
  ecsAwslogsOptions,
  ecsAwsvpcPortMappings,
  ecsEssentialContainer,
  ecsContainerMemory,
  ecsServiceNetworkConfiguration,
  ecsServiceLaunchTypeCompatibility,
  ecsDaemonScheduling,
  ecsLaunchTypeOrCapacityProvider,
  ecsLoadBalancerContainerPort,
  elbTargetTypeIpForAwsvpc,
  ecsExecutionRoleRequired,
  storageEfsAccessPointRoot,
  ecsNoPrivileged,
  ecsNoHostPid,
  ecsNoHostNetwork,
  ecsNonRootUser,
  ecsReadonlyRootFilesystem,
  ecsNoSecretsInEnvironment,
  ecsContainerLogging,
  ecsNoPublicIp,
  ecsImageTag,
  ecsBlockTaskImds,
  ec2ImdsV2,
  ecsFargatePlatformVersion,
  ecsContainerInsights,
  ecsDeploymentCircuitBreaker,
  ecsInstanceProfileForContainerInstances,
  ecsContainerInstancesJoinCluster,
  capacityManagedScaling,
  capacityEc2ServiceWithoutCapacityProvider,
  scalingScalableTarget,
  scalingAlbRequestCountResourceLabel,
  scalingTargetValue,
  scalingStepScalingAlarm,
  scalingScheduledAction,
  scalingServiceWithoutAutoscaling,
  scalingQueueWorkerScaling,
  eventsEcsTarget,
  eventsEcsTargetRole,
  eventsEcsEventPattern,
  ecrScanOnPush,
  ecrImmutableTags,
  ecrLifecyclePolicy,
  ecrKmsEncryption,
  ecrNoPublicRepositoryPolicy,
  elbNlbForHttp,
  elbHttpsListener,
  elbHealthCheckDynamicPorts,
  storageEfsEncrypted,
  storageEfsMultiAz,
  storageSharedDataOnLocalVolume,
  eksCsiProvisioner,
  eksStorageClassParameters,
  eksEbsEncrypted,
  eksEbsVolumeBinding,
  eksEbsGp3,
  eksPvcAccessMode,
  eksSharedStorageOnEfs,
  eksFargateIncompatiblePod,
  eksFargateLbTargetType,
  eksLoadBalancerScheme,
  eksIngressClass,
  eksIrsaRoleArn,
  eksNoStaticAwsCredentials,
  eksPodImdsAccess,
  eksctlOidcForServiceAccounts,
  eksctlSchema,
  eksEndpointPublicAccess,
  eksSecretsEncryption,
  eksControlPlaneLogging,
  eksSupportedVersion,
  eksNodegroupSshOpen,
  eksSpotInstanceDiversity,
  eksManagedNodeGroups,
  eksContainerInsights,
  k8sNoPrivileged,
  k8sNoPrivilegeEscalation,
  k8sRunAsNonRoot,
  k8sReadonlyRootFilesystem,
  k8sNoDockerSocket,
  k8sImageTag,
  k8sResourceRequests,
  k8sProbes,
  cfnUnknownResourceType,
  cfnUnknownProperty,
  cfnRequiredProperty,
  cfnPropertyType,
  cfnAllowedValues,
  cfnIntrinsicFunction,
  cfnTemplateStructure,
  cfnCircularDependency,
  ecsUnknownField,
  ecsFieldType,
  ecsAllowedValues,
  ecsReadOnlyField,
  k8sUnknownField,
  k8sFieldType,
];
