/**
 * Task: Resource (required URI string), Parameters/ResultSelector/ResultPath (JSONPath) or
 * Arguments (JSONata), Credentials, Retry, Catch, and timeouts: TimeoutSeconds and
 * HeartbeatSeconds are positive integers (or their *Path twins, JSONPath only), and a literal
 * HeartbeatSeconds must be smaller than a literal TimeoutSeconds.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
 */
import { pointer } from "../../diagnostics.js";
import { MAX_SECONDS, checkString, has, mismatch } from "../checks.js";
import { CODES } from "../codes.js";
import { checkCatch } from "../fields/catch.js";
import { fieldOf, stateHost, type Host } from "../fields/host.js";
import { checkNumeric } from "../fields/numeric.js";
import { checkJsonataShape, checkTemplateField } from "../fields/payload.js";
import { checkPathField } from "../fields/paths.js";
import { checkRetry } from "../fields/retry.js";
import { BASE_FIELDS, FLOW_FIELDS, IO_PATHS, type StateSpec } from "./spec.js";

export const taskState: StateSpec = {
  fields: {
    both: [...BASE_FIELDS, ...FLOW_FIELDS, "Resource", "Retry", "Catch", "TimeoutSeconds", "HeartbeatSeconds", "Credentials"],
    JSONPath: [...IO_PATHS, "Parameters", "ResultSelector", "ResultPath", "TimeoutSecondsPath", "HeartbeatSecondsPath"],
    JSONata: ["Arguments", "Output"],
  },
  transition: "next-or-end",
  validate(input) {
    const host = stateHost(input);
    checkResource(host);
    checkTemplateField(host, "Parameters", false);
    checkTemplateField(host, "ResultSelector", true);
    checkPathField(host, "ResultPath", "result", true);
    checkJsonataShape(host, "Arguments", "object");
    checkCredentials(host);
    checkTimeouts(host);
    checkRetry(host);
    checkCatch(input);
  },
};

function checkResource(host: Host): void {
  if (has(host.object, "Resource")) checkString(host.diags, pointer(host.location, "Resource"), "Resource", host.object["Resource"], true);
  else host.diags.error(host.location, CODES.Schema, "A Task state must have Resource (a URI, such as an ARN), found none.");
}

function checkCredentials(host: Host): void {
  if (host.language === "JSONata") checkJsonataShape(host, "Credentials", "object");
  else checkTemplateField(host, "Credentials", true);
}

function checkTimeouts(host: Host): void {
  const timeout = checkNumeric(host, { field: "TimeoutSeconds", pathField: "TimeoutSecondsPath", integer: true, min: 1, max: MAX_SECONDS });
  const heartbeat = checkNumeric(host, { field: "HeartbeatSeconds", pathField: "HeartbeatSecondsPath", integer: true, min: 1, max: MAX_SECONDS });
  if (timeout === undefined || heartbeat === undefined || heartbeat < timeout) return;
  const at = pointer(host.location, "HeartbeatSeconds");
  mismatch(host.diags, at, "HeartbeatSeconds", `smaller than TimeoutSeconds (${timeout})`, fieldOf(host, "HeartbeatSeconds"));
}
