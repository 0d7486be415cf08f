import { lstatSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { packageVersion } from '../engine/paths.js';
import { checkRuleIds, checkRuleOptions, CONFIG_NAMES, ConfigError, isSeverity, isUnknownRuleId, loadConfig, unknownRuleMessage } from '../engine/config.js';
import { discover } from '../engine/discover.js';
import { lint, type LintInput } from '../engine/lint.js';
import type { Rule, SeveritySetting } from '../engine/rule.js';
import { FORMATTERS } from '../formatters/index.js';
import { builtinRules } from '../rules/index.js';
import { appendStepSummary, inCi, initConfig, parseWithProgress, Progress, ReportWriteError, reportTargetProblem, withContext, writeReport } from './ci.js';
import { applyBaseline, BaselineError, baselineFor, readBaseline } from '../engine/baseline.js';
import { lintIsolated } from '../engine/lint.js';
import { githubSummary } from '../formatters/github.js';
import { docsUrl } from '../formatters/links.js';
import { didYouMean } from '../rules/lib/schema-findings.js';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  isTTY: boolean;
  readStdin: () => string;
  /** Whether stderr is a terminal (progress is shown only there). */
  stderrIsTTY?: boolean;
}

const defaultIo = (): Io => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  isTTY: !!process.stdout.isTTY,
  readStdin: () => readFileSync(0, 'utf8'),
  stderrIsTTY: !!process.stderr.isTTY,
});

interface LintFlags {
  format: string;
  config?: string;
  plugins?: boolean;
  rule: string[];
  maxWarnings?: string;
  quiet?: boolean;
  reportUnusedDisableDirectives?: boolean;
  stdinFilename?: string;
  debug?: boolean;
  color?: boolean;
  outputFile?: string;
  baseline?: string;
  updateBaseline?: boolean;
  context?: string;
  cdkLocations?: 'source' | 'template' | 'off';
  /** `--no-error-on-unmatched-pattern` sets this to false. */
  errorOnUnmatchedPattern?: boolean;
  ruleTimeout: string;
}

