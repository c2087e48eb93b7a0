/**
 * Distributed Map I/O: ItemReader (Resource, Parameters/Arguments, ReaderConfig with
 * MaxItems/MaxItemsPath), ItemBatcher (MaxItemsPerBatch, MaxInputBytesPerBatch up to 256 KiB,
 * their *Path twins, BatchInput) and ResultWriter (Resource, Parameters/Arguments, WriterConfig).
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
 */
import { pointer } from "../../diagnostics.js";
import { checkObject, checkString } from "../checks.js";
import { CODES } from "../codes.js";
import { fieldOf, hasField, subHost, type Host } from "../fields/host.js";
import { checkKnownFields, type FieldSets } from "../fields/known-fields.js";
import { checkNumeric } from "../fields/numeric.js";
import { checkJsonataShape, checkTemplateField } from "../fields/payload.js";

/** Map fields that only act in Distributed mode. */
export const DISTRIBUTED_ONLY = [
  "ItemReader", "ItemBatcher", "ResultWriter", "Label",
  "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath",
];

const READER_FIELDS: FieldSets = { both: ["Resource", "ReaderConfig"], JSONPath: ["Parameters"], JSONata: ["Arguments"] };
const WRITER_FIELDS: FieldSets = { both: ["Resource", "WriterConfig"], JSONPath: ["Parameters"], JSONata: ["Arguments"] };
const BATCHER_FIELDS: FieldSets = {
  both: ["MaxItemsPerBatch", "MaxInputBytesPerBatch", "BatchInput"],
  JSONPath: ["MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"],
  JSONata: [],
};
/** ReaderConfig keys vary by reader (InputType, CSVHeaders, ...); only MaxItems is checked. */
const READER_CONFIG_FIELDS: FieldSets = { both: ["MaxItems"], JSONPath: ["MaxItemsPath"], JSONata: [] };

/** AWS: MaxInputBytesPerBatch is at most 256 KiB. */
const MAX_BATCH_BYTES = 262_144;

export function checkItemReader(host: Host): void {
  const reader = open(host, "ItemReader", READER_FIELDS);
  if (reader === undefined) return;
  checkResource(reader, "ItemReader", true);
  checkTemplateField(reader, "Parameters", true);
  checkJsonataShape(reader, "Arguments", "object");
  if (!hasField(reader, "ReaderConfig")) return;
  const at = pointer(reader.location, "ReaderConfig");
  const raw = fieldOf(reader, "ReaderConfig");
  if (!checkObject(reader.diags, at, "ReaderConfig", raw)) return;
  checkNumeric(subHost(reader, raw, at, READER_CONFIG_FIELDS), { field: "MaxItems", pathField: "MaxItemsPath", integer: true, min: 1 });
}

export function checkItemBatcher(host: Host): void {
  const batcher = open(host, "ItemBatcher", BATCHER_FIELDS);
  if (batcher === undefined) return;
  const limits = ["MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"];
  if (!limits.some((f) => hasField(batcher, f))) {
    batcher.diags.error(batcher.location, CODES.Schema, `ItemBatcher must have at least one of ${limits.filter((f) => batcher.allowed.has(f)).join(", ")}, found none.`);
  }
  checkNumeric(batcher, { field: "MaxItemsPerBatch", pathField: "MaxItemsPerBatchPath", integer: true, min: 1 });
  checkNumeric(batcher, { field: "MaxInputBytesPerBatch", pathField: "MaxInputBytesPerBatchPath", integer: true, min: 1, max: MAX_BATCH_BYTES });
  if (batcher.language === "JSONata") checkJsonataShape(batcher, "BatchInput", "object");
  else checkTemplateField(batcher, "BatchInput", true);
}

export function checkResultWriter(host: Host): void {
  const writer = open(host, "ResultWriter", WRITER_FIELDS);
  if (writer === undefined) return;
  if (!hasField(writer, "Resource") && !hasField(writer, "WriterConfig")) {
    writer.diags.error(writer.location, CODES.Schema, "ResultWriter must have Resource or WriterConfig, found neither.");
  }
  checkResource(writer, "ResultWriter", false);
  checkTemplateField(writer, "Parameters", true);
  checkJsonataShape(writer, "Arguments", "object");
  if (hasField(writer, "WriterConfig")) checkObject(writer.diags, pointer(writer.location, "WriterConfig"), "WriterConfig", fieldOf(writer, "WriterConfig"));
}

/** The sub-object `field` as a Host, after its shape and known fields are checked. */
function open(host: Host, field: string, sets: FieldSets): Host | undefined {
  if (!hasField(host, field)) return undefined;
  const at = pointer(host.location, field);
  const raw = fieldOf(host, field);
  if (!checkObject(host.diags, at, field, raw)) return undefined;
  checkKnownFields(host.diags, at, raw, sets, host.language, `in ${field}`);
  return subHost(host, raw, at, sets);
}

function checkResource(host: Host, owner: string, required: boolean): void {
  if (hasField(host, "Resource")) checkString(host.diags, pointer(host.location, "Resource"), "Resource", fieldOf(host, "Resource"), true);
  else if (required) host.diags.error(host.location, CODES.Schema, `${owner} must have Resource (a URI, such as an ARN), found none.`);
}
