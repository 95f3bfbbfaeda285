// Unit tests of the verify page's credential module (credential.mjs) under Node's test runner, with the vendored
// jsonld.js and the contexts the node serves, against the golden vectors the Java CredentialVerifier is held to
// (client/src/test/resources/vectors/credential-v1.json): the same verdict for our own credential, its tampered copies
// and another issuer's; the node's signed status list read, and refused once altered; the ledger's verdicts with the
// Java verifier's reasons.
//   node --test credential.test.mjs
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CONTEXTS_DIR, WEB_DIR } from './mock-node.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const c = await import(join(WEB_DIR, 'credential.mjs'));
const { parseTrustFile } = await import(join(WEB_DIR, 'receipt.mjs'));
const library = {
  jsonld: createRequire(import.meta.url)(join(WEB_DIR, 'jsonld.min.js')),
  documentLoader: c.bundledLoader((file) => JSON.parse(readFileSync(join(CONTEXTS_DIR, file), 'utf8'))),
};
const vectors = JSON.parse(readFileSync(join(here, '../resources/vectors/credential-v1.json'), 'utf8'));
const now = Date.parse(vectors.now);
const trust = await parseTrustFile(vectors.trustFile);
/** The node of the vectors: serves Org1MSP's controller document only. */
const keys = c.issuerKeys(async (path) => (path === '/Org1MSP/did.json' ? vectors.controllerDocument : null));
const byName = Object.fromEntries(vectors.credentials.map((v) => [v.name, v]));

/** The offline verdict, as the Java verifier gives it without a node. */
async function offlineVerdict(json) {
  try {
    const checked = await c.checkCredential(json, keys, library);
    return c.dated(checked, `signed by ${checked.issuer}; the ledger and the status list were not asked (offline)`, now);
  } catch (e) {
    if (!(e instanceof c.CredentialError)) throw e;
    return { verdict: e.verdict, reason: e.message };
  }
}

test('goldenVectors_sameVerdictsAndReasonsAsJava', async () => {
  assert.ok(vectors.credentials.length >= 10);
  for (const v of vectors.credentials) {
    const result = await offlineVerdict(v.json);
    assert.equal(result.verdict, v.verdict, `${v.name}: ${result.reason}`);
    assert.ok(result.reason.includes(v.reasonContains), `${v.name}: '${result.reason}' lacks '${v.reasonContains}'`);
  }
});

test('digest_isTheAnchoredCommitment_whiteSpaceIsNotContent', async () => {
  const valid = JSON.parse(byName.valid.json);
  assert.equal(await c.credentialDigest(valid), vectors.digest);
  const spaced = JSON.parse(JSON.stringify(valid, null, 2));
  assert.equal(await c.credentialDigest(spaced), vectors.digest);
});

test('everyChangedCharacterOfTheProofOrTheName_isNeverValid', async () => {
  const valid = JSON.parse(byName.valid.json);
  const proofValue = valid.proof.proofValue;
  for (const at of [1, 20, proofValue.length - 1]) {
    const changed = structuredClone(valid);
    const swapped = proofValue[at] === 'A' ? 'B' : 'A';
    changed.proof.proofValue = proofValue.substring(0, at) + swapped + proofValue.substring(at + 1);
    assert.equal((await offlineVerdict(JSON.stringify(changed))).verdict, 'TAMPERED', `proofValue[${at}]`);
  }
  for (const [path, value] of [
    [['credentialSubject', 'identifier', 0, 'identityHash'], 'Someone Else'],
    [['issuer', 'name'], 'Org2MSP'],
    [['proof', 'created'], '2030-01-01T00:00:00Z'],
    [['credentialStatus', 'statusListIndex'], '8'],
  ]) {
    const changed = structuredClone(valid);
    let at = changed;
    for (const key of path.slice(0, -1)) at = at[key];
    assert.notEqual(at[path.at(-1)], undefined, path.join('.'));
    at[path.at(-1)] = value;
    const result = await offlineVerdict(JSON.stringify(changed));
    assert.equal(result.verdict, 'TAMPERED', `${path.join('.')}: ${result.reason}`);
    assert.match(result.reason, /does not verify/);
  }
});

test('notACredential_orTwoProofs_orAnotherSuite_isTampered_withAReason', async () => {
  const valid = JSON.parse(byName.valid.json);
  const cases = [
    ['[]', /not a JSON object/],
    ['{"@context":["https://www.w3.org/2018/credentials/v1"]}', /must be an array starting with/],
    [JSON.stringify({ ...valid, type: ['OpenBadgeCredential'] }), /does not include VerifiableCredential/],
    [JSON.stringify({ ...valid, proof: [valid.proof, valid.proof] }), /exactly one proof/],
    [JSON.stringify({ ...valid, proof: { ...valid.proof, cryptosuite: 'eddsa-jcs-2022' } }), /not supported/],
    [' '.repeat(c.MAX_CHARS + 1), /longer than/],
  ];
  for (const [json, reason] of cases) {
    const result = await offlineVerdict(json);
    assert.equal(result.verdict, 'TAMPERED', json.substring(0, 60));
    assert.match(result.reason, reason);
  }
});

