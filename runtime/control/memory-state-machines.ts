/** State machines, versions and aliases in memory. */
import type { AliasEntry, StateMachineEntry, StateMachineRegistry, StartTarget, VersionEntry } from "./state-machine-registry.js";

export class MemoryStateMachineRegistry implements StateMachineRegistry {
  private readonly machines = new Map<string, StateMachineEntry>();
  /** Newest first, per state machine ARN. */
  private readonly versionLists = new Map<string, VersionEntry[]>();
  /** Version numbers are never reused, even after a version is deleted. */
  private readonly lastVersion = new Map<string, number>();
  private readonly aliasMap = new Map<string, AliasEntry>();

  /** `pick` chooses among weights (0–100 summing to 100) for alias routing; random by default. */
  constructor(private readonly random: () => number = Math.random) {}

  get(arn: string): StateMachineEntry | undefined {
    return this.machines.get(arn);
  }

  put(entry: StateMachineEntry): void {
    this.machines.set(entry.arn, entry);
  }

  delete(arn: string): void {
    this.machines.delete(arn);
    this.versionLists.delete(arn);
    for (const [aliasArn, alias] of this.aliasMap) if (alias.stateMachineArn === arn) this.aliasMap.delete(aliasArn);
  }

  list(): StateMachineEntry[] {
    return [...this.machines.values()];
  }

  getVersion(versionArn: string): VersionEntry | undefined {
    const base = versionArn.slice(0, versionArn.lastIndexOf(":"));
    return this.versionLists.get(base)?.find((v) => v.versionArn === versionArn);
  }

  versions(stateMachineArn: string): VersionEntry[] {
    return [...(this.versionLists.get(stateMachineArn) ?? [])];
  }

  publish(stateMachineArn: string, description: string | undefined, now: number): VersionEntry {
    const entry = this.machines.get(stateMachineArn);
    if (!entry) throw new Error(`no state machine ${stateMachineArn}`);
    const version = (this.lastVersion.get(stateMachineArn) ?? 0) + 1;
    this.lastVersion.set(stateMachineArn, version);
    const versionArn = `${stateMachineArn}:${version}`;
    const published: VersionEntry = {
      ...entry,
      creationDate: now,
      versionArn,
      version,
      ...(description !== undefined ? { versionDescription: description } : {}),
      record: { ...entry.record, arn: versionArn },
    };
    const list = this.versionLists.get(stateMachineArn) ?? [];
    list.unshift(published);
    this.versionLists.set(stateMachineArn, list);
    return published;
  }

  deleteVersion(versionArn: string): void {
    const base = versionArn.slice(0, versionArn.lastIndexOf(":"));
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

  entryFor(stateMachineArn: string, stateMachineVersionArn?: string): StateMachineEntry | undefined {
    return (stateMachineVersionArn ? this.getVersion(stateMachineVersionArn) : undefined) ?? this.machines.get(stateMachineArn);
  }
}

/** Weighted choice: `r` in [0, 1), weights in percent. */
function pickByWeight<T extends { readonly weight: number }>(routes: readonly T[], r: number): T | undefined {
  let point = r * 100;
  for (const route of routes) {
    if (point < route.weight) return route;
    point -= route.weight;
  }
  return routes.find((x) => x.weight > 0);
}
