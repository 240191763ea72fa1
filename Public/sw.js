/* Ринго Учёт service worker: app shell + network-first page cache for offline reading.
 * Registered by /static/app.js on every signed-in page (not tied to push permission).
 * Non-GET requests are never touched: offline writes go through the queue in app.js. */
'use strict';

var VERSION = 'ringo-v2';
var SHELL_CACHE = VERSION + '-shell';
var PAGES_CACHE = VERSION + '-pages';
var SHELL = [
  '/static/app.css',
  '/static/app.js',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
  '/manifest.webmanifest',
  '/favicon.ico',
  '/offline.html'
];
var NETWORK_TIMEOUT_MS = 8000;
var MAX_PAGES = 80;

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) {
    return cache.addAll(SHELL);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf(VERSION + '-') !== 0;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener('message', function (event) {
  var data = event.data || {};
  if (data.type === 'CLEAR_PAGES') {
    // Signing out: cached pages hold the previous user's orders.
    event.waitUntil(caches.delete(PAGES_CACHE));
  } else if (data.type === 'SKIP_WAITING') {
    self.skipWaiting();
  }
});

/** Pages an operator needs without network: home, the orders list, an order and its completion form. */
function isCachedPage(url) {
  if (url.pathname === '/' || url.pathname === '/orders') { return true; }
  if (/^\/orders\/new\/?$/.test(url.pathname)) { return false; }
  return /^\/orders\/[^/]+(\/complete)?\/?$/.test(url.pathname);
}

function isStatic(url) {
  return url.pathname.indexOf('/static/') === 0 || url.pathname.indexOf('/icons/') === 0 ||
    url.pathname === '/manifest.webmanifest' || url.pathname === '/favicon.ico' || url.pathname === '/offline.html';
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === 'navigate') {
    event.respondWith(isCachedPage(url) ? networkFirstPage(request, url) : networkOrOffline(request));
  } else if (isStatic(url)) {
    event.respondWith(staleWhileRevalidate(request));
  }
});

function withTimeout(promise, ms) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error('timeout')); }, ms);
    promise.then(function (value) { clearTimeout(timer); resolve(value); },
      function (error) { clearTimeout(timer); reject(error); });
  });
}

/** A page is worth caching only when it is the page asked for (not a redirect to /login) and succeeded. */
function cacheable(response, url) {
  if (!response || !response.ok || response.type !== 'basic') { return false; }
  var finalPath = new URL(response.url || url.href).pathname;
  return finalPath === url.pathname;
}

function networkFirstPage(request, url) {
  return withTimeout(fetch(request), NETWORK_TIMEOUT_MS).then(function (response) {
    if (cacheable(response, url)) {
      var copy = response.clone();
      caches.open(PAGES_CACHE).then(function (cache) {
        return cache.put(request, copy).then(function () { return trim(cache); });
      });
      prefetchCompletion(response.clone(), url);
    }
    return response;
  }).catch(function () {
    return caches.open(PAGES_CACHE).then(function (cache) {
      return cache.match(request).then(function (hit) {
        return hit || cache.match(url.origin + url.pathname, { ignoreSearch: true });
      });
    }).then(function (hit) { return hit || offlinePage(); });
  });
}

/** An order page that offers «Завершить» gets its completion form cached too, so it can be filled offline. */
function prefetchCompletion(response, url) {
  if (!/^\/orders\/[^/]+\/?$/.test(url.pathname)) { return; }
  var completePath = url.pathname.replace(/\/$/, '') + '/complete';
  response.text().then(function (html) {
    if (html.indexOf('href="' + completePath + '"') === -1) { return; }
    return fetch(completePath, { credentials: 'same-origin' }).then(function (page) {
      if (cacheable(page, new URL(completePath, url.origin))) {
        return caches.open(PAGES_CACHE).then(function (cache) { return cache.put(completePath, page); });
      }
    });
  }).catch(function () { /* best effort */ });
}

function trim(cache) {
  return cache.keys().then(function (keys) {
    if (keys.length <= MAX_PAGES) { return; }
    return Promise.all(keys.slice(0, keys.length - MAX_PAGES).map(function (key) { return cache.delete(key); }));
  });
}

function networkOrOffline(request) {
  return fetch(request).catch(offlinePage);
}

function offlinePage() {
  return caches.match('/offline.html').then(function (hit) {
    return hit || new Response('<!DOCTYPE html><html lang="ru"><meta charset="UTF-8"><title>Офлайн</title>' +
      '<h1>Нет подключения к интернету</h1><p>Проверьте подключение и обновите страницу.</p></html>',
      { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
  });
}

function staleWhileRevalidate(request) {
  return caches.open(SHELL_CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      var network = fetch(request).then(function (response) {
        if (response && response.ok) { cache.put(request, response.clone()); }
        return response;
      });
      if (hit) {
        network.catch(function () { /* keep the cached copy */ });
        return hit;
      }
      return network.catch(function () { return new Response('', { status: 504 }); });
    });
  });
}

// ---------- Web Push (enabled from «Настройки уведомлений») ----------

self.addEventListener('push', function (event) {
  var data = {};
  if (event.data) {
    try { data = event.data.json(); } catch (e) { data = { body: event.data.text() }; }
  }
  var url = typeof data.url === 'string' && data.url.charAt(0) === '/' ? data.url : '/';
  event.waitUntil(self.registration.showNotification(data.title || 'Ринго Учёт', {
    body: data.body || '',
    icon: '/icons/icon-192.png',
    badge: '/icons/icon-192.png',
    tag: data.notification_id ? 'ringo-' + data.notification_id : 'ringo-notification',
    data: { url: url }
  }));
});

self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || '/';
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (windows) {
    for (var i = 0; i < windows.length; i += 1) {
      if (new URL(windows[i].url).pathname === url && 'focus' in windows[i]) { return windows[i].focus(); }
    }
    return self.clients.openWindow(url);
  }));
});
