/**
 * Which paths hold samples rather than what a repository deploys: test, fixture, mock and example
 * trees, documentation, and test files by their language's naming. The secret scan reports
 * sample values there as `info` (unless a value has a real credential's shape), and every other
 * finding in a test or fixture tree is `info` too: a template made to fail a policy test, a
 * rendered chart kept as a test's expected output, is not what ships. Also the one sample a file's
 * content shows though its path does not: an API description's examples (`apiExampleLines`).
 */
import type { Finding } from '../types.js'

/** Test, fixture, mock, sample and example trees (and see `inNamedSampleFolder`; with folders of test certificates and keys: `test-certs/`, `testkeys/`), CI and archived folders, and documentation: sample values live there on purpose. */
/**
 * Folders only tests use, by name: the one list both SAMPLE_PATH and TEST_TREE take in (`suites/`: a
 * project's end-to-end suites, each a stack of its own; `playwright/` and `cypress/` only with one of
 * the browser test frameworks' own subfolders below, since a cluster or a deployed browser server may
 * bear either name; `text-fixtures/` is a misspelt `test-fixtures/` Terraform providers keep; `.snapshots/`
 * holds Go snapshot tests' expected output).
 */
const TEST_FOLDER_NAMES = String.raw`__tests__|e2e|(?:test[-_]?)?suites|(?:playwright|cypress)\/(?:data|fixtures|support|e2e|integration|tests?|specs?|helpers|pages|plugins|component|mocks?)|(?:text|acc|golden|e2e|integration|unit)[-_]fixtures?|\.?fixtures?|__fixtures__|\.(?:chainsaw|kyverno)-test|unittests?|_?testdata|test[-_]?(?:utils?|helpers)|test[-_]?(?:resources|data|fixtures|files|assets|manifests|cases|values|certs?|keys|tls|pki)|(?:[a-z0-9]{1,40}[-_])?(?:integration|e2e|unit|smoke|functional|conformance)[-_]?tests?|integration\/resources|__mocks__|\.snapshots`
const SAMPLE_PATH = new RegExp(String.raw`(?:^|\/)(?:\.?ci|tests?|testing|examples?|samples?|mocks?|fakes?|stubs?|dummy|docs?|demos|demo-setups?|snippets|__snapshots__|_?archived|${TEST_FOLDER_NAMES})\/|\.(?:md|markdown|rst|adoc|snap)(?:\.(?:gotmpl|tmpl|tpl|j2))?$`, 'i')
/** SAM keeps the test payloads of `sam local invoke -e events/…` in `events/*.json`. */
const SAM_EVENT = /(?:^|\/)events\/[^/]+\.json$/
/**
 * The logs of a conformance certification's test runs (`internal/certification/…/OP-claims-essential.txt`,
 * an OpenID test tool's trace): text and logs only, since a `certification/` folder may also keep a
 * service's own TLS key.
 */
const isCertificationLog = (path: string): boolean => /\.(?:txt|log)$/.test(path) && /(?:^|\/)certification\//.test(path)
/**
 * Test files and test doubles by their language's naming convention: `token_test.go`, `mock.go`, `auth_session_fixtures.go`, `auth.spec.ts`, `test_db.py`, `DbTest.java`,
 * a Rust module's `tests.rs` (`#[cfg(test)] mod tests;`; a Rust file otherwise named for tests is read by `testModuleLines`),
 * key material named for tests (`test-cert.pem`, `testkey.pem`, `test_ca.key`; not `test_api.example.com.key`, a test environment's),
 * and the dotenv file a framework loads for its tests (`.env.test`; not `.env.test.local`, a developer's own, never committed).
 * Tested on the file name alone (`isTestFileName`): no alternative holds a `/`.
 */
