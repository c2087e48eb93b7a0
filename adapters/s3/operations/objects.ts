/**
 * PutObject, GetObject, HeadObject, DeleteObject and CopyObject on a bucket that must exist.
 * Step Functions sends a Task's `Body` to S3 as JSON text (a string keeps its quotes: `"a"` is
 * stored as the 3 bytes `"a"`, as recorded on AWS) and gives GetObject's `Body` back as text.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
 */
import { createHash } from "node:crypto";
import type { JsonObject } from "../../../translators/json.js";
import { MAX_KEY_BYTES, type ObjectHeaders, type StoredObject } from "../object-store.js";
import { S3Error } from "../s3-error.js";
import { wholeSeconds } from "./buckets.js";
import { existingBucket, instant, optionalString, optionalStringMap, ParameterError, requiredString, type S3Context, type S3Operation } from "./request.js";

const HEADERS = ["CacheControl", "ContentDisposition", "ContentEncoding", "ContentLanguage"] as const;
const DEFAULT_CONTENT_TYPE = "binary/octet-stream";

export const etagOf = (body: string): string => `"${createHash("md5").update(body, "utf8").digest("hex")}"`;

function objectKey(request: JsonObject): string {
  const key = requiredString(request, "Key");
  if (key === "") throw new ParameterError("Parameter 'Key' must not be empty");
  if (Buffer.byteLength(key, "utf8") > MAX_KEY_BYTES) throw new S3Error("KeyTooLongError", "Your key is too long", 400);
  return key;
}

/** ContentType, Metadata (keys in lower case, as S3 keeps them) and the other headers a request sets. */
function described(request: JsonObject): Pick<StoredObject, "contentType" | "metadata" | "headers"> {
  const metadata = Object.fromEntries(Object.entries(optionalStringMap(request, "Metadata") ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const headers: Record<string, string> = {};
  for (const h of HEADERS) {
    const value = optionalString(request, h);
    if (value !== undefined) headers[h] = value;
  }
  return { contentType: optionalString(request, "ContentType") ?? DEFAULT_CONTENT_TYPE, metadata, headers: headers as ObjectHeaders };
}

export const putObject: S3Operation = async (request, context) => {
  const bucket = requiredString(request, "Bucket");
  const key = objectKey(request);
  const content = request["Body"];
  const body = content === undefined || content === null ? "" : JSON.stringify(content);
  const object: StoredObject = { key, body, etag: etagOf(body), lastModified: wholeSeconds(context.now()), ...described(request) };
  if (!(await context.store.put(bucket, object))) throw S3Error.noSuchBucket();
  return { ETag: object.etag, ServerSideEncryption: "AES256" };
};

async function existingObject(request: JsonObject, context: S3Context, head: boolean): Promise<StoredObject> {
  const bucket = await existingBucket(request, context, head);
  const object = await context.store.get(bucket, objectKey(request));
  if (!object) throw S3Error.noSuchKey(head);
  return object;
}

/** HeadObject's answer (GetObject's without the Body). */
function head(o: StoredObject): JsonObject {
  return {
    AcceptRanges: "bytes",
    ...o.headers,
    ContentLength: Buffer.byteLength(o.body, "utf8"),
    ContentType: o.contentType,
    ETag: o.etag,
    LastModified: instant(o.lastModified),
    Metadata: { ...o.metadata },
    ServerSideEncryption: "AES256",
  };
}

export const getObject: S3Operation = async (request, context) => {
  const object = await existingObject(request, context, false);
  return { ...head(object), Body: object.body };
};

export const headObject: S3Operation = async (request, context) => head(await existingObject(request, context, true));

export const deleteObject: S3Operation = async (request, context) => {
  const bucket = await existingBucket(request, context);
  await context.store.delete(bucket, objectKey(request));
  return {};
};

/** `CopySource`: `bucket/key`, URL-encoded, with an optional leading `/` and `?versionId=…` (not kept here). */
function copySource(request: JsonObject): { bucket: string; key: string } {
  const raw = requiredString(request, "CopySource").replace(/\?versionId=.*$/, "");
  let source: string;
  try {
    source = decodeURIComponent(raw).replace(/^\//, "");
  } catch {
    throw S3Error.invalidArgument("Invalid copy source encoding");
  }
  const slash = source.indexOf("/");
  if (slash <= 0 || slash === source.length - 1) throw S3Error.invalidArgument("Invalid copy source object key");
  return { bucket: source.slice(0, slash), key: source.slice(slash + 1) };
}

export const copyObject: S3Operation = async (request, context) => {
  const from = copySource(request);
  const bucket = requiredString(request, "Bucket");
  const key = objectKey(request);
  const replace = optionalString(request, "MetadataDirective") === "REPLACE";
  if (!(await context.store.bucket(from.bucket))) throw S3Error.noSuchBucket();
  const source = await context.store.get(from.bucket, from.key);
  if (!source) throw S3Error.noSuchKey();
  if (from.bucket === bucket && from.key === key && !replace) {
    throw new S3Error(
      "InvalidRequest",
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      400,
    );
  }
  const copy: StoredObject = { ...source, ...(replace ? described(request) : {}), key, lastModified: wholeSeconds(context.now()) };
  if (!(await context.store.put(bucket, copy))) throw S3Error.noSuchBucket();
  return { CopyObjectResult: { ETag: copy.etag, LastModified: instant(copy.lastModified) }, ServerSideEncryption: "AES256" };
};
