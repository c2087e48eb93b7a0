/**
 * AWS Signature Version 4 verification for `aslan serve`: service `states`, any region.
 * The checks, their order, error names and wording follow what AWS's JSON ("coral")
 * services answer, as recorded from DynamoDB (same protocol stack; Step Functions' own
 * answers were not recorded). The canonical request and string to sign are built by
 * `@smithy/signature-v4`, the signer the AWS SDKs use, so both sides canonicalize alike.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 *
 * The only file that imports `@smithy/signature-v4`, `@smithy/protocol-http` and `@aws-crypto/sha256-js`.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { ALGORITHM_IDENTIFIER, createScope, getCanonicalHeaders, KEY_TYPE_IDENTIFIER, SignatureV4 } from "@smithy/signature-v4";
import { ApiError } from "./errors.js";

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** What verification needs of an HTTP request, body already read. */
export interface SignedRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export const SIGNING_SERVICE = "states";
/** How far a request's time may be from the server's, either way (AWS: 15 minutes). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. " +
  "Consult the service documentation for details.";

/** Checks requests against a fixed set of access keys. */
export class SignatureVerifier {
  private readonly secrets: ReadonlyMap<string, string>;

  constructor(
    credentials: readonly Credentials[],
    /** Wall-clock time in epoch ms (the signature window is real time, never the engine's virtual clock). */
    private readonly now: () => number = Date.now,
  ) {
    this.secrets = new Map(credentials.map((c) => [c.accessKeyId, c.secretAccessKey]));
  }

  /** Resolves with the caller's access key id, or throws the ApiError AWS would answer with. */
  async verify(request: SignedRequest, service: string = SIGNING_SERVICE): Promise<string> {
    // AWS's order: a complete header, a current date, a well-formed scope, a known key, then the signature.
    const auth = parseAuthorization(request);
    const time = requestTime(request.headers);
    checkSkew(time.ms, this.now());
    checkSignedHeadersAndAlgorithm(auth);
    const scope = checkScope(auth, time, service);
    const secret = this.secrets.get(scope.accessKeyId);
    if (secret === undefined) throw new ApiError("UnrecognizedClientException", "The security token included in the request is invalid.");
    const expected = await expectedSignature(request, auth.signedHeaders, { accessKeyId: scope.accessKeyId, secretAccessKey: secret }, scope.region, time, service);
    if (!sameHex(expected.signature, auth.signature)) {
      throw new ApiError("InvalidSignatureException", `${MISMATCH}\n\nThe Canonical String for this request should have been\n'${expected.canonical}'\n\n` +
        `The String-to-Sign should have been\n'${expected.stringToSign}'\n`);
    }
    return scope.accessKeyId;
  }
}

