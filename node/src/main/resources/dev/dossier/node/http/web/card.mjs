// The inspector's card (docs/card.md): "DC1:" + Base45 (RFC 9285) of a tagged COSE_Sign1 (RFC 9052, ES256, key id
// in the protected header) over CWT claims (RFC 8392) in deterministic CBOR (RFC 8949 section 4.2.1). The same
// checks, in the same order and with the same verdicts, as the Java CardVerifier; both are held to the golden vectors
// client/src/test/resources/vectors/card-v1.json. Never throws on a bad card: every input gets a verdict and a reason.

export const PREFIX = 'DC1:';
export const MAX_TEXT = 4296;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const P256_HALF_ORDER = BigInt('0x7FFFFFFF800000007FFFFFFFFFFFFFFFDE737D56D38BCF4279DCE5617E3192A8');
const MAX_DEPTH = 4;
const FACTS = -65537;

export class CardError extends Error {}

/** Strict Base45 decoding (RFC 9285). */
export function base45Decode(text) {
  if (text.length % 3 === 1) throw new CardError(`Base45 text of ${text.length} characters: a length of 3n + 1 is impossible`);
  const out = [];
  const value = (i) => {
    const v = ALPHABET.indexOf(text[i]);
    if (v < 0) throw new CardError(`character ${i} is not Base45`);
    return v;
  };
  for (let i = 0; i < text.length; i += 3) {
    if (i + 2 < text.length) {
      const n = value(i) + value(i + 1) * 45 + value(i + 2) * 2025;
      if (n > 0xffff) throw new CardError(`Base45 group at character ${i} is ${n}, above 65535`);
      out.push(n >> 8, n & 0xff);
    } else {
      const n = value(i) + value(i + 1) * 45;
      if (n > 0xff) throw new CardError(`Base45 final pair is ${n}, above 255`);
      out.push(n);
    }
  }
  return Uint8Array.from(out);
}

const compareBytes = (a, b) => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
};

/** Decodes one deterministic CBOR item of the card's subset filling `bytes`; maps become Map<number, value>. */
export function cborDecode(bytes) {
  let at = 0;
  const next = () => {
    if (at >= bytes.length) throw new CardError(`CBOR ends early, at byte ${at}`);
    return bytes[at++];
  };
  const argument = (info, start) => {
    if (info < 24) return info;
    if (info > 27) throw new CardError(`byte ${start}: indefinite length or reserved value ${info}`);
    const size = 1 << (info - 24);
    let value = 0n;
    for (let i = 0; i < size; i++) value = (value << 8n) | BigInt(next());
    const smallest = info === 24 ? 24n : 1n << BigInt(4 * size);
    if (value < smallest) throw new CardError(`byte ${start}: argument ${value} not in its shortest form`);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new CardError(`byte ${start}: integer too large`);
    return Number(value);
  };
  const length = (n, start) => {
    if (n > bytes.length - at) throw new CardError(`byte ${start}: length ${n} exceeds the ${bytes.length - at} bytes left`);
    return n;
  };
  const nested = (depth, start) => {
    if (depth >= MAX_DEPTH) throw new CardError(`byte ${start}: nested deeper than ${MAX_DEPTH}`);
  };
  const item = (depth) => {
    const start = at;
    const initial = next();
    const major = initial >> 5;
    const arg = argument(initial & 0x1f, start);
    switch (major) {
      case 0:
        return arg;
      case 1:
        return -1 - arg;
      case 2: {
        const n = length(arg, start);
        at += n;
        return bytes.slice(at - n, at);
      }
      case 3: {
        const n = length(arg, start);
        at += n;
        try {
          return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at - n, at));
        } catch {
          throw new CardError(`byte ${start}: text string is not UTF-8`);
        }
      }
      case 4: {
        const n = length(arg, start);
        nested(depth, start);
        const list = [];
        for (let i = 0; i < n; i++) list.push(item(depth + 1));
        return list;
      }
      case 5: {
        const n = length(arg, start);
        nested(depth, start);
        const map = new Map();
        let previous = null;
        for (let i = 0; i < n; i++) {
          const keyStart = at;
          const key = item(depth + 1);
          if (typeof key !== 'number') throw new CardError(`map key at byte ${keyStart} is not an integer`);
          const encoded = bytes.subarray(keyStart, at);
          if (previous !== null && compareBytes(previous, encoded) >= 0) {
            throw new CardError(`map key ${key} at byte ${keyStart} is repeated or out of order`);
          }
          previous = encoded;
          map.set(key, item(depth + 1));
        }
        return map;
      }
      case 6:
        nested(depth, start);
        return { tag: arg, value: item(depth + 1) };
      default:
        throw new CardError(`byte ${start}: floats and simple values are not used in a card`);
    }
  };
  const value = item(0);
  if (at !== bytes.length) throw new CardError(`${bytes.length - at} bytes follow the CBOR item`);
  return value;
}

