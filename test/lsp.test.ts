import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions } from '../src/lsp/actions.js';
import type { Finding } from '../src/engine/lint.js';
import { SourceFile } from '../src/parsers/tree.js';
import { parseFile } from '../src/parsers/index.js';
import { applyEdits, LspClient, ROOT, uri, type Diagnostic, type Publish, type TextEdit } from './helpers/lsp-client.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'lsp', 'workspace');
const CLB = 'elb/no-classic-load-balancer';
const INSTANCE_ROLE = 'iam/separate-task-and-instance-roles';

const only = (p: Publish, code: string) => p.diagnostics.filter((d) => d.code === code);
const at = (d: Diagnostic) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;

interface CodeAction {
  title: string;
  kind?: string;
  diagnostics?: Diagnostic[];
  edit?: { changes?: Record<string, TextEdit[]> };
}

describe('language server (JSON-RPC over stdio)', () => {
  let dir: string;
  let client: LspClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stowage-lsp-'));
    cpSync(FIXTURE, dir, { recursive: true });
    // Debounce off for the deterministic tests; the debounce has a test of its own below.
    client = new LspClient();
    const init = await client.initialize(dir, { initializationOptions: { debounceMs: 0 } });
    expect(init.capabilities).toMatchObject({ hoverProvider: true, codeActionProvider: { codeActionKinds: ['quickfix'] }, textDocumentSync: { openClose: true, change: 2 } });
  });

  afterAll(async () => {
    const code = await client.shutdown();
    expect(code).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers a file watcher dynamically when the client supports it', async () => {
    const reg = (await client.until(() => client.registrations[0], 5000, 'registration')) as { registrations: Array<{ method: string; registerOptions: { watchers: Array<{ globPattern: string }> } }> };
    expect(reg.registrations[0]!.method).toBe('workspace/didChangeWatchedFiles');
    expect(reg.registrations[0]!.registerOptions.watchers.map((w) => w.globPattern)).toEqual(['**/*.{yaml,yml,json,template}', '**/stowage.config.{yaml,yml,json}', '**/cdk.out/**']);
  });

  it('publishes diagnostics on open with severity, code, docs link and source', async () => {
    const path = join(dir, 'web.yaml');
    const p = await client.open(path, readFileSync(path, 'utf8'));
    expect(p.version).toBe(1);
    const [d, ...rest] = only(p, CLB);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      range: { start: { line: 4, character: 10 }, end: { line: 4, character: 49 } },
      severity: 2,
      code: CLB,
      source: 'stowage',
      codeDescription: { href: pathToFileURL(join(ROOT, 'docs', 'rules', 'elb', 'no-classic-load-balancer.md')).href },
      data: { entity: 'WebLoadBalancer' },
    });
    expect(d!.message).toMatch(/^Load balancer "WebLoadBalancer" is a Classic Load Balancer/);
  });

  it('uses the workspace as cross-file context, and re-lints on change', async () => {
    const path = join(dir, 'reporting.json');
    const text = readFileSync(path, 'utf8');
    const p = await client.open(path, text);
    // The role is defined in iam-roles.yaml, which is not open: it comes from the workspace.
    expect(only(p, INSTANCE_ROLE).map(at)).toEqual(['2:17-2:65']);
    expect(only(p, INSTANCE_ROLE)[0]!.severity).toBe(1);

    const from = client.publishes.length;
    await client.change(path, 2, text.replace('role/ecsInstanceRole', 'role/reportingTaskRole'));
    const p2 = await client.nextPublish(uri(path), from, 2);
    expect(only(p2, INSTANCE_ROLE)).toEqual([]);

    const from3 = client.publishes.length;
    await client.change(path, 3, text);
    expect(only(await client.nextPublish(uri(path), from3, 3), INSTANCE_ROLE).map(at)).toEqual(['2:17-2:65']);
  });

  it('updates the context when a workspace file changes on disk (didChangeWatchedFiles)', async () => {
    const path = join(dir, 'reporting.json');
    const roles = join(dir, 'iam-roles.yaml');
    const original = readFileSync(roles, 'utf8');
    writeFileSync(roles, original.replace('RoleName: ecsInstanceRole', 'RoleName: someOtherRole'));
    let from = client.publishes.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(roles), type: 2 }] });
    expect(only(await client.nextPublish(uri(path), from), INSTANCE_ROLE)).toEqual([]);

    writeFileSync(roles, original);
    from = client.publishes.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(roles), type: 2 }] });
    expect(only(await client.nextPublish(uri(path), from), INSTANCE_ROLE).map(at)).toEqual(['2:17-2:65']);

    // Deleted: the role is gone from the context.
    rmSync(roles);
    from = client.publishes.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(roles), type: 3 }] });
    expect(only(await client.nextPublish(uri(path), from), INSTANCE_ROLE)).toEqual([]);
    writeFileSync(roles, original);
    from = client.publishes.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(roles), type: 1 }] });
    expect(only(await client.nextPublish(uri(path), from), INSTANCE_ROLE)).toHaveLength(1);
  });

  it('reloads the configuration when stowage.config.yaml changes, and re-lints open documents', async () => {
    const web = uri(join(dir, 'web.yaml'));
    const config = join(dir, 'stowage.config.yaml');
    writeFileSync(config, `rules:\n  ${CLB}: error\n`);
    let from = client.publishes.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(config), type: 1 }] });
    expect(only(await client.nextPublish(web, from), CLB).map((d) => d.severity)).toEqual([1]);

    writeFileSync(config, `rules:\n  ${CLB}: "off"\n`);
    from = client.publishes.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(config), type: 2 }] });
    expect(only(await client.nextPublish(web, from), CLB)).toEqual([]);

    // A broken configuration: the client is told where, and the defaults apply.
    writeFileSync(config, 'rules:\n  no/such-rule: loud\n');
    from = client.publishes.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(config), type: 2 }] });
    expect(only(await client.nextPublish(web, from), CLB).map((d) => d.severity)).toEqual([2]);
    const warning = client.messages.find((m) => m.type === 2 && m.message.includes('stowage.config.yaml'));
    expect(warning?.message).toMatch(/^stowage: .*stowage\.config\.yaml:2:\d+: /);

    rmSync(config);
    from = client.publishes.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(config), type: 3 }] });
    expect(only(await client.nextPublish(web, from), CLB).map((d) => d.severity)).toEqual([2]);
  });

  it('offers "Disable <rule> for this line" in YAML; applying it silences the finding', async () => {
    const path = join(dir, 'web.yaml');
    const text = readFileSync(path, 'utf8');
    // Open since the first test: start from its text as on disk.
    const from0 = client.publishes.length;
    await client.change(path, 10, text);
    const p = await client.nextPublish(uri(path), from0, 10);
    const diag = only(p, CLB)[0]!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uri(path) },
      range: diag.range,
      context: { diagnostics: [diag], only: ['quickfix'] },
    });
    expect(actions.map((a) => a.title)).toEqual([`Disable ${CLB} for this line`]);
    const edits = actions[0]!.edit!.changes![uri(path)]!;
    expect(edits).toEqual([{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, newText: `    # stowage-disable-next-line ${CLB}\n` }]);
    const fixed = applyEdits(text, edits);
    expect(fixed.split('\n').slice(3, 6)).toEqual(['  WebLoadBalancer:', `    # stowage-disable-next-line ${CLB}`, '    Type: AWS::ElasticLoadBalancing::LoadBalancer']);
    const from = client.publishes.length;
    await client.change(path, 11, fixed);
    expect(only(await client.nextPublish(uri(path), from, 11), CLB)).toEqual([]);
  });

  it('offers "Disable <rule> for this resource" in JSON CloudFormation (Metadata.stowage.ignore)', async () => {
    const path = join(dir, 'web.json');
    const text = readFileSync(path, 'utf8');
    const p = await client.open(path, text);
    const diag = only(p, CLB)[0]!;
    expect(at(diag)).toBe('4:14-4:55');
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uri(path) },
      range: diag.range,
      context: { diagnostics: [diag] },
    });
    expect(actions.map((a) => a.title)).toEqual([`Disable ${CLB} for this resource`]);
    const fixed = applyEdits(text, actions[0]!.edit!.changes![uri(path)]!);
    expect(JSON.parse(fixed).Resources.WebLoadBalancer.Metadata).toEqual({ stowage: { ignore: [CLB] } });
    expect(fixed).toContain(`      "Metadata": {\n        "stowage": {\n          "ignore": [\n            "${CLB}"\n          ]\n        }\n      }`);
    const from = client.publishes.length;
    await client.change(path, 2, fixed);
    expect(only(await client.nextPublish(uri(path), from, 2), CLB)).toEqual([]);
  });

  it('shows the rule description and its docs on hover', async () => {
    const path = join(dir, 'web.json');
    const text = readFileSync(path, 'utf8');
    const from = client.publishes.length;
    await client.change(path, 3, text);
    await client.nextPublish(uri(path), from, 3);
    const hover = await client.request<{ contents: { kind: string; value: string }; range: Diagnostic['range'] } | null>('textDocument/hover', { textDocument: { uri: uri(path) }, position: { line: 4, character: 20 } });
    expect(hover!.contents.kind).toBe('markdown');
    expect(hover!.range).toEqual({ start: { line: 4, character: 14 }, end: { line: 4, character: 55 } });
    const value = hover!.contents.value;
    expect(value.startsWith(`**${CLB}** · warning\n\n`)).toBe(true);
    expect(value).toContain('The Classic Load Balancer is the previous generation of Elastic Load Balancing.');
    expect(value).toContain(`[Documentation for ${CLB}](${pathToFileURL(join(ROOT, 'docs', 'rules', 'elb', 'no-classic-load-balancer.md')).href})`);
    const none = await client.request('textDocument/hover', { textDocument: { uri: uri(path) }, position: { line: 0, character: 0 } });
    expect(none).toBeNull();
  });

  it('publishes nothing for files that are none of its formats, and clears diagnostics on close', async () => {
    const notes = join(dir, 'notes.yaml');
    expect((await client.open(notes, readFileSync(notes, 'utf8'))).diagnostics).toEqual([]);
    const web = join(dir, 'web.json');
    const from = client.publishes.length;
    await client.close(web);
    const p = await client.nextPublish(uri(web), from);
    expect(p.diagnostics).toEqual([]);
  });

  it('survives a template typed a few characters at a time: every version gets diagnostics, parse errors are located', async () => {
    const full = readFileSync(join(ROOT, 'test', 'fixtures', 'lsp', 'typed-template.yaml'), 'utf8') // a copy of examples/cloudformation/orders-cluster.yaml;
    const path = join(dir, 'typed.yaml');
    const base = await client.open(path, full, 'yaml', 1);
    const expected = base.diagnostics.map((d) => `${at(d)} ${d.code}`);
    expect(expected.length).toBeGreaterThan(5);
    expect(expected).toContain('118:10-118:26 ecs/fargate-incompatible-load-balancer');

    const step = 37; // ~120 versions for the 4.5 kB template
    let version = 1;
    let parseErrorVersions = 0;
    const started = Date.now();
    for (let n = 0; n <= full.length; n += step) {
      const text = full.slice(0, n);
      version++;
      const from = client.publishes.length;
      await client.change(path, version, text);
      const p = await client.nextPublish(uri(path), from, version, 5000);
      const lines = text.split('\n');
      for (const d of p.diagnostics) {
        // Every diagnostic lies inside the text as it was.
        expect(d.range.start.line).toBeLessThan(lines.length);
        expect(d.range.end.line).toBeLessThan(lines.length);
        expect(d.range.start.character).toBeLessThanOrEqual(lines[d.range.start.line]!.length);
        expect(typeof d.code).toBe('string');
      }
      if (p.diagnostics.some((d) => d.code === 'parse-error')) parseErrorVersions++;
    }
    version++;
    const from = client.publishes.length;
    await client.change(path, version, full);
    const last = await client.nextPublish(uri(path), from, version);
    expect(last.diagnostics.map((d) => `${at(d)} ${d.code}`)).toEqual(expected);
    expect(parseErrorVersions).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(client.exited).toBeUndefined();
    // Still answering requests.
    expect(await client.request('textDocument/hover', { textDocument: { uri: uri(path) }, position: { line: 0, character: 0 } })).toBeNull();
  });

  it('shows a located parse error for a broken template', async () => {
    const path = join(dir, 'broken.yaml');
    const p = await client.open(path, 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Bad: [unclosed\n');
    expect(p.diagnostics.map((d) => `${d.code} ${d.severity} ${d.range.start.line}`)).toEqual(['parse-error 1 3']);
  });
});

