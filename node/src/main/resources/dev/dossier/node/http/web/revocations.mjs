// The signed offline revocation list (docs/card.md, Java: common/.../revocation/RevocationList): read and checked
// against the pinned trust file (a node key must have signed it, as receipt.mjs checks checkpoints), merged with
// deltas, kept in IndexedDB, and applied to a card checked offline. Checked against the golden vectors of
// common/src/test/resources/vectors/revocations-v1.json.
import { base64Encode, parseSignedNote, sha256, toHex, verifyNote } from './receipt.mjs';

export const FORMAT = 'dossier/revocations/v1';
export const PREFIX_BYTES = 8;
const MAX_NOTE_BYTES = 16 << 10;
const FIELDS = ['origin', 'version', 'since', 'height', 'time', 'prefix', 'revoked', 'superseded', 'entries'];
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A list that is malformed; `refused` when it is not signed by a pinned node key, altered, or of another log. */
export class RevocationListError extends Error {
  constructor(message, refused = false) {
    super(message);
    this.name = 'RevocationListError';
    this.refused = refused;
  }
}

function fail(message, refused = false) {
  throw new RevocationListError(message, refused);
}

function number(value, field) {
  if (!/^(0|[1-9][0-9]{0,14})$/.test(value)) fail(`${field} is not a number in canonical decimal: ${value}`);
  return Number(value);
}

/** The header lines of a note's text: {origin, version, since, height, time, revoked, superseded, entries}. */
function parseHeader(text) {
  const lines = text.split('\n');
  if (lines.length !== FIELDS.length + 2 || lines[0] !== FORMAT || lines[lines.length - 1] !== '') {
    fail(`the header is not a ${FORMAT} header of ${FIELDS.length + 1} lines (a newer format?)`);
  }
  const values = {};
  FIELDS.forEach((field, i) => {
    const line = lines[i + 1];
    if (!line.startsWith(`${field} `)) fail(`header line ${i + 2} is not '${field} ...'`);
    values[field] = line.substring(field.length + 1);
  });
  const header = { origin: values.origin, entries: values.entries };
  for (const field of ['version', 'since', 'height', 'time', 'prefix', 'revoked', 'superseded']) {
    header[field] = number(values[field], field);
  }
  if (header.prefix !== PREFIX_BYTES) fail(`prefix length ${header.prefix} is not ${PREFIX_BYTES}`);
  if (header.origin.trim() === '') fail('the header names no origin');
  if (header.since > header.version) fail(`since ${header.since} is beyond version ${header.version}`);
  return header;
}

function section(entries, start, count, name) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const at = (start + i) * PREFIX_BYTES;
    const prefix = toHex(entries.subarray(at, at + PREFIX_BYTES));
    if (out.length > 0 && out[out.length - 1] >= prefix) {
      fail(`malformed revocation list: the ${name} entries are not sorted ascending without repeats at entry ${i}`);
    }
    out.push(prefix);
  }
  return out;
}

/**
 * Reads a list or delta as a node sends it (GET /v1/revocations), accepting it only if a node key of the pinned trust
 * file signed it and it names the trust file's origin.
 * @param {Uint8Array} bytes the answer's body
 * @param trust the pinned trust file (receipt.mjs parseTrustFile)
 * @returns {Promise<{origin, version, since, height, time, revoked: string[], superseded: string[]}>} prefixes as
 *   16 lowercase hex digits, sorted
 * @throws RevocationListError saying why it is refused
 */
export async function readRevocationList(bytes, trust) {
  if (bytes.length < 4) fail("a revocation list starts with its header's 4-byte length");
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  if (length === 0 || length > MAX_NOTE_BYTES || length > bytes.length - 4) {
    fail(`the revocation list's header length ${length} is not between 1 and ${Math.min(MAX_NOTE_BYTES, bytes.length - 4)}`);
  }
  let noteText;
  try {
    noteText = strictUtf8.decode(bytes.subarray(4, 4 + length));
  } catch (e) {
    fail("the revocation list's header is not UTF-8");
  }
  let note;
  try {
    note = parseSignedNote(noteText);
  } catch (e) {
    fail(`the revocation list's header is not a signed note: ${e.message}`);
  }
  let signers;
  try {
    // one node suffices: each node builds the list from its own copy of the blocks
    signers = await verifyNote(note, { ...trust, cosigners: 1 });
  } catch (e) {
    fail(`revocation list refused, it is not signed by a node of the trust file: ${e.message}`, true);
  }
  const header = parseHeader(note.text);
  const entries = bytes.subarray(4 + length);
  if (entries.length % PREFIX_BYTES !== 0 || entries.length / PREFIX_BYTES !== header.revoked + header.superseded) {
    fail(
      `the list holds ${entries.length} entry bytes, the header says ${header.revoked} revoked and ${header.superseded} superseded of ${PREFIX_BYTES} bytes`,
    );
  }
  if (base64Encode(await sha256(entries)) !== header.entries) {
    fail("revocation list refused: the entries do not match the signed header's SHA-256 (altered)", true);
  }
  if (header.origin !== trust.origin) {
    fail(`revocation list refused: it is of log ${header.origin}, the trust file's is ${trust.origin} (signed by ${signers.join(', ')})`, true);
  }
  return {
    origin: header.origin,
    version: header.version,
    since: header.since,
    height: header.height,
    time: header.time,
    revoked: section(entries, 0, header.revoked, 'revoked'),
    superseded: section(entries, header.revoked, header.superseded, 'superseded'),
  };
}

