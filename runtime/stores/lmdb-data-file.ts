/**
 * LMDB trusts its file: mapping one that is not an LMDB file crashes the process (a
 * segfault, not an exception), which under a supervisor becomes a crash loop. So a data
 * file whose first meta page is not LMDB's is refused before lmdb opens it. Damage deeper
 * in a valid file is not detected: LMDB keeps no page checksums.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";
import { StoreCorruptionError } from "../ports/execution-store.js";

/** LMDB's meta page: its magic number and data format (2 in LMDB 1.x, which lmdb-js 3 bundles). */
const LMDB_MAGIC = 0xbeefc0de;
const LMDB_DATA_VERSION = 2;
const META_AT = 24;
const HEAD_BYTES = META_AT + 8;

/** Throws StoreCorruptionError when `file` exists, is not empty and is not an LMDB data file. */
export async function checkDataFile(file: string): Promise<void> {
  const head = Buffer.alloc(HEAD_BYTES);
  let bytesRead: number;
  try {
    const handle = await open(file, "r");
    try {
      ({ bytesRead } = await handle.read(head, 0, head.length, 0));
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  checkHead(file, head, bytesRead);
}

/** checkDataFile for callers that cannot wait (adapter factories are synchronous). */
export function checkDataFileSync(file: string): void {
  const head = Buffer.alloc(HEAD_BYTES);
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  let bytesRead: number;
  try {
    bytesRead = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  checkHead(file, head, bytesRead);
}

function checkHead(file: string, head: Buffer, bytesRead: number): void {
  if (bytesRead === 0) return;
  if (bytesRead < head.length || head.readUInt32LE(META_AT) !== LMDB_MAGIC || head.readUInt32LE(META_AT + 4) !== LMDB_DATA_VERSION) {
    throw new StoreCorruptionError({ kind: "meta", key: file }, "not an LMDB data file (no LMDB 1.x meta page)");
  }
}
