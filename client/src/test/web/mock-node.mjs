// A synthetic Dossier node for testing the verify page without the Java node: a small commitment log signed by two
// P-256 node keys (contract sections 1-4, built here independently of receipt.mjs with node:crypto), certificates
// (section 7), a fork of the log signed by the same keys (a split view), logs whose consortium changed (trust files
// with earlier key sets), and an HTTP server with the node's page routes, /v1/keys, /v1/status and
// /v1/log/consistency (section 5).
//
//   node mock-node.mjs <dir>   writes fixtures under <dir>, serves them and prints the fixtures path; Ctrl-C stops.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const WEB_DIR = resolve(here, '../../../../node/src/main/resources/dev/dossier/node/http/web');
/** The JSON-LD contexts bundled with dossier-credential, which the node serves under /verify/contexts/. */
export const CONTEXTS_DIR = resolve(here, '../../../../credential/src/main/resources/dev/dossier/credential/contexts');
export const ORIGIN = 'dossier/dossier/notary';

const sha256 = (...parts) => createHash('sha256').update(Buffer.concat(parts.map((p) => Buffer.from(p)))).digest();
const leafHash = (data) => sha256([0], data);
const nodeHash = (l, r) => sha256([1], l, r);

function largestPowerOfTwoBelow(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function treeHash(leaves) {
  if (leaves.length === 1) return leafHash(leaves[0]);
  const k = largestPowerOfTwoBelow(leaves.length);
  return nodeHash(treeHash(leaves.slice(0, k)), treeHash(leaves.slice(k)));
}

/** RFC 9162 PROOF(m, D[n]) (section 2.1.4.1), the consistency proof from the first m leaves to all of them. */
export function consistencyProof(m, leaves) {
  const subproof = (m, leaves, complete) => {
    const n = leaves.length;
    if (m === n) return complete ? [] : [treeHash(leaves)];
    const k = largestPowerOfTwoBelow(n);
    return m <= k
      ? [...subproof(m, leaves.slice(0, k), complete), treeHash(leaves.slice(k))]
      : [...subproof(m - k, leaves.slice(k), false), treeHash(leaves.slice(0, k))];
  };
  return m === leaves.length ? [] : subproof(m, leaves, true);
}

/** RFC 9162 PATH(m, D[n]), the inclusion proof of leaf m, leaf end first. */
export function inclusionProof(m, leaves) {
  if (leaves.length === 1) return [];
  const k = largestPowerOfTwoBelow(leaves.length);
  return m < k
    ? [...inclusionProof(m, leaves.slice(0, k)), treeHash(leaves.slice(k))]
    : [...inclusionProof(m - k, leaves.slice(k)), treeHash(leaves.slice(0, k))];
}

export function newKey(name) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const keyId = sha256(spki).subarray(0, 4);
  const vkey = `${name}+${keyId.toString('hex')}+${Buffer.concat([Buffer.of(2), spki]).toString('base64')}`;
  return { name, privateKey, keyId, vkey };
}

export function signatureLine(key, text) {
  const der = sign('sha256', Buffer.from(text, 'utf8'), { key: key.privateKey, dsaEncoding: 'der' });
  return `\u2014 ${key.name} ${Buffer.concat([key.keyId, der]).toString('base64')}\n`;
}

export function checkpointText(origin, size, root, time) {
  return `${origin}\n${size}\n${root.toString('base64')}\ntime ${time}\n`;
}

export function encodeReceipt({ commitment, index, size, proof, entry, note, version = 2 }) {
  const u64 = (n) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(n));
    return b;
  };
  const u16 = (n) => {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(n);
    return b;
  };
  const entryBytes = Buffer.from(entry, 'utf8');
  const noteBytes = Buffer.from(note, 'utf8');
  return Buffer.concat([
    Buffer.of(version),
    commitment,
    u64(index),
    u64(size),
    Buffer.of(proof.length),
    ...proof,
    u16(entryBytes.length),
    entryBytes,
    u16(noteBytes.length),
    noteBytes,
  ]).toString('base64url');
}