function union(a, b) {
  const out = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j === b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (out.length === 0 || out[out.length - 1] !== next) out.push(next);
  }
  return out;
}

/** The list brought up to date with a delta that follows it (as RevocationList.applying); throws if it does not. */
export function applyDelta(list, delta) {
  if (delta.origin !== list.origin) fail(`the delta is of log ${delta.origin}, the list of ${list.origin}: not applied`);
  if (delta.since !== list.version) {
    fail(`the delta follows version ${delta.since}, but the list is at version ${list.version}: not applied; fetch the full list`);
  }
  return {
    origin: list.origin,
    version: delta.version,
    since: 0,
    height: delta.height,
    time: delta.time,
    revoked: union(list.revoked, delta.revoked),
    superseded: union(list.superseded, delta.superseded),
  };
}

function contains(sorted, prefix) {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] === prefix) return true;
    if (sorted[middle] < prefix) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/** @returns 'REVOKED', 'SUPERSEDED' or null for a commitment or card digest (64 hex digits) */
export function statusOf(list, commitmentHex) {
  const prefix = commitmentHex.toLowerCase().substring(0, 2 * PREFIX_BYTES);
  if (contains(list.revoked, prefix)) return 'REVOKED';
  return contains(list.superseded, prefix) ? 'SUPERSEDED' : null;
}

function isoSeconds(seconds) {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** The list's age in words, as CardRevocations says it. */
export function listAge(list) {
  return `revocation list of ledger height ${list.height} (${isoSeconds(list.time)}, version ${list.version})`;
}

/**
 * Adds the list to an offline check of a genuine card (card.mjs verifyCard), as CardRevocations.apply: the card's
 * digest or its record on the list gives REVOKED or SUPERSEDED; otherwise the verdict stays and the reason says the
 * list's age. A check that is not genuine is returned unchanged.
 */
export function withRevocations(offline, list) {
  if (!offline.card) return offline;
  const age = listAge(list);
  for (const [what, commitment] of [['the card', offline.digest], ['the record', offline.card.commitment]]) {
    const status = statusOf(list, commitment);
    if (status !== null) {
      return { ...offline, verdict: status, reason: `${what} is ${status.toLowerCase()} on the ${age}` };
    }
  }
  return { ...offline, reason: `${offline.reason}; not on the ${age}` };
}

// ---- kept on the device (IndexedDB), synced from the node: full, then deltas ----

const DB_NAME = 'dossier-verify';
const STORE = 'revocations';

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function transaction(mode, action) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = action(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** @returns the list kept for `origin` ({...list, syncedAt}), or null (none, or storage unavailable) */
export async function keptList(origin) {
  try {
    return (await transaction('readonly', (store) => store.get(origin))) ?? null;
  } catch (e) {
    return null;
  }
}

async function keep(list) {
  try {
    await transaction('readwrite', (store) => store.put(list, list.origin));
    return true;
  } catch (e) {
    return false; // storage full or disabled: kept for this visit only
  }
}

async function fetchList(since) {
  const response = await fetch(`/v1/revocations${since ? `?since=${since}` : ''}`, { cache: 'no-store', redirect: 'error' });
  if (!response.ok) throw new RevocationListError(`the node answered HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * Brings the kept list up to date from the node: the delta since its version, or the full list the first time (or
 * when the kept one cannot take the delta). A list the trust file does not accept is refused and never kept.
 * @returns {Promise<{state: 'synced' | 'failed' | 'refused', list, message?}>} list: the list now in use, or null
 */
export async function syncRevocations(trust) {
  const kept = await keptList(trust.origin);
  let list;
  try {
    if (kept) {
      try {
        list = applyDelta(kept, await readRevocationList(await fetchList(kept.version), trust));
      } catch (e) {
        if (!(e instanceof RevocationListError) || e.refused) throw e;
        list = await readRevocationList(await fetchList(0), trust);
      }
    } else {
      list = await readRevocationList(await fetchList(0), trust);
    }
  } catch (e) {
    const refused = e instanceof RevocationListError && e.refused;
    return { state: refused ? 'refused' : 'failed', list: kept, message: e.message };
  }
  list = { ...list, syncedAt: new Date().toISOString() };
  list.stored = await keep(list);
  return { state: 'synced', list };
}
