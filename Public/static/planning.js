/* «План»: drag a bar to another day, time or row (saved through /planning/move, the order rules decide), or move
   it with the keyboard; select an empty interval of a row to open the new-order form with it; swipe the phone's
   day list; the bars' tooltips (client and address) are fetched after the board is shown.
   Without this script the board stays readable and every bar links to its order. docs/planning.md */
(function () {
  'use strict';
  var board = document.querySelector('.plan');
  var toast = document.querySelector('.plan-toast');
  var HOUR = 3600;

  function csrf() { return document.body.getAttribute('data-csrf') || ''; }
  function num(el, name) { return parseInt(el.getAttribute(name), 10); }
  function localInput(epoch, offset) { return new Date((epoch + offset) * 1000).toISOString().slice(0, 16); }

  function showToast(text, conflicts) {
    if (!toast) { return; }
    toast.textContent = text;
    (conflicts || []).forEach(function (c) {
      var line = document.createElement('div');
      var link = document.createElement('a');
      link.href = '/orders/' + encodeURIComponent(c.order);
      link.textContent = 'Заявка № ' + c.number;
      line.appendChild(link);
      line.appendChild(document.createTextNode(' · ' + (c.resource_name || '') + ' · ' + (c.period || '')));
      toast.appendChild(line);
    });
    toast.hidden = false;
    clearTimeout(showToast.timer);
    showToast.timer = setTimeout(function () { toast.hidden = true; }, 8000);
  }

  var live = null;
  function announce(text) {
    if (!live) {
      live = document.createElement('div');
      live.className = 'plan-kbd';
      live.setAttribute('role', 'status');
      document.body.appendChild(live);
    }
    live.textContent = text;
    live.hidden = !text;
  }

  function trackAt(x, y, dragged) {
    if (dragged) { dragged.style.visibility = 'hidden'; }
    var el = document.elementFromPoint(x, y);
    if (dragged) { dragged.style.visibility = ''; }
    return el && el.closest ? el.closest('.plan-track') : null;
  }

  if (board) {
    var start = num(board, 'data-start');
    var end = num(board, 'data-end');
    var offset = num(board, 'data-offset') || 0;
    var resource = board.getAttribute('data-resource');
    var newPath = board.getAttribute('data-new');
    var state = null;

    board.addEventListener('pointerdown', function (event) {
      if (event.button !== 0) { return; }
      var bar = event.target.closest('.pb');
      var track = event.target.closest('.plan-track');
      if (!track) { return; }
      if (bar && bar.hasAttribute('data-s')) {
        state = { kind: 'move', bar: bar, track: track, x: event.clientX, y: event.clientY, moved: false };
      } else if (!bar && newPath) {
        state = { kind: 'select', track: track, x: event.clientX, moved: false, box: null };
      } else {
        return;
      }
      event.preventDefault();
      board.setPointerCapture && board.setPointerCapture(event.pointerId);
    });

    board.addEventListener('pointermove', function (event) {
      if (!state) { return; }
      var dx = event.clientX - state.x;
      var dy = state.kind === 'move' ? event.clientY - state.y : 0;
      if (!state.moved && Math.abs(dx) < 5 && Math.abs(dy) < 5) { return; }
      state.moved = true;
      if (state.kind === 'move') {
        state.bar.classList.add('is-dragging');
        state.bar.style.transform = 'translate(' + dx + 'px,' + dy + 'px)';
      } else {
        var rect = state.track.getBoundingClientRect();
        if (!state.box) {
          state.box = document.createElement('div');
          state.box.className = 'plan-select';
          state.track.appendChild(state.box);
        }
        var a = Math.max(0, Math.min(state.x, event.clientX) - rect.left);
        var b = Math.min(rect.width, Math.max(state.x, event.clientX) - rect.left);
        state.box.style.left = a + 'px';
        state.box.style.width = (b - a) + 'px';
      }
    });

    function secondsAt(track, clientX) {
      var rect = track.getBoundingClientRect();
      var share = Math.max(0, Math.min(1, (clientX - rect.left) / rect.width));
      return start + share * (end - start);
    }

    board.addEventListener('pointerup', function (event) {
      var current = state;
      state = null;
      if (!current) { return; }
      if (current.kind === 'select') {
        if (current.box) { current.box.remove(); }
        var from, to;
        if (current.moved) {
          from = Math.round(secondsAt(current.track, Math.min(current.x, event.clientX)) / HOUR) * HOUR;
          to = Math.round(secondsAt(current.track, Math.max(current.x, event.clientX)) / HOUR) * HOUR;
        } else {
          // A tap takes that day's working hours, 09:00–18:00 company time.
          var at = secondsAt(current.track, event.clientX) + offset;
          var dayStart = Math.floor(at / 86400) * 86400 - offset;
          from = dayStart + 9 * HOUR;
          to = dayStart + 18 * HOUR;
        }
        if (to <= from) { to = from + HOUR; }
        var query = (resource === 'operator' ? 'operator=' : 'equipment=') +
          encodeURIComponent(current.track.getAttribute('data-id')) +
          '&start=' + encodeURIComponent(localInput(from, offset)) +
          '&end=' + encodeURIComponent(localInput(to, offset));
        window.location.href = newPath + '?' + query;
        return;
      }
      var bar = current.bar;
      if (!current.moved) {
        window.location.href = bar.getAttribute('href');
        return;
      }
      var rect = current.track.getBoundingClientRect();
      var delta = (event.clientX - current.x) / rect.width * (end - start);
      delta = Math.round(delta / HOUR) * HOUR;
      var target = trackAt(event.clientX, event.clientY, bar) || current.track;
      var fromID = num(current.track, 'data-id');
      var toID = num(target, 'data-id');
      if (delta === 0 && fromID === toID) { reset(bar); return; }
      save(bar, fromID, toID, num(bar, 'data-s') + delta);
    });

    function orderID(bar) { return bar.getAttribute('href').split('/')[2]; }

    function save(bar, fromID, toID, newStart) {
      bar.classList.remove('is-dragging', 'is-grabbed');
      bar.classList.add('is-saving');
      fetch(board.getAttribute('data-move'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf() },
        body: JSON.stringify({
          order: orderID(bar), resource: resource, from: fromID, to: toID,
          start: new Date(newStart * 1000).toISOString()
        })
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (response.ok) { window.location.reload(); return; }
          reset(bar);
          bar.classList.add('is-conflict');
          showToast(body.detail || 'Не удалось перенести заявку.', body.conflicts);
        });
      }).catch(function () {
        reset(bar);
        showToast('Нет связи с сервером: заявка не перенесена.');
      });
    }

    // The keyboard: Space on a focused bar picks it up; ← → move it a day (with Shift an hour), ↑ ↓ to the row
    // above or below; Enter saves as a drop would, Esc (or leaving the bar) puts it back.
    var grab = null;
    function rowName(track) {
      var name = track.parentNode.querySelector('.plan-name__title');
      return name ? name.textContent : '';
    }
    function when(epoch) {
      var local = localInput(epoch, offset);
      return local.slice(8, 10) + '.' + local.slice(5, 7) + ' ' + local.slice(11, 16);
    }
    function putBack() {
      if (!grab) { return; }
      reset(grab.bar);
      grab.bar.classList.remove('is-grabbed');
      grab = null;
      announce('');
    }
    board.addEventListener('keydown', function (event) {
      var bar = event.target.closest ? event.target.closest('.pb[data-s]') : null;
      if (!bar) { return; }
      if (!grab || grab.bar !== bar) {
        if (event.key !== ' ') { return; }
        event.preventDefault();
        putBack();
        var track = bar.closest('.plan-track');
        grab = { bar: bar, track: track, target: track, delta: 0 };
        bar.classList.add('is-grabbed');
        announce('Перенос заявки № ' + bar.textContent.split(' ')[0] + ': ← → на день (с Shift на час), ↑ ↓ на ' +
          'другую строку, Enter сохранить, Esc отменить.');
        return;
      }
      var tracks = Array.prototype.slice.call(board.querySelectorAll('.plan-track'));
      var index = tracks.indexOf(grab.target);
      switch (event.key) {
        case 'ArrowLeft': case 'ArrowRight':
          grab.delta += (event.shiftKey ? HOUR : 24 * HOUR) * (event.key === 'ArrowLeft' ? -1 : 1);
          break;
        case 'ArrowUp': case 'ArrowDown':
          index += event.key === 'ArrowUp' ? -1 : 1;
          if (index >= 0 && index < tracks.length) { grab.target = tracks[index]; }
          break;
        case 'Enter': {
          event.preventDefault();
          var current = grab;
          grab = null;
          announce('');
          var fromID = num(current.track, 'data-id');
          var toID = num(current.target, 'data-id');
          if (current.delta === 0 && fromID === toID) { reset(bar); bar.classList.remove('is-grabbed'); return; }
          save(bar, fromID, toID, num(bar, 'data-s') + current.delta);
          return;
        }
        case 'Escape': event.preventDefault(); putBack(); return;
        default: return;
      }
      event.preventDefault();
      var origin = grab.track.getBoundingClientRect();
      var dx = grab.delta / (end - start) * origin.width;
      var dy = grab.target.getBoundingClientRect().top - origin.top;
      bar.style.transform = 'translate(' + dx + 'px,' + dy + 'px)';
      announce('№ ' + bar.textContent.split(' ')[0] + ': ' + rowName(grab.target) + ', с ' +
        when(num(bar, 'data-s') + grab.delta) + '. Enter сохранить, Esc отменить.');
    });
    board.addEventListener('focusout', function (event) {
      if (grab && event.target === grab.bar) { putBack(); }
    });

    // The tooltips: one request for the shown board, once the page is idle.
    var detailsPath = board.getAttribute('data-details');
    function loadDetails() {
      fetch(detailsPath, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
        .then(function (response) { return response.ok ? response.json() : {}; })
        .then(function (details) {
          Array.prototype.forEach.call(board.querySelectorAll('.pb'), function (bar) {
            var text = details[orderID(bar)];
            if (text) { bar.title = text; }
          });
        }).catch(function () {});
    }
    if (detailsPath) {
      if (window.requestIdleCallback) { window.requestIdleCallback(loadDetails, { timeout: 1500 }); }
      else { setTimeout(loadDetails, 200); }
    }

    board.addEventListener('pointercancel', function () {
      if (state && state.bar) { reset(state.bar); }
      if (state && state.box) { state.box.remove(); }
      state = null;
    });

    // Bars are links for readers without the script; with it a click is handled on pointerup.
    board.addEventListener('click', function (event) {
      if (event.detail > 0 && event.target.closest('.pb[data-s]')) { event.preventDefault(); }
    });
  }

  function reset(bar) {
    bar.classList.remove('is-dragging', 'is-saving');
    bar.style.transform = '';
  }

  var list = document.querySelector('.plan-list');
  if (list) {
    var touchX = null;
    list.addEventListener('touchstart', function (event) { touchX = event.touches[0].clientX; }, { passive: true });
    list.addEventListener('touchend', function (event) {
      if (touchX === null) { return; }
      var dx = event.changedTouches[0].clientX - touchX;
      touchX = null;
      if (Math.abs(dx) < 60) { return; }
      var link = list.querySelector(dx < 0 ? '[data-swipe="next"]' : '[data-swipe="prev"]');
      if (link) { window.location.href = link.href; }
    });
  }
})();
