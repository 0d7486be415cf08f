#!/usr/bin/env node
/**
 * Language-server latency: time from a `textDocument/didChange` to the `publishDiagnostics` for that
 * version, on a generated CloudFormation template of about 2,000 lines, over JSON-RPC on stdio.
 *
 *   npm run build && node bench/lsp.mjs [--lines 2000] [--changes 60] [--debounce 0] [--big 4]
 *
 * The server's debounce (150 ms by default, to coalesce keystrokes) is set to 0 here so the figure is
 * the server's own work: re-parse the document, model it with the cached workspace, run the rules,
 * send the diagnostics. In an editor add the debounce to it. The workspace folder holds a second
 * template (the shared roles) so the run includes cross-file context, as in a real project.
 *
 * `--big <MB>` then opens a generated template of that size and, while it is being linted (in the
 * server's worker thread), sends a hover on the 2,000-line template every 50 ms: the hover times show
 * whether the server keeps answering during a long lint.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const LINES = arg('lines', 2000);
const CHANGES = arg('changes', 60);
const DEBOUNCE = arg('debounce', 0);
const BIG_MB = arg('big', 0);

/** One service's worth of realistic resources (about 100 lines). */
function block(i) {
  return `  Api${i}LogGroup:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /ecs/api-${i}
      RetentionInDays: 30

  Api${i}TaskRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: ecs-tasks.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: read-bucket
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: [s3:GetObject]
                Resource: !Sub arn:\${AWS::Partition}:s3:::assets-${i}/*

  Api${i}TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: api-${i}
      Cpu: '512'
      Memory: '1024'
      NetworkMode: awsvpc
      RequiresCompatibilities: [FARGATE]
      ExecutionRoleArn: !GetAtt ExecutionRole.Arn
      TaskRoleArn: !GetAtt Api${i}TaskRole.Arn
      ContainerDefinitions:
        - Name: api
          Image: !Sub \${AWS::AccountId}.dkr.ecr.\${AWS::Region}.amazonaws.com/api:${i}.4.2
          Essential: true
          PortMappings:
            - ContainerPort: 8080
          Environment:
            - Name: LOG_LEVEL
              Value: info
            - Name: ASSET_BUCKET
              Value: assets-${i}
          LogConfiguration:
            LogDriver: awslogs
            Options:
              awslogs-group: !Ref Api${i}LogGroup
              awslogs-region: !Ref AWS::Region
              awslogs-stream-prefix: api

  Api${i}TargetGroup:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 8080
      Protocol: HTTP
      TargetType: ip
      VpcId: !Ref VpcId
      HealthCheckPath: /health

  Api${i}Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      LaunchType: FARGATE
      PlatformVersion: LATEST
      DesiredCount: 2
      TaskDefinition: !Ref Api${i}TaskDefinition
      DeploymentConfiguration:
        DeploymentCircuitBreaker:
          Enable: true
          Rollback: true
      NetworkConfiguration:
        AwsvpcConfiguration:
          Subnets: !Ref Subnets
          AssignPublicIp: DISABLED
      LoadBalancers:
        - TargetGroupArn: !Ref Api${i}TargetGroup
          ContainerName: api
          ContainerPort: 8080

  Api${i}ScalableTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      MaxCapacity: 10
      MinCapacity: 2
      ResourceId: !Sub service/\${Cluster}/\${Api${i}Service.Name}
      ScalableDimension: ecs:service:DesiredCount
      ServiceNamespace: ecs

`;
}

function template(lines) {
  let text = `AWSTemplateFormatVersion: '2010-09-09'
Description: Generated benchmark stack.
Parameters:
  VpcId:
    Type: AWS::EC2::VPC::Id
  Subnets:
    Type: List<AWS::EC2::Subnet::Id>
Resources:
  Cluster:
    Type: AWS::ECS::Cluster
    Properties:
      ClusterSettings:
        - Name: containerInsights
          Value: enabled

`;
  for (let i = 0; text.split('\n').length < lines; i++) text += block(i);
  return text;
}

