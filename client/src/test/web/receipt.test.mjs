// Unit tests of the verify page's verification module (receipt.mjs) under Node's test runner: the client's golden
// commitment vectors, RFC 8785 examples, RFC 9162 proofs of every leaf of trees up to 33 leaves, corrupted receipts,
// notes, checkpoints and trust files, and checkpoints of a consortium that changed (earlier key sets), built with
// mock-node.mjs (which uses node:crypto, not receipt.mjs).
//   node --test receipt.test.mjs
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  ORIGIN,
  WEB_DIR,
  checkpointText,
  consistencyProof,
  encodeReceipt,
  inclusionProof,
  makeChangedNetwork,
  makeNetwork,
  newKey,
  signatureLine,
  treeHash,
  trustFile,
} from './mock-node.mjs';

const r = await import(join(WEB_DIR, 'receipt.mjs'));
const here = dirname(fileURLToPath(import.meta.url));
const vectors = JSON.parse(readFileSync(join(here, '../resources/vectors/commitments-v1.json'), 'utf8'));
const entryVectors = JSON.parse(
  readFileSync(join(here, '../../../../common/src/test/resources/vectors/ledger-entry-v1.json'), 'utf8'),
);
const network = makeNetwork({ time: 1750000000 });
const trust = await r.parseTrustFile(network.trust);

async function rejects(promise, check, pattern) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof r.VerificationError, `not a VerificationError: ${e}`);
    assert.equal(e.check, check, e.message);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

const leavesOf = (n) => Array.from({ length: n }, (_, i) => Buffer.from(`leaf ${i}`));

test('recordCommitment_matchesTheClientsGoldenVectors', async () => {
  for (const v of vectors.records) {
    const record = JSON.parse(v.json);
    assert.equal(r.canonicalize(record), v.jcs, v.name);
    assert.equal(await r.recordCommitment(r.fromHex(v.salt), record), v.commitment, v.name);
  }
});

test('parseLedgerEntry_matchesTheNodesGoldenVectors', () => {
  assert.ok(entryVectors.vectors.length > 20);
  for (const v of entryVectors.vectors) {
    if (v.error !== undefined) {
      assert.throws(() => r.parseLedgerEntry(v.json), (e) => e.message.includes(v.error), v.name);
    } else {
      assert.deepEqual(r.parseLedgerEntry(v.json), v.fields, v.name);
    }
  }
});

test('canonicalize_rfc8785Examples', () => {
  const input = JSON.parse(
    '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
      '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
  );
  assert.equal(
    r.canonicalize(input),
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
      '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
  );
  // keys sorted by UTF-16 code units (RFC 8785 section 3.2.3)
  const keys = { '\u20ac': 0, '\r': 0, '\ufb33': 0, '1': 0, '\ud83d\ude00': 0, '\u0080': 0, '\u00f6': 0 };
  assert.equal(
    r.canonicalize(keys),
    '{"\\r":0,"1":0,"\u0080":0,"\u00f6":0,"\u20ac":0,"\ud83d\ude00":0,"\ufb33":0}',
  );
  assert.equal(r.canonicalize(-0), '0');
});

test('verifyInclusion_everyLeafOfTreesUpTo33Leaves_verifies', async () => {
  for (let size = 1; size <= 33; size++) {
    const leaves = leavesOf(size);
    const root = treeHash(leaves);
    for (let index = 0; index < size; index++) {
      const leaf = await r.leafHash(leaves[index]);
      await r.verifyInclusion(index, size, leaf, inclusionProof(index, leaves), root);
    }
  }
});

test('verifyInclusion_corruptedProofs_throw', async () => {
  const leaves = leavesOf(13);
  const root = treeHash(leaves);
  const index = 6;
  const proof = inclusionProof(index, leaves);
  const leaf = await r.leafHash(leaves[index]);
  for (let i = 0; i < proof.length; i++) {
    for (const bit of [0, 3, 7]) {
      const bad = proof.map((p) => Uint8Array.from(p));
      bad[i][bit] ^= 1 << bit;
      await rejects(r.verifyInclusion(index, 13, leaf, bad, root), 'inclusion', /root mismatch/);
    }
  }
  await rejects(r.verifyInclusion(index, 13, leaf, proof.slice(1), root), 'inclusion', /wrong proof size 3, want 4/);
  await rejects(r.verifyInclusion(index, 13, leaf, [...proof, proof[0]], root), 'inclusion', /wrong proof size/);
  await rejects(r.verifyInclusion(index + 1, 13, leaf, proof, root), 'inclusion', /root mismatch/);
  await rejects(r.verifyInclusion(index, 8, leaf, proof, root), 'inclusion', /wrong proof size 4, want 3/);
  await rejects(r.verifyInclusion(13, 13, leaf, proof, root), 'inclusion', /beyond tree size/);
  await rejects(r.verifyInclusion(0, 0, leaf, [], root), 'inclusion', /beyond tree size/);
  await rejects(r.verifyInclusion(index, 13, leaf.slice(1), proof, root), 'inclusion', /31 bytes/);
  const short = proof.map((p, i) => (i === 2 ? p.subarray(0, 31) : p));
  await rejects(r.verifyInclusion(index, 13, leaf, short, root), 'inclusion', /proof\[2\] has 31 bytes/);
  await rejects(r.verifyInclusion(index, 13, await r.leafHash(leaves[5]), proof, root), 'inclusion', /root mismatch/);
});

