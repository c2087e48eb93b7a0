/**
 * How the registries' entries are stored as documents (one per state machine, version,
 * alias, activity and tagged resource, keyed by ARN) and read back. A state machine is
 * stored as its definition text and metadata, never compiled: it is compiled again when it
 * is loaded. Reading checks every field, so a document of the wrong shape is a
 * StoreCorruptionError naming it, not a half-built entry.
 */
import { StoreCorruptionError, type DocumentKind } from "../ports/execution-store.js";
import type { ActivityEntry } from "./activity-registry.js";
import type { AliasEntry, StateMachineEntry, VersionEntry } from "./state-machine-registry.js";
import type { Tag } from "./tag-registry.js";

type Fields = Readonly<Record<string, unknown>>;
interface Types {
  string: string;
  number: number;
  object: Fields;
}

/** A state machine without what compiling gives (its `record`), and the last version number it published. */
export type StateMachineDocument = Omit<StateMachineEntry, "record"> & { readonly lastVersion: number };
/** A version without its `record`; `machineCreationDate` is its record's (the state machine's creation date). */
export type VersionDocument = Omit<VersionEntry, "record"> & { readonly machineCreationDate: number };

const TYPES = ["STANDARD", "EXPRESS"];

/** Reads one document's value, naming the document in every complaint. */
class Reader {
  private readonly value: Fields;

  constructor(kind: DocumentKind, private readonly key: string, value: unknown, private readonly ref = { kind: "document" as const, key: `${kind}/${key}` }) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new StoreCorruptionError(this.ref, "the value is not an object");
    this.value = value as Fields;
  }

  fail(what: string): never {
    throw new StoreCorruptionError(this.ref, what);
  }

  string(field: string): string {
    const v = this.value[field];
    return typeof v === "string" ? v : this.fail(`${field} is not a string`);
  }

  number(field: string): number {
    const v = this.value[field];
    return typeof v === "number" && Number.isFinite(v) ? v : this.fail(`${field} is not a number`);
  }

  /** `{ [field]: value }` when present, `{}` when absent. */
  optional<K extends string, T extends keyof Types>(field: K, type: T): { [P in K]?: Types[T] } {
    const v = this.value[field];
    if (v === undefined || v === null) return {};
    if (typeof v !== type || (type === "object" && Array.isArray(v))) this.fail(`${field} is not a${type === "object" ? "n" : ""} ${type}`);
    return { [field]: v } as { [P in K]?: Types[T] };
  }

  oneOf<T extends string>(field: string, allowed: readonly T[]): T {
    const v = this.value[field];
    return allowed.includes(v as T) ? (v as T) : this.fail(`${field} is not one of ${allowed.join(", ")}`);
  }

  array(field: string): readonly Fields[] {
    const v = this.value[field];
    if (!Array.isArray(v) || !v.every((x) => typeof x === "object" && x !== null)) this.fail(`${field} is not a list of objects`);
    return v as Fields[];
  }

  /** The ARN the document is filed under must be the entry's own. */
  keyIs(expected: string): void {
    if (this.key !== expected) this.fail(`the key does not match the entry (${expected})`);
  }
}

/** Leaves out fields whose value is undefined (documents hold no undefined). */
const defined = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const baseOf = (qualifiedArn: string): string => qualifiedArn.slice(0, qualifiedArn.lastIndexOf(":"));

function machineFields(entry: Omit<StateMachineEntry, "record" | "arn">): Record<string, unknown> {
  return {
    name: entry.name, type: entry.type, definition: entry.definition, roleArn: entry.roleArn, creationDate: entry.creationDate,
    updateDate: entry.updateDate, revisionId: entry.revisionId, description: entry.description,
    loggingConfiguration: entry.loggingConfiguration, tracingConfiguration: entry.tracingConfiguration, encryptionConfiguration: entry.encryptionConfiguration,
  };
}

function readMachineFields(r: Reader): Omit<StateMachineEntry, "record" | "arn"> {
  return {
    name: r.string("name"), type: r.oneOf("type", TYPES as ("STANDARD" | "EXPRESS")[]), definition: r.string("definition"),
    roleArn: r.string("roleArn"), creationDate: r.number("creationDate"),
    ...r.optional("updateDate", "number"), ...r.optional("revisionId", "string"), ...r.optional("description", "string"),
    ...r.optional("loggingConfiguration", "object"), ...r.optional("tracingConfiguration", "object"), ...r.optional("encryptionConfiguration", "object"),
  };
}

export const stateMachineDocument = {
  encode: (entry: StateMachineEntry, lastVersion: number): Record<string, unknown> => defined({ ...machineFields(entry), lastVersion }),
  decode(key: string, value: unknown): StateMachineDocument {
    const r = new Reader("stateMachine", key, value);
    return { arn: key, ...readMachineFields(r), lastVersion: r.number("lastVersion") };
  },
};

export const versionDocument = {
  encode: (v: VersionEntry): Record<string, unknown> =>
    defined({ ...machineFields(v), version: v.version, versionDescription: v.versionDescription, machineCreationDate: v.record.creationDate }),
  decode(key: string, value: unknown): VersionDocument {
    const r = new Reader("stateMachineVersion", key, value);
    const version = r.number("version");
    r.keyIs(`${baseOf(key)}:${version}`);
    return {
      arn: baseOf(key), versionArn: key, version, ...readMachineFields(r), ...r.optional("versionDescription", "string"),
      machineCreationDate: r.number("machineCreationDate"),
    };
  },
};

export const aliasDocument = {
  encode: (a: AliasEntry): Record<string, unknown> =>
    defined({ name: a.name, stateMachineArn: a.stateMachineArn, description: a.description, routingConfiguration: a.routingConfiguration.map((x) => ({ ...x })), creationDate: a.creationDate, updateDate: a.updateDate }),
  decode(key: string, value: unknown): AliasEntry {
    const r = new Reader("stateMachineAlias", key, value);
    const name = r.string("name");
    const stateMachineArn = r.string("stateMachineArn");
    r.keyIs(`${stateMachineArn}:${name}`);
    const routingConfiguration = r.array("routingConfiguration").map((route) => {
      const v = route["stateMachineVersionArn"];
      const w = route["weight"];
      return typeof v === "string" && typeof w === "number" ? { stateMachineVersionArn: v, weight: w } : r.fail("routingConfiguration has a malformed route");
    });
    return { arn: key, name, stateMachineArn, routingConfiguration, creationDate: r.number("creationDate"), ...r.optional("description", "string"), ...r.optional("updateDate", "number") };
  },
};

export const activityDocument = {
  encode: (a: ActivityEntry): Record<string, unknown> => defined({ name: a.name, creationDate: a.creationDate, encryptionConfiguration: a.encryptionConfiguration }),
  decode(key: string, value: unknown): ActivityEntry {
    const r = new Reader("activity", key, value);
    return { arn: key, name: r.string("name"), creationDate: r.number("creationDate"), ...r.optional("encryptionConfiguration", "object") };
  },
};

export const tagsDocument = {
  encode: (tags: readonly Tag[]): Record<string, unknown> | undefined => (tags.length === 0 ? undefined : { tags: tags.map((t) => ({ key: t.key, value: t.value })) }),
  decode(key: string, value: unknown): Tag[] {
    const r = new Reader("tags", key, value);
    return r.array("tags").map((t) => (typeof t["key"] === "string" && typeof t["value"] === "string" ? { key: t["key"], value: t["value"] } : r.fail("tags has a malformed tag")));
  },
};
