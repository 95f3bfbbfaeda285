// The worker's safety card (docs/card.md, "The worker's safety card"): "DW1:" + Base45 of the same COSE_Sign1 as the
// record's card (card.mjs: same keys, same signature checks), whose claims list the worker and up to 8 modules, each
// bound to its record's entry by a 16-byte commitment prefix. The same checks and statuses as the Java
// WorkerCardVerifier; both are held to client/src/test/resources/vectors/worker-card-v1.json. Never throws on a bad
// card.

import { CardError, cborDecode, openSigned, signerProblem, validDate } from './card.mjs';

export const WORKER_PREFIX = 'DW1:';
export const MAX_MODULES = 8;
export const EXPIRING_DAYS = 60;
const FACTS = -65538;
const MAX_DAY = 2932896; // 9999-12-31

const toHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

function text(value, what, max) {
  if (typeof value !== 'string') throw new CardError(`${what} is not text`);
  if (value.trim() === '') throw new CardError(`${what} is empty`);
  if ([...value].length > max) throw new CardError(`${what} is longer than ${max} characters`);
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new CardError(`${what} holds a control character`);
  return value;
}

const dayText = (days) => new Date(days * 86400000).toISOString().substring(0, 10);
const dayNumber = (iso) => Date.parse(`${iso}T00:00:00Z`) / 86400000;

/** Reads a verified payload's claims into the worker's card's facts; throws CardError when it is not one. */
export function workerFacts(payload) {
  const claims = cborDecode(payload);
  if (!(claims instanceof Map)) throw new CardError('claims is not a map');
  for (const key of claims.keys()) if (![1, 6, FACTS].includes(key)) throw new CardError(`unknown claim ${key}`);
  const facts = claims.get(FACTS);
  if (!(facts instanceof Map)) throw new CardError('worker facts (claim -65538) is not a map');
  for (const key of facts.keys()) if (!(key >= 1 && key <= 4)) throw new CardError(`unknown fact ${key}`);
  const iat = claims.get(6);
  if (typeof iat !== 'number' || iat < 0) throw new CardError('issued-at (claim 6) is not a time in seconds');
  const birth = facts.get(3);
  if (birth !== undefined && !(typeof birth === 'string' && validDate(birth))) {
    throw new CardError('item 3 is not a date YYYY-MM-DD');
  }
  const list = facts.get(4);
  if (!Array.isArray(list)) throw new CardError('modules (fact 4) is not an array');
  if (list.length === 0) throw new CardError('a worker\'s card lists at least one module');
  if (list.length > MAX_MODULES) throw new CardError(`more than ${MAX_MODULES} modules`);
  const modules = list.map((m, i) => {
    const what = `module ${i + 1}`;
    if (!Array.isArray(m) || m.length < 3 || m.length > 4) throw new CardError(`${what} is not an array of 3 or 4 items`);
    const [code, title, prefix, until] = m;
    if (!(prefix instanceof Uint8Array)) throw new CardError(`${what}: commitment prefix is not a byte string`);
    if (prefix.length < 16 || prefix.length > 32) throw new CardError(`${what}: a commitment prefix is 16 to 32 bytes`);
    if (m.length === 4 && !(Number.isInteger(until) && until >= 0 && until <= MAX_DAY)) {
      throw new CardError(`${what}: valid until is not a day number`);
    }
    return {
      code: text(code, `${what} code`, 32),
      title: text(title, `${what} title`, 20),
      validUntil: m.length === 4 ? dayText(until) : null,
      commitmentPrefix: toHex(prefix),
    };
  });
  return {
    givenName: text(facts.get(1), 'item 1', 200),
    familyName: text(facts.get(2), 'item 2', 200),
    birthDate: birth ?? null,
    modules,
    issuer: text(claims.get(1), 'item 1', 200),
    issuedAt: iat,
  };
}

/** A module's status by its dates on `today` (YYYY-MM-DD): VALID, EXPIRING within 60 days, or EXPIRED. */
function byDate(module, today) {
  const until = module.validUntil;
  if (until === null) return { module, status: 'VALID', reason: 'no expiry' };
  if (today > until) return { module, status: 'EXPIRED', reason: `expired: valid only until ${until}, the training must be refreshed` };
  const days = dayNumber(until) - dayNumber(today);
  if (days <= EXPIRING_DAYS) return { module, status: 'EXPIRING', reason: `valid until ${until}, ${days} days from today: refresh soon` };
  return { module, status: 'VALID', reason: `valid until ${until}` };
}

const STATUSES = ['VALID', 'EXPIRING', 'EXPIRED', 'REVOKED', 'SUPERSEDED', 'NOT_FOUND', 'REFUSED'];

