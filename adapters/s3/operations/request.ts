/**
 * Reading a Task's Parameters as an S3 request: the API's member names (PascalCase), checked
 * the way the SDK Step Functions calls S3 with checks them before sending. A missing required
 * member or a value of the wrong type fails the Task with `States.TaskFailed` (the request
 * never reaches S3); members this adapter does not model are ignored.
 */
import { isObject, type Json, type JsonObject } from "../../../translators/json.js";
import type { ObjectStore } from "../object-store.js";
import { S3Error } from "../s3-error.js";

/** What an S3 operation runs against. */
export interface S3Context {
  readonly store: ObjectStore;
  /** Epoch milliseconds (the engine's clock, virtual time included). */
  now(): number;
  readonly region: string;
  /** The canonical user id of the account that owns every bucket here. */
  readonly ownerId: string;
}

export type S3Operation = (request: JsonObject, context: S3Context) => Promise<JsonObject>;

/** A request member the SDK cannot send as given. */
export class ParameterError extends Error {
  override readonly name = "ParameterError";
}

const describe = (v: Json): string => JSON.stringify(v).slice(0, 60);

export function requiredString(request: JsonObject, name: string): string {
  const value = optionalString(request, name);
  if (value === undefined) throw new ParameterError(`Parameter '${name}' must not be null`);
  return value;
}

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

/** A map of strings (`Metadata`). */
export function optionalStringMap(request: JsonObject, name: string): Record<string, string> | undefined {
  const value = request[name];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value) || Object.values(value).some((v) => typeof v !== "string")) {
    throw new ParameterError(`Parameter '${name}' must be a map of strings, got ${describe(value)}`);
  }
  return value as Record<string, string>;
}

/** The bucket a request names, which must exist (`NoSuchBucket` otherwise). */
export async function existingBucket(request: JsonObject, context: S3Context, head = false): Promise<string> {
  const name = requiredString(request, "Bucket");
  if (!(await context.store.bucket(name))) throw S3Error.noSuchBucket(head);
  return name;
}

/** A date as Step Functions writes the SDK's timestamps: ISO 8601 in UTC, fractions only when there are some. */
export const instant = (ms: number): string => new Date(ms).toISOString().replace(".000Z", "Z");
