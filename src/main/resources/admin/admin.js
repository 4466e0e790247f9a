// scc-zoho-sync admin page: the little the page does without a reload. Everything works without it too.
(function () {
  'use strict';

  // "Copy" next to a webhook URL
  document.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-copy]');
    if (!button) { return; }
    var input = document.getElementById(button.getAttribute('data-copy'));
    if (!input) { return; }
    input.select();
    var done = function () { button.textContent = 'Copied'; setTimeout(function () { button.textContent = 'Copy'; }, 2000); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand('copy'); done(); });
    } else {
      document.execCommand('copy');
      done();
    }
  });

  // a test call on its way: fetch the page again every 2 s and put the new outcome in place (the box keeps its size)
  function poll() {
    var box = document.getElementById('test-call-result');
    if (!box || !box.querySelector('[data-poll]')) { return; }
    setTimeout(function () {
      fetch(window.location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('test-call-result');
          if (fresh) { box.innerHTML = fresh.innerHTML; }
          poll();
        }, function () { /* the Refresh link still works */ });
    }, 2000);
  }
  poll();
})();

// the Call subject: the template being typed, rendered on the recent call's values (data-values) as the sync does;
// saving is what checks it, this only shows what it would give
(function () {
  'use strict';
  var input = document.getElementById('subjectTemplate');
  var preview = document.getElementById('subject-preview');
  var warning = document.getElementById('subject-warning');
  if (!input || !preview) { return; }
  var values;
  try { values = JSON.parse(preview.getAttribute('data-values') || '{}'); } catch (e) { return; }
  var fallback = preview.getAttribute('data-fallback') || '';
  function render() {
    var template = input.value.trim() === '' ? fallback : input.value;
    var unknown = [];
    var subject = template.replace(/\{([A-Za-z]+)\}/g, function (whole, name) {
      if (Object.prototype.hasOwnProperty.call(values, name)) { return values[name]; }
      unknown.push(whole);
      return whole;
    }).trim();
    if (subject.length > 255) { subject = subject.slice(0, 254) + '\u2026'; }
    preview.textContent = subject;
    if (warning) {
      warning.textContent = unknown.length ? 'Unknown placeholder ' + unknown.join(', ') + ': saving will refuse it.' : '';
      warning.hidden = unknown.length === 0;
    }
  }
  input.addEventListener('input', render);
  render();
})();
