import jsonc from 'jsonc-parser';
import type { Node as JNode, ParseError } from 'jsonc-parser';
import { MapNode, ScalarNode, SeqNode, SourceFile, type LoadedFile, type Node, type SyntaxProblem } from './tree.js';
import { MAX_DEPTH } from './yaml.js';

const { parseTree, printParseErrorCode } = jsonc;

export function loadJson(path: string, text: string): LoadedFile {
  const file = new SourceFile(path, text, 'json');
  const errs: ParseError[] = [];
  let tree: JNode | undefined;
  const errors: SyntaxProblem[] = [];
  try {
    tree = parseTree(text, errs, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch (e) {
    errors.push({ message: e instanceof RangeError ? `nesting is too deep to read` : String(e), start: 0, end: 1 });
  }
  for (const e of errs) errors.push({ message: describeJsonError(printParseErrorCode(e.error)), start: e.offset, end: e.offset + Math.max(1, e.length) });
  let root: Node | undefined;
  if (errors.length === 0 && tree) {
    try {
      root = convert(file, tree, undefined, 0);
    } catch (e) {
      errors.push({ message: e instanceof Error ? e.message : String(e), start: 0, end: 1 });
    }
  }
  return { file, documents: [{ root: errors.length ? undefined : root, start: 0, end: text.length, errors, warnings: [] }] };
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
    case 'UnexpectedEndOfString':
      return 'unexpected end of string';
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

function convert(file: SourceFile, j: JNode, key: ScalarNode | undefined, depth: number): Node {
  if (depth > MAX_DEPTH) throw new Error(`nesting is too deep to read (over ${MAX_DEPTH} levels)`);
  const start = j.offset;
  const end = j.offset + j.length;
  let node: Node;
  switch (j.type) {
    case 'object': {
      const map = new MapNode(file, start, end);
      for (const prop of j.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (!k) continue;
        const keyNode = new ScalarNode(file, k.offset, k.offset + k.length, String(k.value), true);
        const value = v ? convert(file, v, keyNode, depth + 1) : new ScalarNode(file, keyNode.end, keyNode.end, null);
        value.parent = map;
        value.parentKey = keyNode;
        map.entries.push({ key: keyNode, value });
      }
      node = map;
      break;
    }
    case 'array': {
      const seq = new SeqNode(file, start, end);
      for (const c of j.children ?? []) {
        const item = convert(file, c, undefined, depth + 1);
        item.parent = seq;
        seq.items.push(item);
      }
      node = seq;
      break;
    }
    default:
      node = new ScalarNode(file, start, end, (j.value ?? null) as string | number | boolean | null, j.type === 'string');
  }
  return node;
}
