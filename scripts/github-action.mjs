#!/usr/bin/env node
/**
 * The logic of the GitHub Action (action.yml), kept out of YAML so that it can be tested.
 *
 *   node scripts/github-action.mjs run    runs stowage to SARIF; sets the outputs `exit-code` and,
 *                                         only for a run that completed (exit 0 or 1), `sarif-file`
 *   node scripts/github-action.mjs gate   passes or fails the step from `exit-code` and `fail-on`
 *
 * Inputs arrive as environment variables (STOWAGE_*), never spliced into a script. stowage is the
 * `bin/stowage.js` beside this folder. Exit code 2 (usage, config or internal error) fails the
 * `run` step at once and leaves `sarif-file` unset, so no report of a failed run is uploaded: an
 * empty or partial upload would close the repository's open code-scanning alerts.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, lstatSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const STOWAGE = join(here, '..', 'bin', 'stowage.js');

/** A workflow command on stdout (`::error title=stowage::...`), with the message escaped. */
function annotate(level, message) {
  const text = String(message).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  process.stdout.write(`::${level} title=stowage::${text}\n`);
}

/** Append `name=value` to $GITHUB_OUTPUT (a delimited block when the value spans lines). */
function setOutput(name, value) {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) return;
  const v = String(value);
  if (!v.includes('\n')) appendFileSync(file, `${name}=${v}\n`);
  else {
    const eof = `STOWAGE_EOF_${Date.now()}`;
    appendFileSync(file, `${name}<<${eof}\n${v}\n${eof}\n`);
  }
}

/** The `paths` input: separated by spaces, tabs or newlines; globs stay as they are (stowage expands them). */
export function splitPaths(text) {
  const out = [];
  for (const p of (text ?? '').split(/[ \t\r\n]+/)) if (p) out.push(p);
  return out.length ? out : ['.'];
}

/** stowage's arguments for the inputs, or an error message for an invalid input. */
export function stowageArgs(env, sarif) {
  const args = ['lint', '--format', 'sarif', '--output-file', sarif];
  if (env.STOWAGE_CONFIG) args.push('--config', env.STOWAGE_CONFIG);
  if (env.STOWAGE_BASELINE) args.push('--baseline', env.STOWAGE_BASELINE);
  const failOn = env.STOWAGE_FAIL_ON || 'error';
  if (failOn === 'warning') args.push('--max-warnings', '0');
  else if (failOn !== 'error' && failOn !== 'none') return { error: `fail-on must be error, warning or none, got '${failOn}'` };
  const plugins = env.STOWAGE_ACTION_ALLOW_PLUGINS || 'false';
  if (plugins === 'true') args.push('--plugins');
  // The config input names a file from the checked-out (pull request) tree: naming it must not trust its code.
  else if (plugins === 'false') args.push('--no-plugins');
  else return { error: `allow-plugins must be true or false, got '${plugins}'` };
  args.push('--', ...splitPaths(env.STOWAGE_PATHS));
  return { args };
}

/**
 * Code scanning reads locations relative to the repository root; stowage writes them relative to
 * the working directory. Prefix every location (results' `locations` and `relatedLocations`) with
 * the working directory's path in the repository, and point %SRCROOT% at the repository.
 * A location that would leave the repository, or is absolute, stays as it is.
 */
export function rebaseSarif(log, prefix, workspace) {
  if (!prefix || prefix === '.') return log;
  const base = prefix.split('/').map(encodeURIComponent).join('/');
  const rebase = (loc) => {
    const a = loc && loc.physicalLocation && loc.physicalLocation.artifactLocation;
    if (!a || a.uriBaseId !== '%SRCROOT%' || typeof a.uri !== 'string') return;
    if (a.uri.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(a.uri)) return;
    const joined = posix.normalize(`${base}/${a.uri}`);
    if (joined === '..' || joined.startsWith('../')) return;
    a.uri = joined;
  };
  for (const run of log.runs || []) {
    for (const r of run.results || []) {
      for (const l of r.locations || []) rebase(l);
      for (const l of r.relatedLocations || []) rebase(l);
    }
    if (run.originalUriBaseIds) run.originalUriBaseIds['%SRCROOT%'] = { uri: pathToFileURL(workspace).href.replace(/\/?$/, '/') };
  }
  return log;
}

function run() {
  const env = process.env;
  const sarif = resolve(env.STOWAGE_SARIF || 'stowage.sarif');
  const parsed = stowageArgs(env, sarif);
  if (parsed.error) {
    annotate('error', parsed.error);
    setOutput('exit-code', 2);
    return 2;
  }
  // A report left from an earlier run must not be uploaded as this one's.
  try {
    if (lstatSync(sarif).isFile()) unlinkSync(sarif);
  } catch {
    // none
  }
  // The allow-plugins input is the one switch: a STOWAGE_ALLOW_PLUGINS=1 set for the whole job
  // does not reach stowage.
  const childEnv = { ...env };
  delete childEnv.STOWAGE_ALLOW_PLUGINS;
  const r = spawnSync(process.execPath, [STOWAGE, ...parsed.args], { stdio: 'inherit', env: childEnv });
  let code = typeof r.status === 'number' ? r.status : 2;
  if (r.error) annotate('error', `could not run stowage: ${r.error.message}`);
  let log;
  if (code === 0 || code === 1) {
    try {
      log = JSON.parse(readFileSync(sarif, 'utf8'));
      if (!log || !Array.isArray(log.runs)) throw new Error('no runs');
    } catch {
      annotate('error', `stowage exited with code ${code} but ${env.STOWAGE_SARIF || 'stowage.sarif'} is not a SARIF report`);
      code = 2;
    }
  }
  setOutput('exit-code', code);
  if (code !== 0 && code !== 1) {
    annotate('error', `stowage exited with code ${code} (a usage, configuration or internal error; see the log above); the SARIF report is not uploaded, so existing code scanning alerts stay as they are`);
    return 2;
  }
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const prefix = relative(workspace, process.cwd()).split(sep).join('/');
  if (prefix && prefix !== '..' && !prefix.startsWith('../')) {
    writeFileSync(sarif, JSON.stringify(rebaseSarif(log, prefix, workspace), null, 2));
  }
  setOutput('sarif-file', sarif);
  return 0;
}

function gate() {
  const code = process.env.STOWAGE_CODE ?? '';
  const failOn = process.env.STOWAGE_FAIL_ON || 'error';
  if (code === '0') return 0;
  if (code === '1') {
    if (failOn === 'none') {
      process.stdout.write('stowage found problems; fail-on is none, so the step passes (see code scanning).\n');
      return 0;
    }
    annotate('error', failOn === 'warning' ? 'stowage found error-level findings or warnings' : 'stowage found error-level findings');
    return 1;
  }
  if (code === '') annotate('error', 'stowage did not run (see the steps above)');
  else process.stdout.write(`stowage exited with code ${code}.\n`);
  return 2;
}

const commands = { run, gate };
const command = commands[process.argv[2]];
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (!command) {
    process.stderr.write('usage: node scripts/github-action.mjs run|gate\n');
    process.exit(2);
  }
  process.exitCode = command();
}
