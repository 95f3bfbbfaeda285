// Service worker of the verify page: keeps the page, its scripts and the last consortium keys so that a page loaded
// once works with no network. Page files are served from the cache at once and refreshed in the background (the
// next load gets the update); /v1/keys comes from the network when it answers, else from the cache. Entry status
// (/v1/status) is never cached: a revocation must not be hidden by an old copy. The revocation list
// (/v1/revocations) is not cached here either: the page checks its signature and keeps it in IndexedDB.
// v2: the page fails closed and pins the consortium keys; a new cache makes every device install it at once.
// v3: inspector's cards (card.mjs), checked offline from the cached page and keys.
// v4: the signed revocation list (revocations.mjs): the page syncs it into IndexedDB and checks cards offline with it;
//     workers' safety cards (worker-card.mjs).
// v5: Open Badges credentials (credential.mjs): jsonld.js and the bundled JSON-LD contexts are page files; the
//     organisations' controller documents (/<MSP id>/did.json) are kept as the keys are, for credentials offline.
// v6: trust files with earlier key sets (receipts cosigned before a consortium change); the v5 page refuses them.
const CACHE = 'dossier-verify-v6';
const PAGE = '/verify/';
const FILES = [
  PAGE,
  '/verify/style.css',
  '/verify/app.mjs',
  '/verify/receipt.mjs',
  '/verify/card.mjs',
  '/verify/revocations.mjs',
  '/verify/worker-card.mjs',
  '/verify/credential.mjs',
  '/verify/jsonld.min.js',
  '/verify/contexts/credentials-v2.jsonld',
  '/verify/contexts/ob-v3p0-context-3.0.1.json',
  '/verify/contexts/ob-v3p0-context-3.0.2.json',
  '/verify/contexts/ob-v3p0-context-3.0.3.json',
  '/verify/jsQR.js',
  '/verify/icon.svg',
  '/verify/manifest.webmanifest',
];
const KEYS = '/v1/keys';
const CONTROLLER_DOCUMENT = /^\/[A-Za-z0-9._-]+\/did\.json$/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(FILES.map((f) => new Request(f, { cache: 'no-cache' })));
      try {
        const keys = await fetch(KEYS, { cache: 'no-store' });
        if (keys.ok) await cache.put(KEYS, stamped(keys));
      } catch (e) {
        // offline while installing: the page stores the keys it loads
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== CACHE && name.startsWith('dossier-verify-')) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

/** The response with the time it was fetched, so that the page can say how old a cached copy is. */
function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set('X-Dossier-Fetched-At', new Date().toISOString());
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** The network's answer when there is one (kept), else the copy kept from an earlier visit: keys and did.json. */
async function keys(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) {
      await cache.put(key, stamped(response.clone()));
    }
    return response;
  } catch (e) {
    const cached = await cache.match(key);
    if (!cached) throw e;
    const headers = new Headers(cached.headers);
    headers.set('X-Dossier-Cached-At', cached.headers.get('X-Dossier-Fetched-At') ?? 'an earlier visit');
    return new Response(cached.body, { status: 200, headers });
  }
}

async function pageFile(event, key) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(key);
  const refresh = fetch(event.request.url.split('#')[0], { cache: 'no-cache' })
    .then(async (response) => {
      if (response.ok) await cache.put(key, response.clone());
      return response;
    })
    .catch(() => undefined);
  if (cached) {
    event.waitUntil(refresh);
    return cached;
  }
  const response = await refresh;
  return response ?? new Response('offline and not cached', { status: 504, headers: { 'Content-Type': 'text/plain' } });
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname === KEYS || CONTROLLER_DOCUMENT.test(url.pathname)) {
    event.respondWith(keys(event.request, url.pathname));
  } else if (url.pathname === '/verify' || url.pathname === PAGE || url.pathname === '/verify/index.html') {
    event.respondWith(pageFile(event, PAGE));
  } else if (FILES.includes(url.pathname)) {
    event.respondWith(pageFile(event, url.pathname));
  }
});
