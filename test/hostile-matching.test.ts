/**
 * Matching and scanning of text from the linted repository: wildcards (ECR filters, Fargate selectors,
 * iam:PassRole resources), globs (config, .gitignore), and long values (environment, user data) stay
 * linear. Speed is asserted against an input ten times smaller (never a wall clock). The hand-written
 * scanners are also compared with the regular expressions they replace, on generated inputs.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import picomatch from 'picomatch';
import { globMatcher, partsMatch, wildcardMatch } from '../src/engine/glob.js';
import { discover } from '../src/engine/discover.js';
import { lint, type LintInput } from '../src/engine/lint.js';
import { loadConfig, severityFor } from '../src/engine/config.js';
import { builtinRules } from '../src/rules/index.js';
import { namespaceMatches } from '../src/rules/eks/lib/fargate.js';
import { globMatch } from '../src/rules/lib/iam-policy.js';
import { frameParts } from '../src/cdk/trace.js';
import { nextLineDirective } from '../src/lsp/actions.js';
import { bracedPieces, endsWithMustache, hasMustache, hasPlaceholder, replaceUnknownParts, splitOnPieces } from '../src/parsers/text-scan.js';
import { ecrTemplate, environmentTaskDefinition, fargateFiles, passRoleTemplate, scalingRatio, starPattern, userDataTemplate } from './helpers/hostile.js';

// Folders whose name ends in `locked` cannot be read (the tests run as root, where chmod does not stop a read).
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const readdirSync = ((path: fs.PathLike, options?: unknown) => {
    if (String(path).endsWith('locked')) throw Object.assign(new Error(`EACCES: permission denied, scandir '${String(path)}'`), { code: 'EACCES' });
    return (real.readdirSync as (p: fs.PathLike, o?: unknown) => unknown)(path, options);
  }) as typeof real.readdirSync;
  return { ...real, default: { ...real, readdirSync }, readdirSync };
});

const rulesNamed = (...ids: string[]) => builtinRules.filter((r) => ids.includes(r.id));
const run = (inputs: LintInput[], ids: string[]) =>
  lint(inputs.map((i) => ({ ...i, explicit: true })), { rules: rulesNamed(...ids) }).results.flatMap((r) => r.findings.map((f) => `${f.line}:${f.column} ${f.ruleId}`));

/** Scaling is linear: ten times the input takes well under twenty times as long (quadratic: a hundred). */
const LINEAR = 20;

