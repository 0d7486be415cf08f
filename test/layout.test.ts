/**
 * The layout of src/rules/, checked from the source's syntax (imports as written, not text):
 *
 * 1. A rule library of one domain (`src/rules/<domain>/lib/*`) is imported only by files of that
 *    domain; a helper that more than one domain uses lives in `src/rules/lib/`.
 * 2. Outside the schema validators (`src/rules/cfn/` and files whose name contains `schema`), no
 *    rule file imports from `src/parsers/` or queries resources by type string
 *    (`model.resources('AWS::…')`, or through a constant: `model.all.resources(LISTENER)`): rules
 *    read the model's entities and answers.
 *
 * Today's offenders are listed in allow-lists, to be emptied as the work lands. Both checks fail
 * in both directions: a new offence fails, and so does an allow-listed one that no longer occurs
 * (remove it from the list, so that it cannot come back unnoticed).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, type TSESTree } from '@typescript-eslint/typescript-estree';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Rule-library modules imported from outside their domain, with those importers. Each module is to
 * be moved into src/rules/lib/ (and its importers pointed there); then its entry goes.
 */
const CROSS_DOMAIN_LIBS: Record<string, string[]> = {
  'src/rules/capacity/lib/instances.ts': ['src/rules/ecs/container-instances-join-cluster.ts'],
  'src/rules/capacity/lib/policies.ts': ['src/rules/ecs/instance-profile-for-container-instances.ts', 'src/rules/scaling/queue-worker-scaling.ts'],
  'src/rules/ecr/lib/plain.ts': ['src/rules/events/ecs-event-pattern.ts', 'src/rules/lib/iam-policy.ts'],
  'src/rules/ecs/lib/api-schema.ts': ['src/rules/cfn/lib/ecs-api-enums.ts'],
  'src/rules/k8s/lib/schema.ts': ['src/rules/eksctl/schema.ts'],
  'src/rules/scaling/lib/targets.ts': ['src/rules/ecs/instance-profile-for-container-instances.ts'],
};

/** Why a rule file is allow-listed below. */
type Offence = 'imports src/parsers/' | 'calls resources(type)';
const PARSERS: Offence = 'imports src/parsers/';
const TYPE_STRING: Offence = 'calls resources(type)';

/**
 * Rule files that import from src/parsers/ or query resources by type string. Each is to read
 * entities of the model instead; then its entry goes.
 */
const RAW_READERS: Record<string, Offence[]> = {
  'src/rules/capacity/ec2-service-without-capacity-provider.ts': [PARSERS],
  'src/rules/capacity/lib/instances.ts': [PARSERS],
  'src/rules/capacity/provider-not-associated.ts': [PARSERS],
  'src/rules/ecr/immutable-tags.ts': [TYPE_STRING],
  'src/rules/ecr/kms-encryption.ts': [TYPE_STRING],
  'src/rules/ecr/lib/plain.ts': [PARSERS],
  'src/rules/ecr/lifecycle-policy.ts': [TYPE_STRING],
  'src/rules/ecr/no-public-repository-policy.ts': [TYPE_STRING],
  'src/rules/ecr/scan-on-push.ts': [TYPE_STRING],
  'src/rules/ecs/image-tag.ts': [PARSERS],
  'src/rules/ecs/no-public-ip.ts': [TYPE_STRING],
  'src/rules/elb/https-listener.ts': [PARSERS, TYPE_STRING],
  'src/rules/elb/lib/elbv2.ts': [TYPE_STRING],
  'src/rules/elb/nlb-for-http.ts': [TYPE_STRING],
  'src/rules/events/ecs-event-pattern.ts': [PARSERS, TYPE_STRING],
  'src/rules/events/lib/targets.ts': [TYPE_STRING],
  'src/rules/iam/task-role-per-service.ts': [PARSERS],
  'src/rules/lib/iam-policy.ts': [PARSERS, TYPE_STRING],
  'src/rules/scaling/alb-request-count-resource-label.ts': [TYPE_STRING],
  'src/rules/scaling/lib/targets.ts': [PARSERS, TYPE_STRING],
  'src/rules/scaling/queue-worker-scaling.ts': [PARSERS],
  'src/rules/scaling/scalable-target.ts': [TYPE_STRING],
  'src/rules/scaling/scheduled-action.ts': [TYPE_STRING],
  'src/rules/scaling/step-scaling-alarm.ts': [TYPE_STRING],
  'src/rules/scaling/target-value.ts': [TYPE_STRING],
  'src/rules/storage/efs-encrypted.ts': [TYPE_STRING],
  'src/rules/storage/efs-multi-az.ts': [TYPE_STRING],
  'src/rules/storage/lib/services.ts': [PARSERS],
};

