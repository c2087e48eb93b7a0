/**
 * An object whose fields are being checked (a state, a Catcher, an ItemReader, ...), so field
 * families can check states and their sub-objects alike.
 */
import type { Diagnostics } from "../../diagnostics.js";
import type { QueryLanguage } from "../../model.js";
import type { JsonObject } from "../../../json.js";
import { has } from "../checks.js";
import type { StateInput } from "../context.js";
import { allowedFields, type FieldSets } from "./known-fields.js";

export interface Host {
  readonly diags: Diagnostics;
  readonly object: JsonObject;
  /** Pointer of the object. */
  readonly location: string;
  readonly language: QueryLanguage;
  /** Fields allowed here (others are reported once, by checkKnownFields). */
  readonly allowed: ReadonlySet<string>;
}

/** The state being validated, as a Host. */
export const stateHost = (input: StateInput): Host => ({
  diags: input.ctx.diags,
  object: input.state,
  location: input.location,
  language: input.language,
  allowed: input.allowed,
});

/** A sub-object of a state (ItemReader, a Catcher, ...), as a Host. */
export const subHost = (parent: Host, object: JsonObject, location: string, sets: FieldSets): Host => ({
  diags: parent.diags,
  object,
  location,
  language: parent.language,
  allowed: allowedFields(sets, parent.language),
});

/** The value of `field` when present and allowed, else undefined. */
export const fieldOf = (host: Host, field: string): unknown =>
  has(host.object, field) && host.allowed.has(field) ? host.object[field] : undefined;

/** True when `field` is present and allowed. */
export const hasField = (host: Host, field: string): boolean => has(host.object, field) && host.allowed.has(field);
