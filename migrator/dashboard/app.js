// The operator dashboard: reads migrator's and Nova's APIs with the token
// the operator signs in with (kept in this tab's sessionStorage only; a
// password goes to Keystone once and is never kept). Read-only: the only
// POST is the migration check, which changes nothing.

const POLL_MS = 3000;
const BACKOFF_MS = [6000, 12000, 24000, 30000];
const NAMES_EVERY_MS = 10000;
const MIGRATOR = 'migrator 1.3';
// Ended moves read per update: the ended moves shown come from these.
const RECENT = 100;
// Failed and aborted moves shown, the newest of each.
const FAILURES = 20;
const COMPUTE = 'compute 2.56';
const IN_FLIGHT = ['pre-migrating', 'migrating', 'post-migrating', 'finished',
                   'confirming', 'reverting'];
const FAILED = ['error', 'cancelled'];
const RESOURCES = ['VCPU', 'MEMORY_MB', 'DISK_GB'];
const TOKEN_KEY = 'migrator-dashboard-token';

// The API lives beside the dashboard: <base>/dashboard/ -> <base>.
const BASE = location.pathname.replace(/\/dashboard\/.*$/, '');

const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  view: 'hosts', capacity: [], migrations: [], drains: [], drainDetails: {},
  names: {}, namesAt: 0, failures: 0, timer: null, check: null,
};

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

function $(id) { return document.getElementById(id); }

// Every node built from data is built with textContent, never as HTML.
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function api(path, {method = 'GET', body = null} = {}) {
  const version = path.startsWith('/migrator') ? MIGRATOR : COMPUTE;
  const headers = {'X-Auth-Token': state.token, 'OpenStack-API-Version': version,
                   'Accept': 'application/json'};
  if (body !== null) headers['Content-Type'] = 'application/json';
  const resp = await fetch(BASE + path, {method, headers,
    body: body === null ? null : JSON.stringify(body)});
  const text = await resp.text();
  const data = text ? JSON.parse(text) : null;
  if (!resp.ok) {
    const fault = data && Object.values(data)[0];
    throw new ApiError(resp.status, (fault && fault.message) || resp.statusText);
  }
  return data;
}

// -- signing in ---------------------------------------------------------------

function showSignIn(message = '') {
  stopPolling();
  state.token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  $('app').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message;
  $('status').textContent = 'Not signed in.';
}

function signedIn(token) {
  state.token = token;
  sessionStorage.setItem(TOKEN_KEY, token);
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  state.failures = 0;
  poll();
}

async function keystoneToken(form) {
  const url = form.auth_url.value.replace(/\/+$/, '');
  const domain = {name: form.domain.value};
  const resp = await fetch(url + '/auth/tokens', {
    method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({auth: {
      identity: {methods: ['password'], password: {user: {
        name: form.username.value, domain, password: form.password.value}}},
      scope: {project: {name: form.project.value, domain}}}}),
  });
  form.password.value = '';
  const token = resp.headers.get('X-Subject-Token');
  if (!resp.ok || !token) {
    throw new Error(resp.status === 401 ? 'Keystone refused the user or password.'
      : 'Keystone answered ' + resp.status + (token ? '' : ' without a token (is CORS set to expose X-Subject-Token?)'));
  }
  return token;
}

// -- polling ------------------------------------------------------------------

function stopPolling() {
  clearTimeout(state.timer);
  state.timer = null;
}

function schedule(ms) {
  stopPolling();
  if (state.token && !document.hidden) state.timer = setTimeout(poll, ms);
}