/** RFC 8785 for the JSON values used here (strings, integers, objects, arrays). */
export function jcs(v) {
  if (Array.isArray(v)) return `[${v.map(jcs).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${jcs(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

const asciiJson = (v) => JSON.stringify(v).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** A public entry (leaf format v2): no issuerId, no subject. */
function entryJson(commitment, fields) {
  const entry = {
    anchoredAt: '2025-06-01T09:30:00Z',
    commitment,
    kind: 'record',
    mspId: 'Org1MSP',
    schemaVersion: 1,
    status: 'active',
    ...fields,
  };
  return jcs(entry);
}

function record(id, validUntil) {
  return {
    record_id: id,
    version: 1,
    subject: { fiscal_code: 'CLMNIO76E27B354X', given_name: 'Zoë', family_name: 'Colombo', birth_date: '1976-05-27' },
    employer: { vat: '01234560789', name: 'Edilizia Tirrenica S.r.l.' },
    provider: { name: 'Scuola Edile di Roma', accreditation: 'ACCR-LAZ-0412' },
    course: { code: 'SIC-PS', title: 'Addetto primo soccorso gruppo B/C', workload_hours: 12, eqf_level: 2 },
    safety_module: 'primo_soccorso',
    issue_date: '2025-06-01',
    valid_until: validUntil,
    country: 'IT',
    language: 'it',
  };
}

/**
 * Builds a log of twelve leaves (six named records and filler), signs a checkpoint with node keys org1 and org2
 * (cosigners 2), and returns receipts, certificates and the node's current world state.
 */
export function makeNetwork({ time = Math.floor(Date.now() / 1000) } = {}) {
  const keys = [newKey('org1-node1'), newKey('org2-node1')];
  const rogue = newKey('org3-node1');
  const trust = `# Dossier consortium keys\norigin ${ORIGIN}\ncosigners 2\n${keys.map((k) => k.vkey).join('\n')}\n`;
  const named = {
    valid: { validUntil: '2031-05-01', certificate: true },
    revoked: { validUntil: '2031-05-01', certificate: true },
    expired: { validUntil: '2020-01-01', certificate: true },
    superseded: { validUntil: '2031-05-01' },
    replacement: { validUntil: '2031-05-01' },
    unknown: { validUntil: '2031-05-01' },
  };
  const items = [];
  for (let i = 0; i < 12; i++) {
    const name = Object.keys(named)[i / 2] ?? null; // named records at even indexes
    const spec = name ? named[name] : { validUntil: '2030-01-01' };
    const rec = record(`REC-${i}`, spec.validUntil);
    const salt = sha256(Buffer.from(`salt ${i}`));
    const commitment = sha256(Buffer.from('dossier:record:v1'), [0], salt, Buffer.from(jcs(rec), 'utf8'));
    const hex = commitment.toString('hex');
    items.push({ name, rec, salt, commitment, hex, entry: entryJson(hex, { validUntil: spec.validUntil }), spec });
  }
  const leaves = items.map((it) => Buffer.concat([it.commitment, Buffer.from(it.entry, 'utf8')]));
  const text = checkpointText(ORIGIN, leaves.length, treeHash(leaves), time);
  const note = `${text}\n${keys.map((k) => signatureLine(k, text)).join('')}`;
  const roguNote = `${text}\n${signatureLine(keys[0], text)}${signatureLine(rogue, text)}`;

  const status = new Map();
  const receipts = {};
  const certificates = {};
  const base = 'http://node.invalid';
  items.forEach((it, index) => {
    const proof = inclusionProof(index, leaves);
    const receipt = encodeReceipt({ commitment: it.commitment, index, size: leaves.length, proof, entry: it.entry, note });
    const byName = it.name ?? `filler${index}`;
    receipts[byName] = receipt;
    if (it.name === 'valid') {
      receipts.rogueSigned = encodeReceipt({ ...it, index, size: leaves.length, proof, note: roguNote });
      const bad = proof.map((p) => Buffer.from(p));
      bad[1][3] ^= 0x08;
      receipts.modifiedProof = encodeReceipt({ ...it, index, size: leaves.length, proof: bad, note });
    }
    if (it.spec.certificate) {
      certificates[it.name] = {
        format: 'dossier-certificate/v1',
        record: it.rec,
        salt: it.salt.toString('hex'),
        commitment: it.hex,
        node: base,
        receipt,
      };
    }
    let current = JSON.parse(it.entry);
    if (it.name === 'revoked') {
      current = { ...current, status: 'revoked', revocationReason: 'issued_in_error', revokedAt: '2025-07-01T08:00:00Z' };
    } else if (it.name === 'superseded') {
      current = { ...current, status: 'superseded', supersededBy: items[8].hex };
    }
    if (it.name !== 'unknown') status.set(it.hex, jcs(current));
  });
  const tampered = structuredClone(certificates.valid);
  tampered.record.course.workload_hours = 16;
  certificates.tampered = tampered;

  // A split view: a fork of the log of the same size whose last leaf differs, signed by the same two node keys.
  const forked = [...leaves.slice(0, -1), Buffer.concat([items[11].commitment, Buffer.from(items[11].entry.replace('2030', '2039'))])];
  const forkedText = checkpointText(ORIGIN, forked.length, treeHash(forked), time + 60);
  const forkedNote = `${forkedText}\n${keys.map((k) => signatureLine(k, forkedText)).join('')}`;
  receipts.forked = encodeReceipt({ ...items[0], index: 0, size: forked.length, proof: inclusionProof(0, forked), entry: items[0].entry, note: forkedNote });
  // The first eight leaves, signed: an older checkpoint, consistent with the log.
  const older = leaves.slice(0, 8);
  const olderText = checkpointText(ORIGIN, older.length, treeHash(older), time - 60);
  const olderNote = `${olderText}\n${keys.map((k) => signatureLine(k, olderText)).join('')}`;
  receipts.older = encodeReceipt({ ...items[0], index: 0, size: older.length, proof: inclusionProof(0, older), entry: items[0].entry, note: olderNote });
  receipts.legacy = encodeReceipt({ ...items[0], index: 0, size: leaves.length, proof: inclusionProof(0, leaves), entry: items[0].entry, note, version: 1 });
  return { trust, keys, status, receipts, certificates, time, items, leaves, forked };
}

