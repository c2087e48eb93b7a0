/**
 * Small shape checks for the project config: each check adds every problem it finds, with
 * its path (`functions.Charge.handler: expected a string`), so one run reports them all.
 */
export type Check = (value: unknown, path: string, problems: string[]) => void;

interface Field {
  readonly check: Check;
  readonly required?: boolean;
}

const describe = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "string" ? `"${v.length > 40 ? v.slice(0, 37) + "..." : v}"` : typeof v === "object" ? "an object" : String(v);

/** `a.b`, or `a["odd key"]` for keys that are not plain names. */
export const childPath = (path: string, key: string | number): string =>
  typeof key === "number" ? `${path}[${key}]` : /^[A-Za-z_$][\w$-]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;

const fail = (problems: string[], path: string, expected: string, found: unknown): void => {
  problems.push(`${path || "(config)"}: expected ${expected}, found ${describe(found)}`);
};

export const string = (options: { readonly nonEmpty?: boolean } = {}): Check => (v, path, problems) => {
  if (typeof v !== "string") fail(problems, path, "a string", v);
  else if (options.nonEmpty && v.trim() === "") fail(problems, path, "a non-empty string", v);
};

export const number = (options: { readonly min?: number; readonly max?: number; readonly integer?: boolean } = {}): Check => (v, path, problems) => {
  const what = `${options.integer ? "an integer" : "a number"}${range(options.min, options.max)}`;
  if (typeof v !== "number" || !Number.isFinite(v)) return fail(problems, path, what, v);
  if ((options.integer && !Number.isInteger(v)) || (options.min !== undefined && v < options.min) || (options.max !== undefined && v > options.max)) {
    fail(problems, path, what, v);
  }
};

const range = (min: number | undefined, max: number | undefined): string =>
  min !== undefined && max !== undefined ? ` from ${min} to ${max}` : min !== undefined ? ` of at least ${min}` : max !== undefined ? ` of at most ${max}` : "";

export const boolean: Check = (v, path, problems) => {
  if (typeof v !== "boolean") fail(problems, path, "true or false", v);
};

export const oneOf = (values: readonly string[]): Check => (v, path, problems) => {
  if (typeof v !== "string" || !values.includes(v)) fail(problems, path, `one of ${values.map((x) => `"${x}"`).join(", ")}`, v);
};

export const required = (check: Check): Field => ({ check, required: true });

/** An object with these fields (a bare Check is optional); unknown keys are problems (typos). */
export const object = (fields: Readonly<Record<string, Check | Field>>): Check => (v, path, problems) => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return fail(problems, path, "an object", v);
  const record = v as Record<string, unknown>;
  for (const [key, spec] of Object.entries(fields)) {
    const field = typeof spec === "function" ? { check: spec } : spec;
    if (record[key] === undefined) {
      if (field.required) problems.push(`${childPath(path, key)}: required`);
    } else field.check(record[key], childPath(path, key), problems);
  }
  const known = Object.keys(fields);
  for (const key of Object.keys(record)) {
    if (!known.includes(key)) problems.push(`${childPath(path, key)}: unknown key (expected ${known.join(", ")})`);
  }
};

/** An object whose every value passes `of` (names → configs). */
export const record = (of: Check): Check => (v, path, problems) => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return fail(problems, path, "an object", v);
  for (const [key, value] of Object.entries(v)) of(value, childPath(path, key), problems);
};

export const array = (of: Check): Check => (v, path, problems) => {
  if (!Array.isArray(v)) return fail(problems, path, "an array", v);
  v.forEach((item, i) => of(item, childPath(path, i), problems));
};

/** A string (`what` it stands for), or else an object checked by `full` (shorthand configs). */
export const stringOr = (what: string, full: Check): Check => (v, path, problems) => {
  if (typeof v === "string") string({ nonEmpty: true })(v, path, problems);
  else if (typeof v === "object" && v !== null && !Array.isArray(v)) full(v, path, problems);
  else fail(problems, path, `a string (${what}) or an object`, v);
};

/** Objects told apart by a `key` field (`{ type: "API_KEY", ... }`). */
export const tagged = (key: string, variants: Readonly<Record<string, Check>>): Check => (v, path, problems) => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return fail(problems, path, "an object", v);
  const tag = (v as Record<string, unknown>)[key];
  const variant = typeof tag === "string" ? variants[tag] : undefined;
  if (!variant) return fail(problems, childPath(path, key), `one of ${Object.keys(variants).map((x) => `"${x}"`).join(", ")}`, tag);
  variant(v, path, problems);
};
