/**
 * Fan-out with a Map state: nine orders priced by price-order (200 ms each, ten worker
 * threads) with MaxConcurrency 3, then aggregated by summarize. The limit is checked twice:
 * by the functions (each reports when it started and finished; summarize counts the overlap)
 * and by the history (price-order invocations scheduled but not yet finished).
 */
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../index.js";
import type { HistoryEvent } from "../../translators/xstate/actor-data.js";
import { aslanRunJson, ensureBuilt } from "../support/cli.js";
import { eventTypes, example, openProject, type Project } from "../support/project.js";

const ex = example(import.meta.url);
const CONFIG = join(ex.dir, "aslan.config.mjs");
const definition = ex.json<JsonObject>("fan-out-map.asl.json");
const input = ex.json<JsonObject>("input.json");
const expected = ex.json<JsonObject>("expected-output.json");

/** Most price-order invocations in flight at once, as the history records them (scheduled, not yet finished, inside the Map). */
function peakInHistory(history: readonly HistoryEvent[]): number {
  let open = 0;
  let peak = 0;
  for (const e of history) {
    if (e.type === "MapStateExited") break;
    if (e.type === "LambdaFunctionScheduled") peak = Math.max(peak, ++open);
    if (["LambdaFunctionSucceeded", "LambdaFunctionFailed", "LambdaFunctionTimedOut"].includes(e.type)) open--;
  }
  return peak;
}

describe("fan-out-map on the engine `aslan run --config` builds", () => {
  let project: Project;
  afterEach(async () => {
    await project?.close();
  });

  it("prices every order with at most 3 at a time and aggregates them: the expected output", async () => {
    project = await openProject(CONFIG);
    const r = await project.run(definition, input);
    expect(r.status).toBe("SUCCEEDED");
    const output = r.output as JsonObject;
    // The functions' own count depends on worker start-up; it can never exceed the limit.
    expect(output).toEqual({ ...expected, peakConcurrency: expect.any(Number) });
    expect(output["peakConcurrency"]).toBeGreaterThanOrEqual(1);
    expect(output["peakConcurrency"]).toBeLessThanOrEqual(3);
    expect(peakInHistory(r.history)).toBe(3);
    expect(eventTypes(r.history).filter((t) => t === "MapIterationSucceeded")).toHaveLength(9);
    // Each iteration got its item with the index and the batch's currency (ItemSelector).
    const priced = r.history.filter((e) => e.type === "LambdaFunctionScheduled").slice(0, 3).map((e) => JSON.parse(String((e["lambdaFunctionScheduledEventDetails"] as JsonObject)["input"])) as JsonObject);
    expect(priced.map((p) => [p["index"], (p["order"] as JsonObject)["orderId"], p["currency"]])).toEqual([[0, "ord-3001", "EUR"], [1, "ord-3002", "EUR"], [2, "ord-3003", "EUR"]]);
  });

  it("the same measurements see every order at once without the limit (MaxConcurrency 0)", async () => {
    project = await openProject(CONFIG);
    const unlimited = JSON.parse(JSON.stringify(definition)) as { States: { PriceOrders: { MaxConcurrency: number } } };
    unlimited.States.PriceOrders.MaxConcurrency = 0;
    const r = await project.run(unlimited, input);
    expect(r.status).toBe("SUCCEEDED");
    expect(peakInHistory(r.history)).toBe(9);
    expect((r.output as JsonObject)["peakConcurrency"]).toBeGreaterThan(3);
    expect(r.output).toEqual({ ...expected, peakConcurrency: expect.any(Number) });
  });
});

describe("fan-out-map with aslan run --config (the README's command)", () => {
  beforeAll(ensureBuilt, 120_000);

  it("prints the expected output", async () => {
    const r = await aslanRunJson(["examples/fan-out-map/fan-out-map.asl.json", "--config", "examples/fan-out-map/aslan.config.mjs", "--input", "@examples/fan-out-map/input.json"]);
    expect(r).toMatchObject({ code: 0, status: "SUCCEEDED" });
    expect(r.output).toEqual({ ...expected, peakConcurrency: expect.any(Number) });
    expect((r.output as JsonObject)["peakConcurrency"]).toBeLessThanOrEqual(3);
  });
});
