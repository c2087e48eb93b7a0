/**
 * Reading durable executions back from the store: one execution (its state, compiled
 * definition and whole history) as a run with its journal, and the links between a
 * Distributed Map's execution and its child executions, which are separate records.
 */
import type { CompiledStateMachine } from "../../../translators/load.js";
import { StoreCorruptionError, type ExecutionStore, type HistoryEvent } from "../../ports/execution-store.js";
import type { ExecutionRun, RunHost } from "../execution-run.js";
import { readImage, restoreRun, type RunImage } from "./run-image.js";
import type { RunJournal } from "./run-journal.js";

export interface LoadedRun {
  readonly run: ExecutionRun;
  readonly journal: RunJournal;
  readonly image: RunImage;
}

export interface RunLoader {
  readonly store: ExecutionStore;
  readonly host: RunHost;
  /** Compiles a stored definition (JSON text); throws DefinitionError. */
  compile(definition: string): CompiledStateMachine;
}

const HISTORY_PAGE = 1000;

/** The stored execution as a run; undefined when there is none. Throws StoreCorruptionError naming a record it cannot use. */
export async function loadRun(loader: RunLoader, arn: string): Promise<LoadedRun | undefined> {
  const stored = await loader.store.load(arn);
  if (!stored) return undefined;
  const image = readImage(stored.state, arn);
  let compiled: CompiledStateMachine;
  try {
    compiled = loader.compile(image.definition);
  } catch (e) {
    throw new StoreCorruptionError({ kind: "state", key: arn }, `its definition does not load: ${(e as Error).message}`, { cause: e });
  }
  const history = await readWholeHistory(loader.store, arn);
  const { run, journal } = restoreRun(image, compiled, loader.host, history, stored.revision);
  return { run, journal, image };
}

async function readWholeHistory(store: ExecutionStore, arn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let afterId: number | undefined;
  for (;;) {
    const page = await store.readHistory(arn, { limit: HISTORY_PAGE, ...(afterId !== undefined ? { afterId } : {}) });
    if (!page) return events;
    events.push(...page.events);
    if (page.next === undefined) return events;
    afterId = page.next;
  }
}

/**
 * Links loaded runs to each other: a map run's children (loading the finished ones, which
 * recovery does not list) and a child's link to the Map state it reports to. `find` gives
 * the runs already in memory; `load` brings another one in (undefined: gone or unreadable).
 */
export async function linkFamily(
  loaded: readonly LoadedRun[],
  find: (arn: string) => ExecutionRun | undefined,
  load: (arn: string) => Promise<ExecutionRun | undefined>,
): Promise<void> {
  for (const { run, image } of loaded) {
    for (const m of image.mapRuns) {
      const mapRun = run.mapRuns.get(m.arn);
      if (!mapRun) continue;
      for (const [index, childArn] of m.children.entries()) {
        if (childArn === null) continue;
        const child = find(childArn) ?? (await load(childArn));
        if (child) mapRun.children[index] = child;
      }
    }
  }
  for (const { run, image } of loaded) {
    if (image.parent) run.parentRef = image.parent;
    const parent = image.parent && find(image.parent.arn);
    if (image.parent && parent) run.parentLink = { run: parent, actorId: image.parent.actorId, batch: image.parent.batch, index: image.parent.index };
  }
}
