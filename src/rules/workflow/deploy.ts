/**
 * Deploy and release jobs: approval gates (environment), serialized runs (concurrency),
 * a verification or rollback step after the deploy, and failures that are not ignored.
 */
import type { Finding } from '../../types.js'
import { isMap, isScalar, scalarString, type Node, type Pair } from '../parse/yaml.js'
import { actionRepo, dependentsOf, jobTextSome, onGithubHostedRunner, requestsOidc, scalarsUnder, tokenIsReadOnly, type CheckContext } from './context.js'
import { contextPaths, findExpressions, isJobToken, readsSecretBeyondToken } from './expressions.js'
import { RULES } from './meta.js'
import { usesOwnCode, type JobModel, type StepModel } from './model.js'
import { invocationOf, positionals, splitShellCommands } from '../parse/shell-words.js'
import { isLocalWorkflow } from './callees.js'
import { skipsEvent } from './fork-guard.js'
import { lookupTable } from '../../util/lookup-table.js'
import { TEST_SUITE_COMMAND } from '../test-suites.js'

type DeployKind = 'deploy' | 'release'

/**
 * Global flags kubectl, helm and helmfile take before their verb (`kubectl --kubeconfig k apply`,
 * `helm -n prod upgrade`), with or without a value. A value never starts with `-`, so each word
 * has one reading and the match stays linear.
 */
const KUBE_GLOBAL_FLAGS = String.raw`(?:\s+--?\w[\w-]*(?:=\S+|\s+[^\s-]\S*)?){0,8}`
const DEPLOY_COMMAND = new RegExp(
  String.raw`\b(kubectl${KUBE_GLOBAL_FLAGS}\s+(apply|set\s+image|rollout\s+restart|replace)|(terraform|tofu|terragrunt)\s+(run-all\s+)?apply|helm${KUBE_GLOBAL_FLAGS}\s+(upgrade|install)|helmfile${KUBE_GLOBAL_FLAGS}\s+(apply|sync)|pulumi\s+up|cdk\s+deploy|sam\s+deploy|(serverless|sls)\s+deploy|aws\s+ecs\s+update-service|aws\s+cloudformation\s+deploy|aws\s+lambda\s+update-function-code|gcloud\s+(run|app|functions)\s+deploy|az\s+(webapp|containerapp|functionapp)\s+(deploy|update|up)|fly(ctl)?\s+deploy|netlify\s+deploy|firebase\s+deploy|kamal\s+deploy|argocd\s+app\s+sync|ansible-playbook)\b`,
  'i'
)
const RELEASE_COMMAND =
  /\b((npm|yarn|pnpm)\s+publish|twine\s+upload|cargo\s+publish|gem\s+push|docker\s+push|goreleaser|gh\s+release\s+create|mvn\s(?:(?!mvn\s)[^\n])*\bdeploy|gradlew?\s(?:(?!gradlew?\s)[^\n])*publish)\b/i
/**
 * A project's own deploy or release entry point run by a step: `./scripts/deploy.sh`,
 * `make deploy`, `npm run release`. A step's *name* never decides: "Setup Release Variables",
 * "Publish test results" and "Lint deployment manifests" deploy nothing.
 */
const DEPLOY_SCRIPT = /(^|[\s;&|/])(deploy[\w.-]*\.(sh|py|ps1)|(make|just|task)\s+deploy\b|(npm|yarn|pnpm)\s+(run\s+)?deploy\b)/i
const RELEASE_SCRIPT = /(^|[\s;&|/])((release|publish)[\w.-]*\.(sh|py|ps1)|(make|just|task)\s+(release|publish)\b|(npm|yarn|pnpm)\s+(run\s+)?release\b)/i
/**
 * A job id or name alone makes a deploy or release job only when it starts with the word:
 * "Deploy to staging", `publish_main`, but not "Setup Release Variables" or `list_lts_releases`.
 */
const DEPLOY_LABEL = /^deploy/i
const RELEASE_LABEL = /^(release|publish)/i
/**
 * Actions known to do something other than deploying or releasing: set up the runner, move
 * artifacts between jobs, post test results or coverage. A job labelled "Publish test results"
 * whose every step is one of them publishes a report, not a release.
 */
const NOT_SHIPPING_ACTIONS = new Set([
  'actions/checkout',
  'actions/cache',
  'actions/upload-artifact',
  'actions/download-artifact',
  'step-security/harden-runner',
  'enricomi/publish-unit-test-result-action',
  'dorny/test-reporter',
  'mikepenz/action-junit-report',
  'test-summary/action',
  'codecov/codecov-action',
  'coverallsapp/github-action'
])
/**
 * Steps that create a throwaway cluster on the runner: a `kubectl apply` or `helm install` in the
 * same job goes to that test cluster, not to an environment anyone uses.
 */
const EPHEMERAL_CLUSTER_ACTIONS = new Set(['helm/kind-action', 'engineerd/setup-kind', 'container-tools/kind-action', 'medyagh/setup-minikube', 'manusa/actions-setup-minikube', 'absaoss/k3d-action', 'nolar/setup-k3d-k3s'])
const EPHEMERAL_CLUSTER_COMMAND = /\b(kind\s+create\s+cluster|kind\s+load\s+(docker-image|image-archive)|k3d\s+cluster\s+create|minikube\s+start|ctlptl\s+create\s+cluster)\b/
/** Words of a make target that stands up a local test cluster: `make e2e-bootstrap`, `make kind-up`. */
const EPHEMERAL_CLUSTER_TARGET_WORDS = new Set(['e2e', 'kind', 'k3d', 'minikube', 'bootstrap'])
/** Programs whose arguments name targets of the project's own task file. */
const TASK_RUNNERS = new Set(['make', 'just', 'task'])
/**
 * What makes a job reach a cluster that outlives it: a cluster's credentials fetched for the
 * runner, or a kubeconfig read from a secret. A job doing either may deploy there, whatever local
 * cluster it also creates.
 */
const REAL_CLUSTER_ACTIONS = new Set(['azure/k8s-set-context', 'azure/aks-set-context', 'google-github-actions/get-gke-credentials', 'digitalocean/action-doctl'])
/**
 * Cloud logins: they point no kubectl or helm at a cluster (the kind context stays current), but
 * a cloud deploy command (`terraform apply`, `gcloud run deploy`) after one reaches real
 * infrastructure. A login that only feeds a registry login pulls images.
 */
const CLOUD_LOGIN_ACTIONS = new Set(['aws-actions/configure-aws-credentials', 'azure/login', 'google-github-actions/auth'])
/** Deploy commands that go through the kube context (the throwaway cluster's, once it is created). */
const KUBE_DEPLOY = /\b(kubectl|helm|helmfile)\s/
const REAL_CLUSTER_COMMAND = /\b(aws\s+eks\s+update-kubeconfig|gcloud\s+container\s+clusters\s+get-credentials|az\s+aks\s+get-credentials|doctl\s+kubernetes\s+cluster\s+kubeconfig)\b/
// A kubeconfig in a secret or a configuration variable (`vars.KUBECONFIG_B64`): both are the repository's to set.
const KUBE_SECRET = /\b(?:secrets|vars)\.\w*kube/i
/**
 * A kubectl/helm flag, assignment or kubeconfig edit handing a command a cluster's address or
 * credentials: `--kubeconfig`, `--server` (kubectl's `-s`), `--token`, helm's `--kube-apiserver`
 * and `--kube-token`, `KUBECONFIG=`, or `kubectl config set clusters.….server`.
 */
