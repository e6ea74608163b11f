// Served as /assets/console.js (no inline script under the CSP). htmx requests that change
// something carry the session's CSRF token in X-CSRF-Token, read from the page's meta tag.
document.addEventListener('htmx:config:request', (event) => {
  const token = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content');
  if (token && event.detail && event.detail.ctx && event.detail.ctx.request) event.detail.ctx.request.headers['X-CSRF-Token'] = token;
});
