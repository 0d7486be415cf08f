/**
 * The language server keeps answering while it lints: the lint runs in a worker thread, stale
 * lints are cancelled, and documents over the size limit are not linted at all.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LintClient, SUPERSEDED } from '../src/lsp/lint-client.js';
import { LspWorkspace } from '../src/lsp/workspace.js';
import { LspClient, ROOT, uri, type Diagnostic, type Publish } from './helpers/lsp-client.js';

const WEB = readFileSync(join(ROOT, 'test', 'fixtures', 'lsp', 'workspace', 'web.yaml'), 'utf8');
const CLB = 'elb/no-classic-load-balancer';
const at = (d: Diagnostic) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code}`;
const clbRows = (p: Publish) => p.diagnostics.filter((d) => d.code === CLB).map(at);

/** A CloudFormation template of about `bytes`: services, task definitions and roles, as in a large stack. */
function bigTemplate(bytes: number): string {
  const parts = ["AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Subnets:\n    Type: CommaDelimitedList\nResources:\n  Cluster:\n    Type: AWS::ECS::Cluster\n"];
  let size = parts[0]!.length;
  for (let i = 0; size < bytes; i++) {
    const block = `  Task${i}:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: task-${i}
      Cpu: '256'
      Memory: '512'
      NetworkMode: awsvpc
      RequiresCompatibilities: [FARGATE]
      ContainerDefinitions:
        - Name: app
          Image: public.ecr.aws/docker/library/nginx:1.27.${i % 10}
          Essential: true
          ReadonlyRootFilesystem: true
  Service${i}:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      LaunchType: FARGATE
      TaskDefinition: !Ref Task${i}
      DesiredCount: 2
      NetworkConfiguration:
        AwsvpcConfiguration:
          Subnets: !Ref Subnets
`;
    parts.push(block);
    size += block.length;
  }
  return parts.join('');
}

describe('language server: answers while a large document is linted', () => {
  let dir: string;
  let client: LspClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stowage-lsp-worker-'));
    client = new LspClient();
    await client.initialize(dir, { initializationOptions: { debounceMs: 0 } });
  });

  afterAll(async () => {
    expect(await client.shutdown()).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('hover and code actions on a small document are answered before a 4 MB document’s diagnostics; a newer version supersedes the lint in progress', async () => {
    const small = join(dir, 'web.yaml');
    const p = await client.open(small, WEB);
    expect(clbRows(p)).toEqual(['4:10-4:49 elb/no-classic-load-balancer']);
    const diagnostic = p.diagnostics.find((d) => d.code === CLB)!;

    const big = join(dir, 'big.yaml');
    const text = bigTemplate(4 * 1024 * 1024);
    expect(text.length).toBeGreaterThan(4 * 1024 * 1024);
    const bigPublishes = () => client.publishes.filter((x) => x.uri === uri(big));
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(big), languageId: 'yaml', version: 1, text } });
    const hover = client.request<{ range: Diagnostic['range']; contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: uri(small) }, position: { line: 4, character: 20 } }).then((h) => ({ h, bigSeen: bigPublishes().length }));
    const actions = client.request<Array<{ title: string }>>('textDocument/codeAction', { textDocument: { uri: uri(small) }, range: diagnostic.range, context: { diagnostics: [diagnostic] } }).then((a) => ({ a, bigSeen: bigPublishes().length }));
    const [h, a] = await Promise.all([hover, actions]);
    expect(h.h!.range).toEqual({ start: { line: 4, character: 10 }, end: { line: 4, character: 49 } });
    expect(h.h!.contents.value.startsWith(`**${CLB}** · warning`)).toBe(true);
    expect(a.a.map((x) => x.title)).toEqual([`Disable ${CLB} for this line`]);
    // Both answered while the big document was still being linted.
    expect([h.bigSeen, a.bigSeen]).toEqual([0, 0]);

    // The big document is replaced before its lint is done: only the new version is published.
    const smaller = `${WEB}  Extra:\n    Type: AWS::ElasticLoadBalancing::LoadBalancer\n`;
    await client.change(big, 2, smaller);
    const published = await client.nextPublish(uri(big), 0, 2, 120_000);
    expect(bigPublishes().map((x) => x.version)).toEqual([2]);
    expect(clbRows(published)).toEqual(['4:10-4:49 elb/no-classic-load-balancer', '12:10-12:49 elb/no-classic-load-balancer']);
  }, 180_000);

  it('documents over 5 MB: one notice per document, no lint, their diagnostics cleared', async () => {
    const path = join(dir, 'huge.yaml');
    const message = `stowage: ${path} is larger than 5 MB, so it is not linted`;
    const notices = () => client.messages.filter((m) => m.message === message).map((m) => m.type);
    const pad = (n: number, c = 'x') => `${WEB}# ${c.repeat(n)}\n`;
    // 5 MB and a little more, counted in UTF-8: 2.7 million "é" are 5.4 MB.
    const tooLarge = [pad(5 * 1024 * 1024), pad(2_700_000, 'é')];
    let from = client.publishes.length;
    expect((await client.open(path, tooLarge[0]!)).diagnostics).toEqual([]);
    await client.change(path, 2, tooLarge[1]!);
    expect((await client.nextPublish(uri(path), from, 2)).diagnostics).toEqual([]);
    expect(notices()).toEqual([2]);

    // Under the limit (4.9 MB of comment): linted again.
    from = client.publishes.length;
    await client.change(path, 3, pad(4_900_000));
    expect(clbRows(await client.nextPublish(uri(path), from, 3, 120_000))).toEqual(['4:10-4:49 elb/no-classic-load-balancer']);
    // Over again: cleared, and no second notice while the document stays open.
    from = client.publishes.length;
    await client.change(path, 4, tooLarge[0]!);
    expect((await client.nextPublish(uri(path), from, 4)).diagnostics).toEqual([]);
    expect(notices()).toEqual([2]);

    // Opened again later: told again.
    await client.close(path);
    await client.open(path, tooLarge[0]!, 'yaml', 5);
    expect(notices()).toEqual([2, 2]);
  }, 180_000);
});

