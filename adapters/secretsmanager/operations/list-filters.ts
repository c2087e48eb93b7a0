/**
 * ListSecrets' Filters: a secret is listed when it matches every filter, and matches a filter
 * when it matches one of its values. Values are prefixes (case-sensitive, except for
 * `description` and `all`); a value starting with `!` matches what the rest does not.
 * `all` splits the value into words, each of which must begin a word of the name, the
 * description or a tag (our reading of "breaks the filter value string into words"). `primary-region` and `owning-service`
 * match nothing here (no secret is replicated or owned by a service).
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_Filter.html
 */
import type { JsonObject } from "../../../translators/json.js";
import type { Secret } from "../secret-store.js";
import { SecretsManagerError } from "../secrets-manager-error.js";
import { ParameterError } from "./request.js";

const KEYS = ["description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all"] as const;
type FilterKey = (typeof KEYS)[number];

/** What a filter key looks at, and whether it ignores case. */
const FIELDS: Record<FilterKey, { readonly of: (s: Secret) => string[]; readonly anyCase: boolean }> = {
  description: { of: (s) => (s.description !== undefined ? [s.description] : []), anyCase: true },
  name: { of: (s) => [s.name], anyCase: false },
  "tag-key": { of: (s) => s.tags.map((t) => t.Key), anyCase: false },
  "tag-value": { of: (s) => s.tags.map((t) => t.Value), anyCase: false },
  "primary-region": { of: () => [], anyCase: false },
  "owning-service": { of: () => [], anyCase: false },
  all: { of: (s) => [s.name, ...(s.description !== undefined ? [s.description] : []), ...s.tags.flatMap((t) => [t.Key, t.Value])], anyCase: true },
};

export type SecretFilter = (secret: Secret) => boolean;

/** The words `all` matches in an attribute: the whole text and its parts between spaces and punctuation. */
const words = (text: string): string[] => [text, ...text.split(/[\s/_+=.@:!-]+/).filter((w) => w !== "")];

function valueMatches(key: FilterKey, value: string, secret: Secret): boolean {
  const negated = value.startsWith("!");
  const wanted = negated ? value.slice(1) : value;
  const { of, anyCase } = FIELDS[key];
  const fold = (text: string): string => (anyCase ? text.toLowerCase() : text);
  const texts = of(secret).map(fold);
  const found = key === "all"
    ? fold(wanted).split(/\s+/).filter((w) => w !== "").every((w) => texts.some((t) => words(t).some((x) => x.startsWith(w))))
    : texts.some((t) => t.startsWith(fold(wanted)));
  return negated ? !found : found;
}

export function secretFilter(filters: readonly JsonObject[] | undefined): SecretFilter {
  const parsed = (filters ?? []).map((f) => {
    const key = f["Key"];
    const values = f["Values"];
    if (typeof key !== "string" || !(KEYS as readonly string[]).includes(key)) {
      throw SecretsManagerError.validation(`1 validation error detected: Value '${String(key)}' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [${KEYS.join(", ")}]`);
    }
    if (!Array.isArray(values) || !values.every((v) => typeof v === "string")) throw new ParameterError("Parameter 'Filters' must hold objects with a Key and a list of string Values");
    return { key: key as FilterKey, values: values as string[] };
  });
  return (secret) => parsed.every((f) => f.values.some((v) => valueMatches(f.key, v, secret)));
}
