/**
 * The language server's CDK pass, over JSON-RPC: findings of a CDK app's cloud assembly published on
 * the app's TypeScript files (open or not), refreshed when the assembly changes (`cdk synth`, `cdk watch`).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CDK_RULE_IDS } from './helpers/fixtures.js';
import { LspClient, ROOT, uri, type Diagnostic, type Publish } from './helpers/lsp-client.js';

const ORDERS = join(ROOT, 'test', 'fixtures', 'cdk', 'orders');

/** The rules the fixture app is written for; other rules may come and go. */
const RULE_IDS = new Set(CDK_RULE_IDS);

interface CdkDiagnostic extends Diagnostic {
  relatedInformation?: Array<{ location: { uri: string; range: Diagnostic['range'] }; message: string }>;
}

/** `line:col-endLine:endCol rule` (0-based, as LSP) of the fixture rules' diagnostics. */
const rows = (p: Publish) => p.diagnostics.filter((d) => RULE_IDS.has(String(d.code))).map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code}`);

// lib/orders-stack.ts as published at start (cdk-mapping.test.ts has the same findings, 1-based).
const ORDERS_STACK = [
  '14:4-14:24 ecs/non-root-user',
  '17:6-17:22 ecs/no-privileged',
  '25:8-25:37 storage/efs-transit-encryption',
  '34:10-34:24 ecs/non-root-user',
  '35:10-35:33 ecs/image-tag',
  '48:10-48:23 ecs/non-root-user',
  '65:33-65:46 ecs/container-logging',
  '65:33-65:46 ecs/container-logging',
  '65:33-65:46 ecs/non-root-user',
  '65:33-65:46 ecs/non-root-user',
  '65:103-65:119 ecs/no-privileged',
  '65:103-65:119 ecs/no-privileged',
  '70:4-70:12 ecs/container-logging',
  '70:4-70:12 ecs/container-logging',
  '70:4-70:12 ecs/image-tag',
  '70:4-70:12 ecs/image-tag',
];

const tmp: string[] = [];
afterAll(() => {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

function copyApp(withAssembly = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-lsp-cdk-'));
  tmp.push(dir);
  cpSync(ORDERS, dir, { recursive: true, filter: (src) => withAssembly || !src.includes('cdk.out') });
  return dir;
}

describe('language server: CDK findings on the app’s TypeScript', () => {
  let dir: string;
  let client: LspClient;
  let stack: string;
  let prodStage: string;
  let apiService: string;
  let template: string;
  let prodTemplate: string;
  let original: string;

  beforeAll(async () => {
    dir = copyApp();
    // As in a real app: the assembly is git-ignored, so the workspace walk skips it; the server finds it through cdk.json.
    writeFileSync(join(dir, '.gitignore'), 'cdk.out\nnode_modules\n');
    stack = uri(join(dir, 'lib', 'orders-stack.ts'));
    prodStage = uri(join(dir, 'lib', 'prod-stage.ts'));
    apiService = uri(join(dir, 'lib', 'api-service.ts'));
    template = join(dir, 'cdk.out', 'OrdersStack.template.json');
    prodTemplate = join(dir, 'cdk.out', 'assembly-Prod', 'ProdApiStack96F1B437.template.json');
    original = readFileSync(template, 'utf8');
    client = new LspClient();
    await client.initialize(dir, { initializationOptions: { debounceMs: 0 } });
  });

  afterAll(async () => {
    expect(await client.shutdown()).toBe(0);
  });

  /** Tell the server a file changed on disk (as a client's file watcher does). */
  const changed = (path: string, type = 2) => client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(path), type }] });

  it('publishes on the app’s .ts files at start, none of them open, with the template position as related information', async () => {
    const p = await client.nextPublish(stack, 0);
    expect(rows(p)).toEqual(ORDERS_STACK);
    const efs = p.diagnostics.find((d) => d.code === 'storage/efs-transit-encryption') as CdkDiagnostic;
    expect(efs).toMatchObject({ severity: 2, source: 'stowage', data: { entity: 'OrdersTaskC7829B99', cdkPath: 'OrdersStack/OrdersTask/Resource' } });
    expect(efs.relatedInformation).toEqual([
      { location: { uri: uri(template), range: { start: { line: 66, character: 28 }, end: { line: 66, character: 38 } } }, message: 'In the synthesized template (OrdersStack/OrdersTask/Resource)' },
    ]);
    // A construct's own props: reported where the stage instantiates it, from the nested assembly.
    const prod = await client.nextPublish(prodStage, 0);
    expect(rows(prod)).toEqual(['9:35-9:76 ecs/image-tag']);
    expect((prod.diagnostics[0] as CdkDiagnostic).relatedInformation![0]!.location.uri).toBe(uri(prodTemplate));
    // 12 under the recommended preset (ecs/container-insights, on only under all, adds one per stack).
    expect(rows(await client.nextPublish(apiService, 0))).toHaveLength(12);
    // Nothing on the templates: they are not open, and their own diagnostics belong to their documents.
    expect(client.publishes.filter((x) => !x.uri.endsWith('.ts'))).toEqual([]);
  });

  it('watches cdk.out folders', async () => {
    const reg = (await client.until(() => client.registrations[0], 5000, 'registration')) as { registrations: Array<{ registerOptions: { watchers: Array<{ globPattern: string }> } }> };
    expect(reg.registrations[0]!.registerOptions.watchers.map((w) => w.globPattern)).toContain('**/cdk.out/**');
  });

  it('updates when the assembly changes: a finding goes, then comes back (one publish per burst)', async () => {
    // The web container no longer privileged (as after editing the app and `cdk synth`); no line moves.
    writeFileSync(template, original.replace('"Privileged": true,', '"Privileged": false,'));
    let from = client.publishes.length;
    await changed(template);
    let p = await client.nextPublish(stack, from);
    expect(rows(p)).toEqual(ORDERS_STACK.filter((r) => r !== '17:6-17:22 ecs/no-privileged'));
    // Files whose diagnostics did not change are not published again (lib/api-service.ts has findings in this template too).
    expect(client.publishes.slice(from).map((x) => x.uri)).toEqual([stack]);

    // `cdk synth` writes several files: a burst of notifications gives one publish.
    writeFileSync(template, original);
    from = client.publishes.length;
    await changed(join(dir, 'cdk.out', 'manifest.json'));
    await changed(template);
    await changed(join(dir, 'cdk.out', 'tree.json'));
    p = await client.nextPublish(stack, from);
    expect(rows(p)).toEqual(ORDERS_STACK);
    await new Promise((r) => setTimeout(r, 500));
    expect(client.publishes.slice(from).map((x) => x.uri)).toEqual([stack]);
  });

  it('clears a .ts file that has no findings any more', async () => {
    const prodText = readFileSync(prodTemplate, 'utf8');
    writeFileSync(prodTemplate, prodText.replace('public.ecr.aws/orders/api:latest', 'public.ecr.aws/orders/api:1.4.2'));
    const from = client.publishes.length;
    await changed(prodTemplate);
    expect((await client.nextPublish(prodStage, from)).diagnostics).toEqual([]);
    // The Prod stack's other findings (on lib/api-service.ts) are unchanged: not published again.
    expect(client.publishes.slice(from).map((x) => x.uri)).toEqual([prodStage]);
    writeFileSync(prodTemplate, prodText);
    const from2 = client.publishes.length;
    await changed(prodTemplate);
    expect(rows(await client.nextPublish(prodStage, from2))).toEqual(['9:35-9:76 ecs/image-tag']);
  });

  it('an open .ts document keeps its CDK diagnostics, follows unsaved edits, and falls back to the file on close', async () => {
    const path = join(dir, 'lib', 'orders-stack.ts');
    const text = readFileSync(path, 'utf8');
    const opened = await client.open(path, text, 'typescript');
    expect(rows(opened)).toEqual(ORDERS_STACK);
    // A line inserted at the top (not saved): the findings move with the source.
    let from = client.publishes.length;
    await client.change(path, 2, `// a comment\n${text}`);
    const edited = await client.nextPublish(stack, from);
    expect(rows(edited)[1]).toBe('18:6-18:22 ecs/no-privileged');
    expect(rows(edited)).toHaveLength(ORDERS_STACK.length);
    // Hover works on them as on a template's.
    const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: stack }, position: { line: 18, character: 10 } });
    expect(hover!.contents.value.startsWith('**ecs/no-privileged** · warning')).toBe(true);
    // Closed without saving: the file on disk counts again.
    from = client.publishes.length;
    await client.close(path);
    const back = await client.until(() => client.publishes.slice(from).find((x) => x.uri === stack && rows(x)[1] === '17:6-17:22 ecs/no-privileged'), 10_000, 'diagnostics from the file on disk');
    expect(rows(back)).toEqual(ORDERS_STACK);
    expect(back.version).toBeUndefined();
  });

  it('leaves an open template’s own diagnostics on the template (CDK mapping off there, so TypeScript comments do not suppress them)', async () => {
    const p = await client.open(template, original, 'json');
    expect(p.diagnostics.filter((d) => d.code === 'ecs/no-privileged').map((d) => `${d.range.start.line}:${d.range.start.character}`)).toEqual(['41:6', '179:6', '1238:6', '1258:6']);
  });
});