const tmp = mkdtempSync(join(tmpdir(), 'stowage-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('wildcards from the linted files', () => {
  test('wildcardMatch: IAM (case, ?), ECR (only *), Fargate (* and ?)', () => {
    expect(wildcardMatch('ecs:Submit*', 'ECS:SUBMITTASKSTATECHANGE', { caseInsensitive: true })).toBe(true);
    expect(wildcardMatch('ecs:Submit*', 'ECS:SUBMITTASKSTATECHANGE')).toBe(false);
    expect(wildcardMatch('prod-?', 'prod-a')).toBe(false);
    expect(wildcardMatch('prod-?', 'prod-?')).toBe(true);
    expect(wildcardMatch('prod-?', 'prod-a', { questionMark: true })).toBe(true);
    expect(wildcardMatch('a*b*c', 'a/x/b/y/c')).toBe(true);
    expect(wildcardMatch('*', '')).toBe(true);
    expect(wildcardMatch('', 'a')).toBe(false);
    expect(wildcardMatch('a.c', 'abc')).toBe(false);
    expect(namespaceMatches('batch-*', 'batch-reports')).toBe(true);
    expect(namespaceMatches('team-?', 'team-ab')).toBe(false);
    expect(globMatch('arn:aws:iam::*:role/App*', 'ARN:AWS:IAM::1:ROLE/APPTASK')).toBe(true);
  });

  test('wildcardMatch agrees with the anchored regular expressions it replaces', () => {
    const rng = random(7);
    for (let k = 0; k < 20000; k++) {
      const p = rng.text('ab*?.', 7);
      const t = rng.text('abAB?*.', 7);
      const iam = new RegExp('^' + p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
      expect(wildcardMatch(p, t, { caseInsensitive: true, questionMark: true }), `${p} ${t}`).toBe(iam.test(t));
      const ecr = new RegExp('^' + p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
      expect(wildcardMatch(p, t), `${p} ${t}`).toBe(ecr.test(t));
    }
  });

  test.each([10, 12])('%i stars against a name of a’s: linear in the name', (stars) => {
    const p = starPattern(stars);
    expect(wildcardMatch(p, 'a'.repeat(600))).toBe(false);
    expect(wildcardMatch(p, `${'a'.repeat(600)}b`)).toBe(true);
    const name = (n: number) => 'a'.repeat(n);
    expect(scalingRatio((n) => repeat(20, () => wildcardMatch(p, name(n), { caseInsensitive: true, questionMark: true })), 2000)).toBeLessThan(LINEAR);
  });

  test('ECR registry scanning filter with 12 stars (a 600-byte template)', () => {
    const text = ecrTemplate(12, 200);
    expect(text.length).toBeGreaterThan(550);
    expect(text.length).toBeLessThan(700);
    expect(run([{ path: '/hostile/ecr.yaml', text }], ['ecr/scan-on-push'])).toEqual(['12:3 ecr/scan-on-push']);
    expect(run([{ path: '/hostile/ecr.yaml', text: ecrTemplate(12, 200, true) }], ['ecr/scan-on-push'])).toEqual([]);
    expect(scalingRatio((n) => run([{ path: '/hostile/ecr.yaml', text: ecrTemplate(12, n) }], ['ecr/scan-on-push']), 500)).toBeLessThan(LINEAR);
  });

  test('Fargate profile namespace selector with 12 stars', () => {
    const files = (n: number, matching = false) => fargateFiles(12, n, matching).map((f) => ({ ...f }));
    expect(run(files(500), ['eks/fargate-incompatible-pod'])).toEqual([]);
    expect(run(files(500, true), ['eks/fargate-incompatible-pod'])).toEqual(['15:20 eks/fargate-incompatible-pod']);
    expect(scalingRatio((n) => run(files(n), ['eks/fargate-incompatible-pod']), 500)).toBeLessThan(LINEAR);
  });

  test('iam:PassRole resource with 12 stars against the task role name', () => {
    expect(run([{ path: '/hostile/passrole.yaml', text: passRoleTemplate(12, 500) }], ['events/ecs-target-role'])).toEqual(['46:20 events/ecs-target-role']);
    expect(run([{ path: '/hostile/passrole.yaml', text: passRoleTemplate(12, 500, true) }], ['events/ecs-target-role'])).toEqual([]);
    expect(scalingRatio((n) => run([{ path: '/hostile/passrole.yaml', text: passRoleTemplate(12, n) }], ['events/ecs-target-role']), 500)).toBeLessThan(LINEAR);
  });

  test('partsMatch (generated logical ids, CDK template-literal ids) agrees with the patterns it replaces', () => {
    const rng = random(3);
    for (let k = 0; k < 20000; k++) {
      const parts = rng.text('ab-', 6).split('-');
      const t = rng.text('ab.', 8);
      expect(partsMatch(parts, t, (c) => c === 97), `${parts} ${t}`).toBe(new RegExp('^' + parts.join('[a]*') + '$').test(t));
      expect(partsMatch(parts, t, (c) => c !== 10, 1), `${parts} ${t}`).toBe(new RegExp('^' + parts.join('(.+)') + '$').test(t));
    }
    expect(scalingRatio((n) => repeat(20, () => partsMatch(['a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'b'], 'a'.repeat(n), () => true, 1)), 2000)).toBeLessThan(LINEAR);
  });
});

describe('globs from the linted repository', () => {
  test('globMatcher agrees with picomatch on ordinary patterns', () => {
    const patterns = ['a/**', '**', '**/*.yaml', '*.yaml', 'a/**/b', 'a**b', 'a/*', '{a,b}/c', '{a}/c', '[abc]x', '[^abc]x', '[a-c]x', 'a?', './a', '{a,b/**}', 'x/{a,**/b}', '**/node_modules/**', 'test/**/*.{yaml,yml}', '.github/**', '*.{json,yaml}', 'a\\*b', 'cdk.out/**', '**/cdk.out/**', 'a/[b-d]/*.json', 'src/**/test-*.yaml'];
    const paths = ['a', 'a/b', 'a/b/c', 'a/.b', '.a', 'x.yaml', '.x/y.yaml', '.x.yaml', 'd/x.yaml', 'axxb', 'ax/xb', 'b/c', '{a}/c', 'a/c', 'bx', 'dx', 'a/x/y/b', 'x/y/b', 'b/c/d', 'node_modules/a.yaml', 'p/node_modules/x/y.json', 'test/a/b.yml', 'test/b.yaml', '.github/w.yaml', 'q.json', 'a*b', 'aXb', 'cdk.out/t.json', 'k/cdk.out/t.json', 'a/c/f.json', 'a/e/f.json', 'src/q/r/test-1.yaml', 'src/test-2.yaml', 'a/..', '..'];
    const differ: string[] = [];
    for (const dot of [false, true])
      for (const p of patterns) {
        const theirs = picomatch(p, { dot });
        const ours = globMatcher([p], { dot });
        for (const s of paths) if (theirs(s) !== ours(s)) differ.push(`${p} ${s} dot=${dot}`);
      }
    expect(differ).toEqual([]);
    // matchBase: a pattern without a slash is matched against the file name.
    expect(globMatcher(['*.json'], { matchBase: true })('a/b/c.json')).toBe(true);
    expect(globMatcher(['b/*.json'], { matchBase: true })('a/b/c.json')).toBe(false);
    // A leading `!` negates that pattern.
    expect(globMatcher(['!*.json'])('a.yaml')).toBe(true);
  });

  test('a*a*a*a*a*a*a*a*a*a*a*b against long names: linear', () => {
    const hostile = 'a*a*a*a*a*a*a*a*a*a*a*b';
    const match = globMatcher([hostile, `**/${hostile}`, `**/${hostile}/**`], { dot: true });
    expect(match(`x/${'a'.repeat(300)}`)).toBe(false);
    expect(match(`x/${'a'.repeat(300)}b/y.yaml`)).toBe(true);
    expect(scalingRatio((n) => repeat(20, () => match(`dir/${'a'.repeat(n)}`)), 3000)).toBeLessThan(LINEAR);
  });

  test('config overrides and ignorePatterns with hostile globs', async () => {
    const dir = join(tmp, 'config');
    mkdirSync(dir, { recursive: true });
    const hostile = 'a*a*a*a*a*a*a*a*a*a*a*b';
    writeFileSync(join(dir, 'stowage.config.yaml'), `ignorePatterns: ['${hostile}']\noverrides:\n  - files: ['${hostile}', '**/${hostile}.yaml']\n    rules:\n      ecs/image-tag: off\n`);
    const config = await loadConfig(dir);
    const rule = builtinRules.find((r) => r.id === 'ecs/image-tag')!;
    expect(severityFor(rule, config, join(dir, `${'a'.repeat(250)}.yaml`))).toBe(rule.severity);
    expect(severityFor(rule, config, join(dir, `d/${'a'.repeat(250)}b.yaml`))).toBe('off');
    const name = `${'a'.repeat(250)}.yaml`;
    const repo = join(dir, 'repo');
    mkdirSync(repo, { recursive: true });
    writeFileSync(join(repo, name), 'kind: Pod\n');
    mkdirSync(join(repo, `${'a'.repeat(250)}b`), { recursive: true });
    writeFileSync(join(repo, `${'a'.repeat(250)}b`, 'x.yaml'), 'kind: Pod\n');
    writeFileSync(join(repo, '.gitignore'), `${hostile}\n/${hostile}/\n**/${hostile}/**\n`);
    const found = discover([repo], dir, config.ignorePatterns, dir);
    expect(found.files.map((f) => f.path)).toEqual([join(repo, name)]);
  });
});

describe('long values', () => {
  test('a 1 MB environment value of `${a:-` (the placeholder scan)', () => {
    const td = (n: number) => [{ path: '/hostile/td.json', text: environmentTaskDefinition(n) }];
    expect(run(td(1_000_000), ['ecs/no-secrets-in-environment', 'ecs/image-tag'])).toEqual([]);
    expect(scalingRatio((n) => run(td(n), ['ecs/no-secrets-in-environment', 'ecs/image-tag']), 100_000, 5)).toBeLessThan(LINEAR);
    expect(scalingRatio((n) => run(td(n), builtinRules.map((r) => r.id)), 100_000, 5)).toBeLessThan(LINEAR);
    // The value itself is a placeholder (`${a:-...}` closes): unknown, so no finding.
    expect(hasPlaceholder(`${'${a:-'.repeat(200_000)}}`)).toBe(true);
    expect(scalingRatio((n) => repeat(5, () => hasPlaceholder('${a:-'.repeat(n / 5))), 200_000)).toBeLessThan(LINEAR);
  });

  test('a 1 MB user-data line of curl, `${}` pieces and echo (ecs/block-task-imds)', () => {
    const ud = (n: number) => [{ path: '/hostile/ud.json', text: userDataTemplate(n) }];
    // An unknown piece that an echo writes may hold the setting: the launcher is left alone.
    expect(run(ud(1_000_000), ['ecs/block-task-imds'])).toEqual([]);
    expect(run([{ path: '/hostile/ud.json', text: userDataTemplate(1_000, 'curl x | tee y ') }], ['ecs/block-task-imds'])).toEqual(['1:177 ecs/block-task-imds']);
    expect(scalingRatio((n) => run(ud(n), ['ecs/block-task-imds']), 100_000, 5)).toBeLessThan(LINEAR);
    // Every rule over the same line (a Fn::Sub of thousands of unknown pieces: one finding each).
    const all = builtinRules.map((r) => r.id);
    expect(scalingRatio((n) => run(ud(n), all), 100_000, 3)).toBeLessThan(LINEAR);
    expect(scalingRatio((n) => run([{ path: '/hostile/ud.json', text: userDataTemplate(n, '${X} ') }], ['cfn/intrinsic-function']), 2_000, 5)).toBeLessThan(LINEAR);
    for (const unit of ['${', 'curl ', '${X} ', 'echo -n ${X} ', '| sh ']) {
      const text = (n: number) => [{ path: '/hostile/ud.json', text: userDataTemplate(n, unit) }];
      expect(scalingRatio((n) => run(text(n), ['ecs/block-task-imds']), 50_000, 5), unit).toBeLessThan(LINEAR);
    }
  });

  test('scanners agree with the regular expressions they replace', () => {
    const rng = random(11);
    const PLACEHOLDER = /\{\{|\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-[^}]*)?\}|\$\{\{|<%=|__[A-Z][A-Z0-9_]+__/;
    const UNKNOWN_PART = /\$\{[^}]*\}|\{\{[\s\S]*?\}\}|<%=[\s\S]*?%>|__[A-Z][A-Z0-9_]+__|\{[A-Za-z_][\w.-]*\}/g;
    const FRAME = /(?:\(|^|\s)((?:file:\/\/)?(?:[A-Za-z]:)?[^():]*?):(\d+):(\d+)\)?\s*$/;
    const NEXT_LINE = /^(\s*#\s*stowage-disable-next-line)(\s+[^\n]*?)?(\s+--\s.*)?\s*$/;
    for (let k = 0; k < 20000; k++) {
      const s = rng.text('${}_:-Ab1<%=&', 14);
      expect(hasPlaceholder(s), s).toBe(PLACEHOLDER.test(s));
      const p = rng.pick(['$', '{', '}', '_', 'A', '1', 'a', '<%=', '%>', '.', '<', '&'], 12);
      expect(replaceUnknownParts(p, '#'), p).toBe(p.replace(UNKNOWN_PART, '#'));
      expect([...bracedPieces(p)].map((m) => [m.index, m.whole, m.inner]), p).toEqual([...p.matchAll(/\$\{([^}]*)\}/g)].map((m) => [m.index, m[0], m[1]]));
      expect(splitOnPieces(p, '$&'), p).toEqual(p.split(/[$&]\{[^}]*\}/));
      const m = rng.pick(['{', '}', '\n', '\r', ' ', 'a', 'resolve:', '{{', '}}'], 10);
      expect(endsWithMustache(m), m).toBe(/\{\{[^}\n]*\}\}\s*$/m.test(m));
      expect(hasMustache(m), m).toBe(/\{\{(?!\s*resolve:)[^\n]*\}\}/.test(m));
      const f = rng.pick(['(', ')', ':', ' ', '1', '2', 'a', 'C', '/', 'file://', 'x.ts'], 10);
      expect(frameParts(f)?.slice(1) ?? null, f).toEqual(FRAME.exec(f)?.slice(1) ?? null);
      const d = rng.pick([' ', '#'], 3) + '# stowage-disable-next-line' + rng.pick([' ', '\t', '--', '-', 'a', ',', '\u2028'], 9);
      const dm = NEXT_LINE.exec(d);
      expect(nextLineDirective(d), d).toEqual(dm ? { at: dm[1]!.length + (dm[2] ?? '').length, ids: (dm[2] ?? '').trim() } : undefined);
    }
  });
});

describe('discover', () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n';

  test('any name the OS gives is read: backslash, *, [, bytes that are not UTF-8', () => {
    const dir = join(tmp, 'names');
    mkdirSync(dir, { recursive: true });
    for (const name of ['back\\slash.yaml', 'st*r.yaml', 'br[1].yaml', 'plain.yaml']) writeFileSync(join(dir, name), pod);
    const bad = Buffer.concat([Buffer.from(`${dir}${sep}bad-`), Buffer.from([0xff, 0xfe]), Buffer.from('.yaml')]);
    writeFileSync(bad, pod);
    // Node gives a name that is not UTF-8 back with U+FFFD in place of the bytes: that string opens nothing.
    expect(readdirSync(dir)).toContain('bad-\ufffd\ufffd.yaml');
    const found = discover([dir], tmp);
    expect(found.files.map((f) => f.path.slice(dir.length + 1))).toEqual(['back\\slash.yaml', 'bad-\ufffd\ufffd.yaml', 'br[1].yaml', 'plain.yaml', 'st*r.yaml']);
    expect(found.files.find((f) => f.path.includes('bad-'))!.raw).toEqual(bad);
    const out = lint(found.files, { rules: rulesNamed('k8s/run-as-non-root') });
    expect(out.notices).toEqual([]);
    expect(out.results.map((r) => `${r.path.slice(dir.length + 1)} ${r.findings.map((f) => f.ruleId).join(' ')}`)).toEqual([
      'back\\slash.yaml k8s/run-as-non-root',
      'bad-\ufffd\ufffd.yaml k8s/run-as-non-root',
      'br[1].yaml k8s/run-as-non-root',
      'plain.yaml k8s/run-as-non-root',
      'st*r.yaml k8s/run-as-non-root',
    ]);
  });

  test('inputs that produce no file are listed as unmatched', () => {
    const dir = join(tmp, 'unmatched');
    mkdirSync(join(dir, 'empty'), { recursive: true });
    mkdirSync(join(dir, 'docs'), { recursive: true });
    writeFileSync(join(dir, 'docs', 'README.md'), '# docs\n');
    writeFileSync(join(dir, 'pod.yaml'), pod);
    writeFileSync(join(dir, 'skip.yaml'), pod);
    const found = discover(['missing.yaml', 'nothing-*.yaml', 'empty', 'docs', 'pod.yaml', 'skip.yaml', '*.yaml'], dir, ['skip.yaml'], dir);
    expect(found.unmatched).toEqual(['missing.yaml', 'nothing-*.yaml', 'empty', 'docs']);
    expect(found.files.map((f) => f.path)).toEqual([join(dir, 'pod.yaml')]);
    expect(found.notices).toEqual(['missing.yaml: no such file or directory', 'nothing-*.yaml: no files match', 'skip.yaml: ignored by ignorePatterns']);
  });

  test('an unreadable folder gets a notice', () => {
    const dir = join(tmp, 'perm');
    mkdirSync(join(dir, 'locked'), { recursive: true });
    writeFileSync(join(dir, 'locked', 'pod.yaml'), pod);
    writeFileSync(join(dir, 'pod.yaml'), pod);
    const found = discover(['perm'], tmp);
    expect(found.files.map((f) => f.path)).toEqual([join(dir, 'pod.yaml')]);
    expect(found.notices).toEqual(['perm/locked: cannot read folder (permission denied); skipped']);
    const root = discover(['perm/locked'], tmp);
    expect(root.notices).toEqual(['perm/locked: cannot read folder (permission denied); skipped']);
    expect(root.unmatched).toEqual(['perm/locked']);
  });

  test('.gitignore lines and symbolic links', () => {
    const dir = join(tmp, 'walk');
    mkdirSync(join(dir, 'build', 'deep'), { recursive: true });
    mkdirSync(join(dir, 'src', 'node_modules'), { recursive: true });
    mkdirSync(join(dir, '.hidden'), { recursive: true });
    for (const f of ['build/deep/a.yaml', 'src/app.yaml', 'src/app.json', 'src/gen.yaml', 'src/node_modules/m.yaml', '.hidden/h.yaml', 'top.template', 'notes.txt'])
      writeFileSync(join(dir, f), pod);
    writeFileSync(join(dir, '.gitignore'), '# build output\nbuild/\n*gen.yaml\n!src/gen.yaml\n');
    fs.symlinkSync(join(dir, 'src'), join(dir, 'loop'));
    fs.symlinkSync(join(dir, 'top.template'), join(dir, 'link.yaml'));
    const found = discover([dir], dir);
    expect(found.files.map((f) => f.path.slice(dir.length + 1))).toEqual(['src/app.json', 'src/app.yaml', 'top.template']);
    expect(found.unmatched).toEqual([]);
  });
});

describe('messages do not depend on the order of the files', () => {
  const pod = (name: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels: { app: web }\n  template:\n    metadata:\n      labels: { app: web }\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          ports: [{ containerPort: 80 }]\n`;
  const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector: { app: web }\n  ports: [{ port: 80 }]\n`;

  test('k8s/probes names the Services in order', () => {
    const files = [
      { path: '/order/web.yaml', text: pod('web') },
      { path: '/order/zeta.yaml', text: service('zeta') },
      { path: '/order/alpha.yaml', text: service('alpha') },
    ];
    const messages = (inputs: LintInput[]) => lint(inputs, { rules: rulesNamed('k8s/probes') }).results.flatMap((r) => r.findings.map((f) => f.message));
    const forward = messages(files);
    expect(forward).toEqual([
      'Container "web" of Deployment "web" receives traffic from Services "alpha", "zeta" but has no readinessProbe: add one (httpGet, tcpSocket or grpc) on its serving port.',
    ]);
    expect(messages([...files].reverse())).toEqual(forward);
  });

  test('every rule fixture folder gives the same findings in both orders', () => {
    const root = join(import.meta.dirname, 'fixtures', 'rules');
    const differ: string[] = [];
    for (const domain of readdirSync(root))
      for (const rule of readdirSync(join(root, domain))) {
        for (const entry of readdirSync(join(root, domain, rule), { withFileTypes: true })) {
          if (!entry.isDirectory()) continue;
          const dir = join(root, domain, rule, entry.name);
          const found = discover([dir], dir).files;
          if (found.length < 2) continue;
          const texts = (files: typeof found) =>
            lint(files, { rules: builtinRules })
              .results.flatMap((r) => r.findings.map((f) => `${r.path}:${f.line}:${f.column} ${f.ruleId} ${f.message}`))
              .sort();
          const forward = texts(found);
          const reversed = texts([...found].reverse());
          if (JSON.stringify(forward) !== JSON.stringify(reversed)) differ.push(`${domain}/${rule}/${entry.name}`);
        }
      }
    expect(differ).toEqual([]);
  });
});

function repeat(times: number, fn: () => unknown): void {
  for (let i = 0; i < times; i++) fn();
}

/** A small deterministic generator of strings (a linear congruential generator). */
function random(seed: number) {
  let s = seed;
  const next = (n: number) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
  const pick = (alphabet: string[], max: number) => {
    let out = '';
    const n = next(max);
    for (let i = 0; i < n; i++) out += alphabet[next(alphabet.length)];
    return out;
  };
  return { pick, text: (alphabet: string, max: number) => pick([...alphabet], max) };
}
