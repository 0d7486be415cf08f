import { defineRule } from '../../engine/rule.js';
import { LaunchTemplate, type InstanceLauncher } from '../../model/entities.js';
import type { Bootstrap } from '../../model/model.js';
import { bracedPieces, isSpace, isWordChar, matchOffsets, onSameLine } from '../../parsers/text-scan.js';

/** The agent setting, unless it is explicitly `false` (a placeholder value counts as set: unknown). */
const AGENT_SETTING = /ECS_AWSVPC_BLOCK_IMDS(?!\s*=\s*["']?false\b)|AWSVPCBlockInstanceMet/i;
const IMDS_LINE = /^.*169\.254\.169\.254.*$/gm;
/** A firewall rule on the metadata address (drop, reject, redirect to a proxy): blocks or may block. */
const FIREWALL = /\biptables\b|\bnft\b|--jump\b|\s-j\s|DOCKER-USER|FORWARD/;
/**
 * Boot steps that pull ECS agent configuration or scripts from elsewhere: a download command and, later on
 * its line, `/etc/ecs/`; a download piped into a shell; a script copied from S3. Hand-written scans (see
 * `onSameLine`): a regular expression with `[^\n]*` after the command reads the rest of the line again
 * from every command, which is quadratic on a long hostile line.
 */
const FETCH = [/s3\s+cp\b/g, /s3api\s+get-object\b/g, /curl\b/g, /wget\b/g, /ssm\s+get-parameters?\b/g, /secretsmanager\s+get-secret-value\b/g];
const DOWNLOAD = [/curl\b/g, /wget\b/g];
const PIPE_TO_SHELL = /\|\s*(?:sudo\s+)?(?:ba|z)?sh\b/g;
const S3_SCRIPT = /s3\s+cp\s+s3:\/\/\S+\.sh\b/;

/** Ends of the matches of global patterns, in order. */
const matchEnds = (text: string, res: RegExp[]) => res.flatMap((re) => matchOffsets(text, re, 'end')).sort((a, b) => a - b);

function pullsConfig(text: string): boolean {
  const etc: number[] = [];
  for (let i = text.indexOf('/etc/ecs/'); i >= 0; i = text.indexOf('/etc/ecs/', i + 1)) etc.push(i);
  if (etc.length && onSameLine(text, matchEnds(text, FETCH), etc)) return true;
  const pipes = matchOffsets(text, PIPE_TO_SHELL, 'start');
  if (pipes.length && onSameLine(text, matchEnds(text, DOWNLOAD), pipes)) return true;
  return S3_SCRIPT.test(text);
}
/** Windows container instances (their agent is configured with Initialize-ECSAgent). */
const WINDOWS = /<powershell>|Initialize-ECSAgent/i;

/**
 * Could an unknown piece of the boot text (a `${...}`) hold the setting or a firewall rule?
 * Pieces that are resource names or ids, pseudo parameters, shell variables of a `!Sub` (`${!x}`),
 * and pieces glued to a word (`ECS_CLUSTER=${Cluster}`, `${Id}.efs`) or that are the argument of another
 * command (`mkdir -p ${MountPoint}`) cannot: only a piece that starts a line or is what an echo/printf
 * writes can.
 */
function unknownPieceMayBlock(boot: Bootstrap, resources: ReadonlySet<string>): boolean {
  if (boot.complete) return false;
  const text = boot.text;
  let lineStart = 0;
  let nextNewline = -1;
  for (const m of bracedPieces(text)) {
    const name = m.inner.trim();
    if (name.startsWith('!') || name.includes('::') || resources.has(name.split('.')[0]!)) continue;
    // Glued to text that follows (`${FileSystem}.efs.${AWS::Region}`): part of a longer word.
    if (m.end < text.length && !' \t\n\r\v\f"\'`;&|<>)'.includes(text[m.end]!) && !isSpace(text.charCodeAt(m.end))) continue;
    // Pieces come in order: the line start only moves forward, and each newline is looked for once.
    while (nextNewline < m.index) {
      lineStart = nextNewline + 1;
      nextNewline = text.indexOf('\n', lineStart);
      if (nextNewline < 0) nextNewline = text.length;
    }
    if (startsCommandOrEcho(text, lineStart, m.index)) return true;
  }
  return false;
}

/**
 * Is the text of a line before a piece (`text[lineStart, end)`, one closing quote dropped) blank, or an
 * echo/printf with options that starts a command (`^`, after `;`, `&`, `|`, `then` or `do`, maybe with sudo)?
 * Reads backwards from the piece over the options only, so it never reads past the previous piece.
 */
function startsCommandOrEcho(text: string, lineStart: number, end: number): boolean {
  if (end > lineStart && '"\'`'.includes(text[end - 1]!)) end--;
  const back = (p: number) => {
    while (p > lineStart && isSpace(text.charCodeAt(p - 1))) p--;
    return p;
  };
  let p = back(end);
  if (p === lineStart) return true;
  // Options `-x` (each after whitespace).
  for (;;) {
    let q = p;
    while (q > lineStart && isLetter(text.charCodeAt(q - 1))) q--;
    if (q < p && q - 1 > lineStart && text[q - 1] === '-' && isSpace(text.charCodeAt(q - 2))) p = back(q - 1);
    else break;
  }
  for (const cmd of ['echo', 'printf']) {
    const s = p - cmd.length;
    if (s < lineStart || text.slice(s, p) !== cmd) continue;
    if (commandStart(text, lineStart, s, back)) return true;
  }
  return false;
}

/** Does a command word at `s` start a command: line start or `;&|` (then spaces), `then`/`do` and spaces, or `sudo` and spaces after one of those? */
function commandStart(text: string, lineStart: number, s: number, back: (p: number) => number): boolean {
  const t = back(s);
  if (t === lineStart || ';&|'.includes(text[t - 1]!)) return true;
  if (t === s) return false;
  if (t - 4 >= lineStart && text.slice(t - 4, t) === 'sudo') {
    const u = back(t - 4);
    if (u === lineStart || ';&|'.includes(text[u - 1]!)) return true;
    if (u < t - 4 && keywordEndsAt(text, lineStart, u)) return true;
  }
  return keywordEndsAt(text, lineStart, t);
}

/** Does `then` or `do` end at `t`, as a word? */
function keywordEndsAt(text: string, lineStart: number, t: number): boolean {
  for (const k of ['then', 'do']) {
    const s = t - k.length;
    if (s >= lineStart && text.slice(s, t) === k && (s === 0 || !isWordChar(text.charCodeAt(s - 1)))) return true;
  }
  return false;
}

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** Does the boot text block tasks from IMDS, or may it (then the launcher is left alone)? */
function mayBlock(boot: Bootstrap, resources: ReadonlySet<string>): boolean {
  if (boot.external) return true;
  if (AGENT_SETTING.test(boot.text)) return true;
  for (const line of boot.text.match(IMDS_LINE) ?? []) if (FIREWALL.test(line)) return true;
  if (pullsConfig(boot.text)) return true;
  return unknownPieceMayBlock(boot, resources);
}

function metadataOptions(l: InstanceLauncher) {
  return l instanceof LaunchTemplate ? l.data?.obj('MetadataOptions') : l.props.obj('MetadataOptions');
}

export default defineRule({
  id: 'ecs/block-task-imds',
  severity: 'warning',
  description: 'Container instances should block tasks from the instance metadata service.',
  check({ model, report }) {
    const launchers: InstanceLauncher[] = [...model.launchTemplates, ...model.launchConfigurations, ...model.instances];
    if (launchers.length === 0) return;
    for (const l of launchers) {
      const options = metadataOptions(l);
      // The instance metadata service is turned off: nothing to reach.
      if (options?.prop('HttpEndpoint').isCI('disabled')) continue;
      const boot = model.bootstrapText(l);
      if (!boot || !/ECS_CLUSTER/.test(boot.text) || WINDOWS.test(boot.text)) continue;
      const template = l.origin.resource?.template;
      const resources = new Set(template ? template.resources.keys() : []);
      if (mayBlock(boot, resources)) continue;
      const kind = l.kind === 'LaunchTemplate' ? 'Launch template' : l.kind === 'LaunchConfiguration' ? 'Launch configuration' : 'Instance';
      // IMDSv2 only, with a hop limit of 1: the token does not reach containers behind the Docker bridge.
      const bridgeBlocked = !!options?.prop('HttpTokens').isCI('required') && options.prop('HttpPutResponseHopLimit').num() === 1;
      report(
        l.userData(),
        bridgeBlocked
          ? `${kind} "${l.label}" starts ECS container instances whose awsvpc tasks can reach the instance metadata service (IMDSv2 with hop limit 1 keeps only bridge-mode containers out) and take the instance role's credentials, which undoes their separate task roles; add ECS_AWSVPC_BLOCK_IMDS=true to /etc/ecs/ecs.config in the user data.`
          : `${kind} "${l.label}" starts ECS container instances whose tasks can reach the instance metadata service and take the instance role's credentials, which undoes their separate task roles; add ECS_AWSVPC_BLOCK_IMDS=true to /etc/ecs/ecs.config (awsvpc tasks) and an iptables rule that drops container traffic to 169.254.169.254 (bridge tasks), e.g. iptables --insert DOCKER-USER 1 --in-interface docker+ --destination 169.254.169.254/32 --jump DROP.`,
        { atKey: true },
      );
    }
  },
});
