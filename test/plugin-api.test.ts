/**
 * The surface plugin authors use: the exact names of the package entry (so an addition is a
 * decision), a plugin written against `stowage` and `stowage/testing` that type-checks, and the
 * checks plugin rules go through when a config loads them.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as entry from '../src/index.js';
import * as testing from '../src/testing/index.js';
import { ConfigError, loadConfig } from '../src/engine/config.js';
import { main, type Io } from '../src/cli/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'plugin-api');

const VALUES = [
  'AutoScalingGroup',
  'CapacityProvider',
  'CapacityProviderAssociation',
  'CfnResource',
  'ClassicLoadBalancer',
  'Cluster',
  'ConfigError',
  'Container',
  'Ec2Instance',
  'EcsVolume',
  'EksAddon',
  'EksCluster',
  'EksFargateProfile',
  'EksNodegroup',
  'EksPodIdentityAssociation',
  'EksctlAddon',
  'EksctlClusterConfig',
  'EksctlConfig',
  'EksctlFargateProfile',
  'EksctlNodeGroup',
  'EksctlServiceAccount',
  'Entity',
  'FileView',
  'InstanceProfile',
  'K8sContainer',
  'K8sObject',
  'K8sService',
  'LaunchConfiguration',
  'LaunchTemplate',
  'Model',
  'Obj',
  'Prop',
  'Role',
  'Service',
  'TargetGroup',
  'TaskDefinition',
  'Template',
  'Workload',
  'all',
  'any',
  'builtinRules',
  'defineRule',
  'discover',
  'every',
  'isKnown',
  'isUnknown',
  'key',
  'known',
  'lint',
  'loadConfig',
  'not',
  'reasonOf',
  'some',
  'tri',
  'unknown',
  'valueOf',
];

const TYPES = [
  'Absent',
  'Bootstrap',
  'Candidate',
  'CdkStack',
  'ContainerLike',
  'ControlPlaneLogging',
  'DiscoverResult',
  'EksClusterLike',
  'EksClusterSource',
  'EntityScope',
  'FileResult',
  'Finding',
  'FindingFix',
  'FindingLocation',
  'Format',
  'InstanceLauncher',
  'KeyName',
  'Known',
  'KnownRole',
  'KubernetesVersion',
  'LintInput',
  'LintOptions',
  'LintOutput',
  'LoadConfigOptions',
  'MapNode',
  'MessageData',
  'Node',
  'Origin',
  'Pair',
  'ParsedDocument',
  'ParsedFile',
  'Position',
  'PublicEndpoint',
  'Range',
  'ReportOptions',
  'Resolved',
  'ResolvedConfig',
  'RoleRef',
  'Rule',
  'RuleContext',
  'RuleDefinition',
  'RuleMeta',
  'ScalarNode',
  'ScalarValue',
  'Scope',
  'SecretsEncryption',
  'SeqNode',
  'Severity',
  'SeveritySetting',
  'SourceFile',
  'Syntax',
  'Target',
  'Tri',
  'Unknown',
  'Value',
];

/**
 * One program for every compiler question (a program takes seconds): the fixtures, written against
 * `stowage` and `stowage/testing`, which `paths` maps to the sources.
 */
let shared: ts.Program | undefined;
function program(): ts.Program {
  return (shared ??= ts.createProgram([join(FIXTURES, 'plugin.ts'), join(FIXTURES, 'misuse.ts')], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    paths: { stowage: [join(ROOT, 'src', 'index.ts')], 'stowage/testing': [join(ROOT, 'src', 'testing', 'index.ts')] },
  }));
}

/** Every name a module exports, types included, as the compiler sees it. */
function exportedNames(file: string): string[] {
  const checker = program().getTypeChecker();
  const source = program().getSourceFile(file);
  expect(source, file).toBeDefined();
  return checker.getExportsOfModule(checker.getSymbolAtLocation(source!)!).map((s) => s.name).sort();
}

/** The type errors of a fixture, as `file:line: message` (first line). */
function typeErrors(name: string): string[] {
  const file = program().getSourceFile(join(FIXTURES, name))!;
  return [...program().getSyntacticDiagnostics(file), ...program().getSemanticDiagnostics(file)].map(
    (d) => `${name}:${file.getLineAndCharacterOfPosition(d.start!).line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0]}`,
  );
}

