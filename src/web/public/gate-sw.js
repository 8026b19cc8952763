/* global self, caches, fetch, URL, Request */
// The gate app's service worker (卡口通行, scope /gate): keeps the app shell so that /gate opens
// without a network. Hashed build assets (/assets/*) never change under their name: cache-first.
// The page (HTML) is network-first, falling back to the last copy. The API always goes to the
// network and is never cached here (answers may carry personal data): the app keeps what it needs
// offline itself (the device in localStorage, the signed snapshot and the queue in IndexedDB).
// The gate page posts the URLs it loaded ({ type: 'gate-cache', urls }) so that the assets fetched
// before this worker took control are kept too.
const SHELL = 'gate-shell-v1';
const ASSETS = 'gate-assets-v1';
const SHELL_URL = '/gate';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.add(new Request(SHELL_URL, { cache: 'reload' })))
      .catch(() => undefined)
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('gate-') && key !== SHELL && key !== ASSETS).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

async function networkFirst(request, cacheName, cacheKey) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(cacheKey, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(cacheKey);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(ASSETS);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // Every page of the app is the same index.html: one copy, whatever the query (?device=…).
    event.respondWith(networkFirst(request, SHELL, SHELL_URL));
  } else if (url.pathname.startsWith('/api/')) {
    // Network only: scans, look-ups and snapshots are never served from a cache.
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkFirst(request, ASSETS, request));
  }
});

// The page lists what it loaded: those are kept (and fetched if missing); hashed assets of
// earlier builds that it no longer loads are dropped, so the cache does not grow with releases.
self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'gate-cache' || !Array.isArray(data.urls)) return;
  const wanted = data.urls
    .filter((u) => typeof u === 'string')
    .map((u) => new URL(u, self.location.origin))
    .filter((u) => u.origin === self.location.origin && !u.pathname.startsWith('/api/'))
    .map((u) => u.href);
  event.waitUntil(
    caches.open(ASSETS).then(async (cache) => {
      await Promise.all(wanted.map((href) => cache.match(href).then((hit) => (hit ? undefined : cache.add(href).catch(() => undefined)))));
      const keep = new Set(wanted);
      const stored = await cache.keys();
      await Promise.all(stored.filter((r) => new URL(r.url).pathname.startsWith('/assets/') && !keep.has(r.url)).map((r) => cache.delete(r)));
    }),
  );
});
