// Numbers and times as the dashboard shows them.

const compact = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const large = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const shortClock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** A measurement: two decimals at most, none past 10,000. */
export function number(value) {
	if (value === null || value === undefined || Number.isNaN(value)) {
		return '–';
	}
	return Math.abs(value) >= 10000 ? large.format(value) : compact.format(value);
}

/** An instant (RFC 3339 text or epoch ms) as the local wall-clock time. */
export function time(value) {
	if (!value) {
		return '';
	}
	return clock.format(typeof value === 'number' ? value : Date.parse(value));
}

/** A window as "10:01–10:02". */
export function windowSpan(window) {
	if (!window || !window.start) {
		return '';
	}
	const start = shortClock.format(Date.parse(window.start));
	return window.end ? `${start}–${shortClock.format(Date.parse(window.end))}` : start;
}

/** The value a window stands for on a tile: its last reading, else its average. */
export function latestValue(aggregate) {
	return aggregate.lastValue !== undefined && aggregate.lastValue !== null ? aggregate.lastValue : aggregate.avg;
}

/** Series colours that keep at least 4.5:1 against the panels (Okabe–Ito, lightened). */
export const PALETTE = ['#5cc8ff', '#ffb454', '#6fdc8c', '#f48fb1', '#e6e26b', '#c3a6ff', '#ff8f87', '#8ee3e0'];
