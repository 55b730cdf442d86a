{{/*
The services this chart deploys, in order. Each is a top-level values section of the same
shape (image, ports, resources, probes, serviceAccount, ...). To add a service (for example
lakehouse-service): add its section to values.yaml and values.schema.json, add its key here,
and give it a case in "millrace.serviceEnv" / "millrace.serviceConfig" below. A service with an
API port also goes into "millrace.apiServiceKeys"; a consumer into "millrace.consumerInputs".
*/}}
{{- define "millrace.serviceKeys" -}}
ingest processing serving alerting lakehouse
{{- end -}}

{{/* The services with an API port (their NOTES show an API call). */}}
{{- define "millrace.apiServiceKeys" -}}
ingest serving alerting lakehouse
{{- end -}}

{{/* The services with credentials, all authenticated by the shared security module (their API, and
the management endpoints beyond health and metrics, which need admin): each takes "apiKeys",
"existingSecret" and "entraId", and the top-level "apiKeys" are added to each. Every service:
processing-service serves no API, but its /actuator/bindings and /actuator/streamingprogress need
admin. */}}
{{- define "millrace.securedServiceKeys" -}}
ingest processing serving alerting lakehouse
{{- end -}}

{{/* Is this service one of "millrace.securedServiceKeys"? Call with (dict "root" $ "key" "ingest"). */}}
{{- define "millrace.isSecuredService" -}}
{{- if has .key (splitList " " (include "millrace.securedServiceKeys" .root)) -}}true{{- end -}}
{{- end -}}

{{/* Is this service one of "millrace.apiServiceKeys"? Call with (dict "root" $ "key" "ingest"). */}}
{{- define "millrace.isApiService" -}}
{{- if has .key (splitList " " (include "millrace.apiServiceKeys" .root)) -}}true{{- end -}}
{{- end -}}

{{/*
The API keys one service's Secret holds, as JSON {"keys": [...]}: the service's own "apiKeys",
then the top-level "apiKeys" shared by every service. Empty with "existingSecret" (that Secret
is then the whole key set; validate.yaml refuses it together with either list).
*/}}
{{- define "millrace.apiKeys" -}}
{{- $svc := index .root.Values .key -}}
{{- $keys := list -}}
{{- if not $svc.existingSecret -}}
{{- $keys = concat ($svc.apiKeys | default list) (.root.Values.apiKeys | default list) -}}
{{- end -}}
{{- toJson (dict "keys" $keys) -}}
{{- end -}}

{{/* Keys of the enabled services, as a list. */}}
{{- define "millrace.enabledServiceKeys" -}}
{{- $enabled := list -}}
{{- range $key := splitList " " (include "millrace.serviceKeys" .) -}}
{{- if (index $.Values $key).enabled -}}
{{- $enabled = append $enabled $key -}}
{{- end -}}
{{- end -}}
{{- join " " $enabled -}}
{{- end -}}

