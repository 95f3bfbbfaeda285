// The verify page's user interface: inputs (URL fragment, QR camera scan, file, pasted link), the consortium keys
// (pinned on first use, kept for offline use), the status request, and the verdict. The checks themselves are in
// receipt.mjs, card.mjs, worker-card.mjs and, for Open Badges credentials, credential.mjs.
import {
  CERTIFICATE_FORMAT,
  VerificationError,
  base64Decode,
  certificateFromPdf,
  isoTime,
  parseTrustFile,
  receiptFromText,
  sha256,
  toHex,
  verdictOf,
  verifyCertificate,
  verifyReceipt,
  witnessCheckpoint,
} from './receipt.mjs';
import { PREFIX as CARD_PREFIX, cardFromPdf, parseCardKeys, verifyCard, withLedger } from './card.mjs';
import { keptList, listAge, statusOf, syncRevocations, withRevocations } from './revocations.mjs';
import {
  CredentialError,
  NodeError,
  bundledLoader,
  checkCredential,
  dated,
  isCredential,
  issuerKeys,
  revokedOnList,
  withLedger as credentialWithLedger,
} from './credential.mjs';
import { WORKER_PREFIX, renderModules, verifyWorkerCard, workerWithLedger, workerWithRevocations } from './worker-card.mjs';

const $ = (id) => document.getElementById(id);
const TRUST_STORE = 'dossier.trust.v1';
const STATUS_TIMEOUT_MS = 8000;

const VERDICTS = {
  VALID: { icon: '✓', label: 'VALID' },
  VALID_OFFLINE: { icon: '✓', label: 'VALID · CHECKED OFFLINE' },
  UNKNOWN: { icon: '?', label: 'STATUS UNKNOWN' },
  EXPIRED: { icon: '!', label: 'EXPIRED' },
  REVOKED: { icon: '✕', label: 'REVOKED' },
  SUPERSEDED: { icon: '↻', label: 'SUPERSEDED' },
  NOT_FOUND: { icon: '?', label: 'NOT FOUND' },
  TAMPERED: { icon: '✕', label: 'TAMPERED' },
  UNKNOWN_SIGNER: { icon: '✕', label: 'UNKNOWN SIGNER' },
  SPLIT_VIEW: { icon: '✕', label: 'SPLIT VIEW' },
  UNVERIFIED: { icon: '?', label: 'CANNOT VERIFY' },
};

// ---- consortium keys ----
//
// Trust on first use, then pinned: the first trust file this device accepts is stored (TRUST_STORE) and every
// receipt is verified against it. A node serving another trust file changes nothing by itself: the page shows the old
// and the new keys and verifies against the pinned ones until the user explicitly trusts the new ones.

let trustPromise = null;
let trustFresh = false;
let trustPending = false;
/** The pinned copy in use: {text, savedAt (pinned), checkedAt (last served unchanged by a node)}. */
let pinned = null;
/** While a node serves a trust file other than the pinned one: {text, trust (null if it does not parse), problem}. */
let offered = null;

function readStoredTrust() {
  try {
    const stored = JSON.parse(localStorage.getItem(TRUST_STORE) ?? 'null');
    return typeof stored?.text === 'string' ? stored : null;
  } catch (e) {
    return null;
  }
}

function storeTrust({ text, savedAt, checkedAt }) {
  try {
    localStorage.setItem(TRUST_STORE, JSON.stringify({ text, savedAt, checkedAt }));
    return true;
  } catch (e) {
    return false; // storage full or disabled: pinned for this visit only
  }
}

/**
 * The trust file's meaning, without comments, blank lines or spacing: two files that parse alike compare equal. Every
 * other line is kept, earlier key sets too (the runs of spaces between their fields made single).
 */
function trustContent(text) {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => (line.startsWith('earlier ') ? line.split(/ +/).join(' ') : line))
    .join('\n');
}

/** The node's trust file: {text, cachedAt} (cachedAt set when the service worker answered from its cache), or null. */
async function servedTrust() {
  try {
    const response = await fetch('/v1/keys', { cache: 'no-store', redirect: 'error' });
    if (!response.ok) return null;
    return { text: await response.text(), cachedAt: response.headers.get('X-Dossier-Cached-At') };
  } catch (e) {
    return null;
  }
}

async function fetchTrust() {
  const served = await servedTrust();
  trustFresh = served !== null && !served.cachedAt;
  pinned = readStoredTrust();
  if (pinned === null) {
    if (served === null) {
      throw new Error('the consortium keys cannot be loaded: this device is offline and has never loaded them');
    }
    const trust = await parseTrustFile(served.text);
    const now = new Date().toISOString();
    pinned = { text: served.text, savedAt: served.cachedAt ?? now, checkedAt: trustFresh ? now : null };
    pinned.stored = storeTrust(pinned);
    offered = null;
    showTrust(trust, 'pinned-now');
    return trust;
  }
  let trust;
  try {
    trust = await parseTrustFile(pinned.text);
  } catch (e) {
    throw new Error(`the consortium keys saved on this device are damaged (${e.message}); clear this site's data`);
  }
  if (served !== null && trustContent(served.text) !== trustContent(pinned.text)) {
    offered = { text: served.text, trust: null, problem: null };
    try {
      offered.trust = await parseTrustFile(served.text);
    } catch (e) {
      offered.problem = e.message;
    }
    await showTrustChange(trust);
    showTrust(trust, 'changed');
  } else {
    offered = null;
    $('trust-change').hidden = true;
    if (trustFresh) {
      pinned.checkedAt = new Date().toISOString();
      storeTrust(pinned);
    }
    showTrust(trust, trustFresh ? 'confirmed' : 'offline');
  }
  return trust;
}

