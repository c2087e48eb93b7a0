/**
 * The JetStream store's buckets and key layout. KV keys allow only [-/_=.a-zA-Z0-9] and
 * '.' splits them into tokens, so every free-form string (ARN, timer id, document key)
 * becomes a base64url token and every number the hex of its IEEE-754 bytes; both decode
 * back exactly. Key listings come back unordered, so lists sort after decoding.
 *
 * | bucket     | key                                      | value                          |
 * |------------|------------------------------------------|--------------------------------|
 * | executions | meta                                     | StoreMeta                      |
 * | executions | x.<arn>                                  | execution entry (CAS)          |
 * | executions | m.<arn>                                  | KV revision whose step settled |
 * | history    | h.<arn>.<eventId>                        | HistoryEvent                   |
 * | index      | r.<arn>                                  | (empty) RUNNING                |
 * | index      | f.<stopDate>.<arn>                       | (empty) finished, retention    |
 * | index      | l.<listedUnder>.<status>.<startDate>.<arn> | (empty) ListExecutions       |
 * | timers     | t.<timerId>                              | TimerRecord (CAS: acknowledge) |
 * | timers     | d.<dueAt>.<timerId>                      | (empty) due order              |
 * | timers     | o.<arn>.<timerId>                        | (empty) an execution's timers  |
 * | documents  | <kind>.<key>                             | StoredDocument (CAS)           |
 *
 * Index entries are hints: readers trust one only when the record it names agrees.
 */
import { isFinished, type ExecutionStatus } from "../engine/execution-status.js";
import type { DocumentKind, ExecutionSummary } from "../ports/execution-store.js";
import { listedUnder } from "../stores/change-plan.js";

export const BUCKETS = ["executions", "history", "index", "timers", "documents"] as const;
export type BucketRole = (typeof BUCKETS)[number];

/** The KV bucket of a role under a store prefix (bucket names allow [-_a-zA-Z0-9]). */
export const bucketName = (prefix: string, role: BucketRole): string => `${prefix}_${role}`;

/** A string as one key token; "" (no base64url output) becomes "=". */
export const token = (s: string): string => (s === "" ? "=" : Buffer.from(s, "utf8").toString("base64url"));
export const untoken = (t: string): string => (t === "=" ? "" : Buffer.from(t, "base64url").toString("utf8"));

export function numberToken(n: number): string {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleBE(n);
  return bytes.toString("hex");
}

export function untokenNumber(t: string): number {
  if (!/^[0-9a-f]{16}$/.test(t)) return NaN;
  return Buffer.from(t, "hex").readDoubleBE(0);
}

export const storeKeys = {
  meta: (): string => "meta",
  execution: (arn: string): string => `x.${token(arn)}`,
  settled: (arn: string): string => `m.${token(arn)}`,
  event: (arn: string, id: number): string => `h.${token(arn)}.${id}`,
  running: (arn: string): string => `r.${token(arn)}`,
  finished: (stopDate: number, arn: string): string => `f.${numberToken(stopDate)}.${token(arn)}`,
  listed: (under: string, status: ExecutionStatus, startDate: number, arn: string): string =>
    `l.${token(under)}.${status}.${numberToken(startDate)}.${token(arn)}`,
  timer: (timerId: string): string => `t.${token(timerId)}`,
  due: (dueAt: number, timerId: string): string => `d.${numberToken(dueAt)}.${token(timerId)}`,
  owned: (arn: string, timerId: string): string => `o.${token(arn)}.${token(timerId)}`,
  document: (kind: DocumentKind, key: string): string => `${kind}.${token(key)}`,
};

/** Key filters for listings (`*` one token, `>` the rest). */
export const keyFilters = {
  running: "r.>",
  finished: "f.>",
  listed: (under: string, status?: ExecutionStatus): string => `l.${token(under)}.${status ?? "*"}.>`,
  events: (arn: string): string => `h.${token(arn)}.>`,
  due: "d.>",
  owned: (arn: string): string => `o.${token(arn)}.>`,
  documents: (kind: DocumentKind): string => `${kind}.>`,
  /** Every index entry of one execution, whatever status or dates it was written with. */
  indexOf: (arn: string): string[] => [`r.${token(arn)}`, `f.*.${token(arn)}`, `l.*.*.*.${token(arn)}`],
};

/** Decoders of listed keys; undefined for a key of another shape. */
export const parseKey = {
  running: (key: string): string | undefined => {
    const [family, arn, ...rest] = key.split(".");
    return family === "r" && arn !== undefined && rest.length === 0 ? untoken(arn) : undefined;
  },
  finished: (key: string): { stopDate: number; arn: string } | undefined => {
    const [family, stop, arn, ...rest] = key.split(".");
    if (family !== "f" || stop === undefined || arn === undefined || rest.length > 0) return undefined;
    return { stopDate: untokenNumber(stop), arn: untoken(arn) };
  },
  listed: (key: string): { status: string; startDate: number; arn: string } | undefined => {
    const [family, , status, start, arn, ...rest] = key.split(".");
    if (family !== "l" || status === undefined || start === undefined || arn === undefined || rest.length > 0) return undefined;
    return { status, startDate: untokenNumber(start), arn: untoken(arn) };
  },
  due: (key: string): { dueAt: number; timerId: string } | undefined => {
    const [family, due, id, ...rest] = key.split(".");
    if (family !== "d" || due === undefined || id === undefined || rest.length > 0) return undefined;
    return { dueAt: untokenNumber(due), timerId: untoken(id) };
  },
  owned: (key: string): string | undefined => {
    const [family, , id, ...rest] = key.split(".");
    return family === "o" && id !== undefined && rest.length === 0 ? untoken(id) : undefined;
  },
  document: (key: string): string | undefined => {
    const [, k, ...rest] = key.split(".");
    return k !== undefined && rest.length === 0 ? untoken(k) : undefined;
  },
};

/** The index entries an execution with this summary has. */
export function indexKeysOf(s: ExecutionSummary): string[] {
  const arn = s.executionArn;
  const state = isFinished(s.status) && s.stopDate !== undefined ? storeKeys.finished(s.stopDate, arn) : storeKeys.running(arn);
  return [state, ...listedUnder(s).map((under) => storeKeys.listed(under, s.status, s.startDate, arn))];
}
