/** IAM helpers for pod identity rules. */

/** An IAM role ARN of any partition: `arn:aws[-cn|-us-gov|...]:iam::<12 digits>:role/<path/>name`. */
export const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/**
 * Fill-in markers of documentation and sample files (`<ACCOUNT_ID>`, `$ROLE_ARN`, `XXXXXXXXXXXX`,
 * `YOUR_ROLE`), beyond the `${VAR}`/`{{ }}` placeholders the model already treats as unknown.
 */
export const FILL_IN = /<[^<>]*>|\$[A-Za-z_({]|X{4,}|x{6,}|ACCOUNT[_-]?ID|AWS_ACCOUNT|YOUR[_-]|REPLACE|CHANGE[_-]?ME|EXAMPLE_/i;

/** A whole value that is an upper-case token a script substitutes (`ARGO_WORKFLOWS_IRSA`, `S3_ROLE_ARN`). */
export const FILL_IN_TOKEN = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

/** Is the value a fill-in marker rather than a real value? */
export function isFillIn(v: string): boolean {
  return FILL_IN.test(v) || FILL_IN_TOKEN.test(v.trim());
}

/** What is wrong with a value meant to be a role ARN (undefined when it is one). */
export function roleArnProblem(v: string): string | undefined {
  if (ROLE_ARN.test(v)) return undefined;
  if (!v.startsWith('arn:')) return 'a role name, not an ARN';
  const parts = v.split(':');
  if (parts.length < 6) return 'fewer than the six parts of an ARN';
  if (!/^aws(?:-[a-z]+)*$/.test(parts[1]!)) return `"${parts[1]}" is not an AWS partition`;
  if (parts[2] !== 'iam') return `an ARN of "${parts[2]}", not IAM`;
  if (parts[3] !== '') return 'IAM ARNs have no region';
  if (!/^\d{12}$/.test(parts[4]!)) return `"${parts[4]}" is not a 12-digit account id`;
  const res = parts.slice(5).join(':');
  const type = res.split('/')[0];
  if (type !== 'role') return `an IAM ${type || 'resource'}, not a role`;
  return 'characters IAM does not allow in a role name';
}
