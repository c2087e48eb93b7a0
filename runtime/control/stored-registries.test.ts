/**
 * Two nodes' registries on one shared store (distributed mode): what one node deletes, the
 * other drops at its next load; what a node changed itself while the store was being read is
 * left as memory has it (the read may predate the write).
 */
import { describe, expect, it } from "vitest";
import type { CompiledStateMachine } from "../../translators/load.js";
import type { DocumentKind, DocumentQuery, ExecutionStore, Page, StoredDocument } from "../ports/execution-store.js";
import { MemoryExecutionStore } from "../stores/memory-execution-store.js";
import type { StateMachineEntry } from "./state-machine-registry.js";
import { StoredRegistries } from "./stored-registries.js";

const MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:flow";
const ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:work";
const DEFINITION = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });

/** Registries not run here: any object stands for a compiled definition. */
const node = (store: ExecutionStore): StoredRegistries =>
  new StoredRegistries({ store, compile: () => ({}) as CompiledStateMachine, random: () => 0 });

function machine(arn = MACHINE, definition = DEFINITION): StateMachineEntry {
  const name = arn.slice(arn.lastIndexOf(":") + 1);
  return { arn, name, type: "STANDARD", definition, roleArn: "arn:aws:iam::123456789012:role/r", creationDate: 1, record: { arn, name, compiled: {} as CompiledStateMachine, creationDate: 1 } };
}

/** A state machine with a version and an alias, an activity, tags on both: written through, then settled. */
async function populate(registries: StoredRegistries): Promise<void> {
  registries.stateMachines.put(machine());
  const version = registries.stateMachines.publish(MACHINE, undefined, 2);
  registries.stateMachines.putAlias({ arn: `${MACHINE}:live`, name: "live", stateMachineArn: MACHINE, routingConfiguration: [{ stateMachineVersionArn: version.versionArn, weight: 100 }], creationDate: 3 });
  registries.activities.add({ arn: ACTIVITY, name: "work", creationDate: 4 });
  registries.tags.tag(MACHINE, [{ key: "team", value: "a" }]);
  registries.tags.tag(ACTIVITY, [{ key: "team", value: "b" }]);
  await registries.writes.idle();
}

/** A shared store whose listings answer as the store was when they began, but only once `release()` is called. */
class SlowListings implements Pick<ExecutionStore, "listDocuments"> {
  private gate = Promise.resolve();
  private open = (): void => undefined;
  constructor(private readonly inner: ExecutionStore) {}

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open();
  }

  async listDocuments(kind: DocumentKind, query?: DocumentQuery): Promise<Page<StoredDocument>> {
    const page = await this.inner.listDocuments(kind, query);
    await this.gate;
    return page;
  }
}

function slowStore(inner: ExecutionStore): { store: ExecutionStore; listings: SlowListings } {
  const listings = new SlowListings(inner);
  const store = new Proxy(inner, {
    get: (target, prop, receiver) => (prop === "listDocuments" ? listings.listDocuments.bind(listings) : Reflect.get(target, prop, receiver) as unknown),
  });
  return { store, listings };
}

