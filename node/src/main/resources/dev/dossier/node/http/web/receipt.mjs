// Dossier receipt verification, entirely in the browser (or Node 20+): WebCrypto SHA-256 and ECDSA P-256 only.
// Implements the issue-6 contract: compact receipt v2 (section 4; v1 still read), C2SP signed notes and checkpoints with
// a time line (section 2), the trust file (section 3), RFC 9162 inclusion and consistency proofs, split-view detection
// against the latest checkpoint accepted (after C2SP tlog-witness), RFC 8785 canonical JSON and record commitments
// (section 7), and the verdicts (section 8). No DOM access here: app.mjs is the user interface.

const subtle = globalThis.crypto.subtle;
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export const CERTIFICATE_FORMAT = 'dossier-certificate/v1';
export const RECORD_TAG = 'dossier:record:v1';

/** A failed check. `check` names it (format, keys, signature, checkpoint, origin, tree-size, inclusion, entry,
 * commitment, consistency, split-view); the message says what was expected and what was found. */
export class VerificationError extends Error {
  constructor(check, message) {
    super(message);
    this.name = 'VerificationError';
    this.check = check;
  }
}

// ---- bytes ----

export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Strict lowercase or uppercase hex of an even length. */
export function fromHex(text) {
  if (typeof text !== 'string' || text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new Error('not hex');
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.substr(2 * i, 2), 16);
  return out;
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

function binaryToBytes(binary) {
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Standard base64 (RFC 4648 section 4), padding optional but correct if present. */
export function base64Decode(text) {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new Error('not base64');
  const bare = text.replace(/=+$/, '');
  if (bare.length % 4 === 1) throw new Error('not base64: bad length');
  if (text.length !== bare.length && text.length % 4 !== 0) throw new Error('not base64: bad padding');
  return binaryToBytes(atob(bare + '='.repeat((4 - (bare.length % 4)) % 4)));
}

export function base64Encode(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** base64url (RFC 4648 section 5) without padding, as receipts are written. */
export function base64UrlDecode(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
    throw new Error('not unpadded base64url');
  }
  return base64Decode(text.replace(/-/g, '+').replace(/_/g, '/'));
}

export async function sha256(bytes) {
  return new Uint8Array(await subtle.digest('SHA-256', bytes));
}

// ---- RFC 9162 Merkle tree ----

/** SHA-256(0x00 || leaf data). */
export function leafHash(data) {
  return sha256(concat(Uint8Array.of(0), data));
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left, right) {
  return sha256(concat(Uint8Array.of(1), left, right));
}

function bitLength(n) {
  return n === 0n ? 0 : n.toString(2).length;
}

function bitCount(n) {
  let count = 0;
  for (; n > 0n; n >>= 1n) count += Number(n & 1n);
  return count;
}

/**
 * Verifies an RFC 9162 (section 2.1.3.2) inclusion proof. The index, size, hash lengths and the exact proof length
 * are checked before any hashing. Resolves when the proof holds; rejects with a VerificationError('inclusion')
 * otherwise.
 */
export async function verifyInclusion(index, size, leaf, proof, root) {
  const fail = (message) => {
    throw new VerificationError('inclusion', message);
  };
  index = BigInt(index);
  size = BigInt(size);
  if (size <= 0n || index < 0n || index >= size) fail(`index ${index} is beyond tree size ${size}`);
  if (leaf.length !== 32) fail(`leaf hash has ${leaf.length} bytes, want 32`);
  if (root.length !== 32) fail(`root has ${root.length} bytes, want 32`);
  const inner = bitLength(index ^ (size - 1n));
  const border = bitCount(index >> BigInt(inner));
  if (proof.length !== inner + border) fail(`wrong proof size ${proof.length}, want ${inner + border}`);
  proof.forEach((p, i) => p.length === 32 || fail(`proof[${i}] has ${p.length} bytes, want 32`));

  let fn = index;
  let sn = size - 1n;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0n) fail('proof is longer than the tree is deep');
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) fail('proof is shorter than the tree is deep');
  if (!equalBytes(r, root)) {
    fail(`root mismatch: expected ${toHex(root)}, calculated ${toHex(r)}`);
  }
}

/**
 * Verifies an RFC 9162 (section 2.1.4.2) consistency proof: the tree of `size2` leaves with root `root2` extends the
 * tree of `size1` leaves with root `root1`. Sizes, hash lengths and the exact proof length are checked before any
 * hashing. Resolves when the proof holds; rejects with a VerificationError('consistency') otherwise.
 */
