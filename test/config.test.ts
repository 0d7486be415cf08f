import { existsSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { main, type Io } from '../src/cli/index.js';
import { ConfigError, loadConfig, MAX_CONFIG_BYTES, PLUGINS_NOT_LOADED } from '../src/engine/config.js';
import { CONFIG_SCHEMA, SCHEMA_KEYWORDS } from '../src/engine/config-schema.js';
import { didYouMean } from '../src/rules/lib/schema-findings.js';
import { didYouMean as engineDidYouMean } from '../src/engine/did-you-mean.js';
import { ROOT } from './helpers/fixtures.js';

const NOTICE = `stowage: ${PLUGINS_NOT_LOADED}\n`;

/** A temporary folder with these files (paths relative to it); its real path. */
function project(files: Record<string, string> = {}): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'stowage-config-')));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

async function run(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), cwd, isTTY: false, readStdin: () => '' };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** The ConfigError a load throws (fails the test when it loads). */
async function configError(load: Promise<unknown>): Promise<ConfigError> {
  try {
    await load;
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

/** Assert a located error: message, detail and range. */
function expectAt(e: ConfigError, path: string, line: number, column: number, endColumn: number, detail: string, endLine = line): void {
  expect(e.message).toBe(`${path}:${line}:${column}: ${detail}`);
  expect(e.location).toEqual({ path, line, column, endLine, endColumn, detail });
}

/** A plugin that leaves a marker file next to itself when it is imported. */
const EVIL = `import { writeFileSync } from 'node:fs';
writeFileSync(new URL('./marker', import.meta.url), 'ran');
export default { id: 'evil/rule', severity: 'warning', description: 'ran', check() {} };
`;

const TEMPLATE = 'Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n';

describe('a config found by search is data only', () => {
  afterEach(() => {
    delete process.env.STOWAGE_ALLOW_PLUGINS;
  });

  const attack = () => project({ 'stowage.config.yaml': 'plugins:\n  - ./evil.mjs\n', 'evil.mjs': EVIL, 'stack.yaml': TEMPLATE });

  it('`lint .` does not import its plugins, says so once, and lints with the built-in rules', async () => {
    const dir = attack();
    const r = await run(['lint', '.'], dir);
    expect(existsSync(join(dir, 'marker'))).toBe(false);
    expect(r.stderr).toBe(NOTICE);
    expect(r.code).toBe(0);
  });

  it('`rules` does not import them either', async () => {
    const dir = attack();
    const r = await run(['rules'], dir);
    expect(existsSync(join(dir, 'marker'))).toBe(false);
    expect(r.stderr).toBe(NOTICE);
    expect(r.stdout).not.toContain('evil/rule');
    expect(r.code).toBe(0);
  });

  it('from a subfolder too (the search goes upwards)', async () => {
    const dir = attack();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'stack.yaml'), TEMPLATE);
    const r = await run(['lint', '.'], join(dir, 'sub'));
    expect(existsSync(join(dir, 'marker'))).toBe(false);
    expect(r.stderr).toBe(NOTICE);
  });

  it('--plugins loads them (lint and rules)', async () => {
    const dir = attack();
    const r = await run(['lint', '.', '--plugins'], dir);
    expect(r.stderr).toBe('');
    expect(existsSync(join(dir, 'marker'))).toBe(true);
    const other = attack();
    const rules = await run(['rules', '--plugins'], other);
    expect(existsSync(join(other, 'marker'))).toBe(true);
    expect(rules.stdout).toContain('evil/rule');
  });

  it('STOWAGE_ALLOW_PLUGINS=1 loads them; other values do not', async () => {
    const dir = attack();
    process.env.STOWAGE_ALLOW_PLUGINS = 'true';
    expect((await run(['lint', '.'], dir)).stderr).toBe(NOTICE);
    expect(existsSync(join(dir, 'marker'))).toBe(false);
    process.env.STOWAGE_ALLOW_PLUGINS = '1';
    expect((await run(['lint', '.'], dir)).stderr).toBe('');
    expect(existsSync(join(dir, 'marker'))).toBe(true);
  });

  it('--no-plugins refuses them even from a config named with --config or STOWAGE_ALLOW_PLUGINS=1 (the GitHub Action passes it)', async () => {
    const dir = attack();
    process.env.STOWAGE_ALLOW_PLUGINS = '1';
    const r = await run(['lint', '.', '--config', 'stowage.config.yaml', '--no-plugins'], dir);
    expect(existsSync(join(dir, 'marker'))).toBe(false);
    expect(r.stderr).toBe(NOTICE);
    expect(r.code).toBe(0);
  });

  it('a config named with --config is trusted', async () => {
    const dir = attack();
    const r = await run(['lint', '.', '--config', 'stowage.config.yaml'], dir);
    expect(r.stderr).toBe('');
    expect(existsSync(join(dir, 'marker'))).toBe(true);
    const other = attack();
    await run(['rules', '--config', 'stowage.config.yaml'], other);
    expect(existsSync(join(other, 'marker'))).toBe(true);
  });

  it('the installed command (bin/stowage.js, as a subprocess) behaves the same', () => {
    const dir = attack();
    const bin = join(ROOT, 'bin', 'stowage.js');
    const env = { ...process.env };
    delete env.STOWAGE_ALLOW_PLUGINS;
    for (const args of [['lint', '.'], ['rules']]) {
      const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', env });
      expect([r.status, r.stderr]).toEqual([0, NOTICE]);
    }
    expect(existsSync(join(dir, 'marker'))).toBe(false);
    const trusted = spawnSync(process.execPath, [bin, 'lint', '.'], { cwd: dir, encoding: 'utf8', env: { ...env, STOWAGE_ALLOW_PLUGINS: '1' } });
    expect([trusted.status, trusted.stderr]).toEqual([0, '']);
    expect(existsSync(join(dir, 'marker'))).toBe(true);
  });

  it('loadConfig: notices and no plugins unless allowed', async () => {
    const dir = attack();
    const found = await loadConfig(dir);
    expect(found.notices).toEqual(["plugins not loaded: pass --plugins to trust this repository's plugins"]);
    expect(found.plugins).toEqual([]);
    expect(found.pluginsSkipped).toBe(true);
    expect(existsSync(join(dir, 'marker'))).toBe(false);
    const allowed = await loadConfig(dir, undefined, { allowPlugins: true });
    expect(allowed.notices).toEqual([]);
    expect(allowed.plugins.map((p) => p.id)).toEqual(['evil/rule']);
  });

  it('one notice when both a config and the config it extends name plugins', async () => {
    const dir = project({
      'stowage.config.yaml': 'extends: ./base.yaml\nplugins:\n  - ./evil.mjs\n',
      'base.yaml': 'plugins:\n  - ./evil.mjs\n',
      'evil.mjs': EVIL,
      'stack.yaml': TEMPLATE,
    });
    const r = await run(['lint', '.'], dir);
    expect(r.stderr).toBe(NOTICE);
    expect(existsSync(join(dir, 'marker'))).toBe(false);
  });

  it('settings of plugin rules that were not loaded are accepted; typos of built-in rules are not', async () => {
    const dir = project({
      'stowage.config.yaml': 'plugins:\n  - ./evil.mjs\nrules:\n  acme/cost-center: error\n',
      'evil.mjs': EVIL,
      'stack.yaml': TEMPLATE,
    });
    const ok = await run(['lint', '.', '--rule', 'acme/other=off'], dir);
    expect(ok.stderr).toBe(NOTICE);
    expect(ok.code).toBe(0);
    writeFileSync(join(dir, 'stowage.config.yaml'), 'plugins:\n  - ./evil.mjs\nrules:\n  ecs/imag-tag: error\n');
    const typo = await run(['lint', '.'], dir);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(`stowage: ${join(dir, 'stowage.config.yaml')}:4:3: unknown rule "ecs/imag-tag" (did you mean "ecs/image-tag"?)\n`);
    // Loaded, the plugin's rules are known and nothing else is.
    writeFileSync(join(dir, 'stowage.config.yaml'), 'plugins:\n  - ./evil.mjs\nrules:\n  evil/rul: error\n');
    const loaded = await run(['lint', '.', '--plugins'], dir);
    expect(loaded.code).toBe(2);
    expect(loaded.stderr).toBe(`stowage: ${join(dir, 'stowage.config.yaml')}:4:3: unknown rule "evil/rul" (did you mean "evil/rule"?)\n`);
  });
});