describe('lint worker client (in-process, with a stand-in worker)', () => {
  const FAKE = join(ROOT, 'test', 'fixtures', 'lsp', 'fake-worker.mjs');

  it('one request in flight; a newer version cancels it, a queued one with the same key is replaced, the same version waits', async () => {
    const client = new LintClient(() => {}, () => {}, FAKE);
    await client.start();
    expect(client.threaded).toBe(true);
    const lint = (text: string, key: string, tag: number) => client.request<{ text: string; cancelled?: boolean }>({ type: 'lint', path: key, text }, { key, tag });
    const r1 = lint('slow', 'a', 1);
    const r2 = lint('a2', 'a', 2); // cancels r1 (an older version)
    const r3 = lint('b1', 'b', 1);
    const r4 = lint('a3', 'a', 3); // replaces r2, still queued
    expect(await Promise.all([r1, r2, r3, r4])).toEqual([{ text: 'slow', cancelled: true }, SUPERSEDED, { text: 'b1' }, { text: 'a3' }]);
    // The same version again (the context changed): queued behind, the one in flight is not cancelled.
    const r5 = lint('slow200', 'c', 1);
    const r6 = lint('c1', 'c', 1);
    expect(await Promise.all([r5, r6])).toEqual([{ text: 'slow200', cancelled: false }, { text: 'c1' }]);
    // A closed document: its lint in flight is cancelled.
    const r7 = lint('slow', 'd', 1);
    client.cancelKey('d');
    expect(await r7).toEqual({ text: 'slow', cancelled: true });
    await expect(lint('fail', 'e', 1)).rejects.toThrow('no such thing');
    await client.stop();
    expect(await lint('after', 'f', 1)).toBe(SUPERSEDED);
  });

  it('a worker that stops is started again with the workspace request, and the server is told', async () => {
    const logs: string[] = [];
    const restarted: unknown[] = [];
    const client = new LintClient((l) => logs.push(l), (s) => restarted.push(s), FAKE);
    await client.start();
    expect(await client.request({ type: 'init', roots: [], allowPlugins: false })).toEqual({ inits: 1 });
    await expect(client.request({ type: 'close', path: '/x' })).rejects.toThrow('the lint worker stopped (exit code 3)');
    await expect.poll(() => restarted).toEqual([{ inits: 1 }]);
    expect(logs).toEqual(['stowage: the lint worker stopped (exit code 3); starting it again']);
    expect(await client.request({ type: 'lint', path: 'a', text: 'a1' })).toEqual({ text: 'a1' });
    await client.stop();
  });
});

describe('workspace lint cancellation (in-process)', () => {
  it('gives up between rules once cancelled, and marks the result', () => {
    const ws = new LspWorkspace([]);
    const path = join(tmpdir(), 'web.yaml');
    expect(ws.lintDocument(path, WEB).findings.map((f) => f.ruleId)).toContain(CLB);
    let asked = 0;
    const r = ws.lintDocument(path, WEB, () => ++asked > 3);
    expect(r).toMatchObject({ findings: [], cancelled: true });
    expect(r.parsed?.file.path).toBe(path);
    // Cancelled at once: after the parse, before any rule.
    expect(ws.lintDocument(path, WEB, () => true)).toMatchObject({ findings: [], cancelled: true });
  });
});

describe('workspace context', () => {
  it('reads a file whose name is not valid UTF-8 (through its raw path), as the CLI does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stowage-lsp-raw-'));
    try {
      // `stack-\xff.yaml`: a byte that is not UTF-8, so the decoded name cannot be opened.
      const name = Buffer.concat([Buffer.from(`${dir}/stack-`), Buffer.from([0xff]), Buffer.from('.yaml')]);
      writeFileSync(name, 'Resources:\n  Lb:\n    Type: AWS::ElasticLoadBalancing::LoadBalancer\n    Properties:\n      Listeners: []\n');
      const ws = new LspWorkspace([dir]);
      ws.rediscover();
      expect(ws.size).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
