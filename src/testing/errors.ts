/**
 * How RuleTester compares what a rule reported with a case's `errors`: each expected error is
 * matched in order against the findings (sorted by position), on the fields it gives. One
 * `deepStrictEqual` over the whole list, so a failure shows one readable diff of every error.
 */
import { AssertionError, deepStrictEqual } from 'node:assert';

/** What a case can assert about one finding. */
export interface TestCaseError {
  /** The whole message, or a pattern it must match. */
  message?: string | RegExp;
  /**
   * Compared only when the finding carries a `messageId` (stowage's rules report messages, not
   * message ids, today; a rule contract with ids will fill it).
   */
  messageId?: string;
  /** Compared only when the finding carries `data`, like `messageId`. */
  data?: Record<string, unknown>;
  /** 1-based, like every position stowage prints. */
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
}

/** A finding as the comparison sees it. */
export interface ActualError {
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  messageId?: string;
  data?: Record<string, unknown>;
}

const KEYS = ['message', 'messageId', 'data', 'line', 'column', 'endLine', 'endColumn'] as const;
type Key = (typeof KEYS)[number];

/** Check the `errors` of an invalid case before running it; returns the problem, if any. */
export function errorsProblem(errors: unknown): string | undefined {
  if (errors === undefined) return 'needs "errors": a list of the expected errors (or their number)';
  if (typeof errors === 'number') return Number.isInteger(errors) && errors > 0 ? undefined : `"errors" must be a positive whole number or a list, not ${errors}`;
  if (!Array.isArray(errors)) return `"errors" must be a list of expected errors (or their number), not ${describeValue(errors)}`;
  if (errors.length === 0) return '"errors" must not be empty: a case without errors belongs in "valid"';
  for (const [i, e] of errors.entries()) {
    if (typeof e === 'string') continue;
    if (!e || typeof e !== 'object' || Array.isArray(e)) return `errors[${i}] must be a message or an object, not ${describeValue(e)}`;
    const keys = Object.keys(e);
    for (const k of keys)
      if (!(KEYS as readonly string[]).includes(k)) return `errors[${i}] has an unknown property "${k}" (expected ${KEYS.join(', ')})`;
    if (!keys.some((k) => (e as Record<string, unknown>)[k] !== undefined)) return `errors[${i}] asserts nothing: give it a message, a position or a messageId`;
    const o = e as Record<string, unknown>;
    if (o.message !== undefined && typeof o.message !== 'string' && !(o.message instanceof RegExp)) return `errors[${i}].message must be a string or a RegExp`;
    for (const k of ['line', 'column', 'endLine', 'endColumn'])
      if (o[k] !== undefined && !(Number.isInteger(o[k]) && (o[k] as number) > 0)) return `errors[${i}].${k} must be a positive whole number`;
    if (o.messageId !== undefined && typeof o.messageId !== 'string') return `errors[${i}].messageId must be a string`;
    if (o.data !== undefined && (!o.data || typeof o.data !== 'object')) return `errors[${i}].data must be an object`;
  }
  return undefined;
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : typeof v === 'string' ? JSON.stringify(v) : `${typeof v} ${String(v)}`;
}

/** `3:7 Message` lines, for failure messages. */
export function listErrors(actual: readonly ActualError[]): string {
  return actual.map((a) => `  ${a.line}:${a.column} ${a.message}`).join('\n');
}

/** Throw an AssertionError with a diff when the findings do not match `expected` (checked by `errorsProblem`). */
export function assertErrors(actual: readonly ActualError[], expected: number | ReadonlyArray<TestCaseError | string>): void {
  const count = typeof expected === 'number' ? expected : expected.length;
  if (typeof expected === 'number') {
    if (actual.length !== count)
      throw new AssertionError({
        message: `Should have ${plural(count)} but had ${actual.length}${actual.length ? `:\n${listErrors(actual)}` : ''}`,
        actual: actual.length,
        expected: count,
      });
    return;
  }
  const wanted = expected.map((e) => (typeof e === 'string' ? { message: e } : e));
  const seen = actual.map((a, i) => project(a, wanted[i]));
  const prefix = actual.length !== count ? `Should have ${plural(count)} but had ${actual.length}` : 'The errors differ';
  try {
    deepStrictEqual(seen, wanted.map(clean));
  } catch (e) {
    if (e instanceof AssertionError) e.message = `${prefix}:\n${e.message}`;
    throw e;
  }
}

function plural(n: number): string {
  return `${n} error${n === 1 ? '' : 's'}`;
}

/** The expected error without properties set to undefined. */
function clean(e: TestCaseError): TestCaseError {
  const out: Record<string, unknown> = {};
  for (const k of KEYS) if (e[k] !== undefined) out[k] = e[k];
  return out as TestCaseError;
}

/**
 * The finding seen through what `want` asserts: its keys only (all of them for a finding no
 * error expects); a message matching a RegExp becomes that RegExp; `messageId` and `data` take
 * the expected value when the finding has none.
 */
function project(a: ActualError, want: TestCaseError | undefined): Record<string, unknown> {
  const keys: readonly Key[] = want ? KEYS.filter((k) => want[k] !== undefined) : ['message', 'line', 'column', 'endLine', 'endColumn'];
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (k === 'message' && want?.message instanceof RegExp) {
      want.message.lastIndex = 0;
      out.message = want.message.test(a.message) ? want.message : a.message;
    }
    else if ((k === 'messageId' || k === 'data') && a[k] === undefined) out[k] = want![k];
    else out[k] = a[k];
  }
  return out;
}
