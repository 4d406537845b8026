import { createRequire } from 'node:module';

/**
 * A YAML writer for JSON data (plain objects, arrays, strings, numbers,
 * booleans, null), byte for byte what the `yaml` library writes for the same
 * data with `lineWidth: 0` in block style, without building its document
 * tree: that tree made YAML serialization most of a large synth.
 *
 * The rules (when a string is plain, quoted or a literal block; chomping;
 * which plain strings would read back as another type) follow `yaml` 2.x's
 * stringifier. `test/yaml-writer.test.ts` compares the two on generated data
 * full of YAML's corner cases. Anything beyond JSON data (a Date, a Map, a
 * class instance, an object with `toJSON`) is left to the library: the
 * writer returns undefined and the caller falls back.
 */

let yaml: typeof import('yaml') | undefined;

/**
 * The `yaml` library, loaded when first needed: to read YAML, or to write
 * what the writer leaves to it. A synth of JSON manifests never loads it
 * (cdk8s loads its own bundled copy).
 */
export function yamlLibrary(): typeof import('yaml') {
  yaml ??= createRequire(__filename)('yaml') as typeof import('yaml');
  return yaml;
}

/** How a document is written. */
export interface YamlStyle {
  /** The YAML version whose types decide which strings need quotes. */
  readonly version: '1.1' | '1.2';
  /** Whether map keys are sorted (as `sortMapEntries: true`). */
  readonly sortMapEntries: boolean;
  /** Whether a map key whose value is undefined is kept (written `null`) or dropped. */
  readonly keepUndefined: boolean;
}

/** The style of cdk8s's `Yaml.stringify`: YAML 1.1, keys in insertion order, undefined kept as null. */
export const CDK8S_YAML_STYLE: YamlStyle = { version: '1.1', sortMapEntries: false, keepUndefined: true };

/** The style of `yaml`'s `stringify(values, { sortMapEntries: true, lineWidth: 0 })`. */
export const SORTED_YAML_STYLE: YamlStyle = { version: '1.2', sortMapEntries: true, keepUndefined: false };

/**
 * The YAML text of one document whose root is a map or a sequence, or
 * undefined when it holds anything but JSON data (write it with the `yaml`
 * library then).
 */
export function tryWriteYaml(doc: unknown, style: YamlStyle): string | undefined {
  if (!isCollection(doc)) {
    return undefined;
  }
  try {
    return `${new Writer(style).node(doc, '', false)}\n`;
  } catch (e) {
    if (e === NOT_JSON) {
      return undefined;
    }
    throw e;
  }
}

/**
 * The YAML text of a document and what it reads back as, for a writer that
 * hands both on (Helm values: the whole-cluster checks then read them without
 * a YAML parser). `readsBackAs` is undefined when the data would not read back
 * as written (see below); the text must then be parsed.
 */
export interface WrittenDocument {
  /** The YAML text. */
  readonly text: string;
  /** What `yaml`'s `parse(text)` returns, when known without parsing. */
  readonly readsBackAs?: unknown;
}

/** Writes a document like {@link tryWriteYaml}, with what it reads back as. */
export function writeDocument(doc: unknown, style: YamlStyle): WrittenDocument | undefined {
  const text = tryWriteYaml(doc, style);
  if (text === undefined) {
    return undefined;
  }
  return { text, readsBackAs: readsBackAsWritten(doc) ? readBack(doc, style) : undefined };
}

/**
 * Whether every string of the data reads back unchanged. A block scalar whose
 * first line holds only whitespace loses it (`yaml` writes it so, and YAML
 * reads it so: checked for every string of up to six spaces, tabs, line
 * breaks and letters), and a `<<` key is a merge for YAML 1.1
 * readers (Go's too), and `__proto__` is no plain key in JavaScript; such
 * documents are not read back here, and get parsed.
 */
function readsBackAsWritten(value: unknown): boolean {
  if (typeof value === 'string') {
    return !/^[ \t]*\n/.test(value);
  }
  if (Array.isArray(value)) {
    return value.every(readsBackAsWritten);
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).every(([k, v]) => k !== '<<' && k !== '__proto__' && readsBackAsWritten(k) && readsBackAsWritten(v));
  }
  return true;
}

/** A copy of JSON data as YAML reads it back: map keys in written order, undefined map values dropped (or null). */
function readBack(value: unknown, style: YamlStyle): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => (v === undefined ? null : readBack(v, style)));
  }
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    let keys = Object.keys(obj);
    if (style.sortMapEntries) {
      keys = keys.sort(byKey);
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      if (obj[key] !== undefined) {
        out[key] = readBack(obj[key], style);
      } else if (style.keepUndefined) {
        out[key] = null;
      }
    }
    return out;
  }
  return value;
}

/** Thrown inside the writer when a value is not JSON data. */
const NOT_JSON = new Error('not JSON data');

