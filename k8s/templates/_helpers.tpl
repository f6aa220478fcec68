{{/* The chart's name. */}}
{{- define "sohbet.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The prefix of every resource name. */}}
{{- define "sohbet.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
What the chart knows about each service: its name, component, the admin API paths it serves, the services it calls,
the secrets it reads (environment variable = secrets.<ref>), whether it signs or redeems tracked links (the link keys
and settings), and the topics it consumes, produces and reads without a consumer group (for KafkaUser
ACLs). This mirrors docs/architecture.md.
*/}}
{{- define "sohbet.catalog" -}}
webhook:
  name: webhook-service
  component: ingestion
  public: true
  apiPaths: []
  calls: [consent]
  internet: false
  secretEnv:
    SOHBET_PEPPER: pepper
    SOHBET_MESSAGE_ID_KEY: messageIdKey
    WHATSAPP_APP_SECRET: whatsappAppSecret
    WHATSAPP_VERIFY_TOKEN: whatsappVerifyToken
    COMMERCE_WEBHOOK_SECRET: commerceSecret
  links: true
  consumes: [privacy.erasure]
  produces: [wa.inbound, wa.status, wa.contact, wa.preference, wa.account, commerce.event, link.click, privacy.erasure-ack, privacy.destruction]
consent:
  name: consent-service
  component: privacy
  public: false
  apiPaths: [/api/consents, /api/identities, /api/dsr, /api/audit, /api/retention, /api/iys, /api/data-inventory, /api/destruction-records, /api/subjects]
  calls: [metrics, segment, campaign]
  internet: false
  secretEnv:
    SOHBET_PEPPER: pepper
    SOHBET_MASTER_KEY: masterKey
    SOHBET_AUDIT_KEY: auditKey
  consumes: [wa.inbound, wa.preference, wa.contact, commerce.event, privacy.erasure-ack, privacy.destruction]
  produces: [consent.change, privacy.erasure, audit.head]
  reads: [audit.head, privacy.destruction.dlq]
metrics:
  name: metrics-service
  component: analytics
  public: false
  apiPaths: [/api/metrics]
  calls: [consent]
  internet: false
  secretEnv:
    SOHBET_KEYWORD_KEY: keywordKey
    SOHBET_MESSAGE_ID_KEY: messageIdKey
  consumes: [wa.status, wa.inbound, wa.account, campaign.message, link.click, commerce.event, consent.change, segment.membership, privacy.erasure]
  produces: [privacy.erasure-ack, privacy.destruction]
segment:
  name: segment-service
  component: segmentation
  public: false
  apiPaths: [/api/segments, /api/profiles]
  calls: [consent]
  internet: false
  secretEnv:
    SOHBET_MESSAGE_ID_KEY: messageIdKey
  consumes: [wa.inbound, wa.status, link.click, commerce.event, campaign.message, consent.change, privacy.erasure]
  produces: [segment.membership, privacy.erasure-ack, privacy.destruction]
campaign:
  name: campaign-service
  component: messaging
  public: false
  apiPaths: [/api/campaigns]
  calls: [consent, segment, metrics]
  internet: true
  secretEnv:
    WHATSAPP_ACCESS_TOKEN: whatsappAccessToken
    SOHBET_MESSAGE_ID_KEY: messageIdKey
  links: true
  consumes: [wa.status, wa.inbound, wa.account, privacy.erasure]
  produces: [campaign.message, privacy.erasure-ack, privacy.destruction]
console:
  name: console-service
  component: console
  public: true
  apiPaths: []
  calls: [consent, metrics, segment, campaign]
  internet: false
  secretEnv: {}
  consumes: []
  produces: []
{{- end }}

{{/* Every topic of the suite (io.sohbet.events.Topics); each has a <topic>.dlq beside it. */}}
{{- define "sohbet.topics" -}}
[wa.inbound, wa.status, wa.contact, wa.preference, wa.account, commerce.event, link.click, campaign.message, consent.change, privacy.erasure, privacy.erasure-ack, segment.membership, audit.head, privacy.destruction]
{{- end }}

{{/* Topics compacted instead of deleted by age (io.sohbet.events.Topics.COMPACTED): the newest record of a key stays. */}}
{{- define "sohbet.compactedTopics" -}}
[audit.head]
{{- end }}

{{/* The resource name of one service: (list $ "webhook"). */}}
{{- define "sohbet.serviceFullname" -}}
{{- $root := index . 0 }}
{{- printf "%s-%s" (include "sohbet.fullname" $root) (index . 1) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels of one service: name and instance only. */}}
{{- define "sohbet.selectorLabels" -}}
{{- $root := index . 0 -}}
{{- $catalog := include "sohbet.catalog" $root | fromYaml -}}
app.kubernetes.io/name: {{ (index $catalog (index . 1)).name }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
{{- end }}

{{/* All labels of one service's objects. */}}
{{- define "sohbet.labels" -}}
{{- $root := index . 0 -}}
{{- $catalog := include "sohbet.catalog" $root | fromYaml -}}
{{ include "sohbet.selectorLabels" . }}
app.kubernetes.io/component: {{ (index $catalog (index . 1)).component }}
app.kubernetes.io/part-of: sohbet
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" $root.Chart.Name $root.Chart.Version | replace "+" "_" }}
{{- end }}

{{/* Labels of objects that belong to the whole suite. */}}
{{- define "sohbet.suiteLabels" -}}
app.kubernetes.io/name: sohbet
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: sohbet
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{/*
A service's effective settings: each top-level key of .Values.defaults, replaced as a whole by the service's own
block when it has one. (list $ "webhook") → YAML.
*/}}
{{- define "sohbet.settings" -}}
{{- $root := index . 0 }}
{{- $svc := index $root.Values.services (index . 1) }}
{{- $out := dict }}
{{- range $k, $v := $root.Values.defaults }}
{{- if hasKey $svc $k }}
{{- $_ := set $out $k (index $svc $k) }}
{{- else }}
{{- $_ := set $out $k $v }}
{{- end }}
{{- end }}
{{- toYaml $out }}
{{- end }}

{{/* The image of one service: (list $ "webhook"). */}}
{{- define "sohbet.image" -}}
{{- $root := index . 0 }}
{{- $catalog := include "sohbet.catalog" $root | fromYaml }}
{{- $tag := default $root.Chart.AppVersion $root.Values.image.tag }}
{{- if eq $root.Values.image.variant "native" }}{{ $tag = printf "%s-native" $tag }}{{ end }}
{{- printf "%s/%s/%s:%s" $root.Values.image.registry $root.Values.image.repositoryPrefix (index $catalog (index . 1)).name $tag }}
{{- end }}

{{/* Kafka bootstrap servers: Strimzi's tls listener (9093) with SASL_SSL, its plain one (9092) with PLAINTEXT. */}}
{{- define "sohbet.kafka" -}}
{{- if .Values.kafka.bootstrapServers }}{{ .Values.kafka.bootstrapServers }}
{{- else }}{{ printf "%s-kafka-bootstrap:%s" .Values.strimzi.clusterName (eq .Values.kafka.securityProtocol "SASL_SSL" | ternary "9093" "9092") }}
{{- end }}
{{- end }}

{{/* The Secret with one service's Kafka login (key sasl.jaas.config): (list $ "webhook"). Strimzi names a KafkaUser's
Secret after it, so the default is the chart's KafkaUser. */}}
{{- define "sohbet.kafkaUserSecret" -}}
{{- $root := index . 0 }}
{{- index $root.Values.kafka.userSecrets (index . 1) | default (include "sohbet.serviceFullname" .) }}
{{- end }}

{{/* The Secret with the CA of the broker's certificate: kafka.ca.secret, else Strimzi's cluster CA when the chart
works with a Strimzi cluster, else none (the JVM's default trust). */}}
{{- define "sohbet.kafkaCaSecret" -}}
{{- if .Values.kafka.ca.secret }}{{ .Values.kafka.ca.secret }}
{{- else if or .Values.strimzi.enabled .Values.strimzi.users.enabled }}{{ printf "%s-cluster-ca-cert" .Values.strimzi.clusterName }}
{{- end }}
{{- end }}

{{/* Topics whose writers are fixed whatever strimzi.users.dlqReplay says: a forged record deletes people everywhere
(privacy.erasure, consent-service only), closes an erasure that deleted nothing (privacy.erasure-ack, the
participants only), changes what people consented to (consent.change, consent-service only) or writes a false KVKK
destruction record (privacy.destruction, the services whose retention jobs destroy only). */}}
{{- define "sohbet.kafkaGuardedTopics" -}}
[privacy.erasure, privacy.erasure-ack, consent.change, privacy.destruction]
{{- end }}

{{/* PostgreSQL host. */}}
{{- define "sohbet.postgresHost" -}}
{{- if .Values.postgres.host }}{{ .Values.postgres.host }}
{{- else }}{{ printf "%s-pg-rw" (include "sohbet.fullname" .) }}
{{- end }}
{{- end }}

{{/* The in-cluster base URL of one service's API: (list $ "consent"); HTTPS with tls.enabled. */}}
{{- define "sohbet.url" -}}
{{- if (index . 0).Values.tls.enabled }}
{{- printf "https://%s:8443" (include "sohbet.serviceFullname" .) }}
{{- else }}
{{- printf "http://%s:8080" (include "sohbet.serviceFullname" .) }}
{{- end }}
{{- end }}

{{/* The API port's name and number: https 8443 with tls.enabled (plain HTTP is not served then), else http 8080. */}}
{{- define "sohbet.apiPortName" -}}
{{- if .Values.tls.enabled }}https{{ else }}http{{ end }}
{{- end }}
{{- define "sohbet.apiPort" -}}
{{- if .Values.tls.enabled }}8443{{ else }}8080{{ end }}
{{- end }}

{{/* The Secret with the PostgreSQL server's CA: postgres.caSecret, else CloudNativePG's <fullname>-pg-ca. */}}
{{- define "sohbet.postgresCaSecret" -}}
{{- if .Values.postgres.caSecret.name }}{{ .Values.postgres.caSecret.name }}
{{- else }}{{ printf "%s-pg-ca" (include "sohbet.fullname" .) }}
{{- end }}
{{- end }}

{{/* The Secret of one service's own certificate (tls.crt, tls.key, ca.crt): (list $ "consent"). */}}
{{- define "sohbet.tlsSecret" -}}
{{- printf "%s-tls" (include "sohbet.serviceFullname" .) }}
{{- end }}

{{/* The non-secret configuration of one service, as environment variables: (list $ "webhook"). */}}
{{/*
webhook-service's body limit, which its ingress gets too (one value: ingress.public.maxBodySize); a different
SOHBET_WEBHOOK_MAX_BODY_SIZE in services.webhook.config would set them apart, so it stops the rendering.
*/}}
{{- define "sohbet.webhookMaxBodySize" -}}
{{- $size := .Values.ingress.public.maxBodySize }}
{{- $override := (.Values.services.webhook.config | default dict).SOHBET_WEBHOOK_MAX_BODY_SIZE }}
{{- if and $override (ne (toString $override) (toString $size)) }}
{{- fail (printf "services.webhook.config.SOHBET_WEBHOOK_MAX_BODY_SIZE (%v) differs from ingress.public.maxBodySize (%v): set only the latter" $override $size) }}
{{- end }}
{{- $size }}
{{- end }}

{{- define "sohbet.configData" -}}
{{- $root := index . 0 }}
{{- $key := index . 1 }}
{{- $svc := index $root.Values.services $key }}
{{- $catalog := include "sohbet.catalog" $root | fromYaml }}
{{- $facts := index $catalog $key }}
{{- $settings := include "sohbet.settings" . | fromYaml }}
{{- $host := include "sohbet.postgresHost" $root }}
{{- $data := dict }}
{{- $_ := set $data "KAFKA_BOOTSTRAP_SERVERS" (include "sohbet.kafka" $root) }}
{{- $_ := set $data "KAFKA_SECURITY_PROTOCOL" $root.Values.kafka.securityProtocol }}
{{- if eq $root.Values.kafka.securityProtocol "SASL_SSL" }}
{{- $_ := set $data "KAFKA_SASL_MECHANISM" $root.Values.kafka.saslMechanism }}
{{- if include "sohbet.kafkaCaSecret" $root }}
{{- $_ := set $data "KAFKA_SSL_TRUSTSTORE_TYPE" $root.Values.kafka.ca.type }}
{{- $_ := set $data "KAFKA_SSL_TRUSTSTORE_LOCATION" (eq $root.Values.kafka.ca.type "PEM" | ternary "/etc/sohbet/kafka-ca/ca.crt" "/etc/sohbet/kafka-ca/ca.p12") }}
{{- end }}
{{- end }}
{{- $_ := set $data "OIDC_AUTH_SERVER_URL" $root.Values.oidc.authServerUrl }}
{{- $_ := set $data "OIDC_CLIENT_ID" (index $root.Values.oidc.clients $key).clientId }}
{{- $_ := set $data "DB_REACTIVE_URL" (printf "postgresql://%s:%v/%s" $host $root.Values.postgres.port $svc.database.name) }}
{{- $_ := set $data "DB_JDBC_URL" (printf "jdbc:postgresql://%s:%v/%s" $host $root.Values.postgres.port $svc.database.name) }}
{{- $_ := set $data "DB_SSL_MODE" $root.Values.postgres.sslMode }}
{{- $_ := set $data "DB_SSL_ROOT_CERT" "/etc/sohbet/db-ca/ca.crt" }}
{{- if $root.Values.tls.enabled }}
{{- /* the tls profile: HTTPS only, calls to the other services over HTTPS (application.properties, %tls) */}}
{{- $_ := set $data "QUARKUS_PROFILE" "prod,tls" }}
{{- if $root.Values.tls.caSecret.name }}
{{- $_ := set $data "TLS_CA_FILE" "/etc/sohbet/tls-ca/ca.crt" }}
{{- end }}
{{- end }}
{{- if $root.Values.swaggerUi.enabled }}
{{- $_ := set $data "QUARKUS_SWAGGER_UI_ENABLED" "true" }}
{{- end }}
{{- if eq $root.Values.image.variant "jvm" }}
{{- /* JVM options: files/jvm.options (the local run's too), then the service's javaOpts (a later option wins); the
file's collector replaces the image's default one (run-java.sh adds -XX:+UseParallelGC unless GC_CONTAINER_OPTIONS
says otherwise) */}}
{{- $fileOpts := include "sohbet.jvmOptions" $root }}
{{- $_ := set $data "JAVA_OPTS_APPEND" (trim (printf "%s %s" $fileOpts (default "" $settings.javaOpts))) }}
{{- with regexFindAll "-XX:\\+Use[A-Za-z0-9]+GC" $fileOpts -1 }}
{{- $_ := set $data "GC_CONTAINER_OPTIONS" (join " " .) }}
{{- end }}
{{- $_ := set $data "MALLOC_ARENA_MAX" "2" }}
{{- end }}
{{- range $facts.calls }}
{{- $_ := set $data (printf "%s_URL" (upper .)) (include "sohbet.url" (list $root .)) }}
{{- end }}
{{- if eq $key "consent" }}
{{- $_ := set $data "SOHBET_MASTER_KEY_ID" $root.Values.secrets.masterKeyId }}
{{- /* self-service privacy over WhatsApp (docs/self-service.md): answered from the number campaigns are sent from */}}
{{- $_ := set $data "SOHBET_SELF_SERVICE_ENABLED" (toString $root.Values.selfService.enabled) }}
{{- if $root.Values.selfService.enabled }}
{{- $_ := set $data "WHATSAPP_PHONE_NUMBER_ID" $root.Values.whatsapp.phoneNumberId }}
{{- end }}
{{- $_ := set $data "SOHBET_AUDIT_KEY_ID" $root.Values.secrets.auditKeyId }}
{{- with $svc.preferencePage }}
{{- if .enabled }}
{{- /* the preference page (docs/preference-page.md): its links point at the public Ingress's host */}}
{{- $_ := set $data "SOHBET_PREFERENCES_BASE_URL" (printf "%s://%s" (ternary "https" "http" (or .tls.enabled false)) .host) }}
{{- /* the person's address, recorded with each change, is X-Forwarded-For's, believed only from the ingress controller */}}
{{- $_ := set $data "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING" "true" }}
{{- $_ := set $data "QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED" "true" }}
{{- $_ := set $data "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES" (join "," $root.Values.ingress.public.trustedProxies) }}
{{- end }}
{{- end }}
{{- with $root.Values.iys }}
{{- if .channels }}
{{- /* İYS (README, İYS): the channels as sohbet.consent.iys.channels.<channel>.*, the user and password from its Secret */}}
{{- $_ := set $data "IYS_BASE_URL" .baseUrl }}
{{- $_ := set $data "IYS_CODE" (toString .iysCode) }}
{{- $_ := set $data "IYS_BRAND_CODE" (toString .brandCode) }}
{{- $_ := set $data "SOHBET_CONSENT_IYS_SYNC_INTERVAL" .syncInterval }}
{{- $_ := set $data "SOHBET_CONSENT_IYS_POLL_INTERVAL" .pollInterval }}
{{- $_ := set $data "SOHBET_CONSENT_IYS_RECONCILE_INTERVAL" .reconcileInterval }}
{{- range $channel, $how := .channels }}
{{- $_ := set $data (printf "SOHBET_CONSENT_IYS_CHANNELS_%s_TYPE" (upper $channel)) $how.type }}
{{- $_ := set $data (printf "SOHBET_CONSENT_IYS_CHANNELS_%s_ENFORCE" (upper $channel)) (toString $how.enforce) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- if $facts.links }}
{{- $_ := set $data "LINK_KEY_ID" $root.Values.links.keyId }}
{{- /* campaign signs links with it; webhook derives when a link was issued from it */}}
{{- $_ := set $data "LINK_LIFETIME" $root.Values.links.lifetime }}
{{- end }}
{{- if eq $key "webhook" }}
{{- $_ := set $data "SOHBET_WEBHOOK_MAX_BODY_SIZE" (include "sohbet.webhookMaxBodySize" $root) }}
{{- $_ := set $data "TRUSTED_PROXIES" (join "," $root.Values.ingress.public.trustedProxies) }}
{{- end }}
{{- if and (eq $key "webhook") $root.Values.links.v1ValidUntil }}
{{- $_ := set $data "LINK_V1_VALID_UNTIL" $root.Values.links.v1ValidUntil }}
{{- end }}
{{- if eq $key "campaign" }}
{{- $_ := set $data "WHATSAPP_PHONE_NUMBER_ID" $root.Values.whatsapp.phoneNumberId }}
{{- $_ := set $data "WHATSAPP_WABA_ID" $root.Values.whatsapp.wabaId }}
{{- $_ := set $data "WHATSAPP_MESSAGES_PER_SECOND" (toString $root.Values.whatsapp.messagesPerSecond) }}
{{- $_ := set $data "WHATSAPP_MESSAGING_LIMIT" (toString $root.Values.whatsapp.messagingLimit) }}
{{- $_ := set $data "LINK_BASE_URL" $root.Values.whatsapp.linkBaseUrl }}
{{- end }}
{{- range $k, $v := $svc.config }}
{{- $_ := set $data $k (toString $v) }}
{{- end }}
{{- toYaml $data }}
{{- end }}

{{/*
The tracked-link keys as environment variables of a service that signs or redeems links: key 0 (LINK_SECRET) and
the id:secret keys (LINK_SECRETS), each only when its Secret is named. Fails when no key is set, or when the signing
key id is 0 without secrets.linkSecret.
*/}}
{{- define "sohbet.linkKeyEnv" -}}
{{- $s := .Values.secrets }}
{{- if not (or $s.linkSecret.name $s.linkSecrets.name) }}
{{- fail "tracked links need a key: set secrets.linkSecret or secrets.linkSecrets" }}
{{- end }}
{{- if and (eq (toString .Values.links.keyId) "0") (not $s.linkSecret.name) }}
{{- fail "links.keyId is 0, which is secrets.linkSecret: name its Secret, or sign with a key of secrets.linkSecrets" }}
{{- end }}
{{- if $s.linkSecret.name }}
- name: LINK_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $s.linkSecret.name }}
      key: {{ $s.linkSecret.key }}
{{- end }}
{{- if $s.linkSecrets.name }}
- name: LINK_SECRETS
  valueFrom:
    secretKeyRef:
      name: {{ $s.linkSecrets.name }}
      key: {{ $s.linkSecrets.key }}
{{- end }}
{{- end }}

