// Unit tests of the verify page's card module (card.mjs) under Node's test runner, against the golden vectors the
// Java CardVerifier is held to (client/src/test/resources/vectors/card-v1.json): verdicts, facts and digests; every
// single-byte change of a genuine card (every position, two flips) is TAMPERED, or UNKNOWN_SIGNER within the key id.
//   node --test card.test.mjs
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { base45Encode } from './base45.mjs';
import { WEB_DIR } from './mock-node.mjs';

const c = await import(join(WEB_DIR, 'card.mjs'));
const here = dirname(fileURLToPath(import.meta.url));
const vectors = JSON.parse(readFileSync(join(here, '../resources/vectors/card-v1.json'), 'utf8'));
const keys = await c.parseCardKeys(vectors.trustFile);

test('base45_rfc9285Examples', () => {
  const examples = [['AB', 'BB8'], ['Hello!!', '%69 VD92EX0'], ['base-45', 'UJCLQE7W581'], ['ietf!', 'QED8WEX0']];
  for (const [plain, encoded] of examples) {
    assert.equal(new TextDecoder().decode(c.base45Decode(encoded)), plain);
    assert.equal(base45Encode(new TextEncoder().encode(plain)), encoded);
  }
  assert.throws(() => c.base45Decode(':::'), /above 65535/);
  assert.throws(() => c.base45Decode('GGW0'), /3n \+ 1/);
});

test('goldenVectors_verdictsFactsAndDigests', async () => {
  for (const v of vectors.cards) {
    const check = await c.verifyCard(v.text, keys, vectors.today);
    assert.equal(check.verdict, v.verdict, `${v.name}: ${check.reason}`);
    assert.equal(check.digest, v.digest, v.name);
    if (v.facts) {
      for (const [name, value] of Object.entries(v.facts)) assert.equal(check.card[name], value, `${v.name} ${name}`);
    } else {
      assert.equal(check.card, null, v.name);
    }
  }
});

test('everySingleByteChange_isTampered_orUnknownSignerInTheKeyId', async () => {
  const genuine = vectors.cards.find((v) => v.name === 'valid').text;
  const bytes = c.base45Decode(genuine.substring(4));
  const keyIdAt = 5 + 2; // tag, array head, protected bstr head, then a2 01 26 04 48
  for (let i = 0; i < bytes.length; i++) {
    for (const flip of [0x01, 0xff]) {
      const changed = bytes.slice();
      changed[i] ^= flip;
      const check = await c.verifyCard(c.PREFIX + base45Encode(changed), keys, vectors.today);
      const inKeyId = i >= keyIdAt + 1 && i < keyIdAt + 9;
      assert.equal(check.verdict, inKeyId ? 'UNKNOWN_SIGNER' : 'TAMPERED', `byte ${i} ^ ${flip}: ${check.reason}`);
      assert.equal(check.card, null);
    }
  }
});

test('notACard_isTamperedSayingWhy', async () => {
  assert.equal((await c.verifyCard('', keys, vectors.today)).reason, 'not a card: it does not start with DC1:');
  assert.match((await c.verifyCard('DC2:ABC', keys, vectors.today)).reason, /card format DC2/);
  assert.match((await c.verifyCard('https://example.org/verify#r=abc', keys, vectors.today)).verdict, /TAMPERED/);
});

test('withLedger_mirrorsTheJavaRules', async () => {
  const genuine = await c.verifyCard(vectors.cards[0].text, keys, vectors.today);
  const active = { mspId: 'Org1MSP', status: 'active' };
  assert.equal(c.withLedger(genuine, active, active).verdict, 'VALID');
  assert.equal(c.withLedger(genuine, null, active).verdict, 'NOT_FOUND');
  assert.match(c.withLedger(genuine, active, { mspId: 'Org2MSP', status: 'active' }).reason, /only for its own records/);
  assert.equal(c.withLedger(genuine, active, { mspId: 'Org1MSP', status: 'revoked', revocationReason: 'fraud' }).reason,
    'the record was revoked by Org1MSP (fraud)');
  assert.equal(c.withLedger(genuine, { mspId: 'Org1MSP', status: 'superseded' }, active).verdict, 'SUPERSEDED');
});