const INDENT_STEP = '  ';

/**
 * Strings that read back as another type, by YAML version (the default tags
 * of `yaml`'s schemas, besides str). `<<` is absent: `yaml` writes it plain
 * (as YAML 1.1's merge key).
 */
const OTHER_TYPES: Record<YamlStyle['version'], readonly RegExp[]> = {
  '1.1': [
    /^(?:~|[Nn]ull|NULL)?$/,
    /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
    /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
    /^[-+]?0b[0-1_]+$/,
    /^[-+]?0[0-7_]+$/,
    /^[-+]?[0-9][0-9_]*$/,
    /^[-+]?0x[0-9a-fA-F_]+$/,
    /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
    /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
    /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
    /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
    /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\.[0-9]+)?)(?:[ \t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/,
  ],
  '1.2': [
    /^(?:~|[Nn]ull|NULL)?$/,
    /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
    /^0o[0-7]+$/,
    /^[-+]?[0-9]+$/,
    /^0x[0-9a-fA-F]+$/,
    /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
    /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
  ],
};
/**
 * Every pattern of OTHER_TYPES matches only the empty string or strings
 * starting with one of these: every other string skips the patterns.
 */
const OTHER_TYPE_START = /^[~nNyYtTfFoOeE.+\-0-9]/;

/** Characters that force double quotes: controls and unpaired surrogates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this pattern finds
const FORCE_DOUBLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
/** What a plain scalar cannot hold (an indicator first, `: `, ` #`, whitespace at the ends of lines...). */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/** Lines a YAML 1.1 reader would take for a directive or a document marker. */
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const DOUBLE_QUOTED_MIN_MULTILINE = 40;
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;

/** The order of `sortMapEntries: true`: by key, as strings compare. */
function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isCollection(value: unknown): value is object {
  return Array.isArray(value) || isPlainObject(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') {
    return false;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

class Writer {
  private readonly otherTypes: readonly RegExp[];

  constructor(private readonly style: YamlStyle) {
    this.otherTypes = OTHER_TYPES[style.version];
  }

  /** Any value at `indent` (the indentation of its own nested lines). */
  public node(value: unknown, indent: string, implicitKey: boolean): string {
    switch (typeof value) {
      case 'string':
        return this.string(value, indent, implicitKey);
      case 'number':
        return Number.isFinite(value) ? (Object.is(value, -0) ? '-0' : JSON.stringify(value)) : Number.isNaN(value) ? '.nan' : value < 0 ? '-.inf' : '.inf';
      case 'boolean':
        return value ? 'true' : 'false';
      case 'undefined':
        return 'null';
      case 'object':
        if (value === null) {
          return 'null';
        }
        if (Array.isArray(value)) {
          return this.seq(value, indent);
        }
        if (isPlainObject(value)) {
          return this.map(value, indent);
        }
        throw NOT_JSON;
      default:
        throw NOT_JSON;
    }
  }

  private seq(items: readonly unknown[], indent: string): string {
    if (items.length === 0) {
      return '[]';
    }
    const itemIndent = indent + INDENT_STEP;
    let out = '';
    for (let i = 0; i < items.length; i++) {
      if (i > 0) {
        out += `\n${indent}`;
      }
      out += `- ${this.node(items[i], itemIndent, false)}`;
    }
    return out;
  }

  private map(obj: Record<string, unknown>, indent: string): string {
    let keys = Object.keys(obj);
    if (!this.style.keepUndefined) {
      keys = keys.filter((k) => obj[k] !== undefined);
    }
    if (this.style.sortMapEntries) {
      keys.sort(byKey);
    }
    if (keys.length === 0) {
      return '{}';
    }
    const inner = indent + INDENT_STEP;
    let out = '';
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) {
        out += `\n${indent}`;
      }
      const value = obj[keys[i]];
      const key = this.string(keys[i], inner, true);
      // A key longer than 1024 characters must be explicit (`? key`).
      out += key.length > 1024 ? `? ${key}\n${indent}:` : `${key}:`;
      const text = this.node(value, inner, false);
      if (key.length <= 1024 && isCollection(value)) {
        // A collection starts on its own line, unless it is empty (`{}`, `[]`).
        out += text === '[]' || text === '{}' ? ` ${text}` : `\n${inner}${text}`;
      } else {
        out += text === '' || text[0] === '\n' ? text : ` ${text}`;
      }
    }
    return out;
  }

  private string(value: string, indent: string, implicitKey: boolean): string {
    if (FORCE_DOUBLE.test(value)) {
      return doubleQuoted(value, indent, implicitKey);
    }
    const multiline = value.includes('\n');
    if (implicitKey && multiline) {
      return quoted(value, indent, implicitKey);
    }
    if (NOT_PLAIN.test(value)) {
      return implicitKey || !multiline ? quoted(value, indent, implicitKey) : block(value, indent, implicitKey);
    }
    if (multiline) {
      return block(value, indent, implicitKey);
    }
    if (implicitKey && indent === INDENT_STEP && DOCUMENT_MARKER.test(value)) {
      return quoted(value, indent, implicitKey);
    }
    if ((value === '' || OTHER_TYPE_START.test(value)) && this.otherTypes.some((re) => re.test(value))) {
      return quoted(value, indent, implicitKey);
    }
    return value;
  }
}

