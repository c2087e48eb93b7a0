/**
 * What every DynamoDB request is checked for before it touches a table, with DynamoDB's
 * messages: member constraints (`1 validation error detected: Value null at 'tableName'
 * failed to satisfy constraint: Member must not be null`), expression parameters, placeholder
 * maps, and expressions themselves (`Invalid ConditionExpression: …`).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html
 */
import { checkAttributeValue, notAString, type AttributeValue } from "../attribute-value.js";
import { DynamoDbError } from "../dynamodb-error.js";
import { ExpressionContext } from "../expressions/expression-context.js";
import { ExpressionError } from "../expressions/expression-error.js";
import type { JsonObject } from "../../../translators/json.js";

export type Request = Readonly<JsonObject>;

/** A member's constraints, checked in this order as DynamoDB lists its violations. */
export interface MemberRule {
  readonly name: string;
  readonly notNull?: boolean;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly oneOf?: readonly string[];
  readonly min?: number;
}

export const TABLE_NAME: MemberRule = { name: "TableName", notNull: true, pattern: "[a-zA-Z0-9_.-]+", minLength: 3, maxLength: 255 };
export const RETURN_CONSUMED_CAPACITY: MemberRule = { name: "ReturnConsumedCapacity", oneOf: ["INDEXES", "TOTAL", "NONE"] };
export const RETURN_VALUES: MemberRule = { name: "ReturnValues", oneOf: ["ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"] };
export const RETURN_VALUES_ON_FAILURE: MemberRule = { name: "ReturnValuesOnConditionCheckFailure", oneOf: ["ALL_OLD", "NONE"] };

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** Throws DynamoDB's aggregated "N validation errors detected" message for broken constraints. */
export function checkMembers(request: Request, rules: readonly MemberRule[]): void {
  const errors: string[] = [];
  for (const rule of rules) {
    const v = request[rule.name];
    const fail = (constraint: string): void => {
      const shown = v === undefined || v === null ? "null" : `'${typeof v === "string" ? v : JSON.stringify(v)}'`;
      errors.push(`Value ${shown} at '${lowerFirst(rule.name)}' failed to satisfy constraint: ${constraint}`);
    };
    if (v === undefined || v === null) {
      if (rule.notNull) fail("Member must not be null");
      continue;
    }
    if (typeof v === "string") {
      if (rule.pattern && !new RegExp(`^${rule.pattern}$`).test(v)) fail(`Member must satisfy regular expression pattern: ${rule.pattern}`);
      if (rule.minLength !== undefined && v.length < rule.minLength) fail(`Member must have length greater than or equal to ${rule.minLength}`);
      if (rule.maxLength !== undefined && v.length > rule.maxLength) fail(`Member must have length less than or equal to ${rule.maxLength}`);
      if (rule.oneOf && !rule.oneOf.includes(v)) fail(`Member must satisfy enum value set: [${rule.oneOf.join(", ")}]`);
    }
    if (typeof v === "number" && rule.min !== undefined && v < rule.min) fail(`Member must have value greater than or equal to ${rule.min}`);
  }
  if (errors.length > 0) {
    throw DynamoDbError.validation(`${errors.length} validation error${errors.length > 1 ? "s" : ""} detected: ${errors.slice(0, 10).join("; ")}`);
  }
}

