// Runs helm and reads what it renders.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export async function loadYaml(nodeModules) {
	return (await import(pathToFileURL(path.join(nodeModules, 'yaml', 'dist', 'index.js')).href)).default;
}

export class Helm {

	constructor(binary, chartDir, YAML) {
		this.binary = binary;
		this.chartDir = chartDir;
		this.YAML = YAML;
		// helm keeps no state for lint and template, but give it its own homes so that it never
		// reads or writes the user's.
		this.home = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-helm-'));
		this.env = {
			...process.env,
			HELM_CACHE_HOME: path.join(this.home, 'cache'),
			HELM_CONFIG_HOME: path.join(this.home, 'config'),
			HELM_DATA_HOME: path.join(this.home, 'data'),
		};
	}

	run(args) {
		const result = spawnSync(this.binary, args, { env: this.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
		if (result.error) {
			throw result.error;
		}
		return { ok: result.status === 0, stdout: result.stdout, stderr: result.stderr.trim() };
	}

	/** Value arguments: file paths are passed as they are, objects are written to temporary files. */
	valueArgs(values = []) {
		const args = [];
		for (const v of [].concat(values)) {
			let file = v;
			if (typeof v !== 'string') {
				file = path.join(this.home, `values-${Math.random().toString(36).slice(2)}.yaml`);
				fs.writeFileSync(file, JSON.stringify(v));
			}
			args.push('-f', file);
		}
		return args;
	}

	lint(values) {
		return this.run(['lint', '--strict', this.chartDir, ...this.valueArgs(values)]);
	}

	/** Renders the chart; { ok, objects, stderr }. */
	template(values, { release = 'millrace', namespace = 'millrace' } = {}) {
		const result = this.run(['template', release, this.chartDir, '--namespace', namespace, ...this.valueArgs(values)]);
		if (!result.ok) {
			return { ok: false, objects: [], stderr: result.stderr };
		}
		// YAML 1.1, as the API server's decoder reads it: an unquoted `on` or `yes` is a boolean there.
		const objects = this.YAML.parseAllDocuments(result.stdout, { version: '1.1' }).map((doc) => {
			if (doc.errors.length) {
				throw new Error(`helm rendered invalid YAML: ${doc.errors[0].message}`);
			}
			return doc.toJS();
		}).filter((o) => o !== null);
		return { ok: true, objects, stdout: result.stdout, stderr: result.stderr };
	}

	close() {
		fs.rmSync(this.home, { recursive: true, force: true });
	}

}
