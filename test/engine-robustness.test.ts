import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../src/cli/index.js';
import { lint, workerScript, type Finding } from '../src/engine/lint.js';
import type { Rule } from '../src/engine/rule.js';
import { FORMATTERS } from '../src/formatters/index.js';
import { builtinRules } from '../src/rules/index.js';

// A Classic Load Balancer: elb/no-classic-load-balancer (a warning) reports it at `Type`'s value.
const TEMPLATE = `Resources:
  Lb:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties: { Listeners: [{ LoadBalancerPort: '80', InstancePort: '8080', Protocol: HTTP }] }
`;

// Plugin-like rules that report what a rule must not: the engine turns each into an internal error.
const BAD_RULES = `
const rule = (id, check) => ({ id, severity: 'warning', description: id, check });
/** A copy of a real node (same class, same file) with one offset changed. */
function moved(node, key, value) {
  const bad = Object.create(Object.getPrototypeOf(node));
  Object.assign(bad, node);
  Object.defineProperty(bad, key, { value });
  return bad;
}
export default {
  rules: [
    rule('test/good', ({ model, report }) => { for (const lb of model.classicLoadBalancers) report(lb, 'Good finding.'); }),
    rule('test/number-message', ({ model, report }) => {
      for (const lb of model.classicLoadBalancers) {
        report(lb, 42);
        report(lb.props.prop('Listeners'), 'Kept after a bad report.');
      }
    }),
    rule('test/bad-target', ({ report }) => report({ start: 1, end: 2 }, 'A plain object.')),
    rule('test/negative', ({ model, report }) => report(moved(model.classicLoadBalancers[0].anchor, 'start', -5), 'Negative.')),
    rule('test/nan', ({ model, report }) => report(moved(model.classicLoadBalancers[0].anchor, 'start', NaN), 'NaN.')),
    rule('test/past-end', ({ model, report }) => report(moved(model.classicLoadBalancers[0].anchor, 'end', 100000), 'Past the end.')),
    rule('test/async', () => Promise.reject(new Error('later'))),
    rule('test/throws-string', () => { throw 'a string'; }),
  ],
};
`;

const INTERNAL: Record<string, string> = {
  'test/number-message': 'Internal error in rule test/number-message: report() was given a message that is a number (42), not a string.',
  'test/bad-target': 'Internal error in rule test/bad-target: report() was given a target that is an object, not a node, property or entity.',
  'test/negative': `Internal error in rule test/negative: report() was given a location outside its file (-5 to 15, in a file of ${TEMPLATE.length} characters).`,
  'test/nan': `Internal error in rule test/nan: report() was given a location outside its file (NaN to 15, in a file of ${TEMPLATE.length} characters).`,
  'test/past-end': `Internal error in rule test/past-end: report() was given a location outside its file (13 to 100000, in a file of ${TEMPLATE.length} characters).`,
  'test/async': 'Internal error in rule test/async: check() returned a promise; rules must report synchronously.',
  'test/throws-string': 'Internal error in rule test/throws-string: a string',
};

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-robust-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
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

