/**
 * The data directory of `aslan serve` (and `aslan run --data-dir`): the durable store, held
 * by one process at a time. LMDB itself would let a second process open the same files,
 * and two engines recovering the same executions would run every step twice, so a lock
 * file (`aslan.lock`, holding the owner's pid) keeps a second one out with a clear error. A
 * lock left behind by a process that died (kill -9) is taken over.
 */
import { mkdir, open, readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { StoreCorruptionError } from "../ports/execution-store.js";
import { LmdbExecutionStore } from "../stores/lmdb-execution-store.js";

const LOCK_FILE = "aslan.lock";

/** The data directory is held by another live process. */
export class DataDirInUseError extends Error {
  override readonly name = "DataDirInUseError";
}

export interface DataDir {
  readonly path: string;
  readonly store: LmdbExecutionStore;
  /** Where adapters keep their data (AdapterHost.dataDir): `adapters/` inside it. */
  readonly adapterData: string;
  /** Closes the store (after its writes in flight) and releases the lock. */
  close(): Promise<void>;
}

/**
 * Opens the store in `path` (created if missing). Throws DataDirInUseError when another
 * process holds it, and an Error naming the record (from StoreCorruptionError) when the
 * store holds data this build cannot trust.
 */
export async function openDataDir(path: string): Promise<DataDir> {
  const dir = resolve(path);
  await mkdir(dir, { recursive: true });
  const lock = join(dir, LOCK_FILE);
  await takeLock(lock, dir);
  let store: LmdbExecutionStore;
  try {
    store = await LmdbExecutionStore.open({ path: dir });
  } catch (e) {
    await rm(lock, { force: true });
    throw e instanceof StoreCorruptionError ? corruptStore(dir, e) : e;
  }
  return {
    path: dir,
    store,
    adapterData: join(dir, "adapters"),
    close: async () => {
      await store.close();
      await releaseLock(lock);
    },
  };
}

/** What `aslan` prints for stored data it cannot read: the record, and what to do. */
export function corruptStore(dir: string, e: StoreCorruptionError): Error {
  return new Error(`the store in ${dir} holds data this build cannot read: ${e.message}. ` +
    "Nothing was changed; restore the data directory from a backup, or move it away to start empty.", { cause: e });
}

async function takeLock(lock: string, dir: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lock, "wx");
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw lockError(e, dir);
    }
    const owner = Number.parseInt(await readFile(lock, "utf8").catch(() => ""), 10);
    if (alive(owner)) throw new DataDirInUseError(`the data directory ${dir} is in use by another aslan process (pid ${owner}); stop it, or give this one another --data-dir`);
    // Left behind by a process that is gone: take it over (one racing starter wins the retry).
    await rm(lock, { force: true });
  }
}

function lockError(e: unknown, dir: string): Error {
  if ((e as NodeJS.ErrnoException).code === "EEXIST") return new DataDirInUseError(`the data directory ${dir} was just taken by another aslan process`);
  return e instanceof Error ? e : new Error(String(e));
}

/** True when `pid` is a live process other than this one (a container restart can give us the old pid). */
function alive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function releaseLock(lock: string): Promise<void> {
  const owner = await readFile(lock, "utf8").catch(() => "");
  if (Number.parseInt(owner, 10) === process.pid) await rm(lock, { force: true });
}