function head(major, n) {
  if (n < 24) return [(major << 5) | n];
  if (n < 0x100) return [(major << 5) | 24, n];
  return [(major << 5) | 25, n >> 8, n & 0xff];
}

/** COSE Sig_structure ["Signature1", protected, h'', payload]. */
function toBeSigned(protectedHeader, payload) {
  const context = new TextEncoder().encode('Signature1');
  return Uint8Array.from([
    0x84,
    ...head(3, context.length),
    ...context,
    ...head(2, protectedHeader.length),
    ...protectedHeader,
    0x40,
    ...head(2, payload.length),
    ...payload,
  ]);
}

const toHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const isBytes = (v) => v instanceof Uint8Array;

/**
 * The card a certificate PDF carries (`dossier certificate` embeds its text, uncompressed, as `dossier-card.txt`):
 * the stream that holds only "DC1:" and Base45 characters, or null if the PDF has none.
 */
export function cardFromPdf(bytes) {
  const text = new TextDecoder('latin1').decode(bytes);
  const found = /stream\r?\n(DC1:[0-9A-Z $%*+./:-]{1,4292})\r?\n\s*endstream/.exec(text);
  return found === null ? null : found[1];
}

/** Decodes a card's text into its COSE parts, strictly; throws CardError saying which part is wrong. */
export function decodeCard(text, prefix = PREFIX) {
  if (text.length > MAX_TEXT) throw new CardError(`longer than ${MAX_TEXT} characters`);
  if (!text.startsWith(prefix)) {
    const colon = text.indexOf(':');
    throw new CardError(
      text.startsWith(prefix.substring(0, 2)) && colon > 2
        ? `card format ${text.substring(0, colon)} is not ${prefix} (a newer page?)`
        : `it does not start with ${prefix}`,
    );
  }
  const bytes = base45Decode(text.substring(prefix.length));
  const decoded = cborDecode(bytes);
  if (!decoded || decoded.tag !== 18) throw new CardError('not a tagged COSE_Sign1 (tag 18)');
  const parts = decoded.value;
  if (!Array.isArray(parts) || parts.length !== 4) throw new CardError('COSE_Sign1 is not an array of 4');
  const [protectedHeader, unprotected, payload, signature] = parts;
  if (!isBytes(protectedHeader)) throw new CardError('protected header is not a byte string');
  if (!(unprotected instanceof Map) || unprotected.size !== 0) throw new CardError('unprotected header is not an empty map');
  if (!isBytes(payload)) throw new CardError('payload is not a byte string');
  if (!isBytes(signature)) throw new CardError('signature is not a byte string');
  if (signature.length !== 64) throw new CardError(`signature is ${signature.length} bytes, not 64`);
  const header = cborDecode(protectedHeader);
  if (!(header instanceof Map) || header.size !== 2 || header.get(1) !== -7) {
    throw new CardError('protected header is not {1: -7 (ES256), 4: key id}');
  }
  const keyId = header.get(4);
  if (!isBytes(keyId)) throw new CardError('key id is not a byte string');
  if (keyId.length !== 8) throw new CardError(`key id is ${keyId.length} bytes, not 8`);
  return { bytes, protectedHeader, keyId, payload, signature };
}

const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const HOURS = /^[0-9]{1,5}(\.[0-9]{1,2})?$/;