const rows = (findings: Finding[]) => findings.map((f) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.severity} ${f.ruleId}${f.fatal ? ' fatal' : ''} ${f.message}`);

describe('what a rule reports is validated (rules passed to lint())', () => {
  let dir: string;
  let rules: Rule[];
  beforeAll(async () => {
    dir = project({ 'web.yaml': TEMPLATE, 'rules/bad.mjs': BAD_RULES });
    rules = ((await import(pathToFileURL(join(dir, 'rules/bad.mjs')).href)) as { default: { rules: Rule[] } }).default.rules;
  });

  it('each bad report is one internal error for its rule and file; valid findings are kept', () => {
    const lb = builtinRules.find((r) => r.id === 'elb/no-classic-load-balancer')!;
    const out = lint([{ path: join(dir, 'web.yaml') }], { rules: [lb, ...rules] });
    expect(out.internalErrors).toBe(7);
    expect(out.results).toHaveLength(1);
    const clb = out.results[0]!.findings.find((f) => f.ruleId === 'elb/no-classic-load-balancer')!.message;
    expect(rows(out.results[0]!.findings)).toEqual([
      ...Object.entries(INTERNAL)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([id, m]) => `1:1-1:1 error ${id} fatal ${m}`),
      '2:3-2:5 warning test/good Good finding.',
      `3:11-3:50 warning elb/no-classic-load-balancer ${clb}`,
      '4:19-4:28 warning test/number-message Kept after a bad report.',
    ]);
  });

  it('a rejected promise from check() is never an unhandled rejection', async () => {
    const seen: unknown[] = [];
    const onRejection = (e: unknown) => seen.push(e);
    process.on('unhandledRejection', onRejection);
    try {
      const out = lint([{ path: join(dir, 'web.yaml') }], { rules: rules.filter((r) => r.id === 'test/async') });
      expect(out.internalErrors).toBe(1);
      await new Promise((r) => setTimeout(r, 50));
      expect(seen).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('a report made after check() returned (from a promise) is refused', async () => {
    const late: Rule = {
      id: 'test/late',
      severity: 'warning',
      description: '',
      docs: '',
      check({ model, report }) {
        const lb = model.classicLoadBalancers[0]!;
        return Promise.resolve().then(() => report(lb, 'Too late.')) as unknown as void;
      },
    };
    const out = lint([{ path: join(dir, 'web.yaml') }], { rules: [late] });
    await new Promise((r) => setTimeout(r, 20));
    expect(rows(out.results[0]!.findings)).toEqual(['1:1-1:1 error test/late fatal Internal error in rule test/late: check() returned a promise; rules must report synchronously.']);
  });

  it('a rule with a severity that is not one is an internal error', () => {
    const odd = { id: 'test/odd', severity: 'fatal', description: '', docs: '', check() {} } as unknown as Rule;
    const out = lint([{ path: join(dir, 'web.yaml') }], { rules: [odd] });
    expect(out.internalErrors).toBe(1);
    expect(out.results[0]!.findings.map((f) => f.message)).toEqual(['Internal error in rule test/odd: its severity is the string "fatal", not "error", "warning" or "info"']);
  });

  it('a parser range outside the file is brought inside it', () => {
    // A flow sequence left open at the end of the file: the error is at the end, never past it.
    const text = 'apiVersion: v1\nkind: Service\nspec:\n  ports: [80\n';
    const out = lint([{ path: '/virtual/broken.yaml', text, explicit: true }], { rules: builtinRules });
    for (const f of out.results.flatMap((r) => r.findings)) {
      expect(f.start).toBeGreaterThanOrEqual(0);
      expect(f.end).toBeGreaterThanOrEqual(f.start);
      expect(f.end).toBeLessThanOrEqual(text.length);
    }
  });
});

describe('plugin rules through the CLI (in the worker thread)', () => {
  const built = existsSync(workerScript());
  it('the worker script is built (npm test builds first)', () => {
    expect(built).toBe(true);
  });

  let dir: string;
  beforeAll(() => {
    dir = project({ 'web.yaml': TEMPLATE, 'rules/bad.mjs': BAD_RULES, 'stowage.config.yaml': 'plugins:\n  - ./rules/bad.mjs\n' });
  });

  it.each(Object.keys(FORMATTERS))('%s prints every finding and every internal error, exit 2', async (format) => {
    const { code, stdout } = await run(['web.yaml', '-c', 'stowage.config.yaml', '--format', format], dir);
    expect(code).toBe(2);
    expect(stdout).toContain('Good finding.');
    expect(stdout).toContain('Kept after a bad report.');
    expect(stdout).toContain('Classic Load Balancer');
    for (const id of Object.keys(INTERNAL)) expect(stdout).toContain(`Internal error in rule ${id}`);
  });

  it('json: the same findings as in-process, with their positions', async () => {
    const { code, stdout } = await run(['web.yaml', '-c', 'stowage.config.yaml', '--format', 'json'], dir);
    expect(code).toBe(2);
    const [r] = JSON.parse(stdout) as Array<{ messages: Array<{ ruleId: string; line: number; column: number; message: string; fatal?: boolean }> }>;
    const got = r!.messages.filter((m) => m.ruleId.startsWith('test/')).map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`);
    expect(got).toEqual([
      ...Object.entries(INTERNAL)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([id, m]) => `1:1 ${id} ${m}`),
      '2:3 test/good Good finding.',
      '4:19 test/number-message Kept after a bad report.',
    ]);
  });

  it('a plugin rule in an endless loop is stopped after --rule-timeout; the other rules still report', async () => {
    const loop = project({
      'web.yaml': TEMPLATE,
      'other.yaml': TEMPLATE,
      'rules/loop.mjs': `export default [
        { id: 'test/loop', severity: 'error', description: 'A test rule.', check() { for (;;) {} } },
        { id: 'test/after', severity: 'warning', description: 'A test rule.', check({ model, report }) { for (const lb of model.classicLoadBalancers) report(lb, 'After the loop.'); } },
      ];\n`,
      'stowage.config.yaml': 'plugins:\n  - ./rules/loop.mjs\n',
    });
    const { code, stdout } = await run(['.', '-c', 'stowage.config.yaml', '--format', 'json', '--rule-timeout', '1'], loop);
    expect(code).toBe(2);
    const results = JSON.parse(stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; message: string; fatal?: boolean }> }>;
    const got = results.flatMap((r) => r.messages.filter((m) => m.ruleId.startsWith('test/')).map((m) => `${r.filePath.split('/').pop()} ${m.ruleId} ${m.message}`));
    // Stopped once (on the first file it ran on), not once per file; the other rule ran on both.
    expect(got).toEqual([
      'other.yaml test/loop Internal error in rule test/loop: it did not finish within 1 second on this file and was stopped (--rule-timeout).',
      'other.yaml test/after After the loop.',
      'web.yaml test/after After the loop.',
    ]);
  }, 30_000);

  it('a plugin that ends its thread is an internal error, not a lost run', async () => {
    const exits = project({
      'web.yaml': TEMPLATE,
      'rules/exit.mjs': `export default [
        { id: 'test/exit', severity: 'error', description: 'A test rule.', check() { process.exit(3); } },
        { id: 'test/after', severity: 'warning', description: 'A test rule.', check({ model, report }) { for (const lb of model.classicLoadBalancers) report(lb, 'After the exit.'); } },
      ];\n`,
      'stowage.config.yaml': 'plugins:\n  - ./rules/exit.mjs\n',
    });
    const { code, stdout } = await run(['web.yaml', '-c', 'stowage.config.yaml', '--format', 'json'], exits);
    expect(code).toBe(2);
    const [r] = JSON.parse(stdout) as Array<{ messages: Array<{ ruleId: string; message: string }> }>;
    expect(r!.messages.filter((m) => m.ruleId.startsWith('test/')).map((m) => `${m.ruleId} ${m.message}`)).toEqual([
      'test/exit Internal error in rule test/exit: the worker thread exited (code 3).',
      'test/after After the exit.',
    ]);
  }, 30_000);

  it('--rule-timeout takes a positive number of seconds', async () => {
    for (const bad of ['0', '-1', 'soon']) {
      const { code, stderr } = await run(['web.yaml', '--rule-timeout', bad], dir);
      expect(code).toBe(2);
      expect(stderr).toBe(`stowage: --rule-timeout expects a number of seconds above 0, got "${bad}"\n`);
    }
  });
});
