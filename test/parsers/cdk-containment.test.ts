import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discover } from '../../src/engine/discover.js';
import { readCloudAssembly } from '../../src/parsers/cdk.js';

/**
 * A cloud assembly comes from the linted repository, which may be hostile: its manifest must not
 * make stowage read files outside the assembly folder (`../`, absolute paths, symbolic links).
 */

const TEMPLATE = JSON.stringify({ Resources: { Q: { Type: 'AWS::SQS::Queue' } } });

let base: string;
let out: string;
const p = (...parts: string[]) => join(base, ...parts);

function stack(templateFile: string) {
  return { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile } };
}

function manifest(dir: string, artifacts: Record<string, unknown>) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: '36.0.0', artifacts }));
}

beforeAll(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'stowage-cdk-escape-')));
  out = p('app', 'cdk.out');
  // Outside the assembly: a secret, a folder that shares the assembly's name as a prefix, another assembly.
  writeFileSync(p('secret.template.json'), TEMPLATE);
  mkdirSync(p('app', 'cdk.out-evil'), { recursive: true });
  writeFileSync(p('app', 'cdk.out-evil', 'Prefix.template.json'), TEMPLATE);
  manifest(p('elsewhere'), { Far: stack('Far.template.json') });
  writeFileSync(p('elsewhere', 'Far.template.json'), TEMPLATE);

  manifest(out, {
    Good: stack('Good.template.json'),
    RoundTrip: stack('../cdk.out/RoundTrip.template.json'),
    DotDot: stack('../../secret.template.json'),
    Absolute: stack(p('secret.template.json')),
    Prefix: stack('../cdk.out-evil/Prefix.template.json'),
    Linked: stack('Linked.template.json'),
    'Bad\u001b[31m': stack('../../secret.template.json\u001b[0m'),
    Stage: { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Stage' } },
    OutStage: { type: 'cdk:cloud-assembly', properties: { directoryName: '../../elsewhere' } },
    LinkedStage: { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Linked' } },
  });
  writeFileSync(join(out, 'Good.template.json'), TEMPLATE);
  writeFileSync(join(out, 'RoundTrip.template.json'), TEMPLATE);
  symlinkSync(p('secret.template.json'), join(out, 'Linked.template.json'));
  // A nested-stack template beside the stacks that is a link pointing out.
  symlinkSync(p('secret.template.json'), join(out, 'Sneaky.nested.template.json'));
  // A nested assembly inside (its entries are judged against the outer assembly folder) and one linked from outside.
  manifest(join(out, 'assembly-Stage'), { Inner: stack('Inner.template.json'), Up: stack('../Good.template.json'), Out: stack('../../../secret.template.json') });
  writeFileSync(join(out, 'assembly-Stage', 'Inner.template.json'), TEMPLATE);
  symlinkSync(p('elsewhere'), join(out, 'assembly-Linked'));
});

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

const rel = (x: string) => relative(out, x);

describe('cloud-assembly containment', () => {
  it('skips manifest entries that lead outside the assembly folder, each with a notice', () => {
    const notices: string[] = [];
    const t = readCloudAssembly(out, notices);
    expect(t.map((x) => [rel(x.path), x.stack?.stackName])).toEqual([
      ['Good.template.json', 'Good'],
      ['RoundTrip.template.json', 'RoundTrip'],
      ['assembly-Stage/Inner.template.json', 'Inner'],
      ['Good.template.json', 'Up'],
    ]);
    const m = join(out, 'manifest.json');
    const inner = join(out, 'assembly-Stage', 'manifest.json');
    expect(notices).toEqual([
      `${m}: artifact "DotDot" points outside the cloud assembly (../../secret.template.json); skipped`,
      `${m}: artifact "Absolute" points outside the cloud assembly (${p('secret.template.json')}); skipped`,
      `${m}: artifact "Prefix" points outside the cloud assembly (../cdk.out-evil/Prefix.template.json); skipped`,
      `${m}: artifact "Linked" points outside the cloud assembly (Linked.template.json); skipped`,
      `${m}: artifact "Bad\\u001b[31m" points outside the cloud assembly (../../secret.template.json\\u001b[0m); skipped`,
      `${inner}: artifact "Out" points outside the cloud assembly (../../../secret.template.json); skipped`,
      `${m}: artifact "OutStage" points outside the cloud assembly (../../elsewhere); skipped`,
      `${m}: artifact "LinkedStage" points outside the cloud assembly (assembly-Linked); skipped`,
      `${join(out, 'Sneaky.nested.template.json')}: points outside the cloud assembly (${p('secret.template.json')}); skipped`,
    ]);
  });

  it('discover passes the notices on, whether the assembly is named or found in a walk, and lints no file outside it', () => {
    for (const input of [out, p('app')]) {
      const found = discover([input], base);
      expect(found.files.map((f) => f.path).filter((f) => !f.startsWith(out + '/'))).toEqual(input === out ? [] : [p('app', 'cdk.out-evil', 'Prefix.template.json')]);
      expect(found.files.some((f) => f.path.endsWith('secret.template.json') || f.path.includes('elsewhere'))).toBe(false);
      expect(found.notices.filter((n) => n.includes('points outside the cloud assembly')).length).toBe(9);
    }
  });

  it('an assembly reached through a symbolic link is read from where the link points, and its own entries still count as inside', () => {
    const link = p('app', 'linked-out');
    symlinkSync(out, link);
    try {
      const notices: string[] = [];
      const t = readCloudAssembly(link, notices);
      // `../cdk.out/` from the link's folder leads to the real assembly: inside, and read once.
      expect(t.map((x) => relative(link, x.path))).toEqual(['Good.template.json', '../cdk.out/RoundTrip.template.json', 'assembly-Stage/Inner.template.json', 'Good.template.json']);
      expect(notices.length).toBe(9);
    } finally {
      rmSync(link);
    }
  });
});