export async function verifyConsistency(size1, size2, root1, root2, proof) {
  const fail = (message) => {
    throw new VerificationError('consistency', message);
  };
  size1 = BigInt(size1);
  size2 = BigInt(size2);
  if (size1 < 0n || size2 < size1) fail(`size2 ${size2} is smaller than size1 ${size1}`);
  if (root1.length !== 32 || root2.length !== 32) fail('roots must have 32 bytes');
  if (size1 === size2) {
    if (proof.length !== 0) fail('sizes are equal but the proof is not empty');
    if (!equalBytes(root1, root2)) fail(`root mismatch for equal sizes: ${toHex(root1)} and ${toHex(root2)}`);
    return;
  }
  if (size1 === 0n) fail('a consistency proof from the empty tree proves nothing');
  if (proof.length === 0) fail('empty consistency proof for different sizes');
  let shift = 0;
  while (((size1 >> BigInt(shift)) & 1n) === 0n) shift++;
  const inner = bitLength((size1 - 1n) ^ (size2 - 1n)) - shift;
  const border = bitCount((size1 - 1n) >> BigInt(inner + shift));
  const powerOfTwo = size1 === 1n << BigInt(shift);
  const start = powerOfTwo ? 0 : 1;
  if (proof.length !== start + inner + border) fail(`wrong proof size ${proof.length}, want ${start + inner + border}`);
  proof.forEach((p, i) => p.length === 32 || fail(`proof[${i}] has ${p.length} bytes, want 32`));

  const seed = powerOfTwo ? root1 : proof[0];
  let fn = (size1 - 1n) >> BigInt(shift);
  let sn = (size2 - 1n) >> BigInt(shift);
  let fr = seed;
  let sr = seed;
  for (let i = start; i < proof.length; i++) {
    const c = proof[i];
    if (sn === 0n) fail('proof is longer than the tree is deep');
    if ((fn & 1n) === 1n || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) fail('proof is shorter than the tree is deep');
  if (!equalBytes(fr, root1)) fail(`root1 mismatch: expected ${toHex(root1)}, calculated ${toHex(fr)}`);
  if (!equalBytes(sr, root2)) fail(`root2 mismatch: expected ${toHex(root2)}, calculated ${toHex(sr)}`);
}

// ---- compact receipt (contract section 4) ----

/** Receipts the nodes issue: the leaf is the commitment and the public entry (no DN, no subject pseudonym). */
export const RECEIPT_VERSION = 2;
/** Receipts from before the public entry: the leaf is the commitment and the whole entry as written. */
export const LEGACY_RECEIPT_VERSION = 1;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Parses the text form of a receipt (unpadded base64url of the compact binary form v2, or v1).
 * @returns {{version: number, commitment: Uint8Array, leafIndex: number, treeSize: number, proof: Uint8Array[],
 *   entryBytes: Uint8Array, note: string}}
 * @throws VerificationError('format') if it is not one
 */
export function parseReceipt(text) {
  const fail = (message) => {
    throw new VerificationError('format', `receipt ${message}`);
  };
  let bytes;
  try {
    bytes = base64UrlDecode(text.trim());
  } catch (e) {
    fail('is not unpadded base64url');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const need = (n, what) => {
    if (bytes.length - at < n) fail(`is truncated in the ${what}`);
  };
  need(1, 'version');
  const version = bytes[at++];
  if (version !== RECEIPT_VERSION && version !== LEGACY_RECEIPT_VERSION) {
    fail(`version is ${version}, only versions ${RECEIPT_VERSION} and ${LEGACY_RECEIPT_VERSION} are known`);
  }
  need(32, 'commitment');
  const commitment = bytes.slice(at, at + 32);
  at += 32;
  need(16, 'leaf index and tree size');
  const index = view.getBigUint64(at);
  const size = view.getBigUint64(at + 8);
  at += 16;
  if (index > MAX_SAFE || size > MAX_SAFE) fail('has a leaf index or tree size beyond 2^53');
  need(1, 'proof length');
  const n = bytes[at++];
  if (n > 63) fail(`has ${n} proof hashes, at most 63 allowed`);
  need(32 * n, 'proof hashes');
  const proof = [];
  for (let i = 0; i < n; i++, at += 32) proof.push(bytes.slice(at, at + 32));
  need(2, 'entry length');
  const entryLength = view.getUint16(at);
  at += 2;
  need(entryLength, 'entry');
  const entryBytes = bytes.slice(at, at + entryLength);
  at += entryLength;
  need(2, 'note length');
  const noteLength = view.getUint16(at);
  at += 2;
  need(noteLength, 'checkpoint note');
  let note;
  try {
    note = strictUtf8.decode(bytes.subarray(at, at + noteLength));
  } catch (e) {
    fail('checkpoint note is not UTF-8');
  }
  at += noteLength;
  if (at !== bytes.length) fail(`has ${bytes.length - at} trailing bytes`);
  return { version, commitment, leafIndex: Number(index), treeSize: Number(size), proof, entryBytes, note };
}

// ---- C2SP signed notes and checkpoints (contract section 2) ----

const DASH = '\u2014 ';

function textProblem(text) {
  if (text.length === 0 || !text.endsWith('\n')) return 'note text must end in a newline';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) return `note text contains control character ${c}`;
  }
  return null;
}

/**
 * Parses a signed note: text, a blank line, signature lines `— <name> base64(key ID || signature)`.
 * @returns {{text: string, signatures: {name: string, keyId: number, signature: Uint8Array}[]}}
 * @throws VerificationError('signature') if it is not one
 */
