/**
 * The page script, part 3: the token, the API calls, the event stream, start-up.
 * Plain browser JavaScript, joined by `page-assets.ts`; the browser test runs it.
 */
export const SCRIPT_STREAM = String.raw`
  const TOKEN_KEY = 'orbit-dashboard-token';
  const TOKEN_CODES = ['UNAUTHORIZED', 'TOKEN_REFUSED'];
  const RETRY_FIRST_MS = 1000;
  const RETRY_MAX_MS = 10000;

  /** A token in the address ('#token=...') moves to this tab's storage, out of sight. */
  function readToken() {
    const match = /^#token=(.+)$/.exec(location.hash);
    if (match) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
      history.replaceState(null, '', location.pathname + location.search);
    }
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function authHeaders() {
    return state.token ? { Authorization: 'Bearer ' + state.token } : {};
  }

  /** The ids go in the query: in the path, an id of '.' or '..' would be collapsed. */
  async function postAction(poolId, jobId, action) {
    const query = new URLSearchParams({ pool: poolId, job: jobId });
    const path = 'api/actions/' + action + '?' + query;
    const headers = Object.assign({ 'X-Orbit-Dashboard': '1' }, authHeaders());
    const response = await fetch(path, { method: 'POST', headers, cache: 'no-store' });
    const body = await response.json();
    if (response.ok) return body;

    if (TOKEN_CODES.includes(body.code)) showLogin(body.message);
    throw body;
  }

  function setConnection(stateName, text) {
    const box = byId('connection');
    box.dataset.state = stateName;
    byId('connection-text').textContent = text;
  }

  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /**
   * Listens to the server's events, reconnecting with a growing pause. The stream is read
   * with fetch rather than EventSource, which cannot send the Authorization header.
   */
  async function listen() {
    const round = ++state.streamRound;
    let retryMs = RETRY_FIRST_MS;
    while (round === state.streamRound) {
      setConnection('connecting', 'Connecting');
      try {
        const response = await fetch('events', { headers: authHeaders(), cache: 'no-store' });
        if (!response.ok) {
          const body = await response.json();
          if (TOKEN_CODES.includes(body.code)) return showLogin(body.message);
          throw body;
        }
        setConnection('live', 'Live');
        retryMs = RETRY_FIRST_MS;
        await readEvents(response.body, handleEvent);
      } catch (error) {
        // The connection dropped or the server refused; try again after a pause.
      }
      if (round !== state.streamRound) return;
      setConnection('offline', 'Reconnecting');
      await sleep(retryMs);
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    }
  }

  async function readEvents(stream, onEvent) {
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        parseMessage(buffer.slice(0, end), onEvent);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
      }
    }
  }

  function parseMessage(block, onEvent) {
    let name = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) name = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) onEvent(name, JSON.parse(data.join('\n')));
  }

  function handleEvent(name, payload) {
    if (name === 'snapshot') applySnapshot(payload);
    else if (name === 'update') applyUpdate(payload);
  }

  function sectionOf(poolId) {
    let section = state.sections.get(poolId);
    if (!section) {
      section = new PoolSection(poolId);
      state.sections.set(poolId, section);
      byId('pools').append(section.element);
    }
    return section;
  }

  function applySnapshot(snapshot) {
    setServerTime(snapshot.serverTime);
    const ids = new Set(snapshot.pools.map((pool) => pool.id));
    for (const [poolId, section] of state.sections) {
      if (ids.has(poolId)) continue;
      section.element.remove();
      state.sections.delete(poolId);
    }
    for (const pool of snapshot.pools) {
      const section = sectionOf(pool.id);
      section.apply(pool, true);
      byId('pools').append(section.element);
    }
    refreshSummary();
  }

  function applyUpdate(update) {
    setServerTime(update.serverTime);
    for (const pool of update.pools) sectionOf(pool.id).apply(pool, pool.complete);
    refreshSummary();
  }

  /** The header line: pools, jobs, and how many run, are paused or stopped. */
  function refreshSummary() {
    const views = [];
    for (const section of state.sections.values()) {
      for (const row of section.rows.values()) views.push(row.view);
    }
    const pools = state.sections.size;
    const parts = [
      [pools, pools === 1 ? 'pool' : 'pools'],
      [views.length, views.length === 1 ? 'job' : 'jobs'],
    ];
    for (const status of ['running', 'paused', 'stopped']) {
      const count = views.filter((view) => view.status === status).length;
      if (count > 0) parts.push([count, status]);
    }
    const summary = byId('summary');
    summary.replaceChildren();
    parts.forEach(([count, label], index) => {
      if (index > 0) summary.append(' \u00b7 ');
      summary.append(el('b', '', String(count)), ' ' + label);
    });
  }

  function showLogin(message) {
    state.streamRound++;
    setConnection('offline', 'Locked');
    byId('pools').hidden = true;
    byId('login').hidden = false;
    byId('login-error').textContent = state.token ? message : '';
    byId('token-input').focus();
  }

  function start() {
    state.token = readToken();
    byId('login').addEventListener('submit', (event) => {
      event.preventDefault();
      state.token = byId('token-input').value.trim();
      sessionStorage.setItem(TOKEN_KEY, state.token);
      byId('login').hidden = true;
      byId('pools').hidden = false;
      listen();
    });
    setInterval(() => {
      for (const section of state.sections.values()) {
        for (const row of section.rows.values()) row.tick();
      }
    }, 1000);
    listen();
  }

  start();
`;
