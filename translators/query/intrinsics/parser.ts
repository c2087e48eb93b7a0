/**
 * Parses one intrinsic call into a tree, once, when the definition loads.
 *
 * Grammar (ASL spec "Intrinsic Functions", https://states-language.net/#intrinsic-functions,
 * and https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html):
 *   call := NAME "(" [ arg { "," arg } ] ")"      NAME is [A-Za-z0-9_.]+, "(" follows at once
 *   arg  := 'string' | number | null | true | false | path | call
 * Whitespace may surround arguments. In a string literal `\'`, `\{`, `\}` and `\\` stand for
 * `'`, `{`, `}` and `\`; any other backslash is an error. An unescaped `{}` is a
 * States.Format placeholder. Calls nest at most 10 deep.
 */
import type { Json } from "../../json.js";
import { SyntaxProblem } from "./errors.js";

export type ArgNode =
  | { readonly kind: "literal"; readonly value: Json; readonly text: string }
  /** `template` is the text split on unescaped `{}` (States.Format placeholders). */
  | { readonly kind: "string"; readonly value: string; readonly template: readonly string[]; readonly text: string }
  | { readonly kind: "path"; readonly text: string }
  | { readonly kind: "call"; readonly call: CallNode };

export interface CallNode {
  readonly name: string;
  readonly args: readonly ArgNode[];
  /** The call as written. */
  readonly text: string;
}

/** AWS: "You can nest up to 10 intrinsic functions within a field". */
export const MAX_NESTING = 10;

const NAME = /[A-Za-z0-9_.]+/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const KEYWORD = /(?:null|true|false)(?![A-Za-z0-9_.$])/y;
const KEYWORDS: Readonly<Record<string, Json>> = { null: null, true: true, false: false };
const ESCAPABLE = new Set(["'", "{", "}", "\\"]);
const SPACE = /\s/;

/** Parses `text` (a whole call, optionally followed by whitespace); throws SyntaxProblem. */
export function parseIntrinsic(text: string): CallNode {
  const parser = new Parser(text);
  const call = parser.call(1);
  parser.skipSpace();
  if (!parser.atEnd()) throw parser.problem("unexpected text after the call");
  return call;
}

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  atEnd = (): boolean => this.pos >= this.src.length;

  problem = (detail: string): SyntaxProblem => new SyntaxProblem(`${detail} (at position ${this.pos})`);

  skipSpace(): void {
    while (SPACE.test(this.src[this.pos] ?? "")) this.pos++;
  }

  call(depth: number): CallNode {
    if (depth > MAX_NESTING) throw this.problem(`intrinsic functions nest at most ${MAX_NESTING} deep`);
    const start = this.pos;
    const name = this.match(NAME);
    if (name === undefined) throw this.problem("expected a function name");
    if (!this.eat("(")) throw this.problem(`expected '(' right after '${name}'`);
    const args = this.argList(depth);
    return { name, args, text: this.src.slice(start, this.pos) };
  }

  private argList(depth: number): ArgNode[] {
    const args: ArgNode[] = [];
    this.skipSpace();
    if (this.eat(")")) return args;
    for (;;) {
      this.skipSpace();
      args.push(this.arg(depth));
      this.skipSpace();
      if (this.eat(")")) return args;
      if (!this.eat(",")) throw this.problem("expected ',' or ')' after an argument");
    }
  }

  private arg(depth: number): ArgNode {
    const c = this.src[this.pos];
    if (c === "'") return this.stringLiteral();
    if (c === "$") return { kind: "path", text: this.path() };
    const num = this.match(NUMBER);
    if (num !== undefined) return { kind: "literal", value: this.finite(Number(num)), text: num };
    const keyword = this.match(KEYWORD);
    if (keyword !== undefined) return { kind: "literal", value: KEYWORDS[keyword] ?? null, text: keyword };
    if (c !== undefined && /[A-Za-z]/.test(c)) return { kind: "call", call: this.call(depth + 1) };
    throw this.problem(c === undefined ? "unexpected end of the call" : `unexpected character '${c}'`);
  }

  private stringLiteral(): ArgNode {
    const start = this.pos++;
    const template: string[] = [];
    let value = "";
    let piece = "";
    for (;;) {
      const c = this.src[this.pos++];
      if (c === undefined) throw this.problem("unterminated string literal");
      if (c === "'") break;
      if (c === "{" && this.src[this.pos] === "}") {
        this.pos++;
        value += "{}";
        template.push(piece);
        piece = "";
        continue;
      }
      const char = c === "\\" ? this.escaped() : c;
      value += char;
      piece += char;
    }
    template.push(piece);
    return { kind: "string", value, template, text: this.src.slice(start, this.pos) };
  }

  /** The character after a backslash; AWS: "an open escape backslash" is an error. */
  private escaped(): string {
    const e = this.src[this.pos];
    if (e === undefined || !ESCAPABLE.has(e)) {
      throw this.problem(`invalid escape '\\${e ?? ""}': only \\' \\{ \\} and \\\\ are allowed`);
    }
    this.pos++;
    return e;
  }

  /** A path runs to the first ',', ')' or space outside brackets, parentheses and quotes. */
  private path(): string {
    const start = this.pos;
    const closers: string[] = [];
    let quote: string | undefined;
    for (; this.pos < this.src.length; this.pos++) {
      const c = this.src[this.pos] as string;
      if (quote !== undefined) {
        if (c === "\\") this.pos++;
        else if (c === quote) quote = undefined;
      } else if (closers.length > 0 && (c === "'" || c === '"')) quote = c;
      else if (c === "[" || c === "(") closers.push(c === "[" ? "]" : ")");
      else if (c === "]" || c === ")") {
        if (closers.length === 0 && c === ")") break;
        if (closers.pop() !== c) throw this.problem(`unbalanced '${c}' in a path`);
      } else if (closers.length === 0 && (c === "," || SPACE.test(c))) break;
    }
    if (quote !== undefined || closers.length > 0) throw this.problem("unterminated path");
    return this.src.slice(start, this.pos);
  }

  /** A number literal as a JSON number (-0 reads as 0). */
  private finite(n: number): number {
    if (!Number.isFinite(n)) throw this.problem("number out of range");
    return n === 0 ? 0 : n;
  }

  private match(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.src);
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  private eat(s: string): boolean {
    if (!this.src.startsWith(s, this.pos)) return false;
    this.pos += s.length;
    return true;
  }
}
