/** The API's registries in the LMDB store: `d kind key` records whose LMDB version is their revision. */
import type { DocumentKind, DocumentQuery, DocumentWrite, Page, StoredDocument } from "../ports/execution-store.js";
import { hasPrefix, keys, type LmdbDatabase, type StoreKey } from "./lmdb-layout.js";
import { collect, filterMap, takeWhile } from "./lmdb-ranges.js";
import { decodeCursor, encodeCursor, pageSize } from "./pages.js";
import { encodeRecord } from "./record-codec.js";
import { decodeDocument } from "./records.js";

export class LmdbDocuments {
  constructor(
    private readonly db: LmdbDatabase,
    private readonly synced: () => Promise<void>,
  ) {}

  get(kind: DocumentKind, key: string): StoredDocument | undefined {
    const bytes = this.db.getBinary(keys.document(kind, key));
    return bytes && decodeDocument(bytes, kind, key);
  }

  async put(kind: DocumentKind, key: string, value: unknown, expectedRevision?: number): Promise<DocumentWrite> {
    const k = keys.document(kind, key);
    for (;;) {
      const revision = this.db.getEntry(k)?.version ?? 0;
      if (expectedRevision !== undefined && expectedRevision !== revision) return { status: "conflict", revision };
      const put = (): void => void this.db.put(k, encodeRecord({ kind, key, value, revision: revision + 1 }), revision + 1);
      const landed = await (revision === 0 ? this.db.ifNoExists(k, put) : this.db.ifVersion(k, revision, put));
      await this.synced();
      if (landed) return { status: "ok", revision: revision + 1 };
      // Lost a race: the caller's expected revision is now stale (reported above), or there was none: write again.
    }
  }

  async delete(kind: DocumentKind, key: string, expectedRevision?: number): Promise<boolean> {
    const k = keys.document(kind, key);
    const revision = this.db.getEntry(k)?.version;
    if (revision === undefined || (expectedRevision !== undefined && revision !== expectedRevision)) return false;
    const landed = await this.db.ifVersion(k, revision, () => void this.db.remove(k));
    await this.synced();
    return landed;
  }

  list(kind: DocumentKind, query: DocumentQuery): Page<StoredDocument> {
    const limit = pageSize(query.limit);
    const prefix = query.prefix ?? "";
    const after = query.cursor === undefined ? undefined : (decodeCursor(query.cursor, "documents", ["string"])[0] as string);
    const range = this.db.getRange({ start: keys.document(kind, after ?? prefix), exclusiveStart: after !== undefined });
    const mine = takeWhile(range, (e) => hasPrefix(e.key, ["d", kind]) && ((e.key as StoreKey)[2] as string).startsWith(prefix));
    const docs = filterMap(mine, (e) => decodeDocument(e.value, kind, (e.key as StoreKey)[2] as string));
    return collect(docs, undefined, limit, (d) => d, (d) => encodeCursor("documents", [d.key]));
  }
}
