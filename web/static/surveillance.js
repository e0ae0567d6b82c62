// Ardoise invigilator page: the list of candidates refreshes itself every
// 5 s (the "Actualiser" link does the same without JavaScript). The list
// is left alone while the invigilator is typing or choosing in it, and
// while the page is hidden.
(function () {
  var board = document.getElementById('board');
  if (!board || !window.fetch || !window.DOMParser) return;
  var every = parseInt(board.getAttribute('data-refresh'), 10) || 5000;
  var updated = document.getElementById('updated');
  function busy() {
    var a = document.activeElement;
    if (a && board.contains(a) && (a.tagName === 'INPUT' || a.tagName === 'SUMMARY')) return true;
    return board.querySelector('details[open]') !== null;
  }
  function refresh() {
    if (document.visibilityState === 'hidden' || busy()) return;
    fetch('/surveillance/session', { credentials: 'same-origin', cache: 'no-store' }).then(function (r) {
      if (r.redirected || !r.ok) { window.location.reload(); return null; }
      return r.text();
    }).then(function (html) {
      if (html === null || busy()) return;
      var doc = new DOMParser().parseFromString(html, 'text/html');
      var fresh = doc.getElementById('board');
      var when = doc.getElementById('updated');
      if (!fresh) return;
      var focusID = document.activeElement && board.contains(document.activeElement) ? document.activeElement.id : '';
      board.innerHTML = fresh.innerHTML;
      if (when && updated) updated.textContent = when.textContent;
      if (focusID && document.getElementById(focusID)) document.getElementById(focusID).focus();
    }).catch(function () {});
  }
  setInterval(refresh, every);
})();
