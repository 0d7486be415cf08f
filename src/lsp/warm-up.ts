/**
 * A first lint of small samples, run by the lint worker right after it has read the workspace. The
 * worker loads the compiled modules without the CLI bundle's V8 code cache, so its first lint pays
 * for compiling the parsers and every rule; paying it here, while the editor is still opening its
 * documents, makes the first diagnostics come sooner. Nothing is published.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../engine/config.js';
import { lint, type LintInput } from '../engine/lint.js';
import type { Rule } from '../engine/rule.js';

const CLOUDFORMATION = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Subnets:
    Type: List<AWS::EC2::Subnet::Id>
Resources:
  Cluster:
    Type: AWS::ECS::Cluster
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: ecs-tasks.amazonaws.com }
            Action: sts:AssumeRole
  Logs:
    Type: AWS::Logs::LogGroup
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Cpu: '256'
      Memory: '512'
      NetworkMode: awsvpc
      RequiresCompatibilities: [FARGATE]
      TaskRoleArn: !GetAtt Role.Arn
      ContainerDefinitions:
        - Name: app
          Image: !Sub \${AWS::AccountId}.dkr.ecr.\${AWS::Region}.amazonaws.com/app:1.0
          PortMappings: [{ ContainerPort: 8080 }]
          LogConfiguration:
            LogDriver: awslogs
            Options: { awslogs-group: !Ref Logs, awslogs-region: !Ref AWS::Region }
  Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      LaunchType: FARGATE
      TaskDefinition: !Ref Task
      NetworkConfiguration:
        AwsvpcConfiguration: { Subnets: !Ref Subnets }
  Balancer:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners: [{ LoadBalancerPort: '80', InstancePort: '8080', Protocol: HTTP }]
`;

const KUBERNETES = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources: { requests: { cpu: 100m, memory: 128Mi } }
          volumeMounts: [{ name: data, mountPath: /data }]
      volumes: [{ name: data, persistentVolumeClaim: { claimName: data } }]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  type: LoadBalancer
  selector: { app: web }
  ports: [{ port: 80 }]
`;

const TASK_DEFINITION = `{
  "family": "jobs",
  "requiresCompatibilities": ["EC2"],
  "containerDefinitions": [{ "name": "job", "image": "busybox", "memory": 128, "privileged": true }]
}
`;

/** Lint the samples with every rule (the findings are dropped). */
export function warmUp(rules: Rule[]): void {
  const dir = join(tmpdir(), 'stowage-warm-up');
  const inputs: LintInput[] = [
    { path: join(dir, 'stack.yaml'), text: CLOUDFORMATION, explicit: true },
    { path: join(dir, 'k8s.yaml'), text: KUBERNETES, explicit: true },
    { path: join(dir, 'task.json'), text: TASK_DEFINITION, explicit: true },
  ];
  lint(inputs, { rules, config: { ...defaultConfig(dir), preset: 'all' } });
}
