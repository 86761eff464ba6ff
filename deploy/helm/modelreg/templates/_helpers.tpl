{{/* Names and labels shared by every template. */}}
{{- define "modelreg.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 50 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "modelreg.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "modelreg.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "modelreg.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}{{ default (include "modelreg.fullname" .) .Values.serviceAccount.name }}{{- else -}}{{ default "default" .Values.serviceAccount.name }}{{- end -}}
{{- end -}}

{{/* The Secret the chart writes for evaluation installs (no existingSecret given). */}}
{{- define "modelreg.secretName" -}}{{ include "modelreg.fullname" . }}-connections{{- end -}}

{{/* Environment every container shares: the ConfigMap, then connection secrets. */}}
{{- define "modelreg.connectionEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.postgres.existingSecret | default (include "modelreg.secretName" .) }}
      key: {{ if .Values.postgres.existingSecret }}{{ .Values.postgres.urlKey }}{{ else }}databaseUrl{{ end }}
- name: S3_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ .Values.s3.existingSecret | default (include "modelreg.secretName" .) }}
      key: accessKeyId
- name: S3_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.s3.existingSecret | default (include "modelreg.secretName" .) }}
      key: secretAccessKey
{{- if .Values.kafka.sasl.mechanism }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ required "kafka.sasl.existingSecret is required with kafka.sasl.mechanism" .Values.kafka.sasl.existingSecret }}
      key: {{ .Values.kafka.sasl.passwordKey }}
{{- end }}
{{- end -}}

{{- define "modelreg.tlsVolumeMount" -}}
{{- if .Values.kafka.tls.enabled }}
- name: kafka-tls
  mountPath: /etc/modelreg/kafka-tls
  readOnly: true
{{- end }}
{{- if .Values.eventKeys.existingSecret }}
- name: event-keys
  mountPath: /etc/modelreg/event-keys
  readOnly: true
{{- end }}
{{- end -}}

{{- define "modelreg.volumes" -}}
- name: tmp
  emptyDir: {}
{{- if .Values.kafka.tls.enabled }}
- name: kafka-tls
  secret:
    secretName: {{ required "kafka.tls.existingSecret is required with kafka.tls.enabled" .Values.kafka.tls.existingSecret }}
{{- end }}
{{- if .Values.eventKeys.existingSecret }}
- name: event-keys
  secret:
    secretName: {{ .Values.eventKeys.existingSecret }}
    defaultMode: 0400
{{- end }}
{{- end -}}