{{/*
consent-service's İYS API user (IYS_USERNAME, IYS_PASSWORD) from iys.credentials, with an İYS channel only. Fails
without the Secret's name or the codes (the schema says so first; this guards a schema-less render).
*/}}
{{- define "sohbet.iysEnv" -}}
{{- $iys := .Values.iys }}
{{- if $iys.channels }}
{{- if not $iys.credentials.name }}
{{- fail "iys.channels is set: name the Secret of the brand's İYS API user in iys.credentials.name" }}
{{- end }}
{{- if not (and $iys.iysCode $iys.brandCode) }}
{{- fail "iys.channels is set: iys.iysCode and iys.brandCode are required" }}
{{- end }}
- name: IYS_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $iys.credentials.name }}
      key: {{ $iys.credentials.usernameKey }}
- name: IYS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $iys.credentials.name }}
      key: {{ $iys.credentials.passwordKey }}
{{- end }}
{{- end }}

{{/*
The services' JVM options: files/jvm.options, one option a line, without its # comments, on one line.
*/}}
{{- define "sohbet.jvmOptions" -}}
{{- $options := list }}
{{- range splitList "\n" (.Files.Get "files/jvm.options") }}
{{- $line := trim . }}
{{- if and $line (not (hasPrefix "#" $line)) }}
{{- $options = append $options $line }}
{{- end }}
{{- end }}
{{- join " " $options }}
{{- end }}

