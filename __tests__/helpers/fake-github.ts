/**
 * A small in-memory GitHub REST API on 127.0.0.1, serving exactly the endpoints Preflight calls.
 * Tests seed repositories (pull requests, files per ref, comments, issues), run the code under
 * test against `fake.url`, then assert on the state and on the log of every request. Faults can
 * be scripted per endpoint (5xx, rate limits, read-only token, a rejected review comment, a
 * write applied before its 502), and every answer can be delayed to model a distant GitHub.
 * `POST /graphql` answers the batched `object(expression:)` reads from the seeded files.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeFile {
  filename: string
  status?: 'added' | 'modified' | 'removed' | 'renamed' | 'copied' | 'changed' | 'unchanged'
  patch?: string
  previous_filename?: string
}

export interface FakePullInit {
  number: number
  title?: string
  body?: string | null
  labels?: string[]
  draft?: boolean
  baseSha?: string
  headSha?: string
  baseRef?: string
  headRef?: string
  /** `owner/name` of the head repository; differs from the base one for a fork. */
  headRepo?: string
  files?: FakeFile[]
  /** What `changed_files` says, when it should differ from `files.length` (GitHub lists 3,000 at most). */
  changedFiles?: number
  user?: string
}

export interface FakeUser {
  login: string
  type: 'User' | 'Bot'
}

export interface FakeComment {
  id: number
  body: string
  user: FakeUser
  created_at: string
  updated_at: string
  html_url: string
}

export interface FakeReviewComment extends FakeComment {
  pull_request_review_id: number | null
  path: string
  line: number
  side: string
  start_line: number | null
  start_side: string | null
  commit_id: string
}

export interface FakeReview {
  id: number
  user: FakeUser
  body: string
  state: string
  commit_id: string
  comments: number
}

export interface FakeIssue {
  number: number
  title: string
  body: string
  state: 'open' | 'closed'
  labels: string[]
  user: FakeUser
}

export interface FakeRepo {
  fullName: string
  defaultBranch: string
  pulls: Map<number, Required<Omit<FakePullInit, 'body'>> & { body: string | null }>
  /** ref (sha or branch) → path → content */
  contents: Map<string, Map<string, string>>
  /** `base...head` → changed files */
  compares: Map<string, FakeFile[]>
  issueComments: Map<number, FakeComment[]>
  reviewComments: Map<number, FakeReviewComment[]>
  reviews: Map<number, FakeReview[]>
  reactions: { commentId: number; content: string; user: string }[]
  issues: FakeIssue[]
  permissions: Map<string, string>
}

export interface RecordedRequest {
  method: string
  /** The path without the query string, decoded. */
  path: string
  query: Record<string, string>
  body: unknown
  status: number
  /** The endpoint name, e.g. `pulls.createReview`, or `unknown`. */
  route: string
  headers: Record<string, string | string[] | undefined>
  /** When the request arrived (ms since the epoch). */
  at: number
}

export interface Fault {
  /** Endpoint name (`pulls.get`) or `*` for any. */
  route: string
  method?: string
  status: number
  /** How many requests to answer this way; afterwards the endpoint behaves normally. */
  times: number
  headers?: Record<string, string>
  body?: unknown
  /** Run the endpoint (the write takes effect), then answer with `status` anyway. */
  applyFirst?: boolean
}

interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
  /** Sent as-is instead of JSON. */
  raw?: string
}

interface Ctx {
  repo: FakeRepo
  params: Record<string, string>
  query: Record<string, string>
  body: Record<string, unknown>
  headers: IncomingMessage['headers']
  pageUrl: string
}

type Handler = (ctx: Ctx) => Reply

const JSON_TYPE = 'application/json; charset=utf-8'
const notFound: Reply = { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } }
const forbidden: Reply = { status: 403, body: { message: 'Resource not accessible by integration' } }

