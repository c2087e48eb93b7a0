/**
 * History fidelity: compares the event list our engine writes with the one AWS's
 * GetExecutionHistory returned for the same execution (as stored in a conformance case), at
 * three levels, each including the one before:
 *  - "types":   the sequence of event types;
 *  - "links":   plus each event's `id` and `previousEventId`;
 *  - "details": plus the `...EventDetails` object (every field, placeholders allowed).
 *
 * Both sides are first brought to one form (`normaliseEvent`): `timestamp` is dropped; the
 * JSON-text fields `input`, `output`, `parameters` are parsed where they parse (AWS returns
 * text, the recorder parsed many of them); `assignedVariables` values (JSON text on AWS) are
 * parsed one by one. Recorded placeholders ("<ArnPart_0idx>") are matched with compare.mjs's
 * `matches`, and the recorder's bare substitutions too: "snf_role_arn" for the role ARN,
 * "date"/"timestamp" for times, 111111111111 for the account in ARNs.
 *
 * Parallel: the recorder (LocalStack's SfnNoneRecursiveParallelTransformer) made branch events
 * order-independent: between a ParallelStateStarted and the next ParallelState{Succeeded,
 * Aborted,Exited,Failed} it set `id` to [0] and `previousEventId` to 0 and sorted them, and
 * through a slice-assignment quirk it also deleted the event just before a second closing
 * event (so ParallelStateSucceeded vanishes before ParallelStateExited). When a recorded
 * history shows those [0] ids, `recorderParallelTransform` applies the same transform to our
 * history, and each run of [0]-id events is compared as a multiset.
 */

/** compare.mjs's placeholder-aware deep equality. */
export type Matches = (expected: unknown, actual: unknown) => boolean;

export type Level = "types" | "links" | "details";
export const LEVELS: readonly Level[] = ["types", "links", "details"];

/** The first difference found at one level. `index` is a position in the compared lists. */
export interface HistoryDifference {
  readonly level: Level;
  readonly index: number;
  readonly expected: string;
  readonly actual: string;
}

/** Per level: null when the histories agree at that level, else its first difference. */
export type HistoryComparison = Readonly<Record<Level, HistoryDifference | null>>;

type Event = Readonly<Record<string, unknown>>;

/** A recorded history is usable when it is a real GetExecutionHistory list (ids, timestamps). */
export function isRecordedHistory(history: readonly Event[] | null | undefined): history is readonly Event[] {
  return Array.isArray(history) && history.length > 0 && history.every((e) => "id" in e && "timestamp" in e && typeof e["type"] === "string");
}

const parseText = (v: unknown): unknown => {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
};

const TEXT_FIELDS = new Set(["input", "output", "parameters"]);

/** A normalised event: no timestamp, JSON-text detail fields parsed. */
export interface NormalEvent {
  readonly type: string;
  readonly id: unknown;
  readonly previousEventId: unknown;
  /** Every other key of the event (the `...EventDetails` objects), normalised. */
  readonly details: Readonly<Record<string, unknown>>;
  /** The raw text fields before parsing, to also try the unparsed recorded value. */
  readonly raw: Readonly<Record<string, unknown>>;
}

function normaliseDetails(details: unknown): unknown {
  if (!details || typeof details !== "object" || Array.isArray(details)) return details;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details as Record<string, unknown>)) {
    if (TEXT_FIELDS.has(k)) out[k] = parseText(v);
    else if (k === "assignedVariables" && v && typeof v === "object" && !Array.isArray(v))
      out[k] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([n, t]) => [n, parseText(t)]));
    else out[k] = v;
  }
  return out;
}

/** `recorded`: the event is AWS's as stored (its account ids become placeholders). */
export function normaliseEvent(e: Event, recorded = false): NormalEvent {
  const details: Record<string, unknown> = {};
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === "id" || k === "previousEventId" || k === "timestamp" || k === "type") continue;
    details[k] = recorded ? prepareExpected(normaliseDetails(v)) : normaliseDetails(v);
    raw[k] = recorded ? prepareExpected(v) : v;
  }
  return { type: String(e["type"]), id: e["id"], previousEventId: e["previousEventId"], details, raw };
}

// ---------------------------------------------------------------------------------------
// The recorder's Parallel transform, applied to our side.

const PARALLEL_CLOSERS = new Set(["ParallelStateSucceeded", "ParallelStateAborted", "ParallelStateExited", "ParallelStateFailed"]);

/** True when the recorded history went through the recorder's Parallel transform. */
export const hasParallelTransform = (history: readonly Event[]): boolean => history.some((e) => Array.isArray(e["id"]));

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );

/**
 * LocalStack's SfnNoneRecursiveParallelTransformer._normalise_events, step for step (Python
 * slice assignment while enumerating included), on a copy of `events`.
 */
