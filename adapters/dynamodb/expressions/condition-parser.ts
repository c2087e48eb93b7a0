/**
 * The condition grammar (ConditionExpression, FilterExpression, KeyConditionExpression), by
 * recursive descent:
 *   condition   := conjunction ( OR conjunction )*
 *   conjunction := negation ( AND negation )*
 *   negation    := NOT negation | predicate
 *   predicate   := "(" condition ")"
 *                | operand comparator operand
 *                | operand BETWEEN operand AND operand
 *                | operand IN "(" operand ( "," operand )* ")"
 *                | function "(" operand ( "," operand )* ")"
 *   operand     := path | :value | function "(" operand ( "," operand )* ")"
 * Keywords are case-insensitive; function names are not.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 */
import { COMPARATORS, type Comparator, type Condition, type Operand } from "./condition-ast.js";
import { checkBetween, checkCall, checkDistinct, checkMisused } from "./condition-checks.js";
import { atPath, parsePath } from "./document-path.js";
import type { ExpressionContext } from "./expression-context.js";
import { ExpressionError, Problems, type ProblemKind } from "./expression-error.js";
import { TokenStream } from "./tokenizer.js";

/** Which problem DynamoDB reports when a condition has several. */
const PRECEDENCE: readonly (ProblemKind | readonly ProblemKind[])[] = [
  "parens",
  "unknownFunction",
  "misusedFunction",
  "reserved",
  ["attrName", "attrValue"],
  "operandCount",
  "distinct",
  "function",
];

/** Parses a condition; throws ExpressionError with DynamoDB's message. */
export function parseCondition(source: string, context: ExpressionContext): Condition {
  if (source === "") throw new ExpressionError("The expression can not be empty;");
  return new ConditionParser(source, context).parse();
}

class ConditionParser {
  private readonly tokens: TokenStream;
  private readonly problems = new Problems();
  /** Conditions that were written inside their own parentheses (to spot `((a = :v))`). */
  private readonly grouped = new WeakSet<Condition>();

  constructor(
    source: string,
    private readonly context: ExpressionContext,
  ) {
    this.tokens = new TokenStream(source);
  }

  parse(): Condition {
    const c = this.disjunction();
    this.tokens.expectEnd();
    this.problems.raise(PRECEDENCE);
    return c;
  }

  private disjunction(): Condition {
    let left = this.conjunction();
    while (this.tokens.atKeyword("OR")) {
      this.tokens.next();
      left = { kind: "or", left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Condition {
    let left = this.negation();
    while (this.tokens.atKeyword("AND")) {
      this.tokens.next();
      left = { kind: "and", left, right: this.negation() };
    }
    return left;
  }

  private negation(): Condition {
    if (!this.tokens.atKeyword("NOT")) return this.predicate();
    this.tokens.next();
    return { kind: "not", condition: this.negation() };
  }

  private predicate(): Condition {
    if (this.tokens.at("(")) return this.group();
    return this.afterOperand(this.operand());
  }

  /** `( condition )`, or, when that fails at its `)`, a parenthesized operand (redundant). */
  private group(): Condition {
    const start = this.tokens.position;
    try {
      this.tokens.next();
      const inner = this.disjunction();
      this.tokens.expect(")");
      if (this.grouped.has(inner)) this.problems.add("parens", "The expression has redundant parentheses;");
      this.grouped.add(inner);
      return inner;
    } catch (e) {
      if (!(e instanceof ExpressionError) || !this.tokens.at(")")) throw e;
      this.tokens.position = start + 1;
      const operand = this.operand();
      if (!this.tokens.at(")")) throw e;
      this.tokens.next();
      this.problems.add("parens", "The expression has redundant parentheses;");
      return this.afterOperand(operand);
    }
  }

  private afterOperand(left: Operand): Condition {
    const t = this.tokens.peek();
    if (t.kind === "punct" && (COMPARATORS as readonly string[]).includes(t.text)) {
      this.tokens.next();
      const right = this.operand();
      checkMisused([left, right], this.problems);
      checkDistinct(t.text, [left, right], this.problems);
      return { kind: "compare", op: t.text as Comparator, left, right };
    }
    if (this.tokens.atKeyword("BETWEEN")) return this.between(left);
    if (this.tokens.atKeyword("IN")) return this.in(left);
    if (left.kind !== "call") throw this.tokens.syntaxError();
    if (left.name === "size") this.misusedSize();
    return { kind: "function", name: left.name, args: left.args };
  }

  private between(operand: Operand): Condition {
    this.tokens.next();
    const low = this.operand();
    this.tokens.expectKeyword("AND");
    const high = this.operand();
    checkMisused([operand, low, high], this.problems);
    checkBetween(low, high, this.problems);
    return { kind: "between", operand, low, high };
  }

  private in(operand: Operand): Condition {
    this.tokens.next();
    const list = this.operandList();
    checkMisused([operand, ...list], this.problems);
    return { kind: "in", operand, list };
  }

  private operandList(): Operand[] {
    this.tokens.expect("(");
    const list = [this.operand()];
    while (this.tokens.at(",")) {
      this.tokens.next();
      list.push(this.operand());
    }
    this.tokens.expect(")");
    return list;
  }

  private operand(): Operand {
    const t = this.tokens.peek();
    if (t.kind === "attrValue") {
      this.tokens.next();
      return { kind: "value", placeholder: t.text, value: this.context.value(t.text, this.problems) };
    }
    if (t.kind === "name" && this.tokens.at("(", 1)) {
      this.tokens.next();
      const args = this.operandList();
      checkCall(t.text, args, this.problems);
      return { kind: "call", name: t.text, args };
    }
    if (atPath(this.tokens)) return { kind: "path", path: parsePath(this.tokens, this.context, this.problems) };
    throw this.tokens.syntaxError();
  }

  private misusedSize(): void {
    this.problems.add("misusedFunction", "The function is not allowed to be used this way in an expression; function: size");
  }
}
