#!/usr/bin/env node
// Regenerates generated/k8s/schema.json, the Kubernetes field schemas the k8s rules check
// against, from the `kubernetes-models` package (`npm run gen:k8s`).
//
// The data is committed rather than built on every install: kubernetes-models 5 (the release with
// the fields of Kubernetes 1.34 and later) declares Node 22, and stowage supports Node 20, so it is
// not a development dependency. This script installs the pinned version into a temporary folder,
// runs scripts/gen-k8s-spec.mjs against it and removes the folder. Bump KUBERNETES_MODELS to take
// a newer release, run it, and commit the result with the test results.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const KUBERNETES_MODELS = 'kubernetes-models@5.1.0';

const dir = mkdtempSync(join(tmpdir(), 'stowage-k8s-'));
try {
  const r = spawnSync('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--engine-strict=false', '--loglevel=error', KUBERNETES_MODELS], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm install ${KUBERNETES_MODELS} failed`);
  process.env.STOWAGE_K8S_MODELS = join(dir, 'node_modules', 'kubernetes-models');
  const { generate } = await import('./gen-k8s-spec.mjs');
  await generate();
  console.log(`generated/k8s/schema.json written from ${KUBERNETES_MODELS}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
