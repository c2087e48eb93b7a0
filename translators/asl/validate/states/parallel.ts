/**
 * Parallel: Branches (a non-empty array of sub-machines, each with its own scope: a
 * transition cannot leave its branch), Parameters/ResultSelector/ResultPath (JSONPath) or
 * Arguments (JSONata), Retry, Catch.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html
 */
import { pointer } from "../../diagnostics.js";
import { checkArray, has } from "../checks.js";
import { CODES } from "../codes.js";
import type { StateInput } from "../context.js";
import { checkCatch } from "../fields/catch.js";
import { stateHost } from "../fields/host.js";
import { checkJsonataShape, checkTemplateField } from "../fields/payload.js";
import { checkPathField } from "../fields/paths.js";
import { checkRetry } from "../fields/retry.js";
import { BASE_FIELDS, FLOW_FIELDS, IO_PATHS, type StateSpec } from "./spec.js";

export const parallelState: StateSpec = {
  fields: {
    both: [...BASE_FIELDS, ...FLOW_FIELDS, "Branches", "Retry", "Catch"],
    JSONPath: [...IO_PATHS, "Parameters", "ResultSelector", "ResultPath"],
    JSONata: ["Arguments", "Output"],
  },
  transition: "next-or-end",
  validate(input) {
    const host = stateHost(input);
    checkBranches(input);
    checkTemplateField(host, "Parameters", false);
    checkTemplateField(host, "ResultSelector", true);
    checkPathField(host, "ResultPath", "result", true);
    checkJsonataShape(host, "Arguments", "object");
    checkRetry(host);
    checkCatch(input);
  },
};

function checkBranches(input: StateInput): void {
  const { ctx, location, state } = input;
  if (!has(state, "Branches")) {
    ctx.diags.error(location, CODES.Schema, "A Parallel state must have Branches (a non-empty array of state machines), found none.");
    return;
  }
  const at = pointer(location, "Branches");
  const branches = state["Branches"];
  if (!checkArray(ctx.diags, at, "Branches", branches, true)) return;
  branches.forEach((branch, i) => ctx.validateSubMachine(branch, pointer(at, i), "branch"));
}
