// Ardoise module page, progressive enhancement only: without it, page views
// alone measure time (bounded by the server clock). With it, the page sends
// a heartbeat every 15 s while it is visible and its reader active (some
// input within the last minute); the server counts at most one every 15 s.
(function () {
  var page = document.getElementById('page');
  if (!page) return;
  var url = page.getAttribute('data-beat');
  var token = page.getAttribute('data-csrf');
  var lastInput = Date.now();
  ['keydown', 'mousemove', 'mousedown', 'scroll', 'touchstart', 'focus'].forEach(function (e) {
    window.addEventListener(e, function () { lastInput = Date.now(); }, { passive: true });
  });
  // Views made with this script running count like beats, not like reading time.
  document.querySelectorAll('a[data-nav]').forEach(function (a) {
    a.href += (a.href.indexOf('?') < 0 ? '?' : '&') + 'js=1';
  });
  document.querySelectorAll('form.quiz input[name=js]').forEach(function (i) { i.value = '1'; });
  var stopped = false;
  setInterval(function () {
    if (stopped || document.visibilityState !== 'visible' || Date.now() - lastInput > 60000) return;
    fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': token } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        if (!p) return;
        if (p.done) { stopped = true; }
      })
      .catch(function () {});
  }, 15000);
})();
