/**
 * The API's registries on a store: everything is loaded from the store's documents at
 * start-up (definitions compiled again), then kept in memory and written through.
 *
 * A stored definition that no longer compiles (a Task resource the current config does not
 * run, a stricter check) does not stop the server: that state machine, with its versions
 * and aliases, is left out of service and reported as a problem naming its document; its
 * documents stay in the store untouched, so fixing the cause and restarting brings it back.
 * A document that cannot be read at all is a StoreCorruptionError naming it.
 */
import type { CompiledStateMachine } from "../../translators/load.js";
import type { StateMachineType } from "../engine/engine.js";
import type { DocumentKind, ExecutionStore, StoredDocument } from "../ports/execution-store.js";
import type { ActivityQueuesOptions } from "./activity-queues.js";
import { DocumentWrites } from "./document-writes.js";
import { MemoryStateMachineRegistry } from "./memory-state-machines.js";
import { activityDocument, aliasDocument, stateMachineDocument, tagsDocument, versionDocument } from "./registry-documents.js";
import type { StateMachineEntry, VersionEntry } from "./state-machine-registry.js";
import { StoredActivityQueues } from "./stored-activities.js";
import { StoredStateMachineRegistry } from "./stored-state-machines.js";
import { StoredTagRegistry } from "./stored-tags.js";

/** A document left out at start-up, and why. */
export interface LoadProblem {
  /** `kind/key`, as StoreCorruptionError names documents. */
  readonly document: string;
  readonly message: string;
}

export interface StoredRegistriesOptions extends ActivityQueuesOptions {
  readonly store: ExecutionStore;
  /** Compiles a stored definition as CreateStateMachine would; throws when it does not compile. */
  readonly compile: (definition: string, type: StateMachineType) => CompiledStateMachine;
  /** Alias routing's choice, in [0, 1). */
  readonly random: () => number;
  /** A document write that failed (the API call that caused it answers with an error too). */
  readonly onWriteError?: (error: unknown, document: string) => void;
}

const PAGE = 1000;

