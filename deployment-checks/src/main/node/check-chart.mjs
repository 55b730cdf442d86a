// The offline checks of helm/millrace, run by `./mvnw verify` (module deployment-checks):
//   1. helm lint --strict, for the default values and every ci/*-values.yaml
//   2. helm template for the same, and every rendered object validated against the Kubernetes,
//      KEDA and Prometheus Operator schemas (kube-validate.mjs: validate(), unknown fields, images)
//   3. the chart unit tests (chart-tests.mjs) and the values table of the chart's README
// Prints one line per check and ends with "N passed, N failed"; exits 1 when anything failed.
import fs from 'node:fs';
import path from 'node:path';
import { ensureTools, repoDir } from './tools.mjs';
import { Helm, loadYaml } from './helm.mjs';
import { KubeValidator } from './kube-validate.mjs';
import { chartTests } from './chart-tests.mjs';
import { chartDir, readmeWithTable } from './values-docs.mjs';

const started = Date.now();
const tools = ensureTools();
const YAML = await loadYaml(tools.nodeModules);
const helm = new Helm(tools.helm, chartDir, YAML);
const validator = new KubeValidator(tools.nodeModules);

let passed = 0;
let failed = 0;
async function check(name, body) {
	const t0 = Date.now();
	try {
		await body();
		passed++;
		console.log(`  ok    ${name} (${Date.now() - t0} ms)`);
	}
	catch (e) {
		failed++;
		console.log(`  FAIL  ${name}\n        ${String(e.message ?? e).split('\n').join('\n        ')}`);
	}
}

// The validator itself: it must report what the kubernetes-models validators let through.
await check('validator reports unknown fields, a missing image and schema errors', async () => {
	const problems = await validator.validate({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', labels: { free: 'keys' } },
		spec: { replicas: 'two', selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } },
			spec: { containers: [{ name: 'c', image: '', securityContext: { readOnlyRootFilesytem: true } }] } } } });
	const expected = [/replicas must be integer/, /unknown field \/spec\/template\/spec\/containers\/0\/securityContext\/readOnlyRootFilesytem/,
		/containers\/0 \(c\) has no image/];
	for (const pattern of expected) {
		if (!problems.some((p) => pattern.test(p))) {
			throw new Error(`expected a problem matching ${pattern}, got: ${problems.join('; ')}`);
		}
	}
	if (problems.length !== expected.length) {
		throw new Error(`unexpected problems: ${problems.join('; ')}`);
	}
});

const scenarios = [['default values', []]];
for (const file of fs.readdirSync(path.join(chartDir, 'ci')).filter((f) => f.endsWith('-values.yaml')).sort()) {
	scenarios.push([`ci/${file}`, [path.join(chartDir, 'ci', file)]]);
}

console.log(`helm/millrace: ${scenarios.length} scenarios (${path.relative(repoDir, chartDir)})`);
for (const [name, values] of scenarios) {
	await check(`helm lint --strict: ${name}`, () => {
		const result = helm.lint(values);
		if (!result.ok) {
			throw new Error(`${result.stdout}\n${result.stderr}`.trim());
		}
	});
	await check(`helm template + Kubernetes schemas: ${name}`, async () => {
		const result = helm.template(values);
		if (!result.ok) {
			throw new Error(result.stderr);
		}
		const problems = [];
		const names = new Set();
		for (const object of result.objects) {
			const id = `${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
			if (names.has(id)) {
				problems.push(`${id}: rendered twice`);
			}
			names.add(id);
			for (const problem of await validator.validate(object)) {
				problems.push(`${object.kind} ${object.metadata?.name}: ${problem}`);
			}
		}
		if (problems.length) {
			throw new Error(problems.join('\n'));
		}
		if (result.objects.length === 0) {
			throw new Error('rendered nothing');
		}
	});
}

for (const [name, body] of chartTests({ helm, YAML, repoDir, chartDir })) {
	await check(name, body);
}

await check('README values table is up to date', () => {
	const { current, wanted } = readmeWithTable(YAML);
	if (current !== wanted) {
		throw new Error('helm/millrace/README.md: the values table is out of date; run node deployment-checks/src/main/node/values-docs.mjs --write');
	}
});

helm.close();
console.log(`deployment checks took ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
