/**
 * ECS views and questions the ECS rules ask beyond `entities.ts`: a container's log configuration and
 * its options, what an EC2 launcher's boot does for ECS (joins a cluster, blocks tasks from the instance
 * metadata service), the store a secret reference reads, and whether an image is a private Amazon ECR
 * image. Answers are `yes` / `no` / `Unknown` with its reason (answer.ts).
 */
import { isMap, isScalar, isSeq, type Node } from '../parsers/tree.js';
import { bracedPieces, isSpace, isWordChar, matchOffsets, onSameLine } from '../parsers/text-scan.js';
import { unknown, type Tri, type Unknown } from './answer.js';
import { Template, type CfnResource } from './cfn.js';
import { LaunchTemplate, type Container, type InstanceLauncher } from './entities.js';
import type { Bootstrap } from './model.js';
import { Obj, Prop, textOf, type Scope } from './value.js';

// ------------------------------------------------------------------ log configuration

/** A container's `LogConfiguration`, when it is a known mapping. */
export class LogConfiguration {
  constructor(
    readonly container: Container,
    readonly props: Obj,
  ) {}

  /** The container's log configuration, or undefined when absent, unknown or not a mapping. */
  static of(container: Container): LogConfiguration | undefined {
    const o = container.props.obj('LogConfiguration');
    return o ? new LogConfiguration(container, o) : undefined;
  }

  get driver(): Prop {
    return this.props.prop('LogDriver');
  }
  get options(): Prop {
    return this.props.prop('Options');
  }
  get secretOptions(): Prop {
    return this.props.prop('SecretOptions');
  }

  /** A driver option by its exact name (Docker option names are case-sensitive). */
  option(name: string): Prop {
    return optionOf(this.options.obj(), name) ?? new Prop(this.props, name, undefined, undefined);
  }

  /**
   * The options as written, each a property whose `key` is where its name is written; keys that are not
   * text (a number) and intrinsic functions in key position (`Fn::If`) are left out. Empty when Options
   * is absent or not a known mapping.
   */
  optionEntries(): Prop[] {
    const o = this.options.obj();
    if (!o) return [];
    const out: Prop[] = [];
    for (let i = 0; i < o.node.size; i++) {
      const k = o.node.keyAt(i);
      if (typeof k.value !== 'string' || k.value.startsWith('Fn::')) continue;
      out.push(new Prop(o, k.value, k, o.node.valueAt(i)));
    }
    return out;
  }
}

/** An option of a known options mapping by its exact name (case-sensitive), present or absent. */
export function optionOf(options: Obj | undefined, name: string): Prop | undefined {
  if (!options) return undefined;
  const pair = options.node.pair(name);
  return new Prop(options, name, pair?.key, pair?.value);
}

// ------------------------------------------------------------------ what the boot of a container instance does

/** What an EC2 launcher's boot text does for ECS (`Queryable.ecsInstanceBoot`). */
export interface EcsInstanceBoot {
  /** The boot configures the ECS agent's cluster (`ECS_CLUSTER`). */
  joinsEcs: boolean;
  /** A Windows container instance (`<powershell>`, `Initialize-ECSAgent`). */
  windows: boolean;
  /**
   * Does the boot block tasks from the instance metadata service: `yes` (the agent setting
   * `ECS_AWSVPC_BLOCK_IMDS`, a firewall rule on 169.254.169.254), `no`, or unknown (configuration
   * the run cannot see: cfn-init of another resource, a download, an unknown piece of the text).
   */
  blocksTaskImds: Tri;
}

/** The agent setting, unless it is explicitly `false` (a placeholder value counts as set). */
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
/** Windows container instances (their agent is configured with Initialize-ECSAgent). */
const WINDOWS = /<powershell>|Initialize-ECSAgent/i;

/** What a launcher's boot text does for ECS; undefined without user data. */
export function readEcsInstanceBoot(l: InstanceLauncher, boot: Bootstrap | undefined): EcsInstanceBoot | undefined {
  if (!boot) return undefined;
  const template = l.origin.resource?.template;
  return {
    joinsEcs: boot.text.includes('ECS_CLUSTER'),
    windows: WINDOWS.test(boot.text),
    blocksTaskImds: blocksTaskImds(boot, new Set(template ? template.resources.keys() : [])),
  };
}

function blocksTaskImds(boot: Bootstrap, resources: ReadonlySet<string>): Tri {
  if (AGENT_SETTING.test(boot.text)) return 'yes';
  for (const line of boot.text.match(IMDS_LINE) ?? []) if (FIREWALL.test(line)) return 'yes';
  if (boot.external) return unknown('the boot applies configuration from outside the template (cfn-init of another resource, or downloaded sources)');
  if (pullsConfig(boot.text)) return unknown('the boot downloads ECS agent configuration or a script');
  const piece = unknownPieceThatMayBlock(boot, resources);
  if (piece !== undefined) return unknown(`the boot text holds \${${piece}}, which cannot be known from the run`);
  return 'no';
}

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

/**
 * The first unknown piece of the boot text (a `${...}`) that could hold the setting or a firewall rule.
 * Pieces that are resource names or ids, pseudo parameters, shell variables of a `!Sub` (`${!x}`),
 * and pieces glued to a word (`ECS_CLUSTER=${Cluster}`, `${Id}.efs`) or that are the argument of another
 * command (`mkdir -p ${MountPoint}`) cannot: only a piece that starts a line or is what an echo/printf
 * writes can.
 */
function unknownPieceThatMayBlock(boot: Bootstrap, resources: ReadonlySet<string>): string | undefined {
  if (boot.complete) return undefined;
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
    if (startsCommandOrEcho(text, lineStart, m.index)) return name;
  }
  return undefined;
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