/** Every document of one kind, in key order. */
async function allDocuments(store: ExecutionStore, kind: DocumentKind): Promise<StoredDocument[]> {
  const all: StoredDocument[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listDocuments(kind, { limit: PAGE, ...(cursor !== undefined ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return all;
}

/** The registries on a store: empty until `load()`, then writing every change through. */
export class StoredRegistries {
  readonly stateMachines: StoredStateMachineRegistry;
  readonly activities: StoredActivityQueues;
  readonly tags: StoredTagRegistry;
  readonly writes: DocumentWrites;
  private readonly memory: MemoryStateMachineRegistry;
  /** Compiled definitions by `compileKey`, kept across loads (see Loader.compile); only those memory still holds. */
  private readonly compiled = new Map<string, CompiledStateMachine>();

  constructor(private readonly options: StoredRegistriesOptions) {
    this.memory = new MemoryStateMachineRegistry(options.random);
    this.writes = new DocumentWrites(options.store, (kind, key, doc) => this.reload(kind, key, doc), options.onWriteError);
    this.stateMachines = new StoredStateMachineRegistry(this.memory, this.writes);
    this.activities = new StoredActivityQueues(this.writes, options.pollMs !== undefined ? { pollMs: options.pollMs } : {});
    this.tags = new StoredTagRegistry(this.writes);
  }

  /**
   * Fills the registries from the store (before serving; again with a shared store, for what
   * other nodes changed): entries the store has are put back as it has them, and entries it
   * no longer has are dropped (another node deleted them), except those whose writes from
   * this node were pending while the store was read (memory is ahead of the store there).
   * Returns the documents left out (definitions that no longer compile); throws
   * StoreCorruptionError for a document that cannot be read.
   */
  async load(): Promise<readonly LoadProblem[]> {
    const loader = new Loader(this.memory, this.options.compile, this.compiled);
    await this.writes.readBehind(() => readListing(this.options.store), (docs, written) => this.apply(new Listing(docs, written), loader));
    this.forgetUnusedCompiled();
    return loader.problems;
  }

  /** Memory as the listing has it (synchronous: no API call sees a half-applied listing). */
  private apply(listing: Listing, loader: Loader): void {
    const { memory } = this;
    for (const [doc] of byCreationDate(listing.settled("stateMachine"), stateMachineDocument.decode)) loader.machine(doc);
    for (const machine of memory.list()) if (listing.goneElsewhere("stateMachine", machine.arn)) memory.delete(machine.arn);
    for (const doc of listing.settled("stateMachineVersion")) loader.version(doc);
    for (const version of memory.list().flatMap((m) => memory.versions(m.arn))) {
      if (listing.goneElsewhere("stateMachineVersion", version.versionArn)) memory.deleteVersion(version.versionArn);
    }
    for (const [doc, alias] of byCreationDate(listing.settled("stateMachineAlias"), aliasDocument.decode)) {
      if (memory.get(alias.stateMachineArn)) memory.putAlias(alias);
      else loader.leftOut(doc, `its state machine ${alias.stateMachineArn} is not loaded`);
    }
    for (const alias of memory.list().flatMap((m) => memory.aliases(m.arn))) {
      if (listing.goneElsewhere("stateMachineAlias", alias.arn)) memory.deleteAlias(alias.arn);
    }
    // An activity already here keeps its queue and its pollers.
    for (const [, activity] of byCreationDate(listing.settled("activity"), activityDocument.decode)) {
      if (!this.activities.get(activity.arn)) this.activities.restore(activity.arn, activity);
    }
    for (const activity of this.activities.list()) if (listing.goneElsewhere("activity", activity.arn)) this.activities.restore(activity.arn, undefined);
    for (const doc of listing.settled("tags")) this.tags.restore(doc.key, tagsDocument.decode(doc.key, doc.value));
    for (const arn of this.tags.resources()) if (listing.goneElsewhere("tags", arn)) this.tags.restore(arn, []);
  }

  /** Drops compiled definitions no entry uses any more (updated or deleted), so a long-lived node does not keep every one. */
  private forgetUnusedCompiled(): void {
    const { memory } = this;
    const used = new Set(memory.list().flatMap((m) => [compileKey(m.arn, m.type, m.definition), ...memory.versions(m.arn).map((v) => compileKey(v.arn, v.type, v.definition))]));
    for (const key of this.compiled.keys()) if (!used.has(key)) this.compiled.delete(key);
  }

  /** After a failed write: memory goes back to what the store holds for that document. */
  private reload(kind: DocumentKind, key: string, doc: StoredDocument | undefined): void {
    const { memory } = this;
    const loader = new Loader(memory, this.options.compile, this.compiled);
    const reloads = {
      stateMachine: () => (doc ? loader.machine(doc) : memory.delete(key)),
      stateMachineVersion: () => (doc ? loader.version(doc) : memory.deleteVersion(key)),
      stateMachineAlias: () => (doc ? memory.putAlias(aliasDocument.decode(doc.key, doc.value)) : memory.deleteAlias(key)),
      activity: () => this.activities.restore(key, doc && activityDocument.decode(doc.key, doc.value)),
      tags: () => this.tags.restore(key, doc ? tagsDocument.decode(doc.key, doc.value) : []),
    } satisfies Record<DocumentKind, () => void>;
    try {
      reloads[kind]();
    } catch (error) {
      this.options.onWriteError?.(error, `${kind}/${key}`);
    }
  }
}

const KINDS = ["stateMachine", "stateMachineVersion", "stateMachineAlias", "activity", "tags"] as const satisfies readonly DocumentKind[];

/** One value per document kind. */
function byKind<T>(value: (kind: DocumentKind) => T): Record<DocumentKind, T> {
  return Object.fromEntries(KINDS.map((kind) => [kind, value(kind)])) as Record<DocumentKind, T>;
}

/** Every registry document in the store, by kind. */
async function readListing(store: ExecutionStore): Promise<Record<DocumentKind, StoredDocument[]>> {
  const lists = await Promise.all(KINDS.map((kind) => allDocuments(store, kind)));
  return byKind((kind) => lists[KINDS.indexOf(kind)] ?? []);
}

/** What one read of the store found, and which documents this node wrote meanwhile (DocumentWrites.readBehind). */
class Listing {
  private readonly keys: Record<DocumentKind, ReadonlySet<string>>;

  constructor(
    private readonly docs: Record<DocumentKind, StoredDocument[]>,
    private readonly written: ReadonlySet<string>,
  ) {
    this.keys = byKind((kind) => new Set(docs[kind].map((d) => d.key)));
  }

  /** The documents of a kind that memory is not ahead of. */
  settled(kind: DocumentKind): StoredDocument[] {
    return this.docs[kind].filter((d) => !this.written.has(`${kind}/${d.key}`));
  }

  /** The store does not have it and this node did not write it meanwhile: another node deleted it. */
  goneElsewhere(kind: DocumentKind, key: string): boolean {
    return !this.keys[kind].has(key) && !this.written.has(`${kind}/${key}`);
  }
}

/** Documents with their decoded entries, oldest first (registries list in creation order). */
function byCreationDate<T extends { readonly creationDate: number }>(docs: StoredDocument[], decode: (key: string, value: unknown) => T): [StoredDocument, T][] {
  return docs.map((d): [StoredDocument, T] => [d, decode(d.key, d.value)]).sort((a, b) => a[1].creationDate - b[1].creationDate);
}

/** What a compiled definition is cached under: a version's is under its state machine's ARN. */
const compileKey = (stateMachineArn: string, type: StateMachineType, definition: string): string => `${stateMachineArn}\n${type}\n${definition}`;

/** Turns state machine and version documents back into entries, compiling each definition text once. */
class Loader {
  readonly problems: LoadProblem[] = [];

  constructor(
    private readonly memory: MemoryStateMachineRegistry,
    private readonly compileDefinition: (definition: string, type: StateMachineType) => CompiledStateMachine,
    private readonly compiled: Map<string, CompiledStateMachine>,
  ) {}

  machine(doc: StoredDocument): void {
    const { lastVersion, ...fields } = stateMachineDocument.decode(doc.key, doc.value);
    const compiled = this.compile(doc, fields.arn, fields.definition, fields.type);
    if (!compiled) return;
    const entry: StateMachineEntry = { ...fields, record: { arn: fields.arn, name: fields.name, compiled, creationDate: fields.creationDate, type: fields.type, roleArn: fields.roleArn } };
    this.memory.restore(entry, lastVersion);
  }

  version(doc: StoredDocument): void {
    const { machineCreationDate, ...fields } = versionDocument.decode(doc.key, doc.value);
    if (!this.memory.get(fields.arn)) return this.leftOut(doc, `its state machine ${fields.arn} is not loaded`);
    const compiled = this.compile(doc, fields.arn, fields.definition, fields.type);
    if (!compiled) return;
    const record = { arn: fields.versionArn, name: fields.name, compiled, creationDate: machineCreationDate, type: fields.type, roleArn: fields.roleArn };
    const version: VersionEntry = { ...fields, record };
    this.memory.restoreVersion(version);
  }

  leftOut(doc: StoredDocument, why: string): void {
    this.problems.push({ document: `${doc.kind}/${doc.key}`, message: `left out: ${why}` });
  }

  /** Per state machine: a compiled object names one state machine's revision (entryFor finds it by identity). */
  private compile(doc: StoredDocument, stateMachineArn: string, definition: string, type: StateMachineType): CompiledStateMachine | undefined {
    const id = compileKey(stateMachineArn, type, definition);
    const known = this.compiled.get(id);
    if (known) return known;
    try {
      const compiled = this.compileDefinition(definition, type);
      this.compiled.set(id, compiled);
      return compiled;
    } catch (error) {
      this.leftOut(doc, `its definition no longer compiles: ${(error as Error).message}`);
      return undefined;
    }
  }
}
