// Unit tests of helm/millrace, on what `helm template` renders: each is [name, function] and
// throws (node:assert) when the chart breaks what it states.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { containers } from './kube-validate.mjs';

const SERVICES = [
	{ key: 'ingest', name: 'ingest-service' },
	{ key: 'processing', name: 'processing-service' },
	{ key: 'serving', name: 'serving-api' },
	{ key: 'alerting', name: 'alerting-service' },
	{ key: 'lakehouse', name: 'lakehouse-service' },
];
// The services with credentials (every one: an API, and management endpoints that need admin), and
// a scope each typically needs.
const SECURED_SERVICES = [
	{ key: 'ingest', name: 'ingest-service', scopes: ['events:write', 'read'] },
	{ key: 'processing', name: 'processing-service', scopes: ['admin'] },
	{ key: 'serving', name: 'serving-api', scopes: ['read'] },
	{ key: 'alerting', name: 'alerting-service', scopes: ['read', 'admin'] },
	{ key: 'lakehouse', name: 'lakehouse-service', scopes: ['admin'] },
];
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet']);
const KEY = 'mr_UvTq3yJm2bNw8xKp0cHs5eRa7dLf9gZi1oQ4tVwXyB6';
const KEY_HASH = 'e58316b248c425a9757e626d981926efb28b3d696da081bbe5c319573fca6233';
const IDENTITIES = {
	azureWorkloadIdentity: { enabled: true },
	ingest: { serviceAccount: { azureClientId: 'client-ingest' } },
	processing: { serviceAccount: { azureClientId: 'client-processing' } },
	serving: { serviceAccount: { azureClientId: 'client-serving' } },
	alerting: { serviceAccount: { azureClientId: 'client-alerting' } },
	lakehouse: { serviceAccount: { azureClientId: 'client-lakehouse' } },
};

