// Browser tests of the node's verify page: playwright-core drives the system Chromium (never a downloaded browser).
//
//   node verify-page.test.mjs fixtures.json
//
// fixtures.json: {"baseUrl": "http://127.0.0.1:9051", "chromium": "/usr/bin/chromium" (optional),
//   "screenshots": "<dir>" (optional), "cases": [{"name", "kind", …, "expect": {"verdict", "text": [substrings]}}]}
// kinds: link {receipt} opens <base>/verify#r=<receipt>; file {file} picks a file; drop {file} drops it on the page;
// paste {text} pastes a link or receipt; offline {receipt} loads /verify/, goes offline, reloads it from the service
// worker and verifies the receipt (as a new #r= fragment); offline-link {receipt} does the same, then opens the bare
// QR link <base>/verify#r=<receipt> while offline; camera {file: QR PNG} scans the picture with Chromium's fake camera;
// split-view {first, receipt} verifies the receipt `first` (VALID, its checkpoint remembered), then `receipt` in the
// same browser profile; offline-paste {text, expect.online} pastes the text online (expect.online is its verdict), then
// waits for the revocation list to be synced, goes offline, reloads the page from the service worker and pastes it
// again. A case with {alterRevocations: true} gets the node's revocation list with its last byte changed;
// expect.revocations {state, text} is what the page then says of its list. Any case with {trust} has /v1/keys
// answered with that trust file. A paste case with {cpuThrottling: N} slows the CPU N times (Chrome DevTools Protocol)
// and prints the page's time from the decoded text to the verdict (its performance marks), median of 5 runs. A case with {screenshot: path} saves the screen (the viewport) there.
// Prints one line per case and 'N passed, N failed'; exits 1 if any case failed.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { newKey } from './mock-node.mjs';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const RESULT_TIMEOUT_MS = 20000;

function launch(executablePath, extraArgs = []) {
  return chromium.launch({ executablePath, headless: true, args: [...ARGS, ...extraArgs] });
}

async function waitForVerdict(page) {
  await page.waitForFunction(
    () => {
      const result = document.getElementById('result');
      return !result.hidden && result.dataset.verdict && result.dataset.verdict !== 'PENDING';
    },
    null,
    { timeout: RESULT_TIMEOUT_MS },
  );
  return page.evaluate(() => {
    const result = document.getElementById('result');
    return { verdict: result.dataset.verdict, text: result.textContent.replace(/\s+/g, ' ') };
  });
}

async function waitForMessage(page) {
  await page.waitForFunction(() => !document.getElementById('message').hidden, null, { timeout: RESULT_TIMEOUT_MS });
  return page.evaluate(() => document.getElementById('message').textContent);
}

async function waitForKeys(page, ...states) {
  await page.waitForFunction((s) => s.includes(document.getElementById('keys-status').dataset.state), states, {
    timeout: RESULT_TIMEOUT_MS,
  });
}

async function waitForRevocations(page, ...states) {
  await page.waitForFunction((s) => s.includes(document.getElementById('revocations-status').dataset.state), states, {
    timeout: RESULT_TIMEOUT_MS,
  });
  return panelText(page, 'revocations-status');
}

/** Answers the page's /v1/revocations requests with the node's list, its last byte changed. */
async function alterRevocations(context) {
  await context.route('**/v1/revocations**', async (route) => {
    const response = await route.fetch();
    const body = await response.body();
    body[body.length - 1] ^= 0x01;
    await route.fulfill({ response, body });
  });
}

async function paste(page, text) {
  await page.fill('#paste', text);
  await page.click('#paste-form button[type=submit]');
}

/** Loads the page online until its service worker controls it and the keys are pinned; then goes offline. */
async function goOffline(context, page, base) {
  await page.goto(`${base}/verify/`);
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: RESULT_TIMEOUT_MS });
  await waitForKeys(page, 'pinned-now', 'confirmed');
  await context.setOffline(true);
  await page.reload();
  await waitForKeys(page, 'offline');
}

// Fail-closed status and key pinning cases: status-fails {receipt, failure: http-503 | blocked | not-json} opens the
// link online while every /v1/status request fails that way; trust-change {receipt} pins the node's keys, then serves
// a trust file with one key replaced and opens the link: the decision panel must show the old and the new key IDs,
// expect.afterAccept is the verdict once the new keys are trusted. expect.absent lists texts the result must not
// contain. Every case fails on a Content-Security-Policy violation.

/** Answers every /v1/status request of the context with a failure: an error status, a dropped request, or junk. */
async function failStatus(context, failure) {
  await context.route('**/v1/status/**', (route) => {
    switch (failure) {
      case 'http-503':
        return route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"busy","code":"UNAVAILABLE"}' });
      case 'blocked':
        return route.abort('failed');
      case 'not-json':
        return route.fulfill({ status: 200, contentType: 'application/json', body: '<html>captive portal</html>' });
      default:
        throw new Error(`unknown failure ${failure}`);
    }
  });
}

