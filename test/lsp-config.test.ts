/**
 * The language server and the configuration, over JSON-RPC: every problem the CLI refuses to run
 * with is shown (window/showMessage) and published on the config file at the offending line; the
 * config document is checked as it is typed and used as soon as it is valid; plugins run only when
 * the client allows them.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LspClient, ROOT, uri, type Diagnostic, type Publish } from './helpers/lsp-client.js';

const WEB = readFileSync(join(ROOT, 'test', 'fixtures', 'lsp', 'workspace', 'web.yaml'), 'utf8');
const CLB = 'elb/no-classic-load-balancer';
const PLUGINS_NOTICE = "stowage: plugins not loaded: set initializationOptions.allowPlugins (or STOWAGE_ALLOW_PLUGINS=1) to trust this repository's plugins";

/** `line:col-endLine:endCol severity code message` (0-based, as LSP). */
const row = (d: Diagnostic) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity} ${d.code} ${d.message}`;
const clb = (p: Publish) => p.diagnostics.filter((d) => d.code === CLB).map((d) => d.severity);

const tmp: string[] = [];
const clients: LspClient[] = [];
afterAll(async () => {
  for (const c of clients) await c.shutdown();
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-lsp-config-'));
  tmp.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function start(dir: string, initializationOptions: Record<string, unknown> = {}, env: Record<string, string> = {}): Promise<LspClient> {
  const client = new LspClient({ STOWAGE_ALLOW_PLUGINS: '', ...env });
  clients.push(client);
  await client.initialize(dir, { initializationOptions: { debounceMs: 0, ...initializationOptions } });
  return client;
}

/** The first publish for `path` (from the `from`th publish on). */
const publishOf = (client: LspClient, path: string, from = 0) => client.nextPublish(uri(path), from);

/** The showMessage notifications received so far (window/logMessage left out). */
async function shown(client: LspClient): Promise<string[]> {
  // A request and its answer: notifications sent before it have arrived.
  await client.request('textDocument/hover', { textDocument: { uri: 'file:///nowhere.yaml' }, position: { line: 0, character: 0 } });
  return client.messages.filter((m) => m.type === 2).map((m) => m.message);
}

describe('language server: configuration problems', () => {
  it('a value the schema refuses: one message, and a diagnostic on the value', async () => {
    const dir = workspace({ 'stowage.config.yaml': `rules:\n  ${CLB}: loud\n`, 'web.yaml': WEB });
    const config = join(dir, 'stowage.config.yaml');
    const client = await start(dir);
    const p = await publishOf(client, config);
    expect(p.diagnostics.map(row)).toEqual([`1:32-1:36 1 config-error "rules.${CLB}" must be one of off, info, warning, error`]);
    expect(p.diagnostics[0]!.source).toBe('stowage');
    expect(await shown(client)).toEqual([`stowage: ${config}:2:33: "rules.${CLB}" must be one of off, info, warning, error`]);
    // The defaults apply meanwhile.
    expect(clb(await client.open(join(dir, 'web.yaml'), WEB))).toEqual([2]);
  });

  it('a syntax error, an unknown key, a missing extended file and a missing plugin are located', async () => {
    const cases: Array<[string, string, Record<string, unknown>]> = [
      ['rules:\n  ecs/image-tag: error\n   bad: x\n', '2:6-2:7 1 config-error a mapping cannot start here (is this line indented too far, or does a value contain ": "?)', {}],
      ['rules: {}\nignore:\n  - x\n', '1:0-1:6 1 config-error unknown key "ignore" (allowed: extends, rules, ignorePatterns, overrides, suppressions, plugins)', {}],
      ['extends:\n  - recommended\n  - ./base.yaml\n', `2:4-2:15 1 config-error extends "./base.yaml" not found (looked for %DIR%/base.yaml)`, {}],
      ['plugins:\n  - acme-missing-plugin\n', '1:4-1:23 1 config-error plugin "acme-missing-plugin" is not an installed package (nothing found in node_modules)', { allowPlugins: true }],
    ];
    for (const [text, expected, init] of cases) {
      const dir = workspace({ 'stowage.config.yaml': text });
      const config = join(dir, 'stowage.config.yaml');
      const client = await start(dir, init);
      const p = await publishOf(client, config);
      const want = expected.replace('%DIR%', dir);
      expect(p.diagnostics.map(row)).toEqual([want]);
      const line = Number(want.split(':')[0]) + 1;
      const column = Number(want.split('-')[0]!.split(':')[1]) + 1;
      expect(await shown(client)).toEqual([`stowage: ${config}:${line}:${column}: ${want.slice(want.indexOf('config-error ') + 13)}`]);
      await client.shutdown();
    }
  });

  it('every unknown rule id (in rules and overrides; the CLI refuses them too), with a did-you-mean; in an extended file, the diagnostic is there', async () => {
    const dir = workspace({
      'stowage.config.json': '{\n  "extends": "./base/stowage.config.yaml",\n  "rules": {\n    "ecs/imagetag": "error",\n    "no/such-rule": "off"\n  },\n  "overrides": [{ "files": "*.yaml", "rules": { "ecs/privileged": "off" } }]\n}\n',
      'base/stowage.config.yaml': 'rules:\n  elb/no-classic-load-balancers: error\n',
    });
    const config = join(dir, 'stowage.config.json');
    const base = join(dir, 'base', 'stowage.config.yaml');
    const client = await start(dir);
    const [own, inBase] = await Promise.all([publishOf(client, config), publishOf(client, base)]);
    expect(inBase.diagnostics.map(row)).toEqual([`1:2-1:31 1 config-error unknown rule "elb/no-classic-load-balancers" (did you mean "${CLB}"?)`]);
    expect(own.diagnostics.map(row)).toEqual([
      '3:4-3:18 1 config-error unknown rule "ecs/imagetag" (did you mean "ecs/image-tag"?)',
      '4:4-4:18 1 config-error unknown rule "no/such-rule" (run `stowage rules` to list them)',
      '6:48-6:64 1 config-error unknown rule "ecs/privileged" (did you mean "ecs/no-privileged"?)',
    ]);
    expect(await shown(client)).toEqual([`stowage: ${base}:2:3: unknown rule "elb/no-classic-load-balancers" (did you mean "${CLB}"?) (and 3 more)`]);
  });

  it('checks stowage.config.yaml as it is typed, uses it once valid, and goes back to the file on close', async () => {
    const dir = workspace({ 'web.yaml': WEB });
    const config = join(dir, 'stowage.config.yaml');
    const web = join(dir, 'web.yaml');
    const client = await start(dir);
    expect(clb(await client.open(web, WEB))).toEqual([2]);

    // A config document that is not on disk yet: valid, so the workspace uses it at once.
    let from = client.publishes.length;
    expect((await client.open(config, `rules:\n  ${CLB}: error\n`)).diagnostics).toEqual([]);
    expect(clb(await client.nextPublish(uri(web), from))).toEqual([1]);

    // Typed on: half a key. The problem is published on the document; the last valid config stays in use.
    from = client.publishes.length;
    await client.change(config, 2, `rules:\n  ${CLB}: error\n  ecs/imag`);
    let p = await client.nextPublish(uri(config), from);
    expect(p.diagnostics.map(row)).toEqual(['2:2-2:10 1 config-error Implicit map keys need to be followed by map values']);
    from = client.publishes.length;
    await client.change(config, 3, `rules:\n  ${CLB}: error\n  ecs/image-tg: "off"\n`);
    p = await client.nextPublish(uri(config), from);
    expect(p.diagnostics.map(row)).toEqual(['2:2-2:14 1 config-error unknown rule "ecs/image-tg" (did you mean "ecs/image-tag"?)']);
    from = client.publishes.length;
    await client.change(web, 2, WEB + '\n');
    expect(clb(await client.nextPublish(uri(web), from, 2))).toEqual([1]);

    // Valid again: its problems are cleared and the open templates are linted with it.
    from = client.publishes.length;
    await client.change(config, 4, `rules:\n  ${CLB}: "off"\n`);
    expect((await client.nextPublish(uri(config), from)).diagnostics).toEqual([]);
    expect(clb(await client.nextPublish(uri(web), from))).toEqual([]);

    // Closed without saving: the file on disk (none) counts again.
    from = client.publishes.length;
    await client.close(config);
    expect(clb(await client.nextPublish(uri(web), from))).toEqual([2]);
    // Typing never raised a message; only loading from disk does.
    expect(await shown(client)).toEqual([]);
  });

  it('a broken config saved to disk: the message on reload, and its diagnostic cleared once the file is fixed', async () => {
    const dir = workspace({ 'web.yaml': WEB, 'stowage.config.yaml': `rules:\n  ${CLB}: error\n` });
    const config = join(dir, 'stowage.config.yaml');
    const client = await start(dir);
    const web = join(dir, 'web.yaml');
    expect(clb(await client.open(web, WEB))).toEqual([1]);
    const broken = `rules:\n  ${CLB}: error\nplugins: ./x.mjs\n`;
    let from = client.publishes.length;
    await client.open(config, `rules:\n  ${CLB}: error\n`);
    await client.change(config, 2, broken);
    const typed = await client.nextPublish(uri(config), from, 2);
    expect(typed.diagnostics.map(row)).toEqual(['2:9-2:16 1 config-error "plugins" must be a list, not a string']);
    writeFileSync(config, broken);
    from = client.publishes.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(config), type: 2 }] });
    // Loaded from disk (the open document's text): the defaults apply, and the user is told.
    expect(clb(await client.nextPublish(uri(web), from))).toEqual([2]);
    expect(await shown(client)).toEqual([`stowage: ${config}:3:10: "plugins" must be a list, not a string`]);
    await client.close(config);
    writeFileSync(config, `rules:\n  ${CLB}: error\n`);
    from = client.publishes.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(config), type: 2 }] });
    expect((await client.nextPublish(uri(config), from)).diagnostics).toEqual([]);
  });
});

describe('language server: plugins', () => {
  const PLUGIN = `import { writeFileSync } from 'node:fs';