export function validDate(text) {
  if (!DATE.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

/** Reads the claims of a verified payload into the card's facts; throws CardError when it is not a card. */
export function cardFacts(payload) {
  const claims = cborDecode(payload);
  if (!(claims instanceof Map)) throw new CardError('claims is not a map');
  for (const key of claims.keys()) if (![1, 6, FACTS].includes(key)) throw new CardError(`unknown claim ${key}`);
  const facts = claims.get(FACTS);
  if (!(facts instanceof Map)) throw new CardError('facts (claim -65537) is not a map');
  for (const key of facts.keys()) if (!(key >= 1 && key <= 12)) throw new CardError(`unknown fact ${key}`);
  const text = (map, key, required, max = 200) => {
    const value = map.get(key);
    if (value === undefined) {
      if (required) throw new CardError(`item ${key} is missing`);
      return null;
    }
    if (typeof value !== 'string') throw new CardError(`item ${key} is not text`);
    if (required && value.trim() === '') throw new CardError(`item ${key} is empty`);
    if ([...value].length > max) throw new CardError(`item ${key} is longer than ${max} characters`);
    if (/[\u0000-\u001f\u007f]/.test(value)) throw new CardError(`item ${key} holds a control character`);
    return value;
  };
  const date = (key, required) => {
    const value = text(facts, key, required);
    if (value !== null && !validDate(value)) throw new CardError(`item ${key} is not a date YYYY-MM-DD`);
    return value;
  };
  const iat = claims.get(6);
  if (typeof iat !== 'number' || iat < 0) throw new CardError('issued-at (claim 6) is not a time in seconds');
  const commitment = facts.get(12);
  if (!isBytes(commitment)) throw new CardError('commitment (fact 12) is not a byte string');
  if (commitment.length !== 32) throw new CardError(`commitment must be 32 bytes, not ${commitment.length}`);
  const hours = text(facts, 7, false);
  if (hours !== null && !HOURS.test(hours)) throw new CardError('hours is not a decimal number');
  return {
    givenName: text(facts, 1, true),
    familyName: text(facts, 2, true),
    birthDate: date(3, false),
    courseCode: text(facts, 4, false),
    courseTitle: text(facts, 5, true, 60),
    safetyModule: text(facts, 6, false),
    hours,
    endDate: date(8, false),
    issueDate: date(9, true),
    validUntil: date(10, false),
    provider: text(facts, 11, true),
    issuer: text(claims, 1, true),
    issuedAt: iat,
    commitment: toHex(commitment),
  };
}

function base64Decode(text) {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/**
 * Parses the card lines of a trust file ("card <organisation> <key id> <from> <to> <base64 SPKI>"), importing each
 * key for WebCrypto and checking its key id (SHA-256 of the SPKI, first 8 bytes). Throws CardError on a bad line.
 */
export async function parseCardKeys(trustText) {
  const keys = new Map();
  for (const raw of trustText.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('card ')) continue;
    const parts = line.split(/ +/);
    if (parts.length !== 6) throw new CardError(`card key line is malformed: ${line.substring(0, 40)}`);
    const [, organisation, keyId, from, to, spkiText] = parts;
    if (!validDate(from) || !validDate(to) || to < from) throw new CardError(`card key ${keyId}: bad validity`);
    let spki;
    try {
      spki = base64Decode(spkiText);
    } catch {
      throw new CardError(`card key ${keyId}: public key is not base64`);
    }
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', spki));
    if (toHex(digest.subarray(0, 8)) !== keyId) throw new CardError(`card key ${keyId}: the key id is not the key's`);
    if (keys.has(keyId)) throw new CardError(`two card keys have the key id ${keyId}`);
    let key;
    try {
      key = await crypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    } catch {
      throw new CardError(`card key ${keyId}: not a P-256 public key`);
    }
    keys.set(keyId, { organisation, keyId, validFrom: from, validTo: to, key });
  }
  return keys;
}

export async function cardDigest(bytes) {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
}

function lowS(signature) {
  return BigInt(`0x${toHex(signature.subarray(32))}`) <= P256_HALF_ORDER;
}

/**
 * Decodes a signed text of the given prefix and checks its signature against the trust file's card keys, as the Java
 * CardVerifier.open: decodes (else TAMPERED), key listed (else UNKNOWN_SIGNER), signature low-S and valid (else
 * TAMPERED). Shared by the record's card and the worker's card (worker-card.mjs).
 * @returns {Promise<{failure: {verdict, reason}|null, key, digest, payload}>}
 */
export async function openSigned(text, cardKeys, prefix = PREFIX) {
  const failed = (verdict, reason, key = null, digest = null) => ({ failure: { verdict, reason }, key, digest, payload: null });
  let cose;
  try {
    cose = decodeCard(String(text).trim(), prefix);
  } catch (e) {
    if (!(e instanceof CardError)) throw e;
    return failed('TAMPERED', `not a card: ${e.message}`);
  }
  const digest = await cardDigest(cose.bytes);
  const keyId = toHex(cose.keyId);
  const key = cardKeys.get(keyId);
  if (!key) return failed('UNKNOWN_SIGNER', `signed with key ${keyId}, which the trust file does not list`, null, digest);
  if (!lowS(cose.signature)) {
    return failed('TAMPERED', 'the signature is not in its low-S form: the card was changed after signing', key, digest);
  }
  const verified = await crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key.key,
    cose.signature,
    toBeSigned(cose.protectedHeader, cose.payload),
  );
  if (!verified) {
    return failed('TAMPERED', `the signature of ${key.organisation}'s key ${keyId} does not verify: the card was changed after signing`, key, digest);
  }
  return { failure: null, key, digest, payload: cose.payload };
}

/** Why `key` may not have signed a card of `issuer` at `issuedAt` (seconds), or null if it may. */
export function signerProblem(key, issuer, issuedAt) {
  if (issuer !== key.organisation) {
    return `the card names ${issuer} as its issuer, but ${key.organisation}'s key ${key.keyId} signed it`;
  }
  const signedOn = new Date(issuedAt * 1000).toISOString().substring(0, 10);
  if (signedOn < key.validFrom || signedOn > key.validTo) {
    return `signed on ${signedOn} with ${key.organisation}'s key ${key.keyId}, which may sign only from ${key.validFrom} to ${key.validTo}`;
  }
  return null;
}

/**
 * Checks a card offline against the trust file's card keys (from parseCardKeys), on the day `today` (YYYY-MM-DD).
 * @returns {Promise<{verdict, reason, card, key, digest, online: false}>} card and key only for a genuine card
 */
export async function verifyCard(text, cardKeys, today) {
  const result = (verdict, reason, card = null, key = null, digest = null) => ({ verdict, reason, card, key, digest, online: false });
  const opened = await openSigned(text, cardKeys);
  const { key, digest } = opened;
  if (opened.failure) return result(opened.failure.verdict, opened.failure.reason, null, key, digest);
  let card;
  try {
    card = cardFacts(opened.payload);
  } catch (e) {
    if (!(e instanceof CardError)) throw e;
    return result('TAMPERED', `signed, but not a card: ${e.message}`, null, key, digest);
  }
  const problem = signerProblem(key, card.issuer, card.issuedAt);
  if (problem) return result('UNKNOWN_SIGNER', problem, null, key, digest);
  const signedOn = new Date(card.issuedAt * 1000).toISOString().substring(0, 10);
  if (card.validUntil !== null && today > card.validUntil) {
    return result(
      'EXPIRED',
      `genuine, signed by ${key.organisation}, but valid only until ${card.validUntil}: the training must be refreshed`,
      card,
      key,
      digest,
    );
  }
  const validity = card.validUntil === null ? ', no expiry' : `, valid until ${card.validUntil}`;
  return result('VALID', `genuine, signed by ${key.organisation} on ${signedOn}${validity}`, card, key, digest);
}

/**
 * Adds the ledger's status (entries of /v1/status: {mspId, status, revocationReason, supersededBy}, or null when not
 * anchored) to an offline check of a genuine card, as CardVerifier.withLedger does.
 */
export function withLedger(offline, cardEntry, recordEntry) {
  if (!offline.card) return offline;
  const issuer = offline.card.issuer;
  const out = (verdict, reason) => ({ ...offline, verdict, reason, online: true });
  if (!cardEntry) return out('NOT_FOUND', `signed by ${issuer}, but the ledger holds no entry for this card: it was never anchored`);
  if (cardEntry.mspId !== issuer) return out('NOT_FOUND', `this card is anchored by ${cardEntry.mspId}, not by its issuer ${issuer}`);
  if (!recordEntry) return out('NOT_FOUND', `the card's record ${offline.card.commitment} is not on the ledger`);
  if (recordEntry.mspId !== issuer) {
    return out(
      'NOT_FOUND',
      `the card's record is anchored by ${recordEntry.mspId}, not by the card's issuer ${issuer}: an organisation signs cards only for its own records`,
    );
  }
  for (const [what, entry] of [['the record', recordEntry], ['the card', cardEntry]]) {
    if (entry.status === 'revoked') {
      return out('REVOKED', `${what} was revoked by ${issuer}${entry.revocationReason ? ` (${entry.revocationReason})` : ''}`);
    }
    if (entry.status === 'superseded') {
      return out('SUPERSEDED', `${what} was superseded by a corrected one${entry.supersededBy ? ` (${entry.supersededBy})` : ''}`);
    }
  }
  return out(offline.verdict, `${offline.reason}; anchored by ${issuer}, status active`);
}