/**
 * The node's trust file with its last checkpoint key replaced by a new key of the same name (card key lines stay):
 * {text, oldId, newId}.
 */
async function replacedTrust(base) {
  const response = await fetch(`${base}/v1/keys`);
  const lines = (await response.text()).trimEnd().split('\n');
  const last = lines.findLastIndex((line) => !line.startsWith('card ') && line.includes('+'));
  const [name, oldId] = lines[last].split('+');
  const key = newKey(name);
  lines[last] = key.vkey;
  return { text: `${lines.join('\n')}\n`, oldId, newId: key.keyId.toString('hex') };
}

async function panelText(page, id) {
  return page.evaluate((i) => document.getElementById(i).textContent.replace(/\s+/g, ' '), id);
}

/** A one-frame Y4M (I420) video of a PNG, for Chromium's --use-file-for-fake-video-capture. */
async function y4mOf(browser, png) {
  const page = await browser.newPage();
  try {
    const { width, height, rgba } = await page.evaluate(async (dataUrl) => {
      const image = new Image();
      image.src = dataUrl;
      await image.decode();
      const margin = 40;
      const width = (image.width + 2 * margin + 1) & ~1;
      const height = (image.height + 2 * margin + 1) & ~1;
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext('2d');
      context.fillStyle = '#fff';
      context.fillRect(0, 0, width, height);
      context.drawImage(image, margin, margin);
      return { width, height, rgba: Array.from(context.getImageData(0, 0, width, height).data) };
    }, `data:image/png;base64,${readFileSync(png).toString('base64')}`);
    const y = Buffer.alloc(width * height);
    const u = Buffer.alloc((width * height) / 4);
    const v = Buffer.alloc((width * height) / 4);
    for (let row = 0; row < height; row++) {
      for (let col = 0; col < width; col++) {
        const i = 4 * (row * width + col);
        const [r, g, b] = [rgba[i], rgba[i + 1], rgba[i + 2]];
        y[row * width + col] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
        if (row % 2 === 0 && col % 2 === 0) {
          const j = (row / 2) * (width / 2) + col / 2;
          u[j] = Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
          v[j] = Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
        }
      }
    }
    const file = join(tmpdir(), `dossier-qr-${process.pid}.y4m`);
    writeFileSync(
      file,
      Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\nFRAME\n`), y, u, v]),
    );
    return file;
  } finally {
    await page.close();
  }
}

const TIMED_RUNS = 5;

/**
 * The benchmark of docs/benchmarks.md: a card's decoded text to its verdict on a slow phone, the CPU throttled
 * c.cpuThrottling times, measured by the page's own performance marks (app.mjs, cardMark), once the page has loaded
 * the keys, as a scan finds them (the camera takes longer to start). TIMED_RUNS runs, the first one just after the
 * page loaded; prints each run and each step's median.
 */
async function timeCard(context, page, c) {
  await waitForKeys(page, 'pinned-now', 'confirmed');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: c.cpuThrottling });
  const steps = ['keys', 'signature', 'status', 'verdict'];
  const runs = [];
  for (let i = 0; i < TIMED_RUNS; i++) {
    const started = performance.now();
    await paste(page, c.text);
    await waitForVerdict(page);
    const outside = performance.now() - started;
    const inside = await page.evaluate((names) => names.map((n) => performance.getEntriesByName(`dossier:card ${n}`)[0]?.duration), steps);
    if (inside.some((ms) => ms === undefined)) throw new Error(`the page measured no card steps: ${inside}`);
    runs.push([...inside, outside]);
  }
  const median = (k) => runs.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  const at = [...steps, 'paste to verdict, as Playwright sees it'].map((name, k) => `${name} ${Math.round(median(k))}`);
  const each = runs.map((r) => Math.round(r[3])).join(', ');
  console.log(`    decoded text to verdict: ${Math.round(median(3))} ms median of ${TIMED_RUNS} (${each}), at ${c.cpuThrottling}x CPU throttling`);
  console.log(`    medians since decoded, ms: ${at.join(', ')}`);
}

async function runCase(browser, fixtures, c) {
  const base = fixtures.baseUrl.replace(/\/$/, '');
  let cameraBrowser = null;
  let owner = browser;
  if (c.kind === 'camera') {
    const video = await y4mOf(browser, c.file);
    cameraBrowser = await launch(fixtures.chromium ?? '/usr/bin/chromium', [
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ]);
    owner = cameraBrowser;
  }
  const routed = c.kind === 'status-fails' || c.kind === 'trust-change' || c.trust !== undefined || c.alterRevocations;
  const context = await owner.newContext({
    viewport: { width: 390, height: 844 },
    permissions: c.kind === 'camera' ? ['camera'] : [],
    // requests a service worker makes are not routed: these cases test the page's own requests
    serviceWorkers: routed ? 'block' : 'allow',
  });
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  if (c.alterRevocations) await alterRevocations(context);
  if (c.trust !== undefined) {
    await context.route('**/v1/keys', (route) =>
      route.fulfill({ status: 200, contentType: 'text/plain; charset=utf-8', body: c.trust }),
    );
  }
  const errors = [];
  let replaced = null;
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) errors.push(`CSP: ${m.text()}`);
    });
    switch (c.kind) {
      case 'link':
        await page.goto(`${base}/verify#r=${c.receipt}`);
        break;
      case 'file':
        await page.goto(`${base}/verify`);
        await page.setInputFiles('#file', c.file);
        break;
      case 'drop':
        await page.goto(`${base}/verify`);
        await page.evaluate(
          ({ name, data }) => {
            const bytes = Uint8Array.from(atob(data), (ch) => ch.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name));
            const target = document.getElementById('drop');
            for (const type of ['dragenter', 'dragover', 'drop']) {
              target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
            }
          },
          { name: basename(c.file), data: readFileSync(c.file).toString('base64') },
        );
        break;
      case 'paste':
        await page.goto(`${base}/verify`);
        if (c.cpuThrottling) {
          await timeCard(context, page, c);
        } else {
          await paste(page, c.text);
        }
        break;
      case 'status-fails':
        await failStatus(context, c.failure);
        await page.goto(`${base}/verify#r=${c.receipt}`);
        break;
      case 'trust-change':
        await page.goto(`${base}/verify/`);
        await waitForKeys(page, 'pinned-now');
        replaced = await replacedTrust(base);
        await context.route('**/v1/keys', (route) =>
          route.fulfill({ status: 200, contentType: 'text/plain; charset=utf-8', body: replaced.text }),
        );
        await page.goto(`${base}/verify#r=${c.receipt}`);
        await waitForKeys(page, 'changed');
        break;
      case 'offline':
        await goOffline(context, page, base);
        await page.evaluate((r) => {
          location.hash = `r=${r}`;
        }, c.receipt);
        break;
      case 'offline-paste': {
        await page.goto(`${base}/verify/`);
        await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: RESULT_TIMEOUT_MS });
        await paste(page, c.text);
        const online = await waitForVerdict(page);
        if (online.verdict !== c.expect.online) {
          errors.push(`online: verdict ${online.verdict}, expected ${c.expect.online}: ${online.text.substring(0, 400)}`);
        }
        // the revocation list synced while online, before going offline
        await waitForRevocations(page, 'synced');
        await context.setOffline(true);
        await page.reload();
        await waitForKeys(page, 'offline');
        await paste(page, c.text);
        break;
      }
      case 'offline-link':
        await goOffline(context, page, base);
        await page.goto(`${base}/verify#r=${c.receipt}`);
        break;
      case 'camera':
        await page.goto(`${base}/verify`);
        await page.click('#scan');
        break;
      case 'split-view': {
        await page.goto(`${base}/verify#r=${c.first}`);
        const first = await waitForVerdict(page);
        if (first.verdict !== 'VALID') throw new Error(`first receipt: verdict ${first.verdict}, expected VALID`);
        await page.evaluate(() => {
          document.getElementById('result').dataset.verdict = 'PENDING';
        });
        await page.evaluate((r) => {
          location.hash = `r=${r}`;
        }, c.receipt);
        break;
      }
      default:
        throw new Error(`unknown case kind ${c.kind}`);
    }
    const expect = c.expect ?? {};
    let outcome;
    if (expect.message !== undefined) {
      const text = await waitForMessage(page);
      outcome = { verdict: null, text };
      if (!text.includes(expect.message)) errors.push(`message "${text}" does not contain "${expect.message}"`);
    } else {
      outcome = await waitForVerdict(page);
      if (outcome.verdict !== expect.verdict) {
        errors.push(`verdict ${outcome.verdict}, expected ${expect.verdict}: ${outcome.text.substring(0, 400)}`);
      }
      for (const text of expect.text ?? []) {
        if (!outcome.text.includes(text)) errors.push(`result does not contain "${text}": ${outcome.text}`);
      }
      for (const text of expect.absent ?? []) {
        if (outcome.text.includes(text)) errors.push(`result contains "${text}": ${outcome.text}`);
      }
    }
    if (replaced) {
      await checkTrustChange(page, replaced, expect, errors);
    }
    if (expect.revocations) {
      const status = await waitForRevocations(page, expect.revocations.state);
      for (const text of expect.revocations.text ?? []) {
        if (!status.includes(text)) errors.push(`revocation list status does not contain "${text}": ${status}`);
      }
    }
    const violations = await page.evaluate(() => window.cspViolations ?? []);
    for (const v of violations) errors.push(`Content-Security-Policy violation: ${v}`);
    if (c.screenshot) {
      await page.screenshot({ path: c.screenshot });
    }
    if (fixtures.screenshots) {
      mkdirSync(fixtures.screenshots, { recursive: true });
      const name = c.name.replace(/[^A-Za-z0-9]+/g, '-');
      await page.screenshot({ path: join(fixtures.screenshots, `${name}.png`), fullPage: true });
    }
  } catch (e) {
    errors.push(e.message.split('\n')[0]);
  } finally {
    await context.close();
    await cameraBrowser?.close();
  }
  return errors;
}