const ROLES = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  ExecutionRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: ecs-tasks.amazonaws.com }
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
`;

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-lsp-bench-'));
  const text = template(LINES);
  const path = join(dir, 'stack.yaml');
  writeFileSync(path, text);
  writeFileSync(join(dir, 'roles.yaml'), ROLES);
  const uri = pathToFileURL(path).href;

  const child = spawn(process.execPath, [join(ROOT, 'bin', 'stowage.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = new Map();
  let lastCount = 0;
  let bigPublished;
  const bigUri = pathToFileURL(join(dir, 'big.yaml')).href;
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    if (p.uri === bigUri) bigPublished?.(p);
    if (p.uri !== uri) return;
    lastCount = p.diagnostics.length;
    const w = waiting.get(p.version);
    if (w) {
      waiting.delete(p.version);
      w(performance.now());
    }
  });
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  const published = (version) => new Promise((resolve) => waiting.set(version, resolve));

  const t0 = performance.now();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'bench' }],
    capabilities: {},
    initializationOptions: { debounceMs: DEBOUNCE },
  });
  await conn.sendNotification('initialized', {});
  const initMs = performance.now() - t0;

  let version = 1;
  const open = published(version);
  const tOpen = performance.now();
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
  const openMs = (await open) - tOpen;

  // Edits as typed: change one DesiredCount value somewhere in the file (an incremental change of one character).
  const lines = text.split('\n');
  const targets = lines.map((l, i) => (/DesiredCount: \d/.test(l) ? i : -1)).filter((i) => i >= 0);
  const times = [];
  for (let n = 0; n < CHANGES; n++) {
    const line = targets[n % targets.length];
    const character = lines[line].indexOf(':') + 2;
    version++;
    const done = published(version);
    const t = performance.now();
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line, character }, end: { line, character: character + 1 } }, text: String((n % 8) + 2) }],
    });
    times.push((await done) - t);
  }
  times.sort((a, b) => a - b);
  const median = pct(times, 50);
  const p95 = pct(times, 95);

  let bigLine;
  if (BIG_MB > 0) {
    let big = text;
    while (big.length < BIG_MB * 1024 * 1024) big += text.slice(text.indexOf('  Api0LogGroup:')).replaceAll('Api', `Api${big.length}x`);
    const hovers = [];
    const done = new Promise((resolve) => (bigPublished = resolve));
    const tBig = performance.now();
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: bigUri, languageId: 'yaml', version: 1, text: big } });
    let finished = false;
    const lintMs = done.then(() => ((finished = true), performance.now() - tBig));
    // Hovers sent while the big template is being linted (the last one may be answered after it).
    while (!finished) {
      const t = performance.now();
      await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
      hovers.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 50));
    }
    hovers.sort((a, b) => a - b);
    bigLine = `${(big.length / 1024 / 1024).toFixed(1)} MB template linted in ${(await lintMs).toFixed(0)} ms; ${hovers.length} hovers sent meanwhile: median ${pct(hovers, 50).toFixed(1)} ms, p95 ${pct(hovers, 95).toFixed(1)} ms, max ${hovers[hovers.length - 1].toFixed(1)} ms`;
  }
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  conn.dispose();
  rmSync(dir, { recursive: true, force: true });

  console.log(`template: ${text.split('\n').length} lines, ${(text.length / 1024).toFixed(0)} kB; ${lastCount} diagnostics per publish; debounce ${DEBOUNCE} ms`);
  console.log(`initialize (workspace discovery and parse): ${initMs.toFixed(1)} ms`);
  console.log(`didOpen → diagnostics: ${openMs.toFixed(1)} ms`);
  console.log(`didChange → diagnostics over ${CHANGES} changes: median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms (target: under 50 ms)`);
  if (bigLine) console.log(bigLine);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