export function parseSignedNote(note) {
  const fail = (message) => {
    throw new VerificationError('signature', message);
  };
  const split = note.lastIndexOf('\n\n');
  if (split < 0) fail('no blank line separates the checkpoint from its signatures');
  const text = note.substring(0, split + 1);
  const problem = textProblem(text);
  if (problem) fail(problem);
  const rest = note.substring(split + 2);
  if (!rest.endsWith('\n')) fail('the last signature line does not end in a newline');
  const signatures = [];
  for (const line of rest.slice(0, -1).split('\n')) {
    if (signatures.length === 100) fail('more than 100 signatures');
    if (!line.startsWith(DASH)) fail(`signature line does not start with an em dash and a space: ${line}`);
    const parts = line.substring(DASH.length).split(' ');
    if (parts.length !== 2 || parts[0] === '') fail(`signature line is not '— <name> <signature>': ${line}`);
    let decoded;
    try {
      decoded = base64Decode(parts[1]);
    } catch (e) {
      fail(`signature of ${parts[0]} is not base64`);
    }
    // one note, one text: atob ignores the unused bits of the last character (as Java's decoder does, which refuses
    // such text too)
    if (base64Encode(decoded) !== parts[1]) fail(`signature of ${parts[0]} is not canonical base64`);
    if (decoded.length <= 4) fail(`signature of ${parts[0]} is too short`);
    const keyId = new DataView(decoded.buffer).getUint32(0);
    signatures.push({ name: parts[0], keyId, signature: decoded.slice(4) });
  }
  return { text, signatures };
}

/**
 * Parses checkpoint text `<origin>\n<size>\n<base64 root>\ntime <unix seconds>\n` (further lines ignored).
 * @returns {{origin: string, size: number, root: Uint8Array, time: number}} time in unix seconds
 * @throws VerificationError('checkpoint')
 */
export function parseCheckpoint(text) {
  const fail = (message) => {
    throw new VerificationError('checkpoint', message);
  };
  if (!text.endsWith('\n')) fail('checkpoint text does not end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 4) fail('a checkpoint has an origin, a size, a root and a time line');
  const [origin, sizeLine, rootLine, timeLine] = lines;
  if (origin === '') fail('checkpoint origin is empty');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine) || BigInt(sizeLine) > MAX_SAFE) {
    fail(`checkpoint size is not canonical decimal: ${sizeLine}`);
  }
  let root;
  try {
    root = base64Decode(rootLine);
  } catch (e) {
    fail(`checkpoint root is not base64: ${rootLine}`);
  }
  if (base64Encode(root) !== rootLine) fail(`checkpoint root is not canonical base64: ${rootLine}`);
  if (root.length !== 32) fail(`checkpoint root has ${root.length} bytes, want 32`);
  const time = /^time (0|[1-9][0-9]*)$/.exec(timeLine);
  if (!time || BigInt(time[1]) > MAX_SAFE) fail(`checkpoint has no canonical 'time <unix seconds>' line: ${timeLine}`);
  return { origin, size: Number(sizeLine), root, time: Number(time[1]) };
}

// ---- trust file and keys (contract section 3) ----

async function keyIdOf(spki) {
  return new DataView((await sha256(spki)).buffer).getUint32(0);
}

/**
 * Parses a verifier key `<name>+<8 hex key id>+<base64(0x02 || DER SubjectPublicKeyInfo)>` and imports it. The key
 * ID must equal SHA-256(DER SubjectPublicKeyInfo)[:4].
 * @returns {Promise<{name: string, keyId: number, key: CryptoKey, vkey: string}>}
 * @throws VerificationError('keys')
 */
export async function parseVerifierKey(vkey) {
  const fail = (message) => {
    throw new VerificationError('keys', message);
  };
  // the name has no '+'; the base64 key may
  const first = vkey.indexOf('+');
  const second = vkey.indexOf('+', first + 1);
  if (first <= 0 || second < 0) fail(`not a verifier key '<name>+<key id>+<key>': ${vkey}`);
  const name = vkey.substring(0, first);
  const hexId = vkey.substring(first + 1, second);
  const encoded = vkey.substring(second + 1);
  if (!/^[0-9a-f]{8}$/.test(hexId)) fail(`key id of ${name} is not 8 lowercase hex digits: ${hexId}`);
  let bytes;
  try {
    bytes = base64Decode(encoded);
  } catch (e) {
    fail(`key of ${name} is not base64`);
  }
  if (bytes.length < 2 || bytes[0] !== 0x02) fail(`key of ${name} is not of signature type 0x02 (ECDSA P-256)`);
  const spki = bytes.slice(1);
  const keyId = parseInt(hexId, 16);
  const computed = await keyIdOf(spki);
  if (computed !== keyId) {
    fail(`key id of ${name} is ${hexId} but its key has id ${computed.toString(16).padStart(8, '0')}`);
  }
  let key;
  try {
    key = await subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  } catch (e) {
    fail(`key of ${name} is not a P-256 public key`);
  }
  return { name, keyId, key, vkey };
}

