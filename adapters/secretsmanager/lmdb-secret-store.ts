/**
 * The durable SecretStore: secrets in one LMDB environment in `<data dir>/adapters/secretsmanager`
 * (the only file of this adapter that imports `lmdb`), keyed `s <name>` beside the format
 * record `m format`. Reads come from a copy in memory, loaded when the store opens (one process
 * holds a data directory, and secrets are few); a write resolves once committed (and, by
 * default, synced to disk).
 */
import { open, type Key, type RootDatabase } from "lmdb";
import { ADAPTER_STORE_FORMAT, checkFormat, prepareDataDir } from "../lmdb-adapter-store.js";
import { MemorySecretStore } from "./memory-secret-store.js";
import type { Secret } from "./secret-store.js";

export interface LmdbSecretStoreOptions {
  /** A directory (created if missing) holding `data.mdb` and `lock.mdb`. */
  readonly path: string;
  /** "flushed" (default): writes resolve once synced to disk; "committed": once visible (they survive a crash of the process, not of the machine). */
  readonly durability?: "flushed" | "committed";
}

type Database = RootDatabase<unknown, Key>;

const FORMAT_KEY: Key[] = ["m", "format"];
const secretKey = (name: string): Key[] => ["s", name];

export class LmdbSecretStore extends MemorySecretStore {
  private constructor(
    private readonly db: Database,
    private readonly durable: boolean,
  ) {
    // Reads come from memory (so they never wait for the disk); writes go through to LMDB.
    const stored = [...db.getRange({ start: ["s"], end: ["s", "\uffff"] })].map((e) => e.value as Secret);
    super(stored.sort((a, b) => a.created - b.created));
  }

  /** Opens (or creates) the store; throws StoreCorruptionError for a data file that is not LMDB's or a format it does not know. */
  static open(options: LmdbSecretStoreOptions): LmdbSecretStore {
    prepareDataDir(options.path);
    const db: Database = open({ path: options.path, encoding: "json" });
    try {
      if (checkFormat(options.path, db.get(FORMAT_KEY), db.getKeysCount({ limit: 1 }) > 0) === "new") db.putSync(FORMAT_KEY, { formatVersion: ADAPTER_STORE_FORMAT });
      return new LmdbSecretStore(db, options.durability !== "committed");
    } catch (error) {
      void db.close();
      throw error;
    }
  }

  override async put(secret: Secret): Promise<void> {
    await super.put(secret);
    await this.landed(this.db.put(secretKey(secret.name), this.secrets.get(secret.name)));
  }

  override async remove(name: string): Promise<void> {
    await super.remove(name);
    await this.landed(this.db.remove(secretKey(name)));
  }

  async close(): Promise<void> {
    await this.db.flushed;
    await this.db.close();
  }

  private async landed(write: Promise<boolean>): Promise<void> {
    await write;
    if (this.durable) await this.db.flushed;
  }
}
