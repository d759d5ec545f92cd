/** The dashboard's style sheet, served as a file: the CSP allows no inline style. */
export const PAGE_STYLE = `
:root {
  --bg: #f5f6f8; --panel: #ffffff; --text: #1b2130; --muted: #677084; --line: #e3e6ec;
  --head: #f9fafb; --accent: #3b5bdb; --accent-soft: #edf0ff;
  --waiting-fg: #475467; --waiting-bg: #eef0f3; --running-fg: #175cd3; --running-bg: #e8f2ff;
  --paused-fg: #a64d00; --paused-bg: #fff4e0; --stopped-fg: #3a4252; --stopped-bg: #e4e7ec;
  --ok-fg: #067647; --ok-bg: #e7f8ee; --fail-fg: #b42318; --fail-bg: #fdecea;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #11141b; --panel: #181c25; --text: #e6e9ef; --muted: #98a1b3; --line: #2a303c;
    --head: #1d222c; --accent: #8ea2ff; --accent-soft: #232a45;
    --waiting-fg: #c3c9d5; --waiting-bg: #272c37; --running-fg: #84b6ff; --running-bg: #172a46;
    --paused-fg: #ffc46b; --paused-bg: #3a2a12; --stopped-fg: #c9ced8; --stopped-bg: #2f3541;
    --ok-fg: #6fdc9c; --ok-bg: #133526; --fail-fg: #ff8f84; --fail-bg: #3f1a18;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif;
}
.top {
  position: sticky; top: 0; z-index: 2; display: flex; align-items: center; gap: 24px;
  padding: 12px 28px; background: var(--panel); border-bottom: 1px solid var(--line);
}
.brand { display: flex; align-items: center; gap: 8px; font-size: 17px; font-weight: 650; }
.summary { flex: 1; color: var(--muted); }
.summary b { color: var(--text); font-weight: 600; }
.connection { display: flex; align-items: center; gap: 7px; color: var(--muted); font-size: 13px; }
.connection .dot { width: 9px; height: 9px; border-radius: 50%; background: var(--paused-fg); }
.connection[data-state="live"] .dot { background: var(--ok-fg); }
.connection[data-state="offline"] .dot { background: var(--fail-fg); }
main { padding: 24px 28px 48px; max-width: 1500px; margin: 0 auto; }
.pool {
  background: var(--panel); border: 1px solid var(--line); border-radius: 10px;
  margin-bottom: 24px; overflow: hidden;
}
.pool-head { display: flex; align-items: baseline; gap: 12px; padding: 14px 18px; }
.pool-head h2 { margin: 0; font-size: 16px; font-weight: 650; }
.pool-counts { color: var(--muted); font-size: 13px; }
.table-wrap { overflow-x: auto; }
table { width: 100%; min-width: 1120px; border-collapse: collapse; table-layout: fixed; }
th:nth-child(1) { width: 17%; }
th:nth-child(2) { width: 8%; }
th:nth-child(3) { width: 11%; }
th:nth-child(4) { width: 15%; }
th:nth-child(5) { width: 7%; }
th:nth-child(6) { width: 140px; }
th:nth-child(7) { width: 16%; }
th:nth-child(8) { width: 290px; }
th {
  text-align: left; font-size: 12px; font-weight: 600; color: var(--muted);
  text-transform: uppercase; letter-spacing: .04em; background: var(--head);
  padding: 8px 12px; border-top: 1px solid var(--line); border-bottom: 1px solid var(--line);
  white-space: nowrap;
}
td { padding: 10px 12px; border-bottom: 1px solid var(--line); vertical-align: top; }
tr:last-child td { border-bottom: none; }
tbody tr:hover td { background: var(--head); }
.job-name { font-weight: 600; overflow-wrap: anywhere; }
.job-id { color: var(--muted); font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
.counts { white-space: nowrap; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.nowrap { white-space: nowrap; }
.badge {
  display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px;
  font-weight: 600; white-space: nowrap; color: var(--waiting-fg); background: var(--waiting-bg);
}
.status-running, .outcome-running { color: var(--running-fg); background: var(--running-bg); }
.status-paused, .outcome-paused { color: var(--paused-fg); background: var(--paused-bg); }
.status-stopped, .status-ended, .outcome-stopped {
  color: var(--stopped-fg); background: var(--stopped-bg);
}
.status-completed, .outcome-succeeded, .pool-running {
  color: var(--ok-fg); background: var(--ok-bg);
}
.status-error, .outcome-failed { color: var(--fail-fg); background: var(--fail-bg); }
.error-text {
  color: var(--fail-fg); font-size: 12px; overflow: hidden;
  text-overflow: ellipsis; white-space: nowrap;
}
.count-ok { color: var(--ok-fg); font-weight: 600; }
.count-fail { color: var(--fail-fg); font-weight: 600; }
.count-zero { color: var(--muted); font-weight: 400; }
.spark { display: block; color: var(--accent); }
.spark-line { fill: none; stroke: currentColor; stroke-width: 1.6; stroke-linejoin: round; }
.spark-area { fill: var(--accent-soft); stroke: none; }
.spark-fail { fill: var(--fail-fg); }
.spark-last { fill: currentColor; }
details summary {
  cursor: pointer; color: var(--muted); overflow: hidden;
  text-overflow: ellipsis; white-space: nowrap;
  font: 12px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace;
}
details pre {
  margin: 6px 0 0; padding: 8px 10px; max-height: 260px; overflow: auto;
  background: var(--head); border: 1px solid var(--line); border-radius: 6px;
  font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; white-space: pre-wrap;
  overflow-wrap: anywhere;
}
.actions { display: flex; gap: 5px; flex-wrap: nowrap; align-items: center; }
button {
  font: inherit; font-size: 12.5px; padding: 3px 9px; border-radius: 6px; cursor: pointer;
  border: 1px solid var(--line); background: var(--panel); color: var(--text);
}
button:hover:not(:disabled) { border-color: var(--accent); color: var(--accent); }
button:disabled { opacity: .38; cursor: default; }
button.danger { color: var(--fail-fg); }
button.danger:hover:not(:disabled) { border-color: var(--fail-fg); color: var(--fail-fg); }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
.empty { margin: 0; padding: 14px 18px 18px; color: var(--muted); }
.login {
  max-width: 420px; margin: 80px auto; padding: 24px; background: var(--panel);
  border: 1px solid var(--line); border-radius: 10px; display: grid; gap: 12px;
}
.login h2 { margin: 0; font-size: 17px; }
.login p { margin: 0; color: var(--muted); }
.login input {
  font: inherit; padding: 7px 10px; border: 1px solid var(--line); border-radius: 6px;
  background: var(--bg); color: var(--text);
}
.login-error { color: var(--fail-fg) !important; min-height: 1em; }
dialog {
  border: 1px solid var(--line); border-radius: 10px; padding: 20px 22px; max-width: 440px;
  background: var(--panel); color: var(--text);
}
dialog::backdrop { background: rgba(16, 20, 28, .45); }
dialog h2 { margin: 0 0 8px; font-size: 16px; }
dialog p { margin: 0 0 18px; color: var(--muted); overflow-wrap: anywhere; }
.dialog-buttons { display: flex; justify-content: flex-end; gap: 8px; }
.toast {
  position: fixed; right: 24px; bottom: 24px; max-width: 460px; padding: 10px 14px;
  border-radius: 8px; background: var(--text); color: var(--panel);
  box-shadow: 0 6px 24px rgba(0, 0, 0, .18); overflow-wrap: anywhere;
}
[hidden] { display: none !important; }
`;