/**
 * Parses a trust file: `#` comments and blank lines ignored, `origin <origin>`, `cosigners <n>`, verifier keys, `card`
 * lines (card.mjs reads them) and any number of `earlier <max size> <cosigners> <vkey> [<vkey> ...]` lines (fields
 * separated by spaces): the consortium's keys before a change, by which a checkpoint of at most `<max size>` leaves
 * that `<cosigners>` of them signed still verifies (verifyCheckpointNote).
 * @returns {Promise<{origin: string, cosigners: number, keys: object[],
 *   earlier: {maxSize: number, cosigners: number, keys: object[]}[], text: string}>} `earlier` in file order, empty
 *   when there are none; keys as parseVerifierKey returns them
 * @throws VerificationError('keys')
 */
export async function parseTrustFile(text) {
  const fail = (message) => {
    throw new VerificationError('keys', `trust file: ${message}`);
  };
  let origin = null;
  let cosigners = null;
  const keys = [];
  const earlier = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('origin ')) {
      if (origin !== null) fail('more than one origin line');
      origin = line.substring('origin '.length).trim();
      if (origin === '') fail('empty origin');
    } else if (line.startsWith('cosigners ')) {
      if (cosigners !== null) fail('more than one cosigners line');
      const value = line.substring('cosigners '.length).trim();
      if (!/^[1-9][0-9]{0,3}$/.test(value)) fail(`cosigners is not a positive number: ${value}`);
      cosigners = Number(value);
    } else if (line.startsWith('card ')) {
      // an organisation's card-signing key: card.mjs reads these lines (parseCardKeys)
    } else if (line.startsWith('earlier ')) {
      const where = `earlier key set ${earlier.length + 1}`;
      earlier.push(await parseEarlierKeySet(line, (message) => fail(`${where}: ${message}`)));
    } else {
      const key = await parseVerifierKey(line);
      if (keys.some((k) => k.name === key.name)) fail(`key name ${key.name} appears twice`);
      keys.push(key);
    }
  }
  if (origin === null) fail('no origin line');
  if (keys.length === 0) fail('no verifier keys');
  if (cosigners === null) cosigners = Math.floor(keys.length / 2) + 1;
  if (cosigners > keys.length) fail(`cosigners ${cosigners} but only ${keys.length} keys`);
  return { origin, cosigners, keys, earlier, text };
}

/** Parses a trust file's `earlier <max size> <cosigners> <vkey> [<vkey> ...]` line; `fail` throws. */
async function parseEarlierKeySet(line, fail) {
  const [, size, count, ...vkeys] = line.split(/ +/);
  if (!/^(0|[1-9][0-9]*)$/.test(size) || BigInt(size) > MAX_SAFE) {
    fail(`max size is not canonical decimal up to 2^53 - 1: ${size}`);
  }
  if (!/^[1-9][0-9]{0,3}$/.test(count ?? '')) fail(`cosigners is not a positive number: ${count ?? '(none)'}`);
  if (vkeys.length === 0) fail('no verifier keys');
  const keys = [];
  for (const vkey of vkeys) {
    let key;
    try {
      key = await parseVerifierKey(vkey);
    } catch (e) {
      if (!(e instanceof VerificationError)) throw e;
      fail(e.message);
    }
    if (keys.some((k) => k.name === key.name)) fail(`key name ${key.name} appears twice`);
    keys.push(key);
  }
  const cosigners = Number(count);
  if (cosigners > keys.length) fail(`cosigners ${cosigners} but only ${keys.length} keys`);
  return { maxSize: Number(size), cosigners, keys };
}

/**
 * Converts a DER ECDSA-Sig-Value (SEQUENCE { INTEGER r, INTEGER s }) to the 64-byte r || s form WebCrypto wants.
 * @returns {Uint8Array|null} null if it is not a strict DER P-256 signature
 */
export function derToRaw(der) {
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2 || der[1] > 0x7f) return null;
  const out = new Uint8Array(64);
  let at = 2;
  for (const offset of [0, 32]) {
    if (der[at] !== 0x02) return null;
    const length = der[at + 1];
    if (length === 0 || length > 33 || at + 2 + length > der.length) return null;
    let value = der.subarray(at + 2, at + 2 + length);
    if (value[0] & 0x80) return null; // negative
    if (value.length > 1 && value[0] === 0 && !(value[1] & 0x80)) return null; // not minimal
    if (value[0] === 0) value = value.subarray(1);
    if (value.length > 32) return null;
    out.set(value, offset + 32 - value.length);
    at += 2 + length;
  }
  return at === der.length ? out : null;
}

/**
 * Verifies a signed note against the trust file's keys: every signature line of a pinned key (same name and key ID)
 * must verify, and at least `cosigners` distinct pinned keys must have signed; lines of unknown keys are ignored.
 * @returns {Promise<string[]>} the names of the keys whose signatures verified
 * @throws VerificationError('signature')
 */