describe('language server: the first `cdk synth`, and a removed assembly', () => {
  it('publishes when the assembly appears, and clears everything when it goes', async () => {
    const dir = copyApp(false);
    const client = new LspClient();
    try {
      await client.initialize(dir, { initializationOptions: { debounceMs: 0, cdkDebounceMs: 50 } });
      await client.until(() => client.registrations[0], 5000, 'registration');
      await new Promise((r) => setTimeout(r, 300));
      expect(client.publishes).toEqual([]);

      cpSync(join(ORDERS, 'cdk.out'), join(dir, 'cdk.out'), { recursive: true });
      let from = client.publishes.length;
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(join(dir, 'cdk.out', 'manifest.json')), type: 1 }] });
      const p = await client.nextPublish(uri(join(dir, 'lib', 'orders-stack.ts')), from);
      expect(rows(p)).toEqual(ORDERS_STACK);
      await client.until(() => client.publishes.length - from === 3, 5000, 'three files');
      expect(client.publishes.slice(from).map((x) => x.uri.slice(uri(dir).length)).sort()).toEqual(['/lib/api-service.ts', '/lib/orders-stack.ts', '/lib/prod-stage.ts']);

      rmSync(join(dir, 'cdk.out'), { recursive: true });
      from = client.publishes.length;
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(join(dir, 'cdk.out', 'manifest.json')), type: 3 }] });
      await client.until(() => client.publishes.length - from === 3, 5000, 'three clears');
      expect(client.publishes.slice(from).map((x) => x.diagnostics)).toEqual([[], [], []]);
    } finally {
      expect(await client.shutdown()).toBe(0);
    }
  });
});