describe('plugin specifiers resolve inside the project or to installed packages', () => {
  /** A project folder `proj` inside a folder that also holds `outside.mjs`. */
  function nested(plugin: string): { dir: string; config: string } {
    const outer = project({ 'outside.mjs': EVIL, 'lib/x.mjs': EVIL });
    const dir = join(outer, 'proj');
    mkdirSync(dir);
    const config = join(dir, 'stowage.config.yaml');
    writeFileSync(config, `plugins:\n  - ${plugin}\n`);
    return { dir, config };
  }
  const outside = (dir: string, spec: string) => `plugin "${spec}" is outside the project (${dir}); name a file inside it or an installed package`;

  it('refuses ../', async () => {
    const { dir, config } = nested('../outside.mjs');
    expectAt(await configError(loadConfig(dir, undefined, { allowPlugins: true })), config, 2, 5, 19, outside(dir, '../outside.mjs'));
    expect(existsSync(join(dir, '..', 'marker'))).toBe(false);
  });

  it('refuses an absolute path outside', async () => {
    const outer = project({ 'outside.mjs': EVIL });
    const { dir, config } = nested(join(outer, 'outside.mjs'));
    const spec = join(outer, 'outside.mjs');
    expectAt(await configError(loadConfig(dir, undefined, { allowPlugins: true })), config, 2, 5, 5 + spec.length, outside(dir, spec));
    expect(existsSync(join(outer, 'marker'))).toBe(false);
  });

  it('refuses a symlink that leads out (file or folder), also with --config', async () => {
    const { dir, config } = nested('./link.mjs');
    symlinkSync(join(dir, '..', 'outside.mjs'), join(dir, 'link.mjs'));
    expectAt(await configError(loadConfig(dir, 'stowage.config.yaml')), config, 2, 5, 15, outside(dir, './link.mjs'));
    const other = nested('./lib/x.mjs');
    symlinkSync(join(other.dir, '..', 'lib'), join(other.dir, 'lib'));
    expectAt(await configError(loadConfig(other.dir, undefined, { allowPlugins: true })), other.config, 2, 5, 16, outside(other.dir, './lib/x.mjs'));
    expect(existsSync(join(dir, '..', 'marker'))).toBe(false);
    expect(existsSync(join(other.dir, '..', 'lib', 'marker'))).toBe(false);
  });

  it('the CLI reports the refusal with its location, exit 2', async () => {
    const { dir, config } = nested('../outside.mjs');
    const r = await run(['lint', '.', '--plugins'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`stowage: ${config}:2:5: ${outside(dir, '../outside.mjs')}\n`);
  });

  it('accepts a file inside (also through a symlink that stays inside) and an installed package', async () => {
    const dir = project({
      'stowage.config.yaml': 'plugins:\n  - ./rules/a.mjs\n  - ./alias.mjs\n  - acme-rules\n  - "@acme/more/extra.mjs"\n',
      'rules/a.mjs': "export default { id: 'acme/a', severity: 'error', description: 'a', check() {} };\n",
      'node_modules/acme-rules/package.json': '{ "name": "acme-rules", "main": "index.mjs" }\n',
      'node_modules/acme-rules/index.mjs': "export default [{ id: 'acme/b', severity: 'error', description: 'b', check() {} }];\n",
      'node_modules/@acme/more/package.json': '{ "name": "@acme/more" }\n',
      'node_modules/@acme/more/extra.mjs': "export const rules = [{ id: 'acme/c', severity: 'info', description: 'c', check() {} }];\n",
    });
    symlinkSync(join(dir, 'rules', 'a.mjs'), join(dir, 'alias.mjs'));
    const config = await loadConfig(dir, undefined, { allowPlugins: true });
    // The symlink reaches the same module: its rule is kept once.
    expect(config.plugins.map((p) => p.id)).toEqual(['acme/a', 'acme/b', 'acme/c']);
  });

  it('refuses built-in modules, path tricks in package names, missing files and packages', async () => {
    const cases: Array<[string, string]> = [
      ['fs', 'plugin "fs" is not an installed package (nothing found in node_modules)'],
      ['node:child_process', 'plugin "node:child_process" must be a path inside the project starting with ./ or the name of an installed package'],
      ['acme/../../outside.mjs', 'plugin "acme/../../outside.mjs" must be a path inside the project starting with ./ or the name of an installed package'],
      ['not-installed', 'plugin "not-installed" is not an installed package (nothing found in node_modules)'],
    ];
    for (const [spec, detail] of cases) {
      const { dir, config } = nested(spec);
      expectAt(await configError(loadConfig(dir, undefined, { allowPlugins: true })), config, 2, 5, 5 + spec.length, detail);
    }
    const { dir, config } = nested('./nope.mjs');
    expectAt(await configError(loadConfig(dir, undefined, { allowPlugins: true })), config, 2, 5, 15, `plugin "./nope.mjs" not found (looked for ${join(dir, 'nope.mjs')})`);
    mkdirSync(join(dir, 'folder.mjs'));
    writeFileSync(config, 'plugins:\n  - ./folder.mjs\n');
    expectAt(await configError(loadConfig(dir, undefined, { allowPlugins: true })), config, 2, 5, 17, 'plugin "./folder.mjs" is not a file');
  });
});

describe('extends reads presets, project files and installed packages only', () => {
  const outsideMsg = (dir: string, spec: string) => `extends "${spec}" is outside the project (${dir}); name a file inside it or an installed package`;

  it('refuses /etc/passwd and /dev/zero (outside the project, never opened)', async () => {
    for (const spec of ['/etc/passwd', '/dev/zero']) {
      const dir = project({ 'stowage.config.yaml': `extends: ${spec}\n` });
      expectAt(await configError(loadConfig(dir)), join(dir, 'stowage.config.yaml'), 1, 10, 10 + spec.length, outsideMsg(dir, spec));
    }
  });

  it('refuses a symlink to /dev/zero, a folder, a file over 1 MB and a FIFO, checked before reading', async () => {
    const dir = project({ 'big.yaml': `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`, 'ok.yaml': `# ${'x'.repeat(MAX_CONFIG_BYTES - 3)}\n` });
    const config = join(dir, 'stowage.config.yaml');
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
    mkdirSync(join(dir, 'folder'));
    const cases: Array<[string, string]> = [
      ['./zero.yaml', outsideMsg(dir, './zero.yaml')],
      ['./folder', 'extends "./folder" is not a regular file'],
      ['./big.yaml', 'extends "./big.yaml" is larger than 1 MB'],
    ];
    if (process.platform !== 'win32' && spawnSync('mkfifo', [join(dir, 'fifo.yaml')]).status === 0) cases.push(['./fifo.yaml', 'extends "./fifo.yaml" is not a regular file']);
    else expect.fail('mkfifo is needed for this test');
    for (const [spec, detail] of cases) {
      writeFileSync(config, `extends: ${spec}\n`);
      expectAt(await configError(loadConfig(dir)), config, 1, 10, 10 + spec.length, detail);
    }
    // Exactly 1 MB is read.
    writeFileSync(config, 'extends: ./ok.yaml\n');
    expect((await loadConfig(dir)).preset).toBe('recommended');
  });

  it('the config itself must be a regular file of at most 1 MB', async () => {
    const dir = project();
    const config = join(dir, 'stowage.config.yaml');
    expect(spawnSync('mkfifo', [config]).status).toBe(0);
    expect((await configError(loadConfig(dir))).message).toBe(`${config}: the config is not a regular file`);
    const other = project();
    symlinkSync('/dev/zero', join(other, 'stowage.config.yaml'));
    expect((await configError(loadConfig(other, 'stowage.config.yaml'))).message).toBe(`${join(other, 'stowage.config.yaml')}: the config is not a regular file`);
    const big = project({ 'stowage.config.yaml': `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n` });
    expect((await configError(loadConfig(big))).message).toBe(`${join(big, 'stowage.config.yaml')}: the config is larger than 1 MB`);
  });

  it('a config found by search that is a symlink out of its folder is refused (its content would show in messages)', async () => {
    const outer = project({ secret: 'ghp_token: 1\n', 'proj/inner.yaml': 'rules: {}\n' });
    const dir = join(outer, 'proj');
    const config = join(dir, 'stowage.config.yaml');
    symlinkSync(join(outer, 'secret'), config);
    const e = await configError(loadConfig(dir));
    expect(e.message).toBe(`${config}: the config is a symlink to ${join(outer, 'secret')}, outside its folder; name it with --config to use it`);
    expect(e.message).not.toContain('ghp_token');
    symlinkSync('/dev/zero', join(dir, 'stowage.config.yml'));
    // Named with --config, it is the user's choice (and still a regular file of at most 1 MB).
    expect((await configError(loadConfig(dir, 'stowage.config.yml'))).message).toBe(`${join(dir, 'stowage.config.yml')}: the config is not a regular file`);
    // A symlink that stays inside the folder is fine.
    const inside = project({ 'configs/stowage.yaml': 'extends: all\n' });
    symlinkSync(join(inside, 'configs', 'stowage.yaml'), join(inside, 'stowage.config.yaml'));
    expect((await loadConfig(inside)).preset).toBe('all');
  });

  it('a typo of a preset says so, with a did-you-mean', async () => {
    const dir = project({ 'stowage.config.yaml': 'extends: recomended\n' });
    const config = join(dir, 'stowage.config.yaml');
    expectAt(await configError(loadConfig(dir)), config, 1, 10, 20, 'unknown preset "recomended" in extends (did you mean "recommended"?)');
    writeFileSync(config, 'extends:\n  - recommended\n  - stowage:al\n');
    expectAt(await configError(loadConfig(dir)), config, 3, 5, 15, 'unknown preset "stowage:al" in extends (did you mean "stowage:all"?)');
    writeFileSync(config, 'extends: something-else\n');
    expectAt(await configError(loadConfig(dir)), config, 1, 10, 24, 'extends "something-else" is not a preset (recommended, all), a file in the project or an installed package');
    writeFileSync(config, 'extends: ./missing.yaml\n');
    expectAt(await configError(loadConfig(dir)), config, 1, 10, 24, `extends "./missing.yaml" not found (looked for ${join(dir, 'missing.yaml')})`);
  });

  it('presets (also stowage:-prefixed), project files and packages merge in order', async () => {
    const dir = project({
      'stowage.config.yaml': 'extends: [stowage:all, base.yaml, acme-config/stowage.yaml]\nrules:\n  ecs/image-tag: info\n',
      'base.yaml': 'rules:\n  ecs/image-tag: error\n  elb/no-classic-load-balancer: "off"\n',
      'node_modules/acme-config/package.json': '{ "name": "acme-config" }\n',
      'node_modules/acme-config/stowage.yaml': 'rules:\n  iam/task-role-per-service: warning\n',
    });
    const config = await loadConfig(dir);
    expect(config.preset).toBe('all');
    expect(config.rules).toEqual({ 'ecs/image-tag': 'info', 'elb/no-classic-load-balancer': 'off', 'iam/task-role-per-service': 'warning' });
  });

  it('a cycle is refused at the extends that closes it; a shared parent is not a cycle', async () => {
    const dir = project({ 'stowage.config.yaml': 'extends: ./a.yaml\n', 'a.yaml': 'extends: ./b.yaml\n', 'b.yaml': 'extends: ./a.yaml\n' });
    expectAt(await configError(loadConfig(dir)), join(dir, 'b.yaml'), 1, 10, 18, 'extends "./a.yaml" leads back to a config that extends it (a cycle)');
    const diamond = project({ 'stowage.config.yaml': 'extends: [./a.yaml, ./b.yaml]\n', 'a.yaml': 'extends: ./c.yaml\n', 'b.yaml': 'extends: ./c.yaml\n', 'c.yaml': 'extends: all\n' });
    expect((await loadConfig(diamond)).preset).toBe('all');
  });
});

describe('validation messages name the key as written', () => {
  const cases: Array<[string, string, [number, number, number, number?], string]> = [
    ['unknown top-level key with a hint', 'rule:\n  ecs/image-tag: error\n', [1, 1, 5], 'unknown key "rule" (did you mean "rules"?)'],
    ['unknown top-level key', 'ignore: [x]\n', [1, 1, 7], 'unknown key "ignore" (allowed: extends, rules, ignorePatterns, overrides, suppressions, plugins)'],
    ['unknown nested key', 'overrides:\n  - file: ["a.yaml"]\n', [2, 5, 9], 'unknown key "file" in overrides[0] (did you mean "files"?)'],
    ['enum', 'rules:\n  ecs/image-tag: fatal\n', [2, 18, 23], '"rules.ecs/image-tag" must be one of off, info, warning, error'],
    ['enum with a hint', 'rules:\n  ecs/image-tag: eror\n', [2, 18, 22], '"rules.ecs/image-tag" must be one of off, info, warning, error (did you mean "error"?)'],
    ['type', 'rules:\n  - ecs/image-tag\n', [1, 1, 6], '"rules" must be a mapping, not a list'],
    ['type of an empty value', 'ignorePatterns:\n', [1, 1, 15], '"ignorePatterns" must be a list (it is empty)'],
    ['type of the whole file', '- rules\n', [1, 1, 8], 'the config must be a mapping, not a list'],
    ['type of a list item', 'plugins:\n  - 42\n', [2, 5, 7], '"plugins[0]" must be a string, not a number'],
    ['required', 'overrides:\n  - rules: {}\n', [2, 5, 14], 'overrides[0] is missing "files"'],
    ['required in suppressions', 'suppressions:\n  - files: a.yaml\n    rule: ecs/image-tag\n', [2, 5, 24, 3], 'suppressions[0] is missing "reason"'],
    ['anyOf', 'extends:\n  preset: all\n', [1, 1, 8], '"extends" must be a string or a list of strings, not a mapping'],
    ['anyOf, a list item', 'overrides:\n  - files: [a.yaml, 3]\n', [2, 21, 22], '"overrides[0].files[1]" must be a string, not a number'],
    ['minLength', 'suppressions:\n  - files: a.yaml\n    rule: ecs/image-tag\n    reason: ""\n', [4, 13, 15], '"suppressions[0].reason" must not be empty'],
    ['blank reason', 'suppressions:\n  - files: a.yaml\n    rule: ecs/image-tag\n    reason: "  "\n', [4, 13, 17], '"suppressions[0].reason" must not be blank'],
    ['minItems', 'overrides:\n  - files: []\n', [2, 5, 10], '"overrides[0].files" must not be an empty list'],
    ['the first problem in the file', 'rules:\n  ecs/image-tag: fatal\nplugin: []\n', [2, 18, 23], '"rules.ecs/image-tag" must be one of off, info, warning, error'],
    ['duplicate key', 'rules: {}\nrules: {}\n', [2, 1, 6], 'duplicate key "rules"'],
  ];
  for (const [name, text, [line, column, endColumn, endLine], detail] of cases)
    it(name, async () => {
      const dir = project({ 'stowage.config.yaml': text });
      expectAt(await configError(loadConfig(dir)), join(dir, 'stowage.config.yaml'), line, column, endColumn, detail, endLine);
    });

  it('the keyword list is the schema\'s', () => {
    const used = new Set<string>();
    const walk = (s: unknown): void => {
      if (Array.isArray(s)) return s.forEach(walk);
      if (!s || typeof s !== 'object') return;
      for (const [k, v] of Object.entries(s)) {
        if (k !== 'properties' || !v || typeof v !== 'object') used.add(k);
        if (k === 'properties') {
          used.add(k);
          Object.values(v as object).forEach(walk);
        } else walk(v);
      }
    };
    walk(CONFIG_SCHEMA);
    expect([...used].sort()).toEqual([...SCHEMA_KEYWORDS].sort());
  });

  it('JSON configs are located the same way', async () => {
    const dir = project({ 'stowage.config.json': '{\n  "overrides": [{ "file": "a.yaml" }]\n}\n' });
    expectAt(await configError(loadConfig(dir)), join(dir, 'stowage.config.json'), 2, 19, 25, 'unknown key "file" in overrides[0] (did you mean "files"?)');
  });
});

describe('unknown rule ids', () => {
  const cases: Array<[string, string, [number, number], string]> = [
    ['rules', 'rules:\n  ecs/imag-tag: error\n', [2, 3], 'unknown rule "ecs/imag-tag" (did you mean "ecs/image-tag"?)'],
    ['overrides', 'overrides:\n  - files: a.yaml\n    rules:\n      elb/no-classic-loadbalancer: "off"\n', [4, 7], 'unknown rule "elb/no-classic-loadbalancer" (did you mean "elb/no-classic-load-balancer"?)'],
    ['suppressions', 'suppressions:\n  - files: a.yaml\n    rule: ecs/image-tags\n    reason: legacy\n', [3, 11], 'unknown rule "ecs/image-tags" (did you mean "ecs/image-tag"?)'],
    ['no close id', 'rules:\n  zzz/qqq: error\n', [2, 3], 'unknown rule "zzz/qqq" (run `stowage rules` to list them)'],
  ];
  for (const [name, text, [line, column], detail] of cases)
    it(`in ${name}: exit 2 with the location and a did-you-mean`, async () => {
      const dir = project({ 'stowage.config.yaml': text, 'stack.yaml': TEMPLATE });
      const r = await run(['lint', '.'], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`stowage: ${join(dir, 'stowage.config.yaml')}:${line}:${column}: ${detail}\n`);
      const rules = await run(['rules'], dir);
      expect(rules.code).toBe(2);
      expect(rules.stderr).toBe(r.stderr);
    });

  it('in --rule', async () => {
    const dir = project({ 'stack.yaml': TEMPLATE });
    const r = await run(['lint', '.', '--rule', 'ecs/imag-tag=error'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('stowage: --rule ecs/imag-tag=error: unknown rule "ecs/imag-tag" (did you mean "ecs/image-tag"?)\n');
  });

  it('the did-you-mean helper is the rules\' one', () => {
    expect(didYouMean).toBe(engineDidYouMean);
  });
});

describe('suppressions', () => {
  it('are validated and exposed with a matcher and their place in the file', async () => {
    const text = [
      'suppressions:',
      '  - files: "stacks/legacy-*.yaml"',
      '    rule: ecs/image-tag',
      '    entity: LegacyTask',
      '    reason: vendor image, pinned in 2026',
      '  - files: [old.yaml, "k8s/**"]',
      '    rule: k8s/no-privileged',
      '    reason: the node agent needs it',
      '',
    ].join('\n');
    const dir = project({ 'infra/stowage.config.yaml': text });
    const config = await loadConfig(join(dir, 'infra'));
    expect(config.baseDir).toBe(join(dir, 'infra'));
    const [a, b] = config.suppressions;
    expect(config.suppressions).toHaveLength(2);
    expect(a).toMatchObject({ files: ['stacks/legacy-*.yaml'], rule: 'ecs/image-tag', entity: 'LegacyTask', reason: 'vendor image, pinned in 2026' });
    expect(b).toMatchObject({ files: ['old.yaml', 'k8s/**'], rule: 'k8s/no-privileged', reason: 'the node agent needs it' });
    expect('entity' in b!).toBe(false);
    expect(a!.source.path).toBe(join(dir, 'infra', 'stowage.config.yaml'));
    expect(a!.source.text.slice(a!.start, a!.end)).toBe(
      'files: "stacks/legacy-*.yaml"\n    rule: ecs/image-tag\n    entity: LegacyTask\n    reason: vendor image, pinned in 2026',
    );
    expect(a!.source.position(b!.start)).toEqual({ line: 6, column: 5 });
    expect([a!.match('stacks/legacy-web.yaml'), a!.match('stacks/web.yaml'), a!.match('other/stacks/legacy-web.yaml')]).toEqual([true, false, false]);
    expect([b!.match('old.yaml'), b!.match('deep/old.yaml'), b!.match('k8s/a/b.yaml'), b!.match('old.yml')]).toEqual([true, false, true, false]);
    expect(config.ruleIds.map((r) => r.id)).toEqual(['ecs/image-tag', 'k8s/no-privileged']);
  });

  it('a pattern without a slash matches the file name at any depth', async () => {
    const dir = project({ 'stowage.config.yaml': 'suppressions:\n  - files: "*.json"\n    rule: ecs/image-tag\n    reason: generated\n' });
    const [s] = (await loadConfig(dir)).suppressions;
    expect([s!.match('a.json'), s!.match('x/y/a.json'), s!.match('a.yaml')]).toEqual([true, true, false]);
  });

  it('come with the config they extend', async () => {
    const dir = project({
      'stowage.config.yaml': 'extends: ./base.yaml\n',
      'base.yaml': 'suppressions:\n  - files: a.yaml\n    rule: ecs/image-tag\n    reason: legacy\n',
    });
    const config = await loadConfig(dir);
    expect(config.suppressions.map((s) => [s.rule, s.source.path])).toEqual([['ecs/image-tag', join(dir, 'base.yaml')]]);
  });
});
