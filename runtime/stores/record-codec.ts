/**
 * The store's record codec: one of the two modules that import `msgpackr` (STYLE.md 3; the
 * other is runtime/nats/wire-codec.ts, for messages between nodes and workers).
 * Every record is MessagePack of `[formatVersion, body]`; the version is checked before
 * anything reads the body, so a record from an unknown version (or bytes that are not a
 * record at all) becomes a StoreCorruptionError naming it, never a wrong value.
 */
import { Packr } from "msgpackr";
import { StoreCorruptionError, type StoreRecordKind } from "../ports/execution-store.js";

/**
 * The format this code writes. Bump it (and keep a fixture) when a record's shape changes.
 * Version 2: the LMDB store keeps a commit's history events as one record (lmdb-history.ts)
 * instead of one record per event; every other record is as in version 1.
 */
export const STORE_FORMAT_VERSION = 2;

/** The versions this code reads: a store written by an older build keeps working (and gets newer records beside its old ones). */
export const READABLE_FORMAT_VERSIONS: readonly number[] = [1, 2];

/** The record a decoding error names: its kind and its key (as `StoreCorruptionError.record`). */
export interface RecordRef {
  readonly kind: StoreRecordKind;
  readonly key: string;
}

// Plain MessagePack: no shared record structures (each record decodes on its own) and
// 64-bit integers as numbers (epoch milliseconds, revisions).
const packr = new Packr({ useRecords: false, mapsAsObjects: true, int64AsType: "number", moreTypes: false });

/** Encodes a record body under the current format version (a fresh, exactly sized buffer). */
export function encodeRecord(body: unknown): Buffer {
  // pack() returns a view of a shared 8 KB buffer: copy, so a kept record pins only its own bytes.
  return Buffer.from(packr.pack([STORE_FORMAT_VERSION, body]));
}

/** Decodes a record and returns its body; throws StoreCorruptionError naming `ref` when it cannot. */
export function decodeRecord(bytes: Uint8Array, ref: RecordRef): unknown {
  return decodeVersioned(bytes, ref).body;
}

/** Decodes a record with the format version it was written in, for records whose shape changed between versions. */
export function decodeVersioned(bytes: Uint8Array, ref: RecordRef): { readonly version: number; readonly body: unknown } {
  let decoded: unknown;
  try {
    decoded = packr.unpack(bytes);
  } catch (error) {
    throw new StoreCorruptionError(ref, `undecodable bytes (${(error as Error).message})`, { cause: error });
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw new StoreCorruptionError(ref, "not a versioned record");
  const [version, body] = decoded as [unknown, unknown];
  if (typeof version !== "number" || !READABLE_FORMAT_VERSIONS.includes(version)) {
    const known = READABLE_FORMAT_VERSIONS.join(" and ");
    throw new StoreCorruptionError(ref, `unknown format version ${JSON.stringify(version) ?? String(version)} (this build reads ${known})`);
  }
  return { version, body };
}