describe("stored registries on a shared store", () => {
  it("a node drops what another node deleted: state machine, version, alias, activity and tags", async () => {
    const shared = new MemoryExecutionStore();
    const a = node(shared);
    const b = node(shared);
    await populate(a);
    await b.load();
    expect(b.stateMachines.get(MACHINE)?.name).toBe("flow");
    expect(b.stateMachines.getAlias(`${MACHINE}:live`)).toBeDefined();
    expect(b.activities.get(ACTIVITY)?.name).toBe("work");
    expect(b.tags.list(ACTIVITY)).toEqual([{ key: "team", value: "b" }]);

    a.stateMachines.delete(MACHINE);
    a.tags.forget(MACHINE);
    a.activities.delete(ACTIVITY);
    a.tags.forget(ACTIVITY);
    await a.writes.idle();
    await b.load();
    expect(b.stateMachines.get(MACHINE)).toBeUndefined();
    expect(b.stateMachines.getVersion(`${MACHINE}:1`)).toBeUndefined();
    expect(b.stateMachines.getAlias(`${MACHINE}:live`)).toBeUndefined();
    expect(b.stateMachines.resolveForStart(MACHINE)).toBeUndefined();
    expect(b.stateMachines.list()).toEqual([]);
    expect(b.activities.get(ACTIVITY)).toBeUndefined();
    expect(b.activities.list()).toEqual([]);
    expect(b.tags.list(MACHINE)).toEqual([]);
    expect(b.tags.list(ACTIVITY)).toEqual([]);
  });

  it("a version or an alias deleted elsewhere goes while its state machine stays", async () => {
    const shared = new MemoryExecutionStore();
    const a = node(shared);
    const b = node(shared);
    await populate(a);
    await b.load();
    a.stateMachines.deleteAlias(`${MACHINE}:live`);
    a.stateMachines.deleteVersion(`${MACHINE}:1`);
    a.tags.untag(MACHINE, ["team"]);
    await a.writes.idle();
    await b.load();
    expect(b.stateMachines.get(MACHINE)?.name).toBe("flow");
    expect(b.stateMachines.versions(MACHINE)).toEqual([]);
    expect(b.stateMachines.aliases(MACHINE)).toEqual([]);
    expect(b.tags.list(MACHINE)).toEqual([]);
    // Version numbers are never reused, on either node.
    expect(b.stateMachines.memory.lastVersion(MACHINE)).toBe(1);
  });

  it("what a node creates while a listing that predates it is read stays (its write is pending or just landed)", async () => {
    const { store, listings } = slowStore(new MemoryExecutionStore());
    const b = node(store);
    listings.hold();
    const loading = b.load();
    // The listing has been taken: these land in the store after it.
    b.stateMachines.put(machine());
    b.activities.add({ arn: ACTIVITY, name: "work", creationDate: 4 });
    b.tags.tag(ACTIVITY, [{ key: "team", value: "b" }]);
    await b.writes.idle();
    listings.release();
    await loading;
    expect(b.stateMachines.get(MACHINE)?.name).toBe("flow");
    expect(b.activities.get(ACTIVITY)?.name).toBe("work");
    expect(b.tags.list(ACTIVITY)).toEqual([{ key: "team", value: "b" }]);
    // The next load's listing has them.
    await b.load();
    expect(b.stateMachines.get(MACHINE)?.name).toBe("flow");
    expect(b.activities.get(ACTIVITY)?.name).toBe("work");
  });

  it("what a node created before a load, its write still pending, stays", async () => {
    const inner = new MemoryExecutionStore();
    let land = (): void => undefined;
    const landed = new Promise<void>((resolve) => (land = resolve));
    const store = new Proxy(inner, {
      get: (target, prop, receiver) => (prop === "putDocument"
        ? async (...args: Parameters<ExecutionStore["putDocument"]>) => landed.then(() => inner.putDocument(...args))
        : Reflect.get(target, prop, receiver) as unknown),
    });
    const b = node(store);
    b.stateMachines.put(machine());
    await b.load();
    expect(await inner.getDocument("stateMachine", MACHINE)).toBeUndefined();
    expect(b.stateMachines.get(MACHINE)?.name).toBe("flow");
    land();
    await b.writes.idle();
    await b.load();
    expect(b.stateMachines.get(MACHINE)?.name).toBe("flow");
  });

  it("what a node deletes while a listing that still has it is read does not come back", async () => {
    const { store, listings } = slowStore(new MemoryExecutionStore());
    const b = node(store);
    await populate(b);
    listings.hold();
    const loading = b.load();
    b.stateMachines.delete(MACHINE);
    b.activities.delete(ACTIVITY);
    await b.writes.idle();
    listings.release();
    await loading;
    expect(b.stateMachines.get(MACHINE)).toBeUndefined();
    expect(b.stateMachines.getAlias(`${MACHINE}:live`)).toBeUndefined();
    expect(b.activities.get(ACTIVITY)).toBeUndefined();
  });

  it("state machines created elsewhere are read in beside this node's own", async () => {
    const shared = new MemoryExecutionStore();
    const a = node(shared);
    const b = node(shared);
    await populate(b);
    const other = `${MACHINE}-2`;
    a.stateMachines.put(machine(other));
    await a.writes.idle();
    await b.load();
    expect(b.stateMachines.list().map((m) => m.arn).sort()).toEqual([MACHINE, other]);
  });

  it("a left-out document is reported by the load that read it, not by every later one", async () => {
    const shared = new MemoryExecutionStore();
    await shared.putDocument("stateMachineAlias", `${MACHINE}:orphan`, { name: "orphan", stateMachineArn: MACHINE, routingConfiguration: [], creationDate: 1 });
    const b = node(shared);
    const first = await b.load();
    const second = await b.load();
    // Start-up's problems (the service keeps them) do not grow with every refresh.
    expect(first.map((p) => p.document)).toEqual([`stateMachineAlias/${MACHINE}:orphan`]);
    expect(second.map((p) => p.document)).toEqual([`stateMachineAlias/${MACHINE}:orphan`]);
  });
});