export async function verifyNote(note, trust) {
  const text = utf8.encode(note.text);
  const verified = new Set();
  for (const line of note.signatures) {
    for (const key of trust.keys) {
      if (key.name !== line.name || key.keyId !== line.keyId) continue;
      const raw = derToRaw(line.signature);
      const ok =
        raw !== null && (await subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key.key, raw, text));
      if (!ok) throw new VerificationError('signature', `signature of ${key.name} does not verify`);
      verified.add(key.name);
    }
  }
  if (verified.size < trust.cosigners) {
    const names = verified.size ? ` (${[...verified].join(', ')})` : '';
    throw new VerificationError(
      'signature',
      `checkpoint signed by ${verified.size} consortium key(s)${names}, ${trust.cosigners} required`,
    );
  }
  return [...verified].sort();
}

/**
 * Verifies a checkpoint's signed note against the trust file: by its current keys (verifyNote) or, failing that, by
 * the first of its earlier key sets, in file order, that covers the checkpoint's size (at most its max size) and whose
 * keys signed it as that set requires, so that a checkpoint signed before the consortium changed still verifies. Only
 * checkpoints have earlier key sets: revocation and status lists are verified by verifyNote, against the current keys.
 * @returns {Promise<string[]>} the names of the keys whose signatures verified, of the current keys or of that set
 * @throws VerificationError('signature') the current keys' failure, which says too that no earlier key set vouches
 *   for the checkpoint (unless the note's text is not a checkpoint, or the trust file has no earlier key sets)
 */
export async function verifyCheckpointNote(note, trust) {
  try {
    return await verifyNote(note, trust);
  } catch (failure) {
    const sets = trust.earlier ?? [];
    if (!(failure instanceof VerificationError) || sets.length === 0) throw failure;
    let checkpoint;
    try {
      checkpoint = parseCheckpoint(note.text);
    } catch (e) {
      throw failure;
    }
    const covering = sets.filter((set) => checkpoint.size <= set.maxSize);
    for (const set of covering) {
      try {
        return await verifyNote(note, { keys: set.keys, cosigners: set.cosigners });
      } catch (e) {
        if (!(e instanceof VerificationError)) throw e;
      }
    }
    const cover = covering.length === 0 ? 'none covers' : `${covering.length} cover${covering.length === 1 ? 's' : ''}`;
    throw new VerificationError(
      failure.check,
      `${failure.message}; nor by an earlier key set of the consortium ` +
        `(${cover} a checkpoint of ${checkpoint.size} leaves)`,
    );
  }
}

// ---- the ledger entry ----

/** The members of an on-chain entry, as the node's LedgerEntry (common/.../entry/LedgerEntry.java) reads them. */
const ENTRY_MEMBERS = [
  'anchoredAt',
  'commitment',
  'issuerId',
  'kind',
  'mspId',
  'revocationReason',
  'revokedAt',
  'schemaVersion',
  'status',
  'subject',
  'supersededBy',
  'supersedes',
  'validUntil',
];

/**
 * Reads an on-chain entry by the rules of the node's LedgerEntry, checked against the same golden vectors
 * (common/src/test/resources/vectors/ledger-entry-v1.json): one JSON object; each member, when present and not null, a
 * string, but schemaVersion an integer (1 when absent); status, when present, active, revoked or superseded; other
 * members ignored.
 * @param {string} text the entry's JSON text
 * @returns {object} every member of ENTRY_MEMBERS, null when absent
 * @throws Error naming what is wrong
 */
export function parseLedgerEntry(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`not a JSON object: ${e.message}`);
  }
  return ledgerEntryOf(value);
}

/** As parseLedgerEntry, from an already parsed JSON value. */
function ledgerEntryOf(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error('not a JSON object');
  }
  const entry = {};
  for (const name of ENTRY_MEMBERS) {
    const member = value[name] ?? null;
    if (name === 'schemaVersion') {
      if (member !== null && !Number.isSafeInteger(member)) throw new Error(`member '${name}' is not an integer`);
      entry[name] = member ?? 1;
    } else {
      if (member !== null && typeof member !== 'string') throw new Error(`member '${name}' is not a string`);
      entry[name] = member;
    }
  }
  if (entry.status !== null && !KNOWN_STATUSES.includes(entry.status)) {
    throw new Error(`unknown status '${entry.status}'`);
  }
  return entry;
}

// ---- receipt verification (contract section 4) ----

/**
 * Verifies a receipt against a parsed trust file: the checkpoint note's signatures (verifyCheckpointNote: the current
 * keys or an earlier key set), the checkpoint's origin and size, then the inclusion of SHA-256(0x00 || commitment ||
 * entry) under the checkpoint's root.
 * @returns {Promise<{commitment: string, entry: object, entryText: string, checkpoint: object, signers: string[],
 *   leafIndex: number, treeSize: number, leafFormat: number, note: string}>} `note` is the checkpoint's signed note
 * @throws VerificationError naming the failed check
 */
