/**
 * State machines, versions and aliases kept in memory and written through to the store's
 * documents (document-writes.ts): every change here queues the writes of the documents it
 * touched, each written as memory holds it when the write runs.
 */
import type { StateMachineRecord } from "../engine/engine.js";
import type { DocumentWrites } from "./document-writes.js";
import { MemoryStateMachineRegistry } from "./memory-state-machines.js";
import { aliasDocument, stateMachineDocument, versionDocument } from "./registry-documents.js";
import type { AliasEntry, StateMachineEntry, StateMachineRegistry, StartTarget, VersionEntry } from "./state-machine-registry.js";

export class StoredStateMachineRegistry implements StateMachineRegistry {
  constructor(
    /** What the store holds, in memory; loading and reloading fill it directly (no writes). */
    readonly memory: MemoryStateMachineRegistry,
    private readonly writes: DocumentWrites,
  ) {}

  get(arn: string): StateMachineEntry | undefined {
    return this.memory.get(arn);
  }

  put(entry: StateMachineEntry): void {
    this.memory.put(entry);
    this.saveMachine(entry.arn);
  }

  delete(arn: string): void {
    const versions = this.memory.versions(arn);
    const aliases = this.memory.aliases(arn);
    this.memory.delete(arn);
    this.saveMachine(arn);
    for (const v of versions) this.saveVersion(v.versionArn);
    for (const a of aliases) this.saveAlias(a.arn);
  }

  list(): StateMachineEntry[] {
    return this.memory.list();
  }

  getVersion(versionArn: string): VersionEntry | undefined {
    return this.memory.getVersion(versionArn);
  }

  versions(stateMachineArn: string): VersionEntry[] {
    return this.memory.versions(stateMachineArn);
  }

  publish(stateMachineArn: string, description: string | undefined, now: number): VersionEntry {
    const before = this.memory.lastVersion(stateMachineArn);
    const version = this.memory.publish(stateMachineArn, description, now);
    if (this.memory.lastVersion(stateMachineArn) !== before) {
      // The version, and its state machine's last version number (never reused).
      this.saveVersion(version.versionArn);
      this.saveMachine(stateMachineArn);
    }
    return version;
  }

  deleteVersion(versionArn: string): void {
    this.memory.deleteVersion(versionArn);
    this.saveVersion(versionArn);
  }

  getAlias(aliasArn: string): AliasEntry | undefined {
    return this.memory.getAlias(aliasArn);
  }

  aliases(stateMachineArn: string): AliasEntry[] {
    return this.memory.aliases(stateMachineArn);
  }

  putAlias(alias: AliasEntry): void {
    this.memory.putAlias(alias);
    this.saveAlias(alias.arn);
  }

  deleteAlias(aliasArn: string): void {
    this.memory.deleteAlias(aliasArn);
    this.saveAlias(aliasArn);
  }

  resolveForStart(arn: string): StartTarget | undefined {
    return this.memory.resolveForStart(arn);
  }

  entryFor(stateMachineArn: string, stateMachineVersionArn?: string, ran?: StateMachineRecord["compiled"]): StateMachineEntry | undefined {
    return this.memory.entryFor(stateMachineArn, stateMachineVersionArn, ran);
  }

  private saveMachine(arn: string): void {
    this.writes.save("stateMachine", arn, () => {
      const entry = this.memory.get(arn);
      return entry && stateMachineDocument.encode(entry, this.memory.lastVersion(arn));
    });
  }

  private saveVersion(versionArn: string): void {
    this.writes.save("stateMachineVersion", versionArn, () => {
      const version = this.memory.getVersion(versionArn);
      return version && versionDocument.encode(version);
    });
  }

  private saveAlias(aliasArn: string): void {
    this.writes.save("stateMachineAlias", aliasArn, () => {
      const alias = this.memory.getAlias(aliasArn);
      return alias && aliasDocument.encode(alias);
    });
  }
}
