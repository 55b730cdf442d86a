// The query API with the key: asking for it once, sending it with every call, and the live
// streams (Server-Sent Events). EventSource cannot send headers, so a stream starts with a
// short-lived ticket bought with the key (POST /api/v1/stream/tickets); a serving-api
// without tickets is read with fetch, which can send the key.

const KEY_ITEM = 'millrace.apiKey';

let apiKey = null;
let askingForKey = null;

/** Takes a key from the page's fragment (/#key=…), which never reaches a server, into this tab's storage. */
function keyFromFragment() {
	const fragment = new URLSearchParams(location.hash.slice(1));
	const key = fragment.get('key');
	if (key) {
		sessionStorage.setItem(KEY_ITEM, key.trim());
		fragment.delete('key');
		const rest = fragment.toString();
		history.replaceState(null, '', location.pathname + location.search + (rest ? '#' + rest : ''));
	}
}

function promptForKey(message) {
	if (askingForKey) {
		return askingForKey;
	}
	const dialog = document.getElementById('key-dialog');
	const form = document.getElementById('key-form');
	const input = document.getElementById('key-input');
	const error = document.getElementById('key-error');
	error.hidden = !message;
	error.textContent = message || '';
	input.value = '';
	askingForKey = new Promise((resolve) => {
		const cancel = (event) => {
			// Without a key there is nothing to show: the dialog stays until one is given.
			if (!apiKey) {
				event.preventDefault();
			}
		};
		const submit = (event) => {
			event.preventDefault();
			const key = input.value.trim();
			if (!key) {
				return;
			}
			form.removeEventListener('submit', submit);
			dialog.removeEventListener('cancel', cancel);
			dialog.close();
			askingForKey = null;
			resolve(key);
		};
		form.addEventListener('submit', submit);
		dialog.addEventListener('cancel', cancel);
		dialog.showModal();
		input.focus();
	});
	return askingForKey;
}

/**
 * A key the API accepts: from the fragment, this tab's storage or the user.
 * @returns {Promise<string>}
 */
export async function ensureKey(reason) {
	keyFromFragment();
	let key = reason ? null : sessionStorage.getItem(KEY_ITEM);
	let message = reason || null;
	for (;;) {
		if (!key) {
			key = await promptForKey(message);
		}
		const answer = await fetch('/api/v1/sensors?limit=1', { headers: { 'X-API-Key': key } });
		if (answer.ok) {
			apiKey = key;
			sessionStorage.setItem(KEY_ITEM, key);
			return key;
		}
		if (answer.status === 401 || answer.status === 403) {
			sessionStorage.removeItem(KEY_ITEM);
			message = answer.status === 401 ? 'serving-api does not know that key.'
				: 'That key has no read scope.';
			key = null;
			continue;
		}
		throw new Error(`serving-api answered ${answer.status} to the key check`);
	}
}

/** Forget the key and ask for another one. */
export function changeKey() {
	sessionStorage.removeItem(KEY_ITEM);
	return ensureKey('Enter the key to use from now on.');
}

/** An answer other than success, with the problem detail's words when there is one. */
export class ApiError extends Error {
	constructor(status, detail) {
		super(detail || `HTTP ${status}`);
		this.status = status;
	}
}

/**
 * GET (or another method on) the API with the key.
 * @returns {Promise<any>} the JSON body
 */
export async function api(path, options = {}) {
	const answer = await fetch(path, {
		...options,
		headers: { 'X-API-Key': apiKey, Accept: 'application/json', ...(options.headers || {}) },
	});
	if (answer.status === 401) {
		await ensureKey('The key stopped working (rotated or revoked?). Enter a new one.');
		return api(path, options);
	}
	if (!answer.ok) {
		let detail = null;
		try {
			const problem = await answer.json();
			detail = problem.detail || problem.title;
		}
		catch (ignored) {
			// not a problem detail
		}
		throw new ApiError(answer.status, detail);
	}
	return answer.json();
}

/**
 * One live stream of /api/v1/stream, reconnecting and resuming after the last event id.
 * handlers: event name → function(data, id); onState(state, detail) with state
 * 'live', 'reconnecting' or 'offline'.
 */
export class LiveStream {

	constructor(params, handlers, onState) {
		this.params = params;
		this.handlers = handlers;
		this.onState = onState || (() => {});
		this.lastEventId = null;
		this.closed = false;
		this.source = null;
		this.abort = null;
		this.retryDelay = 1000;
		this.timer = null;
	}

