import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Log } from 'sarif';
import { describe, expect, it } from 'vitest';
import { discover } from '../src/engine/discover.js';
import { lint, type FileResult } from '../src/engine/lint.js';
import { defaultConfig } from '../src/engine/config.js';
import { defineRule, type Rule } from '../src/engine/rule.js';
import { FORMATTERS, type FormatContext } from '../src/formatters/index.js';
import { escapeData, escapeProperty, githubSummary } from '../src/formatters/github.js';
import { FINGERPRINT_KEY } from '../src/formatters/sarif.js';
import { builtinRules } from '../src/rules/index.js';
import { FIXTURES, ROOT } from './helpers/fixtures.js';

const DIR = join(FIXTURES, 'ci', 'formats');
const SPECIAL = 'Type "x" is 50% <odd> & wrong: a,b\nsecond line\r';
/** SPECIAL as the text formats show it: control characters escaped. */
const SPECIAL_SHOWN = 'Type "x" is 50% <odd> & wrong: a,b\\nsecond line\\r';

/** A test rule with a message full of characters every format must escape. */
const special = defineRule({
  id: 'test/special',
  severity: 'info',
  description: 'Reports every resource type with a message that needs escaping.',
  docs: 'https://example.com/docs/special',
  check({ model, file, report }) {
    for (const t of model.all.templates) if (t.file === file) for (const r of t.resources.values()) report(r.node.get('Type')!, SPECIAL);
  },
});
const clb = builtinRules.find((r) => r.id === 'elb/no-classic-load-balancer')!;
const RULES: Rule[] = [clb, special];

function run(): FileResult[] {
  const found = discover([DIR], ROOT);
  const out = lint(
    found.files.map((f) => ({ path: f.path, explicit: false })),
    { rules: RULES, config: defaultConfig(ROOT) },
  );
  return out.results;
}

const ctx: FormatContext = { cwd: ROOT, color: false, rules: RULES };
const rel = (name: string) => `test/fixtures/ci/formats/${name}`;

describe('formatter registry', () => {
  it('registers every CI format so --format accepts it', () => {
    expect(Object.keys(FORMATTERS).sort()).toEqual(['checkstyle', 'github', 'gitlab', 'html', 'json', 'junit', 'sarif', 'stylish']);
  });
});

describe('sarif', () => {
  const log = JSON.parse(FORMATTERS.sarif!(run(), ctx)) as Log;

  it('is valid against the SARIF 2.1.0 JSON schema', () => {
    // @microsoft/jest-sarif ships the SARIF 2.1.0 schema (JSON Schema draft-04); one of its
    // patterns (`language`) is not a valid Unicode-mode regular expression, hence unicodeRegExp: false.
    const schemaPath = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
    const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats.default(ajv as unknown as Ajv);
    const validate = ajv.compile(schema);
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // And the schema really rejects a broken log (the test can fail).
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [] }] })).toBe(false);
  });

  it('describes the tool and every rule with a docs URL', () => {
    const driver = log.runs[0]!.tool.driver;
    expect(driver.name).toBe('stowage');
    expect(driver.version).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    expect(driver.informationUri).toBe('https://github.com/stowage-dev/stowage');
    expect(driver.rules!.map((r) => r.id)).toEqual(['elb/no-classic-load-balancer', 'test/special', 'parse-error', 'unused-disable-directive', 'unknown-rule']);
    expect(driver.rules![0]).toEqual({
      id: 'elb/no-classic-load-balancer',
      shortDescription: { text: clb.description },
      helpUri: 'https://github.com/stowage-dev/stowage/blob/main/docs/rules/elb/no-classic-load-balancer.md',
      defaultConfiguration: { level: 'warning' },
    });
    expect(driver.rules![1]!.helpUri).toBe('https://example.com/docs/special');
    expect(log.runs[0]!.originalUriBaseIds!['%SRCROOT%']!.uri).toBe(`file://${ROOT}/`);
  });

  it('locates each result relative to %SRCROOT% with its real region, level and rule index', () => {
    const results = log.runs[0]!.results!;
    const rules = log.runs[0]!.tool.driver.rules!;
    const rows = results.map((r) => {
      const loc = r.locations![0]!.physicalLocation!;
      expect(loc.artifactLocation!.uriBaseId).toBe('%SRCROOT%');
      expect(rules[r.ruleIndex!]!.id).toBe(r.ruleId);
      const g = loc.region!;
      return `${loc.artifactLocation!.uri} ${g.startLine}:${g.startColumn}-${g.endLine}:${g.endColumn} ${r.level} ${r.ruleId}`;
    });
    expect(rows).toEqual([
      `${rel('broken.yaml')} 7:1-7:1 error parse-error`, // an error at the end of the input: an empty range there
      `${rel('stack.yaml')} 5:11-5:50 warning elb/no-classic-load-balancer`,
      `${rel('stack.yaml')} 5:11-5:50 note test/special`,
    ]);
    expect(results[2]!.message.text).toBe(SPECIAL);
    expect(results[1]!.properties).toEqual({ entity: 'ApiLoadBalancer' });
  });

  it('carries only stowage’s own line-independent fingerprint', () => {
    for (const r of log.runs[0]!.results!) {
      expect(Object.keys(r.partialFingerprints ?? {})).toEqual([FINGERPRINT_KEY]);
      expect(r.partialFingerprints![FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{32}$/);
      expect(r).not.toHaveProperty('fingerprints');
    }
  });

  it('percent-encodes file names that are not URI-safe', () => {
    const results = run();
    const moved = results.map((r) => ({ ...r, findings: r.findings.map((f) => ({ ...f, file: { ...f.file, path: join(ROOT, 'odd dir', 'a#b.yaml') } as typeof f.file })) }));
    const l = JSON.parse(FORMATTERS.sarif!(moved, ctx)) as Log;
    expect(l.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('odd%20dir/a%23b.yaml');
  });
});

