/**
 * Write-through for the registries: they change in memory at once (their interfaces are
 * synchronous) and each change is written to the store's documents behind it, in order per
 * document. An API call waits for the writes it caused (`track`) before it answers, so a
 * client is told of a change only once it is on disk, and of a failed write as a failure.
 *
 * A write stores the document as it is in memory when the write runs (not as it was when it
 * was queued), so the last write of a document always leaves the store agreeing with
 * memory. When a write fails and nothing else is queued for that document, memory is put
 * back as the store has it (`reload`), so what the API shows matches what a restart shows.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { DocumentKind, ExecutionStore, StoredDocument } from "../ports/execution-store.js";

/** A write of a document failed: the store may not hold the change the call made. */
export class DocumentWriteError extends Error {
  override readonly name = "DocumentWriteError";
}

/** Puts one document back in memory as the store holds it (undefined: the store has none). */
export type Reload = (kind: DocumentKind, key: string, stored: StoredDocument | undefined) => void;

export class DocumentWrites {
  /** The last write queued per document (`kind/key`), so writes of one document stay in order. */
  private readonly tails = new Map<string, Promise<void>>();
  /** The writes caused by the API call that is running (across its awaits). */
  private readonly calls = new AsyncLocalStorage<Promise<void>[]>();
  /** Per read of the store in progress (`readBehind`): the documents written since it began. */
  private readonly readers = new Set<Set<string>>();

  constructor(
    private readonly store: ExecutionStore,
    private readonly reload: Reload,
    private readonly onError: (error: unknown, document: string) => void = () => undefined,
  ) {}

  /** Queues writing `kind/key` as `current()` returns it when the write runs; undefined deletes it. */
  save(kind: DocumentKind, key: string, current: () => unknown): void {
    const id = `${kind}/${key}`;
    const write = (this.tails.get(id) ?? Promise.resolve()).then(() => this.write(kind, key, current()));
    const tail: Promise<void> = write.then(
      () => this.settled(id, tail),
      (error: unknown) => this.failed(kind, key, tail, error),
    );
    this.tails.set(id, tail);
    this.calls.getStore()?.push(write);
    for (const written of this.readers) written.add(id);
  }

  /**
   * Reads the store (`read`), then hands what it read to `apply`, in the same turn, with the
   * documents (`kind/key`) whose writes were queued or in flight at any time since the read
   * began: for those memory is ahead of what was read (an entry just created here may not be
   * listed yet, one just deleted here may still be), so `apply` leaves them as they are.
   */
  async readBehind<T>(read: () => Promise<T>, apply: (read: T, written: ReadonlySet<string>) => void): Promise<void> {
    const written = new Set(this.tails.keys());
    this.readers.add(written);
    try {
      apply(await read(), written);
    } finally {
      this.readers.delete(written);
    }
  }

  /**
   * Runs one API call and waits for every document write it caused; rejects with a
   * DocumentWriteError when one failed (the call's answer would otherwise be a lie).
   */
  async track<T>(call: () => T | Promise<T>): Promise<T> {
    const writes: Promise<void>[] = [];
    const result = await this.calls.run(writes, call);
    const outcomes = await Promise.allSettled(writes);
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
    if (failure) throw new DocumentWriteError(`the change could not be saved to the store: ${String((failure.reason as Error)?.message ?? failure.reason)}`);
    return result;
  }

  /** Resolves once every write queued so far has settled. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.allSettled([...this.tails.values()]);
  }

  private async write(kind: DocumentKind, key: string, value: unknown): Promise<void> {
    if (value === undefined) await this.store.deleteDocument(kind, key);
    else await this.store.putDocument(kind, key, value);
  }

  private settled(id: string, tail: Promise<void>): void {
    if (this.tails.get(id) === tail) this.tails.delete(id);
  }

  /** A failed write: when it is the last queued for its document, memory goes back to the store's copy. */
  private async failed(kind: DocumentKind, key: string, tail: Promise<void>, error: unknown): Promise<void> {
    const id = `${kind}/${key}`;
    this.onError(error, id);
    if (this.tails.get(id) !== tail) return;
    try {
      this.reload(kind, key, await this.store.getDocument(kind, key));
    } catch (reloadError) {
      this.onError(reloadError, id);
    } finally {
      this.settled(id, tail);
    }
  }
}
