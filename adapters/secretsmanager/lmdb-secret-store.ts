/**
 * The durable SecretStore: secrets in one LMDB environment in `<data dir>/adapters/secretsmanager`
 * (the only file of this adapter that imports `lmdb`), keyed `s <name>` beside the format
 * record `m format`. Reads come from a copy in memory, loaded when the store opens (one process
 * holds a data directory, and secrets are few); a write resolves once committed (and, by
 * default, synced to disk).
 */
import { open, type Key, type RootDatabase } from "lmdb";
import { ADAPTER_STORE_FORMAT, checkFormat, prepareDataDir } from "../lmdb-adapter-store.js";
import { secretNamed, type Secret, type SecretStore } from "./secret-store.js";

export interface LmdbSecretStoreOptions {
  /** A directory (created if missing) holding `data.mdb` and `lock.mdb`. */
  readonly path: string;
  /** "flushed" (default): writes resolve once synced to disk; "committed": once visible (they survive a crash of the process, not of the machine). */
  readonly durability?: "flushed" | "committed";
}

type Database = RootDatabase<unknown, Key>;

const FORMAT_KEY: Key[] = ["m", "format"];
const secretKey = (name: string): Key[] => ["s", name];

export class LmdbSecretStore implements SecretStore {
  /** By name, oldest first (as written, so reads never wait for the disk). */
  private readonly secrets: Map<string, Secret>;

  private constructor(
    private readonly db: Database,
    private readonly durable: boolean,
  ) {
    const stored = [...db.getRange({ start: ["s"], end: ["s", "\uffff"] })].map((e) => e.value as Secret);
    this.secrets = new Map(stored.sort((a, b) => a.created - b.created).map((s) => [s.name, s]));
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

  async find(secretId: string): Promise<Secret | undefined> {
    const found = secretNamed(this.secrets.values(), (name) => this.secrets.get(name), secretId);
    return found && structuredClone(found);
  }

  async all(): Promise<Secret[]> {
    return [...this.secrets.values()].map((s) => structuredClone(s));
  }

  async create(secret: Secret): Promise<boolean> {
    // One process holds a data directory: the copy in memory is the truth.
    if (this.secrets.has(secret.name)) return false;
    await this.put(secret);
    return true;
  }

  async put(secret: Secret): Promise<void> {
    const copy = structuredClone(secret);
    this.secrets.set(secret.name, copy);
    await this.landed(this.db.put(secretKey(secret.name), copy));
  }

  async remove(name: string): Promise<void> {
    this.secrets.delete(name);
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