const TEST_FILE_NAME = /^(?:[^/]+_test\.(?:go|py|pem|key|crt|cer|p12)|(?:[^/]+_)?fixtures?\.go|test[-_]?(?:key|cert|ca)(?:[-_][^/]+)?\.(?:pem|key|crt|cer|p12)|(?:mock|fake)[^/]*\.go|[^/]+_(?:mock|fake)\.go|mocks?\.[cm]?[jt]sx?|[^/]+\.(?:test|spec|(?:client|server|unit|e2e|integration|browser)[-_]?test)\.[cm]?[jt]sx?|(?:vitest|jest)[-_.]?[Ss]etup[^/]*\.[cm]?[jt]sx?|setup[-_]?[Tt]ests?\.[cm]?[jt]sx?|test_[^/]+\.py|tests\.rs|[^/]+_spec\.rb|[^/]+Tests?\.(?:java|kt|cs|scala)|\.env\.(?:test|testing))$/

function isTestFileName(path: string): boolean {
  return TEST_FILE_NAME.test(path.slice(path.lastIndexOf('/') + 1))
}

/**
 * Sample files by name: `config.yml.example`, `.env.sample`, `example.env`, `examples-1.json`, and env templates
 * (`.env.template`, `.env.dist`). A plain `*.template` is left out: CloudFormation templates use it.
 */
function isSampleName(name: string): boolean {
  const lower = name.toLowerCase()
  if (/\.(?:example|sample)$/.test(lower) || /^(?:example|sample)\.env$/.test(lower)) return true
  // `examples-1.json`, `sample-values.yaml`: example data by name.
  if (/^(?:examples?|samples?)[-_.][^/]*\.(?:json|ya?ml|toml|ini|conf|properties|tfvars)$/.test(lower)) return true
  const template = /\.(?:template|tmpl|dist)$/.exec(lower)
  return template !== null && lower.slice(0, template.index).split(/[._-]/).includes('env')
}

/** The words a sample folder's name holds as one of its `-`/`_`-separated parts. */
const SAMPLE_FOLDER_WORDS = new Set(['example', 'examples', 'sample', 'samples'])
/** What the other parts of such a name may say the samples are: key material and settings, not a service. */
const SAMPLE_FOLDER_QUALIFIERS = new Set(['ssl', 'tls', 'cert', 'certs', 'certificate', 'certificates', 'key', 'keys', 'pki', 'ca', 'config', 'configs', 'conf', 'settings', 'data', 'files', 'secrets', 'env', 'credentials', 'creds'])

/**
 * A folder named for the samples it holds with a qualifier: `ssl-example/` (a snake-oil key a setup
 * script replaces), `example-certs/`, `tls_sample/`. The word must be a whole part of the name and
 * every other part such a qualifier: `sample-tracker/` or `example-corp/` name a service or a
 * customer, `counterexamples/` and `resampler/` no samples.
 */
function inNamedSampleFolder(path: string): boolean {
  const folders = path.split('/').slice(0, -1)
  return folders.some((folder) => {
    const parts = folder.toLowerCase().split(/[-_]/)
    return parts.length > 1 && parts.some((part) => SAMPLE_FOLDER_WORDS.has(part)) && parts.every((part) => SAMPLE_FOLDER_WORDS.has(part) || SAMPLE_FOLDER_QUALIFIERS.has(part))
  })
}

/**
 * Where a browser test framework saves the session of a real login (Playwright's `storageState`,
 * `playwright/.auth/user.json` in its documentation): cookies and tokens of a live environment,
 * never sample material, whatever tree holds them.
 */
const SAVED_SESSION = /(?:^|\/)\.auth\//

export function isSamplePath(path: string): boolean {
  if (SAVED_SESSION.test(path)) return false
  return SAMPLE_PATH.test(path) || inNamedSampleFolder(path) || SAM_EVENT.test(path) || isCertificationLog(path) || isTestFileName(path) || isCiInput(path) || isSampleName(path.slice(path.lastIndexOf('/') + 1))
}

