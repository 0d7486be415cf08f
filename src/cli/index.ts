import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { packageVersion } from '../engine/paths.js';
import { ConfigError, isSeverity, loadConfig } from '../engine/config.js';
import { discover } from '../engine/discover.js';
import { lint, type LintInput } from '../engine/lint.js';
import type { Rule, SeveritySetting } from '../engine/rule.js';
import { FORMATTERS } from '../formatters/index.js';
import { builtinRules } from '../rules/index.js';
import { appendStepSummary, inCi, initConfig, parseWithProgress, Progress, withContext, writeReport } from './ci.js';
import { applyBaseline, BaselineError, readBaseline, writeBaseline } from '../engine/baseline.js';
import { lintParsed } from '../engine/lint.js';
import { githubSummary } from '../formatters/github.js';

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
}

/** Run the CLI; resolves to the exit code (0 clean, 1 findings, 2 usage/config/internal error). */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  let code = 0;
  const program = new Command('stowage')
    .description('Lint container deployments on AWS: ECS, CloudFormation, CDK, Kubernetes (EKS) and eksctl.')
    .version(version(), '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run stowage --help for usage)');

  program
    .command('lint', { isDefault: true })
    .description('lint files, directories, globs, or - for stdin')
    .argument('[paths...]', 'files, directories (walked) or globs; - reads stdin', [])
    .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(FORMATTERS)).default('stylish'))
    .option('-c, --config <path>', 'use this config file instead of searching for stowage.config.{yaml,json}')
    .option('--rule <id=severity>', 'set a rule severity (off|info|warning|error); repeatable', collect, [])
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this')
    .option('--quiet', 'report errors only')
    .option('--report-unused-disable-directives', 'report suppressions that suppress nothing')
    .option('--stdin-filename <path>', 'file name to use for stdin input')
    .option('--no-color', 'never colour the output')
    .option('--debug', 'show stack traces of internal errors')
    .option('-o, --output-file <path>', 'write the report to this file instead of stdout')
    .option('--baseline <file>', 'report only findings that are not in this baseline file')
    .option('--update-baseline', 'write the current findings to the --baseline file and exit 0')
    .option('--context <dir>', 'model every file under dir, but report only on the paths given')
    .addOption(new Option('--cdk-locations <where>', 'CDK findings: on the app\'s TypeScript (source), on the cdk.out template (template), or not mapped (off)').choices(['source', 'template', 'off']).default('source'))
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
    .option('-c, --config <path>', 'config file (to include plugin rules)')
    .action(async (flags: { format: string; config?: string }) => {
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
  const config = await loadConfig(io.cwd, flags.config);
  const rules: Rule[] = [...builtinRules, ...config.plugins];
  const known = new Set(rules.map((r) => r.id));
  for (const id of [...Object.keys(cliRules), ...Object.keys(config.rules)]) {
    if (!known.has(id)) {
      io.stderr(`stowage: unknown rule "${id}" (see \`stowage rules\`)\n`);
      return 2;
    }
  }

  const inputs: LintInput[] = [];
  const notices: string[] = [];
  const fileArgs = paths.filter((p) => p !== '-');
  if (paths.includes('-')) {
    const name = resolve(io.cwd, flags.stdinFilename ?? '<stdin>');
    inputs.push({ path: name, text: io.readStdin(), explicit: true });
  }
  if (fileArgs.length || !paths.length) {
    const found = discover(fileArgs.length ? fileArgs : ['.'], io.cwd, config.ignorePatterns, config.baseDir);
    notices.push(...found.notices);
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
  const out = lintParsed(
    parsed,
    { rules, config, cliRules, reportUnusedDisableDirectives: !!flags.reportUnusedDisableDirectives, ...(reportOnly ? { reportOnly } : {}), cdkLocations: flags.cdkLocations ?? 'source' },
    [],
  );
  progress.clear();
  notices.push(...out.notices);
  if (baselinePath && flags.updateBaseline) {
    const b = writeBaseline(baselinePath, out.results);
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
  if (flags.outputFile !== undefined) writeReport(resolve(io.cwd, flags.outputFile), text && !text.endsWith('\n') ? text + '\n' : text);
  else if (text) io.stdout(text.endsWith('\n') ? text : text + '\n');
  if (flags.format === 'github') appendStepSummary(githubSummary(results, formatContext));

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

async function runRules(flags: { format: string; config?: string }, io: Io): Promise<number> {
  const config = await loadConfig(io.cwd, flags.config);
  const rules = [...builtinRules, ...config.plugins];
  const rows = rules.map((r) => ({ id: r.id, severity: r.severity, recommended: r.recommended !== false, description: r.description, docs: r.docs }));
  if (flags.format === 'json') {
    io.stdout(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  const w = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) io.stdout(`${r.id.padEnd(w)}  ${r.severity.padEnd(7)}  ${r.description}\n${''.padEnd(w)}  ${''.padEnd(7)}  ${r.docs}\n`);
  return 0;
}
