import { defineRule } from '../../engine/rule.js';
import type { Prop } from '../../model/value.js';

/** Names that hold a credential whatever else they say. */
const DEFINITIVE: Record<string, string> = {
  AWS_ACCESS_KEY_ID: 'an AWS access key ID',
  AWS_SECRET_ACCESS_KEY: 'an AWS secret access key',
  AWS_SESSION_TOKEN: 'an AWS session token',
  ECS_ENGINE_AUTH_DATA: 'private registry credentials (ECS_ENGINE_AUTH_DATA)',
};

/** Words of a name that make it a secret. */
const SECRET_WORDS = new Set([
  'password', 'passwd', 'passphrase', 'pwd', 'secret', 'secrets', 'token', 'apikey', 'apitoken', 'accesskey', 'secretkey',
  'privatekey', 'credential', 'credentials', 'creds', 'clientsecret', 'authtoken', 'connectionstring', 'connstr',
]);
/** Pairs of words that make a name a secret (`API_KEY`, `PRIVATE_KEY`, `CONNECTION_STRING`). */
const SECRET_PAIRS = new Set([
  'api key', 'private key', 'access key', 'secret key', 'license key', 'licence key', 'auth key', 'encryption key', 'signing key',
  'master key', 'session key', 'client secret', 'connection string', 'conn string', 'account key', 'shared key', 'webhook secret',
  'bearer token',
]);
/** Last words that make a name a secret (`DB_PASS`, `ADMIN_PW`). */
const SECRET_LAST = new Set(['pass', 'pw']);
/**
 * A last word that makes the name about a secret rather than the secret itself
 * (`TOKEN_EXPIRY`, `PASSWORD_MIN_LENGTH`, `JWT_SECRET_ARN`, `DB_PASSWORD_FILE`).
 */
const META_LAST = new Set([
  'arn', 'arns', 'file', 'files', 'path', 'paths', 'name', 'names', 'id', 'ids', 'url', 'uri', 'urls', 'endpoint', 'host', 'hostname',
  'port', 'region', 'expiry', 'expiration', 'expires', 'expire', 'expiresin', 'ttl', 'timeout', 'length', 'len', 'min', 'max',
  'minimum', 'maximum', 'enabled', 'enable', 'disabled', 'disable', 'required', 'require', 'policy', 'header', 'type', 'algorithm',
  'alg', 'version', 'lifetime', 'duration', 'rotation', 'prefix', 'suffix', 'dir', 'directory', 'folder', 'location', 'field',
  'param', 'parameter', 'issuer', 'audience', 'scope', 'scopes', 'mode', 'store', 'provider', 'backend', 'manager', 'count', 'size',
  'interval', 'retries', 'retry', 'attempts', 'delay', 'strength', 'complexity', 'format', 'user', 'username', 'login', 'method',
  'kind', 'source', 'encoder', 'encoding', 'hash', 'hasher', 'cipher', 'bucket', 'table', 'queue', 'topic', 'keyname', 'ref',
  'reference', 'age', 'seconds', 'minutes', 'hours', 'days', 'ms', 'sec', 'secs', 'mins', 'refresh', 'reset', 'rules', 'regex',
  'pattern', 'validation', 'validator', 'cache', 'class', 'label', 'keyid', 'pool', 'keyspace', 'namespace',
]);
/** A word anywhere in the name that says the value points into a secret store. */
const STORE_WORDS = new Set(['ssm', 'arn', 'parameter', 'param', 'secretsmanager', 'kms']);
/** Weaker words: only a random-looking value makes them a secret (`STRIPE_KEY`, `HMAC_SALT`, not `PARTITION_KEY: id`). */
const WEAK_WORDS = new Set(['key', 'auth', 'salt', 'signature', 'hmac', 'pass', 'pw']);

