/**
 * Map: ItemProcessor (or the legacy Iterator), a sub-machine with its own scope; ItemsPath
 * (JSONPath) or Items (JSONata); ItemSelector (or the legacy Parameters, JSONPath);
 * MaxConcurrency >= 0, ToleratedFailurePercentage 0..100, ToleratedFailureCount >= 0 (each
 * with a *Path twin, JSONPath only); Label; ItemReader, ItemBatcher, ResultWriter
 * (./map-io.ts); ResultSelector/ResultPath (JSONPath), Retry, Catch.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html
 */
import { pointer } from "../../diagnostics.js";
import { isObject } from "../../../json.js";
import { CODES } from "../codes.js";
import type { StateInput } from "../context.js";
import { checkCatch } from "../fields/catch.js";
import { fieldOf, hasField, stateHost, type Host } from "../fields/host.js";
import { checkExclusive } from "../fields/exclusive.js";
import { checkNumeric } from "../fields/numeric.js";
import { checkJsonataShape, checkTemplateField } from "../fields/payload.js";
import { checkPathField } from "../fields/paths.js";
import { checkRetry } from "../fields/retry.js";
import { checkLabel } from "./map-label.js";
import { checkItemBatcher, checkItemReader, checkResultWriter, DISTRIBUTED_ONLY } from "./map-io.js";
import { BASE_FIELDS, FLOW_FIELDS, IO_PATHS, type StateSpec } from "./spec.js";

export const mapState: StateSpec = {
  fields: {
    both: [
      ...BASE_FIELDS, ...FLOW_FIELDS, "ItemProcessor", "Iterator", "ItemSelector", "ItemReader", "ItemBatcher", "ResultWriter",
      "MaxConcurrency", "ToleratedFailurePercentage", "ToleratedFailureCount", "Label", "Retry", "Catch",
    ],
    JSONPath: [
      ...IO_PATHS, "ItemsPath", "Parameters", "ResultSelector", "ResultPath",
      "MaxConcurrencyPath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath",
    ],
    JSONata: ["Items", "Output"],
  },
  transition: "next-or-end",
  validate(input) {
    const host = stateHost(input);
    checkProcessor(input, host);
    checkItems(host);
    checkLimits(host);
    checkLabel(input);
    checkItemReader(host);
    checkItemBatcher(host);
    checkResultWriter(host);
    checkTemplateField(host, "ResultSelector", true);
    checkPathField(host, "ResultPath", "result", true);
    checkRetry(host);
    checkCatch(input);
  },
};

function checkProcessor(input: StateInput, host: Host): void {
  checkExclusive(host, ["ItemProcessor", "Iterator"]);
  const field = hasField(host, "ItemProcessor") ? "ItemProcessor" : hasField(host, "Iterator") ? "Iterator" : undefined;
  if (field === undefined) {
    host.diags.error(host.location, CODES.Schema, "A Map state must have ItemProcessor (or the legacy Iterator), found neither.");
    return;
  }
  const processor = fieldOf(host, field);
  input.ctx.validateSubMachine(processor, pointer(host.location, field), "processor");
  if (!isDistributed(processor)) warnDistributedOnly(host);
}

function checkItems(host: Host): void {
  checkPathField(host, "ItemsPath", "reference");
  checkJsonataShape(host, "Items", "array");
  checkExclusive(host, ["ItemSelector", "Parameters"]);
  if (host.language === "JSONata") checkJsonataShape(host, "ItemSelector", "object");
  else checkTemplateField(host, "ItemSelector", true);
  checkTemplateField(host, "Parameters", true);
}

function checkLimits(host: Host): void {
  checkNumeric(host, { field: "MaxConcurrency", pathField: "MaxConcurrencyPath", integer: true, min: 0 });
  checkNumeric(host, { field: "ToleratedFailurePercentage", pathField: "ToleratedFailurePercentagePath", integer: false, min: 0, max: 100 });
  checkNumeric(host, { field: "ToleratedFailureCount", pathField: "ToleratedFailureCountPath", integer: true, min: 0 });
}

const isDistributed = (processor: unknown): boolean =>
  isObject(processor) && isObject(processor["ProcessorConfig"]) && processor["ProcessorConfig"]["Mode"] === "DISTRIBUTED";

/**
 * ItemReader, ItemBatcher, ResultWriter, Label and the tolerated-failure fields only act in
 * Distributed mode. A warning, not an error: whether AWS rejects them in Inline mode is not
 * documented.
 */
function warnDistributedOnly(host: Host): void {
  for (const field of DISTRIBUTED_ONLY.filter((f) => hasField(host, f))) {
    host.diags.warning(pointer(host.location, field), CODES.Schema, `Field '${field}' only applies to a Map state whose ItemProcessor.ProcessorConfig.Mode is "DISTRIBUTED".`);
  }
}