/** Run the CLI; resolves to the exit code (0 clean, 1 findings, 2 usage/config/internal error). */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  let code = 0;
  const typo = mistypedCommand(argv, io.cwd);
  if (typo) {
    io.stderr(`stowage: ${typo}\n`);
    return 2;
  }
  const program = new Command('stowage')
    .description('Lint container deployments on AWS: ECS, CloudFormation, CDK, Kubernetes (EKS) and eksctl.')
    .version(version(), '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run stowage --help for usage)')
    .addHelpText('after', HELP_AFTER);

  program
    .command('lint', { isDefault: true })
    .description('lint files, directories, globs, or - for stdin')
    .argument('[paths...]', 'files, directories (walked) or globs; - reads stdin', [])
    .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(FORMATTERS)).default('stylish'))
    .option('-c, --config <path>', 'use this config file instead of searching for stowage.config.{yaml,json} (its plugins are trusted)')
    .option('--plugins', "load the plugins (code) of the config found by search; see docs/configuration.md")
    .option('--no-plugins', 'never load plugins, not even those of a config named with --config (the GitHub Action passes it unless allow-plugins is true)')
    .option('--rule <id=severity>', 'set a rule severity (off|info|warning|error); repeatable', collect, [])
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this')
    .option('--quiet', 'report errors only')
    .option('--report-unused-disable-directives', 'report suppressions that suppress nothing')
    .option('--stdin-filename <path>', 'file name for the text read from stdin (implies - when no path is given)')
    .option('--no-error-on-unmatched-pattern', 'a path, folder or glob that matches no file is a notice, not an error')
    .option('--no-color', 'never colour the output')
    .option('--debug', 'show stack traces of internal errors')
    .option('-o, --output-file <path>', 'write the report to this file instead of stdout')
    .option('--baseline <file>', 'report only findings that are not in this baseline file')
    .option('--update-baseline', 'write the current findings to the --baseline file and exit 0')
    .option('--context <dir>', 'model every file under dir, but report only on the paths given')
    .option('--rule-timeout <seconds>', 'stop a plugin rule that runs longer than this on one file (an internal error)', '30')
    .addOption(new Option('--cdk-locations <where>', 'CDK findings: on the app\'s TypeScript (source), on the cdk.out template (template), or not mapped (off)').choices(['source', 'template', 'off']).default('source'))
    .addHelpText('after', LINT_HELP_AFTER)
    .action(async (paths: string[], flags: LintFlags) => {
      code = await runLint(paths, flags, io);
    });

  program
    .command('lsp')
    .description('run the language server over stdio (for editors)')
    .option('--stdio', 'talk over stdin and stdout (the default and only transport)')
    // Clients add their own flags (--clientProcessId=<pid>); they are not needed.
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async () => {
      const { startServer } = await import('../lsp/server.js');
      code = await startServer();
    });

  program
    .command('init')
    .description('write a commented starter stowage.config.yaml')
    .option('--force', 'overwrite an existing config')
    .action((flags: { force?: boolean }) => {
      const r = initConfig(io.cwd, !!flags.force);
      if (!r.ok) {
        io.stderr(`stowage: ${r.message}\n`);
        code = 2;
        return;
      }
      io.stderr(`stowage: wrote ${r.path}\n`);
    });

  program
    .command('rules')
    .description('list every rule')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-c, --config <path>', 'config file (to include plugin rules; its plugins are trusted)')
    .option('--plugins', 'load the plugins (code) of the config found by search')
    .option('--no-plugins', 'never load plugins, not even those of a config named with --config')
    .action(async (flags: { format: string; config?: string; plugins?: boolean }) => {
      code = await runRules(flags, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (e instanceof ConfigError) {
      io.stderr(`stowage: ${e.message}\n`);
      return 2;
    }
    io.stderr(`stowage: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.STOWAGE_DEBUG || argv.includes('--debug')) io.stderr(`${(e as Error).stack ?? ''}\n`);
    return 2;
  }
  return code;
}

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

function version(): string {
  try {
    return packageVersion();
  } catch {
    return '0.0.0';
  }
}

async function runLint(paths: string[], flags: LintFlags, io: Io): Promise<number> {
  if (flags.debug) process.env.STOWAGE_DEBUG = '1';
  const cliRules: Record<string, SeveritySetting> = {};
  for (const r of flags.rule) {
    const m = /^([^=]+)=(.+)$/.exec(r);
    if (!m || !isSeverity(m[2]!.trim())) {
      io.stderr(`stowage: --rule expects <id>=off|info|warning|error, got "${r}"\n`);
      return 2;
    }
    cliRules[m[1]!.trim()] = m[2]!.trim() as SeveritySetting;
  }
  let maxWarnings: number | undefined;
  if (flags.maxWarnings !== undefined) {
    maxWarnings = Number(flags.maxWarnings);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0) {
      io.stderr(`stowage: --max-warnings expects a whole number, got "${flags.maxWarnings}"\n`);
      return 2;
    }
  }
  const ruleTimeout = Number(flags.ruleTimeout);
  if (!(ruleTimeout > 0) || !Number.isFinite(ruleTimeout)) {
    io.stderr(`stowage: --rule-timeout expects a number of seconds above 0, got "${flags.ruleTimeout}"\n`);
    return 2;
  }
  const config = await loadConfig(io.cwd, flags.config, { ...(flags.plugins !== undefined ? { allowPlugins: flags.plugins } : {}) });
  const rules: Rule[] = [...builtinRules, ...config.plugins];
  const known = new Set(rules.map((r) => r.id));
  checkRuleIds(config, known);
  await checkRuleOptions(config, rules);
  for (const id of Object.keys(cliRules)) {
    if (isUnknownRuleId(id, config, known)) {
      io.stderr(`stowage: --rule ${id}=${cliRules[id]}: ${unknownRuleMessage(id, known)}\n`);
      return 2;
    }
  }

  const stdinError = stdinUsage(paths, flags);
  if (stdinError) {
    io.stderr(`stowage: ${stdinError}\n`);
    return 2;
  }
  if (!paths.length && flags.stdinFilename !== undefined) paths = ['-'];
  const outputFile = flags.outputFile !== undefined ? resolve(io.cwd, flags.outputFile) : undefined;
  const outputProblem = outputFile !== undefined ? reportTargetProblem(outputFile) : undefined;
  if (outputProblem) {
    io.stderr(`stowage: ${outputProblem}\n`);
    return 2;
  }

  const inputs: LintInput[] = [];
  const notices: string[] = [...config.notices];
  const fileArgs = paths.filter((p) => p !== '-');
  if (paths.includes('-')) {
    const name = resolve(io.cwd, flags.stdinFilename ?? '<stdin>');
    inputs.push({ path: name, text: io.readStdin(), explicit: true });
  }
  if (fileArgs.length || !paths.length) {
    const found = discover(fileArgs.length ? fileArgs : ['.'], io.cwd, config.ignorePatterns, config.baseDir);
    const unmatched = unmatchedInputs(found, flags.errorOnUnmatchedPattern !== false);
    notices.push(...unmatched.notices);
    if (unmatched.errors.length) {
      for (const n of [...notices, ...unmatched.errors]) io.stderr(`stowage: ${n}\n`);
      return 2;
    }
    for (const f of found.files) inputs.push({ path: f.path, explicit: f.explicit, ...(f.cdk ? { cdk: f.cdk } : {}), ...(f.raw ? { raw: f.raw } : {}) });
  }

  // CI gate: --context, --baseline / --update-baseline, progress, --output-file (src/cli/ci.ts).
  const baselinePath = flags.baseline !== undefined ? resolve(io.cwd, flags.baseline) : undefined;
  if (flags.updateBaseline && !baselinePath) {
    io.stderr('stowage: --update-baseline needs --baseline <file>\n');
    return 2;
  }
  let baseline;
  if (baselinePath && !flags.updateBaseline) {
    try {
      baseline = readBaseline(baselinePath);
    } catch (e) {
      if (!(e instanceof BaselineError)) throw e;
      io.stderr(`stowage: ${e.message}\n`);
      return 2;
    }
  }
  let reportOnly: Set<string> | undefined;
  let allInputs = inputs;
  if (flags.context !== undefined) {
    const c = withContext(inputs, flags.context, io.cwd, config.ignorePatterns, config.baseDir, notices);
    if ('error' in c) {
      io.stderr(`stowage: ${c.error}\n`);
      return 2;
    }
    ({ inputs: allInputs, reportOnly } = c);
  }
  const progress = new Progress(io.stderr, !!io.stderrIsTTY && !inCi());
  const parsed = parseWithProgress(allInputs, notices, progress);
  const out = await lintIsolated(
    parsed,
    { rules, config, cliRules, reportUnusedDisableDirectives: !!flags.reportUnusedDisableDirectives, ...(reportOnly ? { reportOnly } : {}), cdkLocations: flags.cdkLocations ?? 'source', ruleTimeoutMs: ruleTimeout * 1000 },
    [],
  );
  progress.clear();
  notices.push(...out.notices);
  if (baselinePath && flags.updateBaseline) {
    const { baseline: b, text } = baselineFor(baselinePath, out.results);
    try {
      writeReport(baselinePath, text, 'baseline');
    } catch (e) {
      if (!(e instanceof ReportWriteError)) throw e;
      for (const n of notices) io.stderr(`stowage: ${n}\n`);
      io.stderr(`stowage: ${e.message}\n`);
      return 2;
    }
    const n = b.findings.reduce((a, e) => a + e.count, 0);
    notices.push(`wrote ${n} finding${n === 1 ? '' : 's'} to the baseline ${baselinePath}`);
  } else if (baselinePath && baseline) {
    const applied = applyBaseline(out.results, baseline, dirname(baselinePath));
    out.results = applied.results;
    if (applied.hidden) notices.push(`${applied.hidden} finding${applied.hidden === 1 ? '' : 's'} hidden by the baseline ${flags.baseline}`);
  }
  for (const n of notices) io.stderr(`stowage: ${n}\n`);
  if (flags.updateBaseline) return out.internalErrors > 0 ? 2 : 0;

  let results = out.results;
  if (flags.quiet) results = results.map((r) => ({ ...r, findings: r.findings.filter((f) => f.severity === 'error') }));
  const color = flags.color !== false && io.isTTY && !process.env.NO_COLOR && !flags.outputFile;
  const formatContext = { cwd: io.cwd, color, rules };
  const text = FORMATTERS[flags.format]!(results, formatContext);
  if (outputFile !== undefined) {
    try {
      writeReport(outputFile, text && !text.endsWith('\n') ? text + '\n' : text);
    } catch (e) {
      if (!(e instanceof ReportWriteError)) throw e;
      io.stderr(`stowage: ${e.message}\n`);
      return 2;
    }
  } else if (text) io.stdout(text.endsWith('\n') ? text : text + '\n');
  if (flags.format === 'github') {
    const problem = appendStepSummary(githubSummary(results, formatContext));
    if (problem) io.stderr(`stowage: ${problem}\n`);
  }

  if (out.internalErrors > 0) return 2;
  let errors = 0;
  let warnings = 0;
  for (const r of out.results)
    for (const f of r.findings) {
      if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
    }
  if (errors > 0) return 1;
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    io.stderr(`stowage: too many warnings (${warnings}); maximum allowed is ${maxWarnings}\n`);
    return 1;
  }
  return 0;
}

async function runRules(flags: { format: string; config?: string; plugins?: boolean }, io: Io): Promise<number> {
  const config = await loadConfig(io.cwd, flags.config, { ...(flags.plugins !== undefined ? { allowPlugins: flags.plugins } : {}) });
  const rules = [...builtinRules, ...config.plugins].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  checkRuleIds(config, rules.map((r) => r.id));
  await checkRuleOptions(config, rules);
  for (const n of config.notices) io.stderr(`stowage: ${n}\n`);
  const builtin = new Set<Rule>(builtinRules);
  const rows = rules.map((r) => ({ id: r.id, severity: r.severity, recommended: r.recommended !== false, description: r.description, docs: builtin.has(r) ? docsUrl(r.docs) : pluginDocsUrl(r.docs, config.baseDir) }));
  if (flags.format === 'json') {
    io.stdout(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  const w = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) io.stdout(`${r.id.padEnd(w)}  ${r.severity.padEnd(7)}  ${r.description}\n${''.padEnd(w)}  ${''.padEnd(7)}  ${r.docs}\n`);
  return 0;
}

/**
 * A plugin rule's docs: a URL as it is; a path (a plugin without `docs` gets its module's path
 * from the config) as a file URL, resolved against the config's folder; a package name as it is.
 */
function pluginDocsUrl(docs: string, baseDir: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(docs)) return docs;
  if (docs.startsWith('.') || isAbsolute(docs)) return pathToFileURL(resolve(baseDir, docs)).href;
  return docs;
}

/** The command names, for the did-you-mean on a mistyped one (`help` is commander's). */
const COMMANDS = ['lint', 'init', 'rules', 'lsp', 'help'];

/**
 * `lint` is the default command, so `stowage lnt .` would lint the paths `lnt` and `.`. The first
 * argument is taken for a mistyped command when it is a bare word (letters, digits, `-`, `_`: no
 * `/`, `.`, glob character or leading `-`), names nothing in the working directory, and is within
 * a typo's distance of a command name; anything else is a path. Returns the message, if any.
 */
export function mistypedCommand(argv: string[], cwd: string): string | undefined {
  const first = argv[0];
  if (first === undefined || COMMANDS.includes(first)) return undefined;
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(first)) return undefined;
  try {
    lstatSync(resolve(cwd, first));
    return undefined; // an existing file or folder of that name
  } catch {
    // not a path
  }
  const guess = didYouMean(first, COMMANDS);
  return guess ? `unknown command "${first}" (did you mean "${guess}"?)` : undefined;
}

/**
 * `--stdin-filename` names the text read from stdin: with no path it implies `-`; with paths but
 * no `-` it is ambiguous (lint the paths, or stdin too?), so a usage error. Never a silent lint of
 * the working folder.
 */
function stdinUsage(paths: string[], flags: LintFlags): string | undefined {
  if (flags.stdinFilename === undefined || !paths.length || paths.includes('-')) return undefined;
  return '--stdin-filename names the text read from stdin; add - to the paths to lint stdin (or drop --stdin-filename)';
}

/**
 * Inputs that matched no file: errors (exit 2, as ESLint does) unless
 * `--no-error-on-unmatched-pattern`, which makes them notices. Discover's own notice for such an
 * input is replaced by this one.
 */
function unmatchedInputs(found: { notices: string[]; unmatched?: string[] }, asErrors: boolean): { notices: string[]; errors: string[] } {
  const unmatched = found.unmatched ?? [];
  const replaced = new Set(unmatched.flatMap((u) => [`${u}: no such file or directory`, `${u}: no files match`]));
  const messages = unmatched.map((u) => `no files match "${u}"`);
  const notices = found.notices.filter((n) => !replaced.has(n));
  return asErrors ? { notices, errors: messages } : { notices: [...notices, ...messages], errors: [] };
}

const EXIT_CODES = `Exit codes:
  0  no error-level findings, and warnings within --max-warnings
  1  error-level findings, or more warnings than --max-warnings
  2  usage, configuration or internal error (a path that matches no file, an unknown
     command, option or rule, an unwritable --output-file, a rule that threw)`;

const CONFIG_FILES = `Config: ${CONFIG_NAMES.join(', ')}, searched from the working
folder upwards (or --config <path>); \`stowage init\` writes a starter one.`;

const HELP_AFTER = `
Examples:
  stowage                                   lint the current folder
  stowage lint infra/ k8s/ cdk.out          lint folders (walked) and a CDK assembly
  stowage lint 'stacks/**/*.yaml'           lint a glob (quoted: stowage expands it)
  stowage rules --format json               list every rule with its docs URL

${EXIT_CODES}

${CONFIG_FILES}
`;

const LINT_HELP_AFTER = `
A first argument that is an existing path, or holds a /, a . or a glob character, is a path;
a bare word close to a command name (lnt, rule) is a mistyped command (exit 2). Write ./name
or \`stowage lint name\` to lint a file or folder named like a command.

Examples:
  stowage lint infra/ --format sarif -o stowage.sarif
  stowage lint 'stacks/**/*.yaml' --max-warnings 0
  cat task.json | stowage lint --stdin-filename services/api/task.json
  stowage lint services/api/task.json --context .

${EXIT_CODES}

${CONFIG_FILES}
`;
