/** Encodes and decodes wire messages (wire.ts): MessagePack of `[WIRE_VERSION, body]`. */
import { Packr } from "msgpackr";
import { WIRE_VERSION } from "./wire.js";

const packr = new Packr({ useRecords: false, mapsAsObjects: true, int64AsType: "number", moreTypes: false });

export function encodeWire(body: unknown): Uint8Array {
  return Buffer.from(packr.pack([WIRE_VERSION, body]));
}

/** Throws a plain Error naming `what` for bytes that are not a message of this version. */
export function decodeWire<T>(bytes: Uint8Array, what: string): T {
  let decoded: unknown;
  try {
    decoded = packr.unpack(bytes);
  } catch (error) {
    throw new Error(`${what}: undecodable message (${(error as Error).message})`);
  }
  if (!Array.isArray(decoded) || decoded.length !== 2 || decoded[0] !== WIRE_VERSION) {
    throw new Error(`${what}: not a version ${WIRE_VERSION} Aslan message`);
  }
  return decoded[1] as T;
}
