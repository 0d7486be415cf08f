/**
 * Hostile inputs for the matching and scanning code (test/hostile-matching.test.ts): the linted repository
 * is untrusted when stowage gates pull requests, so its wildcards, globs and values must not make a run
 * exponential or quadratic. Each generator takes a size, so a test can compare a run with one ten times
 * smaller (not a wall clock).
 */
/** `a*a*…*b` with `stars` wildcards: with a backtracking `.*` translation, a name of `a`s (no `b`) takes O(length^stars). */
export function starPattern(stars: number, sep = '*'): string {
  return `${'a'.repeat(1)}${`${sep}a`.repeat(stars - 1)}${sep}b`;
}

/** An ECR registry scanning filter with `stars` wildcards, and a repository whose name (`length` `a`s) it does not match. */
export function ecrTemplate(stars: number, length: number, matching = false): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Registry:
    Type: AWS::ECR::RegistryScanningConfiguration
    Properties:
      ScanType: BASIC
      Rules:
        - ScanFrequency: SCAN_ON_PUSH
          RepositoryFilters:
            - Filter: '${starPattern(stars)}'
              FilterType: WILDCARD
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: ${'a'.repeat(length)}${matching ? 'b' : ''}
`;
}

/** An eksctl Fargate profile whose namespace selector has `stars` wildcards, and a workload in a namespace of `length` `a`s. */
export function fargateFiles(stars: number, length: number, matching = false): Array<{ path: string; text: string }> {
  const cluster = `apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: hostile
  region: eu-west-1
fargateProfiles:
  - name: fp
    selectors:
      - namespace: '${starPattern(stars)}'
`;
  const workload = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${'a'.repeat(length)}${matching ? 'b' : ''}
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      hostNetwork: true
      containers:
        - name: web
          image: nginx:1.27
`;
  return [
    { path: '/hostile/fargate/cluster.yaml', text: cluster },
    { path: '/hostile/fargate/app.yaml', text: workload },
  ];
}

/** An EventBridge target whose role may pass roles matching a pattern with `stars` wildcards; the task role's name is `length` `a`s. */
export function passRoleTemplate(stars: number, length: number, matching = false): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Cluster:
    Type: AWS::ECS::Cluster
  TaskRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: ${'a'.repeat(length)}${matching ? 'b' : ''}
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: ecs-tasks.amazonaws.com }
            Action: sts:AssumeRole
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: !GetAtt TaskRole.Arn
      ContainerDefinitions:
        - Name: app
          Image: nginx:1.27
  InvokeRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: events.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: run
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: ecs:RunTask
                Resource: '*'
              - Effect: Allow
                Action: iam:PassRole
                Resource: 'arn:aws:iam::123456789012:role/${starPattern(stars)}'
  Nightly:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 day)
      Targets:
        - Id: run
          Arn: !GetAtt Cluster.Arn
          RoleArn: !GetAtt InvokeRole.Arn
          EcsParameters:
            TaskDefinitionArn: !Ref Task
`;
}

/** A task definition whose environment value (`bytes` long) is `${a:-` repeated: the old placeholder pattern read the rest of it from every `${`. */
export function environmentTaskDefinition(bytes: number, unit = '${a:-'): string {
  const value = unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
  return JSON.stringify({
    family: 'hostile',
    containerDefinitions: [{ name: 'app', image: 'nginx:1.27', essential: true, environment: [{ name: 'HOSTILE', value }] }],
  });
}

/**
 * A launch template whose user data is one `bytes`-long line of unclosed `${` and `echo` pieces (the `${}`
 * scan and the curl/wget pattern of ecs/block-task-imds).
 */
export function userDataTemplate(bytes: number, unit = 'curl ${X} | echo ${'): string {
  const line = unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
  return JSON.stringify({
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      LaunchTemplate: {
        Type: 'AWS::EC2::LaunchTemplate',
        Properties: {
          LaunchTemplateData: {
            ImageId: 'ami-0123456789abcdef0',
            UserData: { 'Fn::Base64': { 'Fn::Sub': `#!/bin/bash\necho ECS_CLUSTER=prod >> /etc/ecs/ecs.config\n${line}\n` } },
          },
        },
      },
    },
  });
}

/**
 * Best of `runs` measures of the CPU time `fn` takes (ms), after one warm-up run. CPU time, not wall time:
 * on a busy machine a long run is preempted more often than a short one, which would skew a ratio.
 */
export function bestTime(fn: () => void, runs = 3): number {
  fn();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

/** How much longer `run(10 × n)` takes than `run(n)` (linear ≈ 10; quadratic ≈ 100). */
export function scalingRatio(run: (n: number) => void, n: number, runs = 3): number {
  const small = bestTime(() => run(n), runs);
  const large = bestTime(() => run(10 * n), runs);
  return large / Math.max(small, 0.5);
}
