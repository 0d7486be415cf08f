import type { FileResult } from '../engine/lint.js';
import type { Rule } from '../engine/rule.js';
import { formatCheckstyle } from './checkstyle.js';
import { formatGithub } from './github.js';
import { formatGitlab } from './gitlab.js';
import { formatHtml } from './html.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';

export interface FormatContext {
  cwd: string;
  color: boolean;
  rules: Rule[];
  /** OSC 8 links in the terminal (stylish); by default decided from `color` and `env` (`hyperlinksEnabled`). */
  hyperlinks?: boolean;
  /** The environment the terminal is described by (`FORCE_HYPERLINK`, `TERM_PROGRAM`, `CI`...); `process.env` by default. */
  env?: NodeJS.ProcessEnv;
}

export type Formatter = (results: FileResult[], context: FormatContext) => string;

export const FORMATTERS: Record<string, Formatter> = {
  stylish: formatStylish,
  json: formatJson,
  sarif: formatSarif,
  junit: formatJunit,
  github: formatGithub,
  gitlab: formatGitlab,
  checkstyle: formatCheckstyle,
  html: formatHtml,
};