writeFileSync(new URL('./loaded.txt', import.meta.url), 'yes');
export default {
  id: 'acme/every-template',
  severity: 'error',
  description: 'Reports every Classic Load Balancer.',
  check({ model, report }) {
    for (const r of model.resources('AWS::ElasticLoadBalancing::LoadBalancer')) report(r.key, 'Load balancer "' + r.logicalId + '" was seen.');
  },
};
`;
  const files = () => ({
    'web.yaml': WEB,
    'rules/acme.mjs': PLUGIN,
    'stowage.config.yaml': `plugins:\n  - ./rules/acme.mjs\nrules:\n  acme/every-template: warning\n  ${CLB}: error\n`,
  });

  it('are not loaded unless the client allows them: one notice, the rest of the config applies, the plugin never runs', async () => {
    const dir = workspace(files());
    const client = await start(dir);
    // The plugin's own rule id is not reported as unknown: the plugin was not read.
    expect(clb(await client.open(join(dir, 'web.yaml'), WEB))).toEqual([1]);
    expect(await shown(client)).toEqual([PLUGINS_NOTICE]);
    // A reload of the configuration does not repeat it.
    const from = client.publishes.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(join(dir, 'stowage.config.yaml')), type: 2 }] });
    await client.nextPublish(uri(join(dir, 'web.yaml')), from);
    expect(await shown(client)).toEqual([PLUGINS_NOTICE]);
    expect(existsSync(join(dir, 'rules', 'loaded.txt'))).toBe(false);
  });

  it('are loaded with initializationOptions.allowPlugins, or STOWAGE_ALLOW_PLUGINS=1', async () => {
    for (const [init, env] of [[{ allowPlugins: true }, {}], [{}, { STOWAGE_ALLOW_PLUGINS: '1' }]] as const) {
      const dir = workspace(files());
      const client = await start(dir, init, env);
      const p = await client.open(join(dir, 'web.yaml'), WEB);
      expect(p.diagnostics.filter((d) => d.code === 'acme/every-template').map(row)).toEqual(['3:2-3:17 2 acme/every-template Load balancer "WebLoadBalancer" was seen.']);
      expect(await shown(client)).toEqual([]);
      expect(existsSync(join(dir, 'rules', 'loaded.txt'))).toBe(true);
      await client.shutdown();
    }
  });
});
