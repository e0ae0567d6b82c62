// Ardoise certification pages. Unlike the rest of Ardoise they need
// JavaScript: the test page keeps the device token in this tab's
// sessionStorage and sends it with every call, so that another tab or
// device is refused by the server (and logged for the jury). Questions are
// loaded from the API, answered with the keyboard or the mouse, and the
// page reports when it is left (the answer to that question then counts
// wrong, unless the candidate has an adjustment).
(function () {
  // The access-code form starts only with JavaScript.
  var needs = document.querySelectorAll('[data-needs-js]');
  for (var i = 0; i < needs.length; i++) needs[i].disabled = false;

  // The waiting page: ask every 3 s whether the invigilator confirmed.
  var waiting = document.getElementById('candidate-state');
  if (waiting && waiting.getAttribute('data-state') === 'present') {
    var handle = waiting.getAttribute('data-handle');
    setInterval(function () {
      fetch('/api/v1/certification/candidates/' + encodeURIComponent(handle), { credentials: 'same-origin', cache: 'no-store' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (j) { if (j && j.state !== 'present') window.location.reload(); })
        .catch(function () {});
    }, 3000);
  }

  var root = document.getElementById('certification');
  if (!root) return;
  root.hidden = false;
  var id = root.getAttribute('data-test');
  var key = 'ardoise-certification-' + id;
  var fresh = root.getAttribute('data-device');
  if (fresh) {
    sessionStorage.setItem(key, fresh);
    root.removeAttribute('data-device');
    history.replaceState(null, '', '/certification/test/' + encodeURIComponent(id));
  }
  var device = sessionStorage.getItem(key) || '';
  var csrf = root.getAttribute('data-csrf');
  var texts = document.getElementById('texts');
  var form = document.getElementById('question-form');
  var title = document.getElementById('question-title');
  var prompt = document.getElementById('prompt');
  var area = document.getElementById('answer-area');
  var message = document.getElementById('message');
  var alertBox = document.getElementById('alert-box');
  var current = null;
  var deadline = 0;
  var reported = {};
  var waitingAlert = false;

  function t(name, vars) {
    var s = texts.getAttribute('data-' + name) || '';
    for (var k in vars || {}) s = s.replace('{' + k + '}', vars[k]);
    return s;
  }
  function say(text) {
    message.textContent = text;
    if (text) message.focus();
  }
  function call(method, path, body) {
    var headers = { 'X-Certification-Device': device, 'X-CSRF-Token': csrf };
    if (body) headers['Content-Type'] = 'application/json';
    return fetch('/api/v1/certifications/' + encodeURIComponent(id) + path, {
      method: method, credentials: 'same-origin', cache: 'no-store', headers: headers,
      body: body ? JSON.stringify(body) : undefined
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) { return { status: r.status, body: j }; });
    });
  }
  function otherDevice() {
    form.hidden = true;
    alertBox.hidden = true;
    document.getElementById('other-device').hidden = false;
  }
  function finished() {
    form.hidden = true;
    alertBox.hidden = true;
    var done = document.getElementById('done');
    done.hidden = false;
    done.setAttribute('tabindex', '-1');
    done.focus();
  }
  function input(type, name, value, labelHTML, inputID) {
    var div = document.createElement('div');
    div.className = 'choice';
    var el = document.createElement('input');
    el.type = type; el.name = name; el.value = value; el.id = inputID;
    var label = document.createElement('label');
    label.htmlFor = inputID;
    label.innerHTML = labelHTML; // sanitized by the server when the content was loaded
    div.appendChild(el); div.appendChild(label);
    return div;
  }
  function textField(name, labelText, inputID) {
    var div = document.createElement('div');
    div.className = 'field';
    var label = document.createElement('label');
    label.htmlFor = inputID; label.textContent = labelText;
    var el = document.createElement('input');
    el.type = 'text'; el.name = name; el.id = inputID; el.autocomplete = 'off'; el.maxLength = 300;
    div.appendChild(label); div.appendChild(el);
    return div;
  }
  function render(test, note) {
    if (test.state !== 'started' || !test.question) { finished(); return; }
    deadline = Date.parse(test.deadline);
    var q = test.question;
    var replaced = current && current.id !== q.id && waitingAlert;
    if (current && current.id === q.id && !note) return;
    current = q;
    waitingAlert = false;
    document.getElementById('progress-text').textContent = t('progress', { n: test.answered + 1, total: test.total });
    title.textContent = t('progress', { n: test.answered + 1, total: test.total });
    prompt.innerHTML = q.prompt; // sanitized by the server when the content was loaded
    area.innerHTML = '';
    var fs = document.createElement('fieldset');
    fs.setAttribute('aria-describedby', 'prompt');
    var legend = document.createElement('legend');
    fs.appendChild(legend);
    if (q.type === 'qcu' || q.type === 'qcm') {
      legend.textContent = t(q.type === 'qcu' ? 'choose-one' : 'choose-several');
      (q.proposals || []).forEach(function (p) {
        fs.appendChild(input(q.type === 'qcu' ? 'radio' : 'checkbox', 'choice', p.id, p.html, 'p-' + p.id));
      });
    } else if (q.type === 'qroc') {
      legend.textContent = t('your-answer');
      fs.appendChild(textField('text', t('your-answer'), 'answer-text'));
    } else {
      legend.textContent = t('your-answers');
      (q.fields || []).forEach(function (f) { fs.appendChild(textField('field.' + f.id, f.label, 'f-' + f.id)); });
    }
    area.appendChild(fs);
    form.hidden = false;
    alertBox.hidden = false;
    alertBox.open = false;
    say(replaced ? t('replaced') : (note || ''));
    if (!replaced && !note) title.focus();
  }
  function answerOf() {
    var q = current;
    if (q.type === 'qcu') {
      var c = form.querySelector('input[name=choice]:checked');
      return c ? c.value : null;
    }
    if (q.type === 'qcm') {
      var ids = [];
      form.querySelectorAll('input[name=choice]:checked').forEach(function (c) { ids.push(c.value); });
      return ids.length ? ids : null;
    }
    if (q.type === 'qroc') return form.querySelector('#answer-text').value;
    var m = {};
    (q.fields || []).forEach(function (f) { m[f.id] = form.querySelector('#f-' + f.id).value; });
    return m;
  }
  function handle(res) {
    if (res.status === 403) { otherDevice(); return; }
    if (res.status === 409 && res.body.test) { render(res.body.test); return; }
    if (res.status >= 400) {
      say((res.body.error && (res.body.error.fields && res.body.error.fields.answer || res.body.error.message)) || t('failed'));
      return;
    }
    render(res.body);
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var answer = answerOf();
    var body = { challengeId: current.id, answer: answer };
    if (answer === null) body = { challengeId: current.id, answer: null };
    call('POST', '/answers', body).then(handle).catch(function () { say(t('failed')); });
  });
  document.getElementById('send-alert').addEventListener('click', function () {
    call('POST', '/alerts', { reason: document.getElementById('alert-reason').value }).then(function (res) {
      if (res.status === 403) { otherDevice(); return; }
      if (res.status >= 400) { say((res.body.error && res.body.error.message) || t('failed')); return; }
      waitingAlert = true;
      alertBox.open = false;
      say(t('alert-sent'));
    }).catch(function () { say(t('failed')); });
  });
  function left() {
    if (!current || reported[current.id] || !device) return;
    reported[current.id] = true;
    call('POST', '/focus', { challengeId: current.id }).catch(function () {});
  }
  document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'hidden') left(); });
  window.addEventListener('blur', left);
  setInterval(function () {
    if (deadline) {
      var s = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      document.getElementById('time-left').textContent = t('time-left', { min: Math.floor(s / 60), s: ('0' + s % 60).slice(-2) });
    }
    if (waitingAlert) call('GET', '').then(function (res) { if (res.status === 200) render(res.body); }).catch(function () {});
  }, 5000);
  if (!device) { call('GET', '').then(handle); return; } // recorded as another device by the server
  call('GET', '').then(handle).catch(function () { say(t('failed')); });
})();
