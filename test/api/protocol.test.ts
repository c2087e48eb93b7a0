import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, ALL_ACTIONS } from "../../runtime/api/actions/index.js";
import { startTestApi, type TestApi } from "./helpers.js";

describe("AWS JSON 1.0 protocol", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it("answers every action of the Step Functions API model (none is UnsupportedOperation)", () => {
    expect(ALL_ACTIONS.filter((action) => !(action in ACTIONS))).toEqual([]);
  });

  it("GET /healthz answers ok", async () => {
    const res = await fetch(`${api.server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });
});
