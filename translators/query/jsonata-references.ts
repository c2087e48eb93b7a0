/**
 * What a parsed JSONata expression reads, checked when the definition is loaded.
 *
 * Step Functions evaluates expressions with no context item: the input is `$states.input`, a
 * variable is `$name`. AWS refuses a definition whose expression reads the context item (`$`,
 * or a bare field name such as `phone` that starts a path) with
 * `UNSUPPORTED_JSONATA_EXPRESSION: Reference to 'phone' at the top level is not supported.`,
 * and `$$` with `Reference to '$$' is not supported.` Only the first step of a path reads the
 * top level: later steps, predicates, sort terms and groupings read what the step before gave.
 * A lambda body keeps its definer's context, so it is checked too.
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 */

/** The parts of the parser's tree this walk reads (jsonata 1.8 AST, structurally typed). */
export interface AstNode {
  readonly type: string;
  readonly value?: unknown;
  readonly position?: number;
  readonly steps?: readonly AstNode[];
  readonly lhs?: AstNode | readonly (readonly AstNode[])[];
  readonly rhs?: AstNode;
  readonly expression?: AstNode;
  readonly expressions?: readonly AstNode[];
  readonly procedure?: AstNode;
  readonly arguments?: readonly AstNode[];
  readonly body?: AstNode;
  readonly condition?: AstNode;
  readonly then?: AstNode;
  readonly else?: AstNode;
}

/** A reference AWS refuses, with the detail text of its UNSUPPORTED_JSONATA_EXPRESSION error. */
export interface RefusedReference {
  readonly detail: string;
  readonly position: number | undefined;
}

const refused = (node: AstNode, detail: string): RefusedReference => ({ detail, position: node.position });

const topLevel = (node: AstNode, name: string): RefusedReference =>
  refused(node, `Reference to '${name}' at the top level is not supported.`);

/** The first top-level reference AWS would refuse, in evaluation order, or undefined. */
export function findRefusedReference(node: AstNode | undefined): RefusedReference | undefined {
  if (node === undefined) return undefined;
  switch (node.type) {
    case "path":
      return findRefusedReference(node.steps?.[0]);
    case "name":
      return topLevel(node, String(node.value));
    case "variable":
      return variableReference(node);
    case "unary":
      return unaryReference(node);
    case "binary":
    case "apply":
      return firstOf([node.lhs as AstNode | undefined, node.rhs]);
    case "function":
    case "partial":
      return firstOf([node.procedure, ...(node.arguments ?? [])]);
    case "lambda":
      return lambdaReference(node);
    case "condition":
      return firstOf([node.condition, node.then, node.else]);
    case "block":
      return firstOf(node.expressions ?? []);
    case "bind":
      return bindReference(node);
    default:
      return undefined;
  }
}

function firstOf(nodes: readonly (AstNode | undefined)[]): RefusedReference | undefined {
  for (const n of nodes) {
    const found = findRefusedReference(n);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** `$` parses as the variable "", `$$` as the variable "$". */
function variableReference(node: AstNode): RefusedReference | undefined {
  if (node.value === "") return topLevel(node, "$");
  if (node.value === "$") return refused(node, "Reference to '$$' is not supported.");
  return undefined;
}

/** `[...]` lists its items; `{...}` at the top level reads its keys as well as its values. */
function unaryReference(node: AstNode): RefusedReference | undefined {
  if (node.value === "[") return firstOf(node.expressions ?? []);
  if (node.value === "{") return firstOf(((node.lhs ?? []) as readonly (readonly AstNode[])[]).flat());
  return findRefusedReference(node.expression);
}

/** A parameter named `$states` would hide the reserved variable inside the body. */
function lambdaReference(node: AstNode): RefusedReference | undefined {
  const param = (node.arguments ?? []).find((a) => a.value === "states");
  return param !== undefined ? reserved(param) : findRefusedReference(node.body);
}

const reserved = (node: AstNode): RefusedReference => refused(node, "The variable '$states' is reserved and cannot be assigned.");

/** `$states := ...` would hide the reserved variable (our own check; AWS's wording unknown). */
function bindReference(node: AstNode): RefusedReference | undefined {
  const target = node.lhs as AstNode | undefined;
  if (target?.value === "states") return reserved(target);
  return findRefusedReference(node.rhs);
}

/** Whether the expression has a path ending in `[]`, which the library marks in place (see isolateData). */
export function keepsArrays(root: AstNode): boolean {
  return someNode(root, (n) => (n as { keepSingletonArray?: boolean }).keepSingletonArray === true);
}

function someNode(root: AstNode, test: (node: AstNode) => boolean): boolean {
  const seen = new WeakSet<object>();
  const visit = (node: unknown): boolean => {
    if (typeof node !== "object" || node === null || seen.has(node)) return false;
    seen.add(node);
    return (!Array.isArray(node) && test(node as AstNode)) || Object.values(node).some(visit);
  };
  return visit(root);
}

/** The `$states.<member>` names read anywhere in the tree (for checks such as `result` in Catch). */
export function statesMembers(root: AstNode): Set<string> {
  const found = new Set<string>();
  someNode(root, (node) => {
    const [first, second] = node.steps ?? [];
    if (first?.type === "variable" && first.value === "states" && second?.type === "name") found.add(String(second.value));
    return false;
  });
  return found;
}
