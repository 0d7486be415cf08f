import type { FileResult } from '../engine/lint.js';
import type { Rule } from '../engine/rule.js';
import { formatJson } from './json.js';
import { formatStylish } from './stylish.js';

export interface FormatContext {
  cwd: string;
  color: boolean;
  rules: Rule[];
}

export type Formatter = (results: FileResult[], context: FormatContext) => string;

export const FORMATTERS: Record<string, Formatter> = {
  stylish: formatStylish,
  json: formatJson,
};