interface Authorization {
  readonly header: string;
  readonly algorithm: string;
  readonly credential: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`, every part present. */
function parseAuthorization({ headers, url }: SignedRequest): Authorization {
  const header = headers.authorization;
  if (header !== undefined && new URL(url, "http://localhost").searchParams.has("X-Amz-Algorithm")) {
    throw new ApiError("InvalidSignatureException", "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  }
  // Query-string (presigned) authentication is not supported: SDKs never presign JSON API calls.
  if (header === undefined || !header.trim().startsWith("AWS4-")) {
    throw new ApiError("MissingAuthenticationTokenException", "Request is missing Authentication Token");
  }
  const [algorithm = "", ...rest] = header.trim().split(/[\s,]+/);
  const params = new Map(rest.map((part) => [part.slice(0, Math.max(0, part.indexOf("="))), part.slice(part.indexOf("=") + 1)]));
  let missing = "";
  for (const name of ["Credential", "Signature", "SignedHeaders"]) {
    if (!params.get(name)) missing += `Authorization header requires '${name}' parameter. `;
  }
  if (headers["x-amz-date"] === undefined && headers.date === undefined) {
    missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (missing) throw new ApiError("IncompleteSignatureException", `${missing}Authorization=${header}`);
  const signedHeaders = (params.get("SignedHeaders") ?? "").toLowerCase().split(";");
  return { header, algorithm, credential: params.get("Credential") ?? "", signedHeaders, signature: params.get("Signature") ?? "" };
}

function checkSignedHeadersAndAlgorithm(auth: Authorization): void {
  if (!auth.signedHeaders.includes("host")) {
    throw new ApiError("InvalidSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (auth.algorithm !== ALGORITHM_IDENTIFIER) {
    throw new ApiError("IncompleteSignatureException", `Unsupported AWS 'algorithm': '${auth.algorithm}' (only ${ALGORITHM_IDENTIFIER} for now). `);
  }
}

interface RequestTime {
  /** `20240101T120000Z` */
  readonly long: string;
  readonly ms: number;
}

/** X-Amz-Date (ISO 8601 basic format) when present, else the HTTP Date header. */
function requestTime(headers: IncomingHttpHeaders): RequestTime {
  const amzDate = headers["x-amz-date"];
  if (typeof amzDate === "string") {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    const ms = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
    if (Number.isNaN(ms) || basicFormat(ms) !== amzDate) {
      throw new ApiError("IncompleteSignatureException", `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`);
    }
    return { long: amzDate, ms };
  }
  const ms = Date.parse(headers.date ?? "");
  if (Number.isNaN(ms)) throw new ApiError("IncompleteSignatureException", `Date must be an RFC 1123 date. Got '${headers.date ?? ""}'.`);
  return { long: basicFormat(ms), ms };
}

const basicFormat = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");

interface Scope {
  readonly accessKeyId: string;
  readonly region: string;
}

/** `<key id>/<yyyymmdd>/<region>/states/aws4_request`, with the date the request's own. */
function checkScope(auth: Authorization, time: RequestTime, signingService: string): Scope {
  const parts = auth.credential.replace(/\/+$/, "").split("/");
  if (parts.length !== 5) {
    throw new ApiError("IncompleteSignatureException",
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${auth.credential}'`);
  }
  const [accessKeyId = "", date = "", region = "", service = "", terminator = ""] = parts;
  let wrong = "";
  if (region === "") wrong += `Credential should be scoped to a valid region, not '${region}'. `;
  if (service !== signingService) wrong += `Credential should be scoped to correct service: '${signingService}'. `;
  if (terminator !== KEY_TYPE_IDENTIFIER) wrong += `Credential should be scoped with a valid terminator: '${KEY_TYPE_IDENTIFIER}', not '${terminator}'. `;
  if (date !== time.long.slice(0, 8)) {
    wrong += `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${time.long.slice(0, 8)}', from '${time.long}'.`;
  }
  if (wrong) throw new ApiError("InvalidSignatureException", wrong.trimEnd());
  return { accessKeyId, region };
}

function checkSkew(requestMs: number, nowMs: number): void {
  if (requestMs < nowMs - MAX_CLOCK_SKEW_MS) {
    throw new ApiError("InvalidSignatureException",
      `Signature expired: ${basicFormat(requestMs)} is now earlier than ${basicFormat(nowMs - MAX_CLOCK_SKEW_MS)} (${basicFormat(nowMs)} - 15 min.)`);
  }
  if (requestMs > nowMs + MAX_CLOCK_SKEW_MS) {
    throw new ApiError("InvalidSignatureException",
      `Signature not yet current: ${basicFormat(requestMs)} is still later than ${basicFormat(nowMs + MAX_CLOCK_SKEW_MS)} (${basicFormat(nowMs)} + 15 min.)`);
  }
}

interface Expected {
  readonly canonical: string;
  readonly stringToSign: string;
  readonly signature: string;
}

/** Exposes the SDK signer's canonical request and string to sign, which it keeps protected. */
class CanonicalSigner extends SignatureV4 {
  canonicalRequest(request: HttpRequest, canonicalHeaders: Record<string, string>, payloadHash: string): string {
    return this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
  }

  stringToSign(longDate: string, scope: string, canonicalRequest: string): Promise<string> {
    return this.createStringToSign(longDate, scope, canonicalRequest, ALGORITHM_IDENTIFIER);
  }
}

/** The signature the caller should have sent, over exactly the headers it says it signed. */
async function expectedSignature(
  req: SignedRequest, signedHeaders: readonly string[], credentials: Credentials, region: string, time: RequestTime, service: string,
): Promise<Expected> {
  const url = new URL(req.url, "http://localhost");
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? (values[0] as string) : values;
  }
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const request = new HttpRequest({ method: req.method, protocol: "http:", hostname: "localhost", path: url.pathname, query, headers });
  // The body's real hash: a tampered body, or an X-Amz-Content-Sha256 header that lies about it, fails here.
  const payloadHash = createHash("sha256").update(req.body).digest("hex");
  const signer = new CanonicalSigner({ service, region, credentials, sha256: Sha256, applyChecksum: false });
  const canonical = signer.canonicalRequest(request, getCanonicalHeaders(request, new Set(), new Set(signedHeaders)), payloadHash);
  const scope = createScope(time.long.slice(0, 8), region, service);
  const stringToSign = await signer.stringToSign(time.long, scope, canonical);
  const signature = await signer.sign(stringToSign, { signingDate: new Date(time.ms), signingRegion: region, signingService: service });
  return { canonical, stringToSign, signature };
}

/** Compares two hex signatures in time independent of where they differ. */
function sameHex(expected: string, given: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