/** `openapi: 3.0.3` or `swagger: "2.0"` as a top-level key of YAML, or as a key of JSON. */
const API_DESCRIPTION_YAML = /^(?:openapi|swagger)[ \t]*:[ \t]*["']?\d+\.\d/m
const API_DESCRIPTION_JSON = /"(?:openapi|swagger)"[ \t]*:[ \t]*"\d+\.\d/
/** An OpenAPI component schema written as code (`$id: '#/components/schemas/userSchema'`), laid out as pretty-printed JSON. */
const API_SCHEMA_CODE = /^[ \t]*["']?\$id["']?[ \t]*:[ \t]*["'`]#\/components\/schemas\//m
/** Keys under which an API description shows sample data to its readers. */
const EXAMPLE_KEYS = new Set(['example', 'examples', 'x-example', 'x-examples'])
/** The key a YAML or pretty-printed JSON line opens (`- name:`, `"name": {`), if any. */
const LINE_KEY = /^[ \t]*(?:-[ \t]+)?["']?([\w.-]{1,80})["']?[ \t]*:/

/** Why a secret in an API description's example is reported for information, as a noun phrase for messages. */
export const API_EXAMPLE = 'an example of an API description (OpenAPI), shown to its readers'

/**
 * Where a file is documentation by what it holds though its path does not say so: the request
 * and response examples of an OpenAPI or Swagger description (`password: supersecurepw` under an
 * `example:`), or of a component schema written as code, shown to its readers and read by nothing. Returns whether each 1-based line lies
 * under such a key, or undefined for a file that is no API description. The rest of such a
 * document (a server URL, a gateway's settings) is configuration and is not covered. Ancestry is
 * read from indentation, as block YAML and pretty-printed JSON lay it out, in one pass.
 */
export function apiExampleLines(file: { path: string; content: string }): ((line: number) => boolean) | undefined {
  const yaml = /\.ya?ml$/i.test(file.path)
  const code = /\.[cm]?[jt]s$/i.test(file.path)
  if (!yaml && !code && !/\.json$/i.test(file.path)) return undefined
  if (!(yaml ? API_DESCRIPTION_YAML : code ? API_SCHEMA_CODE : API_DESCRIPTION_JSON).test(file.content)) return undefined
  const lines = file.content.split('\n')
  const under = new Uint8Array(lines.length)
  // The open keys above the current line: each with its indentation and whether it is, or lies under, an example.
  const open: { indent: number; example: boolean }[] = []
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]
    const trimmed = text.trimStart()
    const top = open[open.length - 1]
    // Blank lines, comments and JSON's closing brackets open and close nothing (in code, `#` opens a private field).
    if (trimmed === '' || (code ? trimmed.startsWith('//') : trimmed.startsWith('#')) || trimmed.startsWith('}') || trimmed.startsWith(']')) {
      under[i] = top?.example ? 1 : 0
      continue
    }
    // A sequence item (`- a: 1`) sits inside a key written at its own indentation (`examples:` then `- a: 1`).
    const indent = text.length - trimmed.length + (trimmed.startsWith('- ') ? 0.5 : 0)
    while (open.length > 0 && open[open.length - 1].indent >= indent) open.pop()
    const inherited = open.length > 0 && open[open.length - 1].example
    under[i] = inherited ? 1 : 0
    const key = LINE_KEY.exec(text)?.[1]
    open.push({ indent, example: inherited || (key !== undefined && EXAMPLE_KEYS.has(key)) })
  }
  return (line) => under[line - 1] === 1
}

/** Why a secret in a Rust source file's test module is reported for information, as a noun phrase for messages. */
export const TEST_MODULE = 'a Rust test module (`#[cfg(test)]`, or a file of `#[test]` functions named for them), built only for its tests'

/** The attribute that builds what follows only for tests, alone on its line. */
const CFG_TEST = /^[ \t]*#\[cfg\(test\)\][ \t]*$/
/** Another attribute line between it and the module. */
const ATTRIBUTE = /^[ \t]*#\[/
/** A test function's attribute: `#[test]`, `#[tokio::test]`, `#[tokio::test(flavor = "multi_thread")]`. */
const RUST_TEST_FUNCTION = /^[ \t]*#\[(?:\w+::)?test(?:\(|\])/m
/** The module it applies to: `mod tests {`, `pub(crate) mod tests {`. */
const MODULE_OPENS = /^[ \t]*(?:pub(?:\([^)\n]*\))?[ \t]+)?mod[ \t]+\w+[ \t]*\{/

/**
 * The lines of a Rust source file's test modules (`#[cfg(test)] mod tests { … }`), which the
 * compiler builds only for `cargo test`: a test's sample tokens live there, beside the code they
 * test, as they would in a `_test.go` file. The module ends at the first line holding only `}` at
 * the `mod` line's own indentation, as rustfmt writes it; braces are not counted, since strings,
 * characters and comments in a test (`parse("{")`) hold them unmatched. A module with no such line
 * is not read as one: what follows may be the code under test. A whole file is one when it is named
 * for tests (`test_login.rs`, `auth_tests.rs`: the parent declares it `#[cfg(test)] mod …;`), holds
 * `#[test]` functions and no `#[cfg(test)]` of its own: `smoke_test.rs` without a test function is
 * code, and `ab_test.rs`, feature code with a test module inside, is read module by module. Undefined
 * for any other file, or one with no test module. Read line by line: one pass, whatever the file holds.
 */
export function testModuleLines(file: { path: string; content: string }): ((line: number) => boolean) | undefined {
  if (!/\.rs$/.test(file.path)) return undefined
  if (!file.content.includes('#[cfg(test)]')) {
    const named = /(?:^|\/)(?:test_\w+|\w+_tests?)\.rs$/.test(file.path)
    return named && RUST_TEST_FUNCTION.test(file.content) ? () => true : undefined
  }
  const lines = file.content.split('\n')
  const inModule = new Uint8Array(lines.length)
  let found = false
  for (let i = 0; i < lines.length; i++) {
    if (!CFG_TEST.test(lines[i]!)) continue
    let at = i + 1
    while (at < lines.length && ATTRIBUTE.test(lines[at]!)) at++
    if (at >= lines.length || !MODULE_OPENS.test(lines[at]!)) continue
    const indent = /^[ \t]*/.exec(lines[at]!)![0]
    let last = -1
    for (let l = at + 1; l < lines.length; l++) {
      if (lines[l]!.startsWith(indent) && lines[l]!.slice(indent.length).trimEnd() === '}') {
        last = l
        break
      }
    }
    if (last < 0) continue
    inModule.fill(1, i, last + 1)
    found = true
    i = last
  }
  return found ? (line) => inModule[line - 1] === 1 : undefined
}

/** Why a secret in a Go test helper is reported for information, as a noun phrase for messages. */
export const GO_TEST_HELPER = "a Go package's test helper or shared suite (it imports `testing` and takes a test's `*testing.T`), built into tests only"

/** `"testing"` imported alone (`import "testing"`) or on its own line of an import block, maybe named. */
const GO_IMPORTS_TESTING = /^import[ \t]+(?:[\w.]+[ \t]+)?"testing"[ \t]*(?:\/\/.*)?$/m
const GO_IMPORT_OPENS = /^import[ \t]*\(/gm
const GO_TESTING_LINE = /^[ \t]*(?:[\w.]+[ \t]+)?"testing"[ \t]*(?:\/\/.*)?$/m
/** The first top-level declaration: imports come before it. */
const GO_FIRST_DECLARATION = /^(?:func|var|const|type)\b/m
/** A parameter or value of the test framework's own types. */
const GO_TEST_TYPE = /\*testing\.[TBMF]\b|\btesting\.TB\b/

/** `text` without its block comments (an unclosed one runs to the end), in one pass. */
function withoutBlockComments(text: string): string {
  let out = ''
  let at = 0
  for (let open = text.indexOf('/*'); open !== -1; open = text.indexOf('/*', at)) {
    out += text.slice(at, open)
    const close = text.indexOf('*/', open + 2)
    if (close === -1) return out
    at = close + 2
  }
  return out + text.slice(at)
}

/**
 * A Go source file that imports `testing` and uses a test's types (`t *testing.T`), though not named
 * `_test.go`: a shared test suite (`storage/conformance`, run by each storage's own tests) or a test
 * helper package. Its sample values are a test's, as in a `_test.go` file. Only the import section
 * counts (before the first declaration, block comments left out: a code generator's template may
 * spell an import), and never `package main`, a program, which may call `testing.Testing()`.
 * Every line counts; undefined for any other file.
 */
export function goTestHelperLines(file: { path: string; content: string }): ((line: number) => boolean) | undefined {
  if (!file.path.endsWith('.go') || !file.content.includes('"testing"') || !GO_TEST_TYPE.test(file.content)) return undefined
  const first = GO_FIRST_DECLARATION.exec(file.content)
  const imports = withoutBlockComments(file.content.slice(0, first?.index ?? file.content.length))
  if (/^package[ \t]+main\b/m.test(imports)) return undefined
  if (GO_IMPORTS_TESTING.test(imports)) return () => true
  for (const m of imports.matchAll(GO_IMPORT_OPENS)) {
    const from = m.index + m[0].length
    const close = imports.indexOf(')', from)
    if (GO_TESTING_LINE.test(imports.slice(from, close === -1 ? undefined : close))) return () => true
    // An unclosed block runs to the end: nothing after it is read again.
    if (close === -1) break
  }
  return undefined
}

/**
 * Test and fixture trees (`test/`, `testing/` and `acceptance/` among them), test doubles' folders (`fake/`, `mocks/`, `stub/`, `dummy/`,
 * `__mocks__/`: a Go test's `fake.NewFactory("fake/data")` reads its manifests from there), what CI reads from
 * `.github/`, and test files: code and inputs for tests only. Documentation and examples are not among them (an
 * example is what users copy), nor is a `test/`, `acceptance/`, `mock/` or `fake/` folder that is an environment
 * (`envs/test/`, `overlays/mock/`, `environments/acceptance/`), which deploys. Only plural
 * parents count, but `env/`: a chart named `cluster` keeps its tests in `cluster/test/`.
 */
const TEST_TREE = new RegExp(String.raw`(?:^|\/)(?:tests|${TEST_FOLDER_NAMES})\/`, 'i')
const TEST_FOLDER = /(?:^|\/)(?:test(?:ing)?|acceptance|mocks?|fakes?|stubs?|dummy)\//gi
const ENVIRONMENT_PARENT = /(?:^|\/)(?:envs?|environments|stages|accounts|live|deployments|overlays|clusters|regions)\/(?:test(?:ing)?|acceptance|mocks?|fakes?|stubs?|dummy)\/$/i

/**
 * What CI reads from `.github/` besides its workflows and actions: YAML and JSON such as a kind
 * cluster's manifests, a chart test's values or the seed data of an app a test run starts
 * (`kubectl apply -f .github/configs/redis.yaml` in a throwaway cluster). Inputs of tests, not what
 * the repository ships. Terraform, Dockerfiles and other files there keep their findings: an image
 * built or a module applied from there may well ship.
 */
const CI_DIR = /(?:^|\/)\.github\/(?!workflows\/|actions\/)/
/** Configuration GitHub and its bots act on (Dependabot's and Renovate's registries hold real credentials): no test input. */
const BOT_CONFIG = /(?:^|\/)\.github\/(?:dependabot\.ya?ml|renovate\.json5?)$/i
export const isCiInput = (path: string): boolean => CI_DIR.test(path) && /\.(?:ya?ml|json)$/i.test(path) && !BOT_CONFIG.test(path)

export function isTestPath(path: string): boolean {
  if (SAVED_SESSION.test(path)) return false
  if (TEST_TREE.test(path) || isCiInput(path) || isTestFileName(path) || isCertificationLog(path)) return true
  for (const m of path.matchAll(TEST_FOLDER)) {
    if (!ENVIRONMENT_PARENT.test(path.slice(0, m.index + m[0].length))) return true
  }
  return false
}

/**
 * A local development setup (`devenv/`, `.devcontainer/`, `local-environment/`, `hack/` or `tools/` with `dev/`, `develop/` or `local/` below, a Gitpod or other
 * throwaway developer workspace and its `.gitpod.yml`): it runs on a developer's machine or a disposable VM, not where users or data are, so what it does is at most medium.
 */
const DEV_ENV = /(?:^|\/)(?:(?:devenv|dev-env|\.?devcontainer|local-?dev|local[-_](?:env|environment)|(?:hack|tools)\/(?:develop|dev|local)|developer-workspace|dev-workspace|\.?gitpod)\/|\.gitpod\.(?:ya?ml|Dockerfile)$)/i

export function isDevEnvPath(path: string): boolean {
  return DEV_ENV.test(path)
}

/**
 * A finding of any rule but the secret scan's (see `forSamplePath` in ./secrets.ts) in a test or
 * fixture tree: reported as `info`, which does not count toward the verdict; in a local
 * development setup, at most medium. `inTestTree` lets a caller with many findings of one file ask
 * about its path once. `testFile`, when given, says why the file itself is a test's input (`a
 * compose test stack (…)`, see `Language.testFile`): outside a test tree, `info` too, saying so.
 */
export function forTestPath(f: Finding, inTestTree = isTestPath(f.path), testFile?: string): Finding {
  if (f.category === 'secrets' || f.severity === 'info') return f
  if (inTestTree) return asInformation(f, 'a test or fixture path')
  if (testFile !== undefined) return asInformation(f, testFile)
  return forDevEnvPath(f)
}

/** The ways a message names the severity it was given: `(medium)`, `(low: why)`, `(why: low)`, `(why: low.)`, `: medium, as why`. */
const SEVERITY_WORD = '(?:critical|high|medium|low)'
const NAMED_SEVERITY: [RegExp, string][] = [
  [new RegExp(` \\(${SEVERITY_WORD}\\.?\\)`, 'g'), ''],
  [new RegExp(`\\(${SEVERITY_WORD}: `, 'g'), '('],
  [new RegExp(`: ${SEVERITY_WORD}(\\.?)\\)`, 'g'), '$1)'],
  [new RegExp(`: ${SEVERITY_WORD}, as `, 'g'), ', as ']
]

/**
 * `f` as an `info` finding, saying where it is (`where`, a noun phrase). A severity the message
 * already names for itself (`… (… reads as a choice: low)`, `(medium: …)`) would contradict the
 * new one, so it goes; the reason stays.
 */
export function asInformation(f: Finding, where: string): Finding {
  let message = f.message
  for (const [named, kept] of NAMED_SEVERITY) message = message.replace(named, kept)
  return { ...f, severity: 'info', message: `${message} (In ${where}: reported for information.)` }
}

/**
 * A critical or high finding in a local development setup, as medium, and a medium one about
 * immutability (moving tags and versions) as low, saying why; `keeps` leaves it alone (the secret
 * scan's provider keys, as live on a laptop as anywhere).
 */
export function forDevEnvPath(f: Finding, keeps = false): Finding {
  if (keeps || f.severity === 'info' || f.severity === 'low' || !isDevEnvPath(f.path)) return f
  if (f.severity !== 'medium') return { ...f, severity: 'medium', message: `${f.message} (In a local development setup: medium.)` }
  // A `:latest` image or an unpinned tool there changes only a developer's workspace between rebuilds, never what ships.
  if (f.category === 'immutability') return { ...f, severity: 'low', message: `${f.message} (In a local development setup, where a moving version changes only a developer's workspace: low.)` }
  return f
}