function showTrust(trust, state) {
  const names = trust.keys.map((k) => k.name).join(', ');
  const since = `pinned on this device ${pinned.savedAt}`;
  const states = {
    'pinned-now': pinned.stored === false
      ? 'Accepted for this visit only: this browser does not keep them.'
      : 'Pinned on this device now: a later change of keys will need your decision.',
    confirmed: `Up to date: ${since}, served unchanged by this node.`,
    offline: `Saved copy, ${since}; last confirmed by a node ${pinned.checkedAt ?? pinned.savedAt}.`,
    changed: `Still using the keys ${since}: this node serves different keys (see above).`,
  };
  const status = $('keys-status');
  status.dataset.state = state;
  status.textContent =
    `Consortium keys (${trust.origin}): ${names}; ${trust.cosigners} signature(s) required${earlierSummary(trust)}. ` +
    states[state];
}

/** `; 2 earlier key sets (checkpoints of at most 1200 and 5000 leaves)`, or '' if the trust file has none. */
function earlierSummary(trust) {
  const sizes = trust.earlier.map((set) => set.maxSize);
  if (sizes.length === 0) return '';
  const listed = sizes.length === 1 ? `${sizes[0]}` : `${sizes.slice(0, -1).join(', ')} and ${sizes.at(-1)}`;
  const sets = sizes.length === 1 ? '1 earlier key set' : `${sizes.length} earlier key sets`;
  return `; ${sets} (checkpoints of at most ${listed} leaves)`;
}

/** Whether two earlier key sets are the same: the same max size, cosigners and keys. */
function sameKeySet(a, b) {
  return (
    a.maxSize === b.maxSize &&
    a.cosigners === b.cosigners &&
    a.keys.length === b.keys.length &&
    a.keys.every((key) => b.keys.some((k) => k.vkey === key.vkey))
  );
}

/**
 * `name · key ID · SHA-256 fingerprint` of each verifier key, the origin and cosigners, then each earlier key set (its
 * keys' names and key IDs), with whether the other trust file has the same.
 */
async function keyRows(trust, other) {
  const rows = [];
  for (const key of trust.keys) {
    const spki = base64Decode(key.vkey.substring(key.vkey.indexOf('+', key.vkey.indexOf('+') + 1) + 1)).slice(1);
    const fingerprint = toHex(await sha256(spki)).match(/.{4}/g).join(' ');
    const keyId = key.keyId.toString(16).padStart(8, '0');
    const shared = other?.keys.some((k) => k.vkey === key.vkey) ?? false;
    rows.push({ text: `${key.name} · key ID ${keyId} · SHA-256 ${fingerprint}`, shared });
  }
  rows.push({ text: `origin ${trust.origin}; ${trust.cosigners} signature(s) required`, shared: other?.origin === trust.origin && other?.cosigners === trust.cosigners });
  for (const set of trust.earlier) {
    const keys = set.keys.map((k) => `${k.name} (${k.keyId.toString(16).padStart(8, '0')})`).join(', ');
    const covers = `earlier key set, checkpoints of at most ${set.maxSize} leaves`;
    rows.push({
      text: `${covers}: ${keys}; ${set.cosigners} signature(s) required`,
      shared: other?.earlier.some((o) => sameKeySet(o, set)) ?? false,
    });
  }
  return rows;
}

function fillKeys(list, rows, mark) {
  list.replaceChildren();
  for (const row of rows) {
    const item = document.createElement('li');
    item.textContent = row.shared ? row.text : `${mark} ${row.text}`;
    if (!row.shared) item.className = mark === '+' ? 'added' : 'removed';
    list.append(item);
  }
}

async function showTrustChange(trust) {
  $('trust-pinned-at').textContent = pinned.savedAt;
  fillKeys($('trust-old'), await keyRows(trust, offered.trust), '−');
  if (offered.trust) {
    fillKeys($('trust-new'), await keyRows(offered.trust, trust), '+');
  } else {
    $('trust-new').replaceChildren();
  }
  $('trust-problem').hidden = !offered.problem;
  $('trust-problem').textContent = offered.problem ? `The keys this node serves cannot be used: ${offered.problem}.` : '';
  $('trust-accept').hidden = !offered.trust;
  $('trust-change').hidden = false;
}

/** The user chose to trust the keys the node now serves: they become the pinned ones. */
function acceptOfferedTrust() {
  if (!offered?.trust) return;
  const now = new Date().toISOString();
  pinned = { text: offered.text, savedAt: now, checkedAt: now };
  pinned.stored = storeTrust(pinned);
  offered = null;
  $('trust-change').hidden = true;
  trustPromise = null;
  getTrust()
    .then(() => lastInput && verify(lastInput))
    .catch((e) => {
      $('keys-status').textContent = `Consortium keys: ${e.message}.`;
    });
}

