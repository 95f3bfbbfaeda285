// Unit tests of the verify page's worker's card module (worker-card.mjs) under Node's test runner, against the golden
// vectors the Java WorkerCardVerifier is held to (client/src/test/resources/vectors/worker-card-v1.json): verdicts,
// facts, module statuses and digests; every single-byte change of a genuine card is TAMPERED, or UNKNOWN_SIGNER within
// the key id; the ledger's rules for each module.
//   node --test worker-card.test.mjs
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { base45Encode } from './base45.mjs';
import { WEB_DIR } from './mock-node.mjs';

const c = await import(join(WEB_DIR, 'card.mjs'));
const w = await import(join(WEB_DIR, 'worker-card.mjs'));
const here = dirname(fileURLToPath(import.meta.url));
const vectors = JSON.parse(readFileSync(join(here, '../resources/vectors/worker-card-v1.json'), 'utf8'));
const keys = await c.parseCardKeys(vectors.trustFile);
const eight = vectors.cards.find((v) => v.name === 'eight-modules');

test('goldenVectors_verdictsFactsModuleStatusesAndDigests', async () => {
  for (const v of vectors.cards) {
    const check = await w.verifyWorkerCard(v.text, keys, vectors.today);
    assert.equal(check.verdict, v.verdict, `${v.name}: ${check.reason}`);
    assert.equal(check.digest, v.digest, v.name);
    if (!v.facts) {
      assert.equal(check.card, null, v.name);
      assert.deepEqual(check.modules, []);
      continue;
    }
    assert.equal(check.card.givenName, v.facts.givenName);
    assert.equal(check.card.familyName, v.facts.familyName);
    assert.equal(check.card.birthDate, v.facts.birthDate);
    assert.equal(check.modules.length, v.facts.modules.length);
    v.facts.modules.forEach((m, i) => {
      const got = check.modules[i];
      assert.equal(got.module.code, m.code);
      assert.equal(got.module.title, m.title);
      assert.equal(got.module.validUntil, m.validUntil);
      assert.equal(got.module.commitmentPrefix, m.commitmentPrefix);
      assert.equal(got.status, m.status, `${v.name} module ${i}: ${got.reason}`);
    });
  }
  const check = await w.verifyWorkerCard(eight.text, keys, vectors.today);
  assert.equal(check.reason, 'genuine, signed by Org1MSP on 2025-06-02; 6 valid, 1 expiring, 1 expired');
});

test('everySingleByteChange_isTampered_orUnknownSignerInTheKeyId', async () => {
  const bytes = c.base45Decode(eight.text.substring(4));
  const keyIdAt = 5 + 2; // tag, array head, protected bstr head, then a2 01 26 04 48
  for (let i = 0; i < bytes.length; i++) {
    const changed = bytes.slice();
    changed[i] ^= 0x01;
    const check = await w.verifyWorkerCard(w.WORKER_PREFIX + base45Encode(changed), keys, vectors.today);
    const inKeyId = i >= keyIdAt + 1 && i < keyIdAt + 9;
    assert.equal(check.verdict, inKeyId ? 'UNKNOWN_SIGNER' : 'TAMPERED', `byte ${i}: ${check.reason}`);
    assert.equal(check.card, null);
  }
});

test('aRecordsCard_isNotAWorkersCard_andTheOtherWayRound', async () => {
  const recordCard = JSON.parse(readFileSync(join(here, '../resources/vectors/card-v1.json'), 'utf8')).cards[0].text;
  assert.equal((await w.verifyWorkerCard(recordCard, keys, vectors.today)).reason, 'not a card: it does not start with DW1:');
  // the same signed bytes behind the other prefix: the payload is not the other kind's claims
  const swapped = w.WORKER_PREFIX + recordCard.substring(4);
  const check = await w.verifyWorkerCard(swapped, keys, vectors.today);
  assert.equal(check.verdict, 'TAMPERED');
  assert.match(check.reason, /signed, but not a worker's card: unknown claim -65537/);
  assert.equal((await c.verifyCard(c.PREFIX + eight.text.substring(4), keys, vectors.today)).verdict, 'TAMPERED');
});

test('workerWithLedger_mirrorsTheJavaRules', async () => {
  const genuine = await w.verifyWorkerCard(eight.text, keys, vectors.today);
  const active = { mspId: 'Org1MSP', status: 'active' };
  const entries = genuine.modules.map(() => active);
  const all = w.workerWithLedger(genuine, entries);
  assert.equal(all.verdict, 'VALID');
  assert.deepEqual(all.modules.map((m) => m.status), ['VALID', 'EXPIRING', 'EXPIRED', 'VALID', 'VALID', 'VALID', 'VALID', 'VALID']);
  assert.equal(all.reason, 'genuine, signed by Org1MSP, every module anchored by Org1MSP; 6 valid, 1 expiring, 1 expired');

  const revoked = w.workerWithLedger(genuine, entries.map((e, i) => (i === 3 ? { ...e, status: 'revoked', revocationReason: 'fraud' } : e)));
  assert.equal(revoked.verdict, 'VALID');
  assert.equal(revoked.modules[3].status, 'REVOKED');
  assert.equal(revoked.modules[3].reason, 'revoked by Org1MSP (fraud)');

  const foreign = w.workerWithLedger(genuine, entries.map((e, i) => (i === 5 ? { mspId: 'Org2MSP', status: 'active' } : e)));
  assert.equal(foreign.verdict, 'NOT_FOUND');
  assert.equal(foreign.modules[5].status, 'REFUSED');
  assert.match(foreign.reason, /^signed by Org1MSP, but module 6 \(primo_soccorso\): its record is anchored by Org2MSP/);

  const missing = w.workerWithLedger(genuine, entries.map((e, i) => (i === 0 ? null : e)));
  assert.equal(missing.verdict, 'NOT_FOUND');
  assert.equal(missing.modules[0].status, 'NOT_FOUND');
});