export async function verifyReceipt(text, trust) {
  const receipt = parseReceipt(text);
  const note = parseSignedNote(receipt.note);
  const signers = await verifyCheckpointNote(note, trust);
  const checkpoint = parseCheckpoint(note.text);
  if (checkpoint.origin !== trust.origin) {
    throw new VerificationError('origin', `checkpoint origin is ${checkpoint.origin}, expected ${trust.origin}`);
  }
  if (checkpoint.size !== receipt.treeSize) {
    throw new VerificationError(
      'tree-size',
      `checkpoint size ${checkpoint.size} differs from the receipt's tree size ${receipt.treeSize}`,
    );
  }
  if (receipt.leafIndex >= receipt.treeSize) {
    throw new VerificationError('tree-size', `leaf index ${receipt.leafIndex} is not below tree size ${receipt.treeSize}`);
  }
  const leaf = await leafHash(concat(receipt.commitment, receipt.entryBytes));
  await verifyInclusion(receipt.leafIndex, receipt.treeSize, leaf, receipt.proof, checkpoint.root);

  const commitment = toHex(receipt.commitment);
  let entryText;
  try {
    entryText = strictUtf8.decode(receipt.entryBytes);
  } catch (e) {
    throw new VerificationError('entry', 'the anchored entry is not UTF-8');
  }
  let entry;
  try {
    entry = parseLedgerEntry(entryText);
  } catch (e) {
    throw new VerificationError('entry', `the anchored entry is not an entry: ${e.message}`);
  }
  if (entry.commitment !== null && entry.commitment.toLowerCase() !== commitment) {
    throw new VerificationError('entry', `the anchored entry names commitment ${entry.commitment}, not ${commitment}`);
  }
  return {
    commitment,
    entry,
    entryText,
    checkpoint,
    signers,
    leafIndex: receipt.leafIndex,
    treeSize: receipt.treeSize,
    leafFormat: receipt.version,
    note: receipt.note,
  };
}

// ---- split views (after C2SP tlog-witness) ----

/** Storage key prefix of the latest checkpoint accepted, per log origin. */
export const CHECKPOINT_STORE = 'dossier.checkpoint.v1:';

/**
 * Checks a checkpoint against the latest one accepted before for the same log. Equal sizes need equal roots; otherwise
 * the smaller tree must be proved a prefix of the larger by an RFC 9162 consistency proof from `fetchProof(from, to)`
 * (any node's GET /v1/log/consistency; the proof needs no trust in it).
 * @param remembered the checkpoint accepted before (parseCheckpoint's form)
 * @param presented the checkpoint now presented, of the same origin, its signatures verified
 * @param fetchProof async (from, to) => Uint8Array[]; a rejection leaves the check open ('unchecked')
 * @returns {Promise<{relation: 'same'|'newer'|'older'|'unchecked', detail: string}>} 'newer': remember `presented`
 * @throws VerificationError('split-view') if the two cannot both be true
 */
export async function checkConsistency(remembered, presented, fetchProof) {
  if (remembered.origin !== presented.origin) {
    throw new Error(`checkpoints of different logs: ${remembered.origin} and ${presented.origin}`);
  }
  const m = remembered.size;
  const n = presented.size;
  const split = (detail) =>
    new VerificationError(
      'split-view',
      `the log ${presented.origin} presented a split view: its checkpoint of ${n} leaves with root ` +
        `${toHex(presented.root)} is inconsistent with the checkpoint of ${m} leaves with root ` +
        `${toHex(remembered.root)} accepted before (${detail})`,
    );
  if (n === m) {
    if (!equalBytes(remembered.root, presented.root)) throw split(`two different roots for the same size ${n}`);
    return { relation: 'same', detail: 'the checkpoint accepted before' };
  }
  const [small, large] = n < m ? [presented, remembered] : [remembered, presented];
  if (small.size === 0) {
    if (!equalBytes(small.root, await sha256(new Uint8Array(0)))) {
      throw split('a tree of 0 leaves whose root is not the empty root');
    }
  } else {
    let proof;
    try {
      proof = await fetchProof(small.size, large.size);
    } catch (e) {
      return {
        relation: 'unchecked',
        detail: `consistency with the checkpoint of ${m} leaves accepted before not checked (${e.message})`,
      };
    }
    try {
      await verifyConsistency(small.size, large.size, small.root, large.root, proof);
    } catch (e) {
      if (!(e instanceof VerificationError)) throw e;
      throw split(`the tree of ${small.size} leaves is not proved a prefix of the tree of ${large.size}: ${e.message}`);
    }
  }
  return n < m
    ? { relation: 'older', detail: `proved a prefix of the checkpoint of ${m} leaves accepted before` }
    : { relation: 'newer', detail: `proved to extend the checkpoint of ${m} leaves accepted before` };
}