test('verifyReceipt_validReceipt_returnsTheEntryAndSigners', async () => {
  const verified = await r.verifyReceipt(network.receipts.valid, trust);
  assert.equal(verified.commitment, network.items[0].hex);
  assert.equal(verified.entry.validUntil, '2031-05-01');
  assert.equal(verified.entryText, network.items[0].entry);
  assert.deepEqual(verified.signers, ['org1-node1', 'org2-node1']);
  assert.equal(verified.checkpoint.time, 1750000000);
  assert.equal(verified.checkpoint.origin, ORIGIN);
  assert.equal(verified.leafIndex, 0);
  assert.equal(verified.treeSize, 12);
});

/** A receipt of a one-leaf log with these parts changed. */
function receiptWith({ keys = [], text, note, entry, commitment, size = 1, index = 0, proof }) {
  const c = commitment ?? Buffer.alloc(32, 7);
  const e = entry ?? `{"commitment":"${c.toString('hex')}","validUntil":"2031-01-01"}`;
  const leaves = [Buffer.concat([c, Buffer.from(e)])];
  const t = text ?? checkpointText(ORIGIN, 1, treeHash(leaves), 1750000000);
  const n = note ?? `${t}\n${keys.map((k) => signatureLine(k, t)).join('')}`;
  return encodeReceipt({ commitment: c, index, size, proof: proof ?? [], entry: e, note: n });
}

test('verifyReceipt_oneLeafLog_withOneSignerOfOne', async () => {
  const key = newKey('solo');
  const solo = await r.parseTrustFile(`origin ${ORIGIN}\n${key.vkey}\n`);
  assert.equal(solo.cosigners, 1);
  const verified = await r.verifyReceipt(receiptWith({ keys: [key] }), solo);
  assert.deepEqual(verified.signers, ['solo']);
  // an unknown key's line is ignored, a second pinned key is not required
  await r.verifyReceipt(receiptWith({ keys: [newKey('other'), key] }), solo);
  await rejects(r.verifyReceipt(receiptWith({ keys: [newKey('solo')] }), solo), 'signature', /1 required/);
});

test('verifyReceipt_corruptions_failTheRightCheck', async () => {
  const key = newKey('solo');
  const solo = await r.parseTrustFile(`origin ${ORIGIN}\ncosigners 1\n${key.vkey}\n`);
  const good = receiptWith({ keys: [key] });
  const bytes = Buffer.from(good, 'base64url');

  await rejects(r.verifyReceipt(Buffer.concat([bytes, Buffer.of(0)]).toString('base64url'), solo), 'format', /1 trailing/);
  await rejects(r.verifyReceipt(bytes.subarray(0, bytes.length - 1).toString('base64url'), solo), 'format', /truncated/);
  await rejects(r.verifyReceipt(`${good}=`, solo), 'format', /base64url/);
  await rejects(r.verifyReceipt(good.replace(/^./, '+'), solo), 'format', /base64url/);
  const version3 = Buffer.from(bytes);
  version3[0] = 3;
  await rejects(r.verifyReceipt(version3.toString('base64url'), solo), 'format', /version is 3/);
  const commitmentBit = Buffer.from(bytes);
  commitmentBit[5] ^= 0x10;
  await rejects(r.verifyReceipt(commitmentBit.toString('base64url'), solo), 'inclusion', /root mismatch/);
  const tooMany = Buffer.from(bytes);
  tooMany[49] = 64; // proof length byte
  await rejects(r.verifyReceipt(tooMany.toString('base64url'), solo), 'format', /64 proof hashes/);

  // a changed entry changes the leaf
  const c = Buffer.alloc(32, 7);
  const text = checkpointText(ORIGIN, 1, treeHash([Buffer.concat([c, Buffer.from('{"validUntil":"2031-01-01"}')])]), 1);
  const note = `${text}\n${signatureLine(key, text)}`;
  await rejects(
    r.verifyReceipt(receiptWith({ entry: '{"validUntil":"2099-01-01"}', note }), solo),
    'inclusion',
    /root mismatch/,
  );
  // signed text modified after signing
  const signed = checkpointText(ORIGIN, 1, Buffer.alloc(32), 1);
  const forged = `${signed.replace('\n1\n', '\n2\n')}\n${signatureLine(key, signed)}`;
  await rejects(r.verifyReceipt(receiptWith({ note: forged }), solo), 'signature', /does not verify/);
  // wrong origin, size, missing time line
  for (const [changed, check, pattern] of [
    [(t) => t.replace(ORIGIN, 'other/origin'), 'origin', /origin is other\/origin/],
    [(t) => t.replace('\n1\n', '\n2\n'), 'tree-size', /size 2 differs/],
    [(t) => t.replace(/time \d+\n/, ''), 'checkpoint', /time/],
    [(t) => t.replace(/time \d+/, 'time 01'), 'checkpoint', /time/],
    [(t) => t.replace(/time \d+/, 'time -1'), 'checkpoint', /time/],
    [(t) => t.replace('\n1\n', '\n01\n'), 'checkpoint', /canonical/],
  ]) {
    const leaves = [Buffer.concat([c, Buffer.from(`{"commitment":"${c.toString('hex')}","validUntil":"2031-01-01"}`)])];
    const t = changed(checkpointText(ORIGIN, 1, treeHash(leaves), 1750000000));
    await rejects(r.verifyReceipt(receiptWith({ text: t, keys: [key] }), solo), check, pattern);
  }
  // the entry must name the receipt's commitment
  const other = Buffer.alloc(32, 9);
  const entry = `{"commitment":"${other.toString('hex')}"}`;
  const t = checkpointText(ORIGIN, 1, treeHash([Buffer.concat([c, Buffer.from(entry)])]), 1);
  await rejects(r.verifyReceipt(receiptWith({ entry, text: t, keys: [key] }), solo), 'entry', /names commitment/);
});

