/**
 * The trip-booking saga end to end: hotel → flight → car as Lambda-like functions; a failed
 * booking enters the compensation chain (Catch) where it must, cancellations go to the FIFO
 * queue in reverse order, the trip is recorded in DynamoDB, and the execution fails with the
 * booking's error.
 */
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../index.js";
import { aslanRunJson, ensureBuilt } from "../support/cli.js";
import { example, openProject, statesEntered, type Project } from "../support/project.js";

const ex = example(import.meta.url);
const CONFIG = join(ex.dir, "aslan.config.mjs");
const definition = ex.text("saga-compensation.asl.json");
const booked = ex.json<JsonObject>("input.json");
const noCar = ex.json<JsonObject>("input-no-car.json");
const QUEUE = "cancellations.fifo";

describe("saga-compensation on the engine `aslan run --config` builds", () => {
  let project: Project;
  afterEach(async () => {
    await project?.close();
  });

  const cancellations = async (): Promise<JsonObject[]> => (await project.drain(QUEUE)).map((b) => JSON.parse(b) as JsonObject);

  it("books hotel, flight and car: the expected output, the trip CONFIRMED in DynamoDB, nothing cancelled", async () => {
    project = await openProject(CONFIG);
    const r = await project.run(definition, booked);
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual(ex.json("expected-output.json"));
    expect(statesEntered(r.history)).toEqual(["BookHotel", "BookFlight", "BookCar", "RecordTrip"]);
    expect(await project.item("trips", { tripId: { S: "trip-42" } })).toEqual({
      tripId: { S: "trip-42" }, status: { S: "CONFIRMED" }, hotel: { S: "HTL-trip-42" }, flight: { S: "FLT-trip-42" }, car: { S: "CAR-trip-42" },
    });
    expect(await cancellations()).toEqual([]);
  });

  it("no car: the flight, then the hotel are cancelled (in that order, in the FIFO queue), the trip is ROLLED_BACK, the execution FAILED with CarUnavailable", async () => {
    project = await openProject(CONFIG);
    const r = await project.run(definition, noCar);
    expect({ status: r.status, error: r.error, cause: r.cause }).toEqual(ex.json("expected-failure.json"));
    expect(statesEntered(r.history)).toEqual(["BookHotel", "BookFlight", "BookCar", "CancelFlight", "CancelHotel", "RecordRollback", "TripFailed"]);
    const failed = r.history.find((e) => e.type === "LambdaFunctionFailed")?.["lambdaFunctionFailedEventDetails"] as JsonObject;
    expect(JSON.parse(String(failed["cause"]))).toMatchObject({ errorType: "CarUnavailable", errorMessage: "no convertible car in Lisbon from 2026-06-01" });
    expect(await cancellations()).toEqual([
      { tripId: "trip-43", cancel: "flight", confirmation: "FLT-trip-43" },
      { tripId: "trip-43", cancel: "hotel", confirmation: "HTL-trip-43" },
    ]);
    expect(await project.item("trips", { tripId: { S: "trip-43" } })).toEqual({ tripId: { S: "trip-43" }, status: { S: "ROLLED_BACK" }, reason: { S: "CarUnavailable" } });
  });

  it("no flight: only the hotel is cancelled", async () => {
    project = await openProject(CONFIG);
    const r = await project.run(definition, { ...noCar, tripId: "trip-44", flight: { from: "BER", to: "FNC", date: "2026-06-01" } });
    expect(r).toMatchObject({ status: "FAILED", error: "NoFlightAvailable" });
    expect(statesEntered(r.history)).toEqual(["BookHotel", "BookFlight", "CancelHotel", "RecordRollback", "TripFailed"]);
    expect(await cancellations()).toEqual([{ tripId: "trip-44", cancel: "hotel", confirmation: "HTL-trip-44" }]);
    expect(await project.item("trips", { tripId: { S: "trip-44" } })).toMatchObject({ status: { S: "ROLLED_BACK" }, reason: { S: "NoFlightAvailable" } });
  });

  it("no hotel: nothing to cancel, the trip is still recorded as ROLLED_BACK", async () => {
    project = await openProject(CONFIG);
    const r = await project.run(definition, { ...noCar, tripId: "trip-45", hotel: { city: "Funchal", checkIn: "2026-06-01", nights: 3 } });
    expect(r).toMatchObject({ status: "FAILED", error: "HotelUnavailable" });
    expect(statesEntered(r.history)).toEqual(["BookHotel", "RecordRollback", "TripFailed"]);
    expect(r.history.filter((e) => e.type === "LambdaFunctionScheduled")).toHaveLength(1);
    expect(await cancellations()).toEqual([]);
    expect(await project.item("trips", { tripId: { S: "trip-45" } })).toMatchObject({ status: { S: "ROLLED_BACK" }, reason: { S: "HotelUnavailable" } });
  });
});

describe("saga-compensation with aslan run --config (the README's commands)", () => {
  beforeAll(ensureBuilt, 120_000);

  it("the failing trip: exit 1, the expected failure, the compensations in the history", async () => {
    const r = await aslanRunJson(["examples/saga-compensation/saga-compensation.asl.json", "--config", "examples/saga-compensation/aslan.config.mjs", "--input", "@examples/saga-compensation/input-no-car.json"]);
    expect(r.code).toBe(1);
    expect({ status: r.status, error: r.error, cause: r.cause }).toEqual(ex.json("expected-failure.json"));
    const sent = r.history.filter((e) => e.type === "TaskSucceeded").map((e) => (e["taskSucceededEventDetails"] as { resourceType: string; resource: string }).resource);
    expect(sent).toEqual(["sendMessage", "sendMessage", "putItem"]);
  });

  it("the booked trip: exit 0 and the expected output", async () => {
    const r = await aslanRunJson(["examples/saga-compensation/saga-compensation.asl.json", "--config", "examples/saga-compensation/aslan.config.mjs", "--input", "@examples/saga-compensation/input.json"]);
    expect(r).toMatchObject({ code: 0, status: "SUCCEEDED", output: ex.json("expected-output.json") });
  });
});