describe('junit', () => {
  const xml = FORMATTERS.junit!(run(), ctx);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(xml) as {
    testsuites: { tests: string; failures: string; testsuite: Array<{ name: string; tests: string; failures: string; testcase: Array<{ name: string; classname: string; failure?: { message: string; type: string; '#text': string } }> }> };
  };

  it('is well-formed XML', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  it('has one suite per file, a failing case per finding and a passing case for a clean file', () => {
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s) => `${s.name} ${s.tests}/${s.failures}`)).toEqual([`${rel('broken.yaml')} 1/1`, `${rel('clean.yaml')} 1/0`, `${rel('stack.yaml')} 2/2`]);
    expect(doc.testsuites.tests).toBe('4');
    expect(doc.testsuites.failures).toBe('3');
    const clean = suites[1]!.testcase[0]!;
    expect(clean.failure).toBeUndefined();
    const stack = suites[2]!.testcase;
    expect(stack.map((c) => c.name)).toEqual(['elb/no-classic-load-balancer (line 5)', 'test/special (line 5)']);
    expect(stack[1]!.classname).toBe(rel('stack.yaml'));
    // Control characters shown as escapes, XML specials escaped in the attribute (and read back as they were).
    expect(stack[1]!.failure!.message).toBe(SPECIAL_SHOWN);
    expect(stack[1]!.failure!.type).toBe('info');
    expect(xml).toContain('message="Type &quot;x&quot; is 50% &lt;odd&gt; &amp; wrong: a,b\\nsecond line\\r"');
  });

  it('shows characters XML cannot hold as escapes', () => {
    const results = run().map((r) => ({ ...r, findings: r.findings.map((f) => ({ ...f, message: 'bell\u0007 and \u001b[31m' })) }));
    const out = FORMATTERS.junit!(results, ctx);
    expect(XMLValidator.validate(out)).toBe(true);
    expect(out).toContain('bell\\u{7} and \\u{1b}[31m');
  });
});

describe('checkstyle', () => {
  const xml = FORMATTERS.checkstyle!(run(), ctx);
  it('is well-formed Checkstyle XML with one <error> per finding', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, isArray: (n) => n === 'file' || n === 'error' }).parse(xml) as {
      checkstyle: { version: string; file: Array<{ name: string; error?: Array<{ line: string; column: string; severity: string; message: string; source: string }> }> };
    };
    expect(doc.checkstyle.version).toBe('4.3');
    const rows = doc.checkstyle.file.flatMap((f) => (f.error ?? []).map((e) => `${f.name.slice(ROOT.length + 1)} ${e.line}:${e.column} ${e.severity} ${e.source}`));
    expect(rows).toEqual([
      `${rel('broken.yaml')} 7:1 error stowage.parse-error`,
      `${rel('stack.yaml')} 5:11 warning stowage.elb/no-classic-load-balancer`,
      `${rel('stack.yaml')} 5:11 info stowage.test/special`,
    ]);
    expect(doc.checkstyle.file[2]!.error![1]!.message).toBe(`${SPECIAL_SHOWN} (test/special)`);
  });
});

