/** The API's registries in the JetStream store: `<kind>.<key>` entries written with compare-and-set on their KV revision. */
import type { DocumentKind, DocumentQuery, DocumentWrite, Page, StoredDocument } from "../ports/execution-store.js";
import { decodeCursor, encodeCursor, pageSize } from "../stores/pages.js";
import { encodeRecord } from "../stores/record-codec.js";
import { decodeDocument } from "../stores/records.js";
import { keyFilters, parseKey, storeKeys } from "./jetstream-store-keys.js";
import { confirmPage, isWrongSequence, listKeys, liveEntry, removeIf, type KV, type KvEntry } from "./jetstream-store-kv.js";

export class JetStreamDocuments {
  constructor(private readonly kv: KV) {}

  private async read(kind: DocumentKind, key: string): Promise<{ entry: KvEntry; doc: StoredDocument } | undefined> {
    const entry = await liveEntry(this.kv, storeKeys.document(kind, key));
    return entry && { entry, doc: decodeDocument(entry.value, kind, key) };
  }

  async get(kind: DocumentKind, key: string): Promise<StoredDocument | undefined> {
    return (await this.read(kind, key))?.doc;
  }

  async put(kind: DocumentKind, key: string, value: unknown, expectedRevision?: number): Promise<DocumentWrite> {
    const k = storeKeys.document(kind, key);
    for (;;) {
      const current = await this.read(kind, key);
      const revision = current?.doc.revision ?? 0;
      if (expectedRevision !== undefined && expectedRevision !== revision) return { status: "conflict", revision };
      const bytes = encodeRecord({ kind, key, value, revision: revision + 1 });
      try {
        await (current ? this.kv.update(k, bytes, current.entry.revision) : this.kv.create(k, bytes));
        return { status: "ok", revision: revision + 1 };
      } catch (error) {
        if (!isWrongSequence(error)) throw error;
        // Lost a race: read again (a caller's expected revision is then stale, reported above).
      }
    }
  }

  async delete(kind: DocumentKind, key: string, expectedRevision?: number): Promise<boolean> {
    const current = await this.read(kind, key);
    if (!current || (expectedRevision !== undefined && current.doc.revision !== expectedRevision)) return false;
    return removeIf(this.kv, storeKeys.document(kind, key), current.entry.revision);
  }

  /** In key order, from the keys listed under the kind. */
  async list(kind: DocumentKind, query: DocumentQuery): Promise<Page<StoredDocument>> {
    const limit = pageSize(query.limit);
    const prefix = query.prefix ?? "";
    const after = query.cursor === undefined ? undefined : (decodeCursor(query.cursor, "documents", ["string"])[0] as string);
    const keys = (await listKeys(this.kv, keyFilters.documents(kind)))
      .map(parseKey.document)
      .filter((k): k is string => k !== undefined && k.startsWith(prefix) && (after === undefined || k > after))
      .sort();
    // Documents deleted since the listing are skipped.
    const docs = await confirmPage(keys, limit, (k) => this.get(kind, k));
    const last = docs.items[docs.items.length - 1];
    return docs.more && last ? { items: docs.items, cursor: encodeCursor("documents", [last.key]) } : { items: docs.items };
  }
}
