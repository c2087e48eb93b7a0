/**
 * The `tables` section of aslan.config.*, secondary indexes included: what the config check
 * accepts, and each problem reported with its path.
 */
import { describe, expect, it } from "vitest";
import { PROJECT_CONFIG } from "../../runtime/config/schema.js";

const problems = (tables: unknown): string[] => {
  const found: string[] = [];
  PROJECT_CONFIG({ tables }, "", found);
  return found;
};

const S = (name: string): object => ({ name, type: "S" });

describe("tables in the project config", () => {
  it("accepts global and local secondary indexes with every kind of projection", () => {
    expect(problems({
      Orders: {
        partitionKey: S("customer"),
        sortKey: S("orderId"),
        globalSecondaryIndexes: [
          { name: "byStatus", partitionKey: S("status"), sortKey: { name: "placedAt", type: "N" }, projection: { include: ["total"] } },
          { name: "by-sku.v2", partitionKey: S("sku"), projection: "KEYS_ONLY" },
          { name: "everything", partitionKey: S("status") },
        ],
        localSecondaryIndexes: [{ name: "byTotal", sortKey: { name: "total", type: "N" }, projection: "ALL" }],
      },
    })).toEqual([]);
  });

  it("reports shapes with their paths: names, key types, projections", () => {
    expect(problems({
      Orders: {
        partitionKey: S("id"),
        globalSecondaryIndexes: [
          { name: "x", partitionKey: { name: "a", type: "BOOL" } },
          { name: "by status", partitionKey: S("status"), projection: "SOME" },
          { partitionKey: S("b"), projection: { include: [] } },
          { name: "fine", sortKey: S("c"), projection: { include: ["d"], extra: true } },
        ],
        localSecondaryIndexes: "byDate",
      },
    })).toEqual([
      `tables.Orders.globalSecondaryIndexes[0].name: expected an index name (3-255 characters: letters, digits, '_', '-' and '.'), found "x"`,
      `tables.Orders.globalSecondaryIndexes[0].partitionKey.type: expected one of "S", "N", "B", found "BOOL"`,
      `tables.Orders.globalSecondaryIndexes[1].name: expected an index name (3-255 characters: letters, digits, '_', '-' and '.'), found "by status"`,
      `tables.Orders.globalSecondaryIndexes[1].projection: expected "ALL", "KEYS_ONLY" or { include: [attribute names] }, found "SOME"`,
      "tables.Orders.globalSecondaryIndexes[2].name: required",
      "tables.Orders.globalSecondaryIndexes[2].projection.include: expected 1 to 20 attribute names, found 0",
      "tables.Orders.globalSecondaryIndexes[3].partitionKey: required",
      "tables.Orders.globalSecondaryIndexes[3].projection.extra: unknown key (expected include)",
      "tables.Orders.localSecondaryIndexes: expected an array, found \"byDate\"",
    ]);
  });

  it("rejects a local index on a table without a sort key, duplicate index names and an attribute with two types", () => {
    expect(problems({
      Events: {
        partitionKey: S("feed"),
        globalSecondaryIndexes: [
          { name: "byKind", partitionKey: S("kind") },
          { name: "byKind", partitionKey: { name: "feed", type: "N" } },
        ],
        localSecondaryIndexes: [{ name: "byDate", sortKey: { name: "kind", type: "B" } }],
      },
    })).toEqual([
      "tables.Events.localSecondaryIndexes: a local secondary index needs a table with a sort key (tables.Events.sortKey)",
      `tables.Events.globalSecondaryIndexes[1].name: "byKind" is already the name of tables.Events.globalSecondaryIndexes[0]`,
      `tables.Events.globalSecondaryIndexes[1].partitionKey.type: "feed" is "S" at tables.Events.partitionKey, found "N"`,
      `tables.Events.localSecondaryIndexes[0].sortKey.type: "kind" is "S" at tables.Events.globalSecondaryIndexes[0].partitionKey, found "B"`,
    ]);
  });

  it("allows at most five local indexes per table, as DynamoDB", () => {
    const locals = Array.from({ length: 6 }, (_, i) => ({ name: `local${i}`, sortKey: S(`s${i}`) }));
    expect(problems({ Things: { partitionKey: S("p"), sortKey: S("s"), localSecondaryIndexes: locals } })).toEqual([
      "tables.Things.localSecondaryIndexes: at most 5 local secondary indexes per table, found 6",
    ]);
  });

  it("takes DynamoDB's table names only (a request could not name another)", () => {
    expect(problems({ T: { partitionKey: S("p") }, "my table": { partitionKey: S("p") } })).toEqual([
      "tables.T: not a valid table name (3-255 characters: letters, digits, '_', '-' and '.')",
      `tables["my table"]: not a valid table name (3-255 characters: letters, digits, '_', '-' and '.')`,
    ]);
  });
});