async function poll() {
  if (!state.token) return;
  try {
    // Every move in flight, and only the newest of those that ended: the
    // record of moves grows with every move, an update should not.
    // The newest failures are read on their own, so that a hundred moves
    // ended since do not hide them.
    const [capacity, flying, recent, errors, cancelled, drains] = await Promise.all([
      api('/migrator/capacity'), api('/migrator/migrations?ended=false'),
      api('/migrator/migrations?ended=true&limit=' + RECENT),
      api('/migrator/migrations?status=error&limit=' + FAILURES),
      api('/migrator/migrations?status=cancelled&limit=' + FAILURES),
      api('/migrator/drains')]);
    state.capacity = capacity.hosts;
    const seen = new Set();
    state.migrations = flying.migrations.concat(
      recent.migrations, errors.migrations, cancelled.migrations)
      .filter((m) => !seen.has(m.uuid) && seen.add(m.uuid))
      .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
    state.drains = drains.drains;
    await loadDrainDetails();
    if (Date.now() - state.namesAt > NAMES_EVERY_MS) await loadNames();
    state.failures = 0;
    render();
    $('status').textContent = 'Updated ' + new Date().toLocaleTimeString() +
      '; every ' + POLL_MS / 1000 + ' s while this tab is visible.';
    schedule(POLL_MS);
  } catch (error) {
    if (error.status === 401) return showSignIn('The token was refused or has expired.');
    if (error.status === 403) return showSignIn("This needs an administrator's token: " + error.message);
    const wait = BACKOFF_MS[Math.min(state.failures, BACKOFF_MS.length - 1)];
    state.failures += 1;
    $('status').textContent = 'Could not update (' + error.message + '); trying again in ' +
      wait / 1000 + ' s.';
    schedule(wait);
  }
}

async function loadDrainDetails() {
  // A running drain changes; an ended one is read once.
  const wanted = state.drains.filter((d) => !state.drainDetails[d.uuid] ||
    ['running', 'cancelling'].includes(state.drainDetails[d.uuid].status));
  const found = await Promise.all(wanted.map((d) => api('/migrator/drains/' + d.uuid)));
  for (const answer of found) state.drainDetails[answer.drain.uuid] = answer.drain;
}

async function loadNames() {
  const answer = await api('/v2.1/servers/detail?all_tenants=1&limit=1000');
  state.names = Object.fromEntries(answer.servers.map((s) => [s.id, s.name]));
  state.namesAt = Date.now();
  const list = $('server-names');
  list.replaceChildren(...answer.servers.map((s) => el('option', {value: s.id, label: s.name})));
}

document.addEventListener('visibilitychange', () => {
  if (document.hidden) stopPolling();
  else if (state.token) poll();
});

// -- views --------------------------------------------------------------------

function serverLabel(id) {
  const name = state.names[id];
  return name ? name + ' (' + id.slice(0, 8) + ')' : id;
}

function age(iso) {
  if (!iso) return '';
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso.endsWith('Z') ? iso : iso + 'Z')) / 1000));
  if (seconds < 120) return seconds + ' s';
  if (seconds < 7200) return Math.round(seconds / 60) + ' min';
  return Math.round(seconds / 3600) + ' h';
}

function bar(parts, label) {
  const node = el('div', {class: 'bar', role: 'img', 'aria-label': label});
  for (const [cls, fraction] of parts) {
    if (fraction > 0) {
      const part = el('span', {class: cls});
      part.style.width = Math.min(100, fraction * 100).toFixed(2) + '%';
      node.append(part);
    }
  }
  return node;
}

function resourceCell(host, rc) {
  const r = host.resources[rc];
  const capacity = r.capacity || 1;
  const settled = Math.max(0, r.used - r.in_flight);
  const text = 'used ' + r.used + (r.in_flight ? ' (' + r.in_flight + ' in flight)' : '') +
    ', free ' + r.free + ' of ' + r.capacity + ' ×' + r.allocation_ratio;
  return el('td', {'data-rc': rc},
    bar([['used', settled / capacity], ['flight', r.in_flight / capacity]], rc + ': ' + text),
    el('div', {class: 'figures', text}));
}

function serviceState(host) {
  const s = host.service || {};
  if (s.state === 'down') return 'down';
  return s.status || 'unknown';
}

function hostDrain(host) {
  return state.drains.find((d) => d.host === host.host);
}

