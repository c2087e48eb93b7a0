/**
 * ISO-8601 extended offset date-time, as Wait and Choice timestamps require:
 * `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`. Returns ms since epoch, or undefined.
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function parseIsoTimestamp(text: string): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, y, mo, da, h, mi, se, frac, zone] = m as unknown as string[];
  const month = Number(mo), day = Number(da), hour = Number(h), minute = Number(mi), second = Number(se);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const base = Date.UTC(Number(y), month - 1, day, hour, minute, second);
  if (new Date(base).getUTCDate() !== day) return undefined;
  const ms = frac ? Math.floor(Number(frac) * 1000) : 0;
  let offset = 0;
  if (zone && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    offset = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return base + ms - offset;
}
