// Unit tests of the verify page's revocation list module (revocations.mjs) under Node's test runner, against the
// golden vectors the Java RevocationList is held to (common/src/test/resources/vectors/revocations-v1.json): the full
// list and the delta read and merged to the statuses written there by hand; a list of an unknown key, an altered entry
// and every single-byte change refused; a card on the list REVOKED offline (card-v1.json's genuine card).
//   node --test revocations.test.mjs
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WEB_DIR } from './mock-node.mjs';

const r = await import(join(WEB_DIR, 'revocations.mjs'));
const { parseTrustFile } = await import(join(WEB_DIR, 'receipt.mjs'));
const c = await import(join(WEB_DIR, 'card.mjs'));
const here = dirname(fileURLToPath(import.meta.url));
const vectors = JSON.parse(
  readFileSync(join(here, '../../../../common/src/test/resources/vectors/revocations-v1.json'), 'utf8'),
);
const cards = JSON.parse(readFileSync(join(here, '../resources/vectors/card-v1.json'), 'utf8'));
const trust = await parseTrustFile(vectors.trustFile);
const bytes = (name) => Uint8Array.from(Buffer.from(vectors[name], 'base64'));

function checkStatuses(list, expect) {
  assert.equal(list.version, expect.version);
  assert.equal(list.height, expect.height);
  assert.equal(list.time, expect.time);
  for (const [commitment, status] of Object.entries(expect.statuses)) {
    assert.equal(r.statusOf(list, commitment), status, commitment);
  }
}

test('fullAndDelta_readAndMergeToTheExpectedStatuses', async () => {
  const full = await r.readRevocationList(bytes('full'), trust);
  assert.equal(full.since, 0);
  checkStatuses(full, vectors.expect.full);
  const delta = await r.readRevocationList(bytes('delta'), trust);
  assert.equal(delta.since, 3);
  const merged = r.applyDelta(full, delta);
  checkStatuses(merged, vectors.expect.merged);
  assert.throws(() => r.applyDelta(merged, delta), /the delta follows version 3, but the list is at version 5/);
});

test('unknownKeyAndAlteredEntries_areRefused', async () => {
  await assert.rejects(r.readRevocationList(bytes('unknownKey'), trust), (e) => {
    assert.equal(e.refused, true);
    assert.match(e.message, /^revocation list refused, it is not signed by a node of the trust file/);
    return true;
  });
  await assert.rejects(r.readRevocationList(bytes('alteredEntry'), trust), {
    name: 'RevocationListError',
    message: "revocation list refused: the entries do not match the signed header's SHA-256 (altered)",
  });
  const other = await parseTrustFile(vectors.trustFile.replace('origin dossier/dossier/notary', 'origin dossier/other/notary'));
  await assert.rejects(r.readRevocationList(bytes('full'), other), /it is of log dossier\/dossier\/notary, the trust file's is dossier\/other\/notary/);
});

test('everySingleByteChange_isRefused', async () => {
  const genuine = bytes('full');
  for (let i = 0; i < genuine.length; i++) {
    const changed = genuine.slice();
    changed[i] ^= 0x01;
    await assert.rejects(r.readRevocationList(changed, trust), r.RevocationListError, `byte ${i}`);
  }
});

test('cardOnTheList_isRevokedOffline_withTheListsAge', async () => {
  const cardKeys = await c.parseCardKeys(cards.trustFile);
  const genuine = await c.verifyCard(cards.cards[0].text, cardKeys, cards.today);
  assert.equal(genuine.verdict, 'VALID');
  const list = { origin: 'o', version: 7, since: 0, height: 40, time: 1767225600, revoked: [], superseded: [] };
  const notListed = r.withRevocations(genuine, list);
  assert.equal(notListed.verdict, 'VALID');
  assert.equal(notListed.reason, `${genuine.reason}; not on the revocation list of ledger height 40 (2026-01-01T00:00:00Z, version 7)`);
  const revoked = r.withRevocations(genuine, { ...list, revoked: [genuine.card.commitment.substring(0, 16)] });
  assert.equal(revoked.verdict, 'REVOKED');
  assert.equal(revoked.reason, 'the record is revoked on the revocation list of ledger height 40 (2026-01-01T00:00:00Z, version 7)');
  const superseded = r.withRevocations(genuine, { ...list, superseded: [genuine.digest.substring(0, 16)] });
  assert.equal(superseded.verdict, 'SUPERSEDED');
  assert.match(superseded.reason, /^the card is superseded on the revocation list/);
  const tampered = { ...genuine, card: null, verdict: 'TAMPERED' };
  assert.equal(r.withRevocations(tampered, list), tampered);
});
