/** Small numeric helpers for the results. */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** A number with about three significant figures, thousands separated. */
export function fmt(value, digits = 3) {
  if (value === undefined || value === null || Number.isNaN(value)) return "–";
  if (value === 0) return "0";
  const abs = Math.abs(value);
  const decimals = abs >= 10 ** digits ? 0 : Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
  return value.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A count, thousands separated. */
export function int(value) {
  return Math.round(value).toLocaleString("en-US");
}

export const MB = 1024 * 1024;

/** The first place two JSON values differ, as a JSON pointer (or undefined when equal). */
export function firstDifference(a, b, path = "") {
  if (Object.is(a, b)) return undefined;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return { path: path || "/", left: a, right: b };
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (!(k in a) || !(k in b)) return { path: `${path}/${k}`, left: a[k], right: b[k] };
    const d = firstDifference(a[k], b[k], `${path}/${k}`);
    if (d) return d;
  }
  return undefined;
}