function renderHosts() {
  const zone = $('filter-zone').value;
  const wanted = $('filter-state').value;
  const minimum = Number($('filter-free').value || 0);
  const rc = $('filter-resource').value;
  const zones = [...new Set(state.capacity.map((h) => h.zone))].sort();
  const zoneSelect = $('filter-zone');
  if (zoneSelect.options.length - 1 !== zones.length) {
    zoneSelect.replaceChildren(el('option', {value: '', text: 'any'}),
      ...zones.map((z) => el('option', {value: z, text: z})));
    zoneSelect.value = zones.includes(zone) ? zone : '';
  }
  let hosts = state.capacity.filter((h) => (!zone || h.zone === zone) &&
    (!wanted || serviceState(h) === wanted) && h.resources[rc].free >= minimum);
  const sort = $('sort-hosts').value;
  hosts = hosts.slice().sort((a, b) => {
    if (sort === 'host') return a.host.localeCompare(b.host);
    if (sort === 'servers') return b.servers - a.servers;
    const key = sort.replace('free-', '');
    return b.resources[key].free - a.resources[key].free;
  });
  $('hosts').tBodies[0].replaceChildren(...hosts.map((h) => {
    const s = h.service || {};
    const st = serviceState(h);
    const drain = hostDrain(h);
    return el('tr', {'data-host': h.host},
      el('th', {scope: 'row', text: h.host}),
      el('td', {class: 'state-' + st, text: st + (s.disabled_reason ? ': ' + s.disabled_reason : '')}),
      el('td', {text: h.zone}),
      el('td', {text: (h.aggregates || []).join(', ')}),
      el('td', {class: 'num', text: h.servers}),
      ...RESOURCES.map((name) => resourceCell(h, name)),
      el('td', {}, drain ? el('a', {href: '#drain-' + drain.uuid, 'data-drain': drain.uuid,
        onclick: () => show('drains'), text: drain.status + ' ' + drain.progress + '%'}) : ''));
  }));
}

function hosts(m) { return (m.source || '?') + ' → ' + (m.destination || '?'); }

function renderMoves() {
  const flight = state.migrations.filter((m) => IN_FLIGHT.includes(m.status));
  const failed = state.migrations.filter((m) => FAILED.includes(m.status)).slice(0, 20);
  const ended = state.migrations.filter((m) => ['confirmed', 'reverted'].includes(m.status)).slice(0, 20);
  $('moves-flight').tBodies[0].replaceChildren(...flight.map((m) => el('tr', {'data-migration': m.uuid},
    el('td', {text: serverLabel(m.server_id)}),
    el('td', {text: hosts(m)}),
    el('td', {class: 'phase', text: m.status === 'finished' ? 'finished (VERIFY_RESIZE)' : m.status}),
    el('td', {}, bar([['used', (m.progress || 0) / 100]], 'disk copy ' + (m.progress || 0) + '%'),
      el('span', {class: 'figures progress', text: (m.progress || 0) + '%'})),
    el('td', {text: age(m.created_at)}),
    el('td', {}, m.forced ? el('ul', {class: 'reasons'}, ...(m.forced_past || []).map(
      (f) => el('li', {text: f.filter + ': ' + f.reason}))) : ''))));
  $('moves-failed').tBodies[0].replaceChildren(...failed.map((m) => el('tr', {'data-migration': m.uuid},
    el('td', {text: serverLabel(m.server_id)}), el('td', {text: hosts(m)}),
    el('td', {class: 'refused', text: m.status}), el('td', {text: m.error_reason || ''}),
    el('td', {text: age(m.updated_at) + ' ago'}))));
  $('moves-ended').tBodies[0].replaceChildren(...ended.map((m) => el('tr', {'data-migration': m.uuid},
    el('td', {text: serverLabel(m.server_id)}), el('td', {text: hosts(m)}),
    el('td', {class: 'status', text: m.status}), el('td', {text: m.forced ? 'yes' : 'no'}),
    el('td', {text: age(m.updated_at) + ' ago'}))));
}

