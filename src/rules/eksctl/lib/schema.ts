/**
 * A JSON Schema of eksctl's `ClusterConfig` (apiVersion eksctl.io/v1alpha5), written for
 * stowage from eksctl's documented config-file schema (https://eksctl.io/usage/schema/).
 *
 * eksctl decodes config files strictly: an unknown field is an error ("json: unknown field"),
 * and so is a value of the wrong JSON type (`version: 1.29` is a number, not the string eksctl
 * wants). The schema lists every field eksctl accepts, so that valid configs draw nothing; it
 * checks types and a few closed value sets, not cross-field rules.
 *
 * Built only when an eksctl file is in the run (see `eksctlValidator`).
 */
import { lazyValidator } from '../../lib/schema-findings.js';

type S = Record<string, unknown>;

const str: S = { type: 'string' };
const bool: S = { type: 'boolean' };
const int: S = { type: 'integer' };
const num: S = { type: 'number' };
const strList: S = { type: 'array', items: str };
const strMap: S = { type: 'object', additionalProperties: str };
/** Free-form documents (IAM policies, kubelet config, Bottlerocket settings). */
const doc: S = { type: 'object' };
const list = (items: S): S => ({ type: 'array', items });
/** Shared subschemas, compiled once and referenced (`$ref`) from every place that uses them. */
const definitions: Record<string, S> = {};
const def = (name: string, schema: S): S => {
  definitions[name] = schema;
  return { $ref: `#/definitions/${name}` };
};
const obj = (properties: Record<string, S>, required?: string[]): S => ({
  type: 'object',
  additionalProperties: false,
  properties,
  ...(required ? { required } : {}),
});

const AMI_FAMILIES = [
  'AmazonLinux2023', 'AmazonLinux2', 'UbuntuPro2604', 'Ubuntu2604', 'UbuntuPro2404', 'Ubuntu2404', 'UbuntuPro2204', 'Ubuntu2204',
  'UbuntuPro2004', 'Ubuntu2004', 'Ubuntu1804', 'Bottlerocket', 'BottlerocketFips', 'WindowsServer2019CoreContainer',
  'WindowsServer2019FullContainer', 'WindowsServer2022CoreContainer', 'WindowsServer2022FullContainer',
  'WindowsServer2025CoreContainer', 'WindowsServer2025FullContainer', 'WindowsServer2004CoreContainer', 'WindowsServer20H2CoreContainer',
];
const VOLUME_TYPES = ['gp2', 'gp3', 'io1', 'io2', 'sc1', 'st1'];
const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler', 'all', '*'];

const wellKnownPolicies = def('wellKnownPolicies', obj({
  imageBuilder: bool, autoScaler: bool, awsLoadBalancerController: bool, externalDNS: bool, certManager: bool,
  ebsCSIController: bool, efsCSIController: bool,
}));

const podIdentityAssociation = def('podIdentityAssociation', obj({
  namespace: str, serviceAccountName: str, roleARN: str, createServiceAccount: bool, roleName: str, permissionsBoundaryARN: str,
  permissionPolicyARNs: strList, permissionPolicyName: str, permissionPolicy: doc, wellKnownPolicies, tags: strMap,
  targetRoleARN: str, disableSessionTags: bool, policy: str,
}));

const accessPolicy = def('accessPolicy', obj({ policyARN: str, accessScope: obj({ type: str, namespaces: strList }) }));

const addon = def('addon', obj(
  {
    name: str, version: str, serviceAccountRoleARN: str, attachPolicyARNs: strList, attachPolicy: doc, permissionsBoundary: str,
    wellKnownPolicies, tags: strMap, resolveConflicts: str, podIdentityAssociations: list(podIdentityAssociation),
    useDefaultPodIdentityAssociations: bool, configurationValues: str, namespaceConfig: obj({ namespace: str }),
    publishers: strList, types: strList, owners: strList,
  },
  ['name'],
));

const subnetMapping = def('subnetMapping', { type: 'object', additionalProperties: obj({ id: str, az: str, cidr: str }) });

const vpc = def('vpc', obj({
  id: str, cidr: str, ipv6Cidr: str, ipv6Pool: str, securityGroup: str, subnets: obj({ private: subnetMapping, public: subnetMapping }),
  hostnameType: str, extraCIDRs: strList, extraIPv6CIDRs: strList, sharedNodeSecurityGroup: str,
  manageSharedNodeSecurityGroupRules: bool, autoAllocateIPv6: bool, nat: obj({ gateway: { type: 'string', enum: ['HighlyAvailable', 'Single', 'Disable'] } }),
  clusterEndpoints: obj({ privateAccess: bool, publicAccess: bool }), publicAccessCIDRs: strList, controlPlaneSubnetIDs: strList,
  controlPlaneOnPrivateSubnets: bool, controlPlaneSecurityGroupIDs: strList, controlPlaneEgressMode: str,
}));

