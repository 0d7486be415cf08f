import { packageVersion } from '../engine/paths.js';
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';

/**
 * Where the project lives; rule docs links are built from it. package.json has no
 * `repository` field: when one is added, change this one constant to match it.
 */
export const REPOSITORY_URL = 'https://github.com/stowage-dev/stowage';

/** A rule's docs page as a URL: a URL stays as it is (plugins), a path points into the repository. */
export function docsUrl(docs: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(docs)) return docs;
  return `${REPOSITORY_URL}/blob/main/${docs.replace(/^\.?\//, '').split('/').map(encodeURIComponent).join('/')}`;
}

/** The version in package.json (read once, by packageVersion). */
export function toolVersion(): string {
  try {
    return packageVersion();
  } catch {
    return '0.0.0';
  }
}

/** A path relative to the working directory with forward slashes (what CI systems expect). */
export function relPath(cwd: string, path: string): string {
  return (relative(cwd, path) || path).split(sep).join('/');
}

/** Characters XML 1.0 cannot hold at all (control characters other than tab, newline and carriage return, lone surrogates, U+FFFE/U+FFFF). */
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escape text for an XML attribute or text node. */
export function xmlEscape(s: string): string {
  return s
    .replace(XML_INVALID, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

/** Escape text for an XML text node (newlines kept as they are). */
export function xmlText(s: string): string {
  return s.replace(XML_INVALID, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
