/**
 * The package entry (`import ... from 'stowage'`): what plugin authors and programs linting with
 * stowage use. Every name is listed (test/plugin-api.test.ts holds the exact list), so an addition
 * is a decision; the rule tester is `stowage/testing` (src/testing/index.ts).
 */

// Rules
export { defineRule, key } from './engine/rule.js';
export type { Rule, RuleContext, RuleDefinition, RuleMeta, KeyName, MessageData, Severity, SeveritySetting, Target, ReportOptions } from './engine/rule.js';
export { builtinRules } from './rules/index.js';

// Linting from a program
export { lint } from './engine/lint.js';
export type { LintInput, LintOptions, LintOutput, Finding, FindingFix, FindingLocation, FileResult } from './engine/lint.js';
export { loadConfig, ConfigError } from './engine/config.js';
export type { ResolvedConfig, LoadConfigOptions } from './engine/config.js';
export { discover } from './engine/discover.js';
export type { DiscoverResult, Candidate } from './engine/discover.js';

// The model a rule reads
export { Model, FileView } from './model/model.js';
export type { RoleRef, KnownRole, Bootstrap, EntityScope } from './model/model.js';
export { unknown, known, isUnknown, isKnown, valueOf, tri, not, any, all, some, every, reasonOf } from './model/answer.js';
export type { Unknown, Known, Absent, Value } from './model/answer.js';
export { Prop, Obj } from './model/value.js';
export type { Resolved, Scope } from './model/value.js';
export { Template, CfnResource } from './model/cfn.js';
export {
  Entity,
  TaskDefinition,
  Container,
  EcsVolume,
  Service,
  Cluster,
  CapacityProviderAssociation,
  CapacityProvider,
  AutoScalingGroup,
  LaunchTemplate,
  LaunchConfiguration,
  Ec2Instance,
  InstanceProfile,
  Role,
  ClassicLoadBalancer,
  TargetGroup,
  K8sObject,
  Workload,
  K8sContainer,
  K8sService,
  EksctlConfig,
} from './model/entities.js';
export type { Origin, ContainerLike, InstanceLauncher, Tri } from './model/entities.js';
// eks: EKS and eksctl views
export {
  EksCluster,
  EksNodegroup,
  EksFargateProfile,
  EksAddon,
  EksPodIdentityAssociation,
  EksctlClusterConfig,
  EksctlNodeGroup,
  EksctlFargateProfile,
  EksctlAddon,
  EksctlServiceAccount,
} from './model/eks.js';
export type { EksClusterLike, EksClusterSource, KubernetesVersion, ControlPlaneLogging, PublicEndpoint, SecretsEncryption } from './model/eks.js';
export type { Format, ParsedFile, ParsedDocument, CdkStack } from './parsers/index.js';

// The located tree (nodes are told apart by `kind`: 'map', 'seq' or 'scalar')
export type { Node, MapNode, SeqNode, ScalarNode, Pair, ScalarValue, SourceFile, Syntax, Position, Range } from './parsers/tree.js';
