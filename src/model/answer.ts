/**
 * The one shape of "we cannot know": every model question answers `yes`, `no` or an `Unknown` that
 * carries its reason (a parameter, an import, a condition, a placeholder, something outside the run),
 * and every value a rule reads is known, unknown (with its reason) or absent.
 */

/** Why an answer or a value cannot be known. */
export interface Unknown {
  readonly kind: 'unknown';
  /** For people: `parameter TaskRole`, `import shared-vpc-id`, `placeholder in "{{ image }}"`. */
  readonly reason: string;
  /** A condition may remove the value (`AWS::NoValue` in one `Fn::If` branch). */
  readonly mayBeAbsent?: boolean;
}

/** A value that is not there. */
export interface Absent {
  readonly kind: 'absent';
}

/** A known value. */
export interface Known<T> {
  readonly kind: 'known';
  readonly value: T;
}

/** A value a rule may read: known, unknown (with its reason) or absent. */
export type Value<T> = Known<T> | Unknown | Absent;

/** A yes/no question's answer. */
export type Tri = 'yes' | 'no' | Unknown;

export const ABSENT_VALUE: Absent = Object.freeze({ kind: 'absent' });

export function unknown(reason: string, mayBeAbsent?: boolean): Unknown {
  return mayBeAbsent ? { kind: 'unknown', reason, mayBeAbsent } : { kind: 'unknown', reason };
}

export function known<T>(value: T): Known<T> {
  return { kind: 'known', value };
}

export function isUnknown(a: unknown): a is Unknown {
  return typeof a === 'object' && a !== null && (a as { kind?: unknown }).kind === 'unknown';
}

export function isKnown<T>(v: Value<T>): v is Known<T> {
  return v.kind === 'known';
}

/** The known value, or undefined when unknown or absent. */
export function valueOf<T>(v: Value<T>): T | undefined {
  return v.kind === 'known' ? v.value : undefined;
}

/** `yes` for true, `no` for false. */
export function tri(b: boolean): Tri {
  return b ? 'yes' : 'no';
}

export function not(a: Tri): Tri {
  return a === 'yes' ? 'no' : a === 'no' ? 'yes' : a;
}

/** `yes` if any is yes; else unknown if any is unknown (the first reason); else `no`. */
export function any(answers: Iterable<Tri>): Tri {
  let u: Unknown | undefined;
  for (const a of answers) {
    if (a === 'yes') return 'yes';
    if (a !== 'no') u ??= a;
  }
  return u ?? 'no';
}

/** `no` if any is no; else unknown if any is unknown (the first reason); else `yes`. */
export function all(answers: Iterable<Tri>): Tri {
  let u: Unknown | undefined;
  for (const a of answers) {
    if (a === 'no') return 'no';
    if (a !== 'yes') u ??= a;
  }
  return u ?? 'yes';
}

/** `any` over a list mapped by a question: does some item answer yes? */
export function some<T>(items: Iterable<T>, question: (item: T) => Tri): Tri {
  let u: Unknown | undefined;
  for (const item of items) {
    const a = question(item);
    if (a === 'yes') return 'yes';
    if (a !== 'no') u ??= a;
  }
  return u ?? 'no';
}

/** `all` over a list mapped by a question: does every item answer yes? */
export function every<T>(items: Iterable<T>, question: (item: T) => Tri): Tri {
  let u: Unknown | undefined;
  for (const item of items) {
    const a = question(item);
    if (a === 'no') return 'no';
    if (a !== 'yes') u ??= a;
  }
  return u ?? 'yes';
}

/** The reason of an unknown answer, else undefined. */
export function reasonOf(a: Tri | Value<unknown>): string | undefined {
  return isUnknown(a) ? a.reason : undefined;
}

/** An unknown whose reason was not recorded where it arose; prefer `unknown(reason)` or a property's `why`. */
export const UNKNOWN: Unknown = Object.freeze(unknown('cannot be known from the run'));
