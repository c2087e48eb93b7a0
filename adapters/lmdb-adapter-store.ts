/**
 * What the adapters' LMDB stores (S3, SQS, Secrets Manager) share: their directory, checked
 * before lmdb maps its file (synchronously: adapter factories are), and a format record, so
 * data written by a later, different layout is refused instead of misread.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { StoreCorruptionError } from "../runtime/ports/execution-store.js";
import { checkDataFileSync } from "../runtime/stores/lmdb-data-file.js";

/** The layout version the adapters' stores write in their format record. */
export const ADAPTER_STORE_FORMAT = 1;

/**
 * Creates `dir` if missing; throws StoreCorruptionError when its `data.mdb` exists, is not
 * empty and is not an LMDB data file.
 */
export function prepareDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  checkDataFileSync(join(dir, "data.mdb"));
}

/**
 * Checks a store's format record (`stored`, as read): undefined in a store without data means
 * a new store (the caller writes ADAPTER_STORE_FORMAT); anything else must be that version.
 */
export function checkFormat(dir: string, stored: unknown, hasData: boolean): "new" | "known" {
  const version = (stored as { formatVersion?: unknown } | undefined)?.formatVersion;
  if (version === ADAPTER_STORE_FORMAT) return "known";
  if (stored === undefined && !hasData) return "new";
  const reason = stored === undefined ? "missing from a store that has data" : `unknown format version ${JSON.stringify(version) ?? "?"} (this build reads ${ADAPTER_STORE_FORMAT})`;
  throw new StoreCorruptionError({ kind: "meta", key: dir }, reason);
}
