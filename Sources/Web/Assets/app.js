// genmon's page: plain JavaScript, no libraries, nothing loaded from elsewhere.
// Data comes from the JSON API (/api/v1/...); changes arrive on the live stream
// (/api/v1/stream, server-sent events) the moment the monitor publishes them.
'use strict';

(() => {
  const app = {
    session: null,      // the answer of GET /api/v1/session
    status: null,       // the latest status
    events: [],         // recent monitor events, newest first
    stream: null,
    lastMessage: 0,     // when the stream last said anything (ms)
    page: null,
    maintenance: null,
    history: { range: '24h', series: ['utilityVolts', 'batteryVolts', 'outputVolts'] },
    powerRange: '24h',  // the status page's power chart
  };
  const HEARTBEAT_GRACE_MS = 40000;

  // ---------------------------------------------------------------- helpers

  /** Builds an element: h('p', {class: 'x', onclick: f}, 'text', child...). Text is never parsed as HTML. */
  function h(tag, attrs, ...children) {
    const svg = ['svg', 'path', 'line', 'polyline', 'polygon', 'circle', 'text', 'g', 'rect', 'title'].includes(tag);
    const el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
      else if (key === 'text') el.textContent = value;
      else el.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }
  const $ = (selector) => document.querySelector(selector);
  const main = () => $('#main');

  function replace(el, ...children) {
    el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  }

  function announce(text) {
    const el = $('#announcer');
    el.textContent = '';
    setTimeout(() => { el.textContent = text; }, 50);
  }

  const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  function when(iso) { return iso ? dateTime.format(new Date(iso)) : '—'; }
  /** Today's times as a clock; older ones with their day. */
  function recent(iso) {
    const date = new Date(iso);
    return date.toDateString() === new Date().toDateString() ? timeOnly.format(date) : shortDate.format(date);
  }
  function duration(seconds) {
    seconds = Math.max(0, Math.round(seconds));
    const d = Math.floor(seconds / 86400), hr = Math.floor((seconds % 86400) / 3600), m = Math.floor((seconds % 3600) / 60);
    if (d > 0) return `${d} d ${hr} h`;
    if (hr > 0) return `${hr} h ${m} min`;
    if (m > 0) return `${m} min`;
    return `${seconds} s`;
  }
  function since(iso) { return iso ? duration((Date.now() - new Date(iso).getTime()) / 1000) : ''; }
  function qty(q, digits) {
    if (!q) return '—';
    const value = digits === undefined ? q.value : q.value.toFixed(digits);
    return `${value} ${q.unit}`;
  }
  const stateNames = {
    ready: 'Ready', exercising: 'Exercising', running: 'Running', runningManual: 'Running (manual)', alarm: 'Alarm',
    serviceDue: 'Service due', off: 'Off', manual: 'Manual', starting: 'Starting up',
  };
  const isAdmin = () => app.session && app.session.role === 'admin';

  // ---------------------------------------------------------------- API

  class APIError extends Error {
    constructor(status, code, message, retryAfter) { super(message); this.status = status; this.code = code; this.retryAfter = retryAfter; }
  }

  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && app.session && app.session.csrfToken) headers['X-CSRF-Token'] = app.session.csrfToken;
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' });
    } catch (error) {
      throw new APIError(0, 'unreachable', 'genmon cannot be reached.');
    }
    if (response.status === 204) return null;
    let data = null;
    try { data = await response.json(); } catch (error) { data = null; }
    if (!response.ok && !(path === '/api/v1/commands' && data && data.result)) {
      const detail = (data && data.error) || {};
      if (response.status === 401 && path !== '/api/v1/session') { signedOut(); }
      throw new APIError(response.status, detail.code || 'http', detail.message || `genmon answered ${response.status}.`, response.headers.get('Retry-After'));
    }
    return data;
  }

  // ---------------------------------------------------------------- session and shell

  // Listeners are added once; only the session fetch is retried (a retried start would add them
  // again, and one click on Confirm would then send the command several times).
  function start() {
    $('#sign-out').addEventListener('click', signOut);
    window.addEventListener('hashchange', route);
    setupDialog();
    loadSession();
  }

  async function loadSession() {
    try {
      app.session = await api('GET', '/api/v1/session');
    } catch (error) {
      showBanner('unreachable', 'bad', 'genmon cannot be reached.', 'Check that genmon is running and this device is on the same network.');
      setTimeout(loadSession, 5000);
      return;
    }
    clearBanner('unreachable');
    $('#site').textContent = app.session.site || 'genmon';
    document.title = `${app.session.site || 'genmon'} · genmon`;
    $('#version').textContent = `genmon ${app.session.version}`;
    if (app.session.authenticated) signedIn(); else route();
    setInterval(tick, 1000);
  }

  function signedIn() {
    $('#session').hidden = false;
    $('#tabs').hidden = false;
    $('#admin-tab').hidden = !isAdmin();
    $('#user-name').textContent = `${app.session.user} (${app.session.role})`;
    connect();
    if (['', '#', '#/', '#/login', '#/setup'].includes(location.hash)) location.hash = '#/status';
    route();
  }

  function signedOut() {
    if (app.stream) { app.stream.close(); app.stream = null; }
    app.session = Object.assign({}, app.session || {}, { authenticated: false, user: null, role: null, csrfToken: null });
    $('#session').hidden = true;
    $('#tabs').hidden = true;
    document.body.dataset.state = 'starting';
    $('#state-text').textContent = 'Signed out';
    route();
  }

  async function signOut() {
    try { await api('DELETE', '/api/v1/session'); } catch (error) { /* signed out anyway */ }
    signedOut();
    location.hash = '#/login';
  }

  // ---------------------------------------------------------------- live stream

  function connect() {
    if (app.stream) app.stream.close();
    setLive('connecting');
    const stream = new EventSource('/api/v1/stream');
    app.stream = stream;
    stream.addEventListener('open', () => { app.lastMessage = Date.now(); setLive('up'); });
    stream.addEventListener('status', (message) => { app.lastMessage = Date.now(); setLive('up'); onStatus(JSON.parse(message.data)); });
    stream.addEventListener('event', (message) => { app.lastMessage = Date.now(); onEvent(JSON.parse(message.data)); });
    stream.addEventListener('ping', () => { app.lastMessage = Date.now(); setLive('up'); });
    stream.addEventListener('error', () => {
      setLive('down');
      if (stream.readyState === EventSource.CLOSED) {
        // Refused outright: the session may have ended. Ask, and try again shortly.
        setTimeout(async () => {
          try {
            app.session = await api('GET', '/api/v1/session');
            if (app.session.authenticated) connect(); else signedOut();
          } catch (error) { setTimeout(connect, 3000); }
        }, 2000);
      }
    });
  }

  function setLive(state) {
    document.body.dataset.live = state;
    $('#live-text').textContent = state === 'up' ? 'live' : state === 'down' ? 'offline' : 'connecting';
    if (state === 'up') clearBanner('unreachable');
    else if (state === 'down' && app.session && app.session.authenticated) {
      showBanner('unreachable', 'bad', 'genmon is unreachable — reconnecting…',
        'What you see may be out of date. The page catches up by itself when the link is back.');
    }
  }

  /** Once a second: notices a silent link, and keeps "for 5 min" texts current. */
  function tick() {
    if (app.stream && app.lastMessage && Date.now() - app.lastMessage > HEARTBEAT_GRACE_MS) {
      app.lastMessage = 0;
      setLive('down');
      connect();
    }
    for (const el of document.querySelectorAll('[data-since]')) el.textContent = since(el.dataset.since);
  }

  function onStatus(status) {
    const previous = app.status;
    app.status = status;
    updateHeader(status);
    updateBanners(status);
    if (app.page === 'status') renderStatusParts();
    if (previous && previous.state !== status.state) announce(`Generator: ${stateNames[status.state] || status.state}`);
  }

  function onEvent(event) {
    const pending = app.pendingCommand;
    if (pending && event.name === 'command_completed' && event.summary.startsWith(`${pending.command} from `)) {
      app.pendingCommand = null;
      pending.finish(event.summary);
    }
    app.events.unshift(event);
    app.events = app.events.slice(0, 50);
    if (app.page === 'status') renderRecentEvents();
    // Pages whose data an event changes fetch it again (no polling: only when something happened).
    if (app.page === 'maintenance' && ['command_completed', 'service_due', 'service_cleared'].includes(event.name)) showMaintenance(true);
    if (app.page === 'outages' && event.name.startsWith('outage')) showOutages();
    if (app.page === 'logs') showLogs(true);
    if (event.severity !== 'info') announce(event.summary);
  }

  function updateHeader(status) {
    document.body.dataset.state = status.state;
    const name = stateNames[status.state] || status.state;
    $('#state-text').textContent = status.engineState ? `${name} · ${status.engineState}` : name;
    $('#site').textContent = status.site;
  }

  function updateBanners(status) {
    if (!status.controllerAnswering) {
      showBanner('controller', 'bad', 'The controller is not answering.', 'genmon gets no reply from the generator. Check the cable or adapter and the controller\'s power. Values shown may be old.');
    } else clearBanner('controller');
    if (status.outage.inOutage) {
      showBanner('outage', 'warn', 'Utility power is out.', status.outage.since ? `Since ${when(status.outage.since)}.` : '');
    } else clearBanner('outage');
  }

  function showBanner(id, kind, title, text) {
    let el = document.getElementById(`banner-${id}`);
    const content = [h('strong', {}, title), text ? h('p', {}, text) : null];
    if (!el) {
      el = h('div', { id: `banner-${id}`, class: `banner ${kind}`, role: 'alert' });
      $('#banners').append(el);
    }
    el.className = `banner ${kind}`;
    replace(el, h('span', { class: 'dot', 'aria-hidden': 'true' }), h('div', {}, content));
  }
  function clearBanner(id) { const el = document.getElementById(`banner-${id}`); if (el) el.remove(); }

  // ---------------------------------------------------------------- routing

  const pages = {
    status: showStatus, maintenance: showMaintenance, history: showHistory, outages: showOutages, logs: showLogs,
    monitor: showMonitor, admin: showAdmin, account: showAccount,
  };

  function route() {
    const name = (location.hash.replace(/^#\/?/, '').split('?')[0]) || 'status';
    if (!app.session || !app.session.authenticated) {
      app.page = name === 'setup' || app.session && app.session.setupRequired ? 'setup' : 'login';
      for (const link of document.querySelectorAll('#tabs a')) link.removeAttribute('aria-current');
      return app.page === 'setup' ? showSetup() : showLogin();
    }
    const page = pages[name] && (name !== 'admin' || isAdmin()) ? name : 'status';
    app.page = page;
    for (const link of document.querySelectorAll('#tabs a')) {
      if (link.dataset.page === page) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
    }
    pages[page]();
    main().focus({ preventScroll: true });
  }

  function loading(title) { replace(main(), h('h1', { class: 'visually-hidden' }, title), h('p', { class: 'muted' }, 'Loading…')); }

  function failed(error) {
    replace(main(), h('div', { class: 'card' }, h('h1', {}, 'Something went wrong'), h('p', { class: 'error' }, error.message)));
  }

  // ---------------------------------------------------------------- sign-in and setup

  function showLogin() {
    const error = h('p', { class: 'error', id: 'login-error', role: 'alert' });
    const form = h('form', { class: 'stack', id: 'login-form', novalidate: true },
      h('label', { for: 'login-user' }, 'User name', h('input', { id: 'login-user', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' })),
      h('label', { for: 'login-password' }, 'Password', h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
      error,
      h('button', { type: 'submit', class: 'primary', id: 'login-submit' }, 'Sign in'));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.textContent = '';
      const button = $('#login-submit');
      button.disabled = true;
      try {
        app.session = await api('POST', '/api/v1/session', { username: $('#login-user').value.trim(), password: $('#login-password').value });
        signedIn();
      } catch (failure) {
        error.textContent = failure.message;
        $('#login-password').value = '';
        $('#login-password').focus();
      } finally { button.disabled = false; }
    });
    replace(main(), h('div', { class: 'card login' }, h('h1', {}, 'Sign in'),
      h('p', { class: 'muted' }, `Sign in to see ${app.session && app.session.site || 'the generator'}.`), form,
      app.session && app.session.setupRequired ? h('p', { class: 'small' }, h('a', { href: '#/setup' }, 'First start: create the admin')) : null));
    document.body.dataset.state = 'starting';
    $('#state-text').textContent = 'Signed out';
    $('#login-user').focus();
  }

  function showSetup() {
    const error = h('p', { class: 'error', role: 'alert' });
    const form = h('form', { class: 'stack', id: 'setup-form' },
      h('label', { for: 'setup-code' }, 'Setup code (printed in genmon\'s log)', h('input', { id: 'setup-code', autocomplete: 'one-time-code', autocapitalize: 'characters', required: true })),
      h('label', { for: 'setup-user' }, 'Admin user name', h('input', { id: 'setup-user', autocomplete: 'username', required: true, autocapitalize: 'none' })),
      h('label', { for: 'setup-password' }, 'Password (at least 10 characters)', h('input', { id: 'setup-password', type: 'password', autocomplete: 'new-password', required: true, minlength: 10 })),
      h('label', { for: 'setup-again' }, 'Password again', h('input', { id: 'setup-again', type: 'password', autocomplete: 'new-password', required: true })),
      error, h('button', { type: 'submit', class: 'primary' }, 'Create the admin'));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if ($('#setup-password').value !== $('#setup-again').value) { error.textContent = 'The two passwords differ.'; return; }
      try {
        app.session = await api('POST', '/api/v1/setup', { code: $('#setup-code').value, username: $('#setup-user').value.trim(), password: $('#setup-password').value });
        signedIn();
      } catch (failure) { error.textContent = failure.message; }
    });
    replace(main(), h('div', { class: 'card login' }, h('h1', {}, 'Create the first admin'),
      h('p', { class: 'muted' }, 'genmon has no users yet. The one-time setup code is in its log (it changes at every start).'), form,
      h('p', { class: 'small' }, h('a', { href: '#/login' }, 'Sign in instead'))));
  }

  // ---------------------------------------------------------------- status

  function showStatus() {
    replace(main(),
      h('h1', { class: 'visually-hidden' }, 'Status'),
      h('section', { class: 'card hero', id: 'hero', 'aria-label': 'Generator state' }),
      h('section', { class: 'card', id: 'alerts-card', 'aria-labelledby': 'alerts-title' }, h('h2', { id: 'alerts-title' }, 'Alarms and warnings'), h('div', { id: 'alerts' })),
      h('section', { class: 'card', 'aria-labelledby': 'gauges-title' }, h('h2', { id: 'gauges-title' }, 'Readings'), h('div', { class: 'gauges', id: 'gauges' })),
      h('section', { class: 'card', id: 'power-card', 'aria-labelledby': 'power-title', hidden: true },
        h('h2', { id: 'power-title' }, 'Output power and energy'), h('div', { class: 'facts', id: 'power' }),
        h('div', { class: 'segmented', role: 'group', 'aria-label': 'Power chart range' },
          [['24h', '24 hours'], ['7d', '7 days'], ['30d', '30 days']].map(([value, label]) => h('button', {
            type: 'button', 'aria-pressed': String(app.powerRange === value), 'data-power-range': value,
            onclick: () => { app.powerRange = value; document.querySelectorAll('[data-power-range]').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.powerRange === value))); loadPowerChart(); },
          }, label))),
        h('div', { id: 'power-chart' })),
      h('section', { class: 'card', id: 'sensors-card', 'aria-labelledby': 'sensors-title', hidden: true },
        h('h2', { id: 'sensors-title' }, 'Add-on sensors'), h('ul', { class: 'sensors', id: 'sensors' })),
      h('section', { class: 'card', id: 'controls-card', 'aria-labelledby': 'controls-title', hidden: !isAdmin() },
        h('h2', { id: 'controls-title' }, 'Controls'), h('div', { class: 'controls', id: 'controls' }),
        h('p', { class: 'small muted' }, 'Every action asks first, and shows what the controller did.')),
      h('section', { class: 'card', 'aria-labelledby': 'recent-title' }, h('h2', { id: 'recent-title' }, 'Recent events'), h('ul', { class: 'events', id: 'recent' })));
    renderStatusParts();
    loadPowerChart();
    if (isAdmin()) loadControls();
    api('GET', '/api/v1/events?limit=15').then((page) => {
      const known = new Set(app.events.map((e) => `${e.time}|${e.summary}`));
      for (const event of page.events) if (!known.has(`${event.time}|${event.summary}`)) app.events.push(event);
      app.events.sort((a, b) => b.time.localeCompare(a.time));
      renderRecentEvents();
    }).catch(() => {});
  }

  function renderStatusParts() {
    const status = app.status;
    const hero = $('#hero');
    if (!hero) return;
    if (!status) { replace(hero, h('p', { class: 'muted' }, 'Waiting for the monitor…')); return; }
    const fact = (label, value, extra) => h('div', { class: 'fact' }, h('span', { class: 'label' }, label), h('span', { class: 'value', ...extra }, value));
    replace(hero,
      h('div', {}, h('div', { class: 'big', id: 'hero-state' }, stateNames[status.state] || status.state), h('div', { class: 'muted' }, status.summary)),
      h('div', { class: 'facts' },
        fact('Switch', status.switchState || '—'),
        fact('Engine', status.engineState || '—', status.readings && status.readings.status && status.readings.status.stale ? { class: 'value stale' } : undefined),
        fact('Utility', status.outage.inOutage ? 'Out' : 'On', { id: 'hero-utility' }),
        status.utility && status.utility.transferSwitch ? fact('Load on', status.utility.transferSwitch === 'generator' ? 'Generator' : 'Utility') : null));
    const alerts = $('#alerts');
    if (status.alerts.length === 0) replace(alerts, h('p', { class: 'none' }, 'None. Everything is as it should be.'));
    else {
      replace(alerts, status.alerts.map((alert) => h('article', { class: `alert ${alert.severity}` },
        h('h3', {}, alert.title, alert.code ? h('span', { class: 'muted small' }, ` (code ${alert.code})`) : null),
        h('p', {}, alert.description, alert.since ? [' For ', h('span', { 'data-since': alert.since }, since(alert.since)), '.'] : null),
        h('p', { class: 'check' }, alert.whatToCheck))));
    }
    renderGauges(status);
    renderPower(status);
    renderSensors(status);
  }

  /** Output power now, the energy counter and the last 30 days (when power is measured). */
  function renderPower(status) {
    const card = $('#power-card'), power = status.power;
    if (!card) return;
    card.hidden = !(power && power.metered);
    if (card.hidden) return;
    const fact = (label, value) => h('div', { class: 'fact' }, h('span', { class: 'label' }, label), h('span', { class: 'value' }, value));
    const month = power.lastThirtyDays;
    replace($('#power'),
      fact('Now', qty(power.output, 2)),
      fact('Energy, all time', qty(power.energyTotal, 1)),
      month ? fact('Last 30 days', `${qty(month.energy, 2)} · ${qty(month.runHours, 2)} running`) : null,
      month && month.fuel ? fact('Fuel, last 30 days', qty(month.fuel, 2)) : null,
      power.fuelLevel ? fact('Fuel level', qty(power.fuelLevel, 0)) : null,
      power.source === 'addOn' ? fact('Measured by', 'an add-on') : null);
  }

  /** The power chart of the status page: min, average and max of the output power. */
  async function loadPowerChart() {
    const box = $('#power-chart');
    if (!box) return;
    const width = Math.max(320, Math.min(1000, box.clientWidth || 800));
    let data;
    try {
      data = await api('GET', `/api/v1/history?range=${app.powerRange}&series=powerKW&points=${Math.round(width / 3)}`);
    } catch (error) { replace(box, h('p', { class: 'error' }, error.message)); return; }
    if (app.page !== 'status' || !$('#power-chart')) return;
    replace(box, chart(data.series[0], data, width));
  }

  /** What add-ons send, with a mark when a value is old. */
  function renderSensors(status) {
    const card = $('#sensors-card');
    if (!card) return;
    const sensors = status.externalSensors || [], tank = status.externalTank;
    card.hidden = sensors.length === 0 && !tank;
    if (card.hidden) return;
    const item = (name, text, stale, updatedAt) => h('li', { class: stale ? 'stale' : '' },
      h('span', { class: 'label' }, name), h('span', { class: 'value' }, text),
      h('span', { class: 'small muted' }, stale ? `stale: no update for ${since(updatedAt)}` : h('time', { datetime: updatedAt, title: when(updatedAt) }, recent(updatedAt))));
    replace($('#sensors'),
      sensors.map((s) => item(s.name, s.text, s.stale, s.updatedAt)),
      tank ? item(tank.name || 'Tank', tank.levels.map((q) => qty(q, 0)).join(', '), tank.stale, tank.updatedAt) : null);
  }

  function renderGauges(status) {
    const engine = status.engine || {}, utility = status.utility || {};
    const threshold = utility.threshold ? utility.threshold.value : 140;
    const ages = status.readings || {};
    const items = [
      { name: 'Battery', key: 'batteryVoltage', q: engine.batteryVoltage, min: 10, max: 16, digits: 1, zone: (v) => v < 11.8 ? 'bad' : v < 12.4 ? 'warn' : 'ok' },
      { name: 'Utility', key: 'utilityVoltage', q: utility.voltage, min: 0, max: 300, zone: (v) => v < threshold ? 'bad' : 'ok' },
      { name: 'Output', key: 'outputVoltage', q: engine.outputVoltage, min: 0, max: 300 },
      { name: 'Frequency', key: 'frequency', q: engine.frequency, min: 0, max: 70, digits: 1 },
      { name: 'Engine speed', key: 'rpm', q: engine.rpm, min: 0, max: 4000 },
      { name: 'Power', key: 'outputPower', q: engine.outputPower, min: 0, max: 30, digits: 2 },
    ].filter((item) => item.q);
    replace($('#gauges'), items.map((item) => gauge(item, ages[item.key])));
  }

  /** A half-circle gauge with the number below it; greyed, with its age, when the value is stale. */
  function gauge(item, age) {
    const stale = Boolean(age && age.stale);
    const figure = gaugeFigure(item);
    if (!stale) return figure;
    figure.classList.add('stale');
    const old = `not read for ${Math.round(age.age)} s`;
    figure.setAttribute('aria-label', `${figure.getAttribute('aria-label')} (${old}: not current)`);
    figure.appendChild(h('div', { class: 'stale-note' }, old));
    return figure;
  }

  function gaugeFigure(item) {
    const value = item.q.value;
    const fraction = Math.min(1, Math.max(0, (value - item.min) / (item.max - item.min)));
    const r = 50, cx = 60, cy = 60;
    const angle = Math.PI * (1 - fraction);
    const x = cx + r * Math.cos(angle), y = cy - r * Math.sin(angle);
    const track = `M ${cx - r} ${cy} A ${r} ${r} 0 0 1 ${cx + r} ${cy}`;
    const arc = fraction > 0.001 ? `M ${cx - r} ${cy} A ${r} ${r} 0 0 1 ${x.toFixed(2)} ${y.toFixed(2)}` : null;
    const shown = item.digits === undefined ? String(value) : value.toFixed(item.digits);
    return h('figure', { class: 'gauge', role: 'group', 'aria-label': `${item.name}: ${shown} ${item.q.unit}` },
      h('svg', { viewBox: '0 0 120 68', 'aria-hidden': 'true' },
        h('path', { class: 'track', d: track }),
        arc ? h('path', { class: `value-arc ${item.zone ? item.zone(value) : ''}`, d: arc }) : null),
      h('div', { class: 'number' }, shown, h('span', { class: 'unit' }, item.q.unit)),
      h('figcaption', { class: 'name' }, item.name));
  }

  function renderRecentEvents() {
    const list = $('#recent');
    if (!list) return;
    if (app.events.length === 0) { replace(list, h('li', { class: 'empty' }, 'Nothing has happened yet.')); return; }
    replace(list, app.events.slice(0, 15).map(eventItem));
  }

  function eventItem(event) {
    return h('li', {}, h('time', { datetime: event.time, title: when(event.time) }, recent(event.time)), h('span', { class: `sev-${event.severity}` }, event.summary));
  }

  // ---------------------------------------------------------------- controls

  async function loadControls() {
    try {
      const commands = await api('GET', '/api/v1/commands');
      const wanted = ['start', 'stop', 'startTransfer', 'startExercise', 'resetAlarm', 'auto', 'manual', 'off'];
      const buttons = commands.filter((c) => c.available && wanted.includes(c.command)).map((c) =>
        h('button', { type: 'button', class: `engine ${c.command === 'stop' || c.command === 'off' ? 'danger' : ''}`, 'data-command': c.command,
          onclick: () => runCommand(c) }, c.label));
      const controls = $('#controls');
      if (controls) replace(controls, buttons.length ? buttons : h('p', { class: 'muted' }, 'This controller offers no remote controls.'));
    } catch (error) { /* the card stays empty */ }
  }

  /**
   * Asks for confirmation, sends the command, and shows what the controller did.
   * `fields` (optional) are extra inputs shown in the dialog; `body()` builds the request from them.
   */
  function runCommand(command, fields, body) {
    const dialog = $('#confirm');
    $('#confirm-title').textContent = `${command.label}?`;
    $('#confirm-message').textContent = command.confirmation;
    replace($('#confirm-fields'), fields || []);
    const result = $('#confirm-result');
    result.hidden = true;
    result.className = 'result';
    const ok = $('#confirm-ok'), cancel = $('#confirm-cancel');
    ok.hidden = false; ok.disabled = false; ok.textContent = command.label;
    ok.className = command.command === 'stop' || command.command === 'off' ? 'danger' : 'primary';
    cancel.textContent = 'Cancel';
    dialog.onconfirm = async () => {
      if (ok.disabled || ok.hidden) return; // already sent: a second Enter or click sends nothing
      let request;
      try { request = body ? body() : { command: command.command }; } catch (error) { showResult('bad', error.message); return; }
      ok.disabled = true;
      showResult('busy', 'Sent. Waiting for the controller to confirm…');
      try {
        const outcome = await api('POST', '/api/v1/commands', request);
        if (outcome.result === 'pending') {
          // Answered at once (the clock is set at the next whole minute); the outcome arrives as an event.
          showResult('busy', `Pending: ${outcome.message}. The outcome will show here.`);
          app.pendingCommand = { command: outcome.command, finish: (summary) => {
            const failed = / (unconfirmed|failed|refused):/.test(summary);
            showResult(failed ? 'warn' : 'ok', failed ? summary : `Done: ${summary}`);
            announce(summary);
          } };
          ok.hidden = true;
          cancel.textContent = 'Close';
          cancel.focus();
          return;
        }
        const kind = outcome.result === 'confirmed' || outcome.result === 'sent' ? 'ok' : outcome.result === 'unconfirmed' ? 'warn' : 'bad';
        const words = { confirmed: 'Done: confirmed by the controller.', sent: 'Sent. The controller shows nothing to confirm it by.',
          unconfirmed: 'Sent, but the controller did not confirm it in time.', refused: 'Refused.', failed: 'Failed.' };
        showResult(kind, `${words[outcome.result] || outcome.result} ${outcome.result === 'confirmed' ? '' : outcome.message}`.trim());
        announce(`${command.label}: ${outcome.result}`);
        if (app.page === 'maintenance') {
          // The monitor decodes what it read back at its next poll: look again once it has.
          showMaintenance(true);
          setTimeout(() => { if (app.page === 'maintenance') showMaintenance(true); }, 2000);
        }
      } catch (error) {
        showResult('bad', error.message);
      }
      ok.hidden = true;
      cancel.textContent = 'Close';
      cancel.focus();
    };
    function showResult(kind, text) { result.hidden = false; result.className = `result ${kind}`; result.textContent = text; }
    dialog.showModal();
    // Safe default: Enter does not fire a dangerous action by accident.
    (fields && fields.length ? fields[0].querySelector('input,select') : cancel).focus();
  }

  function setupDialog() {
    const dialog = $('#confirm');
    $('#confirm-form').addEventListener('submit', (event) => { event.preventDefault(); if (dialog.onconfirm) dialog.onconfirm(); });
    $('#confirm-cancel').addEventListener('click', () => dialog.close());
  }

  // ---------------------------------------------------------------- maintenance

  async function showMaintenance(refresh) {
    if (!refresh) loading('Maintenance');
    let data;
    try { data = await api('GET', '/api/v1/maintenance'); } catch (error) { return refresh ? undefined : failed(error); }
    if (app.page !== 'maintenance') return;
    app.maintenance = data;
    const row = (label, value) => [h('dt', {}, label), h('dd', {}, value)];
    const exercise = data.exercise;
    const exerciseText = exercise ? `${exercise.frequency[0].toUpperCase()}${exercise.frequency.slice(1)}, ${exercise.weekday || `day ${exercise.dayOfMonth}`} at ${exercise.time} · quiet mode ${exercise.quietMode}` : 'unknown';
    const offered = (name) => (data.commands.find((c) => c.command === name) || {}).available;
    const command = (name) => data.commands.find((c) => c.command === name);
    replace(main(),
      h('h1', {}, 'Maintenance'),
      h('div', { class: 'grid' },
        h('section', { class: 'card', 'aria-labelledby': 'unit-title' }, h('h2', { id: 'unit-title' }, 'Generator'),
          h('dl', { class: 'facts' },
            row('Controller', data.controller ? data.controller.name : '—'),
            row('Model', data.controller ? data.controller.model : '—'),
            row('Rated power', qty(data.ratedPower)),
            row('Fuel', data.fuelType || '—'),
            row('Serial number', data.serialNumber || '—'),
            row('Firmware', data.firmwareVersion || '—'),
            row('Hardware', data.hardwareVersion || '—'),
            row('Run hours', data.runHours ? `${data.runHours.value.toFixed(1)} h` : '—'))),
        h('section', { class: 'card', 'aria-labelledby': 'service-title' }, h('h2', { id: 'service-title' }, 'Service due'),
          data.service.length ? h('dl', { class: 'facts' }, data.service.map((item) => row(item.name,
            h('span', { class: item.due ? 'sev-warning' : '' }, [item.hoursUntilDue ? `${item.hoursUntilDue.value} h` : null, item.dueDate ? new Date(`${item.dueDate}T12:00:00`).toLocaleDateString() : null].filter(Boolean).join(' or '), item.due ? ' — due' : '')))) : h('p', { class: 'empty' }, 'No service counters on this controller.'))),
      h('section', { class: 'card', 'aria-labelledby': 'exercise-title' },
        h('h2', { id: 'exercise-title' }, 'Exercise', isAdmin() && offered('setExercise') ? h('button', { type: 'button', id: 'edit-exercise', onclick: () => editExercise(data, command('setExercise')) }, 'Change') : null),
        h('p', { id: 'exercise-text' }, exerciseText),
        isAdmin() && offered('setQuietMode') && exercise ? h('button', { type: 'button', id: 'quiet-toggle', onclick: () => runCommand(
          Object.assign({}, command('setQuietMode'), { label: exercise.quietMode === 'on' ? 'Quiet mode off' : 'Quiet mode on' }), null,
          () => ({ command: 'setQuietMode', on: exercise.quietMode !== 'on' })) }, exercise.quietMode === 'on' ? 'Turn quiet mode off' : 'Turn quiet mode on') : null),
      h('section', { class: 'card', 'aria-labelledby': 'clock-title' },
        h('h2', { id: 'clock-title' }, 'Controller clock', isAdmin() && offered('setTime') ? h('button', { type: 'button', id: 'set-time', onclick: () => runCommand(command('setTime')) }, 'Set from genmon\'s clock') : null),
        h('p', {}, data.controllerTime ? data.controllerTime.replace('T', ' ') : 'unknown',
          data.controllerClockOffset && Math.abs(data.controllerClockOffset.value) >= 120 ? h('span', { class: 'sev-warning' }, ` (${duration(Math.abs(data.controllerClockOffset.value))} ${data.controllerClockOffset.value > 0 ? 'ahead' : 'behind'})`) : null)));
  }

  function editExercise(data, command) {
    const current = data.exercise || { frequency: 'weekly', weekday: 'Sunday', time: '12:00' };
    const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
    const frequency = h('select', { id: 'ex-frequency' }, data.exerciseFrequencies.map((f) => h('option', { value: f, selected: f === current.frequency }, f[0].toUpperCase() + f.slice(1))));
    const weekday = h('select', { id: 'ex-weekday' }, days.map((d) => h('option', { value: d, selected: d === current.weekday }, d)));
    const dayOfMonth = h('input', { id: 'ex-day', type: 'number', min: 1, max: 28, value: current.dayOfMonth || 1 });
    const time = h('input', { id: 'ex-time', type: 'time', value: current.time, required: true });
    const weekdayLabel = h('label', { for: 'ex-weekday' }, 'Day', weekday);
    const dayLabel = h('label', { for: 'ex-day' }, 'Day of the month', dayOfMonth);
    const sync = () => { const monthly = frequency.value === 'monthly'; weekdayLabel.hidden = monthly; dayLabel.hidden = !monthly; };
    frequency.addEventListener('change', sync);
    sync();
    const fields = h('div', { class: 'stack' }, h('label', { for: 'ex-frequency' }, 'How often', frequency), weekdayLabel, dayLabel, h('label', { for: 'ex-time' }, 'Time (controller clock)', time));
    runCommand(command, [fields], () => {
      if (!/^\d\d:\d\d$/.test(time.value)) throw new Error('Give a time as HH:MM.');
      return frequency.value === 'monthly'
        ? { command: 'setExercise', frequency: 'monthly', dayOfMonth: Number(dayOfMonth.value), time: time.value }
        : { command: 'setExercise', frequency: frequency.value, weekday: weekday.value, time: time.value };
    });
  }

  // ---------------------------------------------------------------- history

  const seriesInfo = {
    utilityVolts: 'Utility voltage', batteryVolts: 'Battery voltage', outputVolts: 'Output voltage',
    frequencyHz: 'Frequency', rpm: 'Engine speed', powerKW: 'Output power',
  };
  const ranges = [['6h', '6 hours'], ['24h', '24 hours'], ['7d', '7 days'], ['30d', '30 days'], ['365d', '12 months']];

  function showHistory() {
    const rangeButtons = ranges.map(([value, label]) => h('button', { type: 'button', 'aria-pressed': String(app.history.range === value), 'data-range': value,
      onclick: () => { app.history.range = value; showHistory(); } }, label));
    const seriesBoxes = Object.entries(seriesInfo).map(([name, label]) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: name, checked: app.history.series.includes(name), onchange: (event) => {
        app.history.series = event.target.checked ? [...app.history.series, name] : app.history.series.filter((s) => s !== name);
        loadHistory();
      } }), label));
    replace(main(), h('h1', {}, 'History'),
      h('div', { class: 'card' },
        h('div', { class: 'segmented', role: 'group', 'aria-label': 'Time range' }, rangeButtons),
        h('fieldset', { class: 'checks' }, h('legend', { class: 'visually-hidden' }, 'Series'), seriesBoxes)),
      h('div', { id: 'charts' }, h('p', { class: 'muted' }, 'Loading…')),
      h('div', { id: 'sensor-charts' }));
    loadHistory();
  }

  async function loadHistory() {
    const charts = $('#charts');
    if (app.history.series.length === 0) { replace(charts, h('p', { class: 'empty' }, 'Choose at least one series.')); return; }
    const width = Math.max(320, Math.min(1000, charts.clientWidth || 800));
    let data;
    try {
      data = await api('GET', `/api/v1/history?range=${app.history.range}&series=${app.history.series.join(',')}&points=${Math.round(width / 3)}`);
    } catch (error) { replace(charts, h('p', { class: 'error' }, error.message)); return; }
    if (app.page !== 'history') return;
    replace(charts, data.series.map((series) => h('section', { class: 'card', 'aria-label': seriesInfo[series.name] },
      h('h2', {}, seriesInfo[series.name], h('span', { class: 'muted small' }, data.bucket.value === 0 ? 'every sample' : `min, average and max per ${duration(data.bucket.value)}`)),
      chart(series, data, width))));
    loadSensorCharts(width);
  }

  /** A chart per add-on sensor, from its log (kept across restarts). */
  async function loadSensorCharts(width) {
    const names = ((app.status && app.status.externalSensors) || []).filter((s) => s.value).map((s) => s.name);
    const sections = [];
    for (const name of names) {
      let data;
      try { data = await api('GET', `/api/v1/sensors/history?name=${encodeURIComponent(name)}&range=${app.history.range}&points=${Math.round(width / 3)}`); }
      catch (error) { continue; }
      const points = data.points.map((p) => ({ time: p.time, min: p.value, avg: p.value, max: p.value }));
      // A value holds until the next one: carry the last to now, so even one value draws a line.
      if (points.length > 0) points.push({ ...points[points.length - 1], time: data.to });
      const series = { name, unit: data.unit, points };
      sections.push(h('section', { class: 'card', 'aria-label': name }, h('h2', {}, name, h('span', { class: 'muted small' }, 'from an add-on')),
        chart(series, data, width, name)));
    }
    const box = $('#sensor-charts');
    if (app.page === 'history' && box) replace(box, sections);
  }

  /** An SVG line (average) with a band (min to max); arrow keys move a readout along it. */
  function chart(series, data, width, label) {
    const title = label || seriesInfo[series.name] || series.name;
    const points = series.points;
    if (points.length === 0) return h('p', { class: 'empty' }, 'No samples in this range yet.');
    const height = 220, left = 48, right = 12, top = 12, bottom = 28;
    const from = new Date(data.from).getTime(), to = new Date(data.to).getTime();
    let low = Math.min(...points.map((p) => p.min)), high = Math.max(...points.map((p) => p.max));
    if (high - low < 1e-6) { low -= 1; high += 1; }
    const pad = (high - low) * 0.08;
    low = low >= 0 ? Math.max(0, low - pad) : low - pad;
    high += pad;
    const x = (t) => left + ((new Date(t).getTime() - from) / (to - from)) * (width - left - right);
    const y = (v) => top + (1 - (v - low) / (high - low)) * (height - top - bottom);
    const line = points.map((p) => `${x(p.time).toFixed(1)},${y(p.avg).toFixed(1)}`).join(' ');
    const band = points.map((p) => `${x(p.time).toFixed(1)},${y(p.max).toFixed(1)}`).concat(points.slice().reverse().map((p) => `${x(p.time).toFixed(1)},${y(p.min).toFixed(1)}`)).join(' ');
    const ticks = [0, 1, 2, 3].map((i) => low + ((high - low) * i) / 3);
    const span = to - from;
    const labelFormat = new Intl.DateTimeFormat(undefined, span > 3 * 86400000 ? { month: 'short', day: 'numeric' } : { hour: '2-digit', minute: '2-digit' });
    const tickCount = width < 560 ? 3 : 5;
    const timeTicks = Array.from({ length: tickCount }, (_, i) => from + (span * i) / (tickCount - 1));
    const marker = h('circle', { class: 'marker', r: 4, cx: -10, cy: -10 });
    const readout = h('p', { class: 'chart-readout', 'aria-live': 'polite' }, 'Use the arrow keys on the chart to read values.');
    let index = points.length - 1;
    const show = () => {
      const p = points[index];
      marker.setAttribute('cx', x(p.time).toFixed(1));
      marker.setAttribute('cy', y(p.avg).toFixed(1));
      readout.textContent = `${when(p.time)}: ${p.avg} ${series.unit} (min ${p.min}, max ${p.max})`;
    };
    const svg = h('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', tabindex: 0,
      'aria-label': `${title} from ${when(data.from)} to ${when(data.to)}, between ${Math.min(...points.map((p) => p.min))} and ${Math.max(...points.map((p) => p.max))} ${series.unit}` },
      ticks.map((v) => [h('line', { class: 'grid-line', x1: left, x2: width - right, y1: y(v), y2: y(v) }),
        h('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end' }, v.toFixed(Math.abs(high - low) < 10 ? 1 : 0))]),
      timeTicks.map((t, i) => h('text', { x: x(new Date(t).toISOString()), y: height - 8, 'text-anchor': i === 0 ? 'start' : i === tickCount - 1 ? 'end' : 'middle' }, labelFormat.format(new Date(t)))),
      h('line', { class: 'axis', x1: left, x2: width - right, y1: height - bottom, y2: height - bottom }),
      h('polygon', { class: 'band', points: band }),
      h('polyline', { class: 'line', points: line }),
      marker);
    svg.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowLeft') index = Math.max(0, index - 1);
      else if (event.key === 'ArrowRight') index = Math.min(points.length - 1, index + 1);
      else if (event.key === 'Home') index = 0;
      else if (event.key === 'End') index = points.length - 1;
      else return;
      event.preventDefault();
      show();
    });
    svg.addEventListener('pointermove', (event) => {
      const box = svg.getBoundingClientRect();
      const t = from + ((event.clientX - box.left) / box.width * width - left) / (width - left - right) * span;
      let best = 0;
      for (let i = 0; i < points.length; i++) if (Math.abs(new Date(points[i].time).getTime() - t) < Math.abs(new Date(points[best].time).getTime() - t)) best = i;
      index = best;
      show();
    });
    return h('div', {}, svg, readout);
  }

  // ---------------------------------------------------------------- outages

  async function showOutages(before) {
    if (!before) loading('Outages');
    let data;
    try { data = await api('GET', `/api/v1/outages?limit=25${before ? `&before=${encodeURIComponent(before)}` : ''}`); } catch (error) { return failed(error); }
    if (app.page !== 'outages') return;
    const rows = data.outages.map((o) => h('tr', {}, h('td', {}, when(o.start)), h('td', {}, when(o.end)), h('td', {}, duration(o.duration.value)), h('td', {}, o.fuelEstimate || '')));
    if (before) {
      $('#outage-rows').append(...rows);
      replace($('#outage-more'), data.nextCursor ? moreButton(() => showOutages(data.nextCursor)) : null);
      return;
    }
    replace(main(), h('h1', {}, 'Outages'),
      h('section', { class: 'card' }, h('h2', {}, 'Now'),
        h('p', {}, data.inOutage ? h('strong', { class: 'sev-warning' }, 'Utility power is out', data.since ? [' since ', when(data.since), ' (', h('span', { 'data-since': data.since }, since(data.since)), ')'] : null) : 'Utility power is on.'),
        h('p', { class: 'muted' }, `Lowest utility voltage seen: ${qty(data.utilityMinimum)} · highest: ${qty(data.utilityMaximum)}`)),
      h('section', { class: 'card' }, h('h2', {}, 'History'),
        data.outages.length === 0 ? h('p', { class: 'empty' }, 'No outages recorded yet.') : h('div', { class: 'table-wrap' }, h('table', {},
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Started'), h('th', { scope: 'col' }, 'Ended'), h('th', { scope: 'col' }, 'Lasted'), h('th', { scope: 'col' }, 'Fuel'))),
          h('tbody', { id: 'outage-rows' }, rows))),
        h('div', { id: 'outage-more' }, data.nextCursor ? moreButton(() => showOutages(data.nextCursor)) : null)));
  }

  function moreButton(action) { return h('button', { type: 'button', class: 'quiet', onclick: action }, 'Show older'); }

  // ---------------------------------------------------------------- logs

  async function showLogs(refresh) {
    if (!refresh) loading('Logs');
    let logs, events;
    try { [logs, events] = await Promise.all([api('GET', '/api/v1/logs'), api('GET', '/api/v1/events?limit=50')]); } catch (error) { return refresh ? undefined : failed(error); }
    if (app.page !== 'logs') return;
    const logCard = (log) => h('section', { class: 'card', 'aria-label': log.title }, h('h2', {}, log.title, h('span', { class: 'muted small' }, `${log.entries.length} entries`)),
      log.entries.length === 0 ? h('p', { class: 'empty' }, 'Empty.') : h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'When'), h('th', { scope: 'col' }, 'What'))),
        h('tbody', {}, log.entries.map((entry) => h('tr', {}, h('td', {}, when(entry.time)),
          h('td', {}, entry.text, entry.code ? h('span', { class: 'muted' }, ` (code ${entry.code})`) : null,
            entry.description ? h('div', { class: 'small muted' }, entry.description, ' ', entry.whatToCheck || '') : null)))))));
    const eventList = h('ul', { class: 'events', id: 'event-list' }, events.events.map(eventItem));
    const more = h('div', { id: 'event-more' });
    const addMore = (cursor) => replace(more, cursor ? moreButton(async () => {
      const page = await api('GET', `/api/v1/events?limit=50&before=${encodeURIComponent(cursor)}`);
      eventList.append(...page.events.map(eventItem));
      addMore(page.nextCursor);
    }) : null);
    addMore(events.nextCursor);
    replace(main(), h('h1', {}, 'Logs'), logs.logs.map(logCard),
      h('section', { class: 'card', 'aria-label': 'Monitor events' }, h('h2', {}, 'Monitor events'),
        events.events.length === 0 ? h('p', { class: 'empty' }, 'None yet.') : eventList, more));
  }

  // ---------------------------------------------------------------- monitor

  async function showMonitor() {
    loading('Monitor');
    let data;
    try { data = await api('GET', '/api/v1/communication'); } catch (error) { return failed(error); }
    if (app.page !== 'monitor') return;
    const row = (label, value) => [h('dt', {}, label), h('dd', {}, value)];
    const s = data.statistics, m = data.monitor;
    replace(main(), h('h1', {}, 'Monitor'),
      h('div', { class: 'grid' },
        h('section', { class: 'card' }, h('h2', {}, 'genmon'), h('dl', { class: 'facts' },
          row('Health', m.health), row('Version', m.version), row('Running since', when(m.startedAt)), row('Up for', duration(m.uptime.value)),
          row('First status after', m.firstCompleteStatusAfter ? `${m.firstCompleteStatusAfter.value.toFixed(1)} s` : '—'),
          row('Pages watching live', String(m.liveClients)))),
        h('section', { class: 'card' }, h('h2', {}, 'Link to the controller'), h('dl', { class: 'facts' },
          row('Answering', data.controllerAnswering ? 'Yes' : h('strong', { class: 'sev-critical' }, 'No')),
          row('Link', `${data.transport} · ${data.endpoint}`), row('Last answer', when(data.lastResponse)),
          row('Requests', String(s.requests)), row('Answers', String(s.successes)),
          row('CRC errors', String(s.crcErrors)), row('Timeouts', String(s.timeouts)), row('Exceptions', String(s.exceptions)),
          row('Average answer time', qty(s.averageResponseTime, 1)), row('Packets per second', qty(s.packetsPerSecond, 1)))),
        ...(data.integrations || []).map(integrationCard)));
  }

  // One broker connection (MQTT): its state and when it last published.
  function integrationCard(link) {
    const row = (label, value) => [h('dt', {}, label), h('dd', {}, value)];
    const connected = link.state === 'connected';
    return h('section', { class: 'card', 'aria-label': link.name }, h('h2', {}, link.name), h('dl', { class: 'facts' },
      row('Broker', link.endpoint),
      row('State', connected ? 'Connected' : h('strong', { class: 'sev-warning' }, link.state)),
      row('Connected since', link.connectedSince ? when(link.connectedSince) : '—'),
      row('Last publish', link.lastPublishAt ? when(link.lastPublishAt) : 'never'),
      row('Messages sent', String(link.sent)), row('Waiting', String(link.queued)),
      link.lastError ? row('Last error', `${link.lastError}${link.lastErrorAt ? ` (${when(link.lastErrorAt)})` : ''}`) : null));
  }

  // ---------------------------------------------------------------- admin

  async function showAdmin() {
    loading('Admin');
    let users, tokens, audit, notifications;
    try {
      [users, tokens, audit, notifications] = await Promise.all([api('GET', '/api/v1/users'), api('GET', '/api/v1/tokens'),
        api('GET', '/api/v1/audit?limit=30'), api('GET', '/api/v1/notifications?limit=20')]);
    } catch (error) { return failed(error); }
    if (app.page !== 'admin') return;
    const notice = h('div', { id: 'admin-notice', role: 'status', 'aria-live': 'polite' });
    const tell = (kind, ...content) => replace(notice, h('p', { class: `result ${kind}` }, content));
    const act = async (work, done) => { try { const result = await work(); await showAdmin(); if (done) done(result); } catch (error) { tell('bad', error.message); } };

    const userRows = users.map((user) => h('tr', {},
      h('th', { scope: 'row' }, user.name), h('td', {}, h('span', { class: `tag ${user.role}` }, user.role)), h('td', {}, String(user.activeSessions)),
      h('td', {}, h('div', { class: 'controls' },
        h('button', { type: 'button', class: 'quiet', onclick: () => act(() => api('PUT', `/api/v1/users/${encodeURIComponent(user.name)}`, { role: user.role === 'admin' ? 'viewer' : 'admin' })) }, user.role === 'admin' ? 'Make viewer' : 'Make admin'),
        h('button', { type: 'button', class: 'quiet', onclick: () => act(() => api('PUT', `/api/v1/users/${encodeURIComponent(user.name)}`, { generatePassword: true }),
          (r) => tell('ok', `New password for ${user.name} (shown once): `, h('span', { class: 'secret' }, r.password))) }, 'New password'),
        user.name === app.session.user ? null : h('button', { type: 'button', class: 'quiet', onclick: () => { if (confirm(`Remove ${user.name}?`)) act(() => api('DELETE', `/api/v1/users/${encodeURIComponent(user.name)}`)); } }, 'Remove')))));
    const newUser = h('form', { class: 'inline', id: 'new-user' },
      h('label', { for: 'nu-name' }, 'Name', h('input', { id: 'nu-name', required: true, autocapitalize: 'none' })),
      h('label', { for: 'nu-role' }, 'Role', h('select', { id: 'nu-role' }, h('option', { value: 'viewer' }, 'viewer'), h('option', { value: 'admin' }, 'admin'))),
      h('button', { type: 'submit' }, 'Add user'));
    newUser.addEventListener('submit', (event) => { event.preventDefault(); act(() => api('POST', '/api/v1/users', { name: $('#nu-name').value.trim(), role: $('#nu-role').value }),
      (r) => tell('ok', `${r.user.name} added. Password (shown once): `, h('span', { class: 'secret' }, r.password))); });

    const tokenRows = tokens.map((token) => h('tr', {},
      h('th', { scope: 'row' }, token.name), h('td', {}, h('span', { class: `tag ${token.role}` }, token.role)), h('td', {}, h('code', {}, `${token.prefix}…`)),
      h('td', {}, token.lastUsedAt ? when(token.lastUsedAt) : 'never'),
      h('td', {}, h('button', { type: 'button', class: 'quiet', onclick: () => { if (confirm(`Revoke ${token.name}?`)) act(() => api('DELETE', `/api/v1/tokens/${encodeURIComponent(token.name)}`)); } }, 'Revoke'))));
    const newToken = h('form', { class: 'inline', id: 'new-token' },
      h('label', { for: 'nt-name' }, 'Name', h('input', { id: 'nt-name', required: true, placeholder: 'home-assistant', autocapitalize: 'none' })),
      h('label', { for: 'nt-role' }, 'Role', h('select', { id: 'nt-role' }, h('option', { value: 'viewer' }, 'viewer'), h('option', { value: 'admin' }, 'admin'))),
      h('button', { type: 'submit' }, 'Create token'));
    newToken.addEventListener('submit', (event) => { event.preventDefault(); act(() => api('POST', '/api/v1/tokens', { name: $('#nt-name').value.trim(), role: $('#nt-role').value }),
      (r) => tell('ok', `Token ${r.token.name} (shown once; send it as "Authorization: Bearer …"): `, h('span', { class: 'secret' }, r.secret))); });

    const auditRows = (entries) => entries.map((e) => h('tr', {}, h('td', {}, when(e.time)), h('td', {}, `${e.principal}`, h('div', { class: 'small muted' }, e.interface)),
      h('td', {}, h('code', {}, e.command)), h('td', {}, h('span', { class: `tag ${e.result}` }, e.result), h('div', { class: 'small muted' }, e.message))));
    const auditBody = h('tbody', {}, auditRows(audit.entries));
    const auditMore = h('div', {});
    const addAuditMore = (cursor) => replace(auditMore, cursor ? moreButton(async () => {
      const page = await api('GET', `/api/v1/audit?limit=30&before=${encodeURIComponent(cursor)}`);
      auditBody.append(...auditRows(page.entries));
      addAuditMore(page.nextCursor);
    }) : null);
    addAuditMore(audit.nextCursor);

    const table = (headers, body) => h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col' }, t)))), body));
    replace(main(), h('h1', {}, 'Admin'), notice,
      h('section', { class: 'card', 'aria-labelledby': 'users-title' }, h('h2', { id: 'users-title' }, 'Users'),
        table(['Name', 'Role', 'Sessions', ''], h('tbody', {}, userRows)), newUser,
        h('p', { class: 'small muted' }, 'Viewers see everything; admins may also control the generator and manage accounts.')),
      h('section', { class: 'card', 'aria-labelledby': 'tokens-title' }, h('h2', { id: 'tokens-title' }, 'API tokens'),
        tokens.length ? table(['Name', 'Role', 'Token', 'Last used', ''], h('tbody', {}, tokenRows)) : h('p', { class: 'empty' }, 'No tokens.'), newToken),
      notificationsSection(notifications, table),
      h('section', { class: 'card', 'aria-labelledby': 'audit-title' }, h('h2', { id: 'audit-title' }, 'Audit log'),
        audit.entries.length ? table(['When', 'Who', 'What', 'Result'], auditBody) : h('p', { class: 'empty' }, 'Nothing yet.'), auditMore));
  }

  /** Channels and recipients, rules, "send test", and the outbox with every attempt. */
  function notificationsSection(data, table) {
    const names = { email: 'E-mail', sms: 'SMS (Twilio)', pushover: 'Pushover', slack: 'Slack', ntfy: 'ntfy', discord: 'Discord',
      telegram: 'Telegram', webhook: 'Webhook', syslog: 'syslog' };
    const channelName = (name) => names[name] || name;
    const channels = data.channels.map((channel) => h('div', { class: 'channel' },
      h('p', {}, h('strong', {}, channelName(channel.name)), ' ',
        h('span', { class: `tag ${channel.enabled ? 'sent' : 'expired'}` }, channel.enabled ? 'on' : 'off'), ' ', h('span', { class: 'small muted' }, channel.detail)),
      channel.recipients.length ? h('ul', { class: 'deliveries' }, channel.recipients.map((r) => h('li', {}, r.address, ' ', h('span', { class: 'small muted' }, r.categories.join(', ')))))
        : h('p', { class: 'empty' }, channel.name === 'email' ? 'No recipients (email_recipient in mymail.conf).' : 'No recipients.')));
    const problems = data.problems.length ? h('div', { class: 'result warn' }, h('p', {}, 'Configuration problems found at start:'),
      h('ul', {}, data.problems.map((p) => h('li', {}, p)))) : null;
    const rules = data.rules.length
      ? table(['Rule', 'Clears at', 'Category'], h('tbody', {}, data.rules.map((rule) => h('tr', {},
        h('td', {}, h('code', {}, `threshold_${rule.name}`), h('div', { class: 'small muted' }, rule.summary)),
        h('td', {}, qty(rule.clearsAt)), h('td', {}, rule.category)))))
      : h('p', { class: 'small muted' }, 'No threshold rules (threshold_<name> = battery below 12.2 V for 5 min, in genmon.conf).');
    const result = h('p', { role: 'status', 'aria-live': 'polite', hidden: true });
    const testable = data.channels.filter((c) => c.enabled).map((c) => c.name);
    const test = h('form', { class: 'inline', id: 'notify-test' },
      h('label', { for: 'nt-channel' }, 'Channel', h('select', { id: 'nt-channel' },
        (testable.length ? testable : ['email']).map((name) => h('option', { value: name }, channelName(name))))),
      h('label', { for: 'nt-to' }, 'Send a test to', h('input', { id: 'nt-to', type: 'text', placeholder: 'every recipient', autocapitalize: 'none' })),
      h('button', { type: 'submit' }, 'Send test'));
    test.addEventListener('submit', async (event) => {
      event.preventDefault();
      const button = test.querySelector('button');
      button.disabled = true;
      result.hidden = false; result.className = 'result busy'; result.textContent = 'Sending…';
      try {
        const to = $('#nt-to').value.trim();
        const channel = $('#nt-channel').value || 'email';
        const report = await api('POST', '/api/v1/notifications/test', to ? { channel, to } : { channel });
        result.className = `result ${report.succeeded ? 'ok' : 'bad'}`;
        result.textContent = report.summary;
        announce(report.succeeded ? 'Test sent' : 'Test not sent');
      } catch (error) { result.className = 'result bad'; result.textContent = error.message; }
      button.disabled = false;
    });
    const attempt = (a) => h('li', {}, `${when(a.time)} `, h('span', { class: `tag ${a.outcome}` }, a.outcome), ' ', a.detail);
    const delivery = (d) => h('li', {}, h('details', {},
      h('summary', {}, `${d.recipient} `, h('span', { class: `tag ${d.state}` }, d.state),
        h('span', { class: 'small muted' }, ` ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}${d.nextAttempt ? `, next ${recent(d.nextAttempt)}` : ''}`)),
      d.lastError ? h('p', { class: 'small' }, d.lastError) : null,
      d.history.length ? h('ol', { class: 'attempts' }, d.history.map(attempt)) : null));
    const messageRows = (messages) => messages.map((m) => h('tr', {},
      h('td', {}, when(m.time)),
      h('td', {}, h('details', {}, h('summary', {}, m.subject), h('pre', { class: 'body' }, m.body)),
        h('div', { class: 'small muted' }, `${m.category} · ${m.source}`)),
      h('td', {}, m.deliveries.length ? h('ul', { class: 'deliveries' }, m.deliveries.map(delivery)) : h('span', { class: 'small muted' }, 'nobody receives this category'))));
    const body = h('tbody', {}, messageRows(data.messages));
    const more = h('div', {});
    const addMore = (cursor) => replace(more, cursor ? moreButton(async () => {
      const page = await api('GET', `/api/v1/notifications?limit=20&before=${encodeURIComponent(cursor)}`);
      body.append(...messageRows(page.messages));
      addMore(page.nextCursor);
    }) : null);
    addMore(data.nextCursor);
    const o = data.outbox;
    return h('section', { class: 'card', 'aria-labelledby': 'notify-title' }, h('h2', { id: 'notify-title' }, 'Notifications'),
      problems, channels, test, result,
      h('h3', {}, 'Threshold rules'), rules,
      h('h3', {}, 'Outbox'),
      h('p', { class: 'small muted' }, `${o.pending} waiting, ${o.sent} sent, ${o.failed} refused, ${o.expired} given up`,
        o.oldestPending ? ` · oldest waiting since ${when(o.oldestPending)}` : '',
        ` · changes within ${data.settleSeconds} s are told together; a subject goes to a recipient at most every ${data.repeatMinutes} min; undelivered messages are kept ${data.expireHours} h.`),
      data.messages.length ? table(['When', 'Message', 'Deliveries'], body) : h('p', { class: 'empty' }, 'Nothing sent yet.'), more);
  }

  // ---------------------------------------------------------------- account

  function showAccount() {
    const message = h('p', { role: 'status' });
    const form = h('form', { class: 'stack' },
      h('label', { for: 'pw-current' }, 'Current password', h('input', { id: 'pw-current', type: 'password', autocomplete: 'current-password', required: true })),
      h('label', { for: 'pw-new' }, 'New password (at least 10 characters)', h('input', { id: 'pw-new', type: 'password', autocomplete: 'new-password', required: true, minlength: 10 })),
      h('label', { for: 'pw-again' }, 'New password again', h('input', { id: 'pw-again', type: 'password', autocomplete: 'new-password', required: true })),
      message, h('button', { type: 'submit', class: 'primary' }, 'Change password'));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if ($('#pw-new').value !== $('#pw-again').value) { message.className = 'error'; message.textContent = 'The two new passwords differ.'; return; }
      try {
        await api('POST', '/api/v1/session/password', { currentPassword: $('#pw-current').value, newPassword: $('#pw-new').value });
        message.className = 'result ok';
        message.textContent = 'Changed. Your other sessions have been signed out.';
        form.reset();
      } catch (error) { message.className = 'error'; message.textContent = error.message; }
    });
    replace(main(), h('h1', {}, 'Your account'),
      h('section', { class: 'card' }, h('p', {}, `Signed in as ${app.session.user} (${app.session.role}).`), form));
  }

  document.addEventListener('DOMContentLoaded', start);
})();