export function recorderParallelTransform(events: readonly Event[]): Event[] {
  const out: Event[] = events.map((e) => ({ ...e }));
  let start: number | null = null;
  let sublist: Event[] = [];
  let inSublist = false;
  for (let i = 0; i < out.length; i++) {
    const event = out[i]!;
    const type = event["type"];
    if (type === undefined) inSublist = false;
    else if (PARALLEL_CLOSERS.has(String(type))) {
      const s = start ?? 0;
      out.splice(s, Math.max(0, i - s), ...[...sublist].sort((a, b) => (canonical(a) < canonical(b) ? -1 : canonical(a) > canonical(b) ? 1 : 0)));
      inSublist = false;
    } else if (type === "ParallelStateStarted") {
      inSublist = true;
      sublist = [];
      start = i + 1;
    } else if (inSublist) {
      const marked = { ...event, id: [0], previousEventId: 0 };
      out[i] = marked;
      sublist.push(marked);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Value comparison.

/** Bare words the recorder put in place of run-specific values (no <...> around them). */
const ROLE_WORDS = new Set(["snf_role_arn", "sfn_role_arn"]);
const TIME_WORDS = new Set(["timestamp", "date", "datetime", "start-time", "entered-time"]);
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

/** The recorder's account id in ARNs (LocalStack snapshots write every account as this). */
const RECORDED_ACCOUNT = /(?<=^arn:[^:]*:[^:]*:[^:]*:)111111111111(?=:)/;

/** A recorded value with the recorder's account id made a placeholder. */
export function prepareExpected(v: unknown): unknown {
  if (typeof v === "string") return v.replace(RECORDED_ACCOUNT, "<account>");
  if (Array.isArray(v)) return v.map(prepareExpected);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, prepareExpected(x)]));
  return v;
}

/**
 * `actual` with each value the recorder replaced by a bare word (role ARN, time) set to that
 * word, so `matches` accepts it. Walks both values together by key and index.
 */
export function reconcile(expected: unknown, actual: unknown): unknown {
  if (typeof expected === "string" && typeof actual === "string") {
    if (ROLE_WORDS.has(expected) && actual.startsWith("arn:")) return expected;
    if (TIME_WORDS.has(expected) && ISO_TIME.test(actual)) return expected;
    return actual;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) return actual.map((a, i) => (i < expected.length ? reconcile(expected[i], a) : a));
  if (expected && actual && typeof expected === "object" && typeof actual === "object" && !Array.isArray(expected) && !Array.isArray(actual)) {
    const e = expected as Record<string, unknown>;
    return Object.fromEntries(Object.entries(actual as Record<string, unknown>).map(([k, a]) => [k, k in e ? reconcile(e[k], a) : a]));
  }
  return actual;
}

const short = (v: unknown, max = 160): string => {
  const s = v === undefined ? "undefined" : typeof v === "string" ? v : JSON.stringify(v);
  return s.length > max ? s.slice(0, max - 1) + "…" : s;
};

/**
 * Where two values first differ (placeholders matched), as a path and the two values; null
 * when they match.
 */
export function firstMismatch(expected: unknown, actual: unknown, matches: Matches, path = ""): { path: string; expected: unknown; actual: unknown } | null {
  if (matches(expected, reconcile(expected, actual))) return null;
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
    for (let i = 0; i < expected.length; i++) {
      const m = firstMismatch(expected[i], actual[i], matches, `${path}[${i}]`);
      if (m) return m;
    }
  }
  if (expected && actual && typeof expected === "object" && typeof actual === "object" && !Array.isArray(expected) && !Array.isArray(actual)) {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const k of Object.keys(e).sort()) {
      if (!(k in a)) return { path: `${path}.${k}`, expected: e[k], actual: "(missing)" };
      const m = firstMismatch(e[k], a[k], matches, `${path}.${k}`);
      if (m) return m;
    }
    for (const k of Object.keys(a).sort()) if (!(k in e)) return { path: `${path}.${k}`, expected: "(absent)", actual: a[k] };
  }
  return { path: path || "(value)", expected, actual };
}

/**
 * Details of two normalised events: null when they agree. A recorded text field that is
 * also valid JSON text is tried both parsed and as the string itself.
 */
function detailsMismatch(expected: NormalEvent, actual: NormalEvent, matches: Matches): string | null {
  const m = firstMismatch(expected.details, actual.details, matches);
  if (!m) return null;
  // The recorder may have kept a string value ("1" the string, not the number 1): retry unparsed.
  const alt: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(expected.details)) {
    const rawV = expected.raw[k];
    if (v && typeof v === "object" && rawV && typeof rawV === "object") {
      alt[k] = { ...(v as Record<string, unknown>) };
      for (const f of TEXT_FIELDS) if (f in (rawV as Record<string, unknown>)) (alt[k] as Record<string, unknown>)[f] = (rawV as Record<string, unknown>)[f];
    } else alt[k] = v;
  }
  if (!firstMismatch(alt, actual.details, matches)) return null;
  return `${m.path}: expected ${short(m.expected, 120)}, actual ${short(m.actual, 120)}`;
}

// ---------------------------------------------------------------------------------------
// The three levels.

const isMarked = (e: NormalEvent): boolean => Array.isArray(e.id);

