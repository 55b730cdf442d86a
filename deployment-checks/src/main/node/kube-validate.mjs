// Validates rendered Kubernetes objects with the kubernetes-models packages (core API, KEDA,
// Prometheus Operator): each object goes through its model's validate(). Those validators accept
// fields the schema does not know and containers without an image, so two checks are added:
//
//  - unknown fields: validate() runs on a Proxy of the object that records which properties the
//    compiled schema reads. The validator reads every property its schema declares; an object
//    whose properties it enumerates instead is a map (labels, data, trigger metadata) and is not
//    checked; a property of a declared object that the validator never read is unknown.
//  - every container and init container has a non-empty image.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const coreGroups = new Set(['apps', 'policy', 'autoscaling', 'batch', 'networking.k8s.io', 'rbac.authorization.k8s.io',
	'storage.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io']);

function modelFile(nodeModules, apiVersion, kind) {
	const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
	if (group === '') {
		return path.join(nodeModules, 'kubernetes-models', version, `${kind}.js`);
	}
	if (coreGroups.has(group)) {
		return path.join(nodeModules, 'kubernetes-models', group, version, `${kind}.js`);
	}
	if (group === 'keda.sh') {
		return path.join(nodeModules, '@kubernetes-models', 'keda', group, version, `${kind}.js`);
	}
	if (group === 'monitoring.coreos.com') {
		return path.join(nodeModules, '@kubernetes-models', 'prometheus-operator', group, version, `${kind}.js`);
	}
	return null;
}

export class KubeValidator {

	constructor(nodeModules) {
		this.nodeModules = nodeModules;
		this.models = new Map();
	}

	async model(apiVersion, kind) {
		const key = `${apiVersion}/${kind}`;
		if (!this.models.has(key)) {
			const file = modelFile(this.nodeModules, apiVersion, kind);
			let model = null;
			if (file) {
				try {
					model = (await import(pathToFileURL(file).href))[kind] ?? null;
				}
				catch (e) {
					if (e.code !== 'ERR_MODULE_NOT_FOUND') {
						throw e;
					}
				}
			}
			this.models.set(key, model);
		}
		return this.models.get(key);
	}

	/** Problems of one object, as strings naming the field; empty when it is valid. */
	async validate(object) {
		const problems = [];
		if (!object || typeof object !== 'object' || !object.apiVersion || !object.kind) {
			return ['not a Kubernetes object (apiVersion and kind required)'];
		}
		const Model = await this.model(object.apiVersion, object.kind);
		if (!Model) {
			return [`no schema for ${object.apiVersion} ${object.kind}: add it to deployment-checks/src/main/node/kube-validate.mjs`];
		}
		if (!object.metadata?.name) {
			problems.push('metadata.name is missing');
		}
		try {
			new Model(object).validate();
		}
		catch (e) {
			problems.push(e.message);
		}
		for (const field of unknownFields(Model, object)) {
			problems.push(`unknown field ${field}`);
		}
		for (const [where, container] of containers(object)) {
			if (typeof container.image !== 'string' || container.image.trim() === '') {
				problems.push(`${where} (${container.name}) has no image`);
			}
		}
		return problems;
	}

}

/** [path, container] of every container and init container of a workload or pod. */
export function containers(object) {
	const spec = object.kind === 'Pod' ? object.spec : (object.kind === 'CronJob'
		? object.spec?.jobTemplate?.spec?.template?.spec : object.spec?.template?.spec);
	const base = object.kind === 'Pod' ? '/spec' : '/spec/template/spec';
	const found = [];
	for (const list of ['initContainers', 'containers']) {
		(spec?.[list] ?? []).forEach((c, i) => found.push([`${base}/${list}/${i}`, c]));
	}
	return found;
}

function unknownFields(Model, object) {
	const seen = [];
	const proxy = track(object, '', seen);
	try {
		Model.prototype.validate.call(proxy);
	}
	catch {
		// reported by the plain validate() above
	}
	const unknown = [];
	for (const { value, path: at, read, enumerated } of seen) {
		if (Array.isArray(value) || enumerated || read.size === 0) {
			continue;
		}
		for (const key of Object.keys(value)) {
			if (!read.has(key)) {
				unknown.push(`${at}/${key}`);
			}
		}
	}
	return unknown;
}

function track(value, at, seen) {
	if (value === null || typeof value !== 'object') {
		return value;
	}
	const record = { value, path: at, read: new Set(), enumerated: false };
	seen.push(record);
	const children = new Map();
	return new Proxy(value, {
		get(target, key, receiver) {
			const result = Reflect.get(target, key, receiver);
			if (typeof key !== 'string') {
				return result;
			}
			record.read.add(key);
			if (result && typeof result === 'object' && Object.prototype.hasOwnProperty.call(target, key)) {
				if (!children.has(key)) {
					children.set(key, track(result, `${at}/${key}`, seen));
				}
				return children.get(key);
			}
			return result;
		},
		has(target, key) {
			if (typeof key === 'string') {
				record.read.add(key);
			}
			return Reflect.has(target, key);
		},
		ownKeys(target) {
			record.enumerated = true;
			return Reflect.ownKeys(target);
		},
		getOwnPropertyDescriptor(target, key) {
			record.enumerated = true;
			return Reflect.getOwnPropertyDescriptor(target, key);
		},
	});
}
