/**
 * The dashboard page. It is static: every job, name and value reaches it through the
 * API and is written into the page with `textContent`, never as markup. Paths are
 * relative, so the dashboard also works behind a proxy under a sub-path.
 */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="referrer" content="no-referrer">
    <title>Orbit dashboard</title>
    <link rel="icon" href="assets/icon.svg" type="image/svg+xml">
    <link rel="stylesheet" href="assets/dashboard.css">
    <script src="assets/dashboard.js" defer></script>
  </head>
  <body>
    <header class="top">
      <div class="brand"><img src="assets/icon.svg" alt="" width="22" height="22">Orbit</div>
      <div class="summary" id="summary"></div>
      <div class="connection" id="connection" data-state="connecting">
        <span class="dot"></span><span id="connection-text">Connecting</span>
      </div>
    </header>
    <main id="pools"></main>
    <form id="login" class="login" hidden>
      <h2>This dashboard needs its token</h2>
      <p>The token was set when the dashboard was started. It is kept in this tab only.</p>
      <input type="password" id="token-input" autocomplete="off" aria-label="Token" required>
      <button type="submit" class="primary">Open dashboard</button>
      <p class="login-error" id="login-error"></p>
    </form>
    <dialog id="confirm" aria-labelledby="confirm-title">
      <h2 id="confirm-title">Stop this job?</h2>
      <p id="confirm-text"></p>
      <div class="dialog-buttons">
        <button type="button" id="confirm-cancel">Cancel</button>
        <button type="button" id="confirm-ok" class="danger">Stop job</button>
      </div>
    </dialog>
    <div id="toast" class="toast" role="alert" hidden></div>
  </body>
</html>
`;
