/**
 * Rule-tester cases for secret literals in a chart's values.yaml under a key no template of the
 * chart reads (../../../src/rules/helm/unread-values.ts): made-up charts written for these tests,
 * spread into the `secrets/hardcoded-password` cases.
 */
import type { InvalidCase } from '../../helpers/rule-tester.js'

const CHART = 'apiVersion: v2\nname: tracker\nversion: 1.0.0\n'
/** Database settings of which the chart's Secret reads none (it reads `database.auth.*`); `password` is line 4. */
const VALUES = 'db:\n  name: tracker\n  user: tracker\n  password: tracker\ndatabase:\n  auth:\n    username: tracker\n'
const PASSWORD_LINE = 4
/** A Secret template reading the given value expression. */
const secret = (expression: string): string =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-db\nstringData:\n  username: {{ .Values.database.auth.username | quote }}\n  password: {{ ${expression} }}\n`
/** The chart with its values, its Secret template reading `expression`, and more files. */
const chart = (expression: string, more: Record<string, string> = {}): Record<string, string> => ({
  'deploy/tracker/Chart.yaml': CHART,
  'deploy/tracker/values.yaml': VALUES,
  'deploy/tracker/templates/secret.yaml': secret(expression),
  ...more
})

export const unreadValuesCases: InvalidCase[] = [
  {
    name: 'a password under a values key no template reads: info, saying so',
    files: chart('.Values.database.auth.password | default (randAlphaNum 16) | quote'),
    errors: [{ path: 'deploy/tracker/values.yaml', line: PASSWORD_LINE, severity: 'info', message: /^Hard-coded password: literal value for `password`, the same as `name` beside it \(info: no template of the chart reads `db\.password` or a map holding it, so this value sets no credential\)\.$/ }]
  },
  {
    name: 'a template hands `.Values` on under its own name and sets a key of it: info still, as the helper reads `.Values.x` as written',
    files: chart('.Values.database.auth.password | quote', {
      'deploy/tracker/templates/_helpers.tpl': '{{- define "tracker.pullPolicy" -}}\n{{ .pullPolicy | default .Values.global.pullPolicy }}\n{{- end -}}\n{{- define "tracker.cert" -}}\n{{- $_ := set .Values "_cert" "x" -}}\n{{- end -}}\n',
      'deploy/tracker/templates/job.yaml': 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  imagePullPolicy: {{ include "tracker.pullPolicy" (dict "pullPolicy" .Values.database.pullPolicy "Values" .Values) }}\n'
    }),
    errors: [{ path: 'deploy/tracker/values.yaml', line: PASSWORD_LINE, severity: 'info' }]
  },
  {
    name: "a chart's default nothing reads: info, dropping the words on every install sharing it",
    files: chart('.Values.database.auth.password | quote', { 'deploy/tracker/values.yaml': `${VALUES}legacy:\n  adminPassword: "Registry9876"\n` }),
    errors: [
      { path: 'deploy/tracker/values.yaml', line: PASSWORD_LINE, severity: 'info' },
      { path: 'deploy/tracker/values.yaml', line: 9, severity: 'info', message: /^Hard-coded password: literal value for `adminPassword`, a chart's default, which every install that does not override it shares \(info: no template of the chart reads `legacy\.adminPassword` or a map holding it, so this value sets no credential\)\.?$/ }
    ]
  },
  ...[
    ['a template reads the key', '.Values.db.password | quote'],
    ['a template renders its map whole', 'toYaml .Values.db | nindent 4'],
    ['a template reads it off the root variable', '$.Values.db.password | b64enc'],
    ['a template reads it by name', 'index .Values "db" "password"'],
    ['a template hands `.Values` whole to a helper', 'include "tracker.password" .Values']
  ].map(([what, expression]) => ({
    name: `${what}: medium, unchanged`,
    files: chart(expression!),
    errors: [{ path: 'deploy/tracker/values.yaml', line: PASSWORD_LINE, severity: 'medium' as const, message: /\(a default login: medium\)\.$/ }]
  })),
  {
    name: 'a subchart named by the key reads it: medium, unchanged',
    files: chart('.Values.database.auth.password | quote', { 'deploy/tracker/Chart.yaml': `${CHART}dependencies:\n  - name: postgresql\n    alias: db\n    version: 12.1.0\n` }),
    errors: [{ path: 'deploy/tracker/values.yaml', line: PASSWORD_LINE, severity: 'medium' as const }]
  },
  {
    name: "the chart's templates not in view: medium, unchanged",
    files: { 'deploy/tracker/Chart.yaml': CHART, 'deploy/tracker/values.yaml': VALUES },
    errors: [{ path: 'deploy/tracker/values.yaml', line: PASSWORD_LINE, severity: 'medium' as const }]
  }
]
