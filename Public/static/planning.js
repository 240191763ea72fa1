/* «План»: drag a bar to another day, time or row (saved through /planning/move, the order rules decide);
   select an empty interval of a row to open the new-order form with it; swipe the phone's day list.
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
      var newStart = num(bar, 'data-s') + delta;
      bar.classList.remove('is-dragging');
      bar.classList.add('is-saving');
      fetch(board.getAttribute('data-move'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf() },
        body: JSON.stringify({
          order: bar.getAttribute('href').split('/')[2], resource: resource, from: fromID, to: toID,
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
    });

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