/** Split `DB_PASSWORD`, `dbPassword`, `db-password.prod` into lower-case words. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])(?=[A-Z][a-z])/g, '$1 ')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

type NameKind = 'secret' | 'weak' | 'none';

function nameKind(name: string): NameKind {
  const w = words(name);
  if (w.length === 0) return 'none';
  const upper = name.toUpperCase();
  if (upper === 'PWD' || upper === 'OLDPWD') return 'none';
  if (META_LAST.has(w[w.length - 1]!) && w.length > 1) return 'none';
  if (w.some((x) => STORE_WORDS.has(x))) return 'none';
  for (let i = 0; i < w.length; i++) {
    if (SECRET_WORDS.has(w[i]!)) return 'secret';
    if (i + 1 < w.length && SECRET_PAIRS.has(`${w[i]} ${w[i + 1]}`)) return 'secret';
  }
  if (SECRET_LAST.has(w[w.length - 1]!)) return 'secret';
  return w.some((x) => WEAK_WORDS.has(x)) ? 'weak' : 'none';
}

/** Credentials in a URL (`postgres://app:s3cret@db:5432/app`): the password part, when it is a real value. */
const URL_CREDENTIALS = /^[a-z][a-z0-9+.-]*:\/\/([^/?#@\s:]*):([^/?#@\s]+)@/i;
/** `Password=...` in ADO.NET / ODBC connection strings, `password=` in JDBC or DSN query strings. */
const KV_PASSWORD = /(?:^|[;?&\s])(?:password|pwd|passwd)\s*=\s*([^;&\s]+)/i;
const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;
/** Token formats that are credentials on sight. */
const KNOWN_TOKENS: Array<[RegExp, string]> = [
  [/^(?:AKIA|ASIA)[A-Z0-9]{16}$/, 'an AWS access key ID'],
  [/^gh[pousr]_[A-Za-z0-9]{36,}$|^github_pat_[A-Za-z0-9_]{40,}$/, 'a GitHub token'],
  [/^glpat-[A-Za-z0-9_-]{20,}$/, 'a GitLab token'],
  [/^xox[abposr]-[A-Za-z0-9-]{10,}$/, 'a Slack token'],
  [/^(?:sk|rk)_live_[A-Za-z0-9]{16,}$/, 'a Stripe live key'],
  [/^AIza[0-9A-Za-z_-]{35}$/, 'a Google API key'],
  [/^npm_[A-Za-z0-9]{36}$/, 'an npm token'],
  [/^SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}$/, 'a SendGrid API key'],
  [/^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}$/, 'a JSON Web Token'],
];

/** A value that stands for something else: a placeholder, a variable, a redacted or empty value. */
function placeholder(v: string): boolean {
  return (
    /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v) || // $DB_PASSWORD (not expanded by ECS, but clearly a reference)
    /^<[^<>]*>$/.test(v) || // <password>
    /^\{[A-Za-z_][\w.-]*\}$/.test(v) || // {aws_secret_access_key}
    /^%[A-Za-z_][\w.-]*%$/.test(v) || // %DB_PASSWORD%
    /^@[A-Za-z_][\w.-]*@$/.test(v) || // @db.password@
    /^#\{[^}]*\}$/.test(v) || // #{Octopus.Variable}
    /^[*xX.•-]+$/.test(v) // ****, xxxx: redacted
  );
}

/** A value that is not a secret whatever its name says. */
function harmless(v: string): boolean {
  const t = v.trim();
  if (t === '') return true;
  if (placeholder(t)) return true;
  if (/^[-+]?\d+(?:\.\d+)?$/.test(t)) return true; // number
  if (/^(?:true|false|yes|no|on|off|enabled|disabled|none|null|nil|n\/a)$/i.test(t)) return true;
  if (/^arn:/.test(t)) return true;
  if (/^(?:\/|\.\.?\/|~\/|[A-Za-z]:\\|file:\/\/)/.test(t)) return true; // a file path
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) return true; // a URL (credentials are judged separately)
  if (/^(?:secretsmanager|ssm):/i.test(t)) return true;
  if (t.split(/\s+/).length >= 4) return true; // prose, a sentence describing what to put there
  // A secret's name in Secrets Manager or a parameter hierarchy (`prod/orders/db`), not random text.
  if (/^[A-Za-z0-9_.+=@-]+(?:\/[A-Za-z0-9_.+=@-]+)+$/.test(t) && !randomLooking(t)) return true;
  return false;
}

/** A value that cannot be a credential even under a credential's name. */
function emptyOrReference(v: string): boolean {
  const t = v.trim();
  return t === '' || placeholder(t) || /^arn:/.test(t) || /^(?:\/|\.\.?\/|~\/|file:\/\/)/.test(t) || /^(?:true|false|none|null)$/i.test(t);
}

