/**
 * The lexical layer shared by DynamoDB's expression grammars (condition, key condition,
 * update, projection): names, `#name` and `:value` placeholders, list indexes and operators.
 * A syntax error names the offending token and the text around it, as DynamoDB does:
 * `Syntax error; token: ":", near: "hits : incr"` (`<EOF>` at the end).
 */
import { ExpressionError } from "./expression-error.js";

export type TokenKind = "name" | "attrName" | "attrValue" | "number" | "punct" | "unknown" | "eof";

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const WORD = /[A-Za-z0-9_]/;
const PUNCT = new Set(["(", ")", "[", "]", ",", ".", "=", "+", "-"]);
const WHITESPACE = new Set([" ", "\t", "\r", "\n"]);

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (WHITESPACE.has(c)) {
      i++;
      continue;
    }
    const token = readToken(source, i, c);
    tokens.push(token);
    i = token.end;
  }
  tokens.push({ kind: "eof", text: "<EOF>", start: source.length, end: source.length });
  return tokens;
}

function readToken(source: string, i: number, c: string): Token {
  const word = (from: number): number => {
    let j = from;
    while (j < source.length && WORD.test(source[j] as string)) j++;
    return j;
  };
  const make = (kind: TokenKind, end: number): Token => ({ kind, text: source.slice(i, end), start: i, end });
  if (/[A-Za-z_]/.test(c)) return make("name", word(i));
  if (/[0-9]/.test(c)) {
    let j = i;
    while (j < source.length && /[0-9]/.test(source[j] as string)) j++;
    return make("number", j);
  }
  if (c === "#" || c === ":") {
    const end = word(i + 1);
    return end > i + 1 ? make(c === "#" ? "attrName" : "attrValue", end) : make("unknown", i + 1);
  }
  if (c === "<") return make("punct", source[i + 1] === ">" || source[i + 1] === "=" ? i + 2 : i + 1);
  if (c === ">") return make("punct", source[i + 1] === "=" ? i + 2 : i + 1);
  if (PUNCT.has(c)) return make("punct", i + 1);
  return make("unknown", i + (c.codePointAt(0)! > 0xffff ? 2 : 1));
}

/** A cursor over the tokens of one expression, with DynamoDB's syntax error messages. */
export class TokenStream {
  private readonly tokens: Token[];
  private index = 0;

  constructor(readonly source: string) {
    this.tokens = tokenize(source);
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  next(): Token {
    const t = this.peek();
    if (t.kind !== "eof") this.index++;
    return t;
  }

  get position(): number {
    return this.index;
  }

  set position(p: number) {
    this.index = p;
  }

  atEnd(): boolean {
    return this.peek().kind === "eof";
  }

  /** Is the next token this operator or punctuation? */
  at(punct: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === "punct" && t.text === punct;
  }

  /** Is the next token this keyword (case-insensitive)? */
  atKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === "name" && t.text.toUpperCase() === word;
  }

  expect(punct: string): Token {
    if (!this.at(punct)) throw this.syntaxError();
    return this.next();
  }

  expectKeyword(word: string): Token {
    if (!this.atKeyword(word)) throw this.syntaxError();
    return this.next();
  }

  /** DynamoDB's syntax error at the next token (or at `at`). */
  syntaxError(at: number = this.index): ExpressionError {
    const i = Math.min(at, this.tokens.length - 1);
    const token = this.tokens[i] as Token;
    const previous = i > 0 ? (this.tokens[i - 1] as Token) : token;
    const following = this.tokens[i + 1];
    const end = token.kind === "eof" ? this.source.length : following && following.kind !== "eof" ? following.end : token.end;
    const near = this.source.slice(previous.start, end);
    return new ExpressionError(`Syntax error; token: "${token.text}", near: "${near}"`);
  }

  /** Fails unless every token was consumed. */
  expectEnd(): void {
    if (!this.atEnd()) throw this.syntaxError();
  }
}
