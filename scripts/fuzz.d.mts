// Types of scripts/fuzz.mjs, for the tests that drive it (test/fuzz.test.ts).
import type { LintInput, LintOptions, LintOutput, FileResult } from '../src/engine/lint.js';
import type { Rule } from '../src/engine/rule.js';
import type { ResolvedConfig } from '../src/engine/config.js';

export interface Rng {
  next(): number;
  int(n: number): number;
  range(lo: number, hi: number): number;
  pick<T>(a: readonly T[]): T;
  chance(p: number): boolean;
}
export interface FuzzApi {
  lint(inputs: LintInput[], options: LintOptions): LintOutput;
  rules: Rule[];
  config: ResolvedConfig;
  formatJson(results: FileResult[], context: { cwd: string; color: boolean; rules: Rule[] }): string;
}
export interface FuzzCase {
  seed: number;
  n: number;
  target: string;
  mutations: string[];
  inputs: Array<{ source: string; path: string; text: string }>;
}
export interface Violation {
  property: 'no-exception' | 'range' | 'line-column' | 'no-internal-error' | 'deterministic' | 'input-order';
  detail: string;
  known?: string;
}
export interface FuzzOptions {
  seed?: number;
  seconds?: number;
  cases?: number;
  only?: number;
  corpus?: string;
  fixtures?: string;
  failures?: string;
  strict?: boolean;
  /** Only these mutators (names of MUTATORS). */
  mutators?: string[];
  log?: (line: string) => void;
  api?: FuzzApi;
}
export interface FuzzResult {
  ran: number;
  failed: Array<{ seed: number; n: number; mutations: string[]; source: string; problems: Violation[]; dir?: string }>;
  mutations: Record<string, number>;
  ms?: number;
  known?: Record<string, number>;
}

export function mulberry32(seed: number): () => number;
export function caseRng(seed: number, n: number): Rng;
export const MUTATORS: Record<string, (text: string, rng: Rng, json: boolean) => string>;
export const KNOWN: Array<{ property: string; ruleId: string; reason: string }>;
export function sourceFiles(opts?: { corpus?: string; fixtures?: string }): { files: string[]; fixtures: number; corpus: number; corpusFound: boolean };
export function makeCase(seed: number, n: number, files: string[], read?: (path: string) => string, only?: string[]): FuzzCase;
export function checkOutput(out: LintOutput, paths: string[]): Violation[];
export function loadApi(dist?: string): Promise<FuzzApi>;
export function runCase(api: FuzzApi, c: FuzzCase): Violation[];
export function fuzz(opts: FuzzOptions): Promise<FuzzResult>;
