/** Settings inside the review pipeline: min-inline-severity, per-persona settings, suppressed findings. */
import type { ChangeSet } from '../src/types.js'
import { runReviewPipeline } from '../src/modes/pipeline.js'
import { patchForNewFile } from '../src/changes/diff.js'
import { loadPersonaSet } from '../src/agents/loader.js'
import { readBundledPersonas } from '../src/agents/bundled.js'
import { resolveSettings } from '../src/settings/load.js'
import { withoutIgnoredPaths } from '../src/settings/run.js'
import { applyPersonaSettings } from '../src/agents/targets.js'

const DOCKERFILE = '# preflight:ignore dockerfile/no-healthcheck -- a batch job\nFROM node:latest\nRUN curl -fsSL http://get.example.com/install.sh | sh\nCMD ["node", "app.js"]\n'
const change = (): ChangeSet => ({
  title: 't',
  body: '',
  labels: [],
  files: [{ path: 'Dockerfile', status: 'added', kind: 'dockerfile', content: DOCKERFILE, patch: patchForNewFile(DOCKERFILE) }],
  notes: []
})
const personas = loadPersonaSet(readBundledPersonas(), []).personas

describe('the pipeline with settings', () => {
  it('posts inline only at or above min-inline-severity; the rest stay in the summary material', async () => {
    // Comments are grouped per resource: a group is posted when its worst problem reaches the threshold.
    const low = await runReviewPipeline(change(), personas, { maxAgents: 1, forced: [], settings: resolveSettings({ minInlineSeverity: 'low' }) })
    expect(low.comments.length).toBeGreaterThan(0)
    const critical = await runReviewPipeline(change(), personas, { maxAgents: 1, forced: [], settings: resolveSettings({ minInlineSeverity: 'critical' }) })
    expect(critical.comments.every((c) => c.severity === 'critical')).toBe(true)
    expect(critical.comments.length).toBeLessThan(low.comments.length)
    expect(critical.belowInline.length).toBeGreaterThan(0)
  })

  it('a suppressed finding leaves findings, comments and the checklist evidence, and is counted in the messages', async () => {
    const r = await runReviewPipeline(change(), personas, { maxAgents: 1, forced: [] })
    expect(r.suppressed?.map((f) => f.ruleId)).toEqual(['dockerfile/no-healthcheck'])
    expect(r.findings.some((f) => f.ruleId === 'dockerfile/no-healthcheck')).toBe(false)
    expect(r.comments.some((c) => c.body.includes('no-healthcheck'))).toBe(false)
    expect(r.agents.flatMap((a) => a.checklist.flatMap((c) => c.evidence)).some((e) => e.includes('no-healthcheck'))).toBe(false)
    expect(r.messages).toContain('1 finding suppressed (1 by this pull request)')
  })

  it('personas: disabled ones are not routed unless named; a model set for one replaces its own', () => {
    const settings = resolveSettings({ personas: { sre: { enabled: false }, architect: { model: 'haiku' } } })
    const out = applyPersonaSettings(personas, settings).personas
    expect(out.some((p) => p.aliases.includes('sre'))).toBe(false)
    expect(out.find((p) => p.aliases.includes('architect'))?.model).toBe('haiku')
    expect(applyPersonaSettings(personas, settings, ['sre']).personas.some((p) => p.aliases.includes('sre'))).toBe(true)
  })

  it('paths-ignore from the settings takes files out of the change with a note', () => {
    const out = withoutIgnoredPaths(change(), ['Docker*'])
    expect(out.files).toEqual([])
    expect(out.notes).toEqual([{ path: 'Dockerfile', reason: 'ignored', message: 'Dockerfile: matches paths-ignore, not reviewed' }])
  })
})
