// The live dashboard: vital signs, latest values, charts, alerts and top sensors of one
// serving-api, read with the user's API key. Plain modules, no build step.
import { api, ApiError, changeKey, ensureKey, LiveStream } from './api.js';
import { MetricChart } from './charts.js';
import { latestValue, number, PALETTE, time, windowSpan } from './format.js';

const MAX_SENSORS = 8;
const SENSORS_ITEM = 'millrace.dashboard.sensors';
const HISTORY_MINUTES = 30;

const query = new URLSearchParams(location.search);
const wall = query.has('wall');

const state = {
	chosen: [],
	listed: [],
	metrics: new Set(),
	tiles: new Map(),
	charts: new Map(),
	aggregates: null,
	alerts: null,
	streams: new Map(),
	alertsShown: new Map(),
};

const $ = (id) => document.getElementById(id);

function element(tag, attributes = {}, ...children) {
	const node = document.createElement(tag);
	for (const [name, value] of Object.entries(attributes)) {
		if (name === 'className') {
			node.className = value;
		}
		else if (name === 'dataset') {
			Object.assign(node.dataset, value);
		}
		else {
			node.setAttribute(name, value);
		}
	}
	node.append(...children.filter((child) => child !== null && child !== undefined));
	return node;
}

// ---- connection state -----------------------------------------------------------------