/**
 * Checks a verified receipt's checkpoint against the latest checkpoint of its log accepted before, kept in `storage`
 * (localStorage or anything with getItem/setItem), and remembers it when it is the first or proved newer. Receipts of
 * leaf format 1 (before the public entry) are of the old log and are not compared.
 * @param verified what verifyReceipt or verifyCertificate returned
 * @param fetchProof as for checkConsistency
 * @returns {Promise<{relation: 'first'|'same'|'newer'|'older'|'unchecked'|'legacy', detail: string}>}
 * @throws VerificationError('split-view')
 */
export async function witnessCheckpoint(storage, verified, fetchProof) {
  if (verified.leafFormat !== RECEIPT_VERSION) {
    return { relation: 'legacy', detail: 'a receipt of leaf format 1, not compared with the checkpoints accepted' };
  }
  const key = CHECKPOINT_STORE + verified.checkpoint.origin;
  let remembered = null;
  try {
    const stored = JSON.parse(storage.getItem(key) ?? 'null');
    if (typeof stored?.note === 'string') remembered = parseCheckpoint(parseSignedNote(stored.note).text);
  } catch (e) {
    remembered = null; // unreadable: as if none
  }
  const remember = () => {
    try {
      storage.setItem(key, JSON.stringify({ note: verified.note, savedAt: new Date().toISOString() }));
    } catch (e) {
      // storage full or disabled: nothing remembered
    }
  };
  if (remembered === null || remembered.origin !== verified.checkpoint.origin) {
    remember();
    return { relation: 'first', detail: 'first checkpoint of this log seen here' };
  }
  const result = await checkConsistency(remembered, verified.checkpoint, fetchProof);
  if (result.relation === 'newer') remember();
  return result;
}

// ---- RFC 8785 canonical JSON and commitments (contract section 7) ----

/** RFC 8785 (JCS) serialisation of a JSON value as JSON.parse returns it. */
export function canonicalize(value) {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('JSON numbers must be finite');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(',')}]`;
  if (typeof value === 'object') {
    // Array.prototype.sort without a comparator orders strings by UTF-16 code units, as RFC 8785 requires.
    const members = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalize(value[k])}`);
    return `{${members.join(',')}}`;
  }
  throw new Error(`not a JSON value: ${typeof value}`);
}

/** SHA-256(UTF-8 "dossier:record:v1" || 0x00 || salt || UTF-8 JCS(record)) as lowercase hex. */
export async function recordCommitment(salt, record) {
  return toHex(await sha256(concat(utf8.encode(RECORD_TAG), Uint8Array.of(0), salt, utf8.encode(canonicalize(record)))));
}

/**
 * Checks a certificate (contract section 7) and verifies its receipt: the record and salt must hash to the
 * certificate's commitment and to the receipt's.
 * @returns {Promise<object>} what verifyReceipt returns, plus `record`
 * @throws VerificationError
 */
export async function verifyCertificate(certificate, trust) {
  const fail = (message) => {
    throw new VerificationError('commitment', message);
  };
  if (certificate?.format !== CERTIFICATE_FORMAT) {
    throw new VerificationError('format', `not a ${CERTIFICATE_FORMAT} certificate`);
  }
  const { record, salt, commitment, receipt } = certificate;
  if (record === null || typeof record !== 'object' || Array.isArray(record)) fail('the certificate has no record');
  if (typeof salt !== 'string' || !/^[0-9a-f]{64}$/.test(salt)) fail('the certificate salt is not 64 hex digits');
  if (typeof receipt !== 'string') throw new VerificationError('format', 'the certificate has no receipt');
  const computed = await recordCommitment(fromHex(salt), record);
  const verified = await verifyReceipt(receipt, trust);
  if (typeof commitment === 'string' && commitment.toLowerCase() !== computed) {
    fail(`the record does not hash to the certificate's commitment (computed ${computed}, certificate ${commitment})`);
  }
  if (verified.commitment !== computed) {
    fail(`the record does not hash to the receipt's commitment (computed ${computed}, receipt ${verified.commitment})`);
  }
  return { ...verified, record };
}

// ---- inputs ----

const PDF_MARKER = `{"format":"${CERTIFICATE_FORMAT}"`;

/** Finds the certificate JSON embedded in a certificate PDF (uncompressed, up to the following `endstream`). */
export function certificateFromPdf(bytes) {
  const text = new TextDecoder('latin1').decode(bytes);
  const start = text.indexOf(PDF_MARKER);
  if (start < 0) return null;
  const end = text.indexOf('endstream', start);
  return end < 0 ? null : text.substring(start, end).trim();
}

/** The compact receipt in a verify link (`…/verify#r=<receipt>`) or a bare receipt; null if there is none. */
export function receiptFromText(text) {
  const trimmed = text.trim();
  const hash = trimmed.indexOf('#');
  if (hash >= 0) {
    const params = new URLSearchParams(trimmed.substring(hash + 1));
    return params.get('r');
  }
  return /^[A-Za-z0-9_-]{60,}$/.test(trimmed) ? trimmed : null;
}

// ---- verdicts (contract section 8) ----