const CLUSTER_CREDENTIAL_COMMAND = /(?:^|\s)--(?:kubeconfig|server|token|kube-apiserver|kube-token)(?:=|\s)|\bKUBECONFIG=|\bconfig\s+set\s+clusters\./
/** kubectl's short `-s` (`--server`), looked for after `kubectl` in its command segment only: `curl -s` is another flag. */
const SHORT_SERVER_FLAG = /(?:^|\s)-s(?:=|\s)/
/** The default kubeconfig as a redirect's or `tee`'s target. */
const KUBECONFIG_WRITE = /(?:>>?[ \t]*|\btee(?:[ \t]+-a)?[ \t]+)["']?(?:~|\$\{?HOME\}?)\/\.kube\/config\b/
/** A copy command (`cp`, `mv`, `install`) of one command segment. */
const COPY_COMMAND = /^[ \t]*(?:sudo[ \t]+)?(?:cp|mv|install)[ \t]/
/** The default kubeconfig as a segment's last argument. */
const KUBECONFIG_LAST = /[ \t]["']?(?:~|\$\{?HOME\}?)\/\.kube\/config["']?[ \t]*$/
/** Tools that stand up a cluster on the runner (`microk8s.config` too): a kubeconfig they print is the runner's own cluster's. */
const LOCAL_CLUSTER_TOOL = /\b(?:kind|k3d|minikube|k3s|microk8s)\b/

/** A segment from `kubectl` on, up to a ` -- ` after which the arguments are the command it runs (`kubectl exec … -- curl -s`). */
function kubectlOwnArguments(segment: string): string {
  const from = segment.slice(segment.indexOf('kubectl'))
  const end = from.search(/[ \t]--(?:[ \t]|$)/)
  return end < 0 ? from : from.slice(0, end)
}

/**
 * Whether a line points kubectl elsewhere by what CLUSTER_CREDENTIAL_COMMAND cannot see in one
 * pattern: kubectl's short `-s`, or a kubeconfig no local cluster tool printed written into
 * `~/.kube/config` (a redirect's or `tee`'s target, or the destination of a copy).
 */
function pointsKubectlElsewhere(text: string): boolean {
  return text.split('\n').some((line) => {
    const segments = line.split(/[;&|]/)
    if (segments.some((segment) => segment.includes('kubectl') && SHORT_SERVER_FLAG.test(kubectlOwnArguments(segment)))) return true
    if (LOCAL_CLUSTER_TOOL.test(line)) return false
    return KUBECONFIG_WRITE.test(line) || segments.some((segment) => COPY_COMMAND.test(segment) && KUBECONFIG_LAST.test(segment))
  })
}

/**
 * A `--token` (or helm's `--kube-token`) given a token the runner's own cluster just minted: the
 * command substitution itself, or a shell variable assigned from one (`KUBECTL_ASSIGNMENT`).
 * It authenticates to the cluster that minted it, so it points nowhere new.
 */
const TOKEN_FLAG = /--(?:kube-)?token(?:=|[ \t]+)("[^"\n]*"|'[^'\n]*'|[^\s;&|]+)/g
/** `$(kubectl …)`, whole: its arguments. */
const KUBECTL_SUBSTITUTION = /^\$\(kubectl[ \t]([^)\n]*)\)$/
/** `NAME=$(kubectl …`: the name and the arguments up to the line's end or a `)`. */
const KUBECTL_ASSIGNMENT = /\b([A-Za-z_]\w{0,63})=["']?\$\(kubectl[ \t]([^)\n]*)/g
const CREATE_TOKEN = /\bcreate[ \t]+token\b/

/** The text with every `--token` given a token the runner's own cluster minted taken out. */
function withoutMintedTokens(text: string): string {
  const minted = new Set([...text.matchAll(KUBECTL_ASSIGNMENT)].filter((m) => CREATE_TOKEN.test(m[2])).map((m) => m[1]))
  return text.replace(TOKEN_FLAG, (flag, value: string) => {
    const bare = /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value
    const substitution = KUBECTL_SUBSTITUTION.exec(bare)?.[1]
    const variable = /^\$\{?([A-Za-z_]\w*)\}?$/.exec(bare)?.[1]
    return (substitution !== undefined && CREATE_TOKEN.test(substitution)) || (variable !== undefined && minted.has(variable)) ? '' : flag
  })
}
/** Verbs of a project script or task that tears down what its deploy counterpart stood up (`make destroy-ide` after `make deploy-ide`). */
const TEARDOWN_VERBS = ['destroy', 'teardown', 'tear-down', 'delete', 'down', 'undeploy', 'uninstall', 'remove']
/**
 * A deploy command and the command that tears down what it created. A job that deploys and then
 * tears the whole stack down again (`terraform apply`, the tests, `terraform destroy` under
 * `if: always()`) stands up temporary test infrastructure: nobody uses it once the job ends.
 * A teardown of some resources only (`-target`) is not one. A `-destroy` argument of the tool
 * is its `apply -destroy` (or the destroy plan applied next).
 */
const TEARDOWNS: [deploy: RegExp, teardown: RegExp][] = [
  [/\b(terraform|tofu|terragrunt)\s+(run-all\s+)?apply\b/i, /\b(terraform|tofu|terragrunt)\s+(run-all\s+)?destroy\b|^(terraform|tofu|terragrunt)\s(?:[^\n]*\s)?-destroy\b/i],
  [/\bpulumi\s+up\b/i, /\bpulumi\s+destroy\b/i],
  [/\bcdk\s+deploy\b/i, /\bcdk\s+destroy\b/i],
  [/\bsam\s+deploy\b/i, /\bsam\s+delete\b/i],
  [/\b(serverless|sls)\s+deploy\b/i, /\b(serverless|sls)\s+remove\b/i],
  [/\baws\s+cloudformation\s+deploy\b/i, /\baws\s+cloudformation\s+delete-stack\b/i],
  [new RegExp(String.raw`\bhelm${KUBE_GLOBAL_FLAGS}\s+(upgrade|install)\b`, 'i'), new RegExp(String.raw`\bhelm${KUBE_GLOBAL_FLAGS}\s+(uninstall|delete)\b`, 'i')],
  [new RegExp(String.raw`\bhelmfile${KUBE_GLOBAL_FLAGS}\s+(apply|sync)\b`, 'i'), new RegExp(String.raw`\bhelmfile${KUBE_GLOBAL_FLAGS}\s+destroy\b`, 'i')]
]
const PARTIAL_TEARDOWN = /-target\b|--target\b/
const VERIFICATION =
  /rollback|roll\s*back|rollout\s+status|kubectl\s+wait|smoke|verif|health|--atomic|--wait\b|wait-for|wait_for|readiness|e2e|end-to-end|canary|status\s+check|curl\s(?:(?!curl\s)[^\n])*(-f\b|--fail)|\buntil\b(?:(?!\buntil\b)[^\n])*(running|ready|healthy|available)/i

/**
 * Actions known to publish or deploy. An action is classified by this list, never by a word in
 * its name: `release-drafter` only drafts notes and a lint action named `*-release-*` releases nothing.
 */
const DEPLOY_ACTIONS = new Set([
  'azure/k8s-deploy',
  'azure/webapps-deploy',
  'azure/functions-action',
  'azure/arm-deploy',
  'azure/container-apps-deploy-action',
  'aws-actions/amazon-ecs-deploy-task-definition',
  'aws-actions/aws-cloudformation-github-deploy',
  'google-github-actions/deploy-cloudrun',
  'google-github-actions/deploy-appengine',
  'google-github-actions/deploy-cloud-functions',
  'superfly/flyctl-actions',
  'cloudflare/wrangler-action',
  'amondnet/vercel-action',
  'pulumi/actions'
])
const RELEASE_ACTIONS = new Set([
  'softprops/action-gh-release',
  'ncipollo/release-action',
  'actions/create-release',
  'goreleaser/goreleaser-action',
  'pypa/gh-action-pypi-publish',
  'js-devtools/npm-publish',
  'docker/build-push-action'
])

/**
 * Deploy actions that wait for the rollout themselves (by default or through the input given):
 * a verification step after them would repeat what the action already does.
 */
const SELF_VERIFYING = lookupTable<(inputs: Map<string, string>) => boolean>({
  // Waits for `kubectl rollout status` of every applied workload unless told not to.
  'azure/k8s-deploy': () => true,
  'aws-actions/amazon-ecs-deploy-task-definition': (i) => /^true$/i.test(i.get('wait-for-service-stability') ?? ''),
  // Fails unless the new revision becomes ready.
  'google-github-actions/deploy-cloudrun': () => true,
  'aws-actions/aws-cloudformation-github-deploy': () => true,
  'azure/arm-deploy': () => true
})

function inputsOf(step: StepModel): Map<string, string> {
  const out = new Map<string, string>()
  for (const p of step.with?.items ?? []) {
    if (isScalar(p.key)) out.set(String(p.key.value).toLowerCase(), scalarString(p.value) ?? '')
  }
  return out
}

/** Whether a step's own action already waits for the deployment to become healthy. */
function selfVerifying(step: StepModel): boolean {
  const repo = actionRepo(step.uses)
  const check = repo ? SELF_VERIFYING[repo] : undefined
  return !!check && check(inputsOf(step))
}

interface DeployEvidence {
  kind: DeployKind
  /** The first step that deploys, when the evidence came from a step. */
  step?: StepModel
  /** The project script that step runs, when its name is the only evidence (`./scripts/deploy.sh`). */
  script?: string
}

/** The inputs of an action that take a command. */
const COMMAND_INPUTS = ['args', 'script', 'run', 'command', 'entrypoint']

/**
 * What a step runs: its `run:` script, and the inputs of an action that take a command
 * (`docker://image` with `args: make deploy`, `script:`, `command:`).
 */
function commandsOf(step: StepModel): string {
  const run = scalarString(step.run) ?? ''
  // Without `with:` every input is empty: the same text, without building the map of inputs.
  if (!step.with) return run + '\n'.repeat(COMMAND_INPUTS.length)
  const inputs = inputsOf(step)
  return [run, ...COMMAND_INPUTS.map((k) => inputs.get(k) ?? '')].join('\n')
}

/** The deploy script a step runs, as written (`./script/deploy.sh`, `make deploy-docs`, `npm run deploy-storybook`). */
function deployScriptOf(step: StepModel): string | undefined {
  const text = commandsOf(step)
  const m = DEPLOY_SCRIPT.exec(text)
  if (!m) return undefined
  // The match starts after a separator or at a `/` inside the path, and may end inside the
  // script's name (`deploy` of `deploy-docs`): take the whole words.
  let start = m.index + m[1].length
  while (start > 0 && !/[\s;&|'"()`]/.test(text[start - 1])) start--
  let end = m.index + m[0].length
  while (end < text.length && !/[\s;&|'"()`]/.test(text[end])) end++
  return text.slice(start, end)
}

/** Whether a step deploys only by running a script named deploy (no known command or action). */
function deployScriptOnly(step: StepModel): boolean {
  return !DEPLOY_COMMAND.test(commandsOf(step)) && !DEPLOY_ACTIONS.has(actionRepo(step.uses) ?? '') && DEPLOY_SCRIPT.test(commandsOf(step))
}

function stepKind(step: StepModel): DeployKind | undefined {
  const repo = actionRepo(step.uses) ?? ''
  const run = commandsOf(step)
  // A github-script step talks to GitHub's API (a comment quoting `terraform apply` output, a
  // label, a release): it may publish a release, but its script deploys nothing.
  const scripted = repo === 'actions/github-script'
  if (!scripted && (DEPLOY_COMMAND.test(run) || DEPLOY_SCRIPT.test(run) || DEPLOY_ACTIONS.has(repo))) return 'deploy'
  if (RELEASE_SCRIPT.test(run) || (RELEASE_COMMAND.test(run) && !goreleaserOnlyUnpublished(step, run))) return 'release'
  if (RELEASE_ACTIONS.has(repo) && releasesForReal(repo, step)) return 'release'
  return undefined
}

/**
 * goreleaser flags that publish nothing: `--snapshot` (implies `--skip=publish`), `--skip-publish`
 * (goreleaser v1), `--skip=publish` (v2, a comma-separated list, also `--skip publish,sign`).
 */
const GORELEASER_NO_PUBLISH = /(?:^|\s)--(?:snapshot|skip-publish)(?:=true)?(?=\s|$)|(?:^|\s)--skip(?:=|\s+)[\w,-]*(?<![\w-])publish(?![\w-])/
/** Whether goreleaser run with these arguments is told to publish nothing. */
const goreleaserUnpublished = (args: string): boolean => GORELEASER_NO_PUBLISH.test(args)

/**
 * Whether the only release command the step's text names is goreleaser, and every goreleaser it
 * runs is told to publish nothing: the arguments of `goreleaser/goreleaser-action`, or each
 * `goreleaser` command of its scripts. Named but not found as a command (text of another
 * command, an install), it still counts as a release.
 */
function goreleaserOnlyUnpublished(step: StepModel, text: string): boolean {
  // A placeholder word, so the text around a removed name cannot join into another release command.
  if (RELEASE_COMMAND.test(text.replace(/\bgoreleaser\b/gi, '_'))) return false
  if (actionRepo(step.uses) === 'goreleaser/goreleaser-action') return goreleaserUnpublished(inputsOf(step).get('args') ?? '')
  const runs = commandsRun(text).filter((c) => programOf(c).program === 'goreleaser')
  return runs.length > 0 && runs.every((c) => goreleaserUnpublished(programOf(c).args.join(' ')))
}

/**
 * Whether the step runs a release tool explicitly told to publish nothing (goreleaser with
 * `--snapshot` or `--skip=publish`): it names what the job is about, and shows that it ships nothing.
 */
function releaseToolNotPublishing(step: StepModel): boolean {
  const repo = actionRepo(step.uses) ?? ''
  if (repo === 'goreleaser/goreleaser-action') return goreleaserUnpublished(inputsOf(step).get('args') ?? '')
  const run = commandsOf(step)
  return RELEASE_COMMAND.test(run) && goreleaserOnlyUnpublished(step, run)
}

/**
 * Whether the job may ship its output by a way no step model names: it reads a secret beyond its
 * own token (a bucket's or a host's credentials), or runs a program that copies files elsewhere
 * or a hosting CLI (`aws s3 sync dist/`, `curl -T`; see MAY_SHIP_PROGRAMS).
 */
function mayShipOtherwise(ctx: CheckContext, job: JobModel): boolean {
  if (jobTextSome(ctx, job, readsSecretBeyondToken)) return true
  return job.steps.some((step) => commandsRun(commandsOf(step)).some((command) => MAY_SHIP_PROGRAMS.has(programOf(command).program)))
}

/** Options of `git` and `gh` (before their subcommand) that take the next word as their value. */
const GIT_OPTIONS_WITH_ARG = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace'])
const GH_OPTIONS_WITH_ARG = new Set(['-R', '--repo'])

/** Whether a command (program and arguments joined by spaces) is a `git push` or any `gh release` command (upload and edit too). */
function pushesOrReleases(command: string): boolean {
  const { program, args } = programOf(command)
  if (program === 'git') return positionals(args, GIT_OPTIONS_WITH_ARG)[0] === 'push'
  if (program === 'gh') return positionals(args, GH_OPTIONS_WITH_ARG)[0] === 'release'
  return false
}

/**
 * Whether a step hands the job's work to something outside the run: it deploys or releases (see
 * `stepKind`), pushes commits or tags, or edits a release. Read from the decoded `run:` and
 * command inputs, command by command.
 */
export function stepPublishes(step: StepModel): boolean {
  if (stepKind(step) !== undefined) return true
  return commandsRun(commandsOf(step)).some(pushesOrReleases)
}

/**
 * Actions whose work needs the job token to write, and that take the job token by default: lock,
 * close or label issues and pull requests, draft releases, open pull requests, comment, commit.
 */
const TOKEN_WRITING_ACTIONS = new Set([
  'dessant/lock-threads',
  'actions/stale',
  'actions/labeler',
  'release-drafter/release-drafter',
  'peter-evans/create-pull-request',
  'peter-evans/create-or-update-comment',
  'stefanzweifel/git-auto-commit-action'
])
/** `gh pr` subcommands that write to a pull request. */
const GH_PR_WRITES = new Set(['comment', 'merge', 'edit'])

/** GitHub objects a `create-<object>` input of an action makes with the token it is given. */
const CREATED_OBJECTS = new Set(['release', 'tag', 'branch', 'comment', 'issue', 'pull-request', 'pr', 'label', 'discussion', 'commit'])

/** Words of an action's name that make it a gate reading labels or comments, not one writing them. */
const CHECKING_WORDS = new Set(['required', 'require', 'requires', 'check', 'checker', 'checks', 'verify', 'verifier', 'enforce', 'enforcer', 'has', 'ensure', 'validate', 'validator', 'find', 'get', 'read'])

/** Words of an action's name that say it writes whatever else it says (`find-create-or-update-comment`, `check-and-add-labels`). */
const WRITING_WORDS = new Set(['add', 'create', 'update', 'set', 'apply', 'remove', 'post', 'upsert', 'sticky', 'labeler', 'labeller', 'commenter'])

/**
 * What the action `repo` (owner/name) is named for writing: labels (`labeler`, `action-add-labels`,
 * `auto-label`, `labels-manager`), comments (`sticky-comment`, `pr-commenter-action`), or neither. A
 * name that says it checks (`github-action-required-labels`, `verify-pr-label-action`) names a gate
 * that only reads them, unless it also says it writes (`check-and-add-labels`,
 * `find-create-or-update-comment`).
 */
function writesByName(repo: string): 'labels' | 'comments' | undefined {
  const name = (repo.split('/').pop() ?? '').toLowerCase()
  const words = name.split(/[-_.]/)
  if (words.some((w) => CHECKING_WORDS.has(w)) && !words.some((w) => WRITING_WORDS.has(w))) return undefined
  if (name.includes('label')) return 'labels'
  if (name.includes('comment')) return 'comments'
  return undefined
}

/**
 * Whether an input of the action `repo` asks it to write with its token: add or remove labels
 * (`add-labels`, `remove-labels`, and `labels` of an action named for writing labels), the `comment`
 * or `body` of an action named for comments (see `writesByName`), or `create-<object>` of a GitHub
 * object (CREATED_OBJECTS). An empty or `false` value asks nothing.
 */
function writingInput(repo: string, key: string, value: string): boolean {
  if (value.trim() === '' || /^false$/i.test(value.trim())) return false
  if (key === 'add-labels' || key === 'remove-labels') return true
  if (key === 'labels') return writesByName(repo) === 'labels'
  if (key === 'comment' || key === 'body') return writesByName(repo) === 'comments'
  return key.startsWith('create-') && CREATED_OBJECTS.has(key.slice('create-'.length))
}

/**
 * The input by which an action step handed the job token (as an input or in its env) is asked to
 * write with it (see `writingInput`): what the job does then works only with a token that writes.
 * An action named for labels or comments given no token at all (no input or env named for a token,
 * no secret) takes the job token by default, as such actions do (`github_token: ${{ github.token }}`):
 * its label or comment input counts too (`handed` says which case held).
 */
function tokenWritingInput(step: StepModel, repo: string): { key: string; handed: boolean } | undefined {
  const inputs = inputsOf(step)
  const env = (step.env?.items ?? []).map((p) => [scalarString(p.key) ?? '', scalarString(p.value) ?? ''] as const)
  const values = [...inputs.values(), ...env.map(([, v]) => v)]
  if (values.some(isJobToken)) {
    for (const [key, value] of inputs) if (writingInput(repo, key, value)) return { key, handed: true }
    return undefined
  }
  // Narrow: only actions named for labels or comments, and nothing that could hand them another token.
  if (writesByName(repo) === undefined) return undefined
  if ([...inputs.keys(), ...env.map(([k]) => k)].some((k) => /token/i.test(k)) || values.some(readsCredential)) return undefined
  for (const [key, value] of inputs) if (!key.startsWith('create-') && writingInput(repo, key, value)) return { key, handed: false }
  return undefined
}

/**
 * What a step does that needs the job's token to write, when it is one of the few known cases:
 * an action of TOKEN_WRITING_ACTIONS, an action handed the job token (or, named for labels or
 * comments, given none and so taking it by default) with an input asking it to write (see `tokenWritingInput`), or a `run:` script running `git push`, `gh pr
 * comment|merge|edit` or `gh release create` (read command by command); its name in backquotes.
 */
export function tokenWriteOf(step: StepModel): string | undefined {
  const repo = actionRepo(step.uses)
  if (repo && TOKEN_WRITING_ACTIONS.has(repo)) return `\`${repo}\``
  const input = repo ? tokenWritingInput(step, repo) : undefined
  if (input) return `\`${repo}\` (its \`${input.key}:\` input, ${input.handed ? 'given the job token' : 'with no token input, so it takes the job token by default'})`
  const run = scalarString(step.run)
  if (!run) return undefined
  for (const command of commandsRun(run)) {
    const { program, args } = programOf(command)
    if (program === 'git' && positionals(args, GIT_OPTIONS_WITH_ARG)[0] === 'push') return '`git push`'
    if (program !== 'gh') continue
    const [group, verb] = positionals(args, GH_OPTIONS_WITH_ARG)
    if ((group === 'pr' && GH_PR_WRITES.has(verb)) || (group === 'release' && verb === 'create')) return `\`gh ${group} ${verb}\``
  }
  return undefined
}

/** A build-push that does not push, or goreleaser asked only to check its config or told to publish nothing, releases nothing. */
function releasesForReal(repo: string, step: StepModel): boolean {
  const inputs = inputsOf(step)
  if (repo === 'docker/build-push-action') return /^true$/i.test(inputs.get('push') ?? '')
  if (repo === 'goreleaser/goreleaser-action') {
    const args = inputs.get('args') ?? ''
    return /\brelease\b/.test(args) && !goreleaserUnpublished(args)
  }
  return true
}

/** Token scopes that let a job publish: a release or tag (contents), a package, an OIDC credential for a registry or cloud. */
const PUBLISHING_SCOPES = new Set(['contents', 'packages', 'id-token'])
/** Release actions that take the job token by default when no `token:` is given. */
const DEFAULT_TOKEN_ACTIONS = new Set(['softprops/action-gh-release', 'ncipollo/release-action'])

function grantsPublishing(permissions: Pair<Node, Node>): boolean {
  const value = permissions.value
  if (!isMap(value)) return scalarString(value) === 'write-all'
  return value.items.some((p) => isScalar(p.key) && PUBLISHING_SCOPES.has(String(p.key.value)) && scalarString(p.value) === 'write')
}

/** A step whose only release is an image push (`docker push`, `podman push`): no other release command, script or action. */
function imagePushOnly(step: StepModel): boolean {
  const run = commandsOf(step)
  if (!/\b(?:docker|podman)\s+push\b/i.test(run) || step.uses !== undefined) return false
  return !RELEASE_SCRIPT.test(run) && !RELEASE_COMMAND.test(run.replace(/\b(?:docker|podman)\s+push\b/gi, '_'))
}

/** A registry on the runner itself, as an image reference's host: `localhost:5001/app`, `127.0.0.1:5000/x`, `kind-registry:5000/y`. */
const LOCAL_REGISTRY = /^(?:localhost|127\.0\.0\.1|\[::1\]|kind-registry|registry\.localhost)(?::\d{1,5})?\//i

/** Other ways a step copies an image to a registry (`skopeo copy`, `crane push`, `buildx … --push`): their targets are not read. */
const OTHER_IMAGE_PUBLISHERS = /\b(?:skopeo|crane|buildah|regctl|oras|imagetools|buildx)\b|--push\b/

/**
 * Whether every image push of the job names a registry on the runner (`docker push
 * localhost:5001/app:test`) on GitHub's runners or beside a throwaway cluster: the cluster's own
 * registry, which ships nothing (a tunnel to a real registry on `localhost` is not told apart). A
 * push whose target is a variable may go anywhere, and a command not read word by word (global
 * flags before `push`, a push run through another program, a step that also runs another image
 * tool) counts as a push elsewhere.
 */
/** `steps`: the job's steps whose only release is an image push (`imagePushOnly`). */
function pushesOnlyToLocalRegistry(steps: readonly StepModel[], job: JobModel): boolean {
  // A self-hosted runner's own `localhost:5000` may be a registry that stays.
  if (steps.length === 0 || (!onGithubHostedRunner(job) && !createsEphemeralCluster(job))) return false
  let pushes = 0
  for (const step of steps) {
    const commands = commandsRun(commandsOf(step))
    if (OTHER_IMAGE_PUBLISHERS.test(commands.join('\n'))) return false
    for (const command of commands) {
      const { program, args } = programOf(command)
      if (program !== 'docker' && program !== 'podman') {
        // A push run through another program (`timeout 300 docker push`, `xargs docker push`): its target is not read.
        const words = command.split(/\s+/)
        if (words.some((w, i) => /(?:^|\/)(?:docker|podman)$/.test(w) && words.slice(i + 1).includes('push'))) return false
        continue
      }
      if (!args.includes('push')) continue
      // `docker push [--quiet] TARGET`; podman's `push SOURCE [DESTINATION]` pushes to the last.
      if (args[0] !== 'push') return false
      const targets = args.slice(1).filter((a) => !a.startsWith('-'))
      const target = (program === 'podman' ? targets[targets.length - 1] : targets[0]) ?? ''
      if (!LOCAL_REGISTRY.test(target.replace(/^["']|["']$/g, ''))) return false
      pushes++
    }
  }
  return pushes > 0
}

/** Whether text holds an expression reading a secret or the job token. */
function readsCredential(text: string): boolean {
  return findExpressions(text).some((e) => contextPaths(e.body).some((p) => p === 'secrets' || p.startsWith('secrets.') || p === 'github.token'))
}

/**
 * Whether a job can publish at all: it is given a secret or the job token, its token may write
 * releases or packages or mint an OIDC credential, or it runs a release action taking the
 * repository default token (no `permissions` anywhere). A release tool without any of them
 * (goreleaser building archives for a later job to upload) releases nothing.
 */
function canPublish(ctx: CheckContext, job: JobModel): boolean {
  const permissions = job.permissions ?? ctx.wf.permissions
  if (permissions && grantsPublishing(permissions)) return true
  // A self-hosted runner may hold credentials of its own.
  if (scalarsUnder(job.runsOn).some((l) => /self-hosted/i.test(l))) return true
  if (!permissions && job.steps.some((s) => DEFAULT_TOKEN_ACTIONS.has(actionRepo(s.uses) ?? ''))) return true
  return jobTextSome(ctx, job, readsCredential)
}

const CLUSTER_TOOLS = ['kind', 'k3d', 'k3s', 'minikube', 'microk8s']

/** Words that make an action named for a cluster tool one that sets the tool up (`setup-kind`, `action-k3s-helm`, `k3d-action`). */
const SETUP_WORDS = ['setup', 'action', 'actions', 'create', 'start', 'launch']
/** Words of an action that works on a cluster that is already there (`k3s-deploy-action`, `ssh-k3s-setup`). */
const REACHING_WORDS = ['deploy', 'apply', 'rollout', 'upgrade', 'release', 'publish', 'ssh', 'remote']

/**
 * An action named for a throwaway cluster: a local one by its folder's name (`./.github/actions/setup-k3d`,
 * `./ci/kind`), or asked for one by an input (`create-kind-cluster: "true"`); another repository's
 * by words of its name or path naming a cluster tool and setting it up (`jupyterhub/action-k3s-helm`,
 * `org/actions/setup-kind`) and no deploy or remote access, when its step is handed no secret and
 * the job runs on GitHub's runners: `k3s-deploy-action` given a host and a key, or a home lab's
 * runner, reach a cluster that stays.
 */
function clusterSetupAction(step: StepModel, job: JobModel): boolean {
  if (!step.uses || step.uses.startsWith('docker://')) return false
  if (!usesOwnCode(step.uses)) {
    // Words of the repository's name and path (not its owner's, nor the ref).
    const words = step.uses.split('@')[0]!.toLowerCase().split('/').slice(1).flatMap((part) => part.split(/[-_.]/))
    if (!CLUSTER_TOOLS.some((tool) => words.includes(tool)) || !SETUP_WORDS.some((word) => words.includes(word))) return false
    if (REACHING_WORDS.some((word) => words.includes(word))) return false
    // The job token (a rate limit's) reaches no cluster; any other secret may.
    return onGithubHostedRunner(job) && !scalarsUnder(step.node).some(readsSecretBeyondToken)
  }
  const name = step.uses.split('/').filter((part) => part !== '').pop()?.toLowerCase() ?? ''
  if (CLUSTER_TOOLS.some((word) => name.includes(word))) return true
  return (step.with?.items ?? []).some((p) => {
    const words = (scalarString(p.key) ?? '').toLowerCase().split(/[-_]/)
    return words.includes('cluster') && CLUSTER_TOOLS.some((tool) => words.includes(tool)) && /^true$/i.test(scalarString(p.value) ?? '')
  })
}

/** Whether a step is known to deploy and release nothing (see NOT_SHIPPING_ACTIONS); a `run:` step is not known. */
function knownNotShipping(step: StepModel): boolean {
  const repo = actionRepo(step.uses) ?? ''
  return NOT_SHIPPING_ACTIONS.has(repo) || repo.startsWith('actions/setup-')
}

/**
 * Whether a deploy or release word in the job's id or name may stand for what the job does: it
 * calls a reusable workflow (whose steps are not read here), or runs a step not known to do
 * something else. A name says what the job is about, not that it ships.
 */
function labelMayShip(job: JobModel): boolean {
  return job.uses !== undefined || job.steps.length === 0 || job.steps.some((s) => !knownNotShipping(s))
}

/** The program of a command (its last path segment) and its arguments. */
function programOf(command: string): { program: string; args: string[] } {
  const [first = '', ...args] = command.split(' ')
  const program = first.split('/').pop() ?? ''
  // `bash ./scripts/deploy.sh`: the script is what runs.
  if (INTERPRETERS.has(program) && args.length > 0 && !args[0].startsWith('-')) return programOf(args.join(' '))
  return { program, args }
}

/** The targets a `make`/`just`/`task` command runs (neither options nor `NAME=value` settings); none for other programs. */
function taskTargets(command: string): string[] {
  const { program, args } = programOf(command)
  return TASK_RUNNERS.has(program) ? args.filter((a) => a !== '' && !a.startsWith('-') && !a.includes('=')) : []
}

/** A make target whose name says it stands up a local test cluster (`e2e-bootstrap`, `kind-create`). */
const clusterTarget = (target: string): boolean => target.toLowerCase().split(/[-_.:]/).some((word) => EPHEMERAL_CLUSTER_TARGET_WORDS.has(word))

function createsEphemeralCluster(job: JobModel): boolean {
  return job.steps.some(
    (s) =>
      EPHEMERAL_CLUSTER_ACTIONS.has(actionRepo(s.uses) ?? '') ||
      clusterSetupAction(s, job) ||
      EPHEMERAL_CLUSTER_COMMAND.test(commandsOf(s)) ||
      commandsRun(commandsOf(s)).some((c) => taskTargets(c).some(clusterTarget))
  )
}

/** Commands (program and arguments, as `commandsRun` gives them) that create a Kubernetes cluster, and the same tools' commands deleting one. */
const CLUSTER_CREATE = /^(az aks create|eksctl create cluster|gcloud (?:(?:alpha|beta) )?container clusters create(?:-auto)?|kind create cluster|k3d cluster create|doctl kubernetes cluster create)\b/
const CLUSTER_DELETE = /^(az aks delete|eksctl delete cluster|gcloud (?:(?:alpha|beta) )?container clusters delete|kind delete clusters?|k3d cluster delete|doctl kubernetes cluster delete)\b/
/** Commands that point kubectl at a cluster by its name; the name is the word after `--name`/`-n`, or the positional after the verb. */
const CLUSTER_CREDENTIALS = /^(az aks get-credentials|aws eks update-kubeconfig|gcloud (?:(?:alpha|beta) )?container clusters get-credentials|doctl kubernetes cluster kubeconfig save)\b/
/** A credentials fetch written any other way (`aws --region r eks update-kubeconfig`): its cluster is not read, so it counts as another one. */
const ANY_CLUSTER_CREDENTIALS = /^(?:az|aws|gcloud|doctl)\s(?:[^;&|]*\s)?(?:get-credentials|update-kubeconfig|kubeconfig\s+save)(?:\s|$)/

/** The cluster a create, delete or credentials command names (`--name X`, `--name=X`, `-n X`, or the word after the verb), as written. */
function clusterNameOf(command: string, verb: RegExp): string | undefined {
  // An expression is one word, though it holds blanks: `${{ env.CLUSTER_NAME }}` (one without a `$` inside, so each scan stops at the next).
  const text = command.replace(/\$\{\{([^}$]*)\}\}/g, (_, body: string) => `\${{${body.replace(/\s+/g, '')}}}`)
  const args = text.slice((verb.exec(text)?.[0] ?? '').length).trim().split(' ')
  for (const [i, a] of args.entries()) {
    if (a === '--name' || a === '-n') return args[i + 1]
    if (a.startsWith('--name=')) return a.slice('--name='.length)
  }
  // gcloud and doctl name the cluster first; a first word that is an option names nothing.
  return args[0] && !args[0].startsWith('-') ? args[0] : undefined
}

/** `${NAME}`, `$NAME` and `${{env.NAME}}` (the step's environment, as the shell sees it) are the same name. */
const sameName = (name: string): string => name.replace(/\$\{\{env\.(\w+)\}\}|\$\{(\w+)\}/g, (_, env?: string, shell?: string) => `$${env ?? shell}`)

/**
 * Whether the job works in a Kubernetes cluster it creates itself and deletes again (`az aks
 * create` … `az aks delete` in a clean-up step under `if: always()`), and deploys nowhere else:
 * each run deploys to a cluster of its own, gone when the job ends. The delete must run once the
 * steps before it succeeded (see `runsAfterSuccess`); every cluster whose credentials the job
 * fetches by name must be one it creates or deletes; no cluster credentials come from an action or
 * a secret, and no deploy command or action other than kubectl and helm's (which talk to the
 * current cluster) reaches other infrastructure. Read command by command: an `echo`ed or
 * commented-out delete deletes nothing.
 */
function deploysToOwnCluster(ctx: CheckContext, job: JobModel): boolean {
  const commands = job.steps.flatMap((s) => {
    const afterSuccess = runsAfterSuccess(s)
    return commandsRun(commandsOf(s)).map((command) => ({ command, afterSuccess }))
  })
  const created = commands.findIndex((c) => CLUSTER_CREATE.test(c.command))
  if (created < 0 || !commands.slice(created + 1).some((c) => c.afterSuccess && CLUSTER_DELETE.test(c.command))) return false
  const own = new Set(
    commands.flatMap(({ command }) => [CLUSTER_CREATE, CLUSTER_DELETE].map((verb) => (verb.test(command) ? clusterNameOf(command, verb) : undefined))).filter((n): n is string => !!n).map(sameName)
  )
  const elsewhere = commands.some(({ command }) => {
    if (!CLUSTER_CREDENTIALS.test(command)) return ANY_CLUSTER_CREDENTIALS.test(command)
    const name = clusterNameOf(command, CLUSTER_CREDENTIALS)
    return name === undefined || !own.has(sameName(name))
  })
  if (elsewhere || job.steps.some((s) => REAL_CLUSTER_ACTIONS.has(actionRepo(s.uses) ?? ''))) return false
  if (job.steps.some((s) => DEPLOY_ACTIONS.has(actionRepo(s.uses) ?? '') && !/k8s|kube|helm/i.test(s.uses ?? ''))) return false
  if (commands.some(({ command }) => DEPLOY_COMMAND.test(command) && !KUBE_DEPLOY.test(command))) return false
  return !jobTextSome(ctx, job, (text) => findExpressions(text).some((e) => KUBE_SECRET.test(e.body)))
}

/** Whether the job fetches a cluster's credentials, reads a kubeconfig secret, or logs in to a cloud and runs a cloud deploy command. */
function reachesRealCluster(ctx: CheckContext, job: JobModel): boolean {
  if (job.steps.some((s) => REAL_CLUSTER_ACTIONS.has(actionRepo(s.uses) ?? '') || REAL_CLUSTER_COMMAND.test(commandsOf(s)))) return true
  if (job.steps.some((s) => CLOUD_LOGIN_ACTIONS.has(actionRepo(s.uses) ?? ''))) {
    const lines = job.steps.flatMap((s) => commandsOf(s).split('\n'))
    if (lines.some((l) => DEPLOY_COMMAND.test(l) && !KUBE_DEPLOY.test(l))) return true
    // A deploy action of a cloud (ECS, App Service, Cloud Run) after the login.
    if (job.steps.some((s) => DEPLOY_ACTIONS.has(actionRepo(s.uses) ?? '') && !/k8s|kube|helm/i.test(s.uses ?? ''))) return true
  }
  return jobTextSome(ctx, job, (text) => findExpressions(text).some((e) => KUBE_SECRET.test(e.body)))
}

/**
 * Whether a step runs after the steps before it succeeded: no `if:`, or one with an alternative
 * asking for `always()`, `success()` or `!cancelled()` (and not `failure()`). A step under
 * `failure()` (a rollback) runs only when the deploy failed, and one under any other condition
 * may never run.
 */
function runsAfterSuccess(step: StepModel): boolean {
  const condition = (scalarString(step.node.get('if', true)) ?? '').replace(/^\s*\$\{\{([^]*)\}\}\s*$/, '$1').trim()
  if (condition === '') return true
  // `success() || failure()` runs whatever the outcome: one alternative asking for success is enough.
  return condition.split('||').some((alternative) => !/\bfailure\s*\(/.test(alternative) && /\b(always|success)\s*\(\s*\)|!\s*cancelled\s*\(\s*\)/.test(alternative))
}

/** Shells whose `-c` argument is a script of its own. */
const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash'])
/** Programs whose first argument is the script they run. */
const INTERPRETERS = new Set([...SHELLS, 'python', 'python3', 'pwsh'])

/** Reserved words that may open a command list: the command after them is what runs (`if gcloud … create`, `do az aks delete`). */
const LEADING_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'while', 'until', 'do', '!', '{'])

/**
 * The commands a script runs, each as its program and arguments joined by spaces (quotes
 * removed, comments, redirections and line continuations gone), entering `bash -c '…'` and
 * `$( … )` (`output=$( eksctl delete cluster … )`), past reserved words (`if`, `do`).
 * Text inside an argument (`echo "… terraform destroy …"`) is never the start of a command.
 */
function commandsRun(script: string, depth = 0): string[] {
  const out: string[] = []
  for (const command of splitShellCommands(script)) {
    let first = 0
    while (first < command.words.length && LEADING_KEYWORDS.has(command.words[first])) first++
    const words = command.words.slice(first)
    // What a substitution runs comes before the command it is part of.
    if (depth < 2) for (const inner of command.substitutions ?? []) out.push(...commandsRun(inner, depth + 1))
    const run = invocationOf(words)
    if (!run) continue
    const inner = run.args.indexOf('-c')
    if (SHELLS.has(run.program) && inner >= 0 && inner + 1 < run.args.length && depth < 2) out.push(...commandsRun(run.args[inner + 1], depth + 1))
    else out.push([run.program, ...run.args].join(' '))
  }
  return out
}

/** Whether a pattern matches a command from its first word (the program), not inside its arguments. */
const startsCommand = (pattern: RegExp, command: string): boolean => pattern.exec(command)?.index === 0

/**
 * What follows `verb` in the name of the project script or task target a command runs, when the
 * name starts with it: `-ide` for `make deploy-ide env=x` and verb `deploy`, `` for
 * `./scripts/deploy.sh`; undefined when the command runs no such script or target.
 */
function scriptSuffix(command: string, verb: string): string | undefined {
  const { program } = programOf(command)
  const names = [...taskTargets(command), ...(TASK_RUNNERS.has(program) ? [] : [program.replace(/\.(sh|py|ps1)$/, '')])]
  const name = names.find((n) => n.toLowerCase().startsWith(verb) && !/^\w/.test(n.slice(verb.length)))
  return name?.slice(verb.length).toLowerCase()
}

/**
 * Whether every deploy of the job is torn down again later in the same job: by a command (not
 * text an `echo` prints or a comment) of a step that runs once the deploy succeeded.
 */
function tornDownAgain(job: JobModel): boolean {
  const commands = job.steps.flatMap((s) => {
    const afterSuccess = runsAfterSuccess(s)
    return commandsRun(commandsOf(s)).map((command) => ({ command, afterSuccess }))
  })
  let deployed = false
  // The project's own deploy script or target, torn down by its counterpart: `make deploy-ide`, then `make destroy-ide`.
  for (const [i, c] of commands.entries()) {
    const name = scriptSuffix(c.command, 'deploy')
    if (name === undefined) continue
    deployed = true
    const tornDown = commands.slice(i + 1).some((later) => later.afterSuccess && TEARDOWN_VERBS.some((verb) => scriptSuffix(later.command, verb) === name))
    if (!tornDown) return false
  }
  for (const [deploy, teardown] of TEARDOWNS) {
    const first = commands.findIndex((c) => startsCommand(deploy, c.command) && !teardown.test(c.command))
    if (first < 0) continue
    deployed = true
    const tornDown = commands.slice(first + 1).some((c) => c.afterSuccess && startsCommand(teardown, c.command) && !PARTIAL_TEARDOWN.test(c.command))
    if (!tornDown) return false
  }
  // Other deploys in the job may go elsewhere; kubectl talks to the cluster just stood up.
  const lines = job.steps.flatMap((s) => commandsOf(s).split('\n'))
  return deployed && !lines.some((l) => DEPLOY_COMMAND.test(l) && !/\bkubectl\s/.test(l) && !TEARDOWNS.some(([deploy]) => deploy.test(l)))
}


/**
 * Whether the job holds no credential that could reach anything shared: it runs only on
 * `pull_request` (its `if:` may rule the workflow's other triggers out), on a GitHub-hosted runner,
 * with a token `permissions:` makes read-only (no OIDC token either) and no secret but that token.
 * A fork's pull request gets nothing more; one from a branch here gets secrets only if it reads
 * them. What such a job applies or installs goes to what the runner itself stood up (a kind
 * cluster a project script creates, a local registry), so it deploys nothing anyone uses.
 */
function reachesNothingShared(ctx: CheckContext, job: JobModel): boolean {
  // A runner of the job's own (self-hosted, or any label but GitHub's images) may hold credentials of its own.
  if (!onGithubHostedRunner(job)) return false
  const triggers = [...ctx.wf.triggers].filter((t) => !skipsEvent(job, t))
  if (triggers.length === 0 || triggers.some((t) => t !== 'pull_request')) return false
  // A configuration variable (`vars.*`) reaches every pull request, forks' too, so it may hold what a secret would.
  if (!tokenIsReadOnly(ctx.wf, job) || jobTextSome(ctx, job, (text) => readsSecretBeyondToken(text) || readsVariable(text))) return false
  // A cluster's address or credentials handed to a command, or a KUBECONFIG set, point at a cluster the runner did not stand up.
  const envs = [ctx.wf.env, job.env, ...job.steps.map((st) => st.node.get('env', true))]
  if (envs.some((env) => isMap(env) && env.items.some((pair) => isScalar(pair.key) && String(pair.key.value) === 'KUBECONFIG'))) return false
  const text = job.steps.map(commandsOf).join('\n')
  return !CLUSTER_CREDENTIAL_COMMAND.test(withoutMintedTokens(text)) && !pointsKubectlElsewhere(text)
}

/** Whether text holds a `${{ }}` expression that reads the `vars` context (the repository's configuration variables). */
function readsVariable(text: string): boolean {
  return findExpressions(text).some((e) => contextPaths(e.body).some((p) => p === 'vars' || p.startsWith('vars.')))
}

function deployEvidence(ctx: CheckContext, job: JobModel): DeployEvidence | undefined {
  const labels = labelMayShip(job) ? [job.id, job.name ?? ''] : []
  const labelled = (word: RegExp): boolean => labels.some((l) => word.test(l.trim()))
  const pushSteps = job.steps.filter(imagePushOnly)
  const pushesLocally = pushesOnlyToLocalRegistry(pushSteps, job)
  const steps = job.steps.map((s) => ({ step: s, kind: pushesLocally && pushSteps.includes(s) ? undefined : stepKind(s) }))
  const releaseStep = steps.find((s) => s.kind === 'release')?.step
  const publishes = !!releaseStep && canPublish(ctx, job)
  const deployStepOrLabel = steps.some((s) => s.kind === 'deploy') || labelled(DEPLOY_LABEL) || labelled(RELEASE_LABEL)
  // End-to-end tests against a kind/k3d/minikube cluster, a cloud cluster the job creates and
  // deletes again, or infrastructure the job destroys again, deploy nothing anyone uses, whatever
  // their commands.
  // A job that also reaches a real cluster (a cloud login, a kubeconfig secret) may deploy there.
  // What such a job deploys dies with it; an image or release it publishes (then checks on the
  // local cluster) does not.
  // A job named `deploy-operator` that installs into the kind cluster it creates deploys nothing either.
  // So does a pull_request job holding no credential at all (`reachesNothingShared`): whatever it
  // applies goes to what the runner stood up, even through a project script not read here.
  // Both tests read every command of the job, and only a deploy step or a label can make the
  // answer below differ from this early one (`publishes` decides both): without either they are skipped.
  if (deployStepOrLabel) {
    const localCluster = ((createsEphemeralCluster(job) || reachesNothingShared(ctx, job)) && !reachesRealCluster(ctx, job)) || deploysToOwnCluster(ctx, job)
    if (localCluster || (!labelled(DEPLOY_LABEL) && !labelled(RELEASE_LABEL) && tornDownAgain(job))) return publishes ? { kind: 'release', step: releaseStep } : undefined
  }
  const deployStep = steps.find((s) => s.kind === 'deploy' && !deployScriptOnly(s.step))?.step
  if (deployStep) return { kind: 'deploy', step: deployStep }
  // A step running a script named deploy: what it does is known by its name only, so a real
  // release step or a label says more about the job.
  const scriptStep = steps.find((s) => s.kind === 'deploy')?.step
  if (scriptStep && !publishes && !labelled(RELEASE_LABEL)) return { kind: 'deploy', step: scriptStep, script: labelled(DEPLOY_LABEL) ? undefined : deployScriptOf(scriptStep) }
  if (labelled(DEPLOY_LABEL)) return { kind: 'deploy' }
  if (publishes) return { kind: 'release', step: releaseStep }
  // A `release-snapshot` job whose only release tool is told to publish nothing (and that pushes,
  // uploads and holds nothing else either) builds a release without shipping it: its label says no more than its steps.
  if (labelled(RELEASE_LABEL) && !releaseStep && job.steps.some(releaseToolNotPublishing) && !job.steps.some(stepPublishes) && !mayShipOtherwise(ctx, job)) return undefined
  if (labelled(RELEASE_LABEL)) return { kind: 'release' }
  return undefined
}

/**
 * A rollout wait, health check or rollback anywhere in the job or a job after it, or a test
 * suite run after the deploy: in a later step of the job, or in a job that `needs` it (with no
 * deploy step known, only the latter is surely after it).
 */
function hasVerification(ctx: CheckContext, job: JobModel, deployed: StepModel | undefined): boolean {
  const later = dependentsOf(ctx.wf, job.id)
  const testsAfter = [...(deployed ? job.steps.filter((s) => s.index > deployed.index) : []), ...later.flatMap((j) => j.steps)]
  // A test suite run after the deploy exercises what was deployed.
  if (testsAfter.some((s) => TEST_SUITE_COMMAND.test(commandsOf(s)))) return true
  return [job, ...later].some(
    (j) => VERIFICATION.test(`${j.id} ${j.name ?? ''}`) || j.steps.some((s) => selfVerifying(s) || VERIFICATION.test(scalarsUnder(s.node).join('\n')))
  )
}

/**
 * A later step that fails the job when this step did not succeed (`if: steps.apply.outcome !=
 * 'success'` … `exit 1`): the failure is only put off, say until a comment reports it.
 */
function failsLater(job: JobModel, step: StepModel): boolean {
  if (!step.id) return false
  const outcome = new RegExp(`steps\\.${step.id.replace(/[^\w-]/g, '')}\\.(?:outcome|conclusion)\\s*(?:!=\\s*'success'|==\\s*'failure')`)
  return job.steps.some((later) => {
    if (later.index <= step.index) return false
    const condition = scalarString(later.node.items.find((p) => isScalar(p.key) && p.key.value === 'if')?.value) ?? ''
    return outcome.test(condition) && /\bexit\s+[1-9]|core\.setFailed\(/.test(commandsOf(later) + '\n' + scalarsUnder(later.node).join('\n'))
  })
}

function continueOnError(ctx: CheckContext, job: JobModel, step: StepModel | undefined): Finding | undefined {
  const map = step ? step.node : job.node
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === 'continue-on-error')
  if (!pair || !/^true$/i.test(scalarString(pair.value) ?? '')) return undefined
  if (step && failsLater(job, step)) return undefined
  const line = ctx.y.lineOf(pair.key)
  const text = ctx.lines[line - 1]
  const m = /^(\s*(?:- )?)continue-on-error:\s*true\s*$/.exec(text)
  const suggestion = m ? `${m[1]}continue-on-error: false` : undefined
  const where = step ? `deploy step ${step.name ? `\`${step.name}\`` : `#${step.index + 1}`} of job \`${job.id}\`` : `deploy job \`${job.id}\``
  return ctx.report(RULES.deployContinueOnError, line, `${where} sets \`continue-on-error: true\`, so a failed deploy still passes.`, { suggestion })
}

/**
 * Triggers only someone with write access to the repository can start: a push, a release, a
 * branch or tag created or deleted, a manual or API run, the clock, the merge queue.
 */
const WRITER_TRIGGERS = new Set(['push', 'release', 'create', 'delete', 'workflow_dispatch', 'repository_dispatch', 'schedule', 'merge_group'])

/**
 * Why an environment could add nothing but a reviewer gate to the job, when so: it reads no
 * secret but its own token (whose rights `permissions:` sets; an environment cannot scope it),
 * requests no OIDC token (a cloud role may trust only an environment's), and every trigger of the
 * workflow needs write access to start, so whoever starts it could already push.
 */
function onlyReviewerGate(ctx: CheckContext, job: JobModel): string | undefined {
  // The triggers the job can run on: its `if:` may rule some of the workflow's out.
  // A called workflow's `github.event_name` is its caller's event: an `if:` rules no `workflow_call` out.
  const triggers = [...ctx.wf.triggers].filter((t) => t === 'workflow_call' || !skipsEvent(job, t))
  // A pull request from a fork runs with a read-only token and no secrets; one from a branch here was pushed by someone with write access.
  if (triggers.length === 0 || triggers.some((t) => !WRITER_TRIGGERS.has(t) && t !== 'pull_request')) return undefined
  if (requestsOidc(ctx.wf, job) || jobTextSome(ctx, job, readsSecretBeyondToken)) return undefined
  const named = triggers.map((t) => `\`${t}\``)
  const on = named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}` : named[0]
  const forks = triggers.includes('pull_request') ? ' (a fork\'s pull request gets a read-only token and no secrets)' : ''
  return `it reads no secret but the job's own token (whose rights \`permissions:\` sets, not an environment), requests no OIDC token, and runs only on ${on}, which only people with write access can start with that token${forks}, so an environment would add only a reviewer gate`
}

/**
 * Whether an option word asks for `name` (a long option, or a prefix of it as argparse and
 * optparse accept, `--forc`) or holds its short letter in a cluster of short flags (`-pf`).
 * Read wide: a value glued to a short option (`-mfix`) counts too, which keeps a push forced.
 */
function hasFlag(args: string[], name: string, short?: string): boolean {
  return args.some((a) => {
    if (a.startsWith('--')) {
      const opt = a.slice(2).split('=')[0]
      return opt.length >= 3 && name.startsWith(opt)
    }
    return short !== undefined && /^-[A-Za-z]+$/.test(a) && a.includes(short)
  })
}

/**
 * How a command publishes a docs site to its Pages branch, when it is one of the tools that push
 * it with a plain `git push` unless told to force (read from their sources): `mike deploy` (and its
 * other writing verbs) with `--push`/`-p`, forced by `--force`/`-f`; `ghp-import` with
 * `--push`/`-p`, forced by `--force`/`-f` or `--no-history`/`-o`; `mkdocs gh-deploy`, which always
 * pushes, forced by `--force` or `--no-history` (its `-f` names the config file).
 * `python -m mike|ghp_import|mkdocs` too.
 */
function pagesPushOf(command: string): { forced: boolean; label: string } | undefined {
  let { program, args } = programOf(command)
  if (/^python[\d.]*$/.test(program) && args[0] === '-m') [program, ...args] = args.slice(1)
  const verb = args.find((a) => !a.startsWith('-'))
  if (program === 'mike') {
    if (!['deploy', 'alias', 'set-default', 'delete', 'retitle'].includes(verb ?? '') || !hasFlag(args, 'push', 'p')) return undefined
    return { forced: hasFlag(args, 'force', 'f'), label: `mike ${verb} --push` }
  }
  // `--no-history` (`-o`) rewrites the branch as one commit, which only a forced push can send.
  if (program === 'ghp-import' || program === 'ghp_import') {
    if (!hasFlag(args, 'push', 'p')) return undefined
    return { forced: hasFlag(args, 'force', 'f') || hasFlag(args, 'no-history', 'o'), label: 'ghp-import --push' }
  }
  if (program === 'mkdocs' && verb === 'gh-deploy') return { forced: hasFlag(args, 'force') || hasFlag(args, 'no-history'), label: 'mkdocs gh-deploy' }
  return undefined
}

/**
 * How an action step publishes a site to its Pages branch without force, when it is one of the
 * actions that push plainly unless told otherwise (read from their documentation):
 * `peaceiris/actions-gh-pages` runs `git push` and forces only with `force_orphan: true`, so a
 * second overlapping push is refused; `JamesIves/github-pages-deploy-action` force-pushes by
 * default and, given `force: false`, rebases a refused push onto the other run's commit (a few
 * tries) instead of overwriting it. `forced` when the step forces; undefined for other steps.
 */
function pagesActionPushOf(step: StepModel): { forced: boolean; label: string; outcome: string } | undefined {
  const repo = actionRepo(step.uses)
  const inputs = inputsOf(step)
  if (repo === 'peaceiris/actions-gh-pages') {
    return { forced: !/^false$/i.test(inputs.get('force_orphan')?.trim() || 'false'), label: repo, outcome: REFUSED_PUSH }
  }
  if (repo === 'jamesives/github-pages-deploy-action') {
    // Its `force` defaults to true: only an explicit false keeps the other run's commit.
    return {
      forced: !/^false$/i.test(inputs.get('force')?.trim() ?? ''),
      label: repo,
      outcome: 'the later push is refused and, as `force: false` asks, its commit is rebased onto the other run\'s instead of overwriting it (a conflict fails the run)'
    }
  }
  return undefined
}

/** What happens to two overlapping runs pushing a Pages branch without force. */
const REFUSED_PUSH = 'the later push is refused (not a fast-forward) and fails instead of overwriting the other\'s docs'

/**
 * A project script whose file name says it builds the docs or the site and nothing more
 * (`build-docs.sh`, `docs/build_site.sh`): it builds what the Pages step then publishes.
 * Named for shipping too (`build-and-deploy-docs.sh`), it does not count.
 */
function docsBuildScript(first: string): boolean {
  // The file's name and its folder's (`docs/build.sh`), in words.
  const parts = first.toLowerCase().replace(/\.(sh|py|ps1|js)$/, '').split('/')
  const name = parts.pop() ?? ''
  const folder = parts.pop() ?? ''
  const nameWords = name.split(/[^a-z0-9]+/)
  const words = [...folder.split(/[^a-z0-9]+/), ...nameWords]
  return (
    nameWords.includes('build') &&
    words.some((w) => DOCS_WORDS.has(w)) &&
    !words.some((w) => /^(deploy|publish|release|push|upload|sync|ship)/.test(w))
  )
}
const DOCS_WORDS = new Set(['docs', 'doc', 'site', 'website', 'mkdocs', 'documentation'])

/** Package managers whose `run`/`exec` verbs (or a bare script name, as yarn takes) run the project's own scripts. */
const PACKAGE_RUNNERS = new Set(['npm', 'npx', 'yarn', 'pnpm', 'bun'])

/** A package manager step that installs, or runs the site's build script (`npm run build`, `yarn docs:build`): nothing shipped. */
function packageStepBuilds(args: string[]): boolean {
  const words = args.filter((a) => !a.startsWith('-'))
  if (words.length === 0 || /^(?:ci|install|i|add)$/.test(words[0]!)) return true
  const script = words[0] === 'run' ? words[1] : words[0]
  return /^(?:build|docs?[:_-]build|build[:_-]docs?)$/.test(script ?? '')
}
/**
 * Programs that may ship files elsewhere (a copy to a host or a bucket, a hosting CLI) or run
 * project code not read here: beside a Pages push they may deploy something else.
 */
const MAY_SHIP_PROGRAMS = new Set(['rsync', 'scp', 'sftp', 'lftp', 'ssh', 'aws', 'gsutil', 'gcloud', 'az', 'curl', 'wget', 'rclone', 's3cmd', 'firebase', 'netlify', 'vercel', 'surge', 'wrangler', 'make', 'just', 'task'])

/**
 * The Pages push of a job labelled a deploy (no deploy step known) when it is all the job ships:
 * a step runs a Pages tool or action pushing without force (see `pagesPushOf`, `pagesActionPushOf`),
 * none forces one, no step deploys, releases or pushes otherwise, every other action is known to
 * ship nothing, the job reads no secret but its own token, and no command is a copy to another
 * host or bucket, a hosting CLI, a task runner, a package manager's script, or a project script
 * (run directly or through an interpreter) but one named for building the docs (`docsBuildScript`).
 */
function plainPagesPushOnly(ctx: CheckContext, job: JobModel): { label: string; outcome: string } | undefined {
  // A secret beyond the job's token is for something other than the Pages push: it may ship there.
  if (jobTextSome(ctx, job, readsSecretBeyondToken)) return undefined
  let found: { label: string; outcome: string } | undefined
  for (const step of job.steps) {
    const action = pagesActionPushOf(step)
    if (action?.forced) return undefined
    if (action) {
      found ??= action
      continue
    }
    if (step.uses !== undefined && !knownNotShipping(step)) return undefined
    if (stepPublishes(step)) return undefined
    for (const command of commandsRun(commandsOf(step))) {
      const push = pagesPushOf(command)
      if (push?.forced) return undefined
      if (push) {
        found ??= { label: push.label, outcome: REFUSED_PUSH }
        continue
      }
      // A project script (run directly or through an interpreter: `python tools/sync.py`, `node x.js`) but the docs build.
      const { program, args } = programOf(command)
      const script = [command.split(' ')[0] ?? '', program, /^(?:node|deno|bun|ruby|perl|php)$/.test(program) ? (args.find((a) => !a.startsWith('-')) ?? '') : '']
      if (script.some((word) => (word.includes('/') || /\.(sh|py|ps1|js|mjs|ts|rb|pl)$/.test(word)) && !docsBuildScript(word))) return undefined
      // A package manager's own scripts (`npm run upload-docs`) are project code too; installing is not.
      if (PACKAGE_RUNNERS.has(program) && !packageStepBuilds(args)) return undefined
      if (MAY_SHIP_PROGRAMS.has(program)) return undefined
    }
  }
  return found
}

function checkJob(ctx: CheckContext, job: JobModel): Finding[] {
  const evidence = deployEvidence(ctx, job)
  if (!evidence) return []
  const out: (Finding | undefined)[] = []
  const what = evidence.script
    ? `job \`${job.id}\` (it runs \`${evidence.script}\`, a deploy script by its name; what it does was not read)`
    : `${evidence.kind} job \`${job.id}\``
  // Jobs that call a reusable workflow cannot declare an environment; the callee must.
  if (!job.uses && job.environment === undefined) {
    const gateOnly = onlyReviewerGate(ctx, job)
    out.push(
      gateOnly
        ? ctx.report(RULES.deployNoEnvironment, job.line, `${what} has no \`environment:\`, so it runs without approval gates. Low: ${gateOnly}.`, { severity: 'low' })
        : ctx.report(RULES.deployNoEnvironment, job.line, `${what} has no \`environment:\`, so it runs without approval gates or environment-scoped secrets.`)
    )
  }
  // A reusable workflow from another repository may set its own concurrency group; it is not read.
  const externalCallee = job.uses !== undefined && !isLocalWorkflow(job.uses)
  if (evidence.kind === 'deploy' && ctx.wf.concurrency === undefined && job.concurrency === undefined && !externalCallee) {
    const pages = evidence.step === undefined ? plainPagesPushOnly(ctx, job) : undefined
    out.push(
      pages
        ? ctx.report(
            RULES.deployNoConcurrency,
            job.line,
            `${what} has no \`concurrency\` group (job or workflow), so two runs can deploy at the same time. Low: all it deploys is \`${pages.label}\`, which pushes the Pages branch without force, so of two overlapping runs ${pages.outcome}.`,
            { severity: 'low' }
          )
        : ctx.report(RULES.deployNoConcurrency, job.line, `${what} has no \`concurrency\` group (job or workflow), so two runs can deploy at the same time.`)
    )
  }
  if (evidence.kind === 'deploy' && !job.uses && !hasVerification(ctx, job, evidence.step)) {
    const line = evidence.step?.line ?? job.line
    out.push(ctx.report(RULES.deployNoVerification, line, `${what} has no rollout wait, health/smoke check or rollback step after deploying.`))
  }
  out.push(continueOnError(ctx, job, undefined))
  for (const step of job.steps) if (stepKind(step)) out.push(continueOnError(ctx, job, step))
  return out.filter((f): f is Finding => !!f)
}

export function checkDeploys(ctx: CheckContext): Finding[] {
  if (ctx.wf.kind !== 'workflow') return []
  return ctx.wf.jobs.flatMap((job) => checkJob(ctx, job))
}
