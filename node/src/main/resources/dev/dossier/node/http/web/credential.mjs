// Open Badges 3.0 (W3C VC 2.0) credentials on the verify page: the checks and verdicts of `dossier verify
// credential.json` (client/.../credential/CredentialVerifier, docs/credentials.md), in the same order and with the same
// reasons. The Data Integrity proof (eddsa-rdfc-2022 or ecdsa-rdfc-2019) is checked on this device: JSON-LD expansion
// and RDFC-1.0 canonicalisation by jsonld.js (vendored as jsonld.min.js), with only the contexts Dossier bundles
// (served by the node under /verify/contexts/ and kept by the service worker), never fetched from anywhere else.
// The ledger, the issuer's keys (did:web) and the status list come from the node (app.mjs passes them in).
// One module, longer than most, because it is the counterpart of four Java classes (Dids, DataIntegrity,
// CredentialCheck, CredentialVerifier) that are read side by side with it: the sections below follow them.
import { canonicalize, fromHex, sha256, toHex } from './receipt.mjs';

const subtle = globalThis.crypto.subtle;
const utf8 = new TextEncoder();

export const VC_V2 = 'https://www.w3.org/ns/credentials/v2';
/** The largest credential accepted, in characters, as the Java verifier. */
export const MAX_CHARS = 1 << 20;
const EDDSA = 'eddsa-rdfc-2022';
const ECDSA = 'ecdsa-rdfc-2019';
const DOCUMENT_TAG = 'dossier:document:v1';

/** The JSON-LD contexts Dossier bundles (credential/src/main/resources/.../contexts), by URL: their file names. */
export const CONTEXTS = {
  'https://www.w3.org/ns/credentials/v2': 'credentials-v2.jsonld',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json': 'ob-v3p0-context-3.0.1.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json': 'ob-v3p0-context-3.0.2.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json': 'ob-v3p0-context-3.0.3.json',
};

/** A check that failed: `verdict` TAMPERED or UNKNOWN_SIGNER, the message the reason. */
export class CredentialError extends Error {
  constructor(verdict, message) {
    super(message);
    this.verdict = verdict;
  }
}

/** The node could not be asked, or answered something unusable: no verdict on the credential. */
export class NodeError extends Error {}

const tampered = (message) => new CredentialError('TAMPERED', message);

/** @returns {boolean} whether a parsed JSON value looks like a Verifiable Credential 2.0 */
export function isCredential(value) {
  const context = value?.['@context'];
  return Array.isArray(context) && context[0] === VC_V2;
}

/**
 * A JSON-LD document loader that serves only the bundled contexts, read with `readContext(fileName)` (once each);
 * any other URL is refused with the Java loader's message.
 */
export function bundledLoader(readContext) {
  const cache = new Map();
  return async (url) => {
    const file = CONTEXTS[url];
    if (!file) {
      throw new Error(
        `context ${url} is not bundled with Dossier, which never fetches contexts from the network; known contexts: ${Object.keys(CONTEXTS).join(', ')}`,
      );
    }
    if (!cache.has(url)) {
      cache.set(url, Promise.resolve(readContext(file)).catch((e) => {
        cache.delete(url);
        throw e;
      }));
    }
    return { contextUrl: null, documentUrl: url, document: await cache.get(url) };
  };
}

// ---- multibase and keys ----

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Decodes multibase base58btc (`z…`). */
export function base58btcDecode(text) {
  if (typeof text !== 'string' || !text.startsWith('z')) throw new Error('not multibase base58btc (z…)');
  let n = 0n;
  for (const c of text.substring(1)) {
    const digit = BASE58.indexOf(c);
    if (digit < 0) throw new Error(`'${c}' is not a base58 digit`);
    n = n * 58n + BigInt(digit);
  }
  const bytes = [];
  for (; n > 0n; n >>= 8n) bytes.unshift(Number(n & 0xffn));
  for (const c of text.substring(1)) {
    if (c !== '1') break;
    bytes.unshift(0);
  }
  return Uint8Array.from(bytes);
}