/** New-side lines of a unified diff that a review comment may anchor to (added or context). */
export function rightSideLines(patch: string | undefined): Set<number> {
  const lines = new Set<number>()
  let next = 0
  let inHunk = false
  for (const text of (patch ?? '').split('\n')) {
    const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text)
    if (header) {
      next = Number(header[1])
      inHunk = true
    } else if (!inHunk || text.startsWith('\\')) {
      continue
    } else if (text.startsWith('+') || text.startsWith(' ')) {
      lines.add(next++)
    }
  }
  return lines
}

function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined
  } catch {
    return text
  }
}

function paginate(items: unknown[], ctx: Ctx): Reply {
  const perPage = Math.min(Number(ctx.query.per_page ?? 30) || 30, 100)
  const page = Math.max(Number(ctx.query.page ?? 1) || 1, 1)
  const last = Math.max(Math.ceil(items.length / perPage), 1)
  const link = (p: number, rel: string) => {
    const url = new URL(ctx.pageUrl)
    url.searchParams.set('per_page', String(perPage))
    url.searchParams.set('page', String(p))
    return `<${url}>; rel="${rel}"`
  }
  const links: string[] = []
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'))
  if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'))
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length ? { link: links.join(', ') } : {}
  }
}

export class FakeGitHub {
  readonly repos = new Map<string, FakeRepo>()
  readonly requests: RecordedRequest[] = []
  readonly faults: Fault[] = []
  /** Every write answers 403 "Resource not accessible by integration", as with a fork's token. */
  readOnly = false
  /** `path:line` anchors that make a review fail with 422 (on top of lines outside the diff). */
  readonly rejectedAnchors = new Set<string>()
  /** Review threads resolved through the GraphQL mutation (`T_<comment id>`). */
  readonly resolvedThreads = new Set<string>()
  /** Paths whose blob GraphQL reports as truncated (`text` null), as GitHub does for large files. */
  readonly truncatedBlobs = new Set<string>()
  /** Paths whose GraphQL alias GitHub refuses (null plus an entry in `errors`). */
  readonly refusedBlobs = new Set<string>()
  /** Milliseconds every answer waits before it is sent. */
  latencyMs = 0
  bot: FakeUser
  url = ''
  private nextId = 1000
  /** Handed to routes that are not under /repos/. */
  private readonly noRepo = FakeGitHub.emptyRepo('', 'main')
  private server = createServer((req, res) => void this.handle(req, res))

  private readonly routes: [method: string, pattern: RegExp, name: string, handler: Handler][] = []