const serviceAccount = def('serviceAccount', obj({
  metadata: obj({ name: str, namespace: str, labels: strMap, annotations: strMap }),
  attachPolicyARNs: strList, wellKnownPolicies, attachPolicy: doc, attachRoleARN: str, permissionsBoundary: str,
  status: obj({ roleARN: str, stackName: str, tags: strMap, capabilities: strList }), roleName: str, roleOnly: bool, tags: strMap,
  subjectPattern: str,
}));

const clusterIAM = def('clusterIAM', obj({
  serviceRoleARN: str, serviceRolePermissionsBoundary: str, fargatePodExecutionRoleARN: str,
  fargatePodExecutionRolePermissionsBoundary: str, withOIDC: bool, serviceAccounts: list(serviceAccount),
  podIdentityAssociations: list(podIdentityAssociation), vpcResourceControllerPolicy: bool,
}));

const nodeGroupIAM = def('nodeGroupIAM', obj({
  attachPolicy: doc, attachPolicyARNs: strList, instanceProfileARN: str, instanceRoleARN: str, instanceRoleName: str,
  instanceRolePermissionsBoundary: str,
  withAddonPolicies: obj({
    imageBuilder: bool, autoScaler: bool, externalDNS: bool, certManager: bool, appMesh: bool, appMeshPreview: bool, ebs: bool,
    fsx: bool, efs: bool, awsLoadBalancerController: bool, albIngress: bool, xRay: bool, cloudWatch: bool,
  }),
}));

const ssh = def('ssh', obj({ allow: bool, publicKeyPath: str, publicKey: str, publicKeyName: str, sourceSecurityGroupIds: strList, enableSsm: bool }));
const taint = def('taint', obj({ key: str, value: str, effect: str }));
const volumeMapping = def('volumeMapping', obj({
  volumeSize: int, volumeType: { type: 'string', enum: VOLUME_TYPES }, volumeName: str, volumeEncrypted: bool, volumeKmsKeyID: str,
  volumeIOPS: int, volumeThroughput: int, snapshotID: str,
}));
const placement = def('placement', obj({ groupName: str, spreadLevel: str }));

/** Fields that managed and self-managed node groups share. */
const nodeGroupBase: Record<string, S> = {
  name: str, amiFamily: { type: 'string', enum: AMI_FAMILIES }, instanceType: str, availabilityZones: strList, subnets: strList,
  instancePrefix: str, instanceName: str, desiredCapacity: int, minSize: int, maxSize: int, volumeSize: int, ssh, labels: strMap,
  privateNetworking: bool, tags: strMap, iam: nodeGroupIAM, ami: str,
  securityGroups: obj({ attachIDs: strList, withShared: bool, withLocal: bool }), maxPodsPerNode: int, asgSuspendProcesses: strList,
  ebsOptimized: bool, volumeType: { type: 'string', enum: VOLUME_TYPES }, volumeName: str, volumeEncrypted: bool, volumeKmsKeyID: str,
  volumeIOPS: int, volumeThroughput: int, additionalVolumes: list(volumeMapping), preBootstrapCommands: strList,
  overrideBootstrapCommand: str, propagateASGTags: bool, disableIMDSv1: bool, disablePodIMDS: bool, placement, efaEnabled: bool,
  instanceSelector: obj({
    vCPUs: int, memory: str, gpus: int, neuron_devices: int, cpuArchitecture: { type: 'string', enum: ['x86_64', 'amd64', 'arm64'] },
    allow: str, deny: str,
  }),
  bottlerocket: obj({ enableAdminContainer: bool, settings: doc }), enableDetailedMonitoring: bool,
  capacityReservation: obj({
    capacityReservationPreference: str,
    capacityReservationTarget: obj({ capacityReservationID: str, capacityReservationResourceGroupARN: str }),
  }),
  instanceMarketOptions: obj({ marketType: str }), outpostARN: str,
  updateConfig: obj({ maxUnavailable: int, maxUnavailablePercentage: int }),
};

const managedNodeGroup = obj(
  {
    ...nodeGroupBase,
    instanceTypes: strList, spot: bool, taints: list(taint), launchTemplate: obj({ id: str, version: str }, ['id']), releaseVersion: str,
    nodeRepairConfig: obj({
      enabled: bool, maxUnhealthyNodeThresholdPercentage: int, maxUnhealthyNodeThresholdCount: int,
      maxParallelNodesRepairedPercentage: int, maxParallelNodesRepairedCount: int,
      nodeRepairConfigOverrides: list(obj({ nodeMonitoringCondition: str, nodeUnhealthyReason: str, minRepairWaitTimeMins: int, repairAction: str })),
    }),
  },
  ['name'],
);

