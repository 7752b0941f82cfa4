{{/* Chart name. */}}
{{- define "parley.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-qualified name, kept short so "<fullname>-chat-orchestrator" fits in 63 characters. */}}
{{- define "parley.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of one component (service, dependency or job). Args: dict root component. */}}
{{- define "parley.componentName" -}}
{{- printf "%s-%s" (include "parley.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels that select the pods of one component. Args: dict root component. */}}
{{- define "parley.selectorLabels" -}}
app.kubernetes.io/name: {{ include "parley.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Labels of every object of one component. Args: dict root component. */}}
{{- define "parley.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "parley.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: parley
{{- end -}}

{{/* Labels of the pods of one component (no chart version: a chart bump alone does not restart pods). */}}
{{- define "parley.podLabels" -}}
{{ include "parley.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: parley
{{- end -}}

{{/* Labels of release-wide objects (no component). */}}
{{- define "parley.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "parley.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: parley
{{- end -}}

{{- define "parley.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "parley.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Names of the services, sorted, so every loop renders in the same order. */}}
{{- define "parley.serviceNames" -}}
{{- keys .Values.services | sortAlpha | join "," -}}
{{- end -}}

{{/*
Deep merge of two maps, "over" winning; returns YAML. Unlike sprig's merge/mergeOverwrite it keeps
false and 0 from "over" (mergo treats them as empty). Args: dict base over.
*/}}
{{- define "parley.merge" -}}
{{- $out := deepCopy .base -}}
{{- range $key, $value := .over -}}
{{- $current := index $out $key -}}
{{- if and (kindIs "map" $value) (kindIs "map" $current) -}}
{{- $_ := set $out $key (include "parley.merge" (dict "base" $current "over" $value) | fromYaml) -}}
{{- else -}}
{{- $_ := set $out $key $value -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/* Settings of one service: serviceDefaults deep-merged with services.<name>; YAML. Args: dict root name. */}}
{{- define "parley.service" -}}
{{- include "parley.merge" (dict "base" .root.Values.serviceDefaults "over" (index .root.Values.services .name)) -}}
{{- end -}}

{{/* Image of one service, pinned by tag (and by digest if image.digests has one). Args: dict root name. */}}
{{- define "parley.image" -}}
{{- $image := .root.Values.image -}}
{{- $tag := default .root.Chart.AppVersion $image.tag -}}
{{- if eq $tag "latest" -}}
{{- fail "image.tag: \"latest\" is not allowed, pin a version" -}}
{{- end -}}
{{- $ref := printf "%s/%s-%s:%s" $image.registry $image.repository .name $tag -}}
{{- with index (default dict $image.digests) .name -}}
{{- $ref = printf "%s@%s" $ref . -}}
{{- end -}}
{{- $ref -}}
{{- end -}}

{{/* Secret and key holding DATABASE_URL; YAML {name, key}. */}}
{{- define "parley.postgresSecret" -}}
{{- if .Values.bundled.postgres.enabled -}}
name: {{ include "parley.componentName" (dict "root" . "component" "postgres") }}
key: DATABASE_URL
{{- else -}}
name: {{ required "postgres.existingSecret is required (a Secret holding DATABASE_URL) unless bundled.postgres.enabled" .Values.postgres.existingSecret }}
key: {{ .Values.postgres.urlKey }}
{{- end -}}
{{- end -}}

{{/* Kafka bootstrap servers. */}}
{{- define "parley.kafkaBrokers" -}}
{{- if .Values.bundled.kafka.enabled -}}
{{- printf "%s:9092" (include "parley.componentName" (dict "root" . "component" "kafka")) -}}
{{- else -}}
{{- required "kafka.brokers is required unless bundled.kafka.enabled" .Values.kafka.brokers -}}
{{- end -}}
{{- end -}}

{{/* Variables the chart sets itself; values env maps may not set them again. */}}
{{- define "parley.managedEnv" -}}
NODE_ENV,LOG_LEVEL,HOST,PORT,DEPLOYMENT_MODE,SHUTDOWN_GRACE_MS,REDIS_URL,KAFKA_BROKERS,KAFKA_SSL,KAFKA_SASL_MECHANISM,KAFKA_SASL_USERNAME,KAFKA_SASL_PASSWORD,KAFKA_TOPIC_PREFIX,KAFKA_TOPIC_PARTITIONS,KAFKA_TOPIC_REPLICATION_FACTOR,BUS_MAX_RETRIES,BUS_RETRY_BACKOFF_MS,BUS_REQUEST_TIMEOUT_MS,DATABASE_URL,DATABASE_POOL_MAX,DATABASE_SSL,MIGRATE_ON_START,OTEL_EXPORTER_OTLP_ENDPOINT,OTEL_TRACES_SAMPLER_ARG,FEATURE_GEN_AI_TRACE_CONTENT,NODE_EXTRA_CA_CERTS,ANALYTICS_PROVIDER,ANALYTICS_CONSENT_DEFAULT,POSTHOG_HOST,POSTHOG_API_KEY,MIXPANEL_HOST,MIXPANEL_TOKEN,AUDIT_RETENTION_DAYS,AUDIT_RETENTION_INTERVAL_MS,AUDIT_EXPORT_MAX_ROWS
{{- end -}}

{{/*
Environment of one service's container (also used by the migration Job with name "tenant").
Secrets are only ever referenced (secretKeyRef), never inlined. Args: dict root name svc.
*/}}
{{- define "parley.env" -}}
{{- $v := .root.Values -}}
{{- $svc := .svc -}}
- name: NODE_ENV
  value: {{ $v.nodeEnv | quote }}
- name: LOG_LEVEL
  value: {{ default $v.logLevel $svc.logLevel | quote }}
- name: HOST
  value: "0.0.0.0"
- name: PORT
  value: {{ $svc.port | int | quote }}
- name: DEPLOYMENT_MODE
  value: {{ $v.deploymentMode | quote }}
- name: SHUTDOWN_GRACE_MS
  value: {{ $v.shutdown.graceMs | int | quote }}
- name: REDIS_URL
{{- if $v.bundled.redis.enabled }}
  value: {{ printf "redis://%s:6379" (include "parley.componentName" (dict "root" .root "component" "redis")) | quote }}
{{- else }}
  valueFrom:
    secretKeyRef:
      name: {{ required "redis.existingSecret is required (a Secret holding REDIS_URL) unless bundled.redis.enabled" $v.redis.existingSecret }}
      key: {{ $v.redis.urlKey }}
{{- end }}
- name: KAFKA_BROKERS
  value: {{ include "parley.kafkaBrokers" .root | quote }}
{{- $kafka := $v.kafka -}}
{{- if $v.bundled.kafka.enabled -}}
{{- $kafka = dict "ssl" false "sasl" (dict "mechanism" "none") "topicPrefix" $v.kafka.topicPrefix "topicPartitions" $v.kafka.topicPartitions "replicationFactor" 1 -}}
{{- end }}
- name: KAFKA_SSL
  value: {{ $kafka.ssl | toString | quote }}
- name: KAFKA_SASL_MECHANISM
  value: {{ $kafka.sasl.mechanism | quote }}
{{- if ne $kafka.sasl.mechanism "none" }}
{{- $secret := required "kafka.sasl.existingSecret is required when kafka.sasl.mechanism is not none" $kafka.sasl.existingSecret }}
- name: KAFKA_SASL_USERNAME
{{- if $kafka.sasl.usernameKey }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $kafka.sasl.usernameKey }}
{{- else }}
  value: {{ required "kafka.sasl.username or kafka.sasl.usernameKey is required when kafka.sasl.mechanism is not none" $kafka.sasl.username | quote }}
{{- end }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $kafka.sasl.passwordKey }}
{{- end }}
- name: KAFKA_TOPIC_PREFIX
  value: {{ $kafka.topicPrefix | quote }}
- name: KAFKA_TOPIC_PARTITIONS
  value: {{ $kafka.topicPartitions | int | quote }}
- name: KAFKA_TOPIC_REPLICATION_FACTOR
  value: {{ $kafka.replicationFactor | int | quote }}
- name: BUS_MAX_RETRIES
  value: {{ $v.bus.maxRetries | int | quote }}
- name: BUS_RETRY_BACKOFF_MS
  value: {{ $v.bus.retryBackoffMs | int | quote }}
- name: BUS_REQUEST_TIMEOUT_MS
  value: {{ $v.bus.requestTimeoutMs | int | quote }}
{{- if $svc.database }}
{{- $pg := include "parley.postgresSecret" .root | fromYaml }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $pg.name }}
      key: {{ $pg.key }}
- name: DATABASE_POOL_MAX
  value: {{ $v.postgres.poolMax | int | quote }}
- name: DATABASE_SSL
  value: {{ and $v.postgres.ssl (not $v.bundled.postgres.enabled) | toString | quote }}
{{- end }}
{{- if eq .name "tenant" }}
- name: MIGRATE_ON_START
  value: "false"
{{- end }}
{{- if eq .name "analytics" }}
{{- $a := $v.analytics }}
- name: ANALYTICS_PROVIDER
  value: {{ $a.provider | quote }}
- name: ANALYTICS_CONSENT_DEFAULT
  value: {{ $a.consentDefault | quote }}
{{- if eq $a.provider "posthog" }}
- name: POSTHOG_HOST
  value: {{ $a.posthog.host | quote }}
- name: POSTHOG_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $a.posthog.apiKeySecret.name }}
      key: {{ $a.posthog.apiKeySecret.key }}
{{- end }}
{{- if eq $a.provider "mixpanel" }}
- name: MIXPANEL_HOST
  value: {{ $a.mixpanel.host | quote }}
- name: MIXPANEL_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ $a.mixpanel.tokenSecret.name }}
      key: {{ $a.mixpanel.tokenSecret.key }}
{{- end }}
- name: AUDIT_RETENTION_DAYS
  value: {{ $a.audit.retentionDays | int | quote }}
- name: AUDIT_RETENTION_INTERVAL_MS
  value: {{ $a.audit.retentionIntervalMs | int | quote }}
- name: AUDIT_EXPORT_MAX_ROWS
  value: {{ $a.audit.exportMaxRows | int | quote }}
{{- end }}
{{- with $v.observability.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
- name: OTEL_TRACES_SAMPLER_ARG
  value: {{ $v.observability.tracesSampleRatio | toString | quote }}
{{- end }}
{{- if $v.observability.tenantContentOptIn }}
- name: FEATURE_GEN_AI_TRACE_CONTENT
  value: "false"
{{- end }}
{{- if $v.tls.extraCaBundle.existingSecret }}
- name: NODE_EXTRA_CA_CERTS
  value: /etc/parley/ca/{{ $v.tls.extraCaBundle.key }}
{{- end }}
{{- $managed := include "parley.managedEnv" .root | splitList "," -}}
{{- $plain := merge (deepCopy (default dict $svc.env)) (default dict $v.env) -}}
{{- range $name := keys $plain | sortAlpha }}
{{- if has $name $managed }}
{{- fail (printf "env.%s: %s is set by the chart; use the dedicated value instead (see values.yaml)" $name $name) }}
{{- end }}
- name: {{ $name }}
  value: {{ index $plain $name | toString | quote }}
{{- end }}
{{- $fromSecret := merge (deepCopy (default dict $svc.envFromSecret)) (default dict $v.envFromSecret) -}}
{{- range $name := keys $fromSecret | sortAlpha }}
{{- if or (has $name $managed) (hasKey $plain $name) }}
{{- fail (printf "envFromSecret.%s: %s is already set (by the chart or by env)" $name $name) }}
{{- end }}
{{- $ref := index $fromSecret $name }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.name }}
      key: {{ $ref.key }}
{{- end }}
{{- end -}}

{{/* Hardened container securityContext shared by every container of the chart. */}}
{{- define "parley.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
privileged: false
capabilities:
  drop: [ALL]
{{- end -}}

{{/* Pod securityContext. Args: dict uid gid fsGroup (any may be null). */}}
{{- define "parley.podSecurityContext" -}}
runAsNonRoot: true
{{- if not (kindIs "invalid" .uid) }}
runAsUser: {{ .uid | int }}
{{- end }}
{{- if not (kindIs "invalid" .gid) }}
runAsGroup: {{ .gid | int }}
{{- end }}
{{- if not (kindIs "invalid" .fsGroup) }}
fsGroup: {{ .fsGroup | int }}
{{- end }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Volumes every service pod mounts: a writable /tmp and the optional CA bundle. */}}
{{- define "parley.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- with .Values.tls.extraCaBundle.existingSecret }}
- name: extra-ca
  secret:
    secretName: {{ . }}
{{- end }}
{{- end -}}

{{- define "parley.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.tls.extraCaBundle.existingSecret }}
- name: extra-ca
  mountPath: /etc/parley/ca
  readOnly: true
{{- end }}
{{- end -}}

{{/*
Whether the migration Job is a Helm hook (pre-install,pre-upgrade). It is, except when installing with
bundled dependencies: they do not exist before the install, so a pre-install hook could never reach
them, and a post-install hook would deadlock `helm install --wait` (the services wait for the schema).
Then it is a plain Job, parley-migrate-install, created with the dependencies and retried until they are up.
*/}}
{{- define "parley.migrationIsHook" -}}
{{- $bundled := or .Values.bundled.postgres.enabled .Values.bundled.redis.enabled .Values.bundled.kafka.enabled -}}
{{- if or (not $bundled) .Release.IsUpgrade -}}true{{- end -}}
{{- end -}}

{{- define "parley.migrationJobName" -}}
{{- include "parley.componentName" (dict "root" . "component" (ternary "migrate" "migrate-install" (eq (include "parley.migrationIsHook" .) "true"))) -}}
{{- end -}}
