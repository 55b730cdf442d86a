// One live chart per metric, one line per chosen sensor: the average of each window, by the
// window's start. uPlot draws on a canvas, so every chart also has a text alternative that
// says what its newest points are.
import uPlot from '/webjars/uplot/dist/uPlot.esm.js';
import { number, PALETTE, time } from './format.js';

const HORIZON_SECONDS = 30 * 60;

const axisColour = '#aab4bf';
const gridColour = 'rgba(170, 180, 191, 0.15)';

export class MetricChart {

	constructor(container, metric, sensors) {
		this.metric = metric;
		this.sensors = sensors;
		this.size = null;
		// sensor → (window start, seconds → average)
		this.points = new Map(sensors.map((sensor) => [sensor, new Map()]));
		this.figure = document.createElement('figure');
		this.figure.className = 'chart';
		this.figure.dataset.metric = metric;
		const caption = document.createElement('figcaption');
		caption.id = `chart-${cssId(metric)}-title`;
		caption.textContent = metric;
		this.plotArea = document.createElement('div');
		this.plotArea.className = 'plot';
		this.plotArea.setAttribute('role', 'img');
		this.plotArea.setAttribute('aria-labelledby', caption.id);
		this.summary = document.createElement('p');
		this.summary.className = 'visually-hidden';
		this.summary.id = `chart-${cssId(metric)}-summary`;
		this.plotArea.setAttribute('aria-describedby', this.summary.id);
		this.figure.append(caption, this.plotArea, this.summary);
		container.append(this.figure);
		this.plot = new uPlot(this.options(), this.data(), this.plotArea);
		this.resizer = new ResizeObserver(() => this.fit());
		this.resizer.observe(this.plotArea);
		this.pending = false;
	}

	options() {
		const width = Math.max(this.plotArea.clientWidth, 280);
		return {
			width,
			height: plotHeight(),
			cursor: { drag: { x: false, y: false } },
			legend: { live: true },
			scales: {
				// The last 30 minutes up to the newest window (a lone first point would otherwise
				// get a range of years).
				x: { time: true, range: (self, min, max) => {
					const end = max ?? Date.now() / 1000;
					return [end - HORIZON_SECONDS, end + 60];
				} },
			},
			axes: [
				{ stroke: axisColour, grid: { stroke: gridColour }, ticks: { stroke: gridColour } },
				{ stroke: axisColour, grid: { stroke: gridColour }, ticks: { stroke: gridColour }, size: 60,
					values: (self, ticks) => ticks.map(number) },
			],
			series: [
				{ label: 'time', value: (self, seconds) => (seconds ? time(seconds * 1000) : '') },
				...this.sensors.map((sensor, i) => ({
					label: sensor,
					stroke: PALETTE[i % PALETTE.length],
					width: 2,
					points: { show: true, size: 5 },
					spanGaps: false,
					value: (self, value) => number(value),
				})),
			],
		};
	}

	/** Take a window aggregate in (history or live); returns whether it was used. */
	add(aggregate) {
		const window = aggregate.window || {};
		if (window.kind && window.kind !== 'tumbling') {
			return false;
		}
		if (this.size === null && window.size) {
			this.size = window.size;
		}
		if (window.size && window.size !== this.size) {
			return false;
		}
		const series = this.points.get(aggregate.sensorId);
		if (!series || aggregate.avg === undefined || aggregate.avg === null) {
			return false;
		}
		series.set(Date.parse(window.start) / 1000, aggregate.avg);
		this.redraw();
		return true;
	}

	data() {
		let newest = 0;
		for (const series of this.points.values()) {
			for (const start of series.keys()) {
				newest = Math.max(newest, start);
			}
		}
		const oldest = newest - HORIZON_SECONDS;
		const starts = new Set();
		for (const series of this.points.values()) {
			for (const start of [...series.keys()]) {
				if (start < oldest) {
					series.delete(start);
				}
				else {
					starts.add(start);
				}
			}
		}
		const xs = [...starts].sort((a, b) => a - b);
		return [xs, ...this.sensors.map((sensor) => xs.map((x) => {
			const value = this.points.get(sensor).get(x);
			return value === undefined ? null : value;
		}))];
	}

	redraw() {
		if (this.pending) {
			return;
		}
		this.pending = true;
		requestAnimationFrame(() => {
			this.pending = false;
			const data = this.data();
			this.plot.setData(data);
			this.describe(data);
		});
	}

	describe(data) {
		const xs = data[0];
		if (!xs.length) {
			this.summary.textContent = `No ${this.metric} windows yet.`;
			return;
		}
		const parts = this.sensors.map((sensor, i) => {
			const ys = data[i + 1];
			for (let j = ys.length - 1; j >= 0; j--) {
				if (ys[j] !== null) {
					return `${sensor} ${number(ys[j])} at ${time(xs[j] * 1000)}`;
				}
			}
			return `${sensor} no data`;
		});
		this.summary.textContent = `Newest ${this.metric} averages: ${parts.join('; ')}.`;
	}

	fit() {
		const width = this.plotArea.clientWidth;
		if (width > 0 && Math.abs(width - this.plot.width) > 2) {
			this.plot.setSize({ width, height: plotHeight() });
		}
	}

	destroy() {
		this.resizer.disconnect();
		this.plot.destroy();
		this.figure.remove();
	}

}

/** Fixed per layout: a height read back from the element would grow with the legend below the plot. */
function plotHeight() {
	return document.documentElement.classList.contains('wall') ? Math.max(220, Math.round(innerHeight * 0.28)) : 220;
}

function cssId(text) {
	return text.replace(/[^A-Za-z0-9_-]/g, '_');
}