const nodeGroup = obj(
  {
    ...nodeGroupBase,
    instancesDistribution: obj(
      {
        instanceTypes: strList, maxPrice: num, onDemandBaseCapacity: int, onDemandPercentageAboveBaseCapacity: int,
        spotInstancePools: int, spotAllocationStrategy: str, capacityRebalance: bool,
      },
      ['instanceTypes'],
    ),
    asgMetricsCollection: list(obj({ granularity: str, metrics: strList }, ['granularity'])), cpuCredits: str,
    classicLoadBalancerNames: strList, targetGroupARNs: strList,
    // A list of taints, or (older configs) a map of key to "value:Effect".
    taints: { type: ['array', 'object'], items: taint, additionalProperties: str },
    clusterDNS: str, kubeletExtraConfig: doc, containerRuntime: str, maxInstanceLifetime: int, localZones: strList, enclaveEnabled: bool,
  },
  ['name'],
);

const fargateProfile = obj(
  {
    name: str, podExecutionRoleARN: str, selectors: list(obj({ namespace: str, labels: strMap }, ['namespace'])), subnets: strList,
    tags: strMap, status: str,
  },
  ['name'],
);

const identityProvider: S = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { type: 'string', enum: ['oidc'] }, name: str, issuerURL: str, clientID: str, usernameClaim: str, usernamePrefix: str,
    groupsClaim: str, groupsPrefix: str, requiredClaims: strMap, tags: strMap,
  },
};

const capability = obj(
  {
    name: str, type: str, roleArn: str, deletePropagationPolicy: str, tags: strMap, accessPolicies: list(accessPolicy),
    attachPolicyARNs: strList, attachPolicy: doc, permissionsBoundary: str,
    configuration: obj({
      argocd: obj({
        namespace: str, networkAccess: obj({ vpceIds: strList }),
        rbacRoleMappings: list(obj({ role: str, identities: list(obj({ id: str, type: str }, ['id', 'type'])) }, ['role', 'identities'])),
        awsIdc: obj({ idcInstanceArn: str, idcRegion: str }, ['idcInstanceArn']),
      }),
    }),
  },
  ['name', 'type'],
);

const remoteNetwork = def('remoteNetwork', obj({ cidrs: strList }));

const clusterConfig: S = obj(
  {
    apiVersion: str,
    kind: str,
    metadata: obj(
      {
        name: str, region: str, version: str, forceUpdateVersion: bool, rollbackConfig: obj({ timeoutMinutes: int }), tags: strMap,
        annotations: strMap,
      },
      ['name'],
    ),
    upgradePolicy: obj({ supportType: { type: 'string', enum: ['STANDARD', 'EXTENDED'] } }),
    kubernetesNetworkConfig: obj({ ipFamily: { type: 'string', enum: ['IPv4', 'IPv6', 'ipv4', 'ipv6'] }, serviceIPv4CIDR: str, serviceIPv6CIDR: str }),
    autoModeConfig: obj({ enabled: bool, nodeRoleARN: str, permissionsBoundaryARN: str, nodePools: strList }),
    remoteNetworkConfig: obj({
      iam: obj({ provider: str, roleARN: str, caBundleCert: str }), vpcGatewayID: str,
      remoteNodeNetworks: list(remoteNetwork), remotePodNetworks: list(remoteNetwork),
    }),
    iam: clusterIAM,
    iamIdentityMappings: list(obj({ arn: str, username: str, groups: strList, account: str, serviceName: str, namespace: str, noDuplicateARNs: bool })),
    identityProviders: list(identityProvider),
    accessConfig: obj({
      authenticationMode: str, bootstrapClusterCreatorAdminPermissions: bool,
      accessEntries: list(obj({ principalARN: str, type: str, kubernetesGroups: strList, kubernetesUsername: str, accessPolicies: list(accessPolicy) })),
    }),
    vpc,
    addons: list(addon),
    addonsConfig: obj({ autoApplyPodIdentityAssociations: bool, disableDefaultAddons: bool }),
    privateCluster: obj({ enabled: bool, skipEndpointCreation: bool, additionalEndpointServices: strList }),
    nodeGroups: list(nodeGroup),
    managedNodeGroups: list(managedNodeGroup),
    fargateProfiles: list(fargateProfile),
    availabilityZones: strList,
    localZones: strList,
    cloudWatch: obj({ clusterLogging: obj({ enableTypes: list({ type: 'string', enum: LOG_TYPES }), logRetentionInDays: int }) }),
    secretsEncryption: obj({ keyARN: str }),
    gitops: obj({ flux: obj({ gitProvider: str, flags: strMap }) }),
    karpenter: obj({ version: str, createServiceAccount: bool, defaultInstanceProfile: str, withSpotInterruptionQueue: bool }),
    outpost: obj({
      controlPlaneOutpostARN: str, controlPlaneInstanceType: str, controlPlanePlacement: placement, etcdInstanceType: str, etcdPlacement: placement,
    }),
    controlPlaneScalingConfig: obj({ tier: str }),
    zonalShiftConfig: obj({ enabled: bool }),
    capabilities: list(capability),
  },
  ['metadata'],
);

export const CLUSTER_CONFIG_SCHEMA: S = { ...clusterConfig, definitions };

/** The compiled ClusterConfig validator, built on first use. */
export const eksctlValidator = lazyValidator(() => CLUSTER_CONFIG_SCHEMA);