/** A string member (SerializationException for another JSON type, as DynamoDB's reader). */
export function optionalString(request: Request, name: string): string | undefined {
  const v = request[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw notAString(v);
  return v;
}

export function optionalBoolean(request: Request, name: string): boolean | undefined {
  const v = request[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw new DynamoDbError("SerializationException", "Unexpected token received from parser");
  return v;
}

export function optionalInteger(request: Request, name: string): number | undefined {
  const v = request[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number") throw new DynamoDbError("SerializationException", "STRING_VALUE cannot be converted to Integer");
  return Math.floor(v);
}

/** Parameters of the pre-expression API this adapter does not implement. */
const LEGACY = ["Expected", "AttributeUpdates", "KeyConditions", "QueryFilter", "ScanFilter", "ConditionalOperator"];

/**
 * Checks the expression parameters as a whole (no mixing with legacy parameters, placeholder
 * maps only with expressions) and builds the placeholder context.
 */
export function expressionContext(request: Request, expressions: readonly string[], legacy: readonly string[]): ExpressionContext {
  const used = expressions.filter((e) => request[e] !== undefined && request[e] !== null);
  const legacyUsed = legacy.filter((e) => request[e] !== undefined && request[e] !== null);
  if (used.length > 0 && legacyUsed.length > 0) {
    throw DynamoDbError.validation(
      `Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${legacyUsed.join(", ")}} Expression parameters: {${used.join(", ")}}`,
    );
  }
  const unsupported = legacyUsed.filter((p) => LEGACY.includes(p));
  if (unsupported.length > 0) {
    throw DynamoDbError.validation(`aslan does not implement the legacy parameter ${unsupported[0] as string}: use the expression parameters instead`);
  }
  const names = request["ExpressionAttributeNames"];
  const values = request["ExpressionAttributeValues"];
  if (names !== undefined && names !== null && used.length === 0) throw DynamoDbError.validation("ExpressionAttributeNames can only be specified when using expressions");
  const valueExpressions = expressions.filter((e) => e !== "ProjectionExpression");
  if (values !== undefined && values !== null && valueExpressions.every((e) => request[e] === undefined || request[e] === null)) {
    const verb = valueExpressions.length > 1 ? "are" : "is";
    throw DynamoDbError.validation(`ExpressionAttributeValues can only be specified when using expressions: ${valueExpressions.join(" and ")} ${verb} null`);
  }
  return new ExpressionContext(placeholderNames(names), placeholderValues(values));
}

function placeholderNames(v: unknown): Record<string, string> {
  if (v === undefined || v === null) return {};
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) throw DynamoDbError.validation("ExpressionAttributeNames must not be empty");
  for (const [key, name] of entries) {
    if (!/^#[0-9a-zA-Z_]+$/.test(key)) throw DynamoDbError.validation(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`);
    if (typeof name !== "string") throw new DynamoDbError("SerializationException", "Unexpected value type in payload");
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function placeholderValues(v: unknown): Record<string, AttributeValue> {
  if (v === undefined || v === null) return {};
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) throw DynamoDbError.validation("ExpressionAttributeValues must not be empty");
  for (const [key] of entries) {
    if (!/^:[0-9a-zA-Z_]+$/.test(key)) throw DynamoDbError.validation(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`);
  }
  return Object.fromEntries(
    entries.map(([key, value]) => {
      try {
        return [key, checkAttributeValue(value)];
      } catch (e) {
        if (e instanceof DynamoDbError && e.code === "ValidationException") {
          throw DynamoDbError.validation(`ExpressionAttributeValues contains invalid value: ${e.message} for key ${key}`);
        }
        throw e;
      }
    }),
  );
}

/** Parses one expression member, prefixing DynamoDB's `Invalid <Member>: ` to its problems. */
export function parseMember<T>(request: Request, member: string, parse: (source: string) => T): T | undefined {
  const source = optionalString(request, member);
  if (source === undefined) return undefined;
  try {
    return parse(source);
  } catch (e) {
    if (e instanceof ExpressionError) throw DynamoDbError.validation(`Invalid ${member}: ${e.message}`);
    throw e;
  }
}

/** Placeholders defined but never used make the request invalid. */
export function checkAllUsed(context: ExpressionContext): void {
  const names = Object.keys(context.names).filter((k) => !context.usedNames.has(k));
  if (names.length > 0) throw DynamoDbError.validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${names.join(", ")}}`);
  const values = Object.keys(context.values).filter((k) => !context.usedValues.has(k));
  if (values.length > 0) throw DynamoDbError.validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${values.join(", ")}}`);
}