function streamState(name, value, detail) {
	state.streams.set(name, { value, detail });
	const all = [...state.streams.values()];
	const connection = $('connection');
	let shown = 'live';
	if (all.some((s) => s.value === 'offline')) {
		shown = 'offline';
	}
	else if (all.some((s) => s.value !== 'live')) {
		shown = 'reconnecting';
	}
	connection.dataset.state = shown;
	connection.textContent = { live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' }[shown];
	const reasons = all.filter((s) => s.detail).map((s) => s.detail);
	connection.title = reasons.join('; ');
}

// ---- sensors: the picker and the chosen ones --------------------------------------------

function initialSensors() {
	const fromUrl = query.getAll('sensor').filter(Boolean);
	if (fromUrl.length) {
		return fromUrl.slice(0, MAX_SENSORS);
	}
	try {
		const stored = JSON.parse(localStorage.getItem(SENSORS_ITEM) || '[]');
		if (Array.isArray(stored) && stored.length) {
			return stored.slice(0, MAX_SENSORS);
		}
	}
	catch (ignored) {
		// nothing usable stored
	}
	return null;
}

async function listSensors(prefix) {
	const params = new URLSearchParams({ limit: '50' });
	if (prefix) {
		params.set('prefix', prefix);
	}
	const body = await api('/api/v1/sensors?' + params);
	for (const sensor of body.sensors) {
		Object.keys(sensor.values || {}).forEach((metric) => state.metrics.add(metric));
	}
	return body.sensors;
}

function renderPicker() {
	const list = $('sensor-options');
	const ids = [...new Set([...state.chosen, ...state.listed.map((s) => s.sensorId)])];
	const focused = document.activeElement && document.activeElement.dataset.sensor;
	list.replaceChildren(...ids.map((id) => {
		const box = element('input', { type: 'checkbox', value: id, dataset: { sensor: id } });
		box.checked = state.chosen.includes(id);
		box.disabled = !box.checked && state.chosen.length >= MAX_SENSORS;
		box.addEventListener('change', () => {
			const chosen = box.checked ? [...state.chosen, id] : state.chosen.filter((s) => s !== id);
			choose(chosen);
		});
		return element('li', {}, element('label', {}, box, id));
	}));
	if (focused) {
		const again = list.querySelector(`input[data-sensor="${CSS.escape(focused)}"]`);
		if (again) {
			again.focus();
		}
	}
	$('sensor-note').textContent = ids.length ? '' : 'No sensors have sent data yet.';
	renderTopMetrics();
}

function choose(sensors) {
	state.chosen = [...new Set(sensors)].slice(0, MAX_SENSORS);
	localStorage.setItem(SENSORS_ITEM, JSON.stringify(state.chosen));
	const params = new URLSearchParams(location.search);
	params.delete('sensor');
	state.chosen.forEach((sensor) => params.append('sensor', sensor));
	const search = params.toString().replace(/=(&|$)/g, '$1');
	history.replaceState(null, '', location.pathname + (search ? '?' + search : '') + location.hash);
	renderPicker();
	showChosen();
}

// ---- latest values and charts ---------------------------------------------------------

function colour(sensor) {
	return PALETTE[Math.max(0, state.chosen.indexOf(sensor)) % PALETTE.length];
}

function tileKey(sensor, metric) {
	return `${sensor}\u0000${metric}`;
}

function placeholderTile(sensor) {
	const tile = element('li', { className: 'tile reading', dataset: { sensor, metric: '' } },
		element('span', { className: 'label' }, sensor),
		element('span', { className: 'value' }, '…'),
		element('span', { className: 'unit' }),
		element('span', { className: 'detail' }, 'waiting for its first window'));
	$('latest').append(tile);
}

function updateTile(aggregate, fresh) {
	const sensor = aggregate.sensorId;
	const metric = aggregate.metric;
	const key = tileKey(sensor, metric);
	let tile = state.tiles.get(key);
	const start = Date.parse(aggregate.window.start);
	if (!tile) {
		$('latest').querySelectorAll(`.tile[data-metric=""]`).forEach((placeholder) => {
			if (placeholder.dataset.sensor === sensor) {
				placeholder.remove();
			}
		});
		const swatch = element('span', { className: 'swatch', 'aria-hidden': 'true' });
		swatch.style.background = colour(sensor);
		const node = element('li', { className: 'tile reading', dataset: { sensor, metric } },
			element('span', { className: 'label' }, swatch, `${sensor} · ${metric}`),
			element('span', { className: 'value' }),
			element('span', { className: 'unit' }),
			element('span', { className: 'detail' }));
		tile = { node, start: -Infinity };
		state.tiles.set(key, tile);
		insertSorted($('latest'), node);
	}
	if (start < tile.start) {
		// A revision of an older window: the tile shows the newest one.
		return;
	}
	tile.start = start;
	const node = tile.node;
	node.querySelector('.value').textContent = number(latestValue(aggregate));
	node.querySelector('.detail').textContent = `window ${windowSpan(aggregate.window)} · `
		+ (aggregate.final ? 'final' : `early, revision ${aggregate.revision ?? 0}`);
	node.dataset.windowStart = aggregate.window.start;
	node.dataset.updatedAt = String(Date.now());
	if (fresh) {
		node.classList.remove('updated');
		// Restart the highlight (skipped entirely when reduced motion is asked for, in CSS).
		void node.offsetWidth;
		node.classList.add('updated');
	}
	$('latest-empty').hidden = true;
}

function insertSorted(list, node) {
	const key = `${node.dataset.sensor}\u0000${node.dataset.metric}`;
	const after = [...list.children].find((other) => `${other.dataset.sensor}\u0000${other.dataset.metric}` > key);
	list.insertBefore(node, after || null);
}

function chartFor(metric) {
	let chart = state.charts.get(metric);
	if (!chart) {
		chart = new MetricChart($('charts'), metric, state.chosen);
		state.charts.set(metric, chart);
		state.metrics.add(metric);
		renderTopMetrics();
	}
	return chart;
}

function onAggregate(aggregate, fresh = true) {
	if (!state.chosen.includes(aggregate.sensorId) || !aggregate.window) {
		return;
	}
	if (aggregate.window.kind && aggregate.window.kind !== 'tumbling') {
		return;
	}
	updateTile(aggregate, fresh);
	chartFor(aggregate.metric).add(aggregate);
}

async function loadHistory(sensor) {
	let detail;
	try {
		detail = await api(`/api/v1/sensors/${encodeURIComponent(sensor)}`);
	}
	catch (failure) {
		if (failure instanceof ApiError && failure.status === 404) {
			return;
		}
		throw failure;
	}
	if (!state.chosen.includes(sensor)) {
		return;
	}
	const finest = new Map();
	for (const series of detail.series || []) {
		if (series.kind !== 'tumbling' || !series.size) {
			continue;
		}
		const known = finest.get(series.metric);
		if (!known || durationSeconds(series.size) < durationSeconds(known.size)) {
			finest.set(series.metric, series);
		}
	}
	const from = new Date(Date.now() - HISTORY_MINUTES * 60000).toISOString();
	await Promise.all([...finest.values()].map(async (series) => {
		const params = new URLSearchParams({ metric: series.metric, kind: 'tumbling', size: series.size, from,
			limit: '1000' });
		const page = await api(`/api/v1/sensors/${encodeURIComponent(sensor)}/aggregates?${params}`);
		page.aggregates.forEach((aggregate) => onAggregate(aggregate, false));
	}));
	Object.values(detail.latest || {}).forEach((aggregate) => onAggregate(aggregate, false));
}

function durationSeconds(iso) {
	const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(iso || '');
	return match ? (+match[1] || 0) * 3600 + (+match[2] || 0) * 60 + (+match[3] || 0) : Infinity;
}

function showChosen() {
	if (state.aggregates) {
		state.aggregates.close();
		state.aggregates = null;
		state.streams.delete('aggregates');
	}
	state.charts.forEach((chart) => chart.destroy());
	state.charts.clear();
	state.tiles.clear();
	$('latest').replaceChildren();
	$('latest-empty').hidden = state.chosen.length > 0;
	if (!state.chosen.length) {
		return;
	}
	state.chosen.forEach(placeholderTile);
	const params = new URLSearchParams({ include: 'aggregates', kind: 'tumbling' });
	state.chosen.forEach((sensor) => params.append('sensor', sensor));
	// The stream first, so that nothing between the history and it is missed.
	state.aggregates = new LiveStream(params, { aggregate: (aggregate) => onAggregate(aggregate) },
		(value, detail) => streamState('aggregates', value, detail && `charts: ${detail}`)).start();
	state.chosen.forEach((sensor) => loadHistory(sensor).catch((failure) => {
		$('sensor-note').textContent = `Could not read ${sensor}: ${failure.message}`;
	}));
}

// ---- alerts ---------------------------------------------------------------------------

function alertTime(alert) {
	return Date.parse(alert.status === 'resolved' ? (alert.endsAt || alert.startsAt) : alert.startsAt) || 0;
}

function onAlert(alert) {
	const key = alert.fingerprint || alert.alertId;
	const known = state.alertsShown.get(key);
	if (known && (alertTime(known.alert) > alertTime(alert)
			|| (known.alert.status === alert.status && alertTime(known.alert) === alertTime(alert)))) {
		return;
	}
	const what = [alert.ruleId, alert.sensorId,
		alert.metric ? `${alert.metric} ${number(alert.value)}` + (alert.threshold !== undefined && alert.threshold !== null
			? ` (threshold ${number(alert.threshold)})` : '') : null].filter(Boolean).join(' · ');
	const summary = alert.annotations && (alert.annotations.summary || alert.annotations.description);
	const node = element('li', { className: 'alert', dataset: {
			fingerprint: key, alertId: alert.alertId || '', status: alert.status, sensor: alert.sensorId || '',
			rule: alert.ruleId || '', shownAt: String(Date.now()) } },
		element('div', { className: 'head' },
			element('span', { className: 'state' }, alert.status === 'resolved' ? 'Resolved' : 'Firing'),
			alert.severity ? element('span', { className: 'severity' }, alert.severity) : null,
			element('span', { className: 'when' }, (alert.status === 'resolved' ? 'at ' : 'since ')
				+ time(alert.status === 'resolved' ? (alert.endsAt || alert.startsAt) : alert.startsAt))),
		element('div', { className: 'what' }, what),
		summary ? element('div', { className: 'when' }, summary) : null);
	if (known) {
		known.node.remove();
	}
	state.alertsShown.set(key, { alert, node });
	// Newest change first.
	const list = $('alerts');
	const later = [...list.children].find((other) => {
		const shown = state.alertsShown.get(other.dataset.fingerprint);
		return shown && alertTime(shown.alert) <= alertTime(alert);
	});
	list.insertBefore(node, later || null);
	while (list.children.length > 100) {
		const last = list.lastElementChild;
		state.alertsShown.delete(last.dataset.fingerprint);
		last.remove();
	}
	$('alerts-note').textContent = '';
}

async function startAlerts() {
	document.querySelectorAll('input[name="alert-state"]').forEach((radio) => radio.addEventListener('change', () => {
		document.querySelector('section.alerts').dataset.filter = radio.value;
	}));
	// The stream first: an alert between the list and the stream would be missed otherwise.
	state.alerts = new LiveStream(new URLSearchParams({ include: 'alerts' }), { alert: onAlert },
		(value, detail) => streamState('alerts', value, detail && `alerts: ${detail}`)).start();
	try {
		const body = await api('/api/v1/alerts?state=all&limit=50');
		[...body.alerts].reverse().forEach(onAlert);
		if (!body.alerts.length && !state.alertsShown.size) {
			$('alerts-note').textContent = 'No alerts within the retention. New ones appear here as they fire.';
		}
	}
	catch (failure) {
		$('alerts-note').textContent = `Could not read the alerts: ${failure.message}`;
	}
}

// ---- vital signs ----------------------------------------------------------------------

const VITAL_TEXT = { 'not-configured': 'not configured', unavailable: 'unavailable', pending: 'pending…' };

async function refreshVitals() {
	let vitals;
	try {
		vitals = await api('/api/v1/vitals');
	}
	catch (failure) {
		document.querySelectorAll('.vital').forEach((tile) => {
			tile.dataset.state = 'unavailable';
			tile.querySelector('.value').textContent = 'unavailable';
			tile.querySelector('.detail').textContent = failure.message;
		});
		return;
	}
	for (const tile of document.querySelectorAll('.vital')) {
		const vital = vitals[tile.dataset.vital];
		if (!vital) {
			continue;
		}
		tile.dataset.state = vital.state;
		const ok = vital.state === 'ok';
		tile.querySelector('.value').textContent = ok ? number(vital.value) : VITAL_TEXT[vital.state] || vital.state;
		tile.querySelector('.unit').textContent = ok ? vital.unit : '';
		tile.querySelector('.detail').textContent = vital.detail || '';
		const alarm = ok && ((tile.dataset.vital === 'webhookFailures' && vital.value > 0)
			|| (tile.dataset.vital === 'watermarkLag' && vital.value > 300));
		tile.dataset.alarm = String(alarm);
	}
}

// ---- top sensors ----------------------------------------------------------------------

function renderTopMetrics() {
	const select = $('top-metric');
	const current = select.value;
	const metrics = [...state.metrics].sort();
	if (metrics.join() === [...select.options].map((o) => o.value).join()) {
		return;
	}
	select.replaceChildren(...metrics.map((metric) => element('option', { value: metric }, metric)));
	select.value = current && metrics.includes(current) ? current
		: (metrics.includes('temperature') ? 'temperature' : metrics[0] || '');
	if (!current && select.value) {
		refreshTop();
	}
}

async function refreshTop() {
	const metric = $('top-metric').value;
	if (!metric) {
		$('top-note').textContent = 'No metrics yet.';
		return [];
	}
	const params = new URLSearchParams({ metric, statistic: $('top-statistic').value, limit: '10' });
	try {
		const body = await api('/api/v1/top?' + params);
		$('top').replaceChildren(...body.sensors.map((entry) => {
			const show = element('button', { type: 'button', title: `Show ${entry.sensorId} on the charts` },
				entry.sensorId);
			show.addEventListener('click', () => {
				if (!state.chosen.includes(entry.sensorId)) {
					choose([...state.chosen, entry.sensorId].slice(-MAX_SENSORS));
				}
			});
			return element('tr', { dataset: { sensor: entry.sensorId } },
				element('td', {}, String(entry.rank)),
				element('td', {}, show),
				element('td', { className: 'num' }, number(entry.value)),
				element('td', {}, time(entry.lastSeen)));
		}));
		$('top-note').textContent = body.sensors.length ? '' : `No ${metric} windows in the last hour.`;
		return body.sensors;
	}
	catch (failure) {
		$('top-note').textContent = `Could not rank: ${failure.message}`;
		return [];
	}
}

// ---- start ----------------------------------------------------------------------------

function every(milliseconds, task) {
	setInterval(() => {
		if (!document.hidden) {
			task();
		}
	}, milliseconds);
}

async function start() {
	if (wall) {
		document.documentElement.classList.add('wall');
		$('wall-toggle').textContent = 'Desk layout';
		const params = new URLSearchParams(location.search);
		params.delete('wall');
		$('wall-toggle').href = location.pathname + (params.toString() ? '?' + params : '');
	}
	$('max-sensors').textContent = String(MAX_SENSORS);
	$('change-key').addEventListener('click', async () => {
		await changeKey();
		location.reload();
	});
	try {
		await ensureKey();
	}
	catch (failure) {
		streamState('api', 'offline', failure.message);
		return;
	}
	state.listed = await listSensors('').catch(() => []);
	let chosen = initialSensors();
	if (!chosen) {
		chosen = state.listed.slice(0, wall ? 6 : 4).map((sensor) => sensor.sensorId);
	}
	state.chosen = chosen;
	choose(chosen);
	startAlerts();
	refreshVitals();
	every(5000, refreshVitals);
	$('top-metric').addEventListener('change', refreshTop);
	$('top-statistic').addEventListener('change', refreshTop);
	refreshTop();
	every(10000, refreshTop);
	let searching = null;
	$('sensor-search').addEventListener('input', (event) => {
		clearTimeout(searching);
		searching = setTimeout(async () => {
			state.listed = await listSensors(event.target.value.trim()).catch(() => state.listed);
			renderPicker();
		}, 250);
	});
	every(30000, async () => {
		state.listed = await listSensors($('sensor-search').value.trim()).catch(() => state.listed);
		renderPicker();
	});
}

start();