/** The consortium keys: loaded once, and again while only a saved copy was had and the network is back. */
function getTrust() {
  if (trustPromise === null || (!trustPending && !trustFresh && navigator.onLine)) {
    trustPending = true;
    trustPromise = fetchTrust()
      .catch((e) => {
        trustPromise = null;
        throw e;
      })
      .finally(() => {
        trustPending = false;
      });
  }
  return trustPromise;
}

// ---- the node's current status of an entry ----

/**
 * What the node says about an entry now. Fails closed: only a device with no network at all is `offline`; an error,
 * a timeout, a redirect or an answer that is not JSON, while online, is `unknown`, which never shows VALID.
 * @returns {Promise<{kind: 'ok', entry} | {kind: 'not-found'} | {kind: 'offline', keysPinnedAt} |
 *   {kind: 'unknown', message}>}
 */
async function fetchStatus(commitment) {
  const offline = () => ({ kind: 'offline', keysPinnedAt: pinned?.savedAt ?? null });
  if (navigator.onLine === false) return offline();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), STATUS_TIMEOUT_MS);
  let text;
  try {
    const response = await fetch(`/v1/status/${commitment}`, {
      cache: 'no-store',
      redirect: 'error',
      signal: abort.signal,
    });
    if (response.status === 404) return { kind: 'not-found' };
    if (!response.ok) return { kind: 'unknown', message: `the node answered HTTP ${response.status}` };
    text = await response.text();
  } catch (e) {
    if (navigator.onLine === false) return offline();
    const message = abort.signal.aborted
      ? `no answer within ${STATUS_TIMEOUT_MS / 1000} s`
      : 'the request failed: network error or blocked';
    return { kind: 'unknown', message };
  } finally {
    clearTimeout(timer);
  }
  try {
    return { kind: 'ok', entry: JSON.parse(text) };
  } catch (e) {
    return { kind: 'unknown', message: "the node's answer is not JSON" };
  }
}

// ---- the latest checkpoint accepted (split views) ----

const memoryStore = new Map();
const fallbackStorage = {
  getItem: (key) => memoryStore.get(key) ?? null,
  setItem: (key, value) => memoryStore.set(key, value),
};

function checkpointStorage() {
  try {
    return globalThis.localStorage ?? fallbackStorage;
  } catch (e) {
    return fallbackStorage; // storage denied: remember for this page only
  }
}

async function fetchConsistencyProof(from, to) {
  if (navigator.onLine === false) throw new Error('offline');
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), STATUS_TIMEOUT_MS);
  try {
    const response = await fetch(`/v1/log/consistency?from=${from}&to=${to}`, { cache: 'no-store', signal: abort.signal });
    if (!response.ok) throw new Error(`consistency proof request failed: HTTP ${response.status}`);
    const body = await response.json();
    if (!Array.isArray(body?.proof) || body.proof.length > 126) throw new Error('malformed consistency proof');
    return body.proof.map((hash) => base64Decode(String(hash)));
  } finally {
    clearTimeout(timer);
  }
}

// ---- rendering ----

function fill(dl, rows) {
  dl.replaceChildren();
  for (const [label, value] of rows) {
    if (value === undefined || value === null || value === '') continue;
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = value;
    dl.append(dt, dd);
  }
  return dl.childElementCount > 0;
}