describe('github', () => {
  const out = FORMATTERS.github!(run(), ctx);

  it('writes one workflow command per finding, info as a notice, with escaped data and properties', () => {
    expect(out.split('\n')).toEqual([
      `::error file=${rel('broken.yaml')},line=7,col=1,endLine=7,endColumn=1,title=parse-error::Flow sequence in block collection must be sufficiently indented and end with a ]`,
      `::warning file=${rel('stack.yaml')},line=5,col=11,endLine=5,endColumn=50,title=elb/no-classic-load-balancer::${clbMessage()}`,
      `::notice file=${rel('stack.yaml')},line=5,col=11,endLine=5,endColumn=50,title=test/special::Type "x" is 50%25 <odd> & wrong: a,b\\nsecond line\\r`,
      '',
    ]);
  });

  it('escapes as the runner expects', () => {
    expect(escapeData('a%b\r\nc: d, e')).toBe('a%25b%0D%0Ac: d, e');
    expect(escapeProperty('a%b\r\nc: d, e')).toBe('a%25b%0D%0Ac%3A d%2C e');
  });

  it('summarises every finding as a Markdown table for $GITHUB_STEP_SUMMARY', () => {
    const md = githubSummary(run(), ctx);
    expect(md.split('\n')).toEqual([
      '### stowage: 3 findings (1 error, 1 warning, 1 info)',
      '',
      '| level | location | rule | message |',
      '|---|---|---|---|',
      `| error | ${rel('broken.yaml')}:7:1 | \`parse-error\` | Flow sequence in block collection must be sufficiently indented and end with a ] |`,
      `| warning | ${rel('stack.yaml')}:5:11 | [\`elb/no-classic-load-balancer\`](https://github.com/stowage-dev/stowage/blob/main/docs/rules/elb/no-classic-load-balancer.md) | ${clbMessage()} |`,
      `| info | ${rel('stack.yaml')}:5:11 | [\`test/special\`](https://example.com/docs/special) | Type "x" is 50% &lt;odd&gt; & wrong: a,b\\\\nsecond line\\\\r |`,
      '',
      '',
    ]);
    expect(githubSummary([], ctx)).toBe('### stowage: no findings\n\n');
  });
});

describe('gitlab', () => {
  it('writes Code Quality issues with check name, severity, path and line', () => {
    const issues = JSON.parse(FORMATTERS.gitlab!(run(), ctx)) as Array<{ description: string; check_name: string; fingerprint: string; severity: string; location: { path: string; lines: { begin: number } } }>;
    expect(issues.map((i) => `${i.location.path}:${i.location.lines.begin} ${i.severity} ${i.check_name}`)).toEqual([
      `${rel('broken.yaml')}:7 critical parse-error`,
      `${rel('stack.yaml')}:5 minor elb/no-classic-load-balancer`,
      `${rel('stack.yaml')}:5 info test/special`,
    ]);
    expect(issues[2]!.description).toBe(SPECIAL_SHOWN);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(3);
    for (const i of issues) expect(i.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('maps error to major, and keeps fingerprints unique for duplicates and stable across line shifts', () => {
    const results = run();
    const stack = results.find((r) => r.path.endsWith('stack.yaml'))!;
    const f = stack.findings[0]!;
    const dup: FileResult[] = [{ path: stack.path, findings: [{ ...f, severity: 'error' }, { ...f, severity: 'error' }] }];
    const a = JSON.parse(FORMATTERS.gitlab!(dup, ctx)) as Array<{ fingerprint: string; severity: string }>;
    expect(a.map((i) => i.severity)).toEqual(['major', 'major']);
    expect(a[0]!.fingerprint).not.toBe(a[1]!.fingerprint);
    const shifted: FileResult[] = [{ path: stack.path, findings: dup[0]!.findings.map((x) => ({ ...x, line: x.line + 10, endLine: x.endLine + 10 })) }];
    const b = JSON.parse(FORMATTERS.gitlab!(shifted, ctx)) as Array<{ fingerprint: string }>;
    expect(b.map((i) => i.fingerprint)).toEqual(a.map((i) => i.fingerprint));
  });
});

function clbMessage(): string {
  return run()
    .find((r) => r.path.endsWith('stack.yaml'))!
    .findings.find((f) => f.ruleId === 'elb/no-classic-load-balancer')!.message;
}
