/**
 * Reading a Task's Parameters as an AWS SDK request (`arn:aws:states:::aws-sdk:<service>:…`):
 * the API's member names (PascalCase), checked the way the SDK Step Functions calls checks
 * them before sending. A value of the wrong type is a ParameterError, which the adapters turn
 * into `States.TaskFailed` (the request never reaches the service).
 */
import type { ResourceInfo } from "../translators/dataflow/resource.js";
import { isObject, type Json, type JsonObject } from "../translators/json.js";

/** A request member the SDK cannot send as given. */
export class ParameterError extends Error {
  override readonly name = "ParameterError";
}

const describe = (v: Json): string => JSON.stringify(v).slice(0, 60);

export function optionalString(request: JsonObject, name: string): string | undefined {
  const value = request[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new ParameterError(`Parameter '${name}' must be a string, got ${describe(value)}`);
  return value;
}

export function optionalInteger(request: JsonObject, name: string): number | undefined {
  const value = request[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw new ParameterError(`Parameter '${name}' must be an integer, got ${describe(value)}`);
  return value;
}

export function optionalBoolean(request: JsonObject, name: string): boolean | undefined {
  const value = request[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw new ParameterError(`Parameter '${name}' must be true or false, got ${describe(value)}`);
  return value;
}

/** A map of strings (S3's `Metadata`). */
export function optionalStringMap(request: JsonObject, name: string): Record<string, string> | undefined {
  const value = request[name];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value) || Object.values(value).some((v) => typeof v !== "string")) {
    throw new ParameterError(`Parameter '${name}' must be a map of strings, got ${describe(value)}`);
  }
  return value as Record<string, string>;
}

/** A list of objects (`Tags`, `Filters`). */
export function optionalObjects(request: JsonObject, name: string): JsonObject[] | undefined {
  const value = request[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every(isObject)) throw new ParameterError(`Parameter '${name}' must be a list of objects, got ${describe(value)}`);
  return value;
}

/** A date as Step Functions writes the SDK's timestamps: ISO 8601 in UTC, fractions only when there are some. */
export const instant = (ms: number): string => new Date(ms).toISOString().replace(".000Z", "Z");

/** The action an `aws-sdk:<service>:<action>` resource names when `operations` runs it (never `.sync`). */
export function sdkActionOf<A extends string>(resource: ResourceInfo, service: string, operations: Readonly<Record<A, unknown>>): A | undefined {
  if (resource.kind !== "service" || resource.resourceType !== `aws-sdk:${service}` || resource.pattern === "sync") return undefined;
  const name = resource.resource.split(".")[0] as string;
  return Object.hasOwn(operations, name) ? (name as A) : undefined;
}