/** A credential recognisable from the value alone, or undefined. */
function secretValue(v: string): string | undefined {
  const t = v.trim();
  const url = URL_CREDENTIALS.exec(t);
  if (url && !placeholder(decodeURIComponentSafe(url[2]!)) && !/^\$\{?[A-Za-z_]/.test(url[2]!)) return 'a connection string with a password';
  const kv = KV_PASSWORD.exec(t);
  if (kv && !placeholder(kv[1]!) && !/^\$\{?[A-Za-z_]/.test(kv[1]!) && !/^['"]?['"]?$/.test(kv[1]!)) return 'a connection string with a password';
  if (PEM_PRIVATE_KEY.test(t)) return 'a private key';
  if (/EXAMPLE/.test(t)) return undefined; // AWS documentation's example keys
  for (const [re, what] of KNOWN_TOKENS) if (re.test(t)) return what;
  return undefined;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Random-looking: long, no spaces, letters and digits mixed, high entropy. */
function randomLooking(v: string): boolean {
  const t = v.trim();
  if (t.length < 20 || !/^[A-Za-z0-9+/=_.-]+$/.test(t) || !/\d/.test(t) || !/[A-Za-z]/.test(t)) return false;
  const counts = new Map<string, number>();
  for (const ch of t) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / t.length) * Math.log2(n / t.length);
  return h >= 3.5;
}

/** A literal string value (numbers and booleans are not secrets), else undefined. */
function literal(p: Prop): string | undefined {
  const r = p.res;
  if (r.kind !== 'literal' || typeof r.value !== 'string') return undefined;
  return r.value;
}

const FIX = 'move it to the container\'s Secrets with ValueFrom naming a Secrets Manager secret or an SSM SecureString parameter, so it is not stored in the task definition in plain text';

export default defineRule({
  id: 'ecs/no-secrets-in-environment',
  severity: 'error',
  description: 'Secrets belong in secrets (Secrets Manager or SSM), not in environment variables.',
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      for (const c of td.containers) {
        for (const env of c.props.prop('Environment').objects()) {
          const nameProp = env.prop('Name');
          const valueProp = env.prop('Value');
          const name = nameProp.str();
          const where = `Container ${c.label} of task definition "${td.label}"`;
          const vr = valueProp.res;
          const upper = name?.toUpperCase();
          const definitive = upper !== undefined && Object.hasOwn(DEFINITIVE, upper);
          // An IAM access key created in the template: its id (!Ref Key) or its secret (!GetAtt Key.SecretAccessKey).
          if (vr.kind === 'ref' && vr.resource.type === 'AWS::IAM::AccessKey' && (vr.attribute === 'SecretAccessKey' || (vr.attribute === undefined && definitive))) {
            const what = vr.attribute === 'SecretAccessKey' ? 'the secret access key' : 'the access key ID';
            report(definitive ? nameProp : valueProp, `${where} puts ${what} of IAM access key "${vr.resource.logicalId}" in environment variable "${name ?? '?'}", readable in plain text by anyone who can describe the task definition; give the task a task role (TaskRoleArn) instead of long-term keys, or ${FIX}.`);
            continue;
          }
          const value = literal(valueProp);
          if (value === undefined) continue;
          if (definitive) {
            if (emptyOrReference(value)) continue;
            const fix = upper === 'ECS_ENGINE_AUTH_DATA' ? `give the container RepositoryCredentials with a Secrets Manager secret for the private registry` : `give the task a task role (TaskRoleArn) instead of long-term keys, or ${FIX}`;
            report(nameProp, `${where} sets ${DEFINITIVE[upper!]} in environment variable "${name}", readable in plain text by anyone who can describe the task definition; ${fix}.`);
            continue;
          }
          const byValue = secretValue(value);
          if (byValue) {
            report(valueProp, `${where} sets ${byValue} in environment variable "${name ?? '?'}", readable in plain text by anyone who can describe the task definition; ${FIX}.`);
            continue;
          }
          if (name === undefined || harmless(value)) continue;
          const kind = nameKind(name);
          if (kind === 'secret' || (kind === 'weak' && randomLooking(value))) {
            report(valueProp, `${where} sets environment variable "${name}", by its name a credential, to a literal value that anyone who can describe the task definition reads in plain text; ${FIX}.`);
          }
        }
      }
    }
  },
});
