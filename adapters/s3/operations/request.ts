/**
 * Reading a Task's Parameters as an S3 request: the API's member names (PascalCase), checked
 * the way the SDK Step Functions calls S3 with checks them before sending. A missing required
 * member or a value of the wrong type fails the Task with `States.TaskFailed` (the request
 * never reaches S3); members this adapter does not model are ignored.
 */
import type { JsonObject } from "../../../translators/json.js";
import { optionalString, ParameterError } from "../../aws-sdk-members.js";
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

export { instant, optionalInteger, optionalString, optionalStringMap, ParameterError } from "../../aws-sdk-members.js";

export type S3Operation = (request: JsonObject, context: S3Context) => Promise<JsonObject>;

export function requiredString(request: JsonObject, name: string): string {
  const value = optionalString(request, name);
  if (value === undefined) throw new ParameterError(`Parameter '${name}' must not be null`);
  return value;
}

/** The bucket a request names, which must exist (`NoSuchBucket` otherwise). */
export async function existingBucket(request: JsonObject, context: S3Context, head = false): Promise<string> {
  const name = requiredString(request, "Bucket");
  if (!(await context.store.bucket(name))) throw S3Error.noSuchBucket(head);
  return name;
}