describe('the package entry', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(entry).sort()).toEqual(VALUES);
  });

  it('exports exactly these names, types included (no helpers such as isMapNode, isScalar or isWorkloadKind)', () => {
    expect(exportedNames(join(ROOT, 'src', 'index.ts'))).toEqual([...VALUES, ...TYPES].sort());
  });

  it('stowage/testing exports RuleTester and the types of its cases', () => {
    expect(Object.keys(testing)).toEqual(['RuleTester']);
    expect(exportedNames(join(ROOT, 'src', 'testing', 'index.ts'))).toEqual(['InvalidTestCase', 'RuleTester', 'RuleTesterFile', 'RuleTests', 'TestCaseError', 'ValidTestCase']);
  });

  it('package.json maps stowage/testing to the built module and its types', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    expect(pkg.exports).toEqual({
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './testing': { types: './dist/testing/index.d.ts', default: './dist/testing/index.js' },
      './package.json': './package.json',
    });
    // tsconfig.build.json compiles all of src/, so the build writes them (npm test builds first).
    if (existsSync(join(ROOT, 'dist', 'index.js'))) for (const f of ['index.js', 'index.d.ts', 'testing/index.js', 'testing/index.d.ts']) expect(existsSync(join(ROOT, 'dist', f)), f).toBe(true);
  });

  it('a plugin and its RuleTester cases written against stowage type-check', () => {
    expect(typeErrors('plugin.ts')).toEqual([]);
  }, 60_000);

  it('what is not offered does not type-check', () => {
    expect(typeErrors('misuse.ts')).toEqual([
      `misuse.ts:2: '"stowage"' has no exported member named 'isMapNode'. Did you mean 'MapNode'?`,
      `misuse.ts:6: Type '"fatal"' is not assignable to type 'Severity'.`,
      `misuse.ts:7: Property 'filename' is missing in type '{ code: string; }' but required in type 'ValidTestCase'.`,
    ]);
  }, 60_000);
});

// ---- Plugin rules are checked like built-in ones ----

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-plugin-api-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function configError(files: Record<string, string>): Promise<string> {
  const dir = project(files);
  try {
    await loadConfig(dir, undefined, { allowPlugins: true });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message.replace(dir + '/', '');
  }
  throw new Error('no ConfigError');
}

const rule = (fields: string) => `export default { ${fields} };\n`;
const CHECK = 'check() {}';

