/**
 * ExpressionAttributeNames (`#n`) and ExpressionAttributeValues (`:v`) of one request: the
 * parsers resolve placeholders through it, and it remembers which were used (DynamoDB rejects
 * a request with unused ones).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeNames.html
 */
import type { AttributeValue } from "../attribute-value.js";
import type { Problems } from "./expression-error.js";

export class ExpressionContext {
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();

  constructor(
    readonly names: Readonly<Record<string, string>> = {},
    readonly values: Readonly<Record<string, AttributeValue>> = {},
  ) {}

  /** The attribute name a `#placeholder` stands for (undefined, with a problem, when absent). */
  name(placeholder: string, problems: Problems): string | undefined {
    const name = Object.hasOwn(this.names, placeholder) ? this.names[placeholder] : undefined;
    if (name === undefined) {
      problems.add("attrName", `An expression attribute name used in the document path is not defined; attribute name: ${placeholder}`);
      return undefined;
    }
    this.usedNames.add(placeholder);
    return name;
  }

  /** The value a `:placeholder` stands for (undefined, with a problem, when absent). */
  value(placeholder: string, problems: Problems): AttributeValue | undefined {
    const value = Object.hasOwn(this.values, placeholder) ? this.values[placeholder] : undefined;
    if (value === undefined) {
      problems.add("attrValue", `An expression attribute value used in expression is not defined; attribute value: ${placeholder}`);
      return undefined;
    }
    this.usedValues.add(placeholder);
    return value;
  }
}
