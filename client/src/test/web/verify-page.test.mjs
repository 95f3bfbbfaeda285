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
// same browser profile.
// Prints one line per case and 'N passed, N failed'; exits 1 if any case failed.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

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

/** Loads the page online until its service worker controls it and the keys are cached; then goes offline. */
async function goOffline(context, page, base) {
  await page.goto(`${base}/verify/`);
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: RESULT_TIMEOUT_MS });
  await page.waitForFunction(() => /Up to date/.test(document.getElementById('keys-status').textContent), null, {
    timeout: RESULT_TIMEOUT_MS,
  });
  await context.setOffline(true);
  await page.reload();
  await page.waitForFunction(() => document.getElementById('keys-status').textContent.includes('Saved copy'), null, {
    timeout: RESULT_TIMEOUT_MS,
  });
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
  const context = await owner.newContext({
    viewport: { width: 390, height: 844 },
    permissions: c.kind === 'camera' ? ['camera'] : [],
  });
  const errors = [];
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
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
        await page.fill('#paste', c.text);
        await page.click('#paste-form button[type=submit]');
        break;
      case 'offline':
        await goOffline(context, page, base);
        await page.evaluate((r) => {
          location.hash = `r=${r}`;
        }, c.receipt);
        break;
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