// ------------------------------------------------------------------ reading the source

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...tsFiles(rel));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out.sort();
}

interface Scanned {
  /** The repository-relative `.ts` path of every relative module the file imports or re-exports (type-only and `import()` included). */
  imports: string[];
  /** Calls `<x>.resources(<type>)`, and `resources('AWS::…')`: queries of CloudFormation resources by type string. */
  typeQueries: number;
}

function scan(file: string, text: string): Scanned {
  const ast = parse(text, { range: false, loc: false, comment: false, jsx: false });
  const specs: string[] = [];
  let typeQueries = 0;
  const visit = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) visit(x);
      return;
    }
    const node = n as TSESTree.Node;
    if ((node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ExportNamedDeclaration') && node.source) specs.push(node.source.value);
    if (node.type === 'ImportExpression' && node.source.type === 'Literal' && typeof node.source.value === 'string') specs.push(node.source.value);
    if (node.type === 'CallExpression' && node.arguments.length) {
      const c = node.callee;
      const a = node.arguments[0]!;
      if (c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier' && c.property.name === 'resources') typeQueries++;
      else if (c.type === 'Identifier' && c.name === 'resources' && a.type === 'Literal' && typeof a.value === 'string' && a.value.startsWith('AWS::')) typeQueries++;
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'parent' && v && typeof v === 'object') visit(v);
  };
  visit(ast.body);
  const imports = specs
    .filter((s) => s.startsWith('./') || s.startsWith('../'))
    .map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)).split('\\').join('/').replace(/\.js$/, '.ts'));
  return { imports, typeQueries };
}

const sources = new Map(tsFiles('src').map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));
const scanned = new Map([...sources].map(([f, text]) => [f, scan(f, text)]));

// ------------------------------------------------------------------ comparing with an allow-list

/** Found against allowed, both as key → items: one line for each difference, in either direction. */
function compare(found: Record<string, string[]>, allowed: Record<string, string[]>, say: { extra: (key: string, item: string) => string; gone: (key: string, item: string) => string }): string[] {
  const problems: string[] = [];
  for (const key of [...new Set([...Object.keys(found), ...Object.keys(allowed)])].sort()) {
    const f = new Set(found[key] ?? []);
    const a = new Set(allowed[key] ?? []);
    for (const x of [...f].filter((x) => !a.has(x)).sort()) problems.push(say.extra(key, x));
    for (const x of [...a].filter((x) => !f.has(x)).sort()) problems.push(say.gone(key, x));
  }
  return problems;
}

function domainOf(path: string): string | undefined {
  return /^src\/rules\/([^/]+)\//.exec(path)?.[1];
}

/** Every `src/rules/<domain>/lib/*` module imported from a file outside `src/rules/<domain>/`, with those files. */
function crossDomainImports(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [file, { imports }] of scanned)
    for (const t of imports) {
      const lib = /^src\/rules\/([^/]+)\/lib\//.exec(t);
      if (!lib || lib[1] === 'lib' || domainOf(file) === lib[1]) continue;
      (out[t] ??= []).push(file);
    }
  for (const k of Object.keys(out)) out[k] = [...new Set(out[k])].sort();
  return out;
}