test('verifyNote_twoOfTwo_oneBadSignatureFailsEvenWithEnough', async () => {
  const [a, b] = [newKey('a'), newKey('b')];
  const two = await r.parseTrustFile(`origin ${ORIGIN}\ncosigners 2\n${a.vkey}\n${b.vkey}\n`);
  const text = checkpointText(ORIGIN, 1, Buffer.alloc(32), 1);
  const note = (lines) => r.parseSignedNote(`${text}\n${lines.join('')}`);
  assert.deepEqual(await r.verifyNote(note([signatureLine(a, text), signatureLine(b, text)]), two), ['a', 'b']);
  await rejects(r.verifyNote(note([signatureLine(a, text)]), two), 'signature', /signed by 1 consortium key\(s\) \(a\), 2 required/);
  await rejects(r.verifyNote(note([signatureLine(a, text), signatureLine(a, text)]), two), 'signature', /2 required/);
  const badB = signatureLine(b, 'other text\n');
  await rejects(r.verifyNote(note([signatureLine(a, text), badB, signatureLine(b, text)]), two), 'signature', /b does not verify/);
});

test('parseSignedNote_malformed_throws', () => {
  const text = checkpointText(ORIGIN, 1, Buffer.alloc(32), 1);
  const line = signatureLine(newKey('k'), text);
  const bad = [
    `${text}${line}`, // no blank line
    `${text}\n${line.slice(0, -1)}`, // no final newline
    `${text}\n- k AAAAAAAA\n`, // not an em dash
    `${text}\n\u2014 k !!!!\n`, // not base64
    `${text}\n\u2014 k AAAA\n`, // too short
    `${text}\n\u2014  AAAAAAAA\n`, // no name
    `${text.replace('\n', '\t\n')}\n${line}`, // control character
  ];
  for (const note of bad) assert.throws(() => r.parseSignedNote(note), r.VerificationError, JSON.stringify(note));
});

test('parseSignedNote_andCheckpoint_refuseNonCanonicalBase64', () => {
  const text = checkpointText(ORIGIN, 1, Buffer.alloc(32), 1);
  // "AAAAAAAAAA==" and "AAAAAAAAAB==" decode to the same 7 zero bytes: the second sets an unused bit
  assert.equal(r.parseSignedNote(`${text}\n\u2014 k AAAAAAAAAA==\n`).signatures.length, 1);
  assert.throws(
    () => r.parseSignedNote(`${text}\n\u2014 k AAAAAAAAAB==\n`),
    (e) => e instanceof r.VerificationError && /not canonical base64/.test(e.message),
  );
  // 32 zero bytes are "AAAA...AAA=" (43 A's); "...AAB=" decodes to the same bytes
  const root = 'A'.repeat(43) + '=';
  assert.equal(r.parseCheckpoint(`${ORIGIN}\n1\n${root}\ntime 1\n`).root.length, 32);
  assert.throws(
    () => r.parseCheckpoint(`${ORIGIN}\n1\n${'A'.repeat(42)}B=\ntime 1\n`),
    (e) => e instanceof r.VerificationError && /not canonical base64/.test(e.message),
  );
});

