/**
 * ListObjects and ListObjectsV2: keys in UTF-8 order after a marker, up to MaxKeys (1000 at
 * most), keys that share a prefix up to the Delimiter rolled up into CommonPrefixes (each counts
 * as one key), and the page's continuation (V1: NextMarker when a Delimiter is given; V2: an
 * opaque NextContinuationToken).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 */
import type { JsonObject } from "../../../translators/json.js";
import type { StoredObject } from "../object-store.js";
import { S3Error } from "../s3-error.js";
import { existingBucket, instant, optionalInteger, optionalString, type S3Context, type S3Operation } from "./request.js";

const MAX_KEYS = 1000;

interface ListRequest {
  readonly prefix: string;
  readonly delimiter: string | undefined;
  /** List keys after this one (a marker, a start-after key or a continuation). */
  readonly after: string | undefined;
  readonly maxKeys: number;
}

interface Page {
  readonly contents: StoredObject[];
  readonly prefixes: string[];
  readonly truncated: boolean;
  /** The last key or common prefix on the page. */
  readonly last: string | undefined;
}

/** The common prefix `key` rolls up into: the prefix, then up to the first delimiter after it. */
function groupOf(key: string, prefix: string, delimiter: string | undefined): string | undefined {
  if (!delimiter) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

async function listPage(bucket: string, r: ListRequest, context: S3Context): Promise<Page> {
  const objects = (await context.store.list(bucket, { prefix: r.prefix, ...(r.after !== undefined ? { after: r.after } : {}) })) ?? [];
  const contents: StoredObject[] = [];
  const prefixes: string[] = [];
  let last: string | undefined;
  for await (const o of objects) {
    const group = groupOf(o.key, r.prefix, r.delimiter);
    // Keys of a common prefix already given (on this page, or as the marker) are not listed again.
    if (group !== undefined && (group === prefixes.at(-1) || group === r.after)) continue;
    if (contents.length + prefixes.length >= r.maxKeys) return { contents, prefixes, truncated: true, last };
    if (group !== undefined) prefixes.push(group);
    else contents.push(o);
    last = group ?? o.key;
  }
  return { contents, prefixes, truncated: false, last };
}

function maxKeys(request: JsonObject): number {
  const requested = optionalInteger(request, "MaxKeys") ?? MAX_KEYS;
  if (requested < 0) throw S3Error.invalidArgument("Argument maxKeys must be an integer between 0 and 2147483647");
  return requested;
}

function listRequest(request: JsonObject, after: string | undefined): ListRequest {
  return {
    prefix: optionalString(request, "Prefix") ?? "",
    delimiter: optionalString(request, "Delimiter") || undefined,
    after: after || undefined,
    maxKeys: Math.min(maxKeys(request), MAX_KEYS),
  };
}

const entry = (o: StoredObject, owner: string | undefined): JsonObject => ({
  ETag: o.etag,
  Key: o.key,
  LastModified: instant(o.lastModified),
  ...(owner !== undefined ? { Owner: { ID: owner } } : {}),
  Size: Buffer.byteLength(o.body, "utf8"),
  StorageClass: "STANDARD",
});

/** The members both versions answer with (absent lists are left out, as S3's XML leaves them out). */
function listed(page: Page, owner: string | undefined): JsonObject {
  return {
    ...(page.prefixes.length > 0 ? { CommonPrefixes: page.prefixes.map((p) => ({ Prefix: p })) } : {}),
    ...(page.contents.length > 0 ? { Contents: page.contents.map((o) => entry(o, owner)) } : {}),
  };
}

export const listObjects: S3Operation = async (request, context) => {
  const bucket = await existingBucket(request, context);
  const marker = optionalString(request, "Marker");
  const r = listRequest(request, marker);
  const page = await listPage(bucket, r, context);
  return {
    ...listed(page, context.ownerId),
    ...(r.delimiter !== undefined ? { Delimiter: r.delimiter } : {}),
    IsTruncated: page.truncated,
    Marker: marker ?? "",
    MaxKeys: maxKeys(request),
    Name: bucket,
    ...(page.truncated && r.delimiter !== undefined && page.last !== undefined ? { NextMarker: page.last } : {}),
    Prefix: r.prefix,
  };
};

const encodeToken = (key: string): string => Buffer.from(`aslan:${key}`, "utf8").toString("base64");

function decodeToken(token: string): string {
  const text = Buffer.from(token, "base64").toString("utf8");
  if (!text.startsWith("aslan:")) throw S3Error.invalidArgument("The continuation token provided is incorrect");
  return text.slice("aslan:".length);
}

export const listObjectsV2: S3Operation = async (request, context) => {
  const bucket = await existingBucket(request, context);
  const token = optionalString(request, "ContinuationToken");
  const startAfter = optionalString(request, "StartAfter");
  const r = listRequest(request, token !== undefined ? decodeToken(token) : startAfter);
  const page = await listPage(bucket, r, context);
  return {
    ...listed(page, request["FetchOwner"] === true ? context.ownerId : undefined),
    ...(token !== undefined ? { ContinuationToken: token } : {}),
    ...(r.delimiter !== undefined ? { Delimiter: r.delimiter } : {}),
    IsTruncated: page.truncated,
    KeyCount: page.contents.length + page.prefixes.length,
    MaxKeys: maxKeys(request),
    Name: bucket,
    ...(page.truncated && page.last !== undefined ? { NextContinuationToken: encodeToken(page.last) } : {}),
    Prefix: r.prefix,
    ...(startAfter !== undefined ? { StartAfter: startAfter } : {}),
  };
};
