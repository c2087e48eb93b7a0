import { describe, it, expect } from "vitest";
import { runDefinition } from "../../index.js";
describe("scratch", () => {
  it("timeout", async () => {
    const r = await runDefinition({ StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:slow", TimeoutSeconds: 5, End: true } } }, {}, { virtualTime: true, functions: { slow: () => new Promise(() => {}) } });
    console.log(JSON.stringify(r, null, 1));
  }, 3000);
});