  constructor(botLogin = 'github-actions[bot]') {
    this.bot = { login: botLogin, type: 'Bot' }
    const r = (method: string, path: string, name: string, handler: Handler) => {
      const pattern = new RegExp(
        '^' + path.replace(/\*(\w+)/g, '(?<$1>.+)').replace(/:(\w+)/g, '(?<$1>[^/]+)') + '$'
      )
      this.routes.push([method, pattern, name, handler])
    }
    const pr = (ctx: Ctx) => ctx.repo.pulls.get(Number(ctx.params.number))
    const issueOrPr = (ctx: Ctx) => Number(ctx.params.number)

    r('GET', '/repos/:owner/:repo/pulls/:number', 'pulls.get', (ctx) => {
      const p = pr(ctx)
      return p ? { status: 200, body: this.pullJson(ctx.repo, p) } : notFound
    })
    r('GET', '/repos/:owner/:repo/pulls/:number/files', 'pulls.listFiles', (ctx) => {
      const p = pr(ctx)
      if (!p) return notFound
      const files = p.files.slice(0, 3000).map((f, i) => ({
        sha: `blob${i}`,
        filename: f.filename,
        status: f.status ?? 'modified',
        additions: [...(f.patch ?? '').matchAll(/^\+/gm)].length,
        deletions: [...(f.patch ?? '').matchAll(/^-/gm)].length,
        changes: 0,
        ...(f.patch === undefined ? {} : { patch: f.patch }),
        ...(f.previous_filename ? { previous_filename: f.previous_filename } : {})
      }))
      return paginate(files, ctx)
    })
    r('GET', '/repos/:owner/:repo/contents', 'repos.getContent', (ctx) => this.content(ctx, ''))
    r('GET', '/repos/:owner/:repo/contents/*path', 'repos.getContent', (ctx) => this.content(ctx, ctx.params.path))
    r('GET', '/repos/:owner/:repo/compare/:basehead', 'repos.compareCommitsWithBasehead', (ctx) => {
      const files = ctx.repo.compares.get(ctx.params.basehead)
      if (!files) return notFound
      const [base, head] = ctx.params.basehead.split('...')
      return {
        status: 200,
        body: {
          status: 'ahead',
          base_commit: { sha: base },
          merge_base_commit: { sha: base },
          commits: [{ sha: head }],
          files: files.map((f) => ({ status: 'modified', ...f }))
        }
      }
    })
    r('GET', '/repos/:owner/:repo/pulls/:number/comments', 'pulls.listReviewComments', (ctx) =>
      paginate(ctx.repo.reviewComments.get(issueOrPr(ctx)) ?? [], ctx)
    )
    r('POST', '/repos/:owner/:repo/pulls/:number/reviews', 'pulls.createReview', (ctx) => this.createReview(ctx))
    r('GET', '/repos/:owner/:repo/issues/:number/comments', 'issues.listComments', (ctx) =>
      paginate(ctx.repo.issueComments.get(issueOrPr(ctx)) ?? [], ctx)
    )
    r('POST', '/repos/:owner/:repo/issues/:number/comments', 'issues.createComment', (ctx) => {
      const comment = this.addIssueComment(ctx.repo.fullName, issueOrPr(ctx), String(ctx.body.body ?? ''))
      return { status: 201, body: comment }
    })
    r('PATCH', '/repos/:owner/:repo/issues/comments/:id', 'issues.updateComment', (ctx) => {
      const comment = [...ctx.repo.issueComments.values()].flat().find((c) => c.id === Number(ctx.params.id))
      if (!comment) return notFound
      if (comment.user.login !== this.bot.login) return forbidden
      comment.body = String(ctx.body.body ?? '')
      comment.updated_at = new Date().toISOString()
      return { status: 200, body: comment }
    })
    r('PATCH', '/repos/:owner/:repo/pulls/comments/:id', 'pulls.updateReviewComment', (ctx) => {
      const comment = [...ctx.repo.reviewComments.values()].flat().find((c) => c.id === Number(ctx.params.id))
      if (!comment) return notFound
      if (comment.user.login !== this.bot.login) return forbidden
      comment.body = String(ctx.body.body ?? '')
      comment.updated_at = new Date().toISOString()
      return { status: 200, body: comment }
    })
    r('POST', '/repos/:owner/:repo/issues/comments/:id/reactions', 'reactions.createForIssueComment', (ctx) => {
      const content = String(ctx.body.content ?? '')
      ctx.repo.reactions.push({ commentId: Number(ctx.params.id), content, user: this.bot.login })
      return { status: 201, body: { id: this.nextId++, content, user: this.bot } }
    })
    r('GET', '/repos/:owner/:repo/collaborators/:user/permission', 'repos.getCollaboratorPermissionLevel', (ctx) => {
      const permission = ctx.repo.permissions.get(ctx.params.user) ?? 'none'
      return { status: 200, body: { permission, role_name: permission, user: { login: ctx.params.user } } }
    })
    r('GET', '/repos/:owner/:repo/issues', 'issues.listForRepo', (ctx) => {
      const state = ctx.query.state ?? 'open'
      const wanted = (ctx.query.labels ?? '').split(',').filter(Boolean)
      const issues = ctx.repo.issues
        .filter((i) => state === 'all' || i.state === state)
        .filter((i) => wanted.every((l) => i.labels.includes(l)))
      return paginate(issues.map((i) => this.issueJson(i)), ctx)
    })
    r('POST', '/repos/:owner/:repo/issues', 'issues.create', (ctx) => {
      const issue = this.addIssue(ctx.repo.fullName, {
        title: String(ctx.body.title ?? ''),
        body: String(ctx.body.body ?? ''),
        labels: ((ctx.body.labels as unknown[]) ?? []).map(String)
      })
      return { status: 201, body: this.issueJson(issue) }
    })
    r('PATCH', '/repos/:owner/:repo/issues/:number', 'issues.update', (ctx) => {
      const issue = ctx.repo.issues.find((i) => i.number === issueOrPr(ctx))
      if (!issue) return notFound
      const b = ctx.body
      if (typeof b.title === 'string') issue.title = b.title
      if (typeof b.body === 'string') issue.body = b.body
      if (b.state === 'open' || b.state === 'closed') issue.state = b.state
      if (Array.isArray(b.labels)) issue.labels = b.labels.map(String)
      return { status: 200, body: this.issueJson(issue) }
    })
    r('POST', '/graphql', 'graphql', (ctx) => this.graphql(ctx))
    r('POST', '/api/graphql', 'graphql', (ctx) => this.graphql(ctx))
    // GITHUB_TOKEN cannot read the authenticated user; the action must not need to.
    r('GET', '/user', 'users.getAuthenticated', () => forbidden)
    r('GET', '/users/:user', 'users.getByUsername', (ctx) => ({
      status: 200,
      body: { login: ctx.params.user, type: ctx.params.user.endsWith('[bot]') ? 'Bot' : 'User' }
    }))
  }