/** Today's date (UTC) as YYYY-MM-DD. */
export function today(now = new Date()) {
  return now.toISOString().substring(0, 10);
}

export function isoTime(unixSeconds) {
  return new Date(unixSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** The chaincode's revocation reason codes, in words. */
export const REVOCATION_REASONS = {
  issued_in_error: 'issued in error',
  fraud: 'fraud',
  withdrawn: 'withdrawn by the issuer',
  accreditation_withdrawn: "the training provider's accreditation was withdrawn",
  other: 'other reason',
};

/** The entry statuses the chaincode writes; any other answer is not understood. */
const KNOWN_STATUSES = ['active', 'revoked', 'superseded'];

/**
 * What is wrong with the node's answer to a status request, or null if it is an entry of this commitment with a known
 * status.
 */
function statusProblem(current, commitment) {
  if (current === null || typeof current !== 'object' || Array.isArray(current)) {
    return 'the node answered something that is not an entry';
  }
  if (!KNOWN_STATUSES.includes(current.status)) {
    return `the node answered an unknown status: ${JSON.stringify(current.status ?? null).substring(0, 40)}`;
  }
  try {
    ledgerEntryOf(current);
  } catch (e) {
    return `the node answered something that is not an entry (${e.message})`;
  }
  if (current.commitment != null && String(current.commitment).toLowerCase() !== commitment) {
    return 'the node answered with the entry of another commitment';
  }
  return null;
}

/**
 * The verdict for a verified receipt and what the node said about its status. Fails closed: only an answer that
 * names this commitment with status `active` leaves it VALID; an answer that cannot be had or understood while online
 * makes it UNKNOWN ("current status unknown"), never VALID. Only `offline` (the device has no network at all) gives
 * VALID_OFFLINE: valid as of the receipt's checkpoint, checked against the pinned keys, revocations since unseen.
 * EXPIRED, REVOKED, SUPERSEDED and NOT_FOUND stand whatever the status answer.
 * @param verified what verifyReceipt or verifyCertificate returned
 * @param status {kind: 'ok', entry} | {kind: 'not-found'} | {kind: 'offline', keysPinnedAt?} |
 *   {kind: 'unknown', message} (any other kind counts as unknown)
 * @returns {{verdict: string, reason: string, note: string|null}}
 */
export function verdictOf(verified, status, day = today()) {
  const entry = verified.entry;
  const checkpointTime = isoTime(verified.checkpoint.time);
  const expired = typeof entry.validUntil === 'string' && entry.validUntil < day;
  const until = entry.validUntil ? ` until ${entry.validUntil}` : '';
  const valid = expired
    ? { verdict: 'EXPIRED', reason: `Expired: the refresher was due by ${entry.validUntil}.`, note: null }
    : { verdict: 'VALID', reason: `Anchored in the consortium ledger and valid${until}.`, note: null };
  const unknown = (why) =>
    expired
      ? { ...valid, note: `current status unknown (${why})` }
      : {
          verdict: 'UNKNOWN',
          reason:
            `Current status unknown: the ledger could not be asked whether it was revoked (${why}). ` +
            'Do not accept it as valid until its status can be checked.',
          note: `The receipt itself verifies: anchored by ${entry.mspId ?? 'a consortium member'}, checkpoint of ${checkpointTime}.`,
        };
  if (status?.kind === 'ok') {
    const current = status.entry;
    const problem = statusProblem(current, verified.commitment);
    if (problem) return unknown(problem);
    if (current.status === 'revoked') {
      const code = current.revocationReason;
      const reason = code ? `${REVOCATION_REASONS[code] ?? code} (${code})` : 'no reason given';
      const when = current.revokedAt ? ` on ${String(current.revokedAt).replace(/\.\d+Z$/, 'Z')}` : '';
      return { verdict: 'REVOKED', reason: `Revoked${when}: ${reason}.`, note: null };
    }
    if (current.status === 'superseded') {
      const by = current.supersededBy ? ` by ${current.supersededBy}` : '';
      return { verdict: 'SUPERSEDED', reason: `Superseded${by}: a corrected version replaces it.`, note: null };
    }
    return valid;
  }
  if (status?.kind === 'not-found') {
    return {
      verdict: 'NOT_FOUND',
      reason: 'The ledger has no entry for this commitment, although the receipt is well signed.',
      note: null,
    };
  }
  if (status?.kind === 'offline') {
    const keys = status.keysPinnedAt ? ` (pinned ${status.keysPinnedAt})` : '';
    const note =
      `Checked offline against the pinned consortium keys${keys} and the receipt's checkpoint of ${checkpointTime}: ` +
      `revocations after ${checkpointTime} cannot be seen offline.`;
    if (expired) return { ...valid, note };
    return {
      verdict: 'VALID_OFFLINE',
      reason: `Valid as of ${checkpointTime}${until ? `, ${until.trim()}` : ''}; checked offline, without the current status.`,
      note,
    };
  }
  return unknown(status?.message ?? 'no answer');
}
