#!/usr/bin/env node
// Hostile-input benchmark: `npm run bench:hostile` (builds first). Generates inputs a pull request
// could carry (one template with thousands of resources, a Kubernetes List of thousands of
// Deployments, a minified one-line JSON template), lints each through the CLI in a child process
// and prints wall time, CPU time and peak memory, with the ×10 ratio that shows linear scaling.
// Files go under os.tmpdir() and are removed afterwards. Targets: 10 MB template < 10 s,
// 20,000-item List < 3 s (on an idle machine).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'stowage.js');

export function template(n) {
  const out = ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:'];
  for (let i = 0; i < n; i++)
    out.push(
      `  Task${i}:`,
      '    Type: AWS::ECS::TaskDefinition',
      '    Properties:',
      `      Family: fam${i}`,
      '      ContainerDefinitions:',
      '        - Name: web',
      '          Image: nginx:latest',
      '          # stowage-disable-next-line ecs/no-privileged',
      '          Privileged: true',
      '          Environment:',
      '            - Name: DB_PASSWORD',
      '              Value: hunter2',
      `  Svc${i}:`,
      '    Type: AWS::ECS::Service',
      '    Properties:',
      `      TaskDefinition: !Ref Task${i}`,
      '      LaunchType: FARGATE',
    );
  return out.join('\n') + '\n';
}

export function list(n) {
  const out = ['apiVersion: v1', 'kind: List', 'items:'];
  for (let i = 0; i < n; i++)
    out.push('  - apiVersion: apps/v1', '    kind: Deployment', '    metadata:', `      name: app${i}`, '    spec:', '      template:', '        spec:', '          containers:', '            - name: app', '              image: nginx:latest', '              securityContext:', '                privileged: true');
  return out.join('\n') + '\n';
}

export function minified(n) {
  const resources = {};
  for (let i = 0; i < n; i++) {
    resources[`Task${i}`] = { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'web', Image: 'nginx:latest', Privileged: true }] } };
    resources[`Lb${i}`] = { Type: 'AWS::ElasticLoadBalancing::LoadBalancer', Properties: { Listeners: [{ LoadBalancerPort: '80', InstancePort: '8080', Protocol: 'HTTP' }] } };
  }
  return JSON.stringify({ Resources: resources });
}

function lintOnce(path) {
  const useTime = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', 'true']).status === 0;
  const t0 = process.hrtime.bigint();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, BIN, 'lint', path, '-f', 'json', '-o', '/dev/null'], { encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(process.execPath, [BIN, 'lint', path, '-f', 'json', '-o', '/dev/null'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && r.status !== 1) throw new Error(`stowage exited ${r.status}: ${r.stderr}`);
  if (!useTime) return { wall, cpu: NaN, rssMB: NaN };
  const last = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall, cpu: last[1] + last[2], rssMB: last[3] / 1024 };
}

const CASES = [
  { name: 'template (resources)', make: template, sizes: [2600, 26000] },
  { name: 'kind: List (Deployments)', make: list, sizes: [2000, 20000] },
  { name: 'minified JSON (resources)', make: minified, sizes: [4000, 40000] },
];

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();

function main() {
const dir = mkdtempSync(join(tmpdir(), 'stowage-hostile-'));
const rows = [];
try {
  for (const c of CASES) {
    const res = [];
    for (const n of c.sizes) {
      const path = join(dir, `${c.name.split(' ')[0]}-${n}.${c.make === minified ? 'json' : 'yaml'}`);
      writeFileSync(path, c.make(n));
      const m = lintOnce(path);
      res.push({ n, mb: statSync(path).size / 1048576, ...m });
      rmSync(path);
    }
    for (const r of res) rows.push({ case: c.name, n: r.n, MB: r.mb.toFixed(1), wall_s: r.wall.toFixed(2), cpu_s: r.cpu.toFixed(2), rss_MB: r.rssMB.toFixed(0) });
    rows.push({ case: `${c.name} ×10 ratio`, n: '', MB: '', wall_s: (res[1].wall / res[0].wall).toFixed(1), cpu_s: (res[1].cpu / res[0].cpu).toFixed(1), rss_MB: '' });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.table(rows);
}
