/**
 * The UpdateExpression grammar, by recursive descent:
 *   update   := clause+                  (each of SET, REMOVE, ADD, DELETE at most once)
 *   clause   := SET path "=" value ( "," path "=" value )*
 *             | REMOVE path ( "," path )*
 *             | ADD path :value ( "," path :value )*
 *             | DELETE path :value ( "," path :value )*
 *   value    := operand ( ( "+" | "-" ) operand )?
 *   operand  := path | :value | "(" value ")" | if_not_exists "(" path "," value ")"
 *             | list_append "(" value "," value ")"
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
 */
import { typeOf, type AttributeType, type AttributeValue } from "../attribute-value.js";
import { atPath, checkPathsDisjoint, parsePath, type DocumentPath } from "./document-path.js";
import type { ExpressionContext } from "./expression-context.js";
import { ExpressionError, Problems, type ProblemKind } from "./expression-error.js";
import { TokenStream } from "./tokenizer.js";

export type UpdateValue =
  | { readonly kind: "path"; readonly path: DocumentPath }
  | { readonly kind: "value"; readonly value: AttributeValue | undefined }
  | { readonly kind: "if_not_exists"; readonly path: DocumentPath; readonly fallback: UpdateValue }
  | { readonly kind: "list_append"; readonly left: UpdateValue; readonly right: UpdateValue }
  | { readonly kind: "+" | "-"; readonly left: UpdateValue; readonly right: UpdateValue };

export type UpdateAction =
  | { readonly kind: "SET"; readonly path: DocumentPath; readonly value: UpdateValue }
  | { readonly kind: "REMOVE"; readonly path: DocumentPath }
  | { readonly kind: "ADD" | "DELETE"; readonly path: DocumentPath; readonly value: AttributeValue };

const CLAUSES = ["SET", "REMOVE", "ADD", "DELETE"] as const;
type Clause = (typeof CLAUSES)[number];

const PRECEDENCE: readonly (ProblemKind | readonly ProblemKind[])[] = [
  "reserved",
  "unknownFunction",
  "section",
  "attrName",
  "attrValue",
  "pathOverlap",
  "pathConflict",
  "operand",
  ["operandCount", "function"],
];

/** How DynamoDB names a value's type in ADD/DELETE operand messages. */
const TYPE_WORDS: Partial<Record<AttributeType, string>> = { S: "STRING", N: "NUMBER", B: "BINARY", NULL: "NULL", BOOL: "BOOLEAN", L: "LIST", M: "MAP" };

/** Parses an update expression; throws ExpressionError with DynamoDB's message. */
export function parseUpdate(source: string, context: ExpressionContext): UpdateAction[] {
  if (source === "") throw new ExpressionError("The expression can not be empty;");
  return new UpdateParser(source, context).parse();
}

class UpdateParser {
  private readonly tokens: TokenStream;
  private readonly problems = new Problems();
  private readonly seen = new Set<Clause>();

  constructor(
    source: string,
    private readonly context: ExpressionContext,
  ) {
    this.tokens = new TokenStream(source);
  }

  parse(): UpdateAction[] {
    const actions: UpdateAction[] = [];
    do actions.push(...this.clause());
    while (!this.tokens.atEnd());
    checkPathsDisjoint(actions.map((a) => a.path), this.problems);
    this.problems.raise(PRECEDENCE);
    return actions;
  }

  private clause(): UpdateAction[] {
    const clause = CLAUSES.find((c) => this.tokens.atKeyword(c));
    if (!clause) throw this.tokens.syntaxError();
    this.tokens.next();
    if (this.seen.has(clause)) this.problems.add("section", `The "${clause}" section can only be used once in an update expression;`);
    this.seen.add(clause);
    const actions = [this.action(clause)];
    while (this.tokens.at(",")) {
      this.tokens.next();
      actions.push(this.action(clause));
    }
    return actions;
  }

  private action(clause: Clause): UpdateAction {
    const path = this.path();
    if (clause === "REMOVE") return { kind: "REMOVE", path };
    if (clause === "SET") {
      this.tokens.expect("=");
      return { kind: "SET", path, value: this.value() };
    }
    const t = this.tokens.peek();
    if (t.kind !== "attrValue") throw this.tokens.syntaxError();
    this.tokens.next();
    const value = this.context.value(t.text, this.problems) ?? { NULL: true };
    this.checkOperand(clause, value);
    return { kind: clause, path, value };
  }

  /** ADD takes a number or a set; DELETE takes a set. */
  private checkOperand(clause: "ADD" | "DELETE", value: AttributeValue): void {
    const word = TYPE_WORDS[typeOf(value)];
    if (word && !(clause === "ADD" && typeOf(value) === "N")) {
      this.problems.add("operand", `Incorrect operand type for operator or function; operator: ${clause}, operand type: ${word}`);
    }
  }

  private path(): DocumentPath {
    if (!atPath(this.tokens)) throw this.tokens.syntaxError();
    return parsePath(this.tokens, this.context, this.problems);
  }

  private value(): UpdateValue {
    const left = this.operand();
    const t = this.tokens.peek();
    if (!this.tokens.at("+") && !this.tokens.at("-")) return left;
    this.tokens.next();
    const right = this.operand();
    const op = t.text as "+" | "-";
    this.checkTypes(op, [left, right], "N");
    return { kind: op, left, right };
  }

  private operand(): UpdateValue {
    const t = this.tokens.peek();
    if (t.kind === "attrValue") {
      this.tokens.next();
      return { kind: "value", value: this.context.value(t.text, this.problems) };
    }
    if (this.tokens.at("(")) {
      this.tokens.next();
      const inner = this.value();
      this.tokens.expect(")");
      return inner;
    }
    if (t.kind === "name" && this.tokens.at("(", 1)) return this.call(t.text);
    return { kind: "path", path: this.path() };
  }

  private call(name: string): UpdateValue {
    this.tokens.next();
    this.tokens.expect("(");
    const args = [this.value()];
    while (this.tokens.at(",")) {
      this.tokens.next();
      args.push(this.value());
    }
    this.tokens.expect(")");
    if (name !== "if_not_exists" && name !== "list_append") {
      this.problems.add("unknownFunction", `Invalid function name; function: ${name}`);
      return { kind: "value", value: undefined };
    }
    if (args.length !== 2) {
      this.problems.add("operandCount", `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`);
      return { kind: "value", value: undefined };
    }
    const [first, second] = args as [UpdateValue, UpdateValue];
    if (name === "list_append") {
      this.checkTypes(name, args, "L");
      return { kind: "list_append", left: first, right: second };
    }
    if (first.kind !== "path") {
      this.problems.add("function", `Operator or function requires a document path; operator or function: ${name}`);
      return { kind: "value", value: undefined };
    }
    return { kind: "if_not_exists", path: first.path, fallback: second };
  }

  /** Literal operands of `+`, `-` and list_append must have the type they work on. */
  private checkTypes(operator: string, args: readonly UpdateValue[], type: AttributeType): void {
    for (const a of args) {
      const t = a.kind === "value" && a.value ? typeOf(a.value) : undefined;
      if (t && t !== type) {
        this.problems.add("function", `Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${t}`);
        return;
      }
    }
  }
}
