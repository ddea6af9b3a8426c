/**
 * The catalogue of workflow rules. Severity varies by trust level, so each trust level is its
 * own rule: a finding's category and severity always come from exactly one RuleMeta.
 */
import { defineRules } from '../rule.js'

const INJECTION_FIX =
  'Pass the value through `env:` (e.g. `env: TITLE: ${{ github.event.issue.title }}`) and use the quoted shell variable (`"$TITLE"`) instead of the expression; in `github-script`, read it from `process.env` or `context.payload`.'

export const RULES = defineRules('workflow', {
  injectionPrivileged: {
    id: 'workflow/template-injection-privileged',
    category: 'security',
    topics: ['workflow-injection'],
    severity: 'critical',
    title: 'Attacker-controlled expression in a script of a privileged workflow',
    description:
      'An expression that expands attacker-controlled event data (issue or PR title/body, comment, branch name, commit message, …) is pasted into a shell script or github-script code in a workflow triggered by pull_request_target, workflow_run, issues, issue_comment or discussions, where the job holds secrets and a write token: anyone who can open an issue or PR can run commands. A field GitHub\'s API gives as a number (`.number`, `.id`, `.run_id`, …) read out of `fromJSON(…)` of a github-script step\'s JSON `result` is not reported, whatever text the step was given, when every value the script returns is what a GitHub API call returned, at most filtered, sliced or sorted, and the script neither writes a property of that name, parses text into objects nor returns text (`result-encoding: string`). A workflow_run event\'s `head_branch` is not reported when `on.workflow_run.branches` lists only plain branch names (no glob pattern or `!`, no `branches-ignore`) made of letters, digits, `.`, `_`, `/` and `-`: that filter is on the triggering run\'s branch, so the run starts only when head_branch is one of those fixed names.',
    remediation: INJECTION_FIX,
    refs: { kics: ['cicd/github/run_block_injection', 'cicd/github/script_block_injection', 'cicd/github/github_env_injection'], checkov: 'CKV_GHA_2', zizmor: 'template-injection' }
  },
  injection: {
    id: 'workflow/template-injection',
    category: 'security',
    topics: ['workflow-injection'],
    severity: 'high',
    title: 'Attacker-controlled expression in a script',
    description:
      'An expression that expands attacker-controlled data (event text fields, head branch names, or a step/job output or env value derived from them) is pasted into a shell script or github-script code before it runs, so crafted input becomes code. The whole event (`toJSON(github.event)`) counts as attacker-controlled only when some trigger of the workflow (or, for a reusable workflow, of a caller) can carry such text: not in a workflow run only on `release`, `schedule`, `label`, `milestone` or similar member-only events (a manual run\'s free-text inputs are reported as inputs). Medium in a workflow run only on `pull_request` whose job reads no secret: a fork\'s pull request runs its own copy of the workflow, so the text gains its author nothing more. A number GitHub\'s API assigns (`.number`, `.id`, …) read out of `fromJSON(…)` of a github-script step\'s JSON `result` is not attacker text when every value the script returns is a GitHub API call\'s result, at most filtered, sliced or sorted, and the script neither writes that property, parses text into objects nor returns text. Not reported for a field of an event that never starts the workflow (`github.event.workflow_run.*` in a workflow run only on push, `github.head_ref` without a pull request trigger), which expands to nothing; a reusable workflow (`workflow_call`) gets its caller\'s event, so it is still reported there.',
    remediation: INJECTION_FIX,
    refs: { kics: ['cicd/github/run_block_injection', 'cicd/github/script_block_injection', 'cicd/github/github_env_injection'], checkov: 'CKV_GHA_2', zizmor: 'template-injection' }
  },
  envFileInjection: {
    id: 'workflow/github-env-injection',
    category: 'security',
    topics: ['workflow-injection'],
    severity: 'high',
    title: 'Attacker-controlled text written to GITHUB_ENV or GITHUB_PATH in a privileged workflow',
    description:
      'A `run` script of a privileged workflow appends a shell variable holding attacker-controlled multi-line event text (an issue, PR or comment body, a commit message; passed in through `env:`) to `$GITHUB_ENV` or `$GITHUB_PATH`. In `$GITHUB_ENV` a newline in that text adds any variable it likes (`NODE_OPTIONS`, `LD_PRELOAD`, `BASH_ENV`) to every later step of the job, which holds its secrets and write token; in `$GITHUB_PATH` each line is a directory searched first for executables, so the text picks which programs those steps run. A value whose newlines are gone before it is written to `$GITHUB_ENV` (`${v//$\'\\n\'/}`, `tr -d \'\\n\'`, `base64 -w0`, `jq -Rs`, `head -1`, `toJSON(…)` in `env:`) or written with a random heredoc delimiter is not reported.',
    remediation:
      "Pass the value to the steps that need it with `env:` instead of exporting it; if it must be exported, strip newlines first (`\"${TITLE//$'\\n'/}\"`) or write it with a random heredoc delimiter.",
    refs: { kics: 'cicd/github/github_env_injection', zizmor: 'github-env' }
  },
  injectionInput: {
    id: 'workflow/template-injection-input',
    category: 'security',
    topics: ['workflow-injection'],
    severity: 'medium',
    title: 'Free-text input expanded into a script',
    description:
      'A string input (workflow_dispatch, workflow_call or composite action input) is pasted into a shell script or github-script code; whoever supplies the input controls the script. A workflow_call input is judged by what the calling workflows of the analysis pass (literals and choice inputs are safe); with no caller in the analysis, it is reported as set by unknown callers. Low when the workflow runs only on workflow_dispatch, no workflow in the analysis dispatches workflows (`gh workflow run`, the dispatch API, a dispatch action), and every job of the run holds nothing but its own token on GitHub\'s runners (no other secret, no OIDC token, no environment, no reusable workflow called, no self-hosted runner): whoever may dispatch it can already run an edited copy of the workflow from a branch with that token.',
    remediation: INJECTION_FIX.replace('github.event.issue.title', 'inputs.name'),
    refs: { zizmor: 'template-injection' }
  },
  untrustedCheckout: {
    id: 'workflow/untrusted-checkout',
    category: 'security',
    topics: ['workflow-injection', 'secret-exposure'],
    severity: 'critical',
    title: 'Privileged trigger checks out the pull request head',
    description:
      'A pull_request_target or workflow_run workflow checks out code from the pull request head; build scripts from a fork then run with the base repository secrets and a write token ("pwn request"). A job or checkout step whose `if:` admits only heads of this repository, for every privileged trigger of the workflow (`github.event.pull_request.head.repo.full_name == github.repository`, or the head compared with the base repository by id or owner, or with a literal naming this repository when the repository of the run is known; `workflow_run.head_repository` for workflow_run; or the pull request author compared with `dependabot[bot]` (`github.event.pull_request.user.login`), whose pull requests are branches of this repository, unlike `github.actor`, which is whoever triggered the run), is not reported: fork pull requests skip it, and whoever can push a branch here can already change the workflow. `head.repo.fork == false` and `!head.repo.fork` are no such guard: the `head.repo` of a deleted fork is null, and both hold for null. When no step after the checkout can run code from it (as far as Preflight reads them: shell data and text tools and builtins, git and gh subcommands that run no code, package managers and tools installed from trusted copies run outside the checkout, and actions known to only read files; anything else, a path, an interpreter, a build tool, a local or unknown action, counts as running code) it is high, or medium when the job reads no secret beyond its token and `permissions:` let that token write at most pull request and issue conversations.',
    remediation:
      'Use the `pull_request` trigger for building untrusted code; if a privileged step is needed, split it into a separate workflow_run workflow that only consumes artifacts and never executes them.',
    refs: { kics: 'cicd/github/checkout_of_untrusted_code_in_privileged_context', zizmor: 'dangerous-triggers' }
  },
  unpinnedAction: {
    id: 'workflow/unpinned-action',
    category: 'immutability',
    topics: ['supply-chain', 'immutable-artifacts'],
    severity: 'high',
    title: 'Action from another repository not pinned to a commit SHA',
    description:
      'An action or reusable workflow from another repository (not `actions/*` or `github/*`) is referenced by a tag or branch, which its owner (or whoever compromises it) can move to different code at any time, in a job that holds secrets or a token that may write (no `permissions:` means the repository default, which can be write). Medium when that default token is all the job has: the workflow runs only on push, pull_request, merge_group (the merge queue), a manual run or a schedule, sets no `permissions:` (or writes only code-scanning alerts and commit statuses: a moved tag could then at worst set a commit status), and the job reads no secret beyond its own token; on pull_request_target too when the job also checks out no pull request code (and its token is then the default or read-only). It stays high when the job sets no `permissions:` (job or workflow) yet a step does what only a writing token can (`dessant/lock-threads`, `actions/stale`, `actions/labeler`, `release-drafter/release-drafter`, `peter-evans/create-pull-request`, `peter-evans/create-or-update-comment`, `stefanzweifel/git-auto-commit-action`, an action handed the job token (`secrets.GITHUB_TOKEN`, `github.token`) with an input asking it to write: `add-labels`, `remove-labels`, `labels` of an action named for labels, `comment` or `body` of one named for comments, `create-release`/`-tag`/`-comment`/`-issue`/`-pull-request` and the like; or a `git push`, `gh pr comment|merge|edit` or `gh release create` it runs): the job works only where the repository default token writes. A reusable workflow (`workflow_call`) is judged by the workflows of the analysis calling it (by path, or by this repository\'s name): every one must run only on those triggers and pass it no secret (`secrets: inherit` counts); with no caller in view it stays high. One that sets no `permissions:` gets what each calling job grants (its own `permissions:`, else its workflow\'s): none anywhere is the repository default, judged as the inline job; a grant writing more than the scopes above keeps it high.',
    remediation: 'Pin to the full 40-character commit SHA and keep the version in a comment: `uses: owner/repo@<sha> # v1.2.3`; let Dependabot or Renovate update it.',
    refs: { kics: 'cicd/github/unpinned_actions_full_length_commit_sha', zizmor: 'unpinned-uses' }
  },
  unpinnedActionReadOnly: {
    id: 'workflow/unpinned-action-read-only',
    category: 'immutability',
    topics: ['supply-chain', 'immutable-artifacts'],
    severity: 'medium',
    title: 'Action from another repository not pinned, in a job without secrets or write access',
    description:
      'An action or reusable workflow from another repository is referenced by a tag or branch in a job whose token is read-only and that passes it no secret. Whoever moves that ref cannot push or publish with this job, but can still change what it builds, caches or uploads. Low when nothing the job makes can leave its run: the workflow runs only on pull_request, and the job (on a runner that is not self-hosted, with no reusable workflow or local action) has no artifact upload, Pages, release, publish, deploy or push step and no later job holding a secret or a write token needs it; a cache it saves is scoped to the pull request\'s merge ref, which neither the base nor the default branch restores. A merge_group run is not lowered: its result decides what lands on the base branch.',
    remediation: 'Pin to the full 40-character commit SHA and keep the version in a comment: `uses: owner/repo@<sha> # v1.2.3`; let Dependabot or Renovate update it.',
    refs: { kics: 'cicd/github/unpinned_actions_full_length_commit_sha', zizmor: 'unpinned-uses' }
  },
  unpinnedSameOwner: {
    id: 'workflow/unpinned-same-owner',
    category: 'immutability',
    topics: ['supply-chain', 'immutable-artifacts'],
    severity: 'low',
    title: "Action of the repository's own owner not pinned to a commit SHA",
    description:
      'An action or reusable workflow of the same owner as this repository is referenced by a tag or branch. Whoever can move that ref can already change this repository, so this is hardening, not a third-party risk: a SHA still makes each run reproducible and a change of the shared code visible in a pull request here.',
    remediation: 'Pin to the full commit SHA with the version in a comment (`uses: owner/repo@<sha> # v1.2.3`) and let Dependabot or Renovate update it.',
    refs: { zizmor: 'unpinned-uses' }
  },
  unpinnedFirstParty: {
    id: 'workflow/unpinned-first-party-action',
    category: 'immutability',
    topics: ['supply-chain', 'immutable-artifacts'],
    severity: 'medium',
    title: 'GitHub-owned action follows a branch',
    description:
      'An `actions/*` or `github/*` action is referenced by a branch (or no ref at all), so every run may pick up different code. Version tags of GitHub-owned actions are accepted, as KICS and zizmor do by default.',
    remediation: 'Reference a release tag (`@v4`) or, stricter, the full commit SHA with the version in a comment.',
    refs: { kics: 'cicd/github/unpinned_actions_full_length_commit_sha', zizmor: 'unpinned-uses' }
  },
  unpinnedImage: {
    id: 'workflow/unpinned-image',
    category: 'immutability',
    topics: ['supply-chain', 'immutable-artifacts'],
    severity: 'low',
    title: 'Container image without a digest',
    description: 'A `docker://` action, job container or service container is referenced by tag, so the image behind it can change between runs.',
    remediation: 'Reference the image by digest: `image@sha256:<digest>` (keep the tag in a comment).',
    refs: { zizmor: 'unpinned-images' }
  },
  writeAll: {
    id: 'workflow/permissions-write-all',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'high',
    title: 'GITHUB_TOKEN granted write-all',
    description: '`permissions: write-all` gives the job token write access to every scope (contents, packages, actions, …), so any compromised step can push code or publish packages.',
    remediation: 'List only the scopes the job needs, e.g. `permissions: { contents: read }`, and grant writes per job.',
    refs: { kics: 'cicd/github/workflow_write_all_permissions', checkov: 'CKV2_GHA_1', zizmor: 'excessive-permissions' }
  },
  missingPermissions: {
    id: 'workflow/missing-permissions',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'medium',
    title: 'No permissions block',
    description:
      'Neither the workflow nor the job sets `permissions`, so the GITHUB_TOKEN gets the repository default, which is read-write on many (older or organisation-configured) repositories. A job that calls a reusable workflow of this repository (`uses: ./.github/workflows/…`, or `$/.github/workflows/…`, GitHub\'s self-repository reference) whose own `permissions` (at its top level, or in each of its jobs) decide the token is not reported: a called workflow can keep or lower what its caller grants, never raise it. When the called workflow was not read (another repository\'s, or one outside the analysis), the finding stays and says so. Low when no job it names hands its token to anything that could misuse it: the job runs no `run:` step, no `actions/github-script` (a script too), no checkout of any kind (actions/checkout keeps the token in the clone\'s git config), no local action, reusable workflow, `container:` or `services:`; it runs on GitHub\'s hosted runners only (`ubuntu-…`, `windows-…`, `macos-…` labels and no runner group: a self-hosted one may keep code an earlier job left); no action is given commands to run (an input whose name holds the word command(s), cmd, script(s), run, exec, shell, args or arguments: `run:` under another name); every action is GitHub\'s own (`actions/*`, `github/*`) pinned by release tag or commit SHA, or another\'s pinned to a commit SHA, and each is given its GitHub token input (`token`, `github-token`, `gh-token`, `repo-token`, `github-pat`; not another service\'s, such as `slack-token`) set to another secret, since actions, GitHub\'s own too, default theirs to `${{ github.token }}`; no expression of the job or of the workflow `env:`, nor an `if:`, reads `github.token` or `secrets.GITHUB_TOKEN` (`secrets[\'GITHUB_TOKEN\']`, a computed `secrets[…]`, the whole `secrets` or `github` context); and every token input or env variable (step, job, workflow) is one expression reading other secrets only (`${{ secrets.BOT_PAT }}`; a step output, a variable or an empty value does not count). A `with:` or `env:` given as one expression, or a YAML alias in the job, keeps it medium, as does any one job of the finding that falls short.',
    remediation: 'Add `permissions: { contents: read }` at the top of the workflow and grant extra scopes per job where needed.',
    refs: { zizmor: 'excessive-permissions' }
  },
  unsecureCommands: {
    id: 'workflow/unsecure-commands',
    category: 'security',
    topics: ['workflow-injection'],
    severity: 'high',
    title: 'Deprecated unsecure workflow commands enabled',
    description: '`ACTIONS_ALLOW_UNSECURE_COMMANDS: true` re-enables `set-env`/`add-path` through log output, so anything printed to the log (e.g. PR text) can set environment variables such as `NODE_OPTIONS` or `PATH`.',
    remediation: 'Remove the variable and write to `$GITHUB_ENV` / `$GITHUB_PATH` files instead.',
    refs: { kics: 'cicd/github/unsecured_commands', checkov: 'CKV_GHA_1', zizmor: 'insecure-commands' }
  },
  selfHostedOnPr: {
    id: 'workflow/self-hosted-on-pull-request',
    category: 'security',
    topics: ['least-privilege', 'workflow-injection'],
    severity: 'medium',
    title: 'Self-hosted runner reachable from pull requests',
    description: 'A job on a self-hosted runner runs for pull requests, so code from a fork can execute on (and persist on) your own machine and network. A job whose `if:` admits only pull requests from this repository (`github.event.pull_request.head.repo.full_name == github.repository`) is not reported.',
    remediation: 'Run pull-request jobs on GitHub-hosted or ephemeral, isolated runners, or require approval for fork PR workflows.',
    refs: { kics: 'cicd/github/self_hosted_runner_in_pull_request_workflow', zizmor: 'self-hosted-runner' }
  },
  secretEchoed: {
    id: 'workflow/secret-echoed',
    category: 'secrets',
    topics: ['secret-exposure'],
    severity: 'medium',
    title: 'Secret printed to the log',
    description:
      'A script echoes a secret to the job log: its output is not redirected to a file or read by a substitution, and when piped, the last command of the pipeline prints what it reads (`base64 -d`, `rev`, `tee`) rather than consuming it quietly (`--password-stdin`, `--with-token`, `gpg`, `ssh-add`, output redirected to a file, a `while read VAR` loop storing each line: its body prints the secret where it prints those variables). Log masking misses transformed values (encoded, split, multi-line), and the log is readable by everyone with read access.',
    remediation: 'Do not print secrets; pipe them to the consuming command (`--password-stdin`) or write them to a file with restricted permissions.'
  },
  secretsUntrustedCode: {
    id: 'workflow/secrets-in-untrusted-checkout',
    category: 'secrets',
    topics: ['secret-exposure', 'workflow-injection'],
    severity: 'high',
    title: 'Secret exposed to untrusted pull request code',
    description:
      'A secret is made available to a step that runs after the pull request head was checked out in a privileged workflow, where fork code can read it. Medium when the step hands it to an action of GitHub\'s own (`actions/`, `github/`; not a checkout that keeps its token in the clone) before any step runs code from the checkout: the job\'s exposure is then reported at the checkout and at the later steps. A step, job or workflow env whose only secret is the job\'s own token (`secrets.GITHUB_TOKEN`) is not reported after a checkout that keeps that token in its clone (no `persist-credentials: false`): the pull request\'s code reads it there already, and what it may do is reported at the checkout.',
    remediation: 'Do not pass secrets to jobs that build or run pull request code; move the privileged step to a separate job or workflow that does not check out the head.',
    refs: { zizmor: 'dangerous-triggers' }
  },
  secretsInherit: {
    id: 'workflow/secrets-inherit-external',
    category: 'secrets',
    topics: ['secret-exposure', 'supply-chain'],
    severity: 'medium',
    title: 'Every secret passed to a reusable workflow of another repository',
    description:
      '`secrets: inherit` hands all secrets of the repository (and of its organisation) to the called workflow, which lives in another repository and is changed by its own maintainers. A workflow of this repository (`./.github/workflows/…` or `$/.github/workflows/…`) or of the same owner is not reported.',
    remediation: 'Pass only the secrets the workflow declares: `secrets: { DEPLOY_TOKEN: ${{ secrets.DEPLOY_TOKEN }} }`, and pin it by commit SHA.',
    refs: { kics: 'cicd/github/secrets_inherit_in_reusable_workflow', zizmor: 'secrets-inherit' }
  },
  literalCredential: {
    id: 'workflow/literal-credential',
    category: 'secrets',
    topics: ['secret-storage', 'secret-exposure'],
    severity: 'high',
    title: 'Credential written literally in the workflow',
    description: 'A password, token or key is written as a literal value in `env:`, `with:` or container credentials, so it is in the git history for everyone with read access. Medium when the value is words and a number (what a run gives a server it starts for itself), a `user:password` pair that repeats the user (`app:app`), or when the nearest env setting a framework\'s environment sets a test one (`NODE_ENV: test`, `RAILS_ENV: test`, …) and the key names the application\'s own secret (`SECRET_KEY`, `JWT_SECRET`, `SESSION_SECRET`), not an outside service\'s: most likely a setting of the application under test.',
    remediation: 'Revoke the credential, store it as an encrypted secret and reference it as `${{ secrets.NAME }}`.',
    refs: { zizmor: 'hardcoded-container-credentials' }
  },
  deployNoEnvironment: {
    id: 'workflow/deploy-without-environment',
    category: 'security',
    topics: ['pipeline-tests', 'least-privilege'],
    severity: 'medium',
    title: 'Deploy job without an environment',
    description:
      'A deploy or release job does not declare an `environment:`, so it gets no required reviewers, branch restrictions or environment-scoped secrets. goreleaser told to publish nothing (`--snapshot`, `--skip=publish`, `--skip-publish`) releases nothing, and a job named for a release (`release-snapshot`) whose only release tool is so told, and that pushes nothing, is not a release job. Neither is a job whose only release is an image push (`docker push`, `podman push`) to a registry on the runner itself (`localhost:5001/…`, `127.0.0.1`, `kind-registry`), on a GitHub-hosted runner or beside a throwaway cluster (its local registry); a push to a registry named by a variable, run through another program, or beside another image tool (`skopeo`, `buildx --push`) still counts. Low when an environment could add only a reviewer gate: the job reads no secret but its own `GITHUB_TOKEN` (whose rights `permissions:` sets), requests no OIDC token (`id-token: write`), and the job runs only on triggers that need write access to start (push, release, branch or tag creation or deletion, a manual or API run, a schedule, the merge queue) or on `pull_request` (a fork\'s pull request gets a read-only token and no secrets); a trigger the job\'s `if:` rules out (`github.event_name == \'workflow_dispatch\'`) does not count. Any other secret, an OIDC token, or a trigger others can start with the job\'s rights (pull_request_target, issues, issue_comment, workflow_run, workflow_call, …) keeps it medium.',
    remediation: 'Add `environment: production` (or the target) to the job and configure protection rules for it.'
  },
  deployNoConcurrency: {
    id: 'workflow/deploy-without-concurrency',
    category: 'slo',
    topics: ['rollout-strategy'],
    severity: 'medium',
    title: 'Deploys can overlap',
    description:
      'A deploy job has no `concurrency` group at job or workflow level, so two runs can deploy at once and an older commit can finish last. A job that deploys only to a cluster it stands up itself (kind, k3d, k3s, minikube, microk8s, by its command or an action named for one, or a cloud cluster it creates and deletes again, such as `az aks create` … `az aks delete` in an always-run clean-up) or to infrastructure it destroys again is no deploy: each run gets its own. Nor is a job that holds no credential reaching anything shared: it runs only on `pull_request` (after its `if:`), on a GitHub-hosted runner, with a token `permissions:` makes read-only, no OIDC token, no secret and no configuration variable (`vars.*`, which forks\' pull requests get too), and neither logs in to a cloud cluster nor reads a kubeconfig (from a secret or a variable), nor sets `KUBECONFIG` or hands a command `--kubeconfig`, `--server` or `--token` (but a token the runner\'s own cluster minted, `$(kubectl create token …)`), nor writes a kubeconfig into `~/.kube/config`; whatever it applies goes to what the runner stood up (a kind cluster a project script creates). These jobs are not deploys for the other deploy rules either. Low when a job named for a deploy (no deploy step known) ships nothing but a docs site pushed to its Pages branch without force: `mike deploy --push` (no `-f`/`--force`), `ghp-import -p` (no `-f`/`--force`, `-o`/`--no-history`), `mkdocs gh-deploy` (no `--force`, `--no-history`), `peaceiris/actions-gh-pages` (no `force_orphan: true`), with no other action than ones known to ship nothing, no secret but the job token, and no copy to a host or bucket, hosting CLI, task runner, package script but the site build, or project script but one named for building the docs; of two overlapping runs the later push is then refused as not a fast-forward, and fails instead of overwriting.',
    remediation: 'Add `concurrency: { group: deploy-${{ github.ref }}, cancel-in-progress: false }` to the workflow or the deploy job.'
  },
  deployNoVerification: {
    id: 'workflow/deploy-without-verification',
    category: 'rollback',
    topics: ['pipeline-tests', 'rollback-path'],
    severity: 'low',
    title: 'Deploy without verification or rollback step',
    description: 'A deploy job has no step that waits for the rollout, checks health or rolls back (no `kubectl rollout status`, `helm --atomic`/`--wait`, smoke test, health check or rollback), so a failed deploy is reported as success.',
    remediation: 'Follow the deploy with `kubectl rollout status`, use `helm upgrade --atomic --wait`, or add a smoke/health check step that fails the job (and a rollback step on failure).'
  },
  deployContinueOnError: {
    id: 'workflow/deploy-continue-on-error',
    category: 'slo',
    topics: ['pipeline-tests', 'rollout-strategy'],
    severity: 'low',
    title: 'Deploy failures ignored',
    description: '`continue-on-error: true` on a deploy step or job lets the workflow report success when the deploy failed.',
    remediation: 'Remove `continue-on-error` (or set it to false) on deploy steps.'
  },
  noTimeout: {
    id: 'workflow/job-without-timeout',
    category: 'cost',
    topics: ['cost-waste'],
    severity: 'low',
    title: 'Job without timeout-minutes',
    description: 'A job without `timeout-minutes` may run (and bill) for up to 6 hours when a step hangs.',
    remediation: 'Set `timeout-minutes:` on the job to a small multiple of its usual duration.'
  }
})

export type RuleKey = keyof typeof RULES