  /** Starts a server on a random port of 127.0.0.1. */
  static async start(botLogin?: string): Promise<FakeGitHub> {
    const fake = new FakeGitHub(botLogin)
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve))
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`
    return fake
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  // ── Seeding ─────────────────────────────────────────────────────────────────────────────

  addRepo(fullName: string, defaultBranch = 'main'): FakeRepo {
    const repo = FakeGitHub.emptyRepo(fullName, defaultBranch)
    this.repos.set(fullName.toLowerCase(), repo)
    return repo
  }

  private static emptyRepo(fullName: string, defaultBranch: string): FakeRepo {
    return {
      fullName,
      defaultBranch,
      pulls: new Map(),
      contents: new Map(),
      compares: new Map(),
      issueComments: new Map(),
      reviewComments: new Map(),
      reviews: new Map(),
      reactions: [],
      issues: [],
      permissions: new Map()
    }
  }

  repo(fullName: string): FakeRepo {
    return this.repos.get(fullName.toLowerCase()) ?? this.addRepo(fullName)
  }

  addPull(fullName: string, init: FakePullInit): void {
    const files = init.files ?? []
    this.repo(fullName).pulls.set(init.number, {
      number: init.number,
      title: init.title ?? `PR ${init.number}`,
      body: init.body === undefined ? '' : init.body,
      labels: init.labels ?? [],
      draft: init.draft ?? false,
      baseSha: init.baseSha ?? 'base0000',
      headSha: init.headSha ?? 'head0000',
      baseRef: init.baseRef ?? 'main',
      headRef: init.headRef ?? 'feature',
      headRepo: init.headRepo ?? fullName,
      files,
      changedFiles: init.changedFiles ?? files.length,
      user: init.user ?? 'octocat'
    })
  }

  /** Sets file contents at a ref (a sha or a branch name). */
  setFiles(fullName: string, ref: string, files: Record<string, string>): void {
    const repo = this.repo(fullName)
    const at = repo.contents.get(ref) ?? new Map<string, string>()
    for (const [path, text] of Object.entries(files)) at.set(path, text)
    repo.contents.set(ref, at)
  }

  setCompare(fullName: string, base: string, head: string, files: FakeFile[]): void {
    this.repo(fullName).compares.set(`${base}...${head}`, files)
  }

  addIssueComment(fullName: string, number: number, body: string, user: FakeUser = this.bot): FakeComment {
    const repo = this.repo(fullName)
    const now = new Date().toISOString()
    const id = this.nextId++
    const comment = { id, body, user, created_at: now, updated_at: now, html_url: `${this.url}/${fullName}/pull/${number}#issuecomment-${id}` }
    repo.issueComments.set(number, [...(repo.issueComments.get(number) ?? []), comment])
    return comment
  }

  addReviewComment(
    fullName: string,
    number: number,
    c: { path: string; line: number; body: string; user?: FakeUser; reviewId?: number; startLine?: number; commitId?: string }
  ): FakeReviewComment {
    const repo = this.repo(fullName)
    const now = new Date().toISOString()
    const id = this.nextId++
    const comment: FakeReviewComment = {
      id,
      body: c.body,
      user: c.user ?? this.bot,
      created_at: now,
      updated_at: now,
      html_url: `${this.url}/${fullName}/pull/${number}#discussion_r${id}`,
      pull_request_review_id: c.reviewId ?? null,
      path: c.path,
      line: c.line,
      side: 'RIGHT',
      start_line: c.startLine ?? null,
      start_side: c.startLine ? 'RIGHT' : null,
      commit_id: c.commitId ?? ''
    }
    repo.reviewComments.set(number, [...(repo.reviewComments.get(number) ?? []), comment])
    return comment
  }

  addIssue(fullName: string, init: { title: string; body?: string; labels?: string[]; state?: 'open' | 'closed'; user?: FakeUser }): FakeIssue {
    const repo = this.repo(fullName)
    const used = [...repo.pulls.keys(), ...repo.issues.map((i) => i.number)]
    const issue: FakeIssue = {
      number: Math.max(0, ...used) + 1,
      title: init.title,
      body: init.body ?? '',
      state: init.state ?? 'open',
      labels: init.labels ?? [],
      user: init.user ?? this.bot
    }
    repo.issues.push(issue)
    return issue
  }

  // ── Faults ──────────────────────────────────────────────────────────────────────────────

  /** Answers the next `times` requests to `route` with `status` (e.g. 502 twice). */
  failTimes(route: string, status: number, times: number, method?: string): void {
    this.faults.push({ route, status, times, method, body: { message: `Fake ${status}` } })
  }

  /** The next `times` requests to `route` take effect, then answer `status` (a 502 after GitHub applied a POST). */
  applyThenFail(route: string, status = 502, times = 1): void {
    this.faults.push({ route, status, times, applyFirst: true, body: { message: `Fake ${status} after applying` } })
  }

  /** A secondary rate limit (403 + retry-after), as GitHub sends when writes come too fast. */
  secondaryRateLimit(route: string, times = 1, retryAfterSeconds = 1): void {
    this.faults.push({
      route,
      status: 403,
      times,
      headers: { 'retry-after': String(retryAfterSeconds) },
      body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }
    })
  }

  /** A primary rate limit: remaining 0, reset `resetInSeconds` from now. */
  primaryRateLimit(route: string, times = 1, resetInSeconds = 1): void {
    this.faults.push({
      route,
      status: 403,
      times,
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + resetInSeconds)
      },
      body: { message: 'API rate limit exceeded for installation ID 1.' }
    })
  }

  /** Makes any review that contains a comment at `path:line` fail with 422. */
  rejectCommentAt(path: string, line: number): void {
    this.rejectedAnchors.add(`${path}:${line}`)
  }

  // ── Inspection ──────────────────────────────────────────────────────────────────────────

  /** Requests that changed (or tried to change) something; GraphQL queries are reads. */
  writes(): RecordedRequest[] {
    const mutation = (r: RecordedRequest) => /^\s*mutation\b/.test(String((r.body as { query?: unknown } | undefined)?.query ?? ''))
    return this.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && (r.route !== 'graphql' || mutation(r)))
  }

  /** Every `<ref>:<path>` expression the GraphQL queries asked for, in order (repeats kept). */
  graphqlExpressions(): string[] {
    return this.requests
      .filter((r) => r.route === 'graphql')
      .flatMap((r) => Object.entries((r.body as { variables?: Record<string, unknown> }).variables ?? {}))
      .filter(([k, v]) => /^e\d+$/.test(k) && typeof v === 'string')
      .map(([, v]) => v as string)
  }

  count(route: string, status?: number): number {
    return this.requests.filter((r) => r.route === route && (status === undefined || r.status === status)).length
  }

  resetLog(): void {
    this.requests.length = 0
  }

  // ── Internals ───────────────────────────────────────────────────────────────────────────

  private pullJson(repo: FakeRepo, p: NonNullable<ReturnType<FakeRepo['pulls']['get']>>) {
    const [headOwner] = p.headRepo.split('/')
    const [baseOwner] = repo.fullName.split('/')
    return {
      number: p.number,
      state: 'open',
      title: p.title,
      body: p.body,
      draft: p.draft,
      user: { login: p.user, type: 'User' },
      labels: p.labels.map((name, i) => ({ id: i + 1, name })),
      changed_files: p.changedFiles,
      base: { sha: p.baseSha, ref: p.baseRef, repo: { full_name: repo.fullName, owner: { login: baseOwner } } },
      head: { sha: p.headSha, ref: p.headRef, repo: { full_name: p.headRepo, fork: p.headRepo !== repo.fullName, owner: { login: headOwner } } }
    }
  }

  private issueJson(i: FakeIssue) {
    return { ...i, labels: i.labels.map((name) => ({ name })) }
  }

  private content(ctx: Ctx, path: string): Reply {
    const files = ctx.repo.contents.get(ctx.query.ref ?? ctx.repo.defaultBranch)
    if (!files) return notFound
    const raw = /raw/.test(String(ctx.headers.accept ?? ''))
    const text = files.get(path)
    if (text !== undefined) {
      if (raw) return { status: 200, raw: text, headers: { 'content-type': 'text/plain; charset=utf-8' } }
      const size = Buffer.byteLength(text)
      const base64 = Buffer.from(text).toString('base64').replace(/.{60}/g, '$&\n')
      return {
        status: 200,
        body: {
          type: 'file',
          name: path.split('/').pop(),
          path,
          size,
          sha: `sha-${path}`,
          // Like GitHub: the JSON media type carries no content above 1 MB.
          encoding: size > 1024 * 1024 ? 'none' : 'base64',
          content: size > 1024 * 1024 ? '' : base64
        }
      }
    }
    const prefix = path ? `${path}/` : ''
    const entries = new Map<string, { type: string; name: string; path: string; size: number }>()
    for (const [p, t] of files) {
      if (!p.startsWith(prefix)) continue
      const [name, ...rest] = p.slice(prefix.length).split('/')
      entries.set(name, { type: rest.length ? 'dir' : 'file', name, path: prefix + name, size: rest.length ? 0 : Buffer.byteLength(t) })
    }
    if (entries.size === 0) return notFound
    return { status: 200, body: [...entries.values()] }
  }

  private createReview(ctx: Ctx): Reply {
    const number = Number(ctx.params.number)
    const p = ctx.repo.pulls.get(number)
    if (!p) return notFound
    type InComment = { path: string; line?: number; side?: string; start_line?: number; start_side?: string; body: string }
    const comments = (ctx.body.comments as InComment[] | undefined) ?? []
    for (const c of comments) {
      const file = p.files.find((f) => f.filename === c.path)
      const lines = rightSideLines(file?.patch)
      const ok =
        file !== undefined &&
        c.line !== undefined &&
        (c.side ?? 'RIGHT') === 'RIGHT' &&
        lines.has(c.line) &&
        (c.start_line === undefined || (c.start_line < c.line && lines.has(c.start_line))) &&
        !this.rejectedAnchors.has(`${c.path}:${c.line}`)
      if (!ok) {
        // As GitHub does, one comment that cannot be anchored fails the whole review.
        return {
          status: 422,
          body: {
            message: 'Unprocessable Entity',
            errors: ['Line could not be resolved'],
            documentation_url: 'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request'
          }
        }
      }
    }
    const event = String(ctx.body.event ?? 'PENDING')
    const state = { COMMENT: 'COMMENTED', REQUEST_CHANGES: 'CHANGES_REQUESTED', APPROVE: 'APPROVED' }[event] ?? 'PENDING'
    const review: FakeReview = {
      id: this.nextId++,
      user: this.bot,
      body: String(ctx.body.body ?? ''),
      state,
      commit_id: String(ctx.body.commit_id ?? p.headSha),
      comments: comments.length
    }
    ctx.repo.reviews.set(number, [...(ctx.repo.reviews.get(number) ?? []), review])
    for (const c of comments) {
      this.addReviewComment(ctx.repo.fullName, number, {
        path: c.path,
        line: c.line as number,
        startLine: c.start_line,
        body: c.body,
        reviewId: review.id,
        commitId: review.commit_id
      })
    }
    return { status: 200, body: review }
  }

  /**
   * A minimal GraphQL: `repository(owner: $owner, name: $name)` with aliases
   * `fN: object(expression: $eN) { … }` and `rateLimit { cost remaining }`. Expressions must come
   * as variables (a literal string in the query is an error, as paths are untrusted); each
   * `<ref>:<path>` answers a Blob (text only when the query asks for `text`) or a Tree.
   */
  private graphql(ctx: Ctx): Reply {
    const query = String(ctx.body.query ?? '')
    const variables = (ctx.body.variables ?? {}) as Record<string, unknown>
    const fail = (message: string): Reply => ({ status: 200, body: { data: null, errors: [{ message }] } })
    if (/"/.test(query)) return fail('fake: string literals in the query text are not accepted; pass variables')
    if (/resolveReviewThread\(/.test(query)) {
      const id = String(variables.thread ?? '')
      if (!/^T_\d+$/.test(id)) return fail('fake: no such thread')
      this.resolvedThreads.add(id)
      return { status: 200, body: { data: { resolveReviewThread: { thread: { id, isResolved: true } } } } }
    }
    const repoMatch = /repository\(owner:\s*\$(\w+),\s*name:\s*\$(\w+)\)/.exec(query)
    if (!repoMatch) return fail('fake: only repository(owner: $owner, name: $name) queries are served')
    const repo = this.repos.get(`${String(variables[repoMatch[1]])}/${String(variables[repoMatch[2]])}`.toLowerCase())
    if (/reviewThreads\(/.test(query)) {
      // One thread per top-level review comment, its id derived from the comment's.
      const comments = repo?.reviewComments.get(Number(variables.number)) ?? []
      const nodes = comments.map((c) => ({ id: `T_${c.id}`, isResolved: this.resolvedThreads.has(`T_${c.id}`), comments: { nodes: [{ databaseId: c.id }] } }))
      return { status: 200, body: { data: { repository: repo ? { pullRequest: { reviewThreads: { nodes, pageInfo: { hasNextPage: false, endCursor: null } } } } : null } } }
    }
    const aliases = [...query.matchAll(/(\w+):\s*object\(expression:\s*\$(\w+)\)/g)].map((m) => ({ alias: m[1], variable: m[2] }))
    if (aliases.length > 100) return fail(`fake: ${aliases.length} aliases in one query (at most 100)`)
    for (const { variable } of aliases) {
      if (!new RegExp(`\\$${variable}:\\s*String!`).test(query)) return fail(`fake: variable $${variable} is not declared`)
      if (typeof variables[variable] !== 'string') return fail(`fake: variable $${variable} was not given`)
    }
    const withText = /\btext\b/.test(query)
    const errors: { message: string; path: string[]; type: string }[] = []
    const blob = (path: string, text: string, forTree = false) => {
      const truncated = this.truncatedBlobs.has(path)
      const binary = text.includes('\u0000')
      return {
        byteSize: Buffer.byteLength(text),
        isBinary: binary,
        ...(withText || forTree ? { isTruncated: truncated, text: binary || truncated ? null : text } : {})
      }
    }
    const repository: Record<string, unknown> = {}
    for (const { alias, variable } of aliases) {
      const expression = String(variables[variable])
      const colon = expression.indexOf(':')
      const ref = expression.slice(0, colon)
      const path = expression.slice(colon + 1).replace(/\/+$/, '')
      const files = repo?.contents.get(ref)
      if (this.refusedBlobs.has(path)) {
        repository[alias] = null
        errors.push({ message: `fake: refused to read ${path}`, path: ['repository', alias], type: 'FORBIDDEN' })
        continue
      }
      const text = files?.get(path)
      if (text !== undefined) {
        repository[alias] = blob(path, text)
        continue
      }
      const prefix = path ? `${path}/` : ''
      const entries = new Map<string, unknown>()
      for (const [p, t] of files ?? []) {
        if (!p.startsWith(prefix)) continue
        const [name, ...rest] = p.slice(prefix.length).split('/')
        entries.set(name, { name, path: prefix + name, type: rest.length ? 'tree' : 'blob', object: rest.length ? {} : blob(prefix + name, t, true) })
      }
      repository[alias] = entries.size ? { entries: [...entries.values()] } : null
    }
    const data: Record<string, unknown> = { repository: repo ? repository : null }
    if (/rateLimit\s*\{/.test(query)) data.rateLimit = { cost: 1, remaining: 4999 - this.count('graphql') }
    return { status: 200, body: errors.length ? { data, errors } : { data } }
  }

  private takeFault(route: string, method: string): Fault | undefined {
    const fault = this.faults.find(
      (f) => f.times > 0 && (f.route === '*' || f.route === route) && (!f.method || f.method === method)
    )
    if (fault) fault.times--
    return fault
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = Date.now()
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    const body = parseBody(text)
    const url = new URL(req.url ?? '/', this.url)
    const method = req.method ?? 'GET'
    const query = Object.fromEntries(url.searchParams)

    let route = 'unknown'
    let reply: Reply = notFound
    for (const [m, pattern, name, handler] of this.routes) {
      const match = m === method ? pattern.exec(url.pathname) : null
      if (!match) continue
      route = name
      const params = Object.fromEntries(Object.entries(match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]))
      const fault = this.takeFault(name, method)
      const repo = params.owner ? this.repos.get(`${params.owner}/${params.repo}`.toLowerCase()) : this.noRepo
      if (fault && fault.applyFirst && repo) {
        handler({ repo, params, query, body: (body ?? {}) as Record<string, unknown>, headers: req.headers, pageUrl: `${this.url}${url.pathname}${url.search}` })
        reply = { status: fault.status, body: fault.body ?? { message: 'fault' }, headers: fault.headers }
      } else if (fault) reply = { status: fault.status, body: fault.body ?? { message: 'fault' }, headers: fault.headers }
      else if (this.readOnly && method !== 'GET') reply = forbidden
      else if (!repo) reply = notFound
      else {
        const pageUrl = `${this.url}${url.pathname}${url.search}`
        reply = handler({ repo, params, query, body: (body ?? {}) as Record<string, unknown>, headers: req.headers, pageUrl })
      }
      break
    }
    if (route === 'unknown') {
      const fault = this.takeFault('*', method)
      if (fault) reply = { status: fault.status, body: fault.body, headers: fault.headers }
    }

    this.requests.push({ method, path: decodeURIComponent(url.pathname), query, body, status: reply.status, route, headers: req.headers, at: arrived })
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs))
    res.writeHead(reply.status, {
      'content-type': JSON_TYPE,
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      ...reply.headers
    })
    res.end(reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body)))
  }
}

export const startFakeGitHub = (botLogin?: string): Promise<FakeGitHub> => FakeGitHub.start(botLogin)