describe('plugin rules', () => {
  it('need an id, a severity, a description and a check function, and other fields of the right type', async () => {
    const cases: Array<[string, string]> = [
      [`severity: 'error', description: 'd', ${CHECK}`, 'plugin "./p.mjs" exports an invalid rule: a rule has no id (expected a string "<domain>/<name>")'],
      [`id: 7, severity: 'error', description: 'd', ${CHECK}`, 'plugin "./p.mjs" exports an invalid rule: a rule has no id (expected a string "<domain>/<name>")'],
      [`id: 'acme/a', description: 'd', ${CHECK}`, 'plugin "./p.mjs" exports an invalid rule: rule "acme/a" has no severity (expected "error", "warning" or "info")'],
      [`id: 'acme/a', severity: 'fatal', description: 'd', ${CHECK}`, 'plugin "./p.mjs" exports an invalid rule: rule "acme/a" has severity "fatal" (expected "error", "warning" or "info")'],
      [`id: 'acme/a', severity: 'off', description: 'd', ${CHECK}`, 'plugin "./p.mjs" exports an invalid rule: rule "acme/a" has severity "off" (expected "error", "warning" or "info")'],
      [`id: 'acme/a', severity: 'error', ${CHECK}`, 'plugin "./p.mjs" exports an invalid rule: rule "acme/a" has no description (expected one line of text)'],
      [`id: 'acme/a', severity: 'error', description: ' ', ${CHECK}`, 'plugin "./p.mjs" exports an invalid rule: rule "acme/a" has no description (expected one line of text)'],
      [`id: 'acme/a', severity: 'error', description: 'd'`, 'plugin "./p.mjs" exports an invalid rule: rule "acme/a" has no check function'],
      [`id: 'acme/a', severity: 'error', description: 'd', check: 'yes'`, 'plugin "./p.mjs" exports an invalid rule: rule "acme/a" has no check function'],
      [`id: 'acme/a', severity: 'error', description: 'd', docs: 3, ${CHECK}`, 'plugin "./p.mjs" exports an invalid rule: rule "acme/a" has docs that is not a string (expected a URL or a path)'],
      [`id: 'acme/a', severity: 'error', description: 'd', recommended: 'no', ${CHECK}`, 'plugin "./p.mjs" exports an invalid rule: rule "acme/a" has recommended that is not true or false'],
      // defineRule's check of the id, as for built-in rules.
      [`id: 'Acme_Rule', severity: 'error', description: 'd', ${CHECK}`, 'plugin "./p.mjs" exports an invalid rule: rule id "Acme_Rule" must look like <domain>/<name>'],
      [`id: 'acme', severity: 'error', description: 'd', ${CHECK}`, 'plugin "./p.mjs" exports an invalid rule: rule id "acme" must look like <domain>/<name>'],
    ];
    for (const [fields, detail] of cases)
      expect(await configError({ 'stowage.config.yaml': 'plugins:\n  - ./p.mjs\n', 'p.mjs': rule(fields) })).toBe(`stowage.config.yaml:2:5: ${detail}`);
    expect(await configError({ 'stowage.config.yaml': 'plugins:\n  - ./p.mjs\n', 'p.mjs': 'export default [42];\n' })).toBe(
      'stowage.config.yaml:2:5: plugin "./p.mjs" exports something that is not a rule (expected { id, severity, description, check })',
    );
  });

  it('may not take the id of a built-in rule', async () => {
    const detail = await configError({ 'stowage.config.yaml': 'rules: {}\nplugins:\n  - ./mine.mjs\n', 'mine.mjs': rule(`id: 'ecs/image-tag', severity: 'error', description: 'd', ${CHECK}`) });
    expect(detail).toBe('stowage.config.yaml:3:5: plugin "./mine.mjs" defines rule "ecs/image-tag", which is a built-in rule of stowage; give the plugin\'s rule an id in its own domain');
  });

  it("may not take another plugin's id, in one config, across extends, or twice in one plugin", async () => {
    const a = rule(`id: 'acme/a', severity: 'error', description: 'a', ${CHECK}`);
    const alsoA = rule(`id: 'acme/a', severity: 'info', description: 'another a', ${CHECK}`);
    expect(await configError({ 'stowage.config.yaml': 'plugins:\n  - ./one.mjs\n  - ./two.mjs\n', 'one.mjs': a, 'two.mjs': alsoA })).toBe(
      'stowage.config.yaml:3:5: plugin "./two.mjs" defines rule "acme/a", which plugin "./one.mjs" defines too; each rule needs an id of its own',
    );
    // Two configs the main one extends, each with its plugin: reported at the later one.
    expect(
      await configError({
        'stowage.config.yaml': 'extends:\n  - ./base-one.yaml\n  - ./base-two.yaml\n',
        'base-one.yaml': 'plugins:\n  - ./one.mjs\n',
        'base-two.yaml': 'plugins:\n  - ./two.mjs\n',
        'one.mjs': a,
        'two.mjs': alsoA,
      }),
    ).toBe('base-two.yaml:2:5: plugin "./two.mjs" defines rule "acme/a", which plugin "./one.mjs" defines too; each rule needs an id of its own');
    expect(
      await configError({
        'stowage.config.yaml': 'plugins:\n  - ./both.mjs\n',
        'both.mjs': `export default [${a.slice('export default '.length, -2)}, ${alsoA.slice('export default '.length, -2)}];\n`,
      }),
    ).toBe('stowage.config.yaml:2:5: plugin "./both.mjs" defines rule "acme/a" twice; each rule needs an id of its own');
  });

  it('the same plugin named by a config and the config it extends is loaded once', async () => {
    const dir = project({
      'stowage.config.yaml': 'extends: ./base.yaml\nplugins:\n  - ./one.mjs\n',
      'base.yaml': 'plugins:\n  - ./one.mjs\n',
      'one.mjs': `export default [${rule(`id: 'acme/a', severity: 'error', description: 'a', ${CHECK}`).slice('export default '.length, -2)}, ${rule(`id: 'acme/b', severity: 'info', description: 'b', ${CHECK}`).slice('export default '.length, -2)}];\n`,
    });
    const config = await loadConfig(dir, undefined, { allowPlugins: true });
    expect(config.plugins.map((r) => [r.id, r.docs])).toEqual([
      ['acme/a', './one.mjs'],
      ['acme/b', './one.mjs'],
    ]);
  });

  it('a clash is a config error of the CLI: exit 2, both named', async () => {
    const dir = project({
      'stowage.config.yaml': 'plugins:\n  - ./mine.mjs\n',
      'mine.mjs': rule(`id: 'ecs/image-tag', severity: 'error', description: 'd', ${CHECK}`),
      'stack.yaml': 'Resources: {}\n',
    });
    const out: string[] = [];
    const err: string[] = [];
    const io: Io = { cwd: dir, stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), isTTY: false, readStdin: () => '' };
    const code = await main(['lint', 'stack.yaml', '--plugins'], io);
    expect(code).toBe(2);
    expect(err.join('')).toBe(
      `stowage: ${join(dir, 'stowage.config.yaml')}:2:5: plugin "./mine.mjs" defines rule "ecs/image-tag", which is a built-in rule of stowage; give the plugin's rule an id in its own domain\n`,
    );
    expect(out.join('')).toBe('');
  });
});
