// The verify page against the synthetic node of mock-node.mjs: every verdict, every input kind but the camera.
//   node mock.test.mjs [screenshots dir]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeNetwork, serve, writeFixtures } from './mock-node.mjs';
import { run } from './verify-page.test.mjs';

const network = makeNetwork();
const server = await serve(network);
try {
  const fixtures = writeFixtures(
    network,
    `http://127.0.0.1:${server.address().port}`,
    mkdtempSync(join(tmpdir(), 'dossier-verify-')),
  );
  if (process.argv[2]) fixtures.screenshots = process.argv[2];
  process.exitCode = (await run(fixtures)) === 0 ? 0 : 1;
} finally {
  server.close();
}