test('parseTrustFile_badFiles_throw', async () => {
  const key = newKey('k');
  const [name, id, data] = [key.vkey.split('+')[0], key.keyId.toString('hex'), key.vkey.substring(key.vkey.indexOf('+', 5) + 1)];
  assert.equal(`${name}+${id}+${data}`, key.vkey);
  const wrongId = `${name}+${(key.keyId.readUInt32BE() ^ 1).toString(16).padStart(8, '0')}+${data}`;
  const bytes = Buffer.from(data, 'base64');
  bytes[0] = 0x01;
  const wrongType = `${name}+${id}+${bytes.toString('base64')}`;
  for (const [file, pattern] of [
    [`cosigners 1\n${key.vkey}\n`, /no origin/],
    [`origin o\n`, /no verifier keys/],
    [`origin o\ncosigners 2\n${key.vkey}\n`, /cosigners 2 but only 1/],
    [`origin o\ncosigners 0\n${key.vkey}\n`, /not a positive number/],
    [`origin o\n${wrongId}\n`, /key id of k is/],
    [`origin o\n${wrongType}\n`, /signature type 0x02/],
    [`origin o\n${key.vkey}\n${key.vkey}\n`, /appears twice/],
    [`origin o\nk+${id}\n`, /not a verifier key/],
  ]) {
    await rejects(r.parseTrustFile(file), 'keys', pattern);
  }
  const parsed = await r.parseTrustFile(`# comment\n\norigin o\r\n${key.vkey}\n`);
  assert.equal(parsed.origin, 'o');
  assert.equal(parsed.keys[0].keyId, key.keyId.readUInt32BE());
});

// ---- earlier key sets: a consortium that changed ----

const changed = makeChangedNetwork({ changedAt: 8 });
const { a, b, c, d, e } = changed.keys;
/** A pattern matching exactly this message. */
const exactly = (message) => new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

test('parseTrustFile_earlierLine_keptWithItsSizeCosignersAndKeys', async () => {
  const parsed = await r.parseTrustFile(changed.trust);
  assert.deepEqual(parsed.keys.map((k) => k.name), ['org1-node1', 'org2-node1', 'org4-node1', 'org5-node1']);
  assert.equal(parsed.cosigners, 3);
  assert.equal(parsed.earlier.length, 1);
  assert.equal(parsed.earlier[0].maxSize, 8);
  assert.equal(parsed.earlier[0].cosigners, 2);
  assert.deepEqual(parsed.earlier[0].keys.map((k) => k.vkey), [a.vkey, b.vkey, c.vkey]);
  assert.equal(parsed.earlier[0].keys[2].keyId, c.keyId.readUInt32BE());
  assert.deepEqual((await r.parseTrustFile(changed.newTrust)).earlier, []);
  // fields separated by runs of spaces, lines kept in file order, a size of 0 and of 2^53 - 1
  const spaced = await r.parseTrustFile(
    `origin o\n${d.vkey}\nearlier  12   1 ${c.vkey}  ${a.vkey}\nearlier 0 1 ${e.vkey}\n` +
      `earlier 9007199254740991 2 ${a.vkey} ${b.vkey}\n`,
  );
  assert.deepEqual(
    spaced.earlier.map((set) => [set.maxSize, set.cosigners, set.keys.map((k) => k.name)]),
    [
      [12, 1, ['org3-node1', 'org1-node1']],
      [0, 1, ['org5-node1']],
      [9007199254740991, 2, ['org1-node1', 'org2-node1']],
    ],
  );
});

test('parseTrustFile_badEarlierLines_throw', async () => {
  const id = a.keyId.toString('hex');
  const wrongId = a.vkey.replace(`+${id}+`, `+${(a.keyId.readUInt32BE() ^ 1).toString(16).padStart(8, '0')}+`);
  const sameName = newKey('org1-node1');
  for (const [line, pattern] of [
    [`earlier 8 0 ${a.vkey}`, /cosigners is not a positive number: 0$/],
    [`earlier 8 3 ${a.vkey} ${b.vkey}`, /cosigners 3 but only 2 keys$/],
    [`earlier 8 10000 ${a.vkey}`, /cosigners is not a positive number: 10000$/],
    [`earlier 8 02 ${a.vkey} ${b.vkey}`, /cosigners is not a positive number: 02$/],
    [`earlier 8 x ${a.vkey}`, /cosigners is not a positive number: x$/],
    [`earlier 08 1 ${a.vkey}`, /max size is not canonical decimal .*: 08$/],
    [`earlier eight 1 ${a.vkey}`, /max size is not canonical decimal .*: eight$/],
    [`earlier -1 1 ${a.vkey}`, /max size is not canonical decimal .*: -1$/],
    [`earlier 9007199254740992 1 ${a.vkey}`, /max size is not canonical decimal .*: 9007199254740992$/],
    [`earlier 8 1`, /no verifier keys$/],
    [`earlier 8`, /cosigners is not a positive number/],
    [`earlier 8 2 ${a.vkey} ${a.vkey}`, /key name org1-node1 appears twice$/],
    [`earlier 8 2 ${a.vkey} ${sameName.vkey}`, /key name org1-node1 appears twice$/],
    [`earlier 8 1 ${a.vkey} org3-node1+${id}`, /not a verifier key/],
    [`earlier 8 1 ${wrongId}`, /key id of org1-node1 is/],
    [`earlier 8 1 ${a.vkey}\tx`, /key of org1-node1 is not base64/],
  ]) {
    const file = `origin o\n${d.vkey}\n${line}\n`;
    await rejects(r.parseTrustFile(file), 'keys', new RegExp(`^trust file: earlier key set 1: ${pattern.source}`));
  }
  // the line is named by its place among the earlier lines
  await rejects(
    r.parseTrustFile(`origin o\n${d.vkey}\nearlier 8 1 ${a.vkey}\nearlier 9 2 ${a.vkey}\n`),
    'keys',
    /^trust file: earlier key set 2: cosigners 2 but only 1 keys$/,
  );
});