function base64UrlBytes(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(standard + '='.repeat((4 - (standard.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

// P-256: y from a compressed point (p ≡ 3 mod 4, so y = (x³ − 3x + b)^((p + 1) / 4))
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

function modPow(base, exponent, modulus) {
  let result = 1n;
  for (let b = base % modulus, e = exponent; e > 0n; e >>= 1n, b = (b * b) % modulus) {
    if (e & 1n) result = (result * b) % modulus;
  }
  return result;
}

function uncompressP256(compressed) {
  const x = BigInt(`0x${toHex(compressed.subarray(1))}`);
  let y = modPow((((x * x * x - 3n * x + B) % P) + P) % P, (P + 1n) / 4n, P);
  if ((y & 1n) !== BigInt(compressed[0] & 1)) y = P - y;
  return Uint8Array.from([0x04, ...fromHex(x.toString(16).padStart(64, '0')), ...fromHex(y.toString(16).padStart(64, '0'))]);
}

/**
 * Imports a Multikey `publicKeyMultibase` (also a did:key's identifier): Ed25519 (0xed01) or P-256 (0x8024, the
 * compressed point).
 * @returns {Promise<{cryptosuite: string, key: CryptoKey}>}
 */
export async function keyFromMultibase(multibase) {
  const bytes = base58btcDecode(multibase);
  if (bytes.length === 34 && bytes[0] === 0xed && bytes[1] === 0x01) {
    return { cryptosuite: EDDSA, key: await subtle.importKey('raw', bytes.subarray(2), { name: 'Ed25519' }, false, ['verify']) };
  }
  if (bytes.length === 35 && bytes[0] === 0x80 && bytes[1] === 0x24 && (bytes[2] === 2 || bytes[2] === 3)) {
    const raw = uncompressP256(bytes.subarray(2));
    return { cryptosuite: ECDSA, key: await subtle.importKey('raw', raw, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']) };
  }
  throw new Error('publicKeyMultibase is neither an Ed25519 (0xed01) nor a P-256 (0x8024) Multikey');
}

/** A did:key verification method `did:key:<multibase>[#<same multibase>]`, resolved from itself. */
export async function didKey(method) {
  const rest = method.substring('did:key:'.length);
  const hash = rest.indexOf('#');
  const key = hash < 0 ? rest : rest.substring(0, hash);
  if (hash >= 0 && rest.substring(hash + 1) !== key) throw tampered(`the fragment of ${method} does not repeat its key`);
  try {
    return await keyFromMultibase(key);
  } catch (e) {
    throw tampered(`${method}: ${e.message}`);
  }
}

/**
 * Parses a did:web DID or DID URL `did:web:<host>[%3A<port>][:<segment>…][#<fragment>]`.
 * @returns {{host: string, path: string[], fragment: string|null}}
 */
export function didWeb(didUrl) {
  if (typeof didUrl !== 'string' || !didUrl.startsWith('did:web:')) throw new Error(`${didUrl} is not a did:web`);
  const rest = didUrl.substring('did:web:'.length);
  const hash = rest.indexOf('#');
  const parts = (hash < 0 ? rest : rest.substring(0, hash)).split(':');
  let host;
  try {
    host = decodeURIComponent(parts[0]);
  } catch (e) {
    host = '';
  }
  if (!/^[A-Za-z0-9.\-[\]]+(:[0-9]{1,5})?$/.test(host)) throw new Error(`${didUrl} does not name a host`);
  const path = parts.slice(1);
  if (path.some((segment) => !/^[A-Za-z0-9._-]+$/.test(segment))) {
    throw new Error(`${didUrl} has an empty or unusual path segment`);
  }
  return { host, path, fragment: hash < 0 ? null : rest.substring(hash + 1) };
}

// ---- Data Integrity ----

async function canonical(jsonld, document, documentLoader) {
  try {
    return await jsonld.canonize(document, {
      algorithm: 'RDFC-1.0',
      format: 'application/n-quads',
      documentLoader,
      safe: true, // a term no context defines is an error, never silently dropped (it would not be signed)
    });
  } catch (e) {
    const cause = e?.details?.cause?.message ?? e?.details?.event?.message ?? e.message;
    throw tampered(`the document is not valid JSON-LD with the bundled contexts: ${cause}`);
  }
}

/**
 * Verifies the one DataIntegrityProof of `secured` (assertionMethod, eddsa-rdfc-2022 or ecdsa-rdfc-2019):
 * hashData = SHA-256(RDFC-1.0(proof options with the document's @context)) || SHA-256(RDFC-1.0(document without
 * proof)), signed by the key `resolveKey(verificationMethod)` returns.
 * @returns {Promise<{verificationMethod: string, cryptosuite: string, created: string|null}>}
 * @throws CredentialError, or what resolveKey throws
 */
export async function verifyProof(secured, resolveKey, { jsonld, documentLoader }) {
  const proof = secured.proof;
  if (proof === undefined) throw tampered('the credential has no proof');
  if (proof === null || typeof proof !== 'object' || Array.isArray(proof)) {
    throw tampered('the credential must have exactly one proof, an object');
  }
  const text = (name) => {
    if (typeof proof[name] !== 'string') throw tampered(`the proof has no ${name} string`);
    return proof[name];
  };
  for (const [name, expected] of [['type', 'DataIntegrityProof'], ['proofPurpose', 'assertionMethod']]) {
    if (proof[name] !== expected) throw tampered(`proof ${name} is '${proof[name]}', not '${expected}'`);
  }
  const suite = proof.cryptosuite;
  if (suite !== EDDSA && suite !== ECDSA) {
    throw tampered(`cryptosuite '${suite}' is not supported (only ${EDDSA} and ${ECDSA})`);
  }
  const method = text('verificationMethod');
  let signature;
  try {
    signature = base58btcDecode(text('proofValue'));
  } catch (e) {
    if (e instanceof CredentialError) throw e;
    throw tampered(`proofValue: ${e.message}`);
  }
  const key = await resolveKey(method);
  if (key.cryptosuite !== suite) throw tampered(`the key of ${method} signs ${key.cryptosuite} proofs, not ${suite}`);
  if ('@context' in proof && canonicalize(proof['@context']) !== canonicalize(secured['@context'])) {
    throw tampered("the proof's @context differs from the credential's");
  }
  const { proof: ignored, ...unsecured } = secured;
  const { proofValue, '@context': proofContext, ...options } = proof;
  const proofHash = await sha256(utf8.encode(await canonical(jsonld, { ...options, '@context': secured['@context'] }, documentLoader)));
  const documentHash = await sha256(utf8.encode(await canonical(jsonld, unsecured, documentLoader)));
  const hashData = new Uint8Array(64);
  hashData.set(proofHash, 0);
  hashData.set(documentHash, 32);
  const algorithm = suite === EDDSA ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };
  let valid = false;
  try {
    valid = signature.length === 64 && (await subtle.verify(algorithm, key.key, signature, hashData));
  } catch (e) {
    valid = false;
  }
  if (!valid) {
    throw tampered(`the proof's signature does not verify: the credential was altered after signing, or was not signed by ${method}`);
  }
  return { verificationMethod: method, cryptosuite: suite, created: typeof proof.created === 'string' ? proof.created : null };
}

// ---- the credential ----

function strings(value) {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
}

function instant(credential, name) {
  const value = credential[name];
  if (value === undefined || typeof value !== 'string') return null;
  // xsd:dateTime with a time zone, as the Java verifier (OffsetDateTime) reads it
  const match = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  const time = match ? Date.parse(value) : NaN;
  if (Number.isNaN(time)) throw tampered(`the credential's ${name} '${value}' is not an xsd:dateTime with a time zone`);
  return { text: value, time };
}

function statusEntry(credential) {
  const status = credential.credentialStatus;
  const entries = Array.isArray(status) ? status : status && typeof status === 'object' ? [status] : [];
  for (const entry of entries) {
    if (entry?.type === 'BitstringStatusListEntry' && entry.statusPurpose === 'revocation') {
      const list = entry.statusListCredential;
      const index = entry.statusListIndex;
      if (typeof list !== 'string' || typeof index !== 'string' || !/^(0|[1-9][0-9]{0,17})$/.test(index)) {
        throw tampered("the credential's BitstringStatusListEntry needs a statusListCredential and a statusListIndex in decimal");
      }
      return { statusListCredential: list, index: BigInt(index) };
    }
  }
  return null;
}

/**
 * The checks that need no ledger, as CredentialCheck (Java): one JSON object of at most MAX_CHARS characters, a
 * VerifiableCredential with the VC 2.0 context first, its proof verifying with a key of its issuer, dates that parse.
 * @param resolveKey the issuer key of a verification method: `{cryptosuite, key}`; throws CredentialError
 *   ('UNKNOWN_SIGNER') for a key it cannot find, NodeError if the node cannot say
 * @returns {Promise<{credential, issuer, proof, validFrom, validUntil, status}>}
 * @throws CredentialError with the verdict, NodeError
 */
export async function checkCredential(text, resolveKey, library) {
  if (text.length > MAX_CHARS) throw tampered(`the credential is longer than ${MAX_CHARS} characters`);
  let credential;
  try {
    credential = JSON.parse(text);
  } catch (e) {
    throw tampered(`the credential is not a JSON object: ${e.message}`);
  }
  if (credential === null || typeof credential !== 'object' || Array.isArray(credential)) {
    throw tampered('the credential is not a JSON object');
  }
  if (!isCredential(credential)) {
    throw tampered(`the credential's @context must be an array starting with ${VC_V2} (a Verifiable Credential 2.0)`);
  }
  if (!strings(credential.type).includes('VerifiableCredential')) {
    throw tampered("the credential's type does not include VerifiableCredential");
  }
  const issuer = typeof credential.issuer === 'string' ? credential.issuer : credential.issuer?.id;
  if (typeof issuer !== 'string') throw tampered('the credential has no issuer id');
  const proof = await verifyProof(
    credential,
    (method) => {
      const hash = method.indexOf('#');
      if (hash < 0 || method.substring(0, hash) !== issuer) {
        throw tampered(`the proof's key ${method} is not a key of the issuer ${issuer}`);
      }
      return resolveKey(method);
    },
    library,
  );
  return {
    credential,
    issuer,
    proof,
    validFrom: instant(credential, 'validFrom'),
    validUntil: instant(credential, 'validUntil'),
    status: statusEntry(credential),
  };
}

/**
 * The issuer key of a verification method, as the Java verifier finds it without pinned keys: a did:key from itself;
 * a did:web `did:web:<any host>:<MSP id>#<key>` from `/<MSP id>/did.json` of this consortium's node (`fetchDocument`),
 * never from the host it names.
 * @param fetchDocument (path) => Promise<string|null>: the node's document, null on 404; throws NodeError
 */
export function issuerKeys(fetchDocument) {
  return async (method) => {
    if (method.startsWith('did:key:')) return didKey(method);
    let web;
    try {
      web = didWeb(method);
    } catch (e) {
      throw new CredentialError('UNKNOWN_SIGNER', e.message);
    }
    if (web.path.length !== 1 || web.fragment === null) {
      throw new CredentialError(
        'UNKNOWN_SIGNER',
        `the issuer key ${method} is not an organisation's key of this consortium (did:web:<node>:<MSP id>#key-<id>)`,
      );
    }
    const organisation = web.path[0];
    const text = await fetchDocument(`/${organisation}/did.json`);
    if (text === null) {
      throw new CredentialError('UNKNOWN_SIGNER', `organisation ${organisation} has no credential key on this consortium's nodes`);
    }
    let document;
    try {
      document = JSON.parse(text);
    } catch (e) {
      document = null;
    }
    if (document === null || typeof document !== 'object' || Array.isArray(document)) {
      throw new NodeError(`the node's controller document of ${organisation} is not a JSON object`);
    }
    for (const vm of Array.isArray(document.verificationMethod) ? document.verificationMethod : []) {
      if (typeof vm?.id === 'string' && vm.id.endsWith(`:${organisation}#${web.fragment}`) && typeof vm.publicKeyMultibase === 'string') {
        try {
          return await keyFromMultibase(vm.publicKeyMultibase);
        } catch (e) {
          throw new CredentialError('UNKNOWN_SIGNER', `the node's key of ${method}: ${e.message}`);
        }
      }
    }
    throw new CredentialError('UNKNOWN_SIGNER', `the issuer key ${method} is not in ${organisation}'s controller document`);
  };
}

/** The credential's digest, as anchored: SHA-256(UTF-8 "dossier:document:v1" || 0x00 || 32 zero bytes || JCS). */
export async function credentialDigest(credential) {
  const tag = utf8.encode(DOCUMENT_TAG);
  const content = utf8.encode(canonicalize(credential));
  const bytes = new Uint8Array(tag.length + 1 + 32 + content.length);
  bytes.set(tag, 0);
  bytes.set(content, tag.length + 33);
  return toHex(await sha256(bytes));
}

const RECORD_EVIDENCE = /^urn:dossier:record:([0-9a-f]{64})$/;
const STATUS_LIST = /^https?:\/\/[^/]+(\/v1\/status-lists\/(0|[1-9][0-9]{0,17}))$/;

/** @returns {string|null} the commitment of the record the credential names as evidence */
export function recordOf(credential) {
  for (const item of Array.isArray(credential.evidence) ? credential.evidence : []) {
    const match = typeof item?.id === 'string' && RECORD_EVIDENCE.exec(item.id);
    if (match) return match[1];
  }
  return null;
}

/** @returns {{path: string, number: string}|null} the status list on this consortium's nodes, whatever the host */
export function statusListOf(checked) {
  const match = checked.status && STATUS_LIST.exec(checked.status.statusListCredential);
  return match ? { path: match[1], number: match[2] } : null;
}

/** The organisation (MSP id) of a `did:web:<host>:<MSP id>` issuer, or null. */
function organisationOf(issuer) {
  try {
    const web = didWeb(issuer);
    return web.path.length === 1 ? web.path[0] : null;
  } catch (e) {
    return null;
  }
}

/**
 * Reads a credential's bit in a BitstringStatusListCredential after verifying its proof with a node key of the
 * pinned trust file (the verification method `did:web:<node>#<node name>`).
 * @param trust the pinned trust file, parsed (receipt.mjs parseTrustFile): its keys sign status lists
 * @returns {Promise<boolean>} whether the bit is set
 * @throws NodeError if the list is refused: not such a list, not signed by a node, altered, too short
 */
export async function revokedOnList(listText, entry, trust, library) {
  let list;
  try {
    list = JSON.parse(listText);
  } catch (e) {
    throw new NodeError('the status list is not JSON');
  }
  try {
    if (!strings(list?.type).includes('BitstringStatusListCredential')) {
      throw new NodeError('the status list is not a BitstringStatusListCredential');
    }
    await verifyProof(
      list,
      (method) => {
        let web;
        try {
          web = didWeb(method);
        } catch (e) {
          web = null;
        }
        if (web === null || web.path.length !== 0 || web.fragment === null) {
          throw new NodeError(`the status list's key ${method} is not a node key (did:web:<node>#<name>)`);
        }
        const key = trust.keys.find((k) => k.name === web.fragment);
        if (!key) throw new NodeError(`the status list is signed by ${method}, not a node of the pinned trust file`);
        return { cryptosuite: ECDSA, key: key.key };
      },
      library,
    );
  } catch (e) {
    throw e instanceof CredentialError ? new NodeError(`the status list: ${e.message}`) : e;
  }
  const subject = list.credentialSubject;
  if (subject?.statusPurpose !== 'revocation' || typeof subject.encodedList !== 'string' || !subject.encodedList.startsWith('u')) {
    throw new NodeError('the status list has no revocation encodedList');
  }
  let bits;
  try {
    const stream = new Blob([base64UrlBytes(subject.encodedList.substring(1))]).stream().pipeThrough(new DecompressionStream('gzip'));
    bits = new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new NodeError(`the status list's encodedList is not GZIP in multibase base64url: ${e.message}`);
  }
  if (entry.index >= BigInt(bits.length) * 8n) {
    throw new NodeError(`status list: index ${entry.index} is beyond the list's ${bits.length * 8} entries`);
  }
  const i = Number(entry.index);
  return (bits[i >> 3] & (0x80 >> (i & 7))) !== 0;
}

/** VALID, or EXPIRED when `now` is outside the credential's validity, with the reason so far. */
export function dated(checked, reason, now = Date.now()) {
  const { validFrom, validUntil } = checked;
  if ((validUntil && now > validUntil.time) || (validFrom && now < validFrom.time)) {
    const from = validFrom ? `from ${validFrom.text} ` : '';
    const until = validUntil ? `until ${validUntil.text}` : '';
    return { verdict: 'EXPIRED', reason: `${reason}; outside its validity (${from}${until})` };
  }
  return { verdict: 'VALID', reason };
}

function ledgerStatus(entry, what) {
  if (entry.status === 'revoked') {
    return { verdict: 'REVOKED', reason: `${what} was revoked by ${entry.mspId}${entry.revocationReason ? ` (${entry.revocationReason})` : ''}` };
  }
  if (entry.status === 'superseded') {
    return { verdict: 'SUPERSEDED', reason: `${what} was superseded by ${entry.supersededBy}` };
  }
  return null;
}

/**
 * The online verdict of a credential whose proof verified, as the Java verifier gives it: its digest and its record
 * on the ledger (entries as `GET /v1/status` answers them, null for none), then its status list bit, then its dates.
 * @param ask {{status: (hex) => Promise<object|null>, revoked: (path) => Promise<boolean>}} the node; both throw
 *   NodeError when the node cannot answer
 * @returns {Promise<{verdict: string, reason: string, digest: string}>}
 */
export async function withLedger(checked, ask, now = Date.now()) {
  const signedBy = `signed by ${checked.issuer}`;
  const digest = await credentialDigest(checked.credential);
  const found = (verdict, reason) => ({ verdict, reason, digest });
  const entry = await ask.status(digest);
  if (entry === null) {
    return found('NOT_FOUND', `the proof is valid (${signedBy}), but the credential's digest ${digest} is not anchored on this ledger`);
  }
  const organisation = organisationOf(checked.issuer);
  if (organisation === null || organisation !== entry.mspId) {
    return found('NOT_FOUND', `the credential is anchored by ${entry.mspId}, not by its issuer ${checked.issuer}`);
  }
  const own = ledgerStatus(entry, 'the credential');
  if (own) return { ...own, digest };
  const record = recordOf(checked.credential);
  if (record !== null) {
    const recordEntry = await ask.status(record);
    if (recordEntry === null || recordEntry.mspId !== organisation) {
      return found('NOT_FOUND', `the credential's record ${record} is not anchored by its issuer ${organisation}`);
    }
    const its = ledgerStatus(recordEntry, 'its record');
    if (its) return { ...its, digest };
  }
  let list = '';
  if (checked.status) {
    const named = statusListOf(checked);
    if (named) {
      if (await ask.revoked(named.path)) {
        return found('REVOKED', `bit ${checked.status.index} of status list ${named.number} is set: revoked`);
      }
      list = `, not revoked on status list ${named.number}`;
    } else {
      list = `, its status list ${checked.status.statusListCredential} is not this ledger's`;
    }
  }
  return { ...dated(checked, `${signedBy}, anchored by ${organisation}, status active${list}`, now), digest };
}
