/* Ринго Учёт — progressive enhancement for server-rendered pages. Vanilla JS, no libraries.
 * (a) service worker registration on signed-in pages;
 * (b) offline queue for forms marked data-offline-queue (status accept/start, completion);
 * (c) price preview on the order form; (d) confirm dialogs; plus small form helpers.
 * Every page works without this file: forms are plain POST forms. */
(function () {
  'use strict';

  var QUEUE_KEY = 'ringo-offline-queue-v1';
  var body = document.body;
  var signedIn = body && body.getAttribute('data-signed-in') === 'true';
  var replaying = false;

  // ---------- helpers ----------

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join('');
    return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  /** Kopeck-exact Russian money, the same shape as RussianFormat.money on the server: «12 345,00 ₽». */
  function money(value) {
    var number = Number(value);
    if (!isFinite(number)) { return String(value); }
    var kopecks = Math.round(Math.abs(number) * 100);
    var whole = String(Math.floor(kopecks / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202F');
    var cents = String(kopecks % 100);
    if (cents.length < 2) { cents = '0' + cents; }
    return (number < 0 ? '-' : '') + whole + ',' + cents + '\u00A0₽';
  }

  /** «25.11.2026 20:46» in company time (Moscow), like the server's pages, whatever the device's zone. */
  function formatDateTime(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) { return ''; }
    try {
      return new Intl.DateTimeFormat('ru-RU', {
        timeZone: 'Europe/Moscow', day: '2-digit', month: '2-digit', year: 'numeric',
        hour: '2-digit', minute: '2-digit', hour12: false
      }).format(date).replace(',', '');
    } catch (e) { /* no time-zone data: device time below */ }
    function pad(n) { return n < 10 ? '0' + n : String(n); }
    return pad(date.getDate()) + '.' + pad(date.getMonth() + 1) + '.' + date.getFullYear() + ' ' +
      pad(date.getHours()) + ':' + pad(date.getMinutes());
  }

  function formFields(form) {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === 'string') { pairs.push([name, value]); }
    });
    return pairs;
  }

  /** The current session's CSRF token replaces a stored one, so a replay after re-login is not rejected. */
  function withFreshToken(fields) {
    var token = body.getAttribute('data-csrf');
    if (!token) { return fields; }
    return fields.map(function (pair) { return pair[0] === '_csrf' ? ['_csrf', token] : pair; });
  }

  function encode(fields) {
    var params = new URLSearchParams();
    fields.forEach(function (pair) { params.append(pair[0], pair[1]); });
    return params;
  }

  function readJSON(response) {
    var type = response.headers.get('Content-Type') || '';
    if (type.indexOf('json') === -1) { return Promise.resolve(null); }
    return response.json().catch(function () { return null; });
  }

  function reasonOf(data, response) {
    if (data) {
      if (typeof data.detail === 'string' && data.detail) { return data.detail; }
      if (typeof data.reason === 'string' && data.reason) { return data.reason; }
      if (typeof data.message === 'string' && data.message) { return data.message; }
      if (Array.isArray(data.non_field_errors)) { return data.non_field_errors.join('; '); }
    }
    var texts = {
      400: 'Неверные данные запроса', 401: 'Требуется авторизация', 403: 'Недостаточно прав',
      404: 'Ресурс не найден', 409: 'Конфликт: данные уже изменились', 422: 'Проверьте данные формы',
      429: 'Слишком много запросов, попробуйте позже'
    };
    if (texts[response.status]) { return texts[response.status]; }
    if (response.status >= 500) { return 'Ошибка сервера, попробуйте позже'; }
    return 'Ошибка при запросе к серверу (' + response.status + ')';
  }

  /** 401, 408, 429 and 5xx say nothing about the action itself: keep it pending and try again later. */
  function isTransient(status) {
    return status === 401 || status === 408 || status === 429 || status >= 500;
  }

  function post(url, fields, key) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      redirect: 'follow',
      headers: {
        'Accept': 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8',
        'Idempotency-Key': key
      },
      body: encode(withFreshToken(fields))
    });
  }

  function notice(text, kind) {
    var box = document.getElementById('queue-notice');
    if (!box) { window.alert(text); return; }
    box.className = 'flash flash--' + (kind || 'info');
    box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    box.textContent = text;
    box.hidden = false;
    box.scrollIntoView({ block: 'center' });
  }

  // ---------- (b) offline queue ----------

  function loadQueue() {
    try {
      var parsed = JSON.parse(window.localStorage.getItem(QUEUE_KEY) || '[]');
      return Array.isArray(parsed) ? parsed : [];
    } catch (e) {
      return [];
    }
  }

  function saveQueue(queue) {
    try {
      window.localStorage.setItem(QUEUE_KEY, JSON.stringify(queue));
    } catch (e) {
      notice('Не удалось сохранить очередь на устройстве: ' + e.message, 'error');
    }
    renderQueue();
  }

  function updateItem(id, changes) {
    saveQueue(loadQueue().map(function (item) {
      return item.id === id ? Object.assign({}, item, changes) : item;
    }));
  }

  function removeItem(id) {
    saveQueue(loadQueue().filter(function (item) { return item.id !== id; }));
  }

  function enqueue(form, url, fields, key, reason) {
    var queue = loadQueue();
    var label = form.getAttribute('data-queue-label') || 'Действие';
    if (queue.some(function (item) { return item.key === key; })) {
      notice('«' + label + '» уже ожидает отправки.', 'info');
      return;
    }
    queue.push({
      id: key, key: key, url: url, fields: fields, label: label,
      created: new Date().toISOString(), user: body.getAttribute('data-user-id') || '',
      status: 'pending', error: reason || '', attempts: 0
    });
    saveQueue(queue);
    notice('Ожидает синхронизации: «' + label + '» будет отправлено автоматически, когда появится сеть.', 'info');
  }

  function isMine(item) {
    return !item.user || item.user === (body.getAttribute('data-user-id') || '');
  }

  /** Sends queued actions strictly in order. Stops at the first item that cannot go yet, so nothing overtakes it. */
  function replay() {
    if (!signedIn || replaying || !navigator.onLine) { return Promise.resolve(); }
    var run = function () {
      replaying = true;
      return replayNext().then(function () { replaying = false; renderQueue(); },
        function () { replaying = false; renderQueue(); });
    };
    if (navigator.locks && navigator.locks.request) {
      return navigator.locks.request('ringo-offline-queue', { ifAvailable: true }, function (lock) {
        return lock ? run() : undefined;
      });
    }
    return run();
  }

  function replayNext() {
    // Each user's actions form their own ordered queue; another user's leftovers never block or get sent.
    var item = loadQueue().filter(isMine)[0];
    if (!item || item.status === 'failed') { return Promise.resolve(); }
    return post(item.url, item.fields, item.key).then(function (response) {
      if (response.ok) {
        removeItem(item.id);
        markQueuedNotes();
        return replayNext();
      }
      return readJSON(response).then(function (data) {
        var reason = reasonOf(data, response);
        var status = isTransient(response.status) ? 'pending' : 'failed';
        updateItem(item.id, { status: status, error: reason, attempts: (item.attempts || 0) + 1 });
      });
    }, function () {
      updateItem(item.id, { error: 'Нет связи с сервером', attempts: (item.attempts || 0) + 1 });
    });
  }

  function renderQueue() {
    var queue = loadQueue();
    var badge = document.getElementById('queue-badge');
    var count = document.getElementById('queue-count');
    if (badge && count) {
      count.textContent = String(queue.length);
      badge.hidden = queue.length === 0;
    }
    var list = document.getElementById('queue-list');
    var empty = document.getElementById('queue-empty');
    if (list) {
      list.textContent = '';
      queue.forEach(function (item, index) { list.appendChild(queueItem(item, index)); });
    }
    if (empty) { empty.hidden = queue.length > 0; }
    markQueuedNotes();
  }

  function queueItem(item, index) {
    var li = el('li', 'queue-item' + (item.status === 'failed' ? ' queue-item--failed' : ''));
    li.appendChild(el('p', 'queue-item__title', item.label));
    var state = item.status === 'failed' ? 'Отклонено сервером' : (index === 0 ? 'Ожидает отправки' : 'В очереди');
    li.appendChild(el('p', 'queue-item__meta', state + ' · создано ' + formatDateTime(item.created) +
      (item.attempts ? ' · попыток: ' + item.attempts : '')));
    if (!isMine(item)) {
      li.appendChild(el('p', 'queue-item__error', 'Сохранено другим пользователем: войдите под ним, чтобы отправить.'));
    }
    if (item.error) { li.appendChild(el('p', 'queue-item__error', item.error)); }
    var buttons = el('div', 'queue-item__buttons');
    var retry = el('button', 'button button--small', 'Повторить');
    retry.type = 'button';
    retry.addEventListener('click', function () {
      updateItem(item.id, { status: 'pending', error: '' });
      replay();
    });
    var remove = el('button', 'button button--small button--danger-ghost', 'Удалить');
    remove.type = 'button';
    remove.addEventListener('click', function () {
      if (window.confirm('Удалить из очереди «' + item.label + '»? Действие не будет отправлено на сервер.')) {
        removeItem(item.id);
        replay();
      }
    });
    buttons.appendChild(retry);
    buttons.appendChild(remove);
    li.appendChild(buttons);
    return li;
  }

  function markQueuedNotes() {
    var queue = loadQueue();
    $all('[data-queued-note]').forEach(function (note) {
      var prefix = note.getAttribute('data-queued-note') + '/';
      var items = queue.filter(function (item) { return item.url.indexOf(prefix) === 0; });
      note.hidden = items.length === 0;
      if (items.length) {
        note.textContent = 'Ожидает синхронизации: ' + items.map(function (i) { return '«' + i.label + '»'; }).join(', ');
      }
    });
  }

  function showFieldErrors(form, errors) {
    $all('.js-field-error', form).forEach(function (node) { node.remove(); });
    Object.keys(errors || {}).forEach(function (name) {
      var control = form.querySelector('[name="' + name.replace(/"/g, '') + '"]');
      if (!control) { return; }
      var message = el('p', 'field__error js-field-error', errors[name]);
      control.setAttribute('aria-invalid', 'true');
      control.insertAdjacentElement('afterend', message);
    });
  }

  function isHTML(response) {
    return (response.headers.get('Content-Type') || '').indexOf('text/html') !== -1;
  }

  function replaceMain(html) {
    var incoming = new DOMParser().parseFromString(html, 'text/html').getElementById('main');
    var current = document.getElementById('main');
    if (!incoming || !current) { notice('Не удалось отправить форму', 'error'); return; }
    current.innerHTML = incoming.innerHTML;
    var summary = current.querySelector('[data-error-summary]');
    if (summary) { summary.focus(); } else { current.focus(); }
  }

  function submitQueued(form) {
    var url = new URL(form.action, window.location.href);
    var path = url.pathname + url.search;
    var fields = formFields(form);
    var key = form.getAttribute('data-idempotency-key');
    if (!key) { key = uuid(); form.setAttribute('data-idempotency-key', key); }
    if (!navigator.onLine) { enqueue(form, path, fields, key, ''); return; }
    var buttons = $all('button[type="submit"]', form);
    buttons.forEach(function (b) { b.disabled = true; b.setAttribute('aria-busy', 'true'); });
    var done = function () { buttons.forEach(function (b) { b.disabled = false; b.removeAttribute('aria-busy'); }); };
    post(path, fields, key).then(function (response) {
      return readJSON(response).then(function (data) {
        done();
        if (response.ok) {
          var target = (data && (data.redirect || data.location)) || (response.redirected ? response.url : '');
          if (target) { window.location.assign(target); } else { window.location.reload(); }
        } else if (isTransient(response.status)) {
          enqueue(form, path, fields, key, reasonOf(data, response));
        } else if (!data && isHTML(response)) {
          // The server re-rendered the form with its errors (422): show that page's content in place.
          return response.text().then(replaceMain);
        } else {
          notice(reasonOf(data, response), 'error');
          if (data && data.errors) { showFieldErrors(form, data.errors); }
        }
      });
    }, function () {
      done();
      enqueue(form, path, fields, key, '');
    });
  }

  // ---------- submit handling: (d) confirm first, then the queue ----------

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    var question = form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (form.hasAttribute('data-offline-queue') && window.fetch) {
      event.preventDefault();
      submitQueued(form);
      return;
    }
    if (form.classList.contains('logout-form')) {
      dropAllDrafts();
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ type: 'CLEAR_PAGES' });
      }
    }
  });

  // ---------- (c) price preview ----------

  function previewRequest(button) {
    var form = button.closest('form');
    var box = document.getElementById('price-preview');
    var result = box && box.querySelector('[data-preview-result]');
    if (!form || !box || !result) { return; }
    if (!navigator.onLine) {
      result.textContent = 'Нет сети: расчёт доступен только онлайн.';
      return;
    }
    button.disabled = true;
    result.textContent = 'Считаем…';
    fetch(box.getAttribute('data-preview-url'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Accept': 'application/json', 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: encode(withFreshToken(formFields(form)))
    }).then(function (response) {
      return readJSON(response).then(function (data) {
        button.disabled = false;
        if (!response.ok || !data) {
          result.textContent = reasonOf(data, response);
          if (data && data.errors) { showFieldErrors(form, data.errors); }
          return;
        }
        renderPreview(result, data);
      });
    }, function () {
      button.disabled = false;
      result.textContent = 'Проблема с сетью или сервер недоступен.';
    });
  }

  function renderPreview(result, data) {
    result.textContent = '';
    var table = el('table', 'preview__table');
    var positions = Array.isArray(data.positions) ? data.positions : [];
    positions.forEach(function (position) {
      var row = table.insertRow();
      var name = row.insertCell();
      name.appendChild(el('span', '', position.name || ''));
      if (position.notes) { name.appendChild(el('span', 'cell-note', position.notes)); }
      var total = row.insertCell();
      total.className = 'num';
      total.textContent = money(position.line_total);
    });
    var summary = data.summary || {};
    // The late penalty (the form's «Просрочка») is shown only when it reduces the total.
    if (summary.late_penalty && Number(summary.late_penalty) > 0) {
      var late = table.insertRow();
      late.className = 'preview__total';
      late.insertCell().textContent = 'Скидка за просрочку';
      var lateCell = late.insertCell();
      lateCell.className = 'num';
      lateCell.textContent = '−' + money(summary.late_penalty);
    }
    [['Итого', summary.total], ['Предоплата', summary.prepayment], ['К оплате', summary.balance]].forEach(function (pair) {
      if (pair[1] === undefined || pair[1] === null) { return; }
      var row = table.insertRow();
      row.className = 'preview__total';
      row.insertCell().textContent = pair[0];
      var cell = row.insertCell();
      cell.className = 'num';
      cell.textContent = money(pair[1]);
    });
    if (!positions.length) { result.appendChild(el('p', 'muted', 'Позиции не выбраны.')); }
    result.appendChild(table);
    renderPreviewConflicts(result, Array.isArray(data.conflicts) ? data.conflicts : []);
  }

  function renderPreviewConflicts(result, conflicts) {
    if (!conflicts.length) { return; }
    var box = el('div', 'conflicts');
    box.setAttribute('role', 'alert');
    box.appendChild(el('h3', '', 'Пересечение по времени'));
    var list = el('ul');
    conflicts.forEach(function (conflict) {
      var li = el('li');
      var link = el('a', '', 'Заявка ' + (conflict.order_number || conflict.number || ''));
      link.href = '/orders/' + encodeURIComponent(conflict.order_id || conflict.order || '');
      li.appendChild(link);
      var resource = conflict.resource_title || conflict.resource_name || conflict.resource || '';
      li.appendChild(document.createTextNode(' · ' + resource + ' · ' + (conflict.period || '')));
      list.appendChild(li);
    });
    box.appendChild(list);
    result.appendChild(box);
  }

  // ---------- order form helpers: item rows, kind filter, client picker ----------

  /** Shows only the chosen type's catalogue entries (rebuilt from #catalog-options) and that type's fields. */
  function applyKind(row) {
    var kindSelect = row.querySelector('[data-item-kind]');
    var refSelect = row.querySelector('[data-item-ref]');
    if (!kindSelect || !refSelect) { return; }
    var kind = kindSelect.value;
    var template = document.getElementById('catalog-options');
    var current = refSelect.value;
    var currentGroup = refSelect.selectedOptions && refSelect.selectedOptions[0] && refSelect.selectedOptions[0].parentNode;
    var keep = currentGroup && currentGroup.tagName === 'OPTGROUP' && currentGroup.getAttribute('data-kind') === kind;
    if (template && template.content) {
      $all('optgroup', refSelect).forEach(function (group) { group.remove(); });
      var source = template.content.querySelector('optgroup[data-kind="' + kind + '"]');
      if (source) { refSelect.appendChild(source.cloneNode(true)); }
      refSelect.value = keep ? current : '';
      if (refSelect.selectedIndex === -1) { refSelect.selectedIndex = 0; }
    }
    $all('[data-kinds]', row).forEach(function (part) {
      part.hidden = part.getAttribute('data-kinds').split(' ').indexOf(kind) === -1;
    });
  }

  function renumberRows(container) {
    $all('[data-item-row]', container).forEach(function (row, index) {
      $all('[name^="items["]', row).forEach(function (node) {
        node.name = node.name.replace(/^items\[\d+\]/, 'items[' + index + ']');
      });
      ['id', 'for', 'aria-describedby'].forEach(function (attribute) {
        $all('[' + attribute + '*="f-items-"]', row).forEach(function (node) {
          node.setAttribute(attribute, node.getAttribute(attribute).replace(/f-items-\d+-/g, 'f-items-' + index + '-'));
        });
      });
      var legend = row.querySelector('legend');
      if (legend) { legend.textContent = 'Позиция ' + (index + 1); }
    });
  }

  function clearRow(row) {
    $all('input', row).forEach(function (input) { input.value = ''; input.removeAttribute('aria-invalid'); });
    $all('select', row).forEach(function (select) { select.selectedIndex = 0; });
    $all('.field__error', row).forEach(function (node) { node.remove(); });
    $all('.has-error', row).forEach(function (node) { node.classList.remove('has-error'); });
  }

  function setUpOrderForm(form) {
    var container = form.querySelector('[data-item-rows]');
    if (container) {
      $all('[data-item-row]', container).forEach(applyKind);
      container.addEventListener('change', function (event) {
        if (event.target.matches('[data-item-kind]')) { applyKind(event.target.closest('[data-item-row]')); }
      });
      container.addEventListener('click', function (event) {
        var button = event.target.closest('[data-remove-item]');
        if (!button) { return; }
        var rows = $all('[data-item-row]', container);
        var row = button.closest('[data-item-row]');
        if (rows.length > 1) { row.remove(); } else { clearRow(row); applyKind(row); }
        renumberRows(container);
      });
      var add = form.querySelector('[data-add-item]');
      if (add) {
        add.addEventListener('click', function () {
          var source = container.querySelector('[data-item-row]');
          var row = source.cloneNode(true);
          clearRow(row);
          container.appendChild(row);
          renumberRows(container);
          applyKind(row);
          var first = row.querySelector('select');
          if (first) { first.focus(); }
        });
      }
    }
    var clientSelect = form.querySelector('[data-client-select]');
    var newClient = form.querySelector('[data-new-client]');
    if (clientSelect && newClient) {
      var sync = function (fillAddress) {
        newClient.hidden = clientSelect.value !== '';
        var option = clientSelect.options[clientSelect.selectedIndex];
        var address = form.querySelector('[name="address"]');
        if (fillAddress && option && address && !address.value.trim()) {
          address.value = option.getAttribute('data-address') || '';
        }
      };
      clientSelect.addEventListener('change', function () { sync(true); });
      sync(false);
    }
    var previewButton = form.querySelector('[data-preview]');
    if (previewButton) {
      previewButton.addEventListener('click', function () { previewRequest(previewButton); });
    }
  }


  // ---------- (e) create-form draft: autosaved per user, listed on «Заявки» ----------

  var DRAFT_PREFIX = 'ringo-order-draft-v1:';

  function draftKey() { return DRAFT_PREFIX + (body.getAttribute('data-user-id') || ''); }

  function loadDraft() {
    try { return JSON.parse(window.localStorage.getItem(draftKey()) || 'null'); } catch (e) { return null; }
  }

  function dropDraft() {
    try { window.localStorage.removeItem(draftKey()); } catch (e) { /* nothing stored */ }
  }

  function dropAllDrafts() {
    try {
      Object.keys(window.localStorage).forEach(function (key) {
        if (key.indexOf(DRAFT_PREFIX) === 0) { window.localStorage.removeItem(key); }
      });
    } catch (e) { /* nothing stored */ }
  }

  /** The fields worth keeping: anything the user typed, not the token or an untouched blank row. */
  function draftFields(form) {
    return formFields(form).filter(function (pair) { return pair[0] !== '_csrf'; });
  }

  function isBlankDraft(fields) {
    return !fields.some(function (pair) {
      return pair[1] !== '' && !/\[type\]$/.test(pair[0]) && pair[0] !== 'client_id';
    }) && !fields.some(function (pair) { return pair[0] === 'client_id' && pair[1] !== ''; });
  }

  function saveDraft(form) {
    var fields = draftFields(form);
    if (isBlankDraft(fields)) { dropDraft(); return; }
    var select = form.querySelector('[data-client-select]');
    var option = select && select.value ? select.options[select.selectedIndex] : null;
    var newName = form.querySelector('[name="new_client_name"]');
    var address = form.querySelector('[name="address"]');
    var start = form.querySelector('[name="start"]');
    var draft = {
      fields: fields, saved: new Date().toISOString(),
      client: option ? option.textContent : (newName ? newName.value : ''),
      address: address ? address.value : '', start: start ? start.value : ''
    };
    try { window.localStorage.setItem(draftKey(), JSON.stringify(draft)); } catch (e) { /* storage full */ }
  }

  function restoreDraft(form, draft) {
    var container = form.querySelector('[data-item-rows]');
    var add = form.querySelector('[data-add-item]');
    var rows = {};
    draft.fields.forEach(function (pair) {
      var match = /^items\[(\d+)\]/.exec(pair[0]);
      if (match) { rows[match[1]] = true; }
    });
    var needed = Object.keys(rows).length;
    while (container && add && $all('[data-item-row]', container).length < needed) { add.click(); }
    $all('input[type="checkbox"]', form).forEach(function (box) { box.checked = false; });
    draft.fields.forEach(function (pair) {
      var controls = $all('[name="' + pair[0].replace(/"/g, '') + '"]', form);
      controls.forEach(function (control) {
        if (control.type === 'checkbox') {
          if (control.value === pair[1]) { control.checked = true; }
        } else if (control.tagName === 'SELECT') {
          control.value = pair[1];
          if (control.hasAttribute('data-item-kind')) { applyKind(control.closest('[data-item-row]')); }
        } else if (control.type !== 'hidden') {
          control.value = pair[1];
        }
      });
    });
    draft.fields.forEach(function (pair) {
      if (!/\[ref_id\]$/.test(pair[0])) { return; }
      var control = form.querySelector('[name="' + pair[0] + '"]');
      if (control) { control.value = pair[1]; }
    });
    var select = form.querySelector('[data-client-select]');
    if (select) { select.dispatchEvent(new Event('change')); }
    notice('Восстановлен черновик заявки от ' + formatDateTime(draft.saved) + '.', 'info');
  }

  function setUpDraft(form) {
    if (!/\/orders\/new$/.test(new URL(form.action, window.location.href).pathname)) { return; }
    var draft = loadDraft();
    if (form.querySelector('[data-error-summary]')) {
      saveDraft(form);
    } else if (draft && Array.isArray(draft.fields)) {
      restoreDraft(form, draft);
    }
    var timer = null;
    var schedule = function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { saveDraft(form); }, 300);
    };
    form.addEventListener('input', schedule);
    form.addEventListener('change', schedule);
    form.addEventListener('submit', function () { window.clearTimeout(timer); dropDraft(); });
  }

  /** «Черновики» on the orders list: the unsent create form of this user. */
  function showDraftCard() {
    if (window.location.pathname !== '/orders' || /[?&]status=/.test(window.location.search)) { return; }
    var draft = loadDraft();
    var head = document.querySelector('#main .page-head');
    if (!draft || !head) { return; }
    var section = el('section', 'card drafts');
    section.setAttribute('aria-label', 'Черновики');
    section.appendChild(el('h2', '', 'Черновики'));
    var link = el('a', 'order-card order-card--draft');
    link.href = '/orders/new';
    var top = el('div', 'order-card__head');
    top.appendChild(el('span', 'order-card__number', 'Заявка (черновик)'));
    top.appendChild(el('span', 'chip chip--draft', 'Черновик'));
    link.appendChild(top);
    link.appendChild(el('p', 'order-card__client', draft.client || 'Черновик клиента'));
    if (draft.address) { link.appendChild(el('p', 'order-card__address', draft.address)); }
    link.appendChild(el('p', 'order-card__period', draft.start ? draft.start.replace('T', ' ') : 'Дата начала не указана'));
    link.appendChild(el('p', 'muted', 'Нажмите, чтобы продолжить заполнение'));
    section.appendChild(link);
    var remove = el('button', 'button button--small button--danger-ghost', 'Удалить черновик');
    remove.type = 'button';
    remove.addEventListener('click', function () { dropDraft(); section.remove(); });
    section.appendChild(remove);
    head.insertAdjacentElement('afterend', section);
  }

  // ---------- completion form: materials not yet on the order ----------

  function renumberMaterials(container) {
    $all('[data-material-row]', container).forEach(function (row, index) {
      $all('[name^="new_materials["]', row).forEach(function (node) {
        node.name = node.name.replace(/^new_materials\[\d+\]/, 'new_materials[' + index + ']');
      });
      ['id', 'for', 'aria-describedby'].forEach(function (attribute) {
        $all('[' + attribute + '*="f-new-materials-"]', row).forEach(function (node) {
          node.setAttribute(attribute, node.getAttribute(attribute).replace(/f-new-materials-\d+-/g, 'f-new-materials-' + index + '-'));
        });
      });
    });
  }

  /** Delegated, so it keeps working after a 422 page replaced <main>. */
  document.addEventListener('click', function (event) {
    var add = event.target.closest('[data-add-material]');
    var remove = event.target.closest('[data-remove-material]');
    if (!add && !remove) { return; }
    var container = (add ? add.closest('fieldset') : remove.closest('fieldset')).querySelector('[data-new-materials]');
    if (!container) { return; }
    var rows = $all('[data-material-row]', container);
    if (add) {
      var row = rows[0].cloneNode(true);
      clearRow(row);
      $all('.field__error', row).forEach(function (node) { node.remove(); });
      container.appendChild(row);
      renumberMaterials(container);
      var select = row.querySelector('select');
      if (select) { select.focus(); }
    } else {
      var current = remove.closest('[data-material-row]');
      if (rows.length > 1) { current.remove(); } else { clearRow(current); }
      renumberMaterials(container);
    }
  });

  // ---------- Web Push from «Настройки уведомлений» (an explicit button, as iOS requires) ----------

  function pushKey(base64) {
    var padded = (base64 + '===='.slice((base64.length + 3) % 4 + 1)).replace(/-/g, '+').replace(/_/g, '/');
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function postJSON(url, payload) {
    return window.fetch(url, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': body.getAttribute('data-csrf') || '' },
      body: JSON.stringify(payload)
    }).then(function (response) {
      if (response.ok) { return response; }
      return readJSON(response).then(function (data) { throw new Error(reasonOf(data, response)); });
    });
  }

  function setUpPush(card) {
    var status = card.querySelector('[data-push-status]');
    var enable = card.querySelector('[data-push-enable]');
    var disable = card.querySelector('[data-push-disable]');
    var say = function (text) { if (status) { status.textContent = text; } };
    var supported = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
    if (!supported) {
      enable.disabled = true;
      say('Этот браузер не поддерживает push-уведомления. На iPhone добавьте приложение на экран «Домой».');
      return;
    }
    var show = function (subscription) {
      enable.hidden = !!subscription;
      disable.hidden = !subscription;
      if (subscription) { say('На этом устройстве уведомления включены.'); }
      else if (Notification.permission === 'denied') { say('Уведомления запрещены в настройках браузера для этого сайта.'); }
    };
    navigator.serviceWorker.ready.then(function (registration) {
      return registration.pushManager.getSubscription();
    }).then(show, function () { show(null); });
    enable.addEventListener('click', function () {
      enable.disabled = true;
      Notification.requestPermission().then(function (permission) {
        if (permission !== 'granted') { throw new Error('Разрешите уведомления для этого сайта в браузере.'); }
        return navigator.serviceWorker.register('/sw.js', { scope: '/' }).then(function () { return navigator.serviceWorker.ready; });
      }).then(function (registration) {
        return registration.pushManager.subscribe({
          userVisibleOnly: true, applicationServerKey: pushKey(card.getAttribute('data-push-key'))
        });
      }).then(function (subscription) {
        return postJSON(card.getAttribute('data-push-subscribe'), { subscription: subscription.toJSON() })
          .then(function () { return subscription; });
      }).then(function (subscription) {
        show(subscription);
      }, function (error) {
        say((error && error.message) || 'Не удалось включить уведомления.');
      }).then(function () { enable.disabled = false; });
    });
    disable.addEventListener('click', function () {
      disable.disabled = true;
      navigator.serviceWorker.ready.then(function (registration) {
        return registration.pushManager.getSubscription();
      }).then(function (subscription) {
        if (!subscription) { return null; }
        var endpoint = subscription.endpoint;
        return subscription.unsubscribe().then(function () {
          return postJSON(card.getAttribute('data-push-unsubscribe'), { endpoint: endpoint });
        });
      }).then(function () {
        show(null);
        say('На этом устройстве уведомления отключены.');
      }, function (error) {
        say((error && error.message) || 'Не удалось отключить уведомления.');
      }).then(function () { disable.disabled = false; });
    });
  }

  // ---------- online state, panel, service worker ----------

  function updateOnline() {
    var banner = document.getElementById('offline-banner');
    if (banner) { banner.hidden = navigator.onLine; }
  }

  function setUpQueuePanel() {
    var panel = document.getElementById('queue-panel');
    var badge = document.getElementById('queue-badge');
    if (!panel) { return; }
    var toggle = function (open) {
      panel.hidden = !open;
      if (badge) { badge.setAttribute('aria-expanded', open ? 'true' : 'false'); }
      if (open) {
        renderQueue();
        panel.setAttribute('tabindex', '-1');
        panel.focus();
      }
    };
    if (badge) { badge.addEventListener('click', function () { toggle(panel.hidden); }); }
    $all('[data-queue-open]').forEach(function (b) { b.addEventListener('click', function () { toggle(true); }); });
    $all('[data-queue-close]', panel).forEach(function (b) { b.addEventListener('click', function () { toggle(false); }); });
    $all('[data-queue-sync]', panel).forEach(function (b) { b.addEventListener('click', function () { replay(); }); });
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && !panel.hidden) { toggle(false); }
    });
  }

  function registerServiceWorker() {
    if (!signedIn || !('serviceWorker' in navigator)) { return; }
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(function () { /* offline shell is optional */ });
  }

  // «Выбрать все»: a checkbox that ticks every box of its class (shown only with JavaScript).
  function setUpCheckAll(box) {
    var wrapper = box.closest('.check-all');
    if (wrapper) { wrapper.hidden = false; }
    box.addEventListener('change', function () {
      $all('input.' + box.getAttribute('data-check-all')).forEach(function (c) { c.checked = box.checked; });
    });
  }

  function start() {
    $all('[data-check-all]').forEach(setUpCheckAll);
    $all('form[data-order-form]').forEach(function (form) { setUpOrderForm(form); setUpDraft(form); });
    showDraftCard();
    $all('[data-push]').forEach(setUpPush);
    updateOnline();
    window.addEventListener('online', function () { updateOnline(); replay(); });
    window.addEventListener('offline', updateOnline);
    window.addEventListener('storage', function (event) { if (event.key === QUEUE_KEY) { renderQueue(); } });
    if (signedIn) {
      setUpQueuePanel();
      renderQueue();
      registerServiceWorker();
      replay();
      window.setInterval(function () { if (loadQueue().length) { replay(); } }, 30000);
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
