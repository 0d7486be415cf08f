import jsonc from 'jsonc-parser';
import type { Node as JNode, ParseError } from 'jsonc-parser';
import { clampLoaded, intern, MapNode, ScalarNode, SeqNode, SourceFile, trimmed, type LoadedFile, type Node, type SyntaxProblem } from './tree.js';
import { MAX_DEPTH, TOO_DEEP } from './yaml.js';

const { parseTree, printParseErrorCode } = jsonc;

/** A JSON text's documents; every range lies inside the text (see `clampProblem`). */
export function loadJson(path: string, text: string): LoadedFile {
  return clampLoaded(readJson(path, text));
}

function readJson(path: string, text: string): LoadedFile {
  const file = new SourceFile(path, text, 'json');
  const errs: ParseError[] = [];
  let tree: JNode | undefined;
  const errors: SyntaxProblem[] = [];
  const warnings: SyntaxProblem[] = [];
  const deep = jsonNestingBeyond(text, MAX_DEPTH);
  if (deep !== undefined) errors.push({ message: TOO_DEEP, start: deep, end: deep + 1 });
  else {
    try {
      // A byte-order mark (stdin, editors) is read as white space, keeping offsets those of the text.
      const src = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
      tree = parseTree(src, errs, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    } catch (e) {
      errors.push({ message: e instanceof RangeError ? TOO_DEEP : String(e), start: 0, end: 1 });
    }
  }
  // After the first error the parser's recovery reports follow-on errors (`"""x"""`, `$VAR,`): keep the first.
  const first = [...errs].sort((a, b) => a.offset - b.offset)[0];
  if (first && !errors.length) errors.push(describeError(text, first));
  let root: Node | undefined;
  if (errors.length === 0 && tree) {
    try {
      root = convert(file, tree, 0, warnings);
    } catch (e) {
      errors.push({ message: e instanceof Error ? e.message : String(e), start: 0, end: 1 });
    }
  }
  return { file, documents: [{ root: errors.length ? undefined : root, start: 0, end: text.length, errors, warnings: errors.length ? [] : warnings }] };
}

/** Offset at which JSON nesting first goes over `limit`, if it does (strings are skipped). */
export function jsonNestingBeyond(text: string, limit: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34 || d === 10) break;
      }
    } else if (c === 91 || c === 123) {
      if (++depth > limit) return i;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}

function describeError(text: string, e: ParseError): SyntaxProblem {
  const code = printParseErrorCode(e.error);
  const at = { start: e.offset, end: Math.max(e.offset, Math.min(text.length, e.offset + Math.max(1, e.length))) };
  if (code === 'InvalidSymbol') {
    const token = text.slice(e.offset, e.offset + Math.max(1, e.length));
    return { message: `unexpected ${JSON.stringify(token.length > 40 ? token.slice(0, 40) + '…' : token)}`, ...at };
  }
  if (code === 'PropertyNameExpected' || code === 'ValueExpected') {
    // `{"a": 1,}`: point at the comma.
    let k = e.offset - 1;
    while (k >= 0 && /\s/.test(text[k]!)) k--;
    if (text[k] === ',' && (text[e.offset] === '}' || text[e.offset] === ']')) return { message: 'trailing comma', start: k, end: k + 1 };
  }
  return { message: describeJsonError(code), ...at };
}

function describeJsonError(code: string): string {
  switch (code) {
    case 'InvalidSymbol':
      return 'unexpected character';
    case 'InvalidNumberFormat':
      return 'invalid number';
    case 'PropertyNameExpected':
      return 'property name expected';
    case 'ValueExpected':
      return 'value expected';
    case 'ColonExpected':
      return 'colon expected';
    case 'CommaExpected':
      return 'comma expected';
    case 'CloseBraceExpected':
      return 'closing brace expected';
    case 'CloseBracketExpected':
      return 'closing bracket expected';
    case 'EndOfFileExpected':
      return 'end of file expected';
    case 'InvalidCommentToken':
      return 'comments are not allowed in JSON';
    case 'UnexpectedEndOfComment':
      return 'unterminated comment';
    case 'UnexpectedEndOfString':
      return 'unterminated string';
    case 'UnexpectedEndOfNumber':
      return 'unexpected end of number';
    case 'InvalidUnicode':
      return 'invalid unicode escape';
    case 'InvalidEscapeCharacter':
      return 'invalid escape character';
    case 'InvalidCharacter':
      return 'invalid character';
    default:
      return code;
  }
}

function convert(file: SourceFile, j: JNode, depth: number, warnings: SyntaxProblem[]): Node {
  if (depth > MAX_DEPTH) throw new Error(TOO_DEEP);
  const start = j.offset;
  const end = j.offset + j.length;
  let node: Node;
  switch (j.type) {
    case 'object': {
      const map = new MapNode(file, start, end);
      const kv: Node[] = [];
      const index = new Map<string, number>(); // key → position in kv
      for (const prop of j.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (!k) continue;
        const name = intern(String(k.value));
        const keyNode = new ScalarNode(file, k.offset, k.offset + k.length, name);
        const value = v ? convert(file, v, depth + 1, warnings) : new ScalarNode(file, keyNode.end, keyNode.end, null);
        value.up = map;
        value.parentKey = keyNode;
        const prev = index.get(name);
        if (prev === undefined) {
          index.set(name, kv.length);
          kv.push(keyNode, value);
        } else {
          // The last of duplicate keys wins, as in CloudFormation and JSON.parse.
          warnings.push({ message: `duplicate key ${JSON.stringify(name)}`, start: keyNode.start, end: keyNode.end });
          kv[prev] = keyNode;
          kv[prev + 1] = value;
        }
      }
      map.kv = trimmed(kv);
      node = map;
      break;
    }
    case 'array': {
      const seq = new SeqNode(file, start, end);
      const items: Node[] = [];
      for (const c of j.children ?? []) {
        const item = convert(file, c, depth + 1, warnings);
        item.up = seq;
        items.push(item);
      }
      seq.items = trimmed(items);
      node = seq;
      break;
    }
    default:
      node = new ScalarNode(file, start, end, typeof j.value === 'string' ? intern(j.value) : ((j.value ?? null) as number | boolean | null));
  }
  return node;
}
