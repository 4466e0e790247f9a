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