test('verifyReceipt_checkpointOfTheEarlierConsortium_verifiesByTheEarlierKeySet', async () => {
  const trust = await r.parseTrustFile(changed.trust);
  const old = changed.receipt(8, [a, c]);
  const verified = await r.verifyReceipt(old, trust);
  assert.deepEqual(verified.signers, ['org1-node1', 'org3-node1']);
  assert.equal(verified.treeSize, 8);
  assert.deepEqual((await r.verifyReceipt(changed.receipt(3, [c, b]), trust)).signers, ['org2-node1', 'org3-node1']);
  // without the earlier line, as before
  await rejects(
    r.verifyReceipt(old, await r.parseTrustFile(changed.newTrust)),
    'signature',
    exactly('checkpoint signed by 1 consortium key(s) (org1-node1), 3 required'),
  );
});

test('verifyReceipt_earlierKeysBeyondTheirSize_refused', async () => {
  const trust = await r.parseTrustFile(changed.trust);
  await rejects(
    r.verifyReceipt(changed.receipt(9, [a, c]), trust),
    'signature',
    exactly(
      'checkpoint signed by 1 consortium key(s) (org1-node1), 3 required; ' +
        'nor by an earlier key set of the consortium (none covers a checkpoint of 9 leaves)',
    ),
  );
  const all = changed.receipt(12, [a, b, c]);
  await rejects(r.verifyReceipt(all, trust), 'signature', /\(none covers a checkpoint of 12 leaves\)$/);
});

