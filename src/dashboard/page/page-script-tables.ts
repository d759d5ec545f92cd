/**
 * The page script, part 2: a section per pool and a row per job, updated in place.
 * Plain browser JavaScript, joined by `page-assets.ts`; the browser test runs it.
 */
export const SCRIPT_TABLES = String.raw`
  const ACTIONS = [
    ['pause', 'Pause', ''],
    ['resume', 'Resume', ''],
    ['stop', 'Stop', 'danger'],
    ['run', 'Run now', ''],
  ];
  const COLUMNS = [
    'Job', 'Status', 'Next run', 'Last run', 'Runs', 'Durations', 'Data', 'Control',
  ];

  /**
   * Which buttons a job of this status takes; 'run' also needs a running pool. A job only
   * other processes run takes none: control reaches this process's pools only.
   */
  function allowedActions(status, poolRunning, elsewhere) {
    if (elsewhere) return {};
    return {
      pause: status === 'running',
      resume: status === 'paused' || status === 'stopped',
      stop: status === 'waiting' || status === 'running' || status === 'paused',
      run: status === 'waiting' && poolRunning,
    };
  }

  function cell(...children) {
    const td = el('td');
    td.append(...children);
    return td;
  }

  function classed(node, className) {
    node.className = className;
    return node;
  }

  /** One job's row: built once, then updated in place, so an open data view stays open. */
  class JobRow {
    constructor(section, view) {
      this.section = section;
      this.busy = false;
      this.sparkKey = '';
      this.element = el('tr');
      this.element.dataset.jobId = view.id;
      this.name = el('div', 'job-name');
      this.id = el('div', 'job-id');
      this.where = el('div', 'muted small', 'in another process');
      this.status = el('span', 'badge');
      this.next = el('div', 'nowrap');
      this.nextAt = el('div', 'muted small nowrap');
      this.outcome = el('span', 'badge');
      this.lastWhen = el('div', 'muted small nowrap');
      this.lastError = el('div', 'error-text');
      this.okCount = el('span');
      this.failCount = el('span');
      this.spark = el('div', 'spark-cell');
      this.details = el('details');
      this.preview = el('summary');
      this.data = el('pre');
      this.noData = el('span', 'muted', '\u2014');
      this.details.append(this.preview, this.data);
      this.element.append(
        cell(this.name, this.id, this.where),
        cell(this.status),
        cell(this.next, this.nextAt),
        cell(this.outcome, this.lastWhen, this.lastError),
        classed(cell(this.okCount, el('span', 'muted', ' \u00b7 '), this.failCount), 'counts'),
        cell(this.spark),
        cell(this.details, this.noData),
        cell(this.actionButtons()),
      );
      this.update(view);
    }

    actionButtons() {
      const box = el('div', 'actions');
      this.buttons = {};
      for (const [action, label, className] of ACTIONS) {
        const button = el('button', className, label);
        button.type = 'button';
        button.dataset.action = action;
        button.addEventListener('click', () => this.act(action));
        this.buttons[action] = button;
        box.append(button);
      }
      return box;
    }

    update(view) {
      this.view = view;
      this.name.textContent = view.name;
      this.id.textContent = view.id;
      this.id.hidden = view.id === view.name;
      this.where.hidden = !view.elsewhere;
      setBadge(this.status, 'status-', STATUSES, view.status, view.status);
      this.okCount.textContent = '\u2713 ' + view.success;
      this.okCount.className = view.success > 0 ? 'count-ok' : 'count-zero';
      this.failCount.textContent = '\u2717 ' + view.failure;
      this.failCount.className = view.failure > 0 ? 'count-fail' : 'count-zero';
      this.updateLastRun(view.lastRun);
      this.updateSpark(view.recentRuns);
      this.updateData(view);
      this.refreshButtons();
      this.tick();
    }

    updateLastRun(lastRun) {
      this.outcome.hidden = lastRun === null;
      this.lastError.hidden = lastRun === null || lastRun.error === null;
      if (lastRun === null) return;

      const outcome = lastRun.outcome || 'ended';
      setBadge(this.outcome, 'outcome-', OUTCOMES, outcome, outcome);
      if (lastRun.error !== null) {
        this.lastError.textContent = lastRun.error.code + ': ' + lastRun.error.message;
        this.lastError.title = this.lastError.textContent;
      }
    }

    updateSpark(runs) {
      const key = JSON.stringify(runs);
      if (key === this.sparkKey) return;
      this.sparkKey = key;
      this.spark.replaceChildren(sparkline(runs) || el('span', 'muted', '\u2014'));
    }

    updateData(view) {
      const empty = view.data === '{}';
      this.details.hidden = empty;
      this.noData.hidden = !empty;
      this.preview.textContent = view.data.replace(/\s+/g, ' ');
      this.data.textContent = view.data + (view.dataTruncated ? '\n\u2026 (cut short)' : '');
    }

    refreshButtons() {
      const allowed = allowedActions(this.view.status, this.section.running, this.view.elsewhere);
      for (const action of Object.keys(this.buttons)) {
        const button = this.buttons[action];
        button.disabled = this.busy || !allowed[action];
        button.setAttribute('aria-label', button.textContent + ' ' + this.view.name);
      }
    }

    /** Refreshes the times shown, which move with the clock. */
    tick() {
      const { nextRunAt, lastRun } = this.view;
      this.next.textContent = nextRunAt === null ? '\u2014' : untilText(nextRunAt);
      this.nextAt.textContent = nextRunAt === null ? '' : clockText(nextRunAt);
      this.next.title = nextRunAt === null ? '' : new Date(nextRunAt).toLocaleString();
      this.lastWhen.textContent = lastRun === null ? '\u2014' : this.lastRunText(lastRun);
    }

    lastRunText(lastRun) {
      if (lastRun.endedAt === null) {
        const forMs = serverNow() - Date.parse(lastRun.startedAt);
        return forMs < 1000 ? 'just started' : 'for ' + formatSpan(forMs);
      }
      return sinceText(lastRun.endedAt) + ' \u00b7 took ' + formatDuration(lastRun.durationMs);
    }

    async act(action) {
      if (action === 'stop' && !(await confirmStop(this.section.id, this.view.name))) return;

      this.busy = true;
      this.refreshButtons();
      try {
        const body = await postAction(this.section.id, this.view.id, action);
        if (body.job) this.update(body.job);
        if (body.note) showToast(body.note);
      } catch (error) {
        showToast(messageOf(error));
      } finally {
        this.busy = false;
        this.refreshButtons();
      }
    }
  }

  /** One pool: a heading with its counts, and a table of its jobs. */
  class PoolSection {
    constructor(id) {
      this.id = id;
      this.running = false;
      this.rows = new Map();
      this.element = el('section', 'pool');
      this.element.dataset.poolId = id;
      this.state = el('span', 'badge');
      this.counts = el('span', 'pool-counts');
      const head = el('div', 'pool-head');
      head.append(el('h2', '', id), this.state, this.counts);
      const headRow = el('tr');
      for (const title of COLUMNS) headRow.append(el('th', '', title));
      const thead = el('thead');
      thead.append(headRow);
      this.body = el('tbody');
      const table = el('table');
      table.append(thead, this.body);
      this.table = el('div', 'table-wrap');
      this.table.append(table);
      this.empty = el('p', 'empty', 'No jobs in this pool.');
      this.element.append(head, this.table, this.empty);
    }

    /** Applies a pool view; 'complete' when it lists every job, in order. */
    apply(view, complete) {
      this.running = view.running;
      this.elsewhere = view.elsewhere;
      for (const job of view.jobs) {
        const row = this.rows.get(job.id);
        if (row) row.update(job);
        else this.add(job);
      }
      if (complete) this.keepOnly(view.jobs);
      for (const jobId of view.removedJobIds || []) this.remove(jobId);
      for (const row of this.rows.values()) row.refreshButtons();
      this.refreshHead();
    }

    add(job) {
      const row = new JobRow(this, job);
      this.rows.set(job.id, row);
      this.body.append(row.element);
    }

    keepOnly(jobs) {
      const ids = new Set(jobs.map((job) => job.id));
      for (const jobId of [...this.rows.keys()]) if (!ids.has(jobId)) this.remove(jobId);
      for (const job of jobs) this.body.append(this.rows.get(job.id).element);
    }

    remove(jobId) {
      const row = this.rows.get(jobId);
      if (!row) return;
      row.element.remove();
      this.rows.delete(jobId);
    }

    refreshHead() {
      const isLive = this.running || this.elsewhere;
      this.state.className = 'badge ' + (isLive ? 'pool-running' : 'status-stopped');
      this.state.textContent = this.elsewhere
        ? 'in other processes'
        : this.running ? 'running' : 'not running';
      this.counts.textContent = countsText([...this.rows.values()].map((row) => row.view));
      this.table.hidden = this.rows.size === 0;
      this.empty.hidden = this.rows.size > 0;
    }
  }

  /** '5 jobs · 2 running · 1 paused', statuses in their usual order. */
  function countsText(views) {
    const parts = [views.length + (views.length === 1 ? ' job' : ' jobs')];
    for (const status of STATUSES) {
      const count = views.filter((view) => view.status === status).length;
      if (count > 0) parts.push(count + ' ' + status);
    }
    return parts.join(' \u00b7 ');
  }

  /** Asks before a stop; resolves 'true' when confirmed. */
  function confirmStop(poolId, jobName) {
    const dialog = byId('confirm');
    byId('confirm-text').textContent = 'Stop \u201c' + jobName + '\u201d in pool \u201c' +
      poolId + '\u201d? A run in progress is aborted, and the job runs no more until ' +
      'it is resumed.';
    return new Promise((resolve) => {
      const finish = (confirmed) => {
        dialog.onclose = null;
        if (dialog.open) dialog.close();
        resolve(confirmed);
      };
      byId('confirm-ok').onclick = () => finish(true);
      byId('confirm-cancel').onclick = () => finish(false);
      dialog.onclose = () => finish(false);
      dialog.showModal();
    });
  }
`;