/** Segments of the expected list: single events, or runs of [0]-id (order-free) events. */
function segments(expected: readonly NormalEvent[]): { start: number; end: number; unordered: boolean }[] {
  const out: { start: number; end: number; unordered: boolean }[] = [];
  for (let i = 0; i < expected.length; ) {
    if (isMarked(expected[i]!)) {
      let j = i;
      while (j < expected.length && isMarked(expected[j]!)) j++;
      out.push({ start: i, end: j, unordered: true });
      i = j;
    } else {
      out.push({ start: i, end: i + 1, unordered: false });
      i++;
    }
  }
  return out;
}

const typeSummary = (events: readonly NormalEvent[], from: number, to: number): string =>
  events
    .slice(from, to)
    .map((e) => e.type)
    .join(",");

const eventLabel = (e: NormalEvent | undefined): string => {
  if (!e) return "(no event)";
  const d = Object.values(e.details).find((v) => v && typeof v === "object" && "name" in (v as Record<string, unknown>)) as Record<string, unknown> | undefined;
  return d ? `${e.type}(${String(d["name"])})` : e.type;
};

const linkLabel = (e: NormalEvent): string => `${eventLabel(e)} #${short(e.id)}<-#${short(e.previousEventId)}`;

/**
 * Compares a recorded AWS history with ours at the three levels. `actualHistory` is what our
 * engine wrote (JSON-text fields, numeric timestamps); `expectedHistory` is the case's.
 */
export function compareHistories(expectedHistory: readonly Event[], actualHistory: readonly Event[], matches: Matches): HistoryComparison {
  const transformed = hasParallelTransform(expectedHistory) ? recorderParallelTransform(actualHistory) : actualHistory;
  const expected = expectedHistory.map((e) => normaliseEvent(e, true));
  const actual = transformed.map((e) => normaliseEvent(e));
  const segs = segments(expected);

  // (a) types: in order, except order-free runs compare as multisets.
  let types: HistoryDifference | null = null;
  for (const s of segs) {
    const exp = expected.slice(s.start, s.end).map((e) => e.type);
    const act = actual.slice(s.start, s.end).map((e) => e.type);
    const same = s.unordered ? [...exp].sort().join() === [...act].sort().join() : exp[0] === act[0];
    if (!same) {
      // Report the first single position that differs, with the previous event for context.
      const i = s.start;
      const before = i > 0 ? `after ${eventLabel(expected[i - 1])}: ` : "";
      types = {
        level: "types",
        index: i,
        expected: s.unordered ? `{${exp.sort().join(",")}}` : before + eventLabel(expected[i]),
        actual: s.unordered ? `{${act.sort().join(",")}}` : eventLabel(actual[i]),
      };
      break;
    }
  }
  if (!types && actual.length !== expected.length) {
    const i = expected.length;
    types = { level: "types", index: i, expected: "(end of history)", actual: `more events: ${typeSummary(actual, i, i + 3)}` };
  }
  if (types) return { types, links: types, details: types };

  // (b) ids and links. Order-free runs carry [0]/0 on both sides by construction.
  let links: HistoryDifference | null = null;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (isMarked(e)) {
      if (!isMarked(a)) {
        links = { level: "links", index: i, expected: linkLabel(e), actual: linkLabel(a) };
        break;
      }
      continue;
    }
    if (e.id !== a.id || e.previousEventId !== a.previousEventId) {
      links = { level: "links", index: i, expected: linkLabel(e), actual: linkLabel(a) };
      break;
    }
  }
  if (links) return { types: null, links, details: links };

  // (c) details. In order-free runs each expected event takes one matching actual event.
  let details: HistoryDifference | null = null;
  for (const s of segs) {
    if (!s.unordered) {
      const why = detailsMismatch(expected[s.start]!, actual[s.start]!, matches);
      if (why) {
        details = { level: "details", index: s.start, expected: eventLabel(expected[s.start]), actual: why };
        break;
      }
      continue;
    }
    const pool = actual.slice(s.start, s.end);
    for (let i = s.start; i < s.end; i++) {
      const e = expected[i]!;
      const k = pool.findIndex((a) => a.type === e.type && detailsMismatch(e, a, matches) === null);
      if (k >= 0) {
        pool.splice(k, 1);
        continue;
      }
      const sameType = pool.find((a) => a.type === e.type);
      details = {
        level: "details",
        index: i,
        expected: `${eventLabel(e)} (in an order-free Parallel run)`,
        actual: sameType ? `no match; e.g. ${detailsMismatch(e, sameType, matches) ?? ""}` : "no event of that type left",
      };
      break;
    }
    if (details) break;
  }
  return { types: null, links: null, details };
}

/** The deepest level a comparison passes: "none", "types", "links" or "details". */
export const levelReached = (c: HistoryComparison): Level | "none" =>
  c.details === null ? "details" : c.links === null ? "links" : c.types === null ? "types" : "none";

/** One line for a difference. */
export const describeDifference = (d: HistoryDifference): string => `[${d.level}] @${d.index}: expected ${d.expected} | actual ${d.actual}`;