test('verifyReceipt_currentKeys_verifyAsBefore_andFailingBothIsRefused', async () => {
  const trust = await r.parseTrustFile(changed.trust);
  const current = await r.verifyReceipt(changed.receipt(12, [e, a, d]), trust);
  assert.deepEqual(current.signers, ['org1-node1', 'org4-node1', 'org5-node1']);
  // a checkpoint the earlier key set covers, signed by the current keys: their signers, not the earlier set's
  const both = await r.verifyReceipt(changed.receipt(8, [a, b, c, d]), trust);
  assert.deepEqual(both.signers, ['org1-node1', 'org2-node1', 'org4-node1']);
  await rejects(
    r.verifyReceipt(changed.receipt(8, [a, d]), trust),
    'signature',
    exactly(
      'checkpoint signed by 2 consortium key(s) (org1-node1, org4-node1), 3 required; ' +
        'nor by an earlier key set of the consortium (1 covers a checkpoint of 8 leaves)',
    ),
  );
  // a signature of an earlier key that does not verify fails the earlier key set
  const text = checkpointText(ORIGIN, 1, Buffer.alloc(32), 1);
  const badC = signatureLine(c, 'other text\n');
  const note = r.parseSignedNote(`${text}\n${signatureLine(a, text)}${signatureLine(b, text)}${badC}`);
  await rejects(r.verifyCheckpointNote(note, trust), 'signature', /3 required; nor by an earlier key set .*\(1 covers/);
});

test('verifyCheckpointNote_earlierKeySets_triedInFileOrder', async () => {
  const trust = await r.parseTrustFile(
    trustFile([a, b, d, e], 3, [
      { maxSize: 4, cosigners: 1, keys: [c] },
      { maxSize: 10, cosigners: 2, keys: [a, b, c] },
    ]),
  );
  const note = (size, signers) => {
    const text = checkpointText(ORIGIN, size, Buffer.alloc(32), 1);
    return r.parseSignedNote(`${text}\n${signers.map((k) => signatureLine(k, text)).join('')}`);
  };
  // both sets cover size 3: the first that verifies gives the signers
  assert.deepEqual(await r.verifyCheckpointNote(note(3, [a, b, c]), trust), ['org3-node1']);
  assert.deepEqual(await r.verifyCheckpointNote(note(3, [a, b]), trust), ['org1-node1', 'org2-node1']);
  assert.deepEqual(await r.verifyCheckpointNote(note(9, [a, c]), trust), ['org1-node1', 'org3-node1']);
  assert.deepEqual(await r.verifyCheckpointNote(note(9, [a, b, d]), trust), ['org1-node1', 'org2-node1', 'org4-node1']);
  await rejects(r.verifyCheckpointNote(note(9, [c]), trust), 'signature', /\(1 covers a checkpoint of 9 leaves\)$/);
  await rejects(r.verifyCheckpointNote(note(2, [a]), trust), 'signature', /\(2 cover a checkpoint of 2 leaves\)$/);
  const late = note(11, [a, b, c]);
  await rejects(r.verifyCheckpointNote(late, trust), 'signature', /\(none covers a checkpoint of 11 leaves\)$/);
  // a note whose text is not a checkpoint: the current keys' failure as it is
  const other = r.parseSignedNote(`hello\n\n${signatureLine(c, 'hello\n')}`);
  const none = exactly('checkpoint signed by 0 consortium key(s), 3 required');
  await rejects(r.verifyCheckpointNote(other, trust), 'signature', none);
  // the revocation lists' verifyNote knows only the current keys
  await rejects(r.verifyNote(note(3, [c]), trust), 'signature', none);
});

test('derToRaw_strictDer', () => {
  const int = (bytes) => [0x02, bytes.length, ...bytes];
  const seq = (...parts) => Uint8Array.from([0x30, parts.flat().length, ...parts.flat()]);
  const r32 = Array(32).fill(0x11);
  const high = [0x00, 0x80, ...Array(31).fill(0x22)];
  const raw = r.derToRaw(seq(int(r32), int(high)));
  assert.deepEqual(Array.from(raw), [...r32, 0x80, ...Array(31).fill(0x22)]);
  assert.deepEqual(Array.from(r.derToRaw(seq(int([5]), int([6])))), [...Array(31).fill(0), 5, ...Array(31).fill(0), 6]);
  assert.equal(r.derToRaw(seq(int([0x00, 0x05]), int([6]))), null, 'not minimal');
  assert.equal(r.derToRaw(seq(int([0x85]), int([6]))), null, 'negative');
  assert.equal(r.derToRaw(seq(int(Array(33).fill(1)), int([6]))), null, 'too long');
  assert.equal(r.derToRaw(Uint8Array.from([...seq(int([5]), int([6])), 0])), null, 'trailing');
});

test('verifyCertificate_checksTheCommitmentOfRecordAndSalt', async () => {
  const good = network.certificates.valid;
  const verified = await r.verifyCertificate(good, trust);
  assert.equal(verified.record.subject.given_name, 'Zoë');
  await rejects(r.verifyCertificate(network.certificates.tampered, trust), 'commitment', /certificate's commitment/);
  const saltChanged = { ...good, salt: `${good.salt.slice(0, -1)}0` === good.salt ? `${good.salt.slice(0, -1)}1` : `${good.salt.slice(0, -1)}0` };
  await rejects(r.verifyCertificate(saltChanged, trust), 'commitment');
  const otherReceipt = { ...good, commitment: undefined, receipt: network.receipts.revoked };
  await rejects(r.verifyCertificate(otherReceipt, trust), 'commitment', /receipt's commitment/);
  await rejects(r.verifyCertificate({ ...good, format: 'x' }, trust), 'format');
});

test('certificateFromPdf_andReceiptFromText', () => {
  const json = JSON.stringify({ format: 'dossier-certificate/v1', receipt: 'x' });
  const pdf = Buffer.from(`%PDF-1.7\n1 0 obj\n<< >>\nstream\n${json}\r\nendstream\nendobj\n`, 'latin1');
  assert.equal(r.certificateFromPdf(pdf), json);
  assert.equal(r.certificateFromPdf(Buffer.from('%PDF-1.7\n')), null);
  const receipt = network.receipts.valid;
  assert.equal(r.receiptFromText(`http://127.0.0.1:9051/verify#r=${receipt}`), receipt);
  assert.equal(r.receiptFromText(` ${receipt}\n`), receipt);
  assert.equal(r.receiptFromText('https://example.org/other'), null);
});

test('verdictOf_statusOverrides_offlineLabelled', async () => {
  const verified = await r.verifyReceipt(network.receipts.valid, trust);
  const expired = await r.verifyReceipt(network.receipts.expired, trust);
  const entry = verified.entry;
  assert.equal(r.verdictOf(verified, { kind: 'ok', entry }, '2026-01-01').verdict, 'VALID');
  assert.equal(r.verdictOf(verified, { kind: 'ok', entry }, '2031-05-01').verdict, 'VALID');
  assert.equal(r.verdictOf(verified, { kind: 'ok', entry }, '2031-05-02').verdict, 'EXPIRED');
  assert.match(r.verdictOf(expired, { kind: 'ok', entry: expired.entry }).reason, /refresher was due by 2020-01-01/);
  const revoked = r.verdictOf(verified, {
    kind: 'ok',
    entry: { ...entry, status: 'revoked', revocationReason: 'fraud', revokedAt: '2025-07-01T08:00:00Z' },
  });
  assert.equal(revoked.verdict, 'REVOKED');
  assert.match(revoked.reason, /Revoked on 2025-07-01T08:00:00Z: fraud \(fraud\)/);
  const precise = { ...entry, status: 'revoked', revocationReason: 'issued_in_error', revokedAt: '2026-11-23T13:16:44.730533302Z' };
  assert.match(r.verdictOf(verified, { kind: 'ok', entry: precise }).reason, /on 2026-11-23T13:16:44Z: issued in error \(issued_in_error\)/);
  const superseded = r.verdictOf(verified, { kind: 'ok', entry: { ...entry, status: 'superseded', supersededBy: 'ab' } });
  assert.equal(superseded.verdict, 'SUPERSEDED');
  assert.match(superseded.reason, /by ab/);
  assert.equal(r.verdictOf(verified, { kind: 'not-found' }).verdict, 'NOT_FOUND');
  const offline = r.verdictOf(verified, { kind: 'offline', keysPinnedAt: '2025-06-01T10:00:00.000Z' });
  assert.equal(offline.verdict, 'VALID_OFFLINE');
  assert.match(offline.reason, /Valid as of 2025-06-15T15:06:40Z.*checked offline/);
  assert.equal(
    offline.note,
    'Checked offline against the pinned consortium keys (pinned 2025-06-01T10:00:00.000Z) and the receipt\'s ' +
      'checkpoint of 2025-06-15T15:06:40Z: revocations after 2025-06-15T15:06:40Z cannot be seen offline.',
  );
  assert.equal(r.verdictOf(expired, { kind: 'offline' }).verdict, 'EXPIRED');
});

test('verdictOf_statusFailsWhileOnline_neverValid', async () => {
  const verified = await r.verifyReceipt(network.receipts.valid, trust);
  const expired = await r.verifyReceipt(network.receipts.expired, trust);
  const entry = verified.entry;
  const failures = {
    'HTTP 503': { kind: 'unknown', message: 'the node answered HTTP 503' },
    'legacy error kind': { kind: 'error', message: 'HTTP 500' },
    'no kind': {},
    'no status at all': undefined,
    'answer is null': { kind: 'ok', entry: null },
    'answer is an array': { kind: 'ok', entry: [entry] },
    'answer without status': { kind: 'ok', entry: { ...entry, status: undefined } },
    'unknown status': { kind: 'ok', entry: { ...entry, status: 'valid' } },
    'another commitment': { kind: 'ok', entry: { ...entry, commitment: 'ab'.repeat(32) } },
  };
  for (const [name, status] of Object.entries(failures)) {
    const result = r.verdictOf(verified, status, '2026-01-01');
    assert.equal(result.verdict, 'UNKNOWN', name);
    assert.match(result.reason, /^Current status unknown: /, name);
    assert.equal(r.verdictOf(expired, status).verdict, 'EXPIRED', name);
  }
  assert.match(r.verdictOf(verified, failures['HTTP 503']).reason, /\(the node answered HTTP 503\)/);
  assert.match(r.verdictOf(verified, failures['unknown status']).reason, /unknown status: "valid"/);
  assert.equal(r.verdictOf(verified, { kind: 'ok', entry: { ...entry, commitment: entry.commitment.toUpperCase() } }).verdict, 'VALID');
});

// ---- consistency proofs and split views ----

test('verifyConsistency_everyPairOfSizesUpTo20Leaves_verifies', async () => {
  const leaves = leavesOf(20);
  for (let size2 = 1; size2 <= 20; size2++) {
    const root2 = treeHash(leaves.slice(0, size2));
    for (let size1 = 1; size1 <= size2; size1++) {
      const root1 = treeHash(leaves.slice(0, size1));
      await r.verifyConsistency(size1, size2, root1, root2, consistencyProof(size1, leaves.slice(0, size2)));
    }
  }
});

test('verifyConsistency_corruptedOrForkedProofs_throw', async () => {
  const leaves = leavesOf(13);
  const root5 = treeHash(leaves.slice(0, 5));
  const root13 = treeHash(leaves);
  const proof = consistencyProof(5, leaves);
  for (let i = 0; i < proof.length; i++) {
    const bad = proof.map((p) => Uint8Array.from(p));
    bad[i][0] ^= 1;
    await rejects(r.verifyConsistency(5, 13, root5, root13, bad), 'consistency', /mismatch/);
  }
  await rejects(r.verifyConsistency(5, 13, root5, root13, proof.slice(1)), 'consistency', /wrong proof size/);
  await rejects(r.verifyConsistency(5, 13, root5, root13, []), 'consistency', /empty consistency proof/);
  await rejects(r.verifyConsistency(0, 13, root5, root13, proof), 'consistency', /empty tree/);
  await rejects(r.verifyConsistency(13, 5, root13, root5, proof), 'consistency', /smaller/);
  await rejects(r.verifyConsistency(5, 5, root5, root13, []), 'consistency', /equal sizes/);
  // a fork: the same first 5 leaves, then others; the honest proof does not lead to the fork's root
  const fork = [...leaves.slice(0, 5), ...leavesOf(8).map((l) => Buffer.concat([l, Buffer.from('!')]))];
  await rejects(r.verifyConsistency(5, 13, root5, treeHash(fork), proof), 'consistency', /root2 mismatch/);
  // a history rewritten below size 5 is not extended by the fork's own proof
  const rewritten = [Buffer.from('other'), ...leaves.slice(1)];
  await rejects(
    r.verifyConsistency(5, 13, root5, treeHash(rewritten), consistencyProof(5, rewritten)),
    'consistency',
    /root1 mismatch/,
  );
});

const checkpointOf = (leaves, time = 1750000000) => ({
  origin: ORIGIN,
  size: leaves.length,
  root: treeHash(leaves),
  time,
});

test('checkConsistency_sameNewerOlderAndUnchecked', async () => {
  const leaves = leavesOf(12);
  const proofs = async (from, to) => consistencyProof(from, leaves.slice(0, to));
  const at = (n) => checkpointOf(leaves.slice(0, n));
  assert.equal((await r.checkConsistency(at(7), at(7), proofs)).relation, 'same');
  assert.equal((await r.checkConsistency(at(7), at(12), proofs)).relation, 'newer');
  assert.equal((await r.checkConsistency(at(12), at(7), proofs)).relation, 'older');
  const offline = async () => {
    throw new Error('offline');
  };
  const unchecked = await r.checkConsistency(at(7), at(12), offline);
  assert.equal(unchecked.relation, 'unchecked');
  assert.match(unchecked.detail, /not checked \(offline\)/);
  // equal sizes need no proof, even offline
  assert.equal((await r.checkConsistency(at(7), at(7), offline)).relation, 'same');
});

test('checkConsistency_splitViews_throwSplitView', async () => {
  const leaves = leavesOf(12);
  const fork = [...leaves.slice(0, 6), ...leavesOf(6).map((l) => Buffer.concat([l, Buffer.from('!')]))];
  const honest = async (from, to) => consistencyProof(from, leaves.slice(0, to));
  const forked = async (from, to) => consistencyProof(from, fork.slice(0, to));
  // same size, another root: a split view without asking anyone
  await rejects(
    r.checkConsistency(checkpointOf(leaves), checkpointOf(fork), honest),
    'split-view',
    /split view.*two different roots for the same size 12/,
  );
  // a larger fork: neither the honest log's proof nor the fork's own proof links it to the remembered tree
  await rejects(r.checkConsistency(checkpointOf(leaves.slice(0, 9)), checkpointOf(fork), honest), 'split-view', /prefix/);
  await rejects(r.checkConsistency(checkpointOf(leaves.slice(0, 9)), checkpointOf(fork), forked), 'split-view', /prefix/);
  // a smaller fork must be proved a prefix of the remembered tree
  await rejects(r.checkConsistency(checkpointOf(leaves), checkpointOf(fork.slice(0, 9)), forked), 'split-view', /prefix/);
  // a fork after the remembered size is consistent with it: the split shows once both branches are seen
  assert.equal((await r.checkConsistency(checkpointOf(leaves.slice(0, 6)), checkpointOf(fork), forked)).relation, 'newer');
});

function memoryStorage() {
  const map = new Map();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => map.set(k, String(v)), map };
}

test('witnessCheckpoint_remembersTheLatestAndRefusesAFork', async () => {
  const storage = memoryStorage();
  const proofs = async (from, to) => consistencyProof(from, network.leaves.slice(0, to));
  const older = await r.verifyReceipt(network.receipts.older, trust);
  const valid = await r.verifyReceipt(network.receipts.valid, trust);
  const forked = await r.verifyReceipt(network.receipts.forked, trust); // well signed: only the memory catches it
  assert.equal(valid.leafFormat, 2);
  assert.equal((await r.witnessCheckpoint(storage, older, proofs)).relation, 'first');
  assert.equal((await r.witnessCheckpoint(storage, valid, proofs)).relation, 'newer');
  assert.equal((await r.witnessCheckpoint(storage, older, proofs)).relation, 'older');
  const remembered = storage.getItem(r.CHECKPOINT_STORE + ORIGIN);
  assert.equal(JSON.parse(remembered).note, valid.note);
  await rejects(r.witnessCheckpoint(storage, forked, proofs), 'split-view', /same size 12/);
  assert.equal(storage.getItem(r.CHECKPOINT_STORE + ORIGIN), remembered, 'the remembered checkpoint stays, as evidence');
  // with an empty memory the fork is accepted: a verifier that has seen one branch only cannot tell
  assert.equal((await r.witnessCheckpoint(memoryStorage(), forked, proofs)).relation, 'first');
});

test('witnessCheckpoint_legacyReceipt_notCompared', async () => {
  const legacy = await r.verifyReceipt(network.receipts.legacy, trust);
  assert.equal(legacy.leafFormat, 1);
  const storage = memoryStorage();
  assert.equal((await r.witnessCheckpoint(storage, legacy, async () => [])).relation, 'legacy');
  assert.equal(storage.map.size, 0);
});

test('verifyReceipt_publicEntry_hasNoIssuerDnOrSubject', async () => {
  const verified = await r.verifyReceipt(network.receipts.valid, trust);
  assert.equal(verified.entry.issuerId, null);
  assert.equal(verified.entry.subject, null);
  assert.doesNotMatch(verified.entryText, /issuerId|subject/);
  assert.equal(verified.entry.mspId, 'Org1MSP');
});
