import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lint, MAX_FILE_BYTES, parseInputs } from '../src/engine/lint.js';
import { builtinRules } from '../src/rules/index.js';
import { cli, jsonRows, type CliRun } from './parsers/util.js';

/**
 * Bad input never stops a run: syntax errors are `parse-error` findings at their line and
 * column, everything else a one-line notice; never a hang, a crash or a stack trace.
 */

const LB = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Web:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners:
        - { LoadBalancerPort: "80", InstancePort: "8080", Protocol: HTTP }
`;

let dir: string;
const p = (...parts: string[]) => join(dir, ...parts);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stowage-bad-'));
  mkdirSync(p('mixed'));
  writeFileSync(p('mixed', 'good.yaml'), LB);
  writeFileSync(
    p('mixed', 'broken.yaml'),
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\nspec:\n  replicas: 2\n   selector: {}\n',
  );
  writeFileSync(p('mixed', 'broken.json'), '{\n  "family": "orders",\n  "containerDefinitions": [\n    {"name": "api", "image": "orders:1",}\n  ]\n}\n');
  writeFileSync(p('mixed', 'dup.yaml'), LB.replace('      Listeners:', '      Scheme: internal\n      Listeners:') + '      Scheme: internet-facing\n');
});

afterAll(() => {
  if (dir) {
    try {
      chmodSync(p('unreadable.yaml'), 0o644);
    } catch {
      /* not created */
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A row without the message, except for parse errors (rule messages are the rules' business). */
const short = (row: string) => (row.includes(' parse-error ') ? row : row.split(' ').slice(0, 3).join(' '));

/** A run that ended cleanly: no internal error, no stack trace, within a few seconds. */
function sane(r: CliRun, maxMs = 5_000): void {
  expect(r.code).not.toBe(2);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
  expect(r.ms).toBeLessThan(maxMs);
}

describe('syntax errors', () => {
  it('are parse-error findings at their line and column, and the other files are linted as usual', async () => {
    const r = await cli(['mixed', '--format', 'json'], dir);
    sane(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(jsonRows(r.stdout, p('mixed')).map(short)).toEqual([
      'broken.json 4:40 parse-error trailing comma',
      'broken.yaml 7:12 parse-error a mapping cannot start here (is this line indented too far, or does a value contain ": "?)',
      'dup.yaml 4:11 elb/no-classic-load-balancer', // the document with a duplicate key is still linted
      'dup.yaml 9:7 parse-error duplicate key "Scheme"',
      'good.yaml 4:11 elb/no-classic-load-balancer',
    ]);
  });

  it('stylish output shows them as errors with their position', async () => {
    const r = await cli(['mixed/broken.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ {2}mixed\/broken\.json:4:40 {2}error {2}trailing comma {2}parse-error/);
  });

  it('in stdin input are located too', async () => {
    const r = await cli(['-', '--stdin-filename', 'task.json', '--format', 'json'], dir, '{"family": "x", "containerDefinitions": [}');
    sane(r);
    expect(jsonRows(r.stdout, dir)).toEqual(['task.json 1:42 parse-error value expected']);
  });
});

describe('hostile or odd files', () => {
  it('an alias bomb (billion laughs) is refused at the alias, quickly', async () => {
    const lines = ['AWSTemplateFormatVersion: "2010-09-09"', 'Metadata:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) lines.push(`  ${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    lines.push('Resources:', '  Bucket:', '    Type: AWS::S3::Bucket', '');
    writeFileSync(p('bomb.yaml'), lines.join('\n'));
    const r = await cli(['bomb.yaml', '--format', 'json'], dir);
    sane(r);
    const rows = jsonRows(r.stdout, dir);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^bomb\.yaml 9:\d+ parse-error aliases expand to more than 2,000,000 nodes; refusing to read \(alias bomb\?\)$/);
  });

  it('100,000 nested brackets are refused at the bracket that goes too deep, in JSON and YAML', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const head = '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"X": {"Type": "AWS::S3::Bucket", "Metadata": ';
    writeFileSync(p('deep.json'), `${head}${deep}}}}`);
    writeFileSync(p('deep.yaml'), `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  X:\n    Type: AWS::S3::Bucket\n    Metadata: ${deep}\n`);
    const r = await cli(['deep.json', 'deep.yaml', '--format', 'json'], dir);
    sane(r);
    // JSON: the bracket that opens level 401 (three objects enclose the first one).
    // YAML: a cheap over-estimate of the level, refused a bracket earlier.
    expect(jsonRows(r.stdout, dir)).toEqual([
      `deep.json 1:${head.length + 398} parse-error nesting is too deep to read (over 400 levels)`,
      `deep.yaml 5:${'    Metadata: '.length + 399} parse-error nesting is too deep to read (over 400 levels)`,
    ]);
  });

  it('deep nesting in a file that is none of our formats is skipped silently in a walk', async () => {
    mkdirSync(p('walk-deep'));
    writeFileSync(p('walk-deep', 'data.json'), '['.repeat(100_000) + ']'.repeat(100_000));
    writeFileSync(p('walk-deep', 'web.yaml'), LB);
    const r = await cli(['walk-deep', '--format', 'json'], dir);
    sane(r);
    expect([r.stderr, jsonRows(r.stdout, p('walk-deep')).map((x) => x.split(' ').slice(0, 3).join(' '))]).toEqual(['', ['web.yaml 4:11 elb/no-classic-load-balancer']]);
  });

  it(`a file over ${MAX_FILE_BYTES / 1024 / 1024} MB gets a notice and is not read`, async () => {
    mkdirSync(p('huge'));
    writeFileSync(p('huge', 'big.yaml'), LB + '# ' + 'x'.repeat(MAX_FILE_BYTES + 1024) + '\n');
    writeFileSync(p('huge', 'web.yaml'), LB);
    for (const args of [['huge/big.yaml'], ['huge']]) {
      const r = await cli([...args, '--format', 'json'], dir);
      sane(r);
      expect(r.stderr).toBe(`stowage: ${p('huge', 'big.yaml')}: larger than 16 MB; skipped\n`);
    }
  });

  it('a binary file gets a notice when named, and is skipped silently in a walk', async () => {
    mkdirSync(p('bin'));
    writeFileSync(p('bin', 'logo.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    const named = await cli(['bin/logo.yaml', '--format', 'json'], dir);
    sane(named);
    expect(named.stderr).toBe(`stowage: ${p('bin', 'logo.yaml')}: binary file; skipped\n`);
    const walked = await cli(['bin', '--format', 'json'], dir);
    sane(walked);
    expect(walked.stderr).toBe('');
  });

  it('bytes that are not UTF-8 are read with replacement characters, not a crash', async () => {
    const [head, tail] = LB.split('      Listeners:');
    writeFileSync(p('latin1.yaml'), Buffer.concat([Buffer.from(head + '      # caf'), Buffer.from([0xe9]), Buffer.from('\n      Listeners:' + tail)]));
    const r = await cli(['latin1.yaml', '--format', 'json'], dir);
    sane(r);
    expect(jsonRows(r.stdout, dir).map((x) => x.split(' ').slice(0, 3).join(' '))).toEqual(['latin1.yaml 4:11 elb/no-classic-load-balancer']);
  });

  it.skipIf(isRoot)('an unreadable file gets a notice (chmod 000)', async () => {
    writeFileSync(p('unreadable.yaml'), LB);
    chmodSync(p('unreadable.yaml'), 0o000);
    const r = await cli(['unreadable.yaml'], dir);
    sane(r);
    expect(r.stderr).toBe(`stowage: ${p('unreadable.yaml')}: cannot read (permission denied); skipped\n`);
  });

  it('a path that cannot be read as a file gets a notice (a directory named like a file, as root cannot chmod 000 away)', () => {
    mkdirSync(p('looks-like-a-file.yaml'));
    const notices: string[] = [];
    expect(parseInputs([{ path: p('looks-like-a-file.yaml'), explicit: true }], notices)).toEqual([]);
    expect(notices).toEqual([`${p('looks-like-a-file.yaml')}: cannot read (is a directory); skipped`]);
    const out = lint([{ path: p('looks-like-a-file.yaml'), explicit: true }, { path: p('mixed', 'good.yaml') }], { rules: builtinRules });
    expect(out.results.map((x) => x.path)).toEqual([p('mixed', 'good.yaml')]);
  });

  it('a FIFO named on the command line gets a notice instead of blocking; a walk passes it by', async () => {
    mkdirSync(p('fifo'));
    try {
      execFileSync('mkfifo', [p('fifo', 'pipe.yaml')]);
    } catch {
      return; // no mkfifo here
    }
    writeFileSync(p('fifo', 'web.yaml'), LB);
    // Named alone, it matches no file to lint: a usage error (exit 2), with the reason.
    const named = await cli(['fifo/pipe.yaml'], dir);
    expect([named.code, named.stderr]).toEqual([2, 'stowage: fifo/pipe.yaml: not a file or directory; skipped\nstowage: no files match "fifo/pipe.yaml"\n']);
    sane(await cli(['fifo/pipe.yaml', '--no-error-on-unmatched-pattern'], dir));
    const walked = await cli(['fifo', '--format', 'json'], dir);
    sane(walked);
    expect([walked.stderr, jsonRows(walked.stdout, p('fifo')).length]).toEqual(['', 1]);
  });

  it('symbolic link loops end in a notice, and a walk does not follow a directory link back up', async () => {
    symlinkSync('self.yaml', p('self.yaml'));
    const named = await cli(['self.yaml'], dir);
    expect([named.code, named.stderr]).toEqual([2, 'stowage: self.yaml: symbolic link loop; skipped\nstowage: no files match "self.yaml"\n']);
    sane(await cli(['self.yaml', '--no-error-on-unmatched-pattern'], dir));

    mkdirSync(p('loop', 'stacks'), { recursive: true });
    writeFileSync(p('loop', 'stacks', 'web.yaml'), LB);
    symlinkSync('..', p('loop', 'stacks', 'up'));
    symlinkSync(p('loop'), p('loop', 'again'));
    const walked = await cli(['loop', '--format', 'json'], dir);
    sane(walked);
    expect(walked.stderr).toBe('');
    expect(jsonRows(walked.stdout, p('loop')).map((x) => x.split(' ').slice(0, 3).join(' '))).toEqual(['stacks/web.yaml 4:11 elb/no-classic-load-balancer']);
  });

  it('a missing file or a dangling link gets a notice', async () => {
    symlinkSync('nowhere.yaml', p('dangling.yaml'));
    const r = await cli(['missing.yaml', 'dangling.yaml', '--no-error-on-unmatched-pattern'], dir);
    sane(r);
    expect(r.stderr).toBe('stowage: no files match "missing.yaml"\nstowage: no files match "dangling.yaml"\n');
  });

  it('a file named on the command line gets its syntax error even when its format cannot be told', async () => {
    writeFileSync(p('notes.yaml'), 'title: notes\nitems: [1, 2\n');
    const r = await cli(['notes.yaml', '--format', 'json'], dir);
    sane(r);
    expect(r.code).toBe(1);
    expect(jsonRows(r.stdout, dir).map(short)).toEqual([expect.stringMatching(/^notes\.yaml 3:1 parse-error /)]);
  });

  it('empty files and files of white space are not one of our formats', async () => {
    writeFileSync(p('empty.yaml'), '');
    writeFileSync(p('blank.json'), '  \n');
    const r = await cli(['empty.yaml', 'blank.json'], dir);
    sane(r);
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n').map((l) => l.replace(dir + '/', ''))).toEqual([
      'stowage: empty.yaml: not a CloudFormation template, ECS task definition, Kubernetes manifest or eksctl config; skipped',
      'stowage: blank.json: not a CloudFormation template, ECS task definition, Kubernetes manifest or eksctl config; skipped',
    ]);
  });
});
