/** State machines, versions and aliases in memory. */
import type { StateMachineRecord } from "../engine/engine.js";
import type { AliasEntry, StateMachineEntry, StateMachineRegistry, StartTarget, VersionEntry } from "./state-machine-registry.js";

type Compiled = StateMachineRecord["compiled"];

export class MemoryStateMachineRegistry implements StateMachineRegistry {
  private readonly machines = new Map<string, StateMachineEntry>();
  /** Newest first, per state machine ARN. */
  private readonly versionLists = new Map<string, VersionEntry[]>();
  /** Version numbers are never reused, even after a version is deleted. */
  private readonly versionNumbers = new Map<string, number>();
  private readonly aliasMap = new Map<string, AliasEntry>();
  /** Every revision ever put, by what the engine runs: executions outlive updates and deletion. */
  private readonly revisions = new WeakMap<Compiled, StateMachineEntry>();

  /** `random` chooses among weights (0–100 summing to 100) for alias routing. */
  constructor(private readonly random: () => number = Math.random) {}

  get(arn: string): StateMachineEntry | undefined {
    return this.machines.get(arn);
  }

  put(entry: StateMachineEntry): void {
    this.machines.set(entry.arn, entry);
    this.revisions.set(entry.record.compiled, entry);
  }

  delete(arn: string): void {
    this.machines.delete(arn);
    this.versionLists.delete(arn);
    this.versionNumbers.delete(arn);
    for (const [aliasArn, alias] of this.aliasMap) if (alias.stateMachineArn === arn) this.aliasMap.delete(aliasArn);
  }

  list(): StateMachineEntry[] {
    return [...this.machines.values()];
  }

  getVersion(versionArn: string): VersionEntry | undefined {
    return this.versionLists.get(baseOf(versionArn))?.find((v) => v.versionArn === versionArn);
  }

  versions(stateMachineArn: string): VersionEntry[] {
    return [...(this.versionLists.get(stateMachineArn) ?? [])];
  }

  publish(stateMachineArn: string, description: string | undefined, now: number): VersionEntry {
    const entry = this.machines.get(stateMachineArn);
    if (!entry) throw new Error(`no state machine ${stateMachineArn}`);
    const list = this.versionLists.get(stateMachineArn) ?? [];
    const existing = list.find((v) => v.revisionId === entry.revisionId);
    if (existing) return existing;
    const version = this.lastVersion(stateMachineArn) + 1;
    this.versionNumbers.set(stateMachineArn, version);
    const versionArn = `${stateMachineArn}:${version}`;
    const { updateDate: _updated, ...current } = entry;
    const published: VersionEntry = {
      ...current,
      creationDate: now,
      versionArn,
      version,
      ...(description !== undefined ? { versionDescription: description } : {}),
      record: { ...entry.record, arn: versionArn },
    };
    list.unshift(published);
    this.versionLists.set(stateMachineArn, list);
    return published;
  }

  /** The highest version number the state machine has published (0: none); deleted versions count. */
  lastVersion(stateMachineArn: string): number {
    return this.versionNumbers.get(stateMachineArn) ?? 0;
  }

  /** Puts a state machine back as it was stored, with the last version number it published. */
  restore(entry: StateMachineEntry, lastVersion: number): void {
    this.put(entry);
    this.versionNumbers.set(entry.arn, lastVersion);
  }

  /** Puts a published version back (its state machine first), keeping the list newest first. */
  restoreVersion(version: VersionEntry): void {
    const list = (this.versionLists.get(version.arn) ?? []).filter((v) => v.versionArn !== version.versionArn);
    list.push(version);
    list.sort((a, b) => b.version - a.version);
    this.versionLists.set(version.arn, list);
    this.versionNumbers.set(version.arn, Math.max(version.version, this.lastVersion(version.arn)));
  }

  deleteVersion(versionArn: string): void {
    const base = baseOf(versionArn);
    const list = this.versionLists.get(base);
    if (list) this.versionLists.set(base, list.filter((v) => v.versionArn !== versionArn));
  }

  getAlias(aliasArn: string): AliasEntry | undefined {
    return this.aliasMap.get(aliasArn);
  }

  aliases(stateMachineArn: string): AliasEntry[] {
    return [...this.aliasMap.values()].filter((a) => a.stateMachineArn === stateMachineArn);
  }

  putAlias(alias: AliasEntry): void {
    this.aliasMap.set(alias.arn, alias);
  }

  deleteAlias(aliasArn: string): void {
    this.aliasMap.delete(aliasArn);
  }

  resolveForStart(arn: string): StartTarget | undefined {
    const machine = this.machines.get(arn);
    if (machine) return { entry: machine };
    const version = this.getVersion(arn);
    if (version) return { entry: version, stateMachineVersionArn: version.versionArn };
    const alias = this.aliasMap.get(arn);
    if (!alias) return undefined;
    const chosen = pickByWeight(alias.routingConfiguration, this.random());
    const target = chosen ? this.getVersion(chosen.stateMachineVersionArn) : undefined;
    return target ? { entry: target, stateMachineVersionArn: target.versionArn, stateMachineAliasArn: alias.arn } : undefined;
  }

  entryFor(stateMachineArn: string, stateMachineVersionArn?: string, ran?: Compiled): StateMachineEntry | undefined {
    return (stateMachineVersionArn ? this.getVersion(stateMachineVersionArn) : undefined) ??
      (ran ? this.revisions.get(ran) : undefined) ??
      this.machines.get(stateMachineArn);
  }
}

/** `<state machine ARN>:<qualifier>` → the state machine ARN. */
const baseOf = (qualifiedArn: string): string => qualifiedArn.slice(0, qualifiedArn.lastIndexOf(":"));

/** Weighted choice: `r` in [0, 1), weights in percent. */
function pickByWeight<T extends { readonly weight: number }>(routes: readonly T[], r: number): T | undefined {
  let point = r * 100;
  for (const route of routes) {
    if (point < route.weight) return route;
    point -= route.weight;
  }
  return routes.find((x) => x.weight > 0);
}
