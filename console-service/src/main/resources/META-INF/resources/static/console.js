// The console's only script besides htmx (strict CSP: no inline script, no eval). Loaded right after htmx, before the
// page is parsed to its end, so these settings hold when htmx starts.
htmx.config.allowEval = false;
htmx.config.allowScriptTags = false;
htmx.config.includeIndicatorStyles = false; // an inline <style> would break style-src 'self'
htmx.config.selfRequestsOnly = true;
htmx.config.historyCacheSize = 0; // pages hold personal data: none of it in localStorage
htmx.config.timeout = 45000; // a request with no answer by then ends as htmx:timeout (shown below), not a silent wait

// The user's time zone, for the server to show every time in it (kept in a cookie; no personal data).
(function () {
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && document.cookie.indexOf('tz=') === -1) {
    document.cookie = 'tz=' + encodeURIComponent(zone) + '; path=/; max-age=31536000; samesite=lax';
    if (window.location.pathname !== '/logout') {
      window.location.reload();
    }
  }
})();

// A failed request is said in the page's alert region (layout.html: #console-alert, its texts in the page's language):
// htmx swaps no 5xx answer and nothing at all on a network error or timeout, which would otherwise leave the person
// looking at a form that seems to have done nothing.
function consoleAlert(kind) {
  var box = document.getElementById('console-alert');
  if (box) {
    box.textContent = box.getAttribute('data-' + kind);
    box.hidden = false;
  }
}

document.addEventListener('htmx:beforeRequest', function () {
  var box = document.getElementById('console-alert');
  if (box) {
    box.hidden = true;
    box.textContent = '';
  }
});

// A session that ended during an htmx request answers 499 (HtmxRequests): reload, which goes through the login.
document.addEventListener('htmx:responseError', function (event) {
  var status = event.detail.xhr ? event.detail.xhr.status : 0;
  if (status === 499) {
    window.location.reload();
  } else if (status >= 500) {
    consoleAlert('server');
  }
});
document.addEventListener('htmx:sendError', function () {
  consoleAlert('network');
});
document.addEventListener('htmx:timeout', function () {
  consoleAlert('network');
});

// A live stream (htmx-ext-sse) that breaks off reconnects by itself; when the reason is an ended session, the
// reconnection gets 499 (HtmxRequests: an event stream is a script's request), which an EventSource only reports as an
// error. Ask the console as htmx would: a 499 says the session ended, and the reload goes through the login.
document.addEventListener('htmx:sseError', function () {
  var probe = new XMLHttpRequest();
  probe.open('GET', window.location.pathname);
  probe.setRequestHeader('HX-Request', 'true');
  probe.onload = function () {
    if (probe.status === 499) {
      window.location.reload();
    }
  };
  probe.send();
});

// Answers with errors (400 with the form's fields marked, 403, 404 of a lookup, 409) still replace their target.
document.addEventListener('htmx:beforeSwap', function (event) {
  var status = event.detail.xhr.status;
  if (status === 400 || status === 403 || status === 404 || status === 409 || status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
