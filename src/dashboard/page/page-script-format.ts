/**
 * The page script, part 1: shared state, text and time formatting, sparklines, toasts.
 * Plain browser JavaScript, joined by `page-assets.ts`; the browser test runs it.
 */
export const SCRIPT_FORMAT = String.raw`
  const STATUSES = ['waiting', 'running', 'paused', 'completed', 'error', 'ended', 'stopped'];
  const OUTCOMES = ['running', 'paused', 'succeeded', 'failed', 'stopped'];
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const SPARK_WIDTH = 120;
  const SPARK_HEIGHT = 28;
  const SPARK_PAD = 3;

  const state = { offsetMs: 0, token: null, sections: new Map(), streamRound: 0 };

  /** An element with a class and a text; text is always set as text, never as markup. */
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function byId(id) {
    return document.getElementById(id);
  }

  function serverNow() {
    return Date.now() + state.offsetMs;
  }

  function setServerTime(iso) {
    const serverMs = Date.parse(iso);
    if (Number.isFinite(serverMs)) state.offsetMs = serverMs - Date.now();
  }

  /** A duration for people: 850 ms, 4.2 s, 37 s, 12 min 5 s, 3 h 20 min, 2 d 4 h. */
  function formatDuration(ms) {
    if (ms < 1000) return Math.round(ms) + ' ms';
    if (ms < 10000) return (ms / 1000).toFixed(1) + ' s';
    return formatSpan(ms);
  }

  /** A span in whole units, for times that tick every second. */
  function formatSpan(ms) {
    const seconds = Math.floor(ms / 1000);
    if (seconds < 60) return seconds + ' s';
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return minutes + ' min ' + (seconds % 60) + ' s';
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return hours + ' h ' + (minutes % 60) + ' min';
    return Math.floor(hours / 24) + ' d ' + (hours % 24) + ' h';
  }

  function sinceText(iso) {
    const agoMs = serverNow() - Date.parse(iso);
    return agoMs < 1000 ? 'just now' : formatSpan(agoMs) + ' ago';
  }

  function untilText(iso) {
    const inMs = Date.parse(iso) - serverNow();
    if (inMs <= 0) return 'due now';
    return inMs < 1000 ? 'in < 1 s' : 'in ' + formatSpan(inMs);
  }

  function clockText(iso) {
    const date = new Date(iso);
    const today = new Date(serverNow()).toDateString() === date.toDateString();
    if (today) return date.toLocaleTimeString();
    return date.toLocaleString(undefined, {
      month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
    });
  }

  /** Sets a badge's text and its colour class, from a list of known values. */
  function setBadge(node, prefix, known, value, text) {
    node.className = 'badge ' + prefix + (known.includes(value) ? value : 'unknown');
    node.textContent = text;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const name of Object.keys(attributes)) node.setAttribute(name, String(attributes[name]));
    return node;
  }

  function median(values) {
    const sorted = values.slice().sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  /** A sparkline of run durations, failed runs marked; 'null' without runs. */
  function sparkline(runs) {
    if (runs.length === 0) return null;

    const durations = runs.map((run) => run.durationMs);
    const maxMs = Math.max(1, ...durations);
    const stepX = runs.length > 1 ? (SPARK_WIDTH - 2 * SPARK_PAD) / (runs.length - 1) : 0;
    const points = runs.map((run, index) => [
      runs.length > 1 ? SPARK_PAD + index * stepX : SPARK_WIDTH / 2,
      SPARK_HEIGHT - SPARK_PAD - (run.durationMs / maxMs) * (SPARK_HEIGHT - 2 * SPARK_PAD),
    ]);
    const pair = (x, y) => x.toFixed(1) + ',' + y.toFixed(1);
    const line = points.map((point) => pair(point[0], point[1]));
    const last = points[points.length - 1];
    const baseY = SPARK_HEIGHT - SPARK_PAD;
    const area = [pair(points[0][0], baseY)].concat(line, [pair(last[0], baseY)]);

    const summary = 'Last ' + runs.length + ' runs: min ' +
      formatDuration(Math.min(...durations)) + ', median ' + formatDuration(median(durations)) +
      ', max ' + formatDuration(maxMs);
    const root = svg('svg', {
      class: 'spark', width: SPARK_WIDTH, height: SPARK_HEIGHT, role: 'img',
      viewBox: '0 0 ' + SPARK_WIDTH + ' ' + SPARK_HEIGHT, 'aria-label': summary,
    });
    const title = svg('title', {});
    title.textContent = summary;
    root.append(title, svg('polygon', { class: 'spark-area', points: area.join(' ') }));
    root.append(svg('polyline', { class: 'spark-line', points: line.join(' ') }));
    runs.forEach((run, index) => {
      const [cx, cy] = points[index];
      if (run.failed) root.append(svg('circle', { class: 'spark-fail', cx, cy, r: 2.4 }));
    });
    root.append(svg('circle', { class: 'spark-last', cx: last[0], cy: last[1], r: 2 }));
    return root;
  }

  /** The message of an API error body or a thrown error. */
  function messageOf(error) {
    if (error && typeof error.message === 'string') return error.message;
    return 'The request failed.';
  }

  let toastTimer;
  function showToast(text) {
    const toast = byId('toast');
    toast.textContent = text;
    toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { toast.hidden = true; }, 6000);
  }
`;
