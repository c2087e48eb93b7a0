/**
 * Why an expression is invalid, worded as DynamoDB words it (the request layer adds the
 * `Invalid <Which>Expression: ` prefix). DynamoDB parses an expression first (a syntax error
 * stops at once), then reports one semantic problem, chosen by a fixed precedence: parsers
 * collect problems by kind and raise the first in their grammar's order.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html
 */
export class ExpressionError extends Error {
  override readonly name = "ExpressionError";
}

export type ProblemKind =
  | "parens"
  | "unknownFunction"
  | "misusedFunction"
  | "reserved"
  | "section"
  | "attrName"
  | "attrValue"
  | "pathOverlap"
  | "pathConflict"
  | "operandCount"
  | "distinct"
  | "operand"
  | "function";

/** The problems found in one expression; the first of each kind is kept. */
export class Problems {
  private readonly found = new Map<ProblemKind, { message: string; seq: number }>();
  private seq = 0;

  add(kind: ProblemKind, message: string): void {
    if (!this.found.has(kind)) this.found.set(kind, { message, seq: this.seq++ });
  }

  has(kind: ProblemKind): boolean {
    return this.found.has(kind);
  }

  /**
   * Throws the problem that comes first in `order`; a group (array) of kinds ranks as one,
   * its earliest-found problem winning.
   */
  raise(order: readonly (ProblemKind | readonly ProblemKind[])[]): void {
    for (const rank of order) {
      const kinds = typeof rank === "string" ? [rank] : rank;
      const hits = kinds.map((k) => this.found.get(k)).filter((p) => p !== undefined);
      hits.sort((a, b) => a.seq - b.seq);
      if (hits[0]) throw new ExpressionError(hits[0].message);
    }
  }
}