/** "6 valid, 1 expiring, 1 expired", in the order of the statuses, as the Java WorkerCardCheck.tally. */
export function tally(modules) {
  return STATUSES.map((s) => [s, modules.filter((m) => m.status === s).length])
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s.toLowerCase().replace('_', ' ')}`)
    .join(', ');
}

/** The first part of a genuine card's offline reason, as WorkerCardVerifier.signedBy: who signed it, on which day. */
function signedBy(card) {
  return `genuine, signed by ${card.issuer} on ${new Date(card.issuedAt * 1000).toISOString().substring(0, 10)}`;
}

/**
 * Checks a worker's card offline against the trust file's card keys, on the day `today` (YYYY-MM-DD).
 * @returns {Promise<{verdict, reason, card, key, digest, modules, online: false}>} card and modules only if genuine
 */
export async function verifyWorkerCard(cardText, cardKeys, today) {
  const result = (verdict, reason, key = null, digest = null) => ({ verdict, reason, card: null, key, digest, modules: [], online: false });
  const opened = await openSigned(cardText, cardKeys, WORKER_PREFIX);
  const { key, digest } = opened;
  if (opened.failure) return result(opened.failure.verdict, opened.failure.reason, key, digest);
  let card;
  try {
    card = workerFacts(opened.payload);
  } catch (e) {
    if (!(e instanceof CardError)) throw e;
    return result('TAMPERED', `signed, but not a worker's card: ${e.message}`, key, digest);
  }
  const problem = signerProblem(key, card.issuer, card.issuedAt);
  if (problem) return result('UNKNOWN_SIGNER', problem, key, digest);
  const modules = card.modules.map((m) => byDate(m, today));
  return {
    verdict: 'VALID',
    reason: `${signedBy(card)}; ${tally(modules)}`,
    card,
    key,
    digest,
    modules,
    online: false,
  };
}

/**
 * Adds the entries found under each module's prefix (/v1/status/<prefix>: {mspId, status, revocationReason,
 * supersededBy}, or null when none) to an offline check of a genuine card, as WorkerCardVerifier.withLedger does.
 */
export function workerWithLedger(offline, entries) {
  if (!offline.card) return offline;
  const issuer = offline.card.issuer;
  let unbound = null;
  const modules = offline.modules.map((check, i) => {
    const entry = entries[i];
    const { module } = check;
    let out;
    if (!entry) {
      out = { module, status: 'NOT_FOUND', reason: `the ledger holds no entry with commitment prefix ${module.commitmentPrefix}` };
    } else if (entry.mspId !== issuer) {
      out = {
        module,
        status: 'REFUSED',
        reason: `its record is anchored by ${entry.mspId}, not by the card's signer ${issuer}: an organisation lists only records it anchored`,
      };
    } else if (entry.status === 'revoked') {
      out = { module, status: 'REVOKED', reason: `revoked by ${issuer}${entry.revocationReason ? ` (${entry.revocationReason})` : ''}` };
    } else if (entry.status === 'superseded') {
      out = {
        module,
        status: 'SUPERSEDED',
        reason: `superseded by a corrected record${entry.supersededBy ? ` (${entry.supersededBy})` : ''}: ask for a new card`,
      };
    } else {
      out = { ...check, reason: `${check.reason}; anchored, status active` };
    }
    if (unbound === null && (out.status === 'NOT_FOUND' || out.status === 'REFUSED')) {
      unbound = `module ${i + 1} (${module.code}): ${out.reason}`;
    }
    return out;
  });
  return {
    ...offline,
    modules,
    online: true,
    verdict: unbound ? 'NOT_FOUND' : offline.verdict,
    reason: unbound
      ? `signed by ${issuer}, but ${unbound}: do not accept this card`
      : `genuine, signed by ${issuer}, every module anchored by ${issuer}; ${tally(modules)}`,
  };
}

/**
 * Adds a synced revocation list to an offline check of a genuine card, as WorkerCardVerifier.withRevocations does:
 * a module whose record the list holds (`listed(prefixHex)` gives 'REVOKED' or 'SUPERSEDED', else null) takes that
 * status; the others keep their status by date. `age` says which list ("revocation list of ledger height ...").
 */
export function workerWithRevocations(offline, listed, age) {
  if (!offline.card) return offline;
  const modules = offline.modules.map((check) => {
    const status = listed(check.module.commitmentPrefix);
    return status === null ? check : { module: check.module, status, reason: `${status.toLowerCase()} on the ${age}` };
  });
  return { ...offline, modules, reason: `${signedBy(offline.card)}; ${tally(modules)}; revocations as of the ${age}` };
}

const LOOK = {
  VALID: ['✓', 'valid'],
  EXPIRING: ['!', 'expiring'],
  EXPIRED: ['✕', 'expired'],
  REVOKED: ['✕', 'revoked'],
  SUPERSEDED: ['↻', 'superseded'],
  NOT_FOUND: ['?', 'not found'],
  REFUSED: ['✕', 'refused'],
};

/** Lists the modules in `list` (an <ol>): each with its status word, code, title and reason; data-status for style. */
export function renderModules(list, modules) {
  list.replaceChildren();
  list.hidden = modules.length === 0;
  for (const { module, status, reason } of modules) {
    const item = document.createElement('li');
    item.dataset.status = status;
    const word = document.createElement('strong');
    word.className = 'module-status';
    word.textContent = `${LOOK[status][0]} ${LOOK[status][1].toUpperCase()}`;
    const name = document.createElement('span');
    name.className = 'module-name';
    name.textContent = `${module.title} (${module.code})`;
    const why = document.createElement('span');
    why.className = 'module-reason';
    why.textContent = reason;
    item.append(word, ' ', name, document.createElement('br'), why);
    list.append(item);
  }
}
