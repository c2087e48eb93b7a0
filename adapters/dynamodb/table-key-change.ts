/**
 * A table's items are stored under its key schema: a durable store (on LMDB, on JetStream)
 * remembers the keys it stored a table under and refuses a config that changed them.
 */
import type { KeySchema } from "./table-store.js";

/** The key schema alone (names and types), as a store records it. */
export const keyParts = (k: KeySchema): KeySchema => ({
  partitionKey: { name: k.partitionKey.name, type: k.partitionKey.type },
  ...(k.sortKey ? { sortKey: { name: k.sortKey.name, type: k.sortKey.type } } : {}),
});

/** What changed in a table's key schema, in words; undefined when nothing did. */
export function keyChange(was: KeySchema, now: KeySchema): string | undefined {
  const shown = (k: KeySchema["sortKey"]): string => (k ? `${k.name} (${k.type})` : "none");
  const changes = [
    shown(was.partitionKey) !== shown(now.partitionKey) ? `partition key was ${shown(was.partitionKey)}, the config has ${shown(now.partitionKey)}` : undefined,
    shown(was.sortKey) !== shown(now.sortKey) ? `sort key was ${shown(was.sortKey)}, the config has ${shown(now.sortKey)}` : undefined,
  ].filter((c) => c !== undefined);
  return changes.length > 0 ? changes.join("; ") : undefined;
}
