// Ardoise test page, progressive enhancement only: the page works without it.
// It counts down the timer (the server enforces it anyway) and reports when
// the page loses focus (recorded for certification).
(function () {
  var form = document.getElementById('question-form');
  if (!form) return;
  var timer = document.getElementById('timer');
  if (timer) {
    var left = parseInt(timer.getAttribute('data-remaining'), 10);
    var label = timer.textContent;
    var tick = setInterval(function () {
      left = Math.max(left - 1, 0);
      timer.textContent = label.replace(/\d+/, String(left));
      if (left === 0) { clearInterval(tick); timer.setAttribute('aria-live', 'assertive'); }
    }, 1000);
  }
  var token = form.querySelector('input[name=_csrf]').value;
  var sent = 0;
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState !== 'hidden' || sent >= 20) return;
    sent++;
    fetch('/positionnement/' + form.getAttribute('data-test') + '/focus', {
      method: 'POST', credentials: 'same-origin', keepalive: true,
      headers: { 'X-CSRF-Token': token }
    }).catch(function () {});
  });
})();