/**
 * A trust file: `keys` with `cosigners`, then an `earlier <max size> <cosigners> <vkey> ...` line for each of
 * `earlier` ({maxSize, cosigners, keys}), in order.
 */
export function trustFile(keys, cosigners, earlier = [], origin = ORIGIN) {
  const lines = [`origin ${origin}`, `cosigners ${cosigners}`, ...keys.map((k) => k.vkey)];
  for (const set of earlier) {
    lines.push(`earlier ${set.maxSize} ${set.cosigners} ${set.keys.map((k) => k.vkey).join(' ')}`);
  }
  return `# Dossier consortium keys\n${lines.join('\n')}\n`;
}

/**
 * A log of twelve leaves whose consortium changed after `changedAt` leaves: keys a, b, c (org1 to org3, cosigners 2)
 * signed its checkpoints until then, a, b, d, e (org1, org2, org4, org5, cosigners 3) sign the later ones. `trust`
 * lists the new keys and the old ones as an earlier key set (`earlier <changedAt> 2 a b c`), `newTrust` the new keys
 * only. receipt(size, signers) is the receipt of leaf 0 under the checkpoint of the first `size` leaves, signed by
 * `signers`.
 */
export function makeChangedNetwork({ time = 1750000000, changedAt = 8 } = {}) {
  const [a, b, c, d, e] = [1, 2, 3, 4, 5].map((n) => newKey(`org${n}-node1`));
  const entries = [];
  const leaves = [];
  for (let i = 0; i < 12; i++) {
    const commitment = sha256(Buffer.from(`changed consortium ${i}`));
    const entry = entryJson(commitment.toString('hex'), { validUntil: '2031-05-01' });
    entries.push({ commitment, entry });
    leaves.push(Buffer.concat([commitment, Buffer.from(entry, 'utf8')]));
  }
  const receipt = (size, signers) => {
    const text = checkpointText(ORIGIN, size, treeHash(leaves.slice(0, size)), time);
    const note = `${text}\n${signers.map((k) => signatureLine(k, text)).join('')}`;
    const proof = inclusionProof(0, leaves.slice(0, size));
    return encodeReceipt({ ...entries[0], index: 0, size, proof, note });
  };
  return {
    keys: { a, b, c, d, e },
    changedAt,
    trust: trustFile([a, b, d, e], 3, [{ maxSize: changedAt, cosigners: 2, keys: [a, b, c] }]),
    newTrust: trustFile([a, b, d, e], 3),
    receipt,
  };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

/** The node's security headers (HttpApi.SECURITY_HEADERS): the page must work under this policy. */
export const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; worker-src 'self';" +
    " manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** Serves the page as the node does (contract section 5) plus /v1/keys and /v1/status of a network. */
export function serve(network, port = 0) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const send = (code, type, body, headers = {}) => {
      res.writeHead(code, { 'Content-Type': type, 'Cache-Control': 'no-cache', ...SECURITY_HEADERS, ...headers });
      res.end(body);
    };
    const error = (code, name, message) => send(code, 'application/json', JSON.stringify({ error: message, code: name }));
    if (path === '/') return send(302, 'text/plain', '', { Location: '/verify' });
    if (path === '/v1/keys') return send(200, 'text/plain; charset=utf-8', network.trust);
    if (path === '/v1/log/consistency') {
      const query = new URL(req.url, 'http://x').searchParams;
      const [from, to] = [Number(query.get('from')), Number(query.get('to'))];
      if (!(from >= 1 && from <= to && to <= network.leaves.length)) return error(400, 'BAD_REQUEST', 'bad sizes');
      const proof = consistencyProof(from, network.leaves.slice(0, to)).map((h) => h.toString('base64'));
      return send(200, 'application/json', JSON.stringify({ from, to, proof }));
    }
    const status = /^\/v1\/status\/([0-9a-f]{64})$/.exec(path);
    if (status) {
      const entry = network.status.get(status[1]);
      return entry ? send(200, 'application/json', entry) : error(404, 'NOT_FOUND', 'not anchored');
    }
    const context = /^\/verify\/contexts\/([A-Za-z0-9._-]+)$/.exec(path)?.[1];
    if (context) {
      // the JSON-LD contexts the node serves from dossier-credential (StaticRoutes.context)
      try {
        return send(200, 'application/json', readFileSync(join(CONTEXTS_DIR, context)));
      } catch (e) {
        return error(404, 'NOT_FOUND', `no such bundled context: ${path}`);
      }
    }
    const file = path === '/verify' || path === '/verify/' ? 'index.html' : /^\/verify\/([A-Za-z0-9._-]+)$/.exec(path)?.[1];
    const ext = file && /\.[a-z]+$/.exec(file)?.[0];
    if (file && TYPES[ext]) {
      try {
        // lets the page's service worker take scope /verify, which also covers the bare /verify#r=… links of QR codes
        const headers = file === 'sw.js' ? { 'Service-Worker-Allowed': '/verify' } : {};
        return send(200, TYPES[ext], readFileSync(join(WEB_DIR, file)), headers);
      } catch (e) {
        // fall through to 404
      }
    }
    return error(404, 'NOT_FOUND', `no route ${path}`);
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok(server)));
}