function quoted(value: string, indent: string, implicitKey: boolean): string {
  const hasDouble = value.includes('"');
  const hasSingle = value.includes("'");
  return hasDouble && !hasSingle ? singleQuoted(value, indent, implicitKey) : doubleQuoted(value, indent, implicitKey);
}

function singleQuoted(value: string, indent: string, implicitKey: boolean): string {
  if ((implicitKey && value.includes('\n')) || /[ \t]\n|\n[ \t]/.test(value)) {
    return doubleQuoted(value, indent, implicitKey);
  }
  const ind = indent || (DOCUMENT_MARKER.test(value) ? INDENT_STEP : '');
  return `'${value.replace(/'/g, "''").replace(/\n+/g, `$&\n${ind}`)}'`;
}

/** JSON's escapes, with YAML's short forms, and line breaks written as folded lines in long values. */
function doubleQuoted(value: string, indent: string, implicitKey: boolean): string {
  const json = JSON.stringify(value);
  const ind = indent || (DOCUMENT_MARKER.test(value) ? INDENT_STEP : '');
  let str = '';
  let start = 0;
  for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
    if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
      // a space before a line break is escaped, else folding would eat it
      str += `${json.slice(start, i)}\\ `;
      i += 1;
      start = i;
      ch = '\\';
    }
    if (ch === '\\') {
      switch (json[i + 1]) {
        case 'u': {
          str += json.slice(start, i);
          const code = json.substr(i + 2, 4);
          str += SHORT_ESCAPES[code] ?? (code.startsWith('00') ? `\\x${code.substr(2)}` : json.substr(i, 6));
          i += 5;
          start = i + 1;
          break;
        }
        case 'n':
          if (implicitKey || json[i + 2] === '"' || json.length < DOUBLE_QUOTED_MIN_MULTILINE) {
            i += 1;
          } else {
            // a folded line break: the first newline is eaten by folding
            str += `${json.slice(start, i)}\n\n`;
            while (json[i + 2] === '\\' && json[i + 3] === 'n' && json[i + 4] !== '"') {
              str += '\n';
              i += 2;
            }
            str += ind;
            if (json[i + 2] === ' ') {
              str += '\\';
            }
            i += 1;
            start = i + 1;
          }
          break;
        default:
          i += 1;
      }
    }
  }
  return start ? str + json.slice(start) : json;
}

const SHORT_ESCAPES: Record<string, string> = {
  '0000': '\\0',
  '0007': '\\a',
  '000b': '\\v',
  '001b': '\\e',
  '0085': '\\N',
  '00a0': '\\_',
  '2028': '\\L',
  '2029': '\\P',
};

/** A literal block scalar (`|`), with the chomping and indentation indicators its ends need. */
function block(input: string, indent: string, implicitKey: boolean): string {
  // A block cannot end in whitespace after its last line break.
  if (/\n[\t ]+$/.test(input)) {
    return quoted(input, indent, implicitKey);
  }
  let value = input;
  const ind = indent || (DOCUMENT_MARKER.test(value) ? INDENT_STEP : '');
  let endStart = value.length;
  for (; endStart > 0; --endStart) {
    const ch = value[endStart - 1];
    if (ch !== '\n' && ch !== '\t' && ch !== ' ') {
      break;
    }
  }
  let end = value.substring(endStart);
  const endNlPos = end.indexOf('\n');
  const chomp = endNlPos === -1 ? '-' : value === end || endNlPos !== end.length - 1 ? '+' : '';
  if (end) {
    value = value.slice(0, -end.length);
    if (end[end.length - 1] === '\n') {
      end = end.slice(0, -1);
    }
    end = end.replace(BLOCK_END_NEWLINES, `$&${ind}`);
  }
  let startWithSpace = false;
  let startEnd = 0;
  let startNlPos = -1;
  for (; startEnd < value.length; ++startEnd) {
    const ch = value[startEnd];
    if (ch === ' ') {
      startWithSpace = true;
    } else if (ch === '\n') {
      startNlPos = startEnd;
    } else {
      break;
    }
  }
  let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${ind}`);
  }
  const header = (startWithSpace ? (ind ? '2' : '1') : '') + chomp;
  return `|${header}\n${ind}${start}${value.replace(/\n+/g, `$&${ind}`)}${end}`;
}