describe('language server debounce', () => {
  it('publishes once per burst of changes, ~150 ms after the last', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stowage-lsp-'));
    // Started as VS Code's client starts servers (it adds --clientProcessId).
    const client = new LspClient({}, [`--clientProcessId=${process.pid}`]);
    try {
      await client.initialize(dir, { dynamicWatch: false });
      const path = join(dir, 'web.yaml');
      const text = readFileSync(join(FIXTURE, 'web.yaml'), 'utf8');
      await client.open(path, text);
      const from = client.publishes.length;
      const t0 = performance.now();
      await client.change(path, 2, text + '\n');
      await client.change(path, 3, text + '\n\n');
      await client.change(path, 4, text);
      const p = await client.nextPublish(uri(path), from, 4);
      expect(p.at - t0).toBeGreaterThanOrEqual(140);
      await new Promise((r) => setTimeout(r, 200));
      expect(client.publishes.slice(from).map((x) => x.version)).toEqual([4]);
      expect(only(p, CLB).map(at)).toEqual(['4:10-4:49']);
      expect(client.registrations).toEqual([]);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('language server: opening is not debounced', () => {
  it('publishes on open even with a debounce of a minute', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stowage-lsp-'));
    const client = new LspClient();
    try {
      await client.initialize(dir, { dynamicWatch: false, initializationOptions: { debounceMs: 60_000 } });
      const p = await client.open(join(dir, 'web.yaml'), readFileSync(join(FIXTURE, 'web.yaml'), 'utf8'));
      expect(only(p, CLB).map(at)).toEqual(['4:10-4:49']);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('language server robustness', () => {
  it('keeps running when the client refuses a request (dynamic registration)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stowage-lsp-'));
    const client = new LspClient();
    try {
      let refused = 0;
      client.connection.onRequest('client/registerCapability', () => {
        refused++;
        throw new Error('not supported here');
      });
      await client.initialize(dir, { dynamicWatch: true, initializationOptions: { debounceMs: 0 } });
      await client.until(() => refused === 1, 5000, 'registration request');
      const path = join(dir, 'web.yaml');
      const p = await client.open(path, readFileSync(join(FIXTURE, 'web.yaml'), 'utf8'));
      expect(only(p, CLB).map(at)).toEqual(['4:10-4:49']);
      expect(client.exited).toBeUndefined();
    } finally {
      expect(await client.shutdown()).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('code actions (in-process)', () => {
  it('offers a finding’s own fix as the preferred quick fix', () => {
    const text = 'Resources:\n  Lb:\n    Type: AWS::ElasticLoadBalancing::LoadBalancer\n';
    const file = new SourceFile('/w/t.yaml', text, 'yaml');
    const start = text.indexOf('AWS::Elastic');
    const finding: Finding = {
      ruleId: CLB,
      severity: 'warning',
      message: 'm',
      file,
      start,
      end: start + 39,
      line: 3,
      column: 11,
      endLine: 3,
      endColumn: 50,
      fix: { title: 'Use an Application Load Balancer', edits: [{ start, end: start + 39, text: 'AWS::ElasticLoadBalancingV2::LoadBalancer' }] },
    };
    const document = TextDocument.create('file:///w/t.yaml', 'yaml', 1, text);
    const diagnostic = { range: { start: { line: 2, character: 10 }, end: { line: 2, character: 49 } }, code: CLB, source: 'stowage', message: 'm' };
    const actions = codeActions({ document, parsed: undefined, findings: [finding] }, [diagnostic]);
    expect(actions.map((a) => [a.title, a.isPreferred ?? false])).toEqual([
      ['Use an Application Load Balancer', true],
      [`Disable ${CLB} for this line`, false],
    ]);
    expect(applyEdits(text, actions[0]!.edit!.changes!['file:///w/t.yaml']!)).toBe('Resources:\n  Lb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n');
    // A second rule on a line that already has a directive above it is added to that directive.
    const withDirective = `Resources:\n  Lb:\n    # stowage-disable-next-line other/rule -- legacy\n    Type: AWS::ElasticLoadBalancing::LoadBalancer\n`;
    const doc2 = TextDocument.create('file:///w/t.yaml', 'yaml', 2, withDirective);
    const f2 = { ...finding, line: 4, fix: undefined };
    const d2 = { ...diagnostic, range: { start: { line: 3, character: 10 }, end: { line: 3, character: 49 } } };
    const [a2] = codeActions({ document: doc2, parsed: undefined, findings: [f2] }, [d2]);
    expect(applyEdits(withDirective, a2!.edit!.changes!['file:///w/t.yaml']!).split('\n')[2]).toBe(`    # stowage-disable-next-line other/rule, ${CLB} -- legacy`);
  });

  it('offers no line comment inside a multi-line scalar (it would become part of the value)', () => {
    const text = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Lt:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      UserData: |\n        #!/bin/bash\n        mount -t s3fs bucket /data\n';
    const parsed = parseFile('/w/lt.yaml', text);
    const start = text.indexOf('mount');
    const finding: Finding = { ruleId: 'storage/no-s3-as-filesystem', severity: 'warning', message: 'm', file: parsed.file, start, end: start + 5, line: 8, column: 9, endLine: 8, endColumn: 14, entity: 'Lt' };
    const document = TextDocument.create('file:///w/lt.yaml', 'yaml', 1, text);
    const diagnostic = { range: { start: { line: 7, character: 8 }, end: { line: 7, character: 13 } }, code: finding.ruleId, source: 'stowage', message: 'm' };
    expect(codeActions({ document, parsed, findings: [finding] }, [diagnostic])).toEqual([]);
    // The key that holds the scalar is an ordinary line.
    const keyStart = text.indexOf('UserData');
    const onKey = { ...finding, start: keyStart, line: 6, column: 7 };
    const d2 = { ...diagnostic, range: { start: { line: 5, character: 6 }, end: { line: 5, character: 14 } } };
    const [action] = codeActions({ document, parsed, findings: [onKey] }, [d2]);
    expect(action!.edit!.changes!['file:///w/lt.yaml']).toEqual([{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, newText: '      # stowage-disable-next-line storage/no-s3-as-filesystem\n' }]);
  });
});
