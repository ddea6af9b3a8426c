// findDirectives skips the YAML parse of files that hold no directive word and no backslash, and
// the comment scan of files that hold no directive word: these tests show the skip loses nothing,
// including directives whose key or value is spelled with escapes.
import { findDirectives } from '../src/settings/directives.js'
import type { FileKind } from '../src/types.js'

const file = (path: string, kind: FileKind, content: string) => ({ path, kind, content })
const summary = (path: string, kind: FileKind, content: string) => findDirectives(file(path, kind, content)).map((d) => `${d.form} ${d.ids.join(',')}@${d.line}`)

const CFN_JSON = (meta: string) =>
  `{\n  "Resources": {\n    "Site": {\n      "Type": "AWS::S3::Bucket",\n      "Metadata": ${meta},\n      "Properties": { "AccessControl": "PublicRead" }\n    }\n  }\n}\n`

describe('directive prefilter', () => {
  it('finds Metadata.preflight.ignore written plainly and with JSON escapes in the key', () => {
    expect(summary('t.json', 'cloudformation', CFN_JSON('{ "preflight": { "ignore": ["cfn/s3-no-versioning"] } }'))).toEqual(['Metadata.preflight.ignore cfn/s3-no-versioning@5'])
    // "\u0070reflight" is "preflight": the word is not in the text, a backslash is.
    const escaped = CFN_JSON('{ "\\u0070reflight": { "ign\\u006fre": ["cfn/s3-no-versioning"] } }')
    expect(escaped.includes('preflight')).toBe(false)
    expect(summary('t.json', 'cloudformation', escaped)).toEqual(['Metadata.preflight.ignore cfn/s3-no-versioning@5'])
  })

  it('finds Metadata.checkov.skip in YAML whose key is a double-quoted escape', () => {
    const yaml = 'Resources:\n  Site:\n    Type: AWS::S3::Bucket\n    Metadata:\n      "\\x63heckov":\n        skip:\n          - id: CKV_AWS_20\n            comment: public website\n'
    expect(yaml.includes('checkov')).toBe(false)
    expect(summary('t.yaml', 'cloudformation', yaml)).toEqual(['Metadata.checkov.skip CKV_AWS_20@7'])
  })

  it('finds the cfn_nag, guard and cfn-lint keys written with escapes of `a`, `_` and `-`', () => {
    const nag = CFN_JSON('{ "cfn_n\\u0061g": { "rules_to_suppress": [{ "id": "W31", "reason": "static site" }] } }')
    const guard = CFN_JSON('{ "gu\\u0061rd": { "SuppressedRules": ["S3_BUCKET_PUBLIC_READ_ACL"] } }')
    const lint = CFN_JSON('{ "cfn\\u002dlint": { "config": { "ignore_checks": ["W3045"] } } }')
    for (const text of [nag, guard, lint]) expect(['cfn_nag', 'guard', 'cfn-lint'].some((w) => text.includes(w))).toBe(false)
    expect(summary('t.json', 'cloudformation', nag)).toEqual(['Metadata.cfn_nag.rules_to_suppress W31@5'])
    expect(summary('t.json', 'cloudformation', guard)).toEqual(['Metadata.guard.SuppressedRules S3_BUCKET_PUBLIC_READ_ACL@5'])
    expect(summary('t.json', 'cloudformation', lint)).toEqual(['Metadata.cfn-lint.config.ignore_checks W3045@5'])
  })

  it('finds a YAML key whose double-quoted text a backslash at the end of a line joins', () => {
    const yaml = 'Resources:\n  Site:\n    Type: AWS::S3::Bucket\n    Metadata:\n      ? "cfn_\\\n        nag"\n      : rules_to_suppress:\n          - id: W31\n            reason: static site\n'
    expect(yaml.includes('cfn_nag')).toBe(false)
    expect(summary('t.yaml', 'cloudformation', yaml)).toEqual(['Metadata.cfn_nag.rules_to_suppress W31@8'])
  })

  it('finds a "//" preflight:ignore in .tf.json written with an escape', () => {
    const json = '{\n  "resource": {\n    "aws_s3_bucket": {\n      "b": {\n        "//": "pre\\u0066light:ignore tf/x -- why",\n        "bucket": "b"\n      }\n    }\n  }\n}\n'
    expect(json.includes('preflight')).toBe(false)
    expect(summary('main.tf.json', 'terraform', json)).toEqual(['"//" preflight:ignore tf/x@5'])
  })

  it('reads a Helm template that opens with `{{` as commented YAML, not as JSON', () => {
    const template = '{{- if .Values.enabled }}\napiVersion: v1\nkind: Pod\nspec:\n  # preflight:ignore k8s/privileged-container -- node agent\n  containers:\n    - name: c\n      image: "{{ .Values.image }}"\n{{- end }}\n'
    expect(summary('chart/templates/pod.yaml', 'helm', template)).toEqual(['preflight:ignore k8s/privileged-container@5'])
  })

  it('finds each comment form, tfsec in any case', () => {
    const tf = '# TFSEC:IGNORE:aws-s3-enable-versioning\nresource "aws_s3_bucket" "b" {\n  bucket = "b" # trivy:ignore:AVD-AWS-0089\n}\n'
    expect(summary('main.tf', 'terraform', tf)).toEqual(['tfsec:ignore aws-s3-enable-versioning@1', 'trivy:ignore AVD-AWS-0089@3'])
    const docker = '# hadolint ignore=DL3008\nRUN apt-get install -y curl\n'
    expect(summary('Dockerfile', 'dockerfile', docker)).toEqual(['hadolint ignore DL3008@1'])
    const k8s = '# kics-scan ignore-line\nkind: Pod\n'
    expect(summary('pod.yaml', 'kubernetes', k8s)).toEqual(['kics-scan ignore-line *@1'])
    const wf = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest # zizmor: ignore[unpinned-uses]\n'
    expect(summary('.github/workflows/a.yml', 'workflow', wf)).toEqual(['zizmor: ignore unpinned-uses@4'])
  })

  it('a file with none of the words and no backslash has no directive and is the common case', () => {
    expect(summary('t.json', 'cloudformation', CFN_JSON('{ "note": "nothing here" }'))).toEqual([])
    expect(summary('main.tf', 'terraform', 'resource "a" "b" {} # just a comment\n')).toEqual([])
  })
})