	start() {
		this.connect();
		return this;
	}

	close() {
		this.closed = true;
		clearTimeout(this.timer);
		if (this.source) {
			this.source.close();
		}
		if (this.abort) {
			this.abort.abort();
		}
	}

	url(extra) {
		const query = new URLSearchParams(this.params);
		for (const [name, value] of Object.entries(extra)) {
			if (value) {
				query.set(name, value);
			}
		}
		return '/api/v1/stream?' + query;
	}

	async connect() {
		if (this.closed) {
			return;
		}
		let ticket = null;
		try {
			const answer = await fetch('/api/v1/stream/tickets', {
				method: 'POST',
				headers: { 'X-API-Key': apiKey, Accept: 'application/json' },
			});
			if (answer.ok) {
				ticket = (await answer.json()).ticket;
			}
			else if (answer.status === 401) {
				await ensureKey('The key stopped working. Enter a new one.');
				return this.connect();
			}
			else if (answer.status !== 404 && answer.status !== 405) {
				throw new Error(`a stream ticket was refused: HTTP ${answer.status}`);
			}
		}
		catch (failure) {
			return this.retry(failure.message);
		}
		if (this.closed) {
			return;
		}
		if (ticket) {
			this.openEventSource(ticket);
		}
		else {
			this.readWithFetch();
		}
	}

	openEventSource(ticket) {
		const source = new EventSource(this.url({ ticket, 'last-event-id': this.lastEventId }));
		this.source = source;
		source.onopen = () => {
			this.retryDelay = 1000;
			this.onState('live');
		};
		for (const name of Object.keys(this.handlers)) {
			source.addEventListener(name, (event) => this.dispatch(name, event.data, event.lastEventId));
		}
		source.onerror = () => {
			if (this.closed) {
				return;
			}
			// The browser retries by itself with the same URL; the ticket may be spent, so
			// start over with a new one, resuming after the last event seen.
			source.close();
			this.retry('the stream was interrupted');
		};
	}

	async readWithFetch() {
		this.abort = new AbortController();
		const headers = { 'X-API-Key': apiKey, Accept: 'text/event-stream' };
		if (this.lastEventId) {
			headers['Last-Event-ID'] = this.lastEventId;
		}
		try {
			const answer = await fetch(this.url({}), { headers, signal: this.abort.signal, cache: 'no-store' });
			if (!answer.ok) {
				throw new Error(`HTTP ${answer.status}`);
			}
			this.retryDelay = 1000;
			this.onState('live');
			const reader = answer.body.pipeThrough(new TextDecoderStream()).getReader();
			let buffer = '';
			for (;;) {
				const { value, done } = await reader.read();
				if (done) {
					break;
				}
				buffer += value.replace(/\r\n?/g, '\n');
				let end;
				while ((end = buffer.indexOf('\n\n')) >= 0) {
					this.parseEvent(buffer.slice(0, end));
					buffer = buffer.slice(end + 2);
				}
			}
			this.retry('the stream ended');
		}
		catch (failure) {
			if (!this.closed) {
				this.retry(failure.message);
			}
		}
	}

	parseEvent(block) {
		let name = 'message';
		let id = null;
		const data = [];
		for (const line of block.split('\n')) {
			if (line.startsWith(':')) {
				continue;
			}
			const colon = line.indexOf(':');
			const field = colon >= 0 ? line.slice(0, colon) : line;
			let value = colon >= 0 ? line.slice(colon + 1) : '';
			if (value.startsWith(' ')) {
				value = value.slice(1);
			}
			if (field === 'event') {
				name = value;
			}
			else if (field === 'data') {
				data.push(value);
			}
			else if (field === 'id') {
				id = value;
			}
		}
		if (data.length) {
			this.dispatch(name, data.join('\n'), id);
		}
		else if (id) {
			this.lastEventId = id;
		}
	}

	dispatch(name, text, id) {
		if (id) {
			this.lastEventId = id;
		}
		const handler = this.handlers[name];
		if (!handler) {
			return;
		}
		try {
			handler(JSON.parse(text), id);
		}
		catch (failure) {
			console.warn(`Could not show a '${name}' event`, failure);
		}
	}

	retry(reason) {
		if (this.closed) {
			return;
		}
		this.onState('reconnecting', reason);
		clearTimeout(this.timer);
		this.timer = setTimeout(() => this.connect(), this.retryDelay);
		this.retryDelay = Math.min(this.retryDelay * 2, 30000);
	}

}