/**
 * The decision panel shows the pinned and the served keys (the replaced key's old ID marked removed, the new one
 * added); trusting the new keys verifies again, against them.
 */
async function checkTrustChange(page, replaced, expect, errors) {
  const visible = await page.evaluate(() => !document.getElementById('trust-change').hidden);
  if (!visible) {
    errors.push('the trust change panel is not shown');
    return;
  }
  const old = await panelText(page, 'trust-old');
  const offered = await panelText(page, 'trust-new');
  if (!old.includes(`− `) || !old.includes(`key ID ${replaced.oldId}`)) {
    errors.push(`pinned keys do not show the replaced key ${replaced.oldId} as removed: ${old}`);
  }
  if (!offered.includes(`+ `) || !offered.includes(`key ID ${replaced.newId}`)) {
    errors.push(`served keys do not show the new key ${replaced.newId} as added: ${offered}`);
  }
  if (offered.includes(`key ID ${replaced.oldId}`)) errors.push(`served keys still list ${replaced.oldId}`);
  const keys = await panelText(page, 'keys-status');
  if (!keys.includes('Still using the keys pinned')) errors.push(`keys status does not say the pinned keys are used: ${keys}`);
  const stored = await page.evaluate(() => localStorage.getItem('dossier.trust.v1'));
  if (stored.includes(replaced.newId)) errors.push('the served keys were stored before the user decided');
  if (!expect.afterAccept) return;
  await page.click('#trust-accept');
  await page.waitForFunction(() => document.getElementById('keys-status').dataset.state === 'confirmed', null, {
    timeout: RESULT_TIMEOUT_MS,
  });
  try {
    await page.waitForFunction((v) => document.getElementById('result').dataset.verdict === v, expect.afterAccept.verdict, {
      timeout: RESULT_TIMEOUT_MS,
    });
  } catch (e) {
    errors.push(`after trusting the new keys the verdict did not become ${expect.afterAccept.verdict}`);
  }
  const after = await waitForVerdict(page);
  for (const text of expect.afterAccept.text ?? []) {
    if (!after.text.includes(text)) errors.push(`after trusting the new keys, result lacks "${text}": ${after.text}`);
  }
  const pinnedNow = await page.evaluate(() => localStorage.getItem('dossier.trust.v1'));
  if (!pinnedNow.includes(replaced.newId)) errors.push('the new keys were not pinned after the user trusted them');
}

