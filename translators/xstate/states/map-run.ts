/**
 * A Distributed Map's map run, as the Map state sees it: its ARN, the MapRun* history events,
 * the effects that tell the engine about it (DescribeMapRun reads those), UpdateMapRun's new
 * settings, and its redrive (the same map run again, MapRunRedriven).
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-examine-map-run.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html
 */
import type { JsonObject } from "../../json.js";
import type { MapState } from "../../asl/model.js";
import type { ActorData } from "../actor-data.js";
import type { ActorEvent, EVENTS } from "../events.js";
import { effect, emit } from "../step.js";
import type { MapSettings } from "./map-settings.js";

/** `arn:…:mapRun:<state machine name>/<label>:<id>`, from the state machine's ARN. */
export function mapRunArn(d: ActorData, label: string, id: string): string {
  const stateMachine = String((d.exec.StateMachine as JsonObject)["Id"] ?? "");
  return `${stateMachine.replace(":stateMachine:", ":mapRun:")}/${label}:${id}`;
}

export const executionTypeOf = (s: MapState): "STANDARD" | "EXPRESS" =>
  (s.ItemProcessor ?? s.Iterator)?.ProcessorConfig?.ExecutionType === "EXPRESS" ? "EXPRESS" : "STANDARD";

interface RunStart {
  readonly arn: string;
  readonly batch: string;
  readonly total: number;
  readonly settings: MapSettings;
  readonly redriveCount: number;
}

/** MapRunStarted (or MapRunRedriven) and the effect that opens the map run's record. */
export function openMapRun(d: ActorData, s: MapState, run: RunStart): void {
  if (run.redriveCount === 0) emit(d, "MapRunStarted", { mapRunArn: run.arn });
  else emit(d, "MapRunRedriven", { mapRunArn: run.arn, redriveCount: run.redriveCount });
  const { maxConcurrency, toleratedCount, toleratedPercentage } = run.settings;
  effect(d, {
    type: "mapRunStarted", mapRunArn: run.arn, batch: run.batch, total: run.total, maxConcurrency,
    ...(toleratedCount !== undefined ? { toleratedFailureCount: toleratedCount } : {}),
    ...(toleratedPercentage !== undefined ? { toleratedFailurePercentage: toleratedPercentage } : {}),
    executionType: executionTypeOf(s), redriveCount: run.redriveCount,
  });
}

/** MapRunSucceeded; returns its id (MapStateSucceeded follows it). */
export function mapRunSucceeded(d: ActorData, arn: string): number {
  const id = emit(d, "MapRunSucceeded");
  effect(d, { type: "mapRunEnded", mapRunArn: arn, status: "SUCCEEDED" });
  return id;
}

/** The map run failed: MapRunFailed in the history unless the Map is retried (AWS writes none then). */
export function mapRunFailed(d: ActorData, arn: string, failure: { error?: string | undefined; cause?: string | undefined }, recorded: boolean): void {
  if (recorded) {
    const details: JsonObject = {};
    if (failure.error !== undefined) details["error"] = failure.error;
    if (failure.cause !== undefined) details["cause"] = failure.cause;
    emit(d, "MapRunFailed", details);
  }
  effect(d, { type: "mapRunEnded", mapRunArn: arn, status: "FAILED" });
}

type Update = Extract<ActorEvent, { type: typeof EVENTS.mapRunUpdated }>;

/** UpdateMapRun's settings over the current ones (fields it leaves out stay as they are). */
export function updatedSettings(current: MapSettings, ev: Update): JsonObject {
  const next: MapSettings = {
    maxConcurrency: ev.maxConcurrency ?? current.maxConcurrency,
    toleratedCount: ev.toleratedFailureCount ?? current.toleratedCount,
    toleratedPercentage: ev.toleratedFailurePercentage ?? current.toleratedPercentage,
  };
  return { ...next } as unknown as JsonObject;
}
