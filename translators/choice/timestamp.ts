/**
 * Timestamps as Choice rules compare them.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html: "Timestamps must
 * conform to RFC3339 profile ISO 8601, with further restrictions: an uppercase T must separate
 * the date and time portions; an uppercase Z must denote that a numeric time zone offset isn't
 * present." AWS names the format "ISO-8601 extended offset date-time" in its run-time errors
 * (Java's ISO_OFFSET_DATE_TIME), so fractions carry at most 9 digits (nanoseconds), fields are
 * range-checked strictly (no 2023-02-30, no second 60) and offsets stay within ±18:00.
 */

/** An instant: whole seconds since the Unix epoch plus nanoseconds (0..999 999 999). */
export interface Instant {
  readonly seconds: number;
  readonly nanos: number;
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

const daysInMonth = (y: number, m: number): number =>
  m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;

/** Days from 1970-01-01 to a proleptic Gregorian date (Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Offset in seconds east of UTC, or undefined when out of range. */
function offsetSeconds(sign: string | undefined, hh: string | undefined, mm: string | undefined): number | undefined {
  if (sign === undefined) return 0;
  const h = Number(hh);
  const m = Number(mm);
  if (m > 59 || h * 60 + m > 18 * 60) return undefined;
  return (sign === "-" ? -1 : 1) * (h * 3600 + m * 60);
}

/** Parses a timestamp; undefined when `text` is not one AWS accepts. */
export function parseTimestamp(text: string): Instant | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const offset = offsetSeconds(m[8], m[9], m[10]);
  if (offset === undefined) return undefined;
  const seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
  const nanos = Number((m[7] ?? "").padEnd(9, "0"));
  return { seconds, nanos };
}

/** True when `value` is a string AWS accepts as a timestamp (IsTimestamp). */
export const isTimestamp = (value: unknown): boolean => typeof value === "string" && parseTimestamp(value) !== undefined;

/** Orders two instants: negative, zero or positive. Offsets do not matter, only the instant. */
export const compareInstants = (a: Instant, b: Instant): number => a.seconds - b.seconds || a.nanos - b.nanos;