/** A launcher's instance metadata options (`MetadataOptions`, in a launch template's LaunchTemplateData). */
export function metadataOptions(l: InstanceLauncher): Obj | undefined {
  return l instanceof LaunchTemplate ? l.data?.obj('MetadataOptions') : l.props.obj('MetadataOptions');
}

// ------------------------------------------------------------------ images and secrets

/**
 * Is an image a private Amazon ECR image: `<account>.dkr.ecr.<region>.amazonaws.com/...` (judged on
 * the text of the image, unknown parts as `${?}`), or the RepositoryUri of an `AWS::ECR::Repository` of
 * the template at its start?
 */
export function ecrImage(image: Prop): Tri {
  const node = image.node;
  if (node === undefined || image.absent) return 'no';
  if (!image.surelyPresent) return image.why;
  const { text, complete } = textOf(node, image.owner.scope);
  const host = text.split('/')[0] ?? '';
  if (text.includes('/') && /\.dkr\.ecr(?:-fips)?\.[^/]/.test(host)) return 'yes';
  if (startsWithRepositoryUri(node, image.owner.scope)) return 'yes';
  if (complete) return 'no';
  return image.unknown ? image.why : unknown(`the image "${text.length > 60 ? text.slice(0, 60) + '…' : text}" is not known whole`);
}

function startsWithRepositoryUri(node: Node, scope: Scope, depth = 0): boolean {
  if (!(scope instanceof Template) || !isMap(node) || depth > 5) return false;
  const fn = node.soleKey;
  const arg = fn ? node.get(fn) : undefined;
  if (fn === 'Fn::GetAtt') {
    const r = scope.resolve(node);
    return r.kind === 'ref' && r.attribute === 'RepositoryUri' && r.resource.type === 'AWS::ECR::Repository';
  }
  if (fn === 'Fn::Sub') {
    const pattern = isSeq(arg) ? arg.items[0] : arg;
    const m = isScalar(pattern) && typeof pattern.value === 'string' ? /^\$\{([A-Za-z0-9]+)\.RepositoryUri\}/.exec(pattern.value) : null;
    if (!m) return false;
    return scope.resources.get(m[1]!)?.type === 'AWS::ECR::Repository';
  }
  if (fn === 'Fn::Join' && isSeq(arg) && isSeq(arg.items[1])) {
    const first = arg.items[1].items[0];
    return first !== undefined && startsWithRepositoryUri(first, scope, depth + 1);
  }
  return false;
}

/** Where a secret reference (a `ValueFrom`, a `CredentialsParameter`) is read from. */
export interface SecretSource {
  /** Secrets Manager, Parameter Store, or a Parameter Store reference to a Secrets Manager secret (`/aws/reference/secretsmanager/...`). */
  store: 'secrets-manager' | 'parameter-store' | 'parameter-store-to-secrets-manager';
  /** For an `AWS::SecretsManager::Secret` of the template encrypted with an `AWS::KMS::Key` of the template: that key's KeyPolicy. */
  keyPolicy?: Obj;
}

/**
 * The store a secret reference reads: a Secrets Manager secret or SSM parameter of the template, a
 * Secrets Manager or SSM parameter ARN, or (unless `arnOnly`: registry credentials are Secrets Manager
 * ARNs) a bare name, which is a Parameter Store parameter of the task's Region.
 */
export function secretSource(valueFrom: Prop, arnOnly = false): SecretSource | Unknown {
  const r = valueFrom.res;
  if (r.kind === 'ref') {
    if (r.resource.type === 'AWS::SecretsManager::Secret') {
      const keyPolicy = secretKeyPolicy(r.resource);
      return { store: 'secrets-manager', ...(keyPolicy ? { keyPolicy } : {}) };
    }
    if (r.resource.type === 'AWS::SSM::Parameter') return { store: 'parameter-store' };
    return unknown(`${valueFrom.name} refers to a ${r.resource.type}, not a secret`);
  }
  if (valueFrom.node === undefined) return valueFrom.why;
  const { text, complete } = textOf(valueFrom.node, valueFrom.owner.scope);
  if (/^arn:[^:]+:secretsmanager:/.test(text)) return { store: 'secrets-manager' };
  if (/^arn:[^:]+:ssm:.*:parameter\//.test(text)) {
    return { store: /:parameter\/aws\/reference\/secretsmanager\//.test(text) ? 'parameter-store-to-secrets-manager' : 'parameter-store' };
  }
  if (arnOnly) return unknown(`${valueFrom.name} is not a Secrets Manager or Parameter Store ARN`);
  // A name (not an ARN, even where parts are parameters) is a Parameter Store parameter of the task's Region.
  const literalStart = complete ? text !== '' : text !== '' && !text.startsWith('${') && !text.startsWith('{{');
  if (literalStart && !text.startsWith('arn:') && !text.startsWith('/aws/reference/secretsmanager/')) return { store: 'parameter-store' };
  return complete ? unknown(`${valueFrom.name} "${text}" names no known secret store`) : valueFrom.res.kind === 'unknown' ? valueFrom.why : unknown(`${valueFrom.name} is not known whole`);
}

/** The KeyPolicy of the template's `AWS::KMS::Key` a secret's KmsKeyId refers to, if it does. */
function secretKeyPolicy(secret: CfnResource): Obj | undefined {
  const kms = secret.props.prop('KmsKeyId');
  const r = kms.res;
  if (r.kind !== 'ref' || r.resource.type !== 'AWS::KMS::Key') return undefined;
  return r.resource.props.obj('KeyPolicy');
}