/** Writes the browser-test fixtures of a network served at baseUrl into dir; returns the fixtures object. */
export function writeFixtures(network, baseUrl, dir) {
  mkdirSync(dir, { recursive: true });
  const file = (name, content) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const certificate = (c) => asciiJson({ ...c, node: baseUrl });
  const validPath = file('valid.certificate.json', certificate(network.certificates.valid));
  const pdf = Buffer.concat([
    Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n4 0 obj\n<< /Type /EmbeddedFile /Subtype /application#2Fjson >>\nstream\n', 'latin1'),
    Buffer.from(certificate(network.certificates.valid)),
    Buffer.from('\nendstream\nendobj\ntrailer\n<< >>\n%%EOF\n'),
  ]);
  const checkpointTime = new Date(network.time * 1000).toISOString().replace('.000Z', 'Z');
  // the consortium changed after the checkpoint of 8 leaves: org2-node1 left, org3-node1 and org4-node1 joined
  const changed = trustFile([network.keys[0], newKey('org3-node1'), newKey('org4-node1')], 2, [
    { maxSize: 8, cosigners: 2, keys: network.keys },
  ]);
  const fixtures = {
    baseUrl,
    cases: [
      { name: 'valid link', kind: 'link', receipt: network.receipts.valid,
        expect: { verdict: 'VALID', text: ['Org1MSP', '2031-05-01', '2025-06-01T09:30:00Z', checkpointTime, 'org1-node1', 'org2-node1', 'first checkpoint'] } },
      { name: 'valid certificate JSON', kind: 'file', file: validPath,
        expect: { verdict: 'VALID', text: ['Colombo', 'Addetto primo soccorso gruppo B/C', 'Org1MSP'] } },
      { name: 'valid certificate PDF, dropped', kind: 'drop', file: file('valid.certificate.pdf', pdf),
        expect: { verdict: 'VALID', text: ['Colombo'] } },
      { name: 'receipt JSON', kind: 'file',
        file: file('revoked.receipt.json', JSON.stringify({ commitment: network.items[2].hex, receipt: network.receipts.revoked })),
        expect: { verdict: 'REVOKED', text: ['issued_in_error', '2025-07-01T08:00:00Z'] } },
      { name: 'pasted link', kind: 'paste', text: `${baseUrl}/verify#r=${network.receipts.valid}`, expect: { verdict: 'VALID' } },
      { name: 'tampered certificate', kind: 'file', file: file('tampered.certificate.json', certificate(network.certificates.tampered)),
        expect: { verdict: 'TAMPERED', text: ['does not hash to'] } },
      { name: 'modified proof', kind: 'link', receipt: network.receipts.modifiedProof,
        expect: { verdict: 'TAMPERED', text: ['Failed check: inclusion', 'Root mismatch'] } },
      { name: 'signed by an unknown key', kind: 'link', receipt: network.receipts.rogueSigned,
        expect: { verdict: 'TAMPERED', text: ['2 required'] } },
      { name: 'revoked certificate', kind: 'file', file: file('revoked.certificate.json', certificate(network.certificates.revoked)),
        expect: { verdict: 'REVOKED', text: ['issued_in_error'] } },
      { name: 'expired', kind: 'file', file: file('expired.certificate.json', certificate(network.certificates.expired)),
        expect: { verdict: 'EXPIRED', text: ['2020-01-01'] } },
      { name: 'superseded', kind: 'link', receipt: network.receipts.superseded,
        expect: { verdict: 'SUPERSEDED', text: [network.items[8].hex] } },
      { name: 'JSON that is not a certificate', kind: 'file', file: file('other.json', '{"hello":"world"}'),
        expect: { message: 'neither a Dossier certificate, a receipt nor a Verifiable Credential 2.0' } },
      { name: 'not found', kind: 'link', receipt: network.receipts.unknown, expect: { verdict: 'NOT_FOUND' } },
      ...['http-503', 'blocked', 'not-json'].map((failure) => ({
        name: `revoked, status request fails while online (${failure})`, kind: 'status-fails', failure,
        receipt: network.receipts.revoked,
        expect: { verdict: 'UNKNOWN', text: ['STATUS UNKNOWN', 'Current status unknown', 'Do not accept it as valid'], absent: ['VALID'] },
      })),
      { name: 'trust file changed: pinned keys kept until the user decides', kind: 'trust-change',
        receipt: network.receipts.valid,
        expect: { verdict: 'VALID', text: ['not the different ones this node serves'],
          afterAccept: { verdict: 'TAMPERED', text: ['Failed check: signature'] } } },
      { name: 'checkpoint signed before a change of the consortium, by an earlier key set', kind: 'link',
        trust: changed, receipt: network.receipts.older,
        expect: { verdict: 'VALID', text: ['org1-node1, org2-node1'] } },
      { name: 'checkpoint beyond the earlier key set, signed by it', kind: 'link', trust: changed,
        receipt: network.receipts.valid,
        expect: { verdict: 'TAMPERED', text: ['Failed check: signature', 'none covers a checkpoint of 12 leaves'] } },
      { name: 'offline', kind: 'offline', receipt: network.receipts.valid,
        expect: { verdict: 'VALID_OFFLINE', text: [`Valid as of ${checkpointTime}`, 'Checked offline against the pinned consortium keys (pinned 20', `revocations after ${checkpointTime} cannot be seen offline`] } },
      { name: 'offline QR link (service worker scope /verify)', kind: 'offline-link', receipt: network.receipts.valid,
        expect: { verdict: 'VALID_OFFLINE', text: [`Valid as of ${checkpointTime}`, 'Checked offline against the pinned consortium keys (pinned 20', `revocations after ${checkpointTime} cannot be seen offline`] } },
      { name: 'split view: a forked checkpoint of the same size after the real one', kind: 'split-view',
        first: network.receipts.valid, receipt: network.receipts.forked,
        expect: { verdict: 'SPLIT_VIEW', text: ['split view', 'two different roots for the same size 12'] } },
      { name: 'an older checkpoint proved a prefix of the one seen before', kind: 'split-view',
        first: network.receipts.valid, receipt: network.receipts.older,
        expect: { verdict: 'VALID', text: ['proved a prefix of the checkpoint of 12 leaves'] } },
    ],
  };
  file('fixtures.json', JSON.stringify(fixtures, null, 2));
  return fixtures;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = resolve(process.argv[2] ?? 'target/mock-node');
  const network = makeNetwork();
  const server = await serve(network, Number(process.env.PORT ?? 0));
  const baseUrl = `http://127.0.0.1:${server.address().port}`;
  writeFixtures(network, baseUrl, dir);
  console.log(`serving ${baseUrl}/verify, fixtures ${join(dir, 'fixtures.json')}`);
}
