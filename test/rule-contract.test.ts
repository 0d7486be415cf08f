// The rule contract v2: message ids and data, keys in the file's spelling, options from the config.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../src/cli/index.js';
import { defaultConfig, loadConfig } from '../src/engine/config.js';
import { lint } from '../src/engine/lint.js';
import { camelKey, defineRule, key, renderMessage, spellKey, type AnyRule } from '../src/engine/rule.js';
import { discover } from '../src/engine/discover.js';
import { clearCdkCaches } from '../src/cdk/map.js';
import { FIXTURES, ROOT } from './helpers/fixtures.js';

const tmp: string[] = [];
afterAll(() => {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-contract-'));
  tmp.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function run(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), cwd, isTTY: false, readStdin: () => '' };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** A rule that names a container key, for the spelling tests. */
const privileged = defineRule({
  id: 'acme/privileged',
  severity: 'warning',
  description: 'Names Privileged.',
  meta: { messages: { set: 'Container {{container}} sets {{key}}; remove {{key}}.' } },
  check({ model, report }) {
    for (const td of model.taskDefinitions)
      for (const c of td.containers) {
        const p = c.privileged;
        if (p.present) report(p, 'set', { container: c.label, key: key('Privileged') }, { atKey: true });
      }
  },
});

const TASKDEF_JSON = '{\n  "family": "web",\n  "containerDefinitions": [\n    { "name": "app", "image": "nginx:1.27", "privileged": true }\n  ]\n}\n';
const TEMPLATE = 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n          Image: nginx:1.27\n          Privileged: true\n';

function lintText(rule: AnyRule, path: string, text: string) {
  return lint([{ path, text, explicit: true }], { rules: [rule], config: { ...defaultConfig(ROOT), preset: 'all' } }).results[0]!.findings;
}

describe('keys in the spelling of the file', () => {
  it('camelCase as the ECS API and JSII spell CloudFormation names', () => {
    expect(['ReadonlyRootFilesystem', 'EFSVolumeConfiguration', 'IPCMode', 'Cpu', 'CPU', 'IAM', 'ContainerDefinitions', 'taskRoleArn', 'IDs', 'Ulimits'].map(camelKey)).toEqual([
      'readonlyRootFilesystem',
      'efsVolumeConfiguration',
      'ipcMode',
      'cpu',
      'cpu',
      'iam',
      'containerDefinitions',
      'taskRoleArn',
      'ids',
      'ulimits',
    ]);
    expect(spellKey('LogConfiguration.Options', 'camel')).toBe('logConfiguration.options');
    expect(spellKey('LogConfiguration.Options', 'as-written')).toBe('LogConfiguration.Options');
  });

  it('fills placeholders (spaces allowed), keeps an unfilled one as written', () => {
    expect(renderMessage('Set {{ key }} on {{name}} ({{n}}, {{b}}); {{missing}}.', { key: key('ReadonlyRootFilesystem'), name: 'web', n: 3, b: false }, 'camel')).toBe(
      'Set readonlyRootFilesystem on web (3, false); {{missing}}.',
    );
  });

  it('task-definition JSON: camelCase keys, the family and container as entity', () => {
    const [f] = lintText(privileged, '/x/web.json', TASKDEF_JSON);
    expect(f).toMatchObject({
      ruleId: 'acme/privileged',
      messageId: 'set',
      data: { container: '"app"', key: 'privileged' },
      message: 'Container "app" sets privileged; remove privileged.',
      entity: 'web/app',
      line: 4,
      column: 45,
      endLine: 4,
      endColumn: 57,
    });
  });

  it('CloudFormation: as written, the logical id as entity', () => {
    const [f] = lintText(privileged, '/x/t.yaml', TEMPLATE);
    expect(f).toMatchObject({ messageId: 'set', message: 'Container "app" sets Privileged; remove Privileged.', entity: 'Task', line: 8, column: 11 });
  });

  it('CDK: a finding moved to the TypeScript names the construct prop', () => {
    clearCdkCaches();
    const found = discover([join(FIXTURES, 'cdk', 'orders')], ROOT);
    const out = lint(
      found.files.map((f) => ({ path: f.path, explicit: false, ...(f.cdk ? { cdk: f.cdk } : {}) })),
      { rules: [privileged], config: { ...defaultConfig(ROOT), preset: 'all' }, cdkLocations: 'source' },
    );
    const moved = out.results.flatMap((r) => r.findings).filter((f) => f.file.path.endsWith('.ts'));
    expect(moved.length).toBeGreaterThan(0);
    for (const f of moved) {
      expect(f.message).toContain('sets privileged; remove privileged.');
      expect(f.data?.key).toBe('privileged');
    }
    const kept = lint(
      found.files.map((f) => ({ path: f.path, explicit: false, ...(f.cdk ? { cdk: f.cdk } : {}) })),
      { rules: [privileged], config: { ...defaultConfig(ROOT), preset: 'all' }, cdkLocations: 'off' },
    );
    expect(kept.results.flatMap((r) => r.findings).every((f) => f.message.includes('sets Privileged;'))).toBe(true);
  });
});

describe('what a report must give', () => {
  const bad = (check: AnyRule['check']) =>
    lintText(defineRule({ id: 'acme/bad', severity: 'info', description: 'x', meta: { messages: { one: 'One {{x}}.' } }, check }), '/x/t.yaml', TEMPLATE);

  it('a message id meta.messages does not define is an internal error of the rule', () => {
    const [f] = bad(({ model, report }) => report(model.taskDefinitions[0]!, 'two', { x: 1 }));
    expect(f).toMatchObject({ fatal: true, message: 'Internal error in rule acme/bad: report() was given the message id the string "two", which meta.messages does not define.' });
  });

  it('a placeholder without data is an internal error; the valid findings are kept', () => {
    const out = bad(({ model, report }) => {
      report(model.taskDefinitions[0]!, 'one', { x: 'ok' });
      report(model.taskDefinitions[0]!, 'one', {});
    });
    expect(out.map((f) => f.message)).toEqual(['Internal error in rule acme/bad: report() was given no data for {{x}} of message "one".', 'One ok.']);
  });

  it('defineRule refuses messages that are not strings', () => {
    expect(() => defineRule({ id: 'acme/x', severity: 'info', description: 'x', meta: { messages: { a: '' } }, check() {} })).toThrow('rule acme/x: message "a" must be a non-empty string');
  });
});

describe('options from the config', () => {
  const rule = 'ecs/readonly-root-filesystem';

  it("[severity, options] for a rule that takes none is a located config error (exit 2)", async () => {
    const dir = project({ 'stowage.config.yaml': `rules:\n  ${rule}:\n    - error\n    - { nope: 1 }\n`, 't.yaml': TEMPLATE });
    const r = await run(['lint', 't.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`stowage: ${join(dir, 'stowage.config.yaml')}:4:7: rule ${rule} takes no options\n`);
  });

  it('the list form is checked item by item', async () => {
    for (const [text, where, msg] of [
      [`rules:\n  ${rule}: [warn]\n`, '2:34', `"rules.${rule}[0]" must be one of off, info, warning, error`],
      [`rules:\n  ${rule}: [warning, 3]\n`, '2:43', `"rules.${rule}[1]" must be a mapping of the rule's options`],
      [`rules:\n  ${rule}: [warning, {}, {}]\n`, '2:47', `"rules.${rule}" takes a severity and one mapping of options, not more`],
      [`rules:\n  ${rule}: []\n`, '2:3', `"rules.${rule}" must not be an empty list`],
    ] as const) {
      const dir = project({ 'stowage.config.yaml': text, 't.yaml': TEMPLATE });
      const r = await run(['lint', 't.yaml'], dir);
      expect(r.code, text).toBe(2);
      expect(r.stderr, text).toBe(`stowage: ${join(dir, 'stowage.config.yaml')}:${where}: ${msg}\n`);
    }
  });

  it('[severity] alone sets the severity; options reach context.options merged over defaultOptions, overrides replace them', async () => {
    const dir = project({
      'stowage.config.yaml': `rules:\n  ${rule}: [error]\n  acme/opts: [warning, { max: 3 }]\noverrides:\n  - files: "b/*.yaml"\n    rules:\n      acme/opts: [info, { max: 9 }]\n`,
    });
    const config = await loadConfig(dir);
    expect(config.rules[rule]).toBe('error');
    const seen: unknown[] = [];
    const opts = defineRule({
      id: 'acme/opts',
      severity: 'info',
      description: 'x',
      meta: { messages: { m: 'M.' }, schema: { type: 'object', properties: { max: { type: 'number' }, min: { type: 'number' } }, additionalProperties: false } },
      defaultOptions: { min: 1, max: 2 },
      check({ options }) {
        seen.push(options);
      },
    });
    lint(
      [
        { path: join(dir, 'a.yaml'), text: TEMPLATE, explicit: true },
        { path: join(dir, 'b', 'c.yaml'), text: TEMPLATE, explicit: true },
      ],
      { rules: [opts], config },
    );
    expect(seen).toEqual([
      { min: 1, max: 3 },
      { min: 1, max: 9 },
    ]);
  });
});