/** Runs every case; returns the number of failed cases. */
export async function run(fixtures, log = console.log) {
  const executable = fixtures.chromium ?? process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executable)) {
    throw new Error(`no Chromium at ${executable}: apt-get install -y chromium (or set "chromium" in the fixtures)`);
  }
  fixtures = { ...fixtures, chromium: executable };
  const browser = await launch(executable);
  let failed = 0;
  try {
    for (const c of fixtures.cases) {
      const started = Date.now();
      const errors = await runCase(browser, fixtures, c);
      const ms = Date.now() - started;
      if (errors.length === 0) {
        log(`ok - ${c.name} (${ms} ms)`);
      } else {
        failed++;
        log(`not ok - ${c.name} (${ms} ms)`);
        for (const e of errors) log(`    ${e}`);
      }
    }
  } finally {
    await browser.close();
  }
  log(`${fixtures.cases.length - failed} passed, ${failed} failed`);
  return failed;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const path = process.argv[2];
  if (!path) {
    console.error('usage: node verify-page.test.mjs <fixtures.json>');
    process.exit(2);
  }
  try {
    const failed = await run(JSON.parse(readFileSync(path, 'utf8')));
    process.exit(failed === 0 ? 0 : 1);
  } catch (e) {
    console.error(`verify-page tests could not run: ${e.message}`);
    process.exit(2);
  }
}
