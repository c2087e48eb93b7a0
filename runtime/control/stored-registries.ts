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
  private readonly loader: Loader;

  constructor(private readonly options: StoredRegistriesOptions) {
    this.memory = new MemoryStateMachineRegistry(options.random);
    this.loader = new Loader(this.memory, options.compile);
    this.writes = new DocumentWrites(options.store, (kind, key, doc) => this.reload(kind, key, doc), options.onWriteError);
    this.stateMachines = new StoredStateMachineRegistry(this.memory, this.writes);
    this.activities = new StoredActivityQueues(this.writes, options.pollMs !== undefined ? { pollMs: options.pollMs } : {});
    this.tags = new StoredTagRegistry(this.writes);
  }

  /**
   * Fills the registries from the store (before serving; again with a shared store, for what
   * other nodes created). Returns the documents left
   * out (definitions that no longer compile); throws StoreCorruptionError for a document
   * that cannot be read.
   */
  async load(): Promise<readonly LoadProblem[]> {
    const { store } = this.options;
    const { memory, loader } = this;
    for (const [doc] of byCreationDate(await allDocuments(store, "stateMachine"), stateMachineDocument.decode)) loader.machine(doc);
    for (const doc of await allDocuments(store, "stateMachineVersion")) loader.version(doc);
    for (const [doc, alias] of byCreationDate(await allDocuments(store, "stateMachineAlias"), aliasDocument.decode)) {
      if (memory.get(alias.stateMachineArn)) memory.putAlias(alias);
      else loader.leftOut(doc, `its state machine ${alias.stateMachineArn} is not loaded`);
    }
    // Read again (a shared store): an activity already here keeps its queue and its pollers.
    for (const [, activity] of byCreationDate(await allDocuments(store, "activity"), activityDocument.decode)) {
      if (!this.activities.get(activity.arn)) this.activities.restore(activity.arn, activity);
    }
    for (const doc of await allDocuments(store, "tags")) this.tags.restore(doc.key, tagsDocument.decode(doc.key, doc.value));
    return loader.problems;
  }

  /** After a failed write: memory goes back to what the store holds for that document. */
  private reload(kind: DocumentKind, key: string, doc: StoredDocument | undefined): void {
    const { memory, loader } = this;
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

/** Documents with their decoded entries, oldest first (registries list in creation order). */
function byCreationDate<T extends { readonly creationDate: number }>(docs: StoredDocument[], decode: (key: string, value: unknown) => T): [StoredDocument, T][] {
  return docs.map((d): [StoredDocument, T] => [d, decode(d.key, d.value)]).sort((a, b) => a[1].creationDate - b[1].creationDate);
}

/** Turns state machine and version documents back into entries, compiling each definition text once. */
class Loader {
  readonly problems: LoadProblem[] = [];
  private readonly compiled = new Map<string, CompiledStateMachine>();

  constructor(
    private readonly memory: MemoryStateMachineRegistry,
    private readonly compileDefinition: (definition: string, type: StateMachineType) => CompiledStateMachine,
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
    const id = `${stateMachineArn}\n${type}\n${definition}`;
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