function renderDrains() {
  $('drains').replaceChildren(...(state.drains.length ? state.drains.map((d) => {
    const detail = state.drainDetails[d.uuid] || d;
    const counts = Object.entries(detail.counts || {}).filter(([, n]) => n).map(([k, n]) => n + ' ' + k).join(', ');
    return el('article', {class: 'drain', id: 'drain-' + d.uuid, 'data-drain': d.uuid},
      el('h3', {text: 'Drain of ' + d.host + ': ' + detail.status}),
      bar([['done', (detail.progress || 0) / 100]], 'progress ' + (detail.progress || 0) + '%'),
      el('p', {class: 'figures', text: (detail.progress || 0) + '% · ' + counts +
        (detail.message ? ' · ' + detail.message : '') + ' · ' + (detail.reason || '')}),
      el('div', {class: 'scroll'}, el('table', {},
        el('thead', {}, el('tr', {}, ...['Server', 'Status', 'Phase', 'Destination', 'Attempts', 'Reason']
          .map((t) => el('th', {scope: 'col', text: t})))),
        el('tbody', {}, ...(detail.servers || []).map((s) => el('tr', {'data-server': s.server_id},
          el('td', {text: serverLabel(s.server_id)}), el('td', {class: 'status', text: s.status}),
          el('td', {text: s.phase ? s.phase + (s.progress !== null ? ' ' + s.progress + '%' : '') : ''}),
          el('td', {text: s.destination || ''}), el('td', {class: 'num', text: s.attempts}),
          el('td', {text: s.reason || ''})))))));
  }) : [el('p', {text: 'No drains.'})]));
}

function renderCheck() {
  const check = state.check;
  if (!check) return;
  $('check-summary').textContent = check.summary;
  const force = check.force;
  $('check').tBodies[0].replaceChildren(...check.hosts.map((h) => {
    const reasons = (force ? h.force.blocks : h.refusals).concat(check.server_refusals);
    return el('tr', {'data-host': h.host},
      el('th', {scope: 'row', text: h.host}),
      el('td', {class: h.accepted ? 'accepted' : 'refused', text: h.accepted ? 'yes' : 'no'}),
      el('td', {}, reasons.length ? el('ul', {class: 'reasons'}, ...reasons.map(
        (v) => el('li', {text: v.check + ': ' + v.reason}))) : ''));
  }));
}

function render() {
  renderHosts();
  renderMoves();
  renderDrains();
  renderCheck();
}

function show(view) {
  state.view = view;
  for (const tab of document.querySelectorAll('.tab')) {
    tab.setAttribute('aria-pressed', String(tab.dataset.view === view));
  }
  for (const section of document.querySelectorAll('.view')) {
    section.hidden = section.id !== 'view-' + view;
  }
}

async function runCheck(event) {
  if (event) event.preventDefault();
  const serverId = $('server-id').value.trim();
  if (!serverId) return;
  try {
    const answer = await api('/migrator/migration-checks', {method: 'POST', body: {
      migration_check: {server_id: serverId, force: $('server-force').checked}}});
    state.check = answer.migration_check;
    renderCheck();
  } catch (error) {
    if (error.status === 401) return showSignIn('The token was refused or has expired.');
    state.check = null;
    $('check').tBodies[0].replaceChildren();
    $('check-summary').textContent = 'The check failed: ' + error.message;
  }
}

// -- wiring -------------------------------------------------------------------

$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $('token').value.trim();
  $('token').value = '';
  if (token) signedIn(token);
});
$('password-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    signedIn(await keystoneToken(event.target));
  } catch (error) {
    $('sign-in-error').textContent = error.message;
  }
});
$('sign-out').addEventListener('click', () => showSignIn());
for (const tab of document.querySelectorAll('.tab')) {
  tab.addEventListener('click', () => show(tab.dataset.view));
}
for (const id of ['filter-zone', 'filter-state', 'filter-free', 'filter-resource', 'sort-hosts']) {
  $(id).addEventListener('input', renderHosts);
}
$('host-filters').addEventListener('submit', (event) => event.preventDefault());
$('server-form').addEventListener('submit', runCheck);

if (state.token) signedIn(state.token);
else showSignIn();