export function chartTests({ helm, YAML, repoDir, chartDir }) {
	const ciFiles = fs.readdirSync(path.join(chartDir, 'ci')).filter((f) => f.endsWith('-values.yaml')).sort()
		.map((f) => path.join(chartDir, 'ci', f));
	const appVersion = YAML.parse(fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8')).appVersion;

	function render(values) {
		const result = helm.template(values);
		assert.ok(result.ok, `helm template failed: ${result.stderr}`);
		return result.objects;
	}
	function renderFails(values, pattern) {
		const result = helm.template(values);
		assert.ok(!result.ok, `helm template should have failed for ${JSON.stringify(values)}`);
		assert.match(result.stderr, pattern);
		return result.stderr;
	}
	const workloads = (objects) => objects.filter((o) => WORKLOAD_KINDS.has(o.kind));
	const byComponent = (objects, kind, component) => objects.find((o) => o.kind === kind
		&& o.metadata.labels?.['app.kubernetes.io/component'] === component);
	const allScenarios = () => [[], ...ciFiles.map((f) => [f])];

	return [
		['every pod runs non-root with a read-only root filesystem, no privilege escalation, no capabilities, seccomp RuntimeDefault', () => {
			for (const values of allScenarios()) {
				const found = workloads(render(values));
				assert.equal(found.length, SERVICES.length, `${values}: a workload per service`);
				assert.deepEqual(found.map((w) => w.metadata.labels['app.kubernetes.io/component']).sort(),
					SERVICES.map((s) => s.name).sort(), `${values}: every service`);
				for (const w of found) {
					const pod = w.spec.template.spec;
					assert.equal(pod.securityContext.runAsNonRoot, true, `${w.metadata.name}: runAsNonRoot`);
					assert.equal(pod.securityContext.runAsUser, 10001, `${w.metadata.name}: UID 10001`);
					assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault', `${w.metadata.name}: pod seccomp`);
					for (const [, c] of containers(w)) {
						const sc = c.securityContext;
						assert.ok(sc, `${w.metadata.name}/${c.name}: securityContext`);
						assert.equal(sc.readOnlyRootFilesystem, true, `${c.name}: readOnlyRootFilesystem`);
						assert.equal(sc.allowPrivilegeEscalation, false, `${c.name}: allowPrivilegeEscalation`);
						assert.equal(sc.runAsNonRoot, true, `${c.name}: runAsNonRoot`);
						assert.deepEqual(sc.capabilities.drop, ['ALL'], `${c.name}: drop ALL`);
						assert.ok(!sc.capabilities.add, `${c.name}: adds no capability`);
						assert.equal(sc.seccompProfile.type, 'RuntimeDefault', `${c.name}: seccomp`);
						const mounts = Object.fromEntries(c.volumeMounts.map((m) => [m.mountPath, m.name]));
						for (const dir of ['/tmp', '/data']) {
							const volume = pod.volumes.find((v) => v.name === mounts[dir]);
							assert.ok(volume && (volume.emptyDir || volume.persistentVolumeClaim), `${c.name}: writable ${dir}`);
						}
					}
				}
			}
		}],
		['probes (startup, liveness, readiness) are on the management port, whose number is the README\'s', () => {
			const readme = fs.readFileSync(path.join(repoDir, 'README.md'), 'utf8');
			for (const values of allScenarios()) {
				for (const s of SERVICES) {
					const row = readme.match(new RegExp(`^\\| ${s.name} \\| (\\d+) \\| (\\d+) \\|`, 'm'));
					assert.ok(row, `README.md port table has ${s.name}`);
					const [api, management] = [Number(row[1]), Number(row[2])];
					const w = workloads(render(values)).find((o) => o.metadata.labels['app.kubernetes.io/component'] === s.name);
					const c = w.spec.template.spec.containers[0];
					const ports = Object.fromEntries(c.ports.map((p) => [p.name, p.containerPort]));
					assert.deepEqual(ports, { http: api, management }, `${s.name}: ports`);
					assert.equal(c.startupProbe.httpGet.path, '/actuator/health/liveness');
					assert.equal(c.livenessProbe.httpGet.path, '/actuator/health/liveness');
					assert.equal(c.readinessProbe.httpGet.path, '/actuator/health/readiness');
					for (const probe of [c.startupProbe, c.livenessProbe, c.readinessProbe]) {
						assert.equal(probe.httpGet.port, 'management', `${s.name}: probe port`);
					}
					const env = Object.fromEntries(c.env.filter((e) => 'value' in e).map((e) => [e.name, e.value]));
					assert.equal(env.MANAGEMENT_SERVER_PORT, String(management));
					assert.equal(env.SERVER_PORT, String(api));
				}
			}
		}],
		['images are millrace/<service>:<appVersion>, with registry, tag and digest configurable', () => {
			for (const w of workloads(render([]))) {
				const c = w.spec.template.spec.containers[0];
				assert.equal(c.image, `millrace/${c.name}:${appVersion}`);
			}
			const objects = render({ global: { imageRegistry: 'reg.example.io/' }, serving: { image: { registry: 'other.io', tag: '9.9.9' } },
				alerting: { image: { digest: `sha256:${'a'.repeat(64)}`, pullPolicy: 'Always' } } });
			const image = (name) => byComponent(objects, name === 'serving-api' ? 'Deployment' : 'Deployment', name).spec.template.spec.containers[0];
			assert.equal(image('ingest-service').image, `reg.example.io/millrace/ingest-service:${appVersion}`);
			assert.equal(image('serving-api').image, 'other.io/millrace/serving-api:9.9.9');
			assert.equal(image('alerting-service').image, `reg.example.io/millrace/alerting-service:${appVersion}@sha256:${'a'.repeat(64)}`);
			assert.equal(image('alerting-service').imagePullPolicy, 'Always');
		}],
		['azureWorkloadIdentity.enabled labels every pod and annotates every ServiceAccount with its own client id', () => {
			const off = render([]);
			for (const w of workloads(off)) {
				assert.equal(w.spec.template.metadata.labels['azure.workload.identity/use'], undefined, 'off by default');
			}
			for (const sa of off.filter((o) => o.kind === 'ServiceAccount')) {
				assert.equal(sa.metadata.annotations?.['azure.workload.identity/client-id'], undefined);
			}
			const on = render(IDENTITIES);
			for (const s of SERVICES) {
				const w = byComponent(on, 'Deployment', s.name);
				assert.equal(w.spec.template.metadata.labels['azure.workload.identity/use'], 'true', `${s.name}: pod label`);
				const sa = on.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === w.spec.template.spec.serviceAccountName);
				assert.ok(sa, `${s.name}: its ServiceAccount is rendered`);
				assert.equal(sa.metadata.annotations['azure.workload.identity/client-id'], `client-${s.key}`, `${s.name}: SA annotation`);
			}
			renderFails({ azureWorkloadIdentity: { enabled: true } }, /set ingest\.serviceAccount\.azureClientId/);
		}],
		['KEDA maxReplicaCount never exceeds the input topic\'s partitions, and rendering fails when set higher', () => {
			let scaledObjects = 0;
			for (const values of allScenarios()) {
				const objects = render(values);
				const v = values.length ? YAML.parse(fs.readFileSync(values[0], 'utf8')) : {};
				for (const so of objects.filter((o) => o.kind === 'ScaledObject')) {
					scaledObjects++;
					const component = so.metadata.labels['app.kubernetes.io/component'];
					const topicKeys = component === 'processing-service' ? ['telemetryRaw']
						: component === 'lakehouse-service' ? ['telemetryRaw', 'telemetryAggregates'] : ['telemetryAggregates'];
					const partitions = Math.max(...topicKeys.map((k) => v.topics?.[k]?.partitions ?? 4));
					assert.ok(so.spec.maxReplicaCount <= partitions, `${so.metadata.name}: ${so.spec.maxReplicaCount} > ${partitions}`);
					assert.equal(Number(so.metadata.annotations['millrace.io/partitions']), partitions);
				}
			}
			assert.ok(scaledObjects >= 6, 'the ci scenarios render ScaledObjects');
			const base = { storage: { type: 'azure-blob', azure: { endpoint: 'https://a.blob.core.windows.net' } } };
			renderFails({ ...base, processing: { autoscaling: { enabled: true, maxReplicas: 5 } } },
				/processing\.autoscaling\.maxReplicas \(5\) is above the partitions of its input topic \(topics\.telemetryRaw\.partitions = 4\)/);
			renderFails({ alerting: { autoscaling: { enabled: true, maxReplicas: 3 } }, topics: { telemetryAggregates: { partitions: 2 } } },
				/alerting\.autoscaling\.maxReplicas \(3\) is above .*telemetryAggregates\.partitions = 2/);
			const raised = render([{ ...base, processing: { autoscaling: { enabled: true, maxReplicas: 8 } } }, { topics: { telemetryRaw: { partitions: 8 } } }]);
			assert.equal(raised.find((o) => o.kind === 'ScaledObject').spec.maxReplicaCount, 8);
			renderFails({ ...base, lakehouse: { autoscaling: { enabled: true, maxReplicas: 5 } } },
				/lakehouse\.autoscaling\.maxReplicas \(5\) is above the partitions of its input topics \(topics\.telemetryRaw\.partitions = 4, topics\.telemetryAggregates\.partitions = 4\)/);
			renderFails({ ...base, lakehouse: { replicaCount: 5 } }, /lakehouse\.replicaCount \(5\) is above the partitions of its input topics/);
			// The larger of its two inputs bounds it: 8 raw partitions, 4 aggregates.
			const lakehouse = render([{ ...base, lakehouse: { autoscaling: { enabled: true, maxReplicas: 8 } } }, { topics: { telemetryRaw: { partitions: 8 } } }])
				.find((o) => o.kind === 'ScaledObject');
			assert.equal(lakehouse.spec.maxReplicaCount, 8);
			assert.equal(lakehouse.metadata.annotations['millrace.io/partitions'], '8');
		}],
		['lakehouse-service scales on the lag of its three consumer groups: lakehouse-bronze and lakehouse-silver on telemetry-raw, lakehouse-gold on telemetry-aggregates', () => {
			const keda = { lakehouse: { autoscaling: { enabled: true } }, storage: { type: 'azure-blob', azure: { endpoint: 'https://a.blob.core.windows.net' } } };
			const triggers = (values) => render(values).find((o) => o.kind === 'ScaledObject'
				&& o.metadata.labels['app.kubernetes.io/component'] === 'lakehouse-service').spec.triggers;
			const kafka = triggers([keda, { kafka: { brokers: 'k:9092' } }]);
			assert.deepEqual(kafka.map((t) => [t.type, t.metadata.consumerGroup, t.metadata.topic]),
				[['kafka', 'lakehouse-bronze', 'telemetry-raw'], ['kafka', 'lakehouse-silver', 'telemetry-raw'], ['kafka', 'lakehouse-gold', 'telemetry-aggregates']]);
			const eh = triggers([keda, { transport: 'eventhubs', eventHubs: { namespace: 'millrace-ns1', checkpointStore: { accountName: 'acct' } } }]);
			assert.deepEqual(eh.map((t) => [t.type, t.metadata.consumerGroup, t.metadata.eventHubName, t.metadata.checkpointStrategy]),
				[['azure-eventhub', 'lakehouse-bronze', 'telemetry-raw', 'blobMetadata'], ['azure-eventhub', 'lakehouse-silver', 'telemetry-raw', 'blobMetadata'], ['azure-eventhub', 'lakehouse-gold', 'telemetry-aggregates', 'blobMetadata']]);
			const prom = triggers([keda, { transport: 'eventhubs-kafka', eventHubs: { namespace: 'millrace-ns1' }, keda: { prometheusServerAddress: 'http://p:9090' } }]);
			assert.match(prom[0].metadata.query, /group="lakehouse-bronze",topic="telemetry-raw"/);
			assert.match(prom[1].metadata.query, /group="lakehouse-silver",topic="telemetry-raw"/);
			assert.match(prom[2].metadata.query, /group="lakehouse-gold",topic="telemetry-aggregates"/);
			const ehValues = [{ storage: { type: 'azure-blob', azure: { endpoint: 'https://a.blob.core.windows.net' } } },
				{ transport: 'eventhubs', eventHubs: { namespace: 'millrace-ns1', checkpointStore: { accountName: 'acct' } } }];
			const ehWorkload = workloads(render(ehValues)).find((o) => o.metadata.labels['app.kubernetes.io/component'] === 'lakehouse-service');
			assert.equal(ehWorkload.kind, 'StatefulSet', 'on Event Hubs each replica has its own sensor-registry group');
			const ehEnv = Object.fromEntries(ehWorkload.spec.template.spec.containers[0].env.map((e) => [e.name, e.value]));
			assert.equal(ehEnv.MILLRACE_EVENTHUBS_SILVER_CONSUMER_GROUP, 'lakehouse-silver');
			assert.equal(ehEnv.MILLRACE_EVENTHUBS_SENSOR_METADATA_CONSUMER_GROUP, 'lakehouse-sensor-metadata-$(POD_INDEX)');
			renderFails([...ehValues, { lakehouse: { replicaCount: 4, eventHubsConsumerGroups: 2 } }], /lakehouse\.eventHubsConsumerGroups is 2/);
			renderFails([keda, { transport: 'eventhubs-kafka', eventHubs: { namespace: 'millrace-ns1' } }], /set keda\.prometheusServerAddress/);
		}],
		['lakehouse-service writes its tables to /data/lakehouse: an emptyDir, or a claim that several replicas must share', () => {
			const objects = render([]);
			const w = byComponent(objects, 'Deployment', 'lakehouse-service');
			const c = w.spec.template.spec.containers[0];
			const env = Object.fromEntries(c.env.filter((e) => 'value' in e).map((e) => [e.name, e.value]));
			assert.equal(env.MILLRACE_LAKEHOUSE_ROOT, '/data/lakehouse');
			assert.equal(env.MILLRACE_CHECKPOINT_DIRECTORY, undefined, 'keeps no runtime checkpoints: the Delta log is its checkpoint');
			assert.equal(c.volumeMounts.find((m) => m.name === 'data').mountPath, '/data');
			assert.deepEqual(w.spec.template.spec.volumes.find((v) => v.name === 'data').emptyDir, { sizeLimit: '10Gi' });
			assert.equal(w.spec.replicas, 1);
			assert.equal(w.spec.template.spec.terminationGracePeriodSeconds, 60);
			const config = YAML.parse(objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('lakehouse-service')).data['application.yaml']);
			assert.deepEqual(Object.fromEntries(Object.entries(config.spring.cloud.stream.bindings).map(([k, b]) => [k, b.destination])),
				{ 'writeBronze-in-0': 'telemetry-raw', 'writeGold-in-0': 'telemetry-aggregates', deadletter: 'telemetry-deadletter' });
			renderFails({ lakehouse: { replicaCount: 2 } }, /every replica must write the same Delta tables/);
			renderFails({ lakehouse: { autoscaling: { enabled: true, maxReplicas: 2 } } }, /every replica must write the same Delta tables/);
			const claim = render({ lakehouse: { replicaCount: 2, persistence: { existingClaim: 'tables-rwx' } } });
			assert.deepEqual(byComponent(claim, 'Deployment', 'lakehouse-service').spec.template.spec.volumes.find((v) => v.name === 'data').persistentVolumeClaim,
				{ claimName: 'tables-rwx' });
			const renamed = render({ lakehouse: { name: 'tables' }, topics: { telemetryRaw: { name: 'raw' } } });
			const renamedConfig = YAML.parse(renamed.find((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-tables')).data['application.yaml']);
			assert.equal(renamedConfig.spring.cloud.stream.bindings['writeBronze-in-0'].destination, 'raw');
			assert.equal(render({ lakehouse: { enabled: false } }).filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'lakehouse-service').length, 0,
				'lakehouse.enabled=false renders nothing of it');
		}],
		['KEDA scaler follows the transport: kafka, azure-eventhub on the binder\'s blob checkpoints, prometheus on the lag gauge', () => {
			const trigger = (values) => render(values).find((o) => o.kind === 'ScaledObject').spec.triggers[0];
			const keda = { processing: { autoscaling: { enabled: true } }, storage: { type: 'azure-blob', azure: { endpoint: 'https://a.blob.core.windows.net' } } };
			const kafka = trigger([keda, { kafka: { brokers: 'k:9092' } }]);
			assert.equal(kafka.type, 'kafka');
			assert.deepEqual([kafka.metadata.bootstrapServers, kafka.metadata.consumerGroup, kafka.metadata.topic], ['k:9092', 'processing-service', 'telemetry-raw']);
			const eh = { transport: 'eventhubs', eventHubs: { namespace: 'millrace-ns1', checkpointStore: { accountName: 'acct' } } };
			const azure = trigger([keda, eh]);
			assert.equal(azure.type, 'azure-eventhub');
			assert.equal(azure.metadata.checkpointStrategy, 'blobMetadata');
			assert.deepEqual([azure.metadata.blobContainer, azure.metadata.storageAccountName, azure.metadata.eventHubName, azure.metadata.consumerGroup],
				['millrace-checkpoints', 'acct', 'telemetry-raw', 'processing-service']);
			const prom = trigger([keda, { transport: 'eventhubs-kafka', eventHubs: { namespace: 'millrace-ns1' }, keda: { prometheusServerAddress: 'http://p:9090' } }]);
			assert.equal(prom.type, 'prometheus');
			assert.match(prom.metadata.query, /spring_cloud_stream_binder_kafka_offset\{.*group="processing-service",topic="telemetry-raw"\}/);
			renderFails([keda, eh, { keda: { scaler: 'prometheus', prometheusServerAddress: 'http://p:9090' } }], /does not export/);
			renderFails([keda, { transport: 'eventhubs-kafka', eventHubs: { namespace: 'millrace-ns1' } }], /set keda\.prometheusServerAddress/);
		}],
		['each service renders its keys\' Secret with hashes only, never a raw key; the schema refuses anything else as a hash', () => {
			const secretOf = (objects, name) => objects.find((o) => o.kind === 'Secret' && o.metadata.labels['app.kubernetes.io/component'] === name);
			const envFromOf = (objects, name) => workloads(objects).find((o) => o.metadata.labels['app.kubernetes.io/component'] === name)
				.spec.template.spec.containers[0].envFrom;
			for (const s of SECURED_SERVICES) {
				const objects = render({ [s.key]: { apiKeys: [{ name: 'plant', hash: KEY_HASH.toUpperCase(), scopes: s.scopes }] } });
				const secrets = objects.filter((o) => o.kind === 'Secret');
				assert.equal(secrets.length, 1, `${s.key}.apiKeys: one Secret`);
				assert.equal(secrets[0].metadata.labels['app.kubernetes.io/component'], s.name);
				assert.deepEqual(secrets[0].stringData, { MILLRACE_SECURITY_APIKEYS_0_NAME: 'plant', MILLRACE_SECURITY_APIKEYS_0_HASH: KEY_HASH,
					MILLRACE_SECURITY_APIKEYS_0_SCOPES: s.scopes.join(',') }, `${s.name}: name, lower-case hash, scopes`);
				assert.ok(!JSON.stringify(objects).includes(KEY), `${s.name}: the raw key is nowhere`);
				assert.deepEqual(envFromOf(objects, s.name), [{ secretRef: { name: secrets[0].metadata.name } }], `${s.name}: reads its Secret`);
				for (const other of SECURED_SERVICES.filter((o) => o !== s)) {
					assert.equal(envFromOf(objects, other.name), undefined, `${other.name}: no keys of ${s.name}`);
				}
				renderFails({ [s.key]: { apiKeys: [{ name: 'plant', hash: KEY, scopes: ['read'] }] } }, /hash/);
				renderFails({ [s.key]: { apiKeys: [{ name: 'plant', key: KEY, hash: KEY_HASH, scopes: ['read'] }] } }, /key/);
				renderFails({ [s.key]: { apiKeys: [{ name: 'plant', hash: KEY_HASH, scopes: ['write-everything'] }] } }, /scopes/);
				const existing = render({ [s.key]: { existingSecret: 'my-keys' } });
				assert.equal(existing.filter((o) => o.kind === 'Secret').length, 0, `${s.key}.existingSecret renders no Secret`);
				assert.deepEqual(envFromOf(existing, s.name), [{ secretRef: { name: 'my-keys' } }]);
			}
			for (const secret of ciFiles.flatMap((f) => render([f])).filter((o) => o.kind === 'Secret')) {
				for (const [name, value] of Object.entries({ ...secret.stringData, ...secret.data })) {
					if (name.endsWith('_HASH')) {
						assert.match(value, /^[0-9a-f]{64}$/, `${secret.metadata.name}/${name}`);
					}
					else {
						assert.ok(!/^mr_/.test(value), `${secret.metadata.name}/${name} looks like a key`);
					}
				}
			}
		}],
		['existingSecret together with apiKeys fails rendering, for every service', () => {
			for (const s of SECURED_SERVICES) {
				renderFails({ [s.key]: { existingSecret: 'my-keys', apiKeys: [{ name: 'plant', hash: KEY_HASH, scopes: ['read'] }] } },
					new RegExp(`Set either ${s.key}\\.apiKeys or ${s.key}\\.existingSecret, not both`));
				renderFails({ [s.key]: { existingSecret: 'my-keys' }, apiKeys: [{ name: 'ops', hash: KEY_HASH, scopes: ['admin'] }] },
					new RegExp(`${s.key}\\.existingSecret is the whole key set`));
			}
		}],
		['top-level apiKeys go to every service, after the service\'s own; a name in both fails rendering', () => {
			const other = 'a'.repeat(64);
			const objects = render({ apiKeys: [{ name: 'ops', hash: KEY_HASH, scopes: ['admin'] }],
				ingest: { apiKeys: [{ name: 'plant', hash: other, scopes: ['events:write'] }] } });
			const secrets = objects.filter((o) => o.kind === 'Secret');
			assert.equal(secrets.length, SECURED_SERVICES.length, 'one Secret per service, processing-service too (its management endpoints)');
			for (const s of SECURED_SERVICES) {
				const secret = secrets.find((o) => o.metadata.labels['app.kubernetes.io/component'] === s.name);
				const expected = s.key === 'ingest'
					? { MILLRACE_SECURITY_APIKEYS_0_NAME: 'plant', MILLRACE_SECURITY_APIKEYS_0_HASH: other, MILLRACE_SECURITY_APIKEYS_0_SCOPES: 'events:write',
						MILLRACE_SECURITY_APIKEYS_1_NAME: 'ops', MILLRACE_SECURITY_APIKEYS_1_HASH: KEY_HASH, MILLRACE_SECURITY_APIKEYS_1_SCOPES: 'admin' }
					: { MILLRACE_SECURITY_APIKEYS_0_NAME: 'ops', MILLRACE_SECURITY_APIKEYS_0_HASH: KEY_HASH, MILLRACE_SECURITY_APIKEYS_0_SCOPES: 'admin' };
				assert.deepEqual(secret.stringData, expected, `${s.name}: its own keys, then the shared ones`);
				const pod = workloads(objects).find((o) => o.metadata.labels['app.kubernetes.io/component'] === s.name).spec.template;
				assert.ok(pod.metadata.annotations['checksum/api-keys'], `${s.name}: rolled when its keys change`);
			}
			renderFails({ apiKeys: [{ name: 'ops', hash: KEY_HASH, scopes: ['admin'] }], serving: { apiKeys: [{ name: 'ops', hash: other, scopes: ['read'] }] } },
				/API key name "ops" is given twice to serving-api/);
			const offForOne = render({ apiKeys: [{ name: 'ops', hash: KEY_HASH, scopes: ['admin'] }], alerting: { enabled: false } });
			assert.equal(offForOne.filter((o) => o.kind === 'Secret').length, SECURED_SERVICES.length - 1, 'a disabled service gets no Secret');
		}],
		['entraId sets the issuer and audience of every service', () => {
			for (const s of SECURED_SERVICES) {
				const objects = render({ [s.key]: { entraId: { issuerUri: 'https://login.microsoftonline.com/t/v2.0', audience: `api://${s.key}` } } });
				for (const w of workloads(objects)) {
					const env = Object.fromEntries(w.spec.template.spec.containers[0].env.filter((e) => 'value' in e).map((e) => [e.name, e.value]));
					const mine = w.metadata.labels['app.kubernetes.io/component'] === s.name;
					assert.equal(env.SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI, mine ? 'https://login.microsoftonline.com/t/v2.0' : undefined, w.metadata.name);
					assert.equal(env.SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES, mine ? `api://${s.key}` : undefined, w.metadata.name);
				}
			}
		}],
		['values.schema.json rejects unknown keys and wrong types, at the top and nested', () => {
			renderFails({ ingest: { replicas: 3 } }, /additional propert|not allowed|replicas/);
			renderFails({ unknownTopLevel: true }, /unknownTopLevel/);
			renderFails({ processing: { probes: { liveness: { path: '/x' } } } }, /path/);
			renderFails({ networkPolicy: { enabled: true, egressToEverything: true } }, /egressToEverything/);
			renderFails({ ingest: { replicaCount: 'two' } }, /replicaCount/);
			renderFails({ serving: { ports: { http: 80.5 } } }, /http/);
			renderFails({ transport: 'rabbitmq' }, /transport/);
			renderFails({ storage: { type: 'nfs' } }, /type/);
			renderFails({ alerting: { autoscaling: { enabled: 'yes' } } }, /enabled/);
		}],
		['transport settings use the documented names (docs/configuration.md)', () => {
			const env = (objects, name) => Object.fromEntries((byComponent(objects, 'Deployment', name) ?? byComponent(objects, 'StatefulSet', name)).spec.template.spec.containers[0].env
				.filter((e) => 'value' in e).map((e) => [e.name, e.value]));
			const kafka = render({ kafka: { brokers: 'b1:9092,b2:9092' } });
			assert.equal(env(kafka, 'processing-service').MILLRACE_KAFKA_BROKERS, 'b1:9092,b2:9092');
			assert.equal(env(kafka, 'processing-service').SPRING_PROFILES_ACTIVE, undefined);
			assert.equal(env(kafka, 'processing-service').MILLRACE_CHECKPOINT_DIRECTORY, '/data/checkpoints');
			const eh = render([{ transport: 'eventhubs', eventHubs: { namespace: 'millrace-ns1', checkpointStore: { accountName: 'acct' } },
				storage: { type: 'azure-blob', azure: { endpoint: 'https://acct.blob.core.windows.net' } } }]);
			const p = env(eh, 'processing-service');
			assert.equal(p.SPRING_PROFILES_ACTIVE, 'eventhubs');
			assert.equal(p.SPRING_CLOUD_AZURE_EVENTHUBS_NAMESPACE, 'millrace-ns1');
			assert.equal(p.SPRING_CLOUD_AZURE_EVENTHUBS_PROCESSOR_CHECKPOINTSTORE_ACCOUNTNAME, 'acct');
			assert.equal(p.MILLRACE_CHECKPOINT_CONTAINER, 'millrace-checkpoints');
			assert.equal(p.MILLRACE_EVENTHUBS_CONSUMER_GROUP, 'processing-service');
			assert.equal(p.MILLRACE_STORAGE_TYPE, 'azure-blob');
			assert.equal(p.MILLRACE_STORAGE_AZURE_ENDPOINT, 'https://acct.blob.core.windows.net');
			const l = env(eh, 'lakehouse-service');
			assert.deepEqual([l.SPRING_PROFILES_ACTIVE, l.SPRING_CLOUD_AZURE_EVENTHUBS_PROCESSOR_CHECKPOINTSTORE_ACCOUNTNAME, l.MILLRACE_CHECKPOINT_CONTAINER],
				['eventhubs', 'acct', 'millrace-checkpoints']);
			assert.deepEqual([l.MILLRACE_EVENTHUBS_BRONZE_CONSUMER_GROUP, l.MILLRACE_EVENTHUBS_GOLD_CONSUMER_GROUP, l.MILLRACE_EVENTHUBS_CONSUMER_GROUP],
				['lakehouse-bronze', 'lakehouse-gold', undefined], 'lakehouse-service: a consumer group per input (application-eventhubs.yml)');
			assert.deepEqual([l.MILLRACE_STORAGE_TYPE, l.MILLRACE_STORAGE_AZURE_ENDPOINT], ['azure-blob', 'https://acct.blob.core.windows.net']);
			const lakehouseEh = YAML.parse(eh.find((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('lakehouse-service')).data['application.yaml']);
			for (const binding of ['writeBronze-in-0', 'writeGold-in-0']) {
				const positions = lakehouseEh.spring.cloud.stream.eventhubs.bindings[binding].consumer['initial-partition-event-position'];
				assert.deepEqual(Object.keys(positions), ['0', '1', '2', '3'], `${binding}: every partition`);
				assert.ok(Object.values(positions).every((p) => p.offset === 'earliest'), `${binding}: from the earliest event, like Kafka's start-offset`);
			}
			assert.equal(env(eh, 'ingest-service').SPRING_PROFILES_ACTIVE, 'eventhubs');
			assert.equal(env(eh, 'ingest-service').SPRING_CLOUD_AZURE_EVENTHUBS_PROCESSOR_CHECKPOINTSTORE_ACCOUNTNAME, undefined, 'ingest only produces');
			// serving-api: a StatefulSet, replica n in consumer group serving-api-n
			const serving = byComponent(eh, 'StatefulSet', 'serving-api');
			assert.ok(serving, 'serving-api is a StatefulSet on Event Hubs');
			const group = serving.spec.template.spec.containers[0].env.find((e) => e.name === 'MILLRACE_EVENTHUBS_CONSUMER_GROUP');
			assert.equal(group.value, 'serving-api-$(POD_INDEX)');
			renderFails([{ transport: 'eventhubs', eventHubs: { namespace: 'millrace-ns1', checkpointStore: { accountName: 'acct' } } },
				{ serving: { replicaCount: 5 } }], /every replica needs its own consumer group/);
			// alerting-service: a StatefulSet; aggregates in the shared group, and per replica its own
			// groups for the inputs every replica reads whole, never checkpointed, from the earliest event
			const alerting = byComponent(eh, 'StatefulSet', 'alerting-service');
			assert.ok(alerting, 'alerting-service is a StatefulSet on Event Hubs');
			const a = env(eh, 'alerting-service');
			assert.deepEqual([a.MILLRACE_EVENTHUBS_CONSUMER_GROUP, a.MILLRACE_EVENTHUBS_DELIVERY_LOG_CONSUMER_GROUP,
				a.MILLRACE_EVENTHUBS_SENSOR_METADATA_CONSUMER_GROUP, a.MILLRACE_EVENTHUBS_AUDIT_CONSUMER_GROUP],
				['alerting-service', 'alerting-delivery-log-$(POD_INDEX)', 'alerting-sensor-metadata-$(POD_INDEX)', 'alerting-audit-$(POD_INDEX)']);
			const alertingEh = YAML.parse(eh.find((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('alerting-service')).data['application.yaml']);
			for (const [binding, partitions] of [['readDeliveryLog-in-0', 2], ['readSensorMetadata-in-0', 4], ['readAudit-in-0', 1]]) {
				const consumer = alertingEh.spring.cloud.stream.eventhubs.bindings[binding].consumer;
				assert.equal(consumer.checkpoint.mode, 'MANUAL', `${binding}: never checkpointed`);
				assert.equal(Object.keys(consumer['initial-partition-event-position']).length, partitions, `${binding}: every partition`);
				assert.ok(Object.values(consumer['initial-partition-event-position']).every((p) => p.offset === 'earliest'));
			}
			assert.ok(byComponent(render([]), 'Deployment', 'alerting-service'), 'a Deployment on Kafka');
			const scaled = render([{ transport: 'eventhubs', eventHubs: { namespace: 'millrace-ns1', checkpointStore: { accountName: 'acct' } } },
				{ alerting: { autoscaling: { enabled: true } } }]).find((o) => o.kind === 'ScaledObject' && o.metadata.name.endsWith('alerting-service'));
			assert.equal(scaled.spec.scaleTargetRef.kind, 'StatefulSet', 'KEDA scales the StatefulSet');
			renderFails([{ transport: 'eventhubs', eventHubs: { namespace: 'millrace-ns1', checkpointStore: { accountName: 'acct' } } },
				{ alerting: { replicaCount: 3, eventHubsConsumerGroups: 2 } }], /alerting\.eventHubsConsumerGroups is 2/);
			const ehk = render({ transport: 'eventhubs-kafka', eventHubs: { namespace: 'millrace-ns1' } });
			assert.equal(env(ehk, 'ingest-service').MILLRACE_KAFKA_BROKERS, 'millrace-ns1.servicebus.windows.net:9093');
			const config = YAML.parse(ehk.find((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('processing-service')).data['application.yaml']);
			assert.equal(config.spring.cloud.stream.kafka.binder['auto-create-topics'], false);
			assert.equal(config.spring.cloud.stream.bindings['processTelemetry-in-0'].destination, 'telemetry-raw');
			renderFails({ transport: 'eventhubs' }, /set eventHubs\.namespace/);
		}],
		['processing refuses several replicas on an unshared local checkpoint directory', () => {
			renderFails({ processing: { replicaCount: 2 } }, /must share their checkpoints/);
			renderFails({ processing: { autoscaling: { enabled: true, maxReplicas: 2 } } }, /must share their checkpoints/);
			const claim = render({ processing: { replicaCount: 2, persistence: { existingClaim: 'checkpoints-rwx' } } });
			const volumes = byComponent(claim, 'Deployment', 'processing-service').spec.template.spec.volumes;
			assert.deepEqual(volumes.find((v) => v.name === 'data').persistentVolumeClaim, { claimName: 'checkpoints-rwx' });
		}],
		['PrometheusRule carries the alerts of docs/operations.md with the same expressions', () => {
			const operations = fs.readFileSync(path.join(repoDir, 'docs', 'operations.md'), 'utf8');
			const section = operations.split('## Suggested alerts')[1].split('\n## ')[0];
			const documented = [...section.matchAll(/^\| [^|]+ \| `((?:[^`])+)` \|/gm)].map((m) => m[1].replace(/\\\|/g, '|'));
			assert.ok(documented.length >= 10, 'docs/operations.md lists the suggested alerts');
			const rule = render({ prometheusRule: { enabled: true } }).find((o) => o.kind === 'PrometheusRule');
			const rendered = rule.spec.groups.flatMap((g) => g.rules).map((r) => r.expr);
			assert.deepEqual(rendered, documented);
			const fewer = render({ prometheusRule: { enabled: true, disabled: ['MillraceLateData'] } }).find((o) => o.kind === 'PrometheusRule');
			assert.equal(fewer.spec.groups[0].rules.length, documented.length - 1);
		}],
		['Grafana dashboard ConfigMap holds every dashboards/*.json, labelled for the sidecar', () => {
			const files = fs.readdirSync(path.join(chartDir, 'dashboards')).filter((f) => f.endsWith('.json')).sort();
			assert.ok(files.includes('millrace-overview.json'));
			assert.equal(render([]).filter((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-dashboards')).length, 0, 'off by default');
			const cm = render({ grafanaDashboards: { enabled: true } }).find((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-dashboards'));
			assert.equal(cm.metadata.labels.grafana_dashboard, '1');
			assert.deepEqual(Object.keys(cm.data).sort(), files);
			for (const file of files) {
				assert.deepEqual(JSON.parse(cm.data[file]), JSON.parse(fs.readFileSync(path.join(chartDir, 'dashboards', file), 'utf8')), file);
			}
		}],
		['NetworkPolicies: default deny, API from the ingress controller only to ingest and serving (and serving-api to lakehouse-service for history), management port from Prometheus and the kubelet only, webhooks egress only for alerting', () => {
			assert.equal(render([]).filter((o) => o.kind === 'NetworkPolicy').length, 0, 'off by default');
			const objects = render({ networkPolicy: { enabled: true } });
			const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
			const deny = policies.find((p) => p.metadata.name.endsWith('-default-deny'));
			assert.deepEqual(deny.spec.policyTypes, ['Ingress', 'Egress']);
			assert.equal(deny.spec.ingress, undefined);
			assert.equal(deny.spec.egress, undefined);
			for (const s of SERVICES) {
				const p = policies.find((o) => o.metadata.labels['app.kubernetes.io/component'] === s.name && o !== deny);
				const apiRule = p.spec.ingress.find((r) => r.ports.some((port) => port.port === 'http'));
				if (s.key === 'lakehouse') {
					// Only serving-api, for the Gold history of series queries.
					assert.deepEqual(apiRule.from, [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'millrace',
						'app.kubernetes.io/instance': 'millrace', 'app.kubernetes.io/component': 'serving-api' } } }], `${s.name}: API ingress from serving-api only`);
				} else {
					assert.equal(Boolean(apiRule), ['ingest', 'serving'].includes(s.key), `${s.name}: API ingress`);
				}
				assert.equal(p.spec.egress.some((r) => r.ports.some((port) => port.port === 8085)), s.key === 'serving', `${s.name}: egress to lakehouse-service's API`);
				assert.ok(p.spec.ingress.some((r) => r.ports.some((port) => port.port === 'management')), `${s.name}: scrapes`);
				assert.ok(p.spec.egress.some((r) => r.ports.some((port) => port.port === 53)), `${s.name}: DNS`);
				assert.ok(p.spec.egress.some((r) => r.ports.some((port) => port.port === 9092)), `${s.name}: Kafka`);
				const webhook = p.spec.egress.some((r) => r.to.some((t) => t.ipBlock) && r.ports.length === 1 && r.ports[0].port === 443)
					&& p.spec.egress.filter((r) => r.ports.some((port) => port.port === 443)).length === 2;
				assert.equal(webhook, s.key === 'alerting', `${s.name}: webhook egress`);
			}
			// The management port (health, metrics, and the admin-only endpoints) only from Prometheus and
			// the kubelet's CIDRs, in one rule; no other rule opens it.
			const kubelet = render({ networkPolicy: { enabled: true, kubeletCidrs: ['10.224.0.0/16'] } })
				.filter((o) => o.kind === 'NetworkPolicy' && !o.metadata.name.endsWith('-default-deny'));
			for (const p of kubelet) {
				const rules = p.spec.ingress.filter((r) => r.ports.some((port) => port.port === 'management'));
				assert.equal(rules.length, 1, `${p.metadata.name}: one rule for the management port`);
				assert.deepEqual(rules[0].ports, [{ port: 'management', protocol: 'TCP' }], `${p.metadata.name}: that rule opens nothing else`);
				assert.deepEqual(rules[0].from, [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
					{ ipBlock: { cidr: '10.224.0.0/16' } }], `${p.metadata.name}: Prometheus and the kubelet only`);
			}
			const eh = render({ networkPolicy: { enabled: true }, transport: 'eventhubs', eventHubs: { namespace: 'millrace-ns1', checkpointStore: { accountName: 'acct' } } })
				.filter((o) => o.kind === 'NetworkPolicy' && !o.metadata.name.endsWith('-default-deny'))[0];
			assert.ok(eh.spec.egress.some((r) => r.ports.some((p) => p.port === 5671)), 'AMQP 5671 on Event Hubs');
		}],
		['HPAs for ingest and serving target their workloads; no HPA or ScaledObject by default', () => {
			assert.equal(render([]).filter((o) => o.kind === 'HorizontalPodAutoscaler' || o.kind === 'ScaledObject').length, 0);
			const objects = render({ ingest: { autoscaling: { enabled: true } }, serving: { autoscaling: { enabled: true, maxReplicas: 4 } } });
			const hpas = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler');
			assert.equal(hpas.length, 2);
			for (const hpa of hpas) {
				const target = objects.find((o) => o.kind === hpa.spec.scaleTargetRef.kind && o.metadata.name === hpa.spec.scaleTargetRef.name);
				assert.ok(target, `${hpa.metadata.name} targets a rendered workload`);
				assert.equal(target.spec.replicas, undefined, 'the HPA owns the replica count');
			}
		}],
	];
}
