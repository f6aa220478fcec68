// The console's only script besides htmx (strict CSP: no inline script, no eval). Loaded right after htmx, before the
// page is parsed to its end, so these settings hold when htmx starts.
htmx.config.allowEval = false;
htmx.config.allowScriptTags = false;
htmx.config.includeIndicatorStyles = false; // an inline <style> would break style-src 'self'
htmx.config.selfRequestsOnly = true;
htmx.config.historyCacheSize = 0; // pages hold personal data: none of it in localStorage

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

// A session that ended during an htmx request answers 499 (HtmxRequests): reload, which goes through the login.
document.addEventListener('htmx:responseError', function (event) {
  if (event.detail.xhr && event.detail.xhr.status === 499) {
    window.location.reload();
  }
});

// Answers with errors (400 with the form's fields marked, 403, 409) still replace their target.
document.addEventListener('htmx:beforeSwap', function (event) {
  var status = event.detail.xhr.status;
  if (status === 400 || status === 403 || status === 409 || status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