/** Rule files (outside the schema validators) that import from src/parsers/ or query resources by type string. */
function rawReaders(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [file, { imports, typeQueries }] of scanned) {
    if (!file.startsWith('src/rules/') || file.startsWith('src/rules/cfn/') || file.slice(file.lastIndexOf('/') + 1).includes('schema')) continue;
    const offences: Offence[] = [];
    if (imports.some((t) => t.startsWith('src/parsers/'))) offences.push(PARSERS);
    if (typeQueries) offences.push(TYPE_STRING);
    if (offences.length) out[file] = offences;
  }
  return out;
}

const LIBS_SAY = {
  extra: (lib: string, importer: string) => `${importer} imports ${lib}, a library of another domain: move the module into src/rules/lib/ (or use what src/rules/lib/ has).`,
  gone: (lib: string, importer: string) => `${importer} no longer imports ${lib}: remove the pair from CROSS_DOMAIN_LIBS in test/layout.test.ts.`,
};

const RAW_SAY = {
  extra: (file: string, offence: string) => `${file} ${offence}: read the model's entities and answers instead.`,
  gone: (file: string, offence: string) => `${file} no longer ${offence}: remove it from RAW_READERS in test/layout.test.ts.`,
};

describe('layout of src/rules/', () => {
  it('reads imports and type-string queries from the syntax', () => {
    const text = [
      `import a from './x.js';`,
      `import type { B } from '../y.js';`,
      `export * from './z.js';`,
      `export { c } from './w.js';`,
      `const d = await import('./v.js');`,
      `import e from 'node:fs';`,
      `// import f from './commented.js'; model.resources('AWS::ECS::Service')`,
      `const s = "model.resources('AWS::ECS::Service')";`,
      `for (const l of model.all.resources(LISTENER)) use(l);`,
      `resources('AWS::SQS::Queue');`,
      `model.resources;`,
    ].join('\n');
    expect(scan('src/rules/ecs/r.ts', text)).toEqual({ imports: ['src/rules/ecs/x.ts', 'src/rules/y.ts', 'src/rules/ecs/z.ts', 'src/rules/ecs/w.ts', 'src/rules/ecs/v.ts'], typeQueries: 2 });
    // Every relative import of src/ resolves to a file the scan read (or generated data).
    const missing = [...scanned].flatMap(([f, { imports }]) => imports.filter((t) => !sources.has(t) && !t.startsWith('generated/') && !t.endsWith('.json')).map((t) => `${f} -> ${t}`));
    expect(missing).toEqual([]);
  });

  it('names each difference with an allow-list, in both directions', () => {
    expect(compare({ 'src/rules/eks/lib/fargate.ts': ['src/rules/k8s/no-privileged.ts'] }, {}, LIBS_SAY)).toEqual([
      'src/rules/k8s/no-privileged.ts imports src/rules/eks/lib/fargate.ts, a library of another domain: move the module into src/rules/lib/ (or use what src/rules/lib/ has).',
    ]);
    expect(compare({}, { 'src/rules/eks/lib/fargate.ts': ['src/rules/k8s/no-privileged.ts'] }, LIBS_SAY)).toEqual([
      'src/rules/k8s/no-privileged.ts no longer imports src/rules/eks/lib/fargate.ts: remove the pair from CROSS_DOMAIN_LIBS in test/layout.test.ts.',
    ]);
    expect(compare({ 'src/rules/ecs/a.ts': [PARSERS, TYPE_STRING] }, { 'src/rules/ecs/a.ts': [PARSERS] }, RAW_SAY)).toEqual([
      "src/rules/ecs/a.ts calls resources(type): read the model's entities and answers instead.",
    ]);
    expect(compare({}, { 'src/rules/ecs/a.ts': [PARSERS] }, RAW_SAY)).toEqual(['src/rules/ecs/a.ts no longer imports src/parsers/: remove it from RAW_READERS in test/layout.test.ts.']);
  });

  it('a rule library of one domain is imported only by that domain (shared helpers live in src/rules/lib/)', () => {
    const problems = compare(crossDomainImports(), CROSS_DOMAIN_LIBS, LIBS_SAY);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('no rule outside the schema validators imports from src/parsers/ or queries resources by type string', () => {
    const problems = compare(rawReaders(), RAW_READERS, RAW_SAY);
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