test('statusList_signedByTheTrustedNode_bitsRead_alteredOrUnlisted_refused', async () => {
  const entry = (index) => ({ statusListCredential: 'http://localhost:9051/v1/status-lists/0', index: BigInt(index) });
  assert.equal(await c.revokedOnList(vectors.statusList, entry(vectors.revokedIndex), trust, library), true);
  assert.equal(await c.revokedOnList(vectors.statusList, entry(vectors.clearIndex), trust, library), false);
  await assert.rejects(c.revokedOnList(vectors.statusList, entry(131072), trust, library), /beyond the list/);

  const list = JSON.parse(vectors.statusList);
  const emptied = structuredClone(list);
  emptied.credentialSubject.encodedList = list.credentialSubject.encodedList.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'));
  await assert.rejects(c.revokedOnList(JSON.stringify(emptied), entry(vectors.revokedIndex), trust, library), (e) => {
    assert.ok(e instanceof c.NodeError);
    assert.match(e.message, /the status list: the proof's signature does not verify/);
    return true;
  });
  const stranger = structuredClone(list);
  stranger.proof.verificationMethod = 'did:web:localhost%3A9051#node9.elsewhere';
  await assert.rejects(c.revokedOnList(JSON.stringify(stranger), entry(0), trust, library), /not a node of the pinned trust file/);
});

test('unknownOrganisation_orNodeFailure_areUnknownSigner_orNoVerdict', async () => {
  const valid = byName.valid.json;
  const none = c.issuerKeys(async () => null);
  await assert.rejects(c.checkCredential(valid, none, library), (e) => e.verdict === 'UNKNOWN_SIGNER' && /no credential key/.test(e.message));
  const garbage = c.issuerKeys(async () => '');
  await assert.rejects(c.checkCredential(valid, garbage, library), (e) => e instanceof c.NodeError && /controller document of Org1MSP is not a JSON object/.test(e.message));
});

test('ledger_verdictsAndReasons_asTheJavaVerifier', async () => {
  const checked = await c.checkCredential(byName.valid.json, keys, library);
  const record = 'c0'.repeat(32);
  const active = (mspId) => ({ mspId, status: 'active', revocationReason: null, supersededBy: null });
  const ask = (entries, revoked = false) => ({
    status: async (hex) => entries[hex === record ? 'record' : 'credential'] ?? null,
    revoked: async (path) => {
      assert.equal(path, '/v1/status-lists/0');
      return revoked;
    },
  });
  const issuer = 'did:web:localhost%3A9051:Org1MSP';
  const verdict = async (entries, revoked) => c.withLedger(checked, ask(entries, revoked), now);

  let result = await verdict({ credential: active('Org1MSP'), record: active('Org1MSP') });
  assert.equal(result.verdict, 'VALID');
  assert.equal(result.reason, `signed by ${issuer}, anchored by Org1MSP, status active, not revoked on status list 0`);
  assert.equal(result.digest, vectors.digest);

  result = await verdict({ record: active('Org1MSP') });
  assert.equal(result.verdict, 'NOT_FOUND');
  assert.equal(result.reason, `the proof is valid (signed by ${issuer}), but the credential's digest ${vectors.digest} is not anchored on this ledger`);

  result = await verdict({ credential: active('Org2MSP'), record: active('Org1MSP') });
  assert.deepEqual([result.verdict, result.reason], ['NOT_FOUND', `the credential is anchored by Org2MSP, not by its issuer ${issuer}`]);

  result = await verdict({ credential: active('Org1MSP'), record: active('Org2MSP') });
  assert.deepEqual([result.verdict, result.reason], ['NOT_FOUND', `the credential's record ${record} is not anchored by its issuer Org1MSP`]);

  result = await verdict({ credential: active('Org1MSP'), record: { ...active('Org1MSP'), status: 'revoked', revocationReason: 'issued_in_error' } });
  assert.deepEqual([result.verdict, result.reason], ['REVOKED', 'its record was revoked by Org1MSP (issued_in_error)']);

  result = await verdict({ credential: active('Org1MSP'), record: { ...active('Org1MSP'), status: 'superseded', supersededBy: 'ab'.repeat(32) } });
  assert.deepEqual([result.verdict, result.reason], ['SUPERSEDED', `its record was superseded by ${'ab'.repeat(32)}`]);

  result = await verdict({ credential: active('Org1MSP'), record: active('Org1MSP') }, true);
  assert.deepEqual([result.verdict, result.reason], ['REVOKED', 'bit 7 of status list 0 is set: revoked']);

  const expired = await c.checkCredential(byName.expired.json, keys, library);
  result = await c.withLedger(expired, ask({ credential: active('Org1MSP') }), now);
  assert.equal(result.verdict, 'EXPIRED');
  assert.match(result.reason, /; outside its validity \(from 2025-06-01T00:00:00Z until 2026-02-28T23:59:59Z\)$/);
});