function withLocal(iso) {
  if (!iso) return iso;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${iso} (${date.toLocaleString()})`;
}

function recordRows(record) {
  const subject = record.subject ?? {};
  const course = record.course ?? {};
  const person = [subject.given_name, subject.family_name].filter(Boolean).join(' ');
  return [
    ['Worker', person],
    ['Fiscal code', subject.fiscal_code],
    ['Course', course.title && (course.code ? `${course.title} (${course.code})` : course.title)],
    ['Safety module', record.safety_module],
    ['Training provider', record.provider?.name],
    ['Employer', record.employer?.name],
    ['Issued', record.issue_date],
    ['Valid until', record.valid_until],
    ['Record', record.record_id && `${record.record_id}, version ${record.version ?? 1}`],
  ];
}

/** The facts of a genuine card, large, for the inspector to compare with the worker's identity document. */
function showCardFacts(card, modules) {
  $('card').hidden = !card;
  renderModules($('card-modules'), card ? modules : []);
  if (!card) return;
  $('card-name').textContent = `${card.givenName} ${card.familyName}`;
  if (card.modules) {
    // a worker's safety card: the worker, then each module with its status
    fill($('card-facts'), [
      ['Born', card.birthDate],
      ['Signed by', `${card.issuer}, ${new Date(card.issuedAt * 1000).toISOString().substring(0, 10)}`],
    ]);
    return;
  }
  fill($('card-facts'), [
    ['Born', card.birthDate],
    ['Course', card.courseCode ? `${card.courseTitle} (${card.courseCode})` : card.courseTitle],
    ['Safety module', card.safetyModule],
    ['Valid until', card.validUntil ?? 'no expiry'],
    ['Training provider', card.provider],
    ['Issued', `${card.issueDate} by ${card.issuer}`],
  ]);
}

function show({
  verdict,
  reason,
  detail = null,
  note = null,
  verified = null,
  status = null,
  witness = null,
  source = '',
  card = null,
  cardDigest = null,
  modules = [],
  credential = null,
}) {
  const result = $('result');
  showCardFacts(card, modules);
  const look = VERDICTS[verdict];
  result.dataset.verdict = verdict;
  result.querySelector('.icon').textContent = look.icon;
  result.querySelector('.word').textContent = look.label;
  $('reason').textContent = reason;
  $('detail').textContent = detail ?? '';
  $('detail').hidden = !detail;
  const keysNote = offered && verdict !== 'UNVERIFIED' ? 'Checked against the pinned consortium keys, not the different ones this node serves (see above).' : null;
  const notes = [note, keysNote].filter(Boolean).join(' ');
  $('note').textContent = notes;
  $('note').hidden = !notes;

  const entry = verified?.entry;
  const trusted = verified && verdict !== 'TAMPERED';
  $('record-title').textContent = credential ? 'Credential' : 'Certificate';
  const recordFacts = credential ? credential.rows : trusted && verified.record ? recordRows(verified.record) : null;
  $('record').hidden = !(recordFacts && fill($('record-facts'), recordFacts));
  const current = status?.kind === 'ok' ? status.entry : null;
  $('facts-section').hidden = !(
    trusted &&
    fill($('facts'), [
      ['Issuer organisation', entry.mspId],
      ['Issued by', entry.issuerId],
      ['Anchored at', withLocal(entry.anchoredAt)],
      ['Valid until', entry.validUntil ?? 'no expiry'],
      ['Kind', entry.kind],
      ['Status at the node', current?.status],
      ['Checkpoint time', withLocal(isoTime(verified.checkpoint.time))],
      ['Checkpoint signed by', verified.signers.join(', ')],
    ])
  );
  $('technical').hidden = !fill($('technical-facts'), [
    ['Source', source],
    ['Commitment', verified?.commitment ?? card?.commitment],
    ['Card digest', cardDigest],
    ['Credential digest', credential?.digest],
    ['Proof', credential?.proof],
    ['Log', verified && `${verified.checkpoint.origin}, leaf ${verified.leafIndex} of ${verified.treeSize}`],
    ['Checkpoint check', witness?.detail],
  ]);
  result.hidden = false;
  $('message').hidden = true;
  $('announce').textContent = `Result: ${look.label}. ${reason}`;
  $('start-title').textContent = 'Check another certificate';
  result.focus();
  result.scrollIntoView({ block: 'start' });
}

function message(text) {
  $('message').textContent = text;
  $('message').hidden = false;
}

function busy(text) {
  const result = $('result');
  result.dataset.verdict = 'PENDING';
  result.querySelector('.icon').textContent = '…';
  result.querySelector('.word').textContent = 'Checking';
  $('reason').textContent = text;
  for (const id of ['card', 'detail', 'note', 'record', 'facts-section', 'technical']) $(id).hidden = true;
  result.hidden = false;
}

// ---- verification ----

/**
 * Verifies one input: {receipt, source} (a compact receipt), {certificate, source} (a parsed certificate) or
 * {receiptJson, source} (GET /v1/receipts).
 */
let lastInput = null;

/** No keys to verify with: this device has never been online, or its saved keys are damaged. */
function showUnverified(error, source) {
  show({
    verdict: 'UNVERIFIED',
    reason: 'Cannot verify here and now. Connect to the network once and try again.',
    detail: `${error.message}.`,
    source,
  });
}

async function verify(input) {
  if (input.card !== undefined) {
    await verifyCardText(input);
    return;
  }
  if (input.credential !== undefined) {
    await verifyCredentialText(input);
    return;
  }
  lastInput = input;
  busy('Checking the signatures and the proof…');
  let trust;
  try {
    trust = await getTrust();
  } catch (e) {
    showUnverified(e, input.source);
    return;
  }
  let verified;
  try {
    if (input.certificate) {
      verified = await verifyCertificate(input.certificate, trust);
    } else {
      const text = input.receipt ?? input.receiptJson?.receipt;
      if (typeof text !== 'string') throw new VerificationError('format', 'there is no receipt');
      verified = await verifyReceipt(text, trust);
      const claimed = input.receiptJson?.commitment;
      if (typeof claimed === 'string' && claimed.toLowerCase() !== verified.commitment) {
        throw new VerificationError('commitment', `the receipt is for ${verified.commitment}, not ${claimed}`);
      }
    }
  } catch (e) {
    const check = e instanceof VerificationError ? e.check : 'format';
    show({
      verdict: 'TAMPERED',
      reason: 'Do not accept: this certificate was altered or is not genuine.',
      detail: `Failed check: ${check}. ${e.message.charAt(0).toUpperCase()}${e.message.substring(1)}.`,
      source: input.source,
    });
    return;
  }
  busy('Comparing the checkpoint with the one seen before…');
  let witness;
  try {
    witness = await witnessCheckpoint(checkpointStorage(), verified, fetchConsistencyProof);
  } catch (e) {
    if (!(e instanceof VerificationError) || e.check !== 'split-view') throw e;
    show({
      verdict: 'SPLIT_VIEW',
      reason: 'Do not accept: the consortium ledger showed this device two different histories (a split view).',
      detail: `${e.message.charAt(0).toUpperCase()}${e.message.substring(1)}.`,
      source: input.source,
    });
    return;
  }
  busy('Asking the ledger whether it was revoked…');
  const status = await fetchStatus(verified.commitment);
  show({ ...verdictOf(verified, status), verified, status, witness, source: input.source });
}

/** @returns a duration since an ISO time, in words: "today", "1 day ago", "12 days ago" */
function ageOf(iso) {
  const days = Math.floor((Date.now() - new Date(iso).getTime()) / 86400000);
  if (!(days >= 0)) return `on ${iso}`;
  return days === 0 ? 'today' : days === 1 ? '1 day ago' : `${days} days ago`;
}

/** The pinned trust file's card keys, imported for WebCrypto once per trust file text. */
let cardKeysCache = null;

function cardKeysOf(text) {
  if (cardKeysCache?.text !== text) {
    const keys = parseCardKeys(text);
    cardKeysCache = { text, keys };
    keys.catch(() => {
      if (cardKeysCache?.keys === keys) cardKeysCache = null;
    });
  }
  return cardKeysCache.keys;
}

/**
 * Performance marks of a card's check (`dossier:card-*`), each measured from the decoded text (`dossier:card-decoded`):
 * `dossier:card keys`, `dossier:card signature`, `dossier:card status` and, in all, `dossier:card verdict` (shown
 * online). The browser test reads them (docs/benchmarks.md).
 */
function cardMark(step) {
  if (step === 'decoded') {
    performance.clearMarks();
    performance.clearMeasures();
  }
  performance.mark(`dossier:card-${step}`);
  if (step !== 'decoded') performance.measure(`dossier:card ${step}`, 'dossier:card-decoded', `dossier:card-${step}`);
}

const CARD_TAMPERED = 'Do not accept: this card was altered or is not genuine. Ask for the worker\'s identity document and the issuer.';

/**
 * Verifies an inspector's card ({card: 'DC1:...', source}): offline from its signature and the pinned trust file's
 * card keys (card.mjs), then, online, from the ledger's entries of the card and of its record. Only a genuine card
 * shows its facts. Fails closed as receipts do: a status request failing while online never shows VALID.
 */
async function verifyCardText(input) {
  cardMark('decoded'); // verify() calls this at once: the text was decoded (QR code, picture, PDF, paste) just now
  lastInput = input;
  busy('Checking the card’s signature…');
  let cardKeys;
  try {
    await getTrust();
    cardKeys = await cardKeysOf(pinned.text);
  } catch (e) {
    showUnverified(e, input.source);
    return;
  }
  cardMark('keys');
  const worker = input.card.startsWith(WORKER_PREFIX);
  const today = new Date().toISOString().substring(0, 10);
  const offline = worker ? await verifyWorkerCard(input.card, cardKeys, today) : await verifyCard(input.card, cardKeys, today);
  cardMark('signature');
  const keysAge = `the consortium keys saved on this device ${ageOf(pinned?.checkedAt ?? pinned?.savedAt)}`;
  if (!offline.card) {
    show({
      verdict: offline.verdict,
      reason: offline.verdict === 'TAMPERED' ? CARD_TAMPERED : 'Do not accept: no organisation of the consortium signed this card with a key it lists.',
      detail: `${offline.reason.charAt(0).toUpperCase()}${offline.reason.substring(1)}.`,
      source: input.source,
      cardDigest: offline.digest,
    });
    return;
  }
  busy('Asking the ledger whether the card was revoked…');
  // a worker's card: each module's entry, found by its commitment prefix; a record's card: the card's and the record's
  const asked = worker ? offline.card.modules.map((m) => m.commitmentPrefix) : [offline.digest, offline.card.commitment];
  const statuses = await Promise.all(asked.map(fetchStatus));
  cardMark('status');
  const base = { card: offline.card, cardDigest: offline.digest, source: input.source, modules: offline.modules };
  const compare = 'Compare the name and birth date with the worker\'s identity document.';
  if (statuses.some((s) => s.kind === 'unknown')) {
    const failed = statuses.find((s) => s.kind === 'unknown');
    show({
      ...base,
      verdict: 'UNKNOWN',
      reason: `Current status unknown: the card is genuine, but the ledger could not be asked whether it was revoked (${failed.message}).`,
      note: compare,
    });
    return;
  }
  if (statuses.some((s) => s.kind === 'offline')) {
    // the revocation list synced on an earlier visit: a card revoked before that sync is REVOKED offline too
    const list = await revocationList();
    const checked = !list
      ? offline
      : worker
        ? workerWithRevocations(offline, (prefix) => statusOf(list, prefix), listAge(list))
        : withRevocations(offline, list);
    const seen = list
      ? `the ${listAge(list)}, synced ${ageOf(list.syncedAt)}: a revocation after that cannot be seen offline`
      : 'no revocation list on this device yet, so a revocation cannot be seen offline';
    show({
      ...base,
      modules: checked.modules,
      verdict: checked.verdict === 'VALID' ? 'VALID_OFFLINE' : checked.verdict,
      reason: `${checked.reason.charAt(0).toUpperCase()}${checked.reason.substring(1)}.`,
      note: `${compare} Checked offline, with ${keysAge} and ${seen}; the ledger was not asked.`,
    });
    return;
  }
  const entry = (s) => (s.kind === 'ok' ? s.entry : null);
  const online = worker ? workerWithLedger(offline, statuses.map(entry)) : withLedger(offline, ...statuses.map(entry));
  show({
    ...base,
    modules: online.modules,
    verdict: online.verdict,
    reason: `${online.reason.charAt(0).toUpperCase()}${online.reason.substring(1)}.`,
    note: `${compare} Signature checked with ${keysAge}; status from the ledger now.`,
  });
  cardMark('verdict');
}

// ---- Open Badges credentials (credential.mjs) ----

/** Loads a classic script once and returns the global it defines. */
function loadScript(src, name) {
  if (globalThis[name]) return Promise.resolve(globalThis[name]);
  scriptsLoading[src] ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve(globalThis[name]);
    script.onerror = () => {
      delete scriptsLoading[src];
      reject(new Error(`${src} could not be loaded`));
    };
    document.head.append(script);
  });
  return scriptsLoading[src];
}

const scriptsLoading = {};

/** jsonld.js and the bundled contexts (this node's copies, or the service worker's when offline). */
let credentialLibrary = null;

function loadCredentialLibrary() {
  credentialLibrary ??= loadScript('/verify/jsonld.min.js', 'jsonld')
    .then((jsonld) => ({
      jsonld,
      documentLoader: bundledLoader(async (file) => {
        const response = await fetch(`/verify/contexts/${file}`);
        if (!response.ok) throw new Error(`the bundled context ${file} cannot be loaded (HTTP ${response.status})`);
        return response.json();
      }),
    }))
    .catch((e) => {
      credentialLibrary = null;
      throw e;
    });
  return credentialLibrary;
}

/** A JSON document this node serves (a controller document, a status list); null on 404. @throws NodeError */
async function nodeDocument(path) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), STATUS_TIMEOUT_MS);
  try {
    const response = await fetch(path, { redirect: 'error', signal: abort.signal });
    if (response.status === 404) return null;
    if (!response.ok) throw new NodeError(`the node answered HTTP ${response.status} for ${path}`);
    return await response.text();
  } catch (e) {
    if (e instanceof NodeError) throw e;
    throw new NodeError(navigator.onLine === false ? `${path} is not on this device and it is offline` : `no answer from the node for ${path}`);
  } finally {
    clearTimeout(timer);
  }
}

function sentence(text) {
  return `${text.charAt(0).toUpperCase()}${text.substring(1)}.`;
}

/** What a verified credential shows: its name, the learner's name, the issuer, the validity. */
function credentialRows(checked) {
  const credential = checked.credential;
  const identifiers = Array.isArray(credential.credentialSubject?.identifier) ? credential.credentialSubject.identifier : [];
  const plain = (type) => identifiers.find((i) => i?.identityType === type && i.hashed === false)?.identityHash;
  const achievement = credential.credentialSubject?.achievement;
  return [
    ['Credential', credential.name ?? achievement?.name],
    ['Learner', plain('name')],
    ['Born', plain('ext:birthDate')],
    ['Achievement', achievement?.name && achievement.name !== credential.name ? achievement.name : null],
    ['Issuer', checked.issuer],
    ['Valid', `${checked.validFrom?.text ?? '-'} to ${checked.validUntil?.text ?? 'no end'}`],
  ];
}

/**
 * Verifies an Open Badges 3.0 credential ({credential: JSON text, source}) as `dossier verify credential.json` does:
 * its proof on this device (jsonld.js, bundled contexts), the issuer's key from this node's controller documents, then
 * online its digest and record on the ledger and its bit in the node's signed status list. A node that cannot answer
 * never gives VALID; offline, only the proof and the dates are checked, and the page says so.
 */
async function verifyCredentialText(input) {
  lastInput = input;
  busy('Checking the credential’s proof…');
  let trust;
  let library;
  try {
    trust = await getTrust();
    library = await loadCredentialLibrary();
  } catch (e) {
    showUnverified(e, input.source);
    return;
  }
  let checked;
  try {
    checked = await checkCredential(input.credential, issuerKeys(nodeDocument), library);
  } catch (e) {
    if (!(e instanceof CredentialError)) {
      showUnverified(e, input.source);
      return;
    }
    show({
      verdict: e.verdict,
      reason: e.verdict === 'TAMPERED'
        ? 'Do not accept: this credential was altered or is not genuine.'
        : 'Do not accept: no organisation of the consortium signed this credential with a key it lists.',
      detail: sentence(e.message),
      source: input.source,
    });
    return;
  }
  const facts = {
    rows: credentialRows(checked),
    proof: `${checked.proof.cryptosuite} by ${checked.proof.verificationMethod}`,
  };
  const signedBy = `signed by ${checked.issuer}`;
  if (navigator.onLine === false) {
    const offline = dated(checked, `${signedBy}; the ledger and the status list were not asked (offline)`);
    show({
      verdict: offline.verdict === 'VALID' ? 'VALID_OFFLINE' : offline.verdict,
      reason: sentence(offline.reason),
      note: 'Checked offline: the proof and the dates only. Whether it is anchored or revoked cannot be seen offline.',
      source: input.source,
      credential: facts,
    });
    return;
  }
  busy('Asking the ledger whether it was revoked…');
  const ledger = {
    status: async (hex) => {
      const answer = await fetchStatus(hex);
      if (answer.kind === 'ok') return answer.entry;
      if (answer.kind === 'not-found') return null;
      throw new NodeError(answer.message ?? 'this device is offline');
    },
    revoked: async (path) => {
      const list = await nodeDocument(path);
      if (list === null) throw new NodeError(`the node has no status list ${path}`);
      return revokedOnList(list, checked.status, trust, library);
    },
  };
  try {
    const online = await credentialWithLedger(checked, ledger);
    show({
      verdict: online.verdict,
      reason: sentence(online.reason),
      note: 'Proof checked on this device; status from the ledger and the node\'s signed status list now.',
      source: input.source,
      credential: { ...facts, digest: online.digest },
    });
  } catch (e) {
    if (!(e instanceof NodeError)) throw e;
    show({
      verdict: 'UNKNOWN',
      reason: `Current status unknown: the proof is valid (${signedBy}), but the ledger could not be asked (${e.message}).`,
      source: input.source,
      credential: facts,
    });
  }
}

function verifyText(text, source) {
  const trimmed = text.trim();
  if (trimmed.startsWith(CARD_PREFIX) || trimmed.startsWith(WORKER_PREFIX)) {
    verify({ card: trimmed, source });
    return;
  }
  if (trimmed.startsWith('{')) {
    let parsed;
    try {
      parsed = JSON.parse(trimmed);
    } catch (e) {
      message(`${source}: not valid JSON.`);
      return;
    }
    if (isCredential(parsed)) {
      verify({ credential: trimmed, source });
      return;
    }
    verifyJson(parsed, source);
    return;
  }
  const receipt = receiptFromText(trimmed);
  if (receipt === null) {
    message(`${source}: this is not a Dossier verify link or receipt.`);
    return;
  }
  verify({ receipt, source });
}

function verifyJson(parsed, source) {
  if (parsed?.format === CERTIFICATE_FORMAT) {
    verify({ certificate: parsed, source });
  } else if (typeof parsed?.receipt === 'string') {
    verify({ receiptJson: parsed, source });
  } else {
    message(`${source}: this JSON is neither a Dossier certificate, a receipt nor a Verifiable Credential 2.0 (Open Badges 3.0).`);
  }
}

// ---- QR codes ----

function loadJsQR() {
  return loadScript('/verify/jsQR.js', 'jsQR').catch(() => {
    throw new Error('the QR decoder could not be loaded');
  });
}

function decodeQr(jsQR, source, width, height, canvas, inversionAttempts = 'attemptBoth') {
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(source, 0, 0, width, height);
  const pixels = context.getImageData(0, 0, width, height);
  return jsQR(pixels.data, width, height, { inversionAttempts });
}

function scaled(width, height, max) {
  const factor = Math.min(1, max / Math.max(width, height));
  return [Math.round(width * factor), Math.round(height * factor)];
}

async function verifyImage(blob, source) {
  const jsQR = await loadJsQR();
  const bitmap = await createImageBitmap(blob);
  const canvas = document.createElement('canvas');
  let code = null;
  for (const max of [1600, 800]) {
    code = decodeQr(jsQR, bitmap, ...scaled(bitmap.width, bitmap.height, max), canvas);
    if (code) break;
  }
  bitmap.close();
  if (!code) {
    message(`${source}: no QR code found in this picture. Try a sharper photo, straight on.`);
    return;
  }
  verifyText(code.data, source);
}

let stream = null;

function stopCamera() {
  stream?.getTracks().forEach((t) => t.stop());
  stream = null;
  $('video').srcObject = null;
  $('camera').hidden = true;
  $('scan').hidden = false;
}

async function startCamera() {
  if (!navigator.mediaDevices?.getUserMedia) {
    message('This browser cannot use the camera here (it needs HTTPS). Open a photo of the QR code instead.');
    return;
  }
  $('camera').hidden = false;
  $('scan').hidden = true;
  $('camera-status').textContent = 'Starting the camera…';
  let jsQR;
  try {
    [jsQR, stream] = await Promise.all([
      loadJsQR(),
      navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }),
    ]);
  } catch (e) {
    stopCamera();
    message(`The camera cannot be used (${e.message}). Open a photo of the QR code instead.`);
    return;
  }
  const video = $('video');
  video.srcObject = stream;
  await video.play().catch(() => {});
  $('camera-status').textContent = 'Point the camera at the QR code.';
  const canvas = document.createElement('canvas');
  const current = stream;
  let last = 0;
  const tick = (now) => {
    if (stream !== current) return;
    if (now - last >= 150 && video.readyState >= video.HAVE_ENOUGH_DATA && video.videoWidth > 0) {
      last = now;
      // printed codes are dark on light: skip the inverted pass to spare slow phones
      const size = scaled(video.videoWidth, video.videoHeight, 800);
      const code = decodeQr(jsQR, video, ...size, canvas, 'dontInvert');
      if (code && (code.data.startsWith(CARD_PREFIX) || code.data.startsWith(WORKER_PREFIX))) {
        stopCamera();
        verify({ card: code.data, source: 'QR code (camera)' });
        return;
      }
      const receipt = code && receiptFromText(code.data);
      if (receipt) {
        stopCamera();
        verify({ receipt, source: 'QR code (camera)' });
        return;
      }
      if (code) $('camera-status').textContent = 'This QR code is not a Dossier certificate.';
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

// ---- files ----

function startsWith(bytes, ...prefix) {
  return prefix.every((b, i) => bytes[i] === b);
}

async function verifyFile(file) {
  const source = `file ${file.name}`;
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    if (startsWith(bytes, 0x25, 0x50, 0x44, 0x46)) {
      // %PDF: a certificate carrying an inspector's card is checked as the card (the facts an inspector compares)
      const card = cardFromPdf(bytes);
      if (card !== null) {
        verify({ card, source });
        return;
      }
      const json = certificateFromPdf(bytes);
      if (json === null) {
        message(`${source}: this PDF holds no Dossier certificate.`);
        return;
      }
      verifyText(json, source);
    } else if (
      file.type.startsWith('image/') ||
      startsWith(bytes, 0x89, 0x50, 0x4e, 0x47) ||
      startsWith(bytes, 0xff, 0xd8, 0xff)
    ) {
      await verifyImage(file, source);
    } else {
      verifyText(new TextDecoder().decode(bytes), source);
    }
  } catch (e) {
    message(`${source}: ${e.message}`);
  }
}

// ---- wiring ----

function fromFragment() {
  const receipt = new URLSearchParams(location.hash.substring(1)).get('r');
  if (receipt) verify({ receipt, source: 'verify link' });
}

// ---- the revocation list, for cards checked offline (revocations.mjs) ----

let revocations = null;

/** The list in use: synced on this visit, else the one kept on this device, else null. */
async function revocationList() {
  if (revocations) return revocations;
  const trust = await getTrust().catch(() => null);
  return trust ? keptList(trust.origin) : null;
}

/** Syncs the revocation list with the node (full, then deltas) and says how old the list in use is. */
async function syncRevocationList() {
  const status = $('revocations-status');
  let trust;
  try {
    trust = await getTrust();
  } catch (e) {
    return; // no keys: nothing to check a list against
  }
  const outcome = navigator.onLine === false
    ? { state: 'offline', list: await keptList(trust.origin) }
    : await syncRevocations(trust);
  revocations = outcome.list ?? revocations;
  const inUse = revocations
    ? `using the ${listAge(revocations)}, synced ${ageOf(revocations.syncedAt)}`
    : 'none on this device yet';
  const states = {
    synced: `Revocation list: up to date, ${inUse}.`,
    offline: `Revocation list: offline, ${inUse}.`,
    failed: `Revocation list: not updated (${outcome.message}); ${inUse}.`,
    refused: `Revocation list refused and not used: ${outcome.message}. Still ${inUse}.`,
  };
  status.dataset.state = outcome.state;
  status.textContent = states[outcome.state];
}

function updateNetworkStatus() {
  $('network-status').textContent = navigator.onLine
    ? ''
    : 'Offline: certificates are checked against the pinned keys and their own checkpoint, cards also against the revocation list synced last; later revocations cannot be seen.';
}

async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  // '/verify' also covers the bare /verify link in QR codes, if the node allows it (Service-Worker-Allowed header)
  for (const scope of ['/verify', '/verify/']) {
    try {
      await navigator.serviceWorker.register('/verify/sw.js', { scope });
      return;
    } catch (e) {
      // next scope
    }
  }
}

function init() {
  $('scan').addEventListener('click', startCamera);
  $('stop').addEventListener('click', stopCamera);
  $('again').addEventListener('click', () => {
    $('result').hidden = true;
    history.replaceState(null, '', location.pathname);
    $('start').scrollIntoView({ block: 'start' });
    $('scan').focus();
  });
  $('file').addEventListener('change', (e) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) verifyFile(file);
  });
  const drop = $('drop');
  for (const type of ['dragenter', 'dragover']) {
    document.addEventListener(type, (e) => {
      e.preventDefault();
      drop.classList.add('dragging');
    });
  }
  document.addEventListener('dragleave', (e) => {
    if (e.relatedTarget === null) drop.classList.remove('dragging');
  });
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('dragging');
    const file = e.dataTransfer?.files?.[0];
    if (file) verifyFile(file);
  });
  $('trust-accept').addEventListener('click', acceptOfferedTrust);
  $('trust-keep').addEventListener('click', () => {
    $('trust-change').hidden = true;
  });
  $('paste-form').addEventListener('submit', (e) => {
    e.preventDefault();
    verifyText($('paste').value, 'pasted text');
  });
  window.addEventListener('hashchange', fromFragment);
  window.addEventListener('online', updateNetworkStatus);
  window.addEventListener('offline', updateNetworkStatus);
  updateNetworkStatus();
  registerServiceWorker();
  getTrust()
    .then(() => cardKeysOf(pinned.text)) // imported before a card is scanned
    .catch((e) => {
      $('keys-status').textContent = `Consortium keys: ${e.message}.`;
    });
  syncRevocationList();
  window.addEventListener('online', syncRevocationList);
  fromFragment();
}

init();