{{- define "millrace.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "millrace.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Resource name of one service: <fullname>-<service name>. Call with (dict "root" $ "key" "ingest"). */}}
{{- define "millrace.serviceFullname" -}}
{{- $svc := index .root.Values .key -}}
{{- printf "%s-%s" (include "millrace.fullname" .root) $svc.name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "millrace.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "millrace.labels" -}}
helm.sh/chart: {{ include "millrace.chart" . }}
app.kubernetes.io/name: {{ include "millrace.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: millrace
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels of one service's resources. Call with (dict "root" $ "key" "ingest"). */}}
{{- define "millrace.serviceLabels" -}}
{{ include "millrace.labels" .root }}
app.kubernetes.io/component: {{ (index .root.Values .key).name }}
{{- end -}}

{{/* Selector labels of one service's pods. */}}
{{- define "millrace.selectorLabels" -}}
app.kubernetes.io/name: {{ include "millrace.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ (index .root.Values .key).name }}
{{- end -}}

{{- define "millrace.serviceAccountName" -}}
{{- $svc := index .root.Values .key -}}
{{- if $svc.serviceAccount.create -}}
{{- default (include "millrace.serviceFullname" .) $svc.serviceAccount.name -}}
{{- else -}}
{{- default "default" $svc.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* registry/repository:tag[@digest] of one service. */}}
{{- define "millrace.image" -}}
{{- $svc := index .root.Values .key -}}
{{- $registry := default .root.Values.global.imageRegistry $svc.image.registry -}}
{{- $repository := $svc.image.repository -}}
{{- if $registry -}}
{{- $repository = printf "%s/%s" (trimSuffix "/" $registry) $repository -}}
{{- end -}}
{{- $tag := default .root.Chart.AppVersion $svc.image.tag -}}
{{- if $svc.image.digest -}}
{{- printf "%s:%s@%s" $repository $tag $svc.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository $tag -}}
{{- end -}}
{{- end -}}

{{/* True when the service runs as a StatefulSet on the Event Hubs binder, for consumer groups per replica: serving-api (its one input), alerting-service (the inputs every replica reads whole: delivery log, sensor registry, audit trail) and lakehouse-service (the sensor registry Silver is enriched from). */}}
{{- define "millrace.isStatefulSet" -}}
{{- if and (has .key (list "serving" "alerting" "lakehouse")) (eq .root.Values.transport "eventhubs") -}}true{{- end -}}
{{- end -}}

{{- define "millrace.workloadKind" -}}
{{- if include "millrace.isStatefulSet" . -}}StatefulSet{{- else -}}Deployment{{- end -}}
{{- end -}}

{{/* The Event Hubs FQDN of the namespace. */}}
{{- define "millrace.eventHubsHost" -}}
{{- printf "%s.servicebus.windows.net" .Values.eventHubs.namespace -}}
{{- end -}}

{{/* The KEDA scaler the consumers use (resolves "auto"). */}}
{{- define "millrace.kedaScaler" -}}
{{- $scaler := .Values.keda.scaler -}}
{{- if eq $scaler "auto" -}}
{{- if eq .Values.transport "kafka" -}}kafka
{{- else if eq .Values.transport "eventhubs" -}}azure-eventhub
{{- else -}}prometheus
{{- end -}}
{{- else -}}
{{- $scaler -}}
{{- end -}}
{{- end -}}

{{/*
Facts about each consumer: its input binding's topic values key, consumer group (Kafka and
Event Hubs) and partitions. Call with (dict "root" $ "key" "processing").
*/}}
{{- define "millrace.consumerTopicKey" -}}
{{- if eq .key "processing" -}}telemetryRaw{{- else -}}telemetryAggregates{{- end -}}
{{- end -}}

{{- define "millrace.consumerGroup" -}}
{{- (index .root.Values .key).name -}}
{{- end -}}

{{/*
The inputs of a consumer that scales on lag, as JSON {"inputs": [{"topicKey", "group"}, ...]}:
one per consumer group. lakehouse-service has three, each with its own fixed group name (its
application.yml; on Event Hubs MILLRACE_EVENTHUBS_BRONZE/SILVER/GOLD_CONSUMER_GROUP).
*/}}
{{- define "millrace.consumerInputs" -}}
{{- $inputs := list -}}
{{- if eq .key "lakehouse" -}}
{{- $inputs = list (dict "topicKey" "telemetryRaw" "group" "lakehouse-bronze") (dict "topicKey" "telemetryRaw" "group" "lakehouse-silver") (dict "topicKey" "telemetryAggregates" "group" "lakehouse-gold") -}}
{{- else -}}
{{- $inputs = list (dict "topicKey" (include "millrace.consumerTopicKey" .) "group" (include "millrace.consumerGroup" .)) -}}
{{- end -}}
{{- toJson (dict "inputs" $inputs) -}}
{{- end -}}

{{/* The most replicas a consumer can use: the largest partition count of its inputs. */}}
{{- define "millrace.consumerPartitions" -}}
{{- $most := 0 -}}
{{- range $input := (include "millrace.consumerInputs" . | fromJson).inputs -}}
{{- $most = max $most (int (index $.root.Values.topics $input.topicKey).partitions) -}}
{{- end -}}
{{- $most -}}
{{- end -}}

{{/* Does this service keep state in millrace.storage? */}}
{{- define "millrace.usesStorage" -}}
{{- /* processing's checkpoints; alerting's evaluation state and delivery outbox; lakehouse's Delta tables. */ -}}
{{- if has .key (list "processing" "alerting" "lakehouse") -}}true{{- end -}}
{{- end -}}

{{/* Does this service take a claim for /data ("persistence.existingClaim")? */}}
{{- define "millrace.hasPersistence" -}}
{{- if has .key (list "processing" "lakehouse") -}}true{{- end -}}
{{- end -}}

{{/* Environment variables of one service (documented names, docs/configuration.md). */}}
{{- define "millrace.serviceEnv" -}}
{{- $root := .root -}}
{{- $key := .key -}}
{{- $svc := index $root.Values $key -}}
{{- $v := $root.Values -}}
- name: SPRING_CONFIG_ADDITIONAL_LOCATION
  value: "optional:file:/etc/millrace/config/"
- name: SERVER_PORT
  value: {{ $svc.ports.http | quote }}
- name: MANAGEMENT_SERVER_PORT
  value: {{ $svc.ports.management | quote }}
{{- with $svc.javaToolOptions }}
- name: JAVA_TOOL_OPTIONS
  value: {{ . | quote }}
{{- end }}
{{- if eq $v.transport "eventhubs" }}
- name: SPRING_PROFILES_ACTIVE
  value: eventhubs
- name: SPRING_CLOUD_AZURE_EVENTHUBS_NAMESPACE
  value: {{ $v.eventHubs.namespace | quote }}
{{- if ne $key "ingest" }}
{{- /* Consumers only: the binder keeps partition ownership and checkpoints there; ingest only produces. */}}
- name: SPRING_CLOUD_AZURE_EVENTHUBS_PROCESSOR_CHECKPOINTSTORE_ACCOUNTNAME
  value: {{ $v.eventHubs.checkpointStore.accountName | quote }}
- name: MILLRACE_CHECKPOINT_CONTAINER
  value: {{ $v.eventHubs.checkpointStore.containerName | quote }}
{{- end }}
{{- if eq $key "lakehouse" }}
{{- /* Three inputs in shared groups (application-eventhubs.yml; they must exist on the event hubs), and
       the sensor registry, read whole by every replica in a group of its own. */}}
- name: MILLRACE_EVENTHUBS_BRONZE_CONSUMER_GROUP
  value: lakehouse-bronze
- name: MILLRACE_EVENTHUBS_SILVER_CONSUMER_GROUP
  value: lakehouse-silver
- name: MILLRACE_EVENTHUBS_GOLD_CONSUMER_GROUP
  value: lakehouse-gold
- name: POD_INDEX
  valueFrom:
    fieldRef:
      fieldPath: metadata.labels['apps.kubernetes.io/pod-index']
- name: MILLRACE_EVENTHUBS_SENSOR_METADATA_CONSUMER_GROUP
  value: "lakehouse-sensor-metadata-$(POD_INDEX)"
{{- else if eq $key "alerting" }}
{{- /* Aggregates in one shared group (partition ownership: each notification decided once); the
       inputs every replica reads whole in a group of its own per replica (application-eventhubs.yml). */}}
- name: MILLRACE_EVENTHUBS_CONSUMER_GROUP
  value: {{ include "millrace.consumerGroup" . | quote }}
- name: POD_INDEX
  valueFrom:
    fieldRef:
      fieldPath: metadata.labels['apps.kubernetes.io/pod-index']
- name: MILLRACE_EVENTHUBS_DELIVERY_LOG_CONSUMER_GROUP
  value: "alerting-delivery-log-$(POD_INDEX)"
- name: MILLRACE_EVENTHUBS_SENSOR_METADATA_CONSUMER_GROUP
  value: "alerting-sensor-metadata-$(POD_INDEX)"
- name: MILLRACE_EVENTHUBS_AUDIT_CONSUMER_GROUP
  value: "alerting-audit-$(POD_INDEX)"
{{- else if include "millrace.isStatefulSet" . }}
- name: POD_INDEX
  valueFrom:
    fieldRef:
      fieldPath: metadata.labels['apps.kubernetes.io/pod-index']
- name: MILLRACE_EVENTHUBS_CONSUMER_GROUP
  value: "{{ $svc.name }}-$(POD_INDEX)"
{{- else if ne $key "ingest" }}
- name: MILLRACE_EVENTHUBS_CONSUMER_GROUP
  value: {{ include "millrace.consumerGroup" . | quote }}
{{- end }}
{{- else if eq $v.transport "eventhubs-kafka" }}
- name: MILLRACE_KAFKA_BROKERS
  value: "{{ include "millrace.eventHubsHost" $root }}:9093"
{{- else }}
- name: MILLRACE_KAFKA_BROKERS
  value: {{ $v.kafka.brokers | quote }}
{{- end }}
{{- if include "millrace.usesStorage" . }}
- name: MILLRACE_STORAGE_TYPE
  value: {{ $v.storage.type | quote }}
{{- if eq $v.storage.type "azure-blob" }}
- name: MILLRACE_STORAGE_AZURE_CONTAINER
  value: {{ $v.storage.azure.container | quote }}
{{- if $v.storage.azure.connectionStringSecret.name }}
- name: MILLRACE_STORAGE_AZURE_CONNECTIONSTRING
  valueFrom:
    secretKeyRef:
      name: {{ $v.storage.azure.connectionStringSecret.name }}
      key: {{ $v.storage.azure.connectionStringSecret.key }}
{{- else }}
- name: MILLRACE_STORAGE_AZURE_ENDPOINT
  value: {{ $v.storage.azure.endpoint | quote }}
{{- end }}
{{- else if ne $key "lakehouse" }}
- name: MILLRACE_CHECKPOINT_DIRECTORY
  value: /data/checkpoints
{{- end }}
{{- end }}
{{- if eq $key "lakehouse" }}
{{- /* The tables' directory on storage.type local (lakehouse.persistence); unused on azure-blob. */}}
- name: MILLRACE_LAKEHOUSE_ROOT
  value: /data/lakehouse
{{- end }}
{{- if include "millrace.isSecuredService" . }}
{{- with $svc.entraId.issuerUri }}
- name: SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI
  value: {{ . | quote }}
{{- end }}
{{- with $svc.entraId.audience }}
- name: SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- if eq $key "alerting" }}
- name: MILLRACE_WEBHOOK_URL
  value: {{ $svc.webhook.url | quote }}
{{- end }}
{{- if and (eq $key "serving") $svc.history.enabled $v.lakehouse.enabled }}
{{- /* Series queries older than the hot store read the Gold table through lakehouse-service. */}}
- name: MILLRACE_SERVING_HISTORY_URL
  value: "http://{{ include "millrace.serviceFullname" (dict "root" $root "key" "lakehouse") }}:{{ $v.lakehouse.ports.http }}"
{{- with $svc.history.apiKeySecret.name }}
- name: MILLRACE_SERVING_HISTORY_APIKEY
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $svc.history.apiKeySecret.key }}
{{- end }}
{{- end }}
{{- with $svc.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
Spring properties of one service, rendered into its ConfigMap as application.yaml: the topics
(binding destinations) and what the transport needs beyond the packaged configuration, merged
with the service's "config" value (which wins).
*/}}
{{- define "millrace.serviceConfig" -}}
{{- $root := .root -}}
{{- $key := .key -}}
{{- $svc := index $root.Values $key -}}
{{- $v := $root.Values -}}
{{- $t := $v.topics -}}
{{- $bindings := dict -}}
{{- $kafkaBindings := dict -}}
{{- $ehBindings := dict -}}
{{- if eq $key "ingest" -}}
{{- $_ := set $bindings "telemetry" (dict "destination" $t.telemetryRaw.name) -}}
{{- else if eq $key "processing" -}}
{{- $_ := set $bindings "processTelemetry-in-0" (dict "destination" $t.telemetryRaw.name) -}}
{{- $_ := set $bindings "aggregates" (dict "destination" $t.telemetryAggregates.name) -}}
{{- $_ := set $bindings "late" (dict "destination" $t.telemetryLate.name) -}}
{{- $_ := set $bindings "deadletter" (dict "destination" $t.telemetryDeadletter.name) -}}
{{- if eq $v.transport "eventhubs-kafka" -}}
{{- /* Event Hubs accepts session timeouts of 6000..300000 ms and recommends the default heartbeat (docs/configuration.md, "Event Hubs: fast failover"). */ -}}
{{- $_ := set $kafkaBindings "processTelemetry-in-0" (dict "consumer" (dict "configuration" (dict "session.timeout.ms" 10000 "heartbeat.interval.ms" 3000))) -}}
{{- end -}}
{{- if eq $v.transport "eventhubs" -}}
{{- $positions := dict -}}
{{- range $p := until (int $t.telemetryRaw.partitions) -}}
{{- $_ := set $positions (toString $p) (dict "offset" "earliest") -}}
{{- end -}}
{{- $_ := set $ehBindings "processTelemetry-in-0" (dict "consumer" (dict "initial-partition-event-position" $positions)) -}}
{{- end -}}
{{- else if eq $key "serving" -}}
{{- $_ := set $bindings "receiveAggregates-in-0" (dict "destination" $t.telemetryAggregates.name) -}}
{{- $_ := set $bindings "deadletter" (dict "destination" $t.telemetryDeadletter.name) -}}
{{- if eq $v.transport "eventhubs" -}}
{{- /* Like the Kafka binding (no group, earliest): each replica rebuilds its view from the whole
       retention on every start, so it never checkpoints (MANUAL, never called) and starts each
       partition at the earliest event. */ -}}
{{- $positions := dict -}}
{{- range $p := until (int $t.telemetryAggregates.partitions) -}}
{{- $_ := set $positions (toString $p) (dict "offset" "earliest") -}}
{{- end -}}
{{- $_ := set $ehBindings "receiveAggregates-in-0" (dict "consumer" (dict "checkpoint" (dict "mode" "MANUAL") "initial-partition-event-position" $positions)) -}}
{{- end -}}
{{- else if eq $key "alerting" -}}
{{- $_ := set $bindings "evaluateAggregates-in-0" (dict "destination" $t.telemetryAggregates.name) -}}
{{- $_ := set $bindings "evaluateReadings-in-0" (dict "destination" $t.telemetryRaw.name) -}}
{{- $_ := set $bindings "alerts" (dict "destination" $t.alerts.name) -}}
{{- $_ := set $bindings "deliveries" (dict "destination" $t.alertingDeliveries.name) -}}
{{- $_ := set $bindings "readDeliveryLog-in-0" (dict "destination" $t.alertingDeliveries.name) -}}
{{- $_ := set $bindings "readSensorMetadata-in-0" (dict "destination" $t.sensorMetadata.name) -}}
{{- $_ := set $bindings "audit" (dict "destination" $t.audit.name) -}}
{{- $_ := set $bindings "readAudit-in-0" (dict "destination" $t.audit.name) -}}
{{- $_ := set $bindings "deadletter" (dict "destination" $t.telemetryDeadletter.name) -}}
{{- if eq $v.transport "eventhubs" -}}
{{- $positions := dict -}}
{{- range $p := until (int $t.telemetryAggregates.partitions) -}}
{{- $_ := set $positions (toString $p) (dict "offset" "earliest") -}}
{{- end -}}
{{- $_ := set $ehBindings "evaluateAggregates-in-0" (dict "consumer" (dict "initial-partition-event-position" $positions)) -}}
{{- /* Read whole by every replica, like Kafka's group-less earliest reader: never checkpointed
       (MANUAL, never called), every partition from its earliest event, on every start. */ -}}
{{- range $binding, $topic := dict "readDeliveryLog-in-0" $t.alertingDeliveries "readSensorMetadata-in-0" $t.sensorMetadata "readAudit-in-0" $t.audit -}}
{{- $earliest := dict -}}
{{- range $p := until (int $topic.partitions) -}}
{{- $_ := set $earliest (toString $p) (dict "offset" "earliest") -}}
{{- end -}}
{{- $_ := set $ehBindings $binding (dict "consumer" (dict "checkpoint" (dict "mode" "MANUAL") "initial-partition-event-position" $earliest)) -}}
{{- end -}}
{{- end -}}
{{- else if eq $key "lakehouse" -}}
{{- $_ := set $bindings "writeBronze-in-0" (dict "destination" $t.telemetryRaw.name) -}}
{{- $_ := set $bindings "writeGold-in-0" (dict "destination" $t.telemetryAggregates.name) -}}
{{- $_ := set $bindings "deadletter" (dict "destination" $t.telemetryDeadletter.name) -}}
{{- if eq $v.transport "eventhubs-kafka" -}}
{{- /* As processing's: Event Hubs accepts session timeouts of 6000..300000 ms and recommends the default heartbeat. */ -}}
{{- $timeouts := dict "consumer" (dict "configuration" (dict "session.timeout.ms" 10000 "heartbeat.interval.ms" 3000)) -}}
{{- $_ := set $kafkaBindings "writeBronze-in-0" $timeouts -}}
{{- $_ := set $kafkaBindings "writeGold-in-0" (deepCopy $timeouts) -}}
{{- end -}}
{{- if eq $v.transport "eventhubs" -}}
{{- /* Like the Kafka bindings (start-offset earliest): Bronze is the capture of the whole retention. */ -}}
{{- $raw := dict -}}
{{- range $p := until (int $t.telemetryRaw.partitions) -}}
{{- $_ := set $raw (toString $p) (dict "offset" "earliest") -}}
{{- end -}}
{{- $aggregates := dict -}}
{{- range $p := until (int $t.telemetryAggregates.partitions) -}}
{{- $_ := set $aggregates (toString $p) (dict "offset" "earliest") -}}
{{- end -}}
{{- $_ := set $ehBindings "writeBronze-in-0" (dict "consumer" (dict "initial-partition-event-position" $raw)) -}}
{{- $_ := set $ehBindings "writeGold-in-0" (dict "consumer" (dict "initial-partition-event-position" $aggregates)) -}}
{{- end -}}
{{- end -}}
{{- $stream := dict "bindings" $bindings -}}
{{- if eq $v.transport "eventhubs-kafka" -}}
{{- /* docs/configuration.md, "(b) The Kafka endpoint of Event Hubs". */ -}}
{{- $binder := dict "auto-create-topics" false "auto-add-partitions" false "configuration" (dict "metadata.max.age.ms" 180000 "connections.max.idle.ms" 180000) "producer-properties" (dict "max.request.size" 1000000 "request.timeout.ms" 60000) -}}
{{- $_ := set $stream "kafka" (dict "binder" $binder "bindings" $kafkaBindings) -}}
{{- end -}}
{{- if $ehBindings -}}
{{- $_ := set $stream "eventhubs" (dict "bindings" $ehBindings) -}}
{{- end -}}
{{- $config := dict "spring" (dict "cloud" (dict "stream" $stream)) -}}
{{- $merged := mustMergeOverwrite $config (deepCopy $svc.config) -}}
{{- toYaml $merged -}}
{{- end -}}

{{/* The probes on the management port. */}}
{{- define "millrace.probes" -}}
{{- $svc := index .root.Values .key -}}
startupProbe:
  httpGet:
    path: /actuator/health/liveness
    port: management
  periodSeconds: {{ $svc.probes.startup.periodSeconds }}
  failureThreshold: {{ $svc.probes.startup.failureThreshold }}
  timeoutSeconds: {{ $svc.probes.startup.timeoutSeconds }}
livenessProbe:
  httpGet:
    path: /actuator/health/liveness
    port: management
  periodSeconds: {{ $svc.probes.liveness.periodSeconds }}
  failureThreshold: {{ $svc.probes.liveness.failureThreshold }}
  timeoutSeconds: {{ $svc.probes.liveness.timeoutSeconds }}
readinessProbe:
  httpGet:
    path: /actuator/health/readiness
    port: management
  periodSeconds: {{ $svc.probes.readiness.periodSeconds }}
  failureThreshold: {{ $svc.probes.readiness.failureThreshold }}
  timeoutSeconds: {{ $svc.probes.readiness.timeoutSeconds }}
{{- end -}}
