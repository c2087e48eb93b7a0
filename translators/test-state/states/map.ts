/**
 * Map (always mocked: TestState does not run iterations). The Map's own data flow runs:
 * InputPath, its settings (maxConcurrency, tolerated failures), the items (ItemsPath / Items,
 * or stateConfiguration.mapItemReaderData for an ItemReader) and ItemSelector; then the
 * mocked result array goes through ResultSelector/ResultPath/OutputPath or Output. With
 * stateConfiguration.mapIterationFailureCount over a configured threshold the state fails
 * with States.ExceedToleratedFailureThreshold, as AWS records; without a threshold it does not.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html
 */
import type { MapState } from "../../asl/model.js";
import { StatesError, STATES_ERRORS } from "../../errors.js";
import type { Json } from "../../json.js";
import { compileItemInput, compileItems } from "../../xstate/states/map.js";
import { compileMapSettings, exceedsTolerance, type MapSettings } from "../../xstate/states/map-settings.js";
import type { Inspection, StateEnding } from "../model.js";
import { testedContext } from "../probe.js";
import { compileRecovery, failureOf, recover, type RecoveryScope } from "../recovery.js";
import { compileTracedIO } from "../traced-io.js";
import { succeeded, type RunArgs } from "./runner.js";

const THRESHOLD_EXCEEDED = new StatesError(STATES_ERRORS.ExceedToleratedFailureThreshold, "The specified tolerated failure threshold was exceeded");

export function runMap({ tested, d, run, inspection, services }: RunArgs): StateEnding {
  const s = tested.state as MapState;
  const { language } = tested;
  const io = compileTracedIO(s, language, { defaultOutput: "result" }, services);
  const recovery = compileRecovery(s, language);
  const settingsOf = compileMapSettings(s, language, services);
  const itemsOf = compileItems(s, language, services);
  const itemInput = compileItemInput(s, language, services);
  const context = testedContext(d, run);
  const scope: RecoveryScope = { d, context, retrierRetryCount: run.retrierRetryCount, inspection, services };
  const outcome = run.mock;
  if (!outcome) throw new Error("A Map state is only tested with a mock (checked by mock.ts)");
  try {
    const effective = io.effectiveInput(d, context, inspection);
    const settings = settingsOf(d, effective);
    recordSettings(inspection, settings);
    const items = s.ItemReader !== undefined ? readerItems(run.mapItemReaderData) : itemsOf(d, effective);
    if (language === "JSONPath" && s.ItemReader === undefined) inspection.afterItemsPath = items;
    if ((s.ItemSelector ?? s.Parameters) !== undefined) inspection.afterItemSelector = items.map((v, i) => itemInput(d, effective, i, v));
    if ("error" in outcome) return recover(outcome, recovery, scope);
    if (thresholdSet(settings) && exceedsTolerance(settings, run.mapIterationFailureCount, items.length)) throw THRESHOLD_EXCEEDED;
    const { output, assigned } = io.finish(d, outcome.result, context, inspection);
    return succeeded(output, s.End ? undefined : s.Next, assigned);
  } catch (e) {
    return recover(failureOf(e), recovery, scope);
  }
}

function recordSettings(inspection: Inspection, settings: MapSettings): void {
  inspection.maxConcurrency = settings.maxConcurrency;
  if (settings.toleratedCount !== undefined) inspection.toleratedFailureCount = settings.toleratedCount;
  if (settings.toleratedPercentage !== undefined) inspection.toleratedFailurePercentage = settings.toleratedPercentage;
}

const thresholdSet = (s: MapSettings): boolean => s.toleratedCount !== undefined || s.toleratedPercentage !== undefined;

/** The items an ItemReader would have read, as the request supplies them (none when absent). */
function readerItems(text: string | undefined): Json[] {
  if (text === undefined) return [];
  try {
    const value = JSON.parse(text) as Json;
    return Array.isArray(value) ? value : [value];
  } catch {
    return [];
  }
}
