/**
 * Definition text → JSON value. Invalid JSON is reported with its line and column
 * (INVALID_JSON_DESCRIPTION), empty text as MISSING_DESCRIPTION, and duplicate keys, which
 * JSON.parse would silently collapse, as DUPLICATE_STATE_NAME inside a States object and as
 * INVALID_JSON_DESCRIPTION elsewhere.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html
 */
import { Diagnostics, pointer, type Diagnostic } from "./diagnostics.js";

export interface ParsedDefinition {
  /** The parsed value; undefined when the text is empty or not valid JSON. */
  readonly value?: unknown;
  readonly diagnostics: Diagnostic[];
}

/** Parses definition text; never throws. */
export function parseDefinitionText(text: string): ParsedDefinition {
  const diags = new Diagnostics();
  if (text.trim() === "") {
    diags.error("", "MISSING_DESCRIPTION", "The state machine definition is empty: expected a JSON object with StartAt and States.");
    return { diagnostics: diags.items };
  }
  const parser = new JsonTextParser(text);
  try {
    const value = parser.parseDocument();
    parser.duplicates.forEach((d) => reportDuplicate(diags, d));
    return { value, diagnostics: diags.items };
  } catch (e) {
    if (!(e instanceof JsonTextError)) throw e;
    const { line, column } = lineAndColumn(text, e.offset);
    diags.error(e.location, "INVALID_JSON_DESCRIPTION", `Invalid JSON at line ${line}, column ${column}: ${e.message}.`);
    return { diagnostics: diags.items };
  }
}

interface Duplicate {
  readonly location: string;
  readonly key: string;
  /** Pointer of the object holding the key twice. */
  readonly container: string;
}

/** A States object: the definition's, a Parallel branch's or a Map processor's. */
const STATES_OBJECT = /^(\/States\/[^/]+\/(Branches\/\d+|ItemProcessor|Iterator))*\/States$/;

function reportDuplicate(diags: Diagnostics, d: Duplicate): void {
  if (STATES_OBJECT.test(d.container)) {
    diags.error(d.location, "DUPLICATE_STATE_NAME", `State name '${d.key}' appears more than once in this States object.`);
  } else {
    diags.error(d.location, "INVALID_JSON_DESCRIPTION", `Key '${d.key}' appears more than once in the same JSON object.`);
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

class JsonTextError extends Error {
  constructor(readonly offset: number, readonly location: string, message: string) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS: readonly [string, unknown][] = [["true", true], ["false", false], ["null", null]];
/** Deeper documents are refused rather than overflowing the stack. */
const MAX_DEPTH = 1_000;

/** A strict JSON (RFC 8259) parser that knows where it is: offset and JSON pointer. */
class JsonTextParser {
  private i = 0;
  readonly duplicates: Duplicate[] = [];
  constructor(private readonly text: string) {}

  parseDocument(): unknown {
    const value = this.value("", 0);
    this.skipSpace();
    if (this.i < this.text.length) this.fail("", "expected the end of the text after the JSON value");
    return value;
  }

  private value(location: string, depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail(location, `nesting deeper than ${MAX_DEPTH} levels is not supported`);
    this.skipSpace();
    const c = this.text[this.i];
    if (c === "{") return this.object(location, depth);
    if (c === "[") return this.array(location, depth);
    if (c === '"') return this.string(location);
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number(location);
    for (const [word, literal] of LITERALS) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return literal;
      }
    }
    return this.fail(location, "expected a JSON value");
  }

  private object(location: string, depth: number): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    if (this.peekAfterSpace() === "}") {
      this.i++;
      return out;
    }
    for (;;) {
      if (this.peekAfterSpace() !== '"') this.fail(location, "expected a double-quoted property name");
      const key = this.string(location);
      const at = pointer(location, key);
      if (Object.prototype.hasOwnProperty.call(out, key)) this.duplicates.push({ location: at, key, container: location });
      if (this.peekAfterSpace() !== ":") this.fail(location, "expected ':' after a property name");
      this.i++;
      // defineProperty: a "__proto__" key stays an own property, as with JSON.parse.
      Object.defineProperty(out, key, { value: this.value(at, depth + 1), enumerable: true, writable: true, configurable: true });
      const next = this.peekAfterSpace();
      this.i++;
      if (next === "}") return out;
      if (next !== ",") this.fail(location, "expected ',' or '}' after a property value", this.i - 1);
    }
  }

  private array(location: string, depth: number): unknown[] {
    this.i++;
    const out: unknown[] = [];
    if (this.peekAfterSpace() === "]") {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value(pointer(location, out.length), depth + 1));
      const next = this.peekAfterSpace();
      this.i++;
      if (next === "]") return out;
      if (next !== ",") this.fail(location, "expected ',' or ']' after an array element", this.i - 1);
    }
  }

  private string(location: string): string {
    const start = this.i;
    for (let j = start + 1; j < this.text.length; j++) {
      const code = this.text.charCodeAt(j);
      if (code === 0x5c) j++; // backslash: skip the escaped character
      else if (code < 0x20) this.fail(location, "control characters must be escaped in strings", j);
      else if (code === 0x22) {
        this.i = j + 1;
        try {
          return JSON.parse(this.text.slice(start, j + 1)) as string;
        } catch {
          return this.fail(location, "invalid escape sequence in string", start);
        }
      }
    }
    return this.fail(location, "unterminated string", start);
  }

  private number(location: string): number {
    NUMBER.lastIndex = this.i;
    const match = NUMBER.exec(this.text);
    if (match === null) return this.fail(location, "invalid number");
    this.i += match[0].length;
    return Number(match[0]);
  }

  private skipSpace(): void {
    while (this.i < this.text.length && " \t\n\r".includes(this.text[this.i] as string)) this.i++;
  }

  private peekAfterSpace(): string | undefined {
    this.skipSpace();
    return this.text[this.i];
  }

  private fail(location: string, expected: string, offset = this.i): never {
    const c = this.text[offset];
    const found = c === undefined ? "the end of the text" : `'${c}'`;
    throw new JsonTextError(offset, location, `${expected}, found ${found}`);
  }
}