{{/*
console-service's non-secret configuration (environment variables): the OIDC provider and its client, the origin
changes must come from, the four APIs it calls, the tls profile, the JVM options, then console.config.
*/}}
{{- define "sohbet.consoleConfig" -}}
{{- $data := dict }}
{{- $_ := set $data "OIDC_AUTH_SERVER_URL" .Values.oidc.authServerUrl }}
{{- $_ := set $data "CONSOLE_CLIENT_ID" .Values.console.client.clientId }}
{{- $_ := set $data "CONSOLE_PUBLIC_ORIGIN" (printf "https://%s" .Values.console.host) }}
{{- /* behind the ingress controller, which ends people's TLS: its X-Forwarded-Proto/-Host/-For are trusted, so the
OIDC redirect URI and the cookies are built for https://<host> even with tls.enabled=false (narrow the trust with
QUARKUS_HTTP_PROXY_TRUSTED_PROXIES in console.config; the NetworkPolicy already lets only the controller in) */}}
{{- $_ := set $data "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING" "true" }}
{{- $_ := set $data "QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED" "true" }}
{{- $_ := set $data "QUARKUS_HTTP_PROXY_ENABLE_FORWARDED_HOST" "true" }}
{{- $_ := set $data "QUARKUS_OIDC_AUTHENTICATION_FORCE_REDIRECT_HTTPS_SCHEME" "true" }}
{{- range (index (include "sohbet.catalog" . | fromYaml) "console").calls }}
{{- $_ := set $data (printf "%s_URL" (upper .)) (include "sohbet.url" (list $ .)) }}
{{- end }}
{{- if .Values.tls.enabled }}
{{- $_ := set $data "QUARKUS_PROFILE" "prod,tls" }}
{{- if .Values.tls.caSecret.name }}
{{- $_ := set $data "TLS_CA_FILE" "/etc/sohbet/tls-ca/ca.crt" }}
{{- end }}
{{- end }}
{{- if eq .Values.image.variant "jvm" }}
{{- $fileOpts := include "sohbet.jvmOptions" . }}
{{- $_ := set $data "JAVA_OPTS_APPEND" (trim (printf "%s %s" $fileOpts (default "" .Values.defaults.javaOpts))) }}
{{- with regexFindAll "-XX:\\+Use[A-Za-z0-9]+GC" $fileOpts -1 }}
{{- $_ := set $data "GC_CONTAINER_OPTIONS" (join " " .) }}
{{- end }}
{{- $_ := set $data "MALLOC_ARENA_MAX" "2" }}
{{- end }}
{{- range $k, $v := .Values.console.config }}
{{- $_ := set $data $k (toString $v) }}
{{- end }}
{{- toYaml $data }}
{{- end }}
