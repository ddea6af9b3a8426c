/**
 * Where model calls go: the Anthropic API (an API key), Amazon Bedrock (the job's AWS
 * credentials, through the SDK's provider chain) or Google Vertex AI (the job's Google
 * credentials). Each uses Anthropic's own SDK client for that platform, loaded only when chosen
 * (the AWS and Google SDKs stay out of runs that do not use them). Regions and projects are read
 * here, once, from the variables the platforms' own login actions set.
 */
import type { CreateParams, MessagesClient } from './client.js'
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from './client.js'

import type { ModelProvider } from '../config.js'

export class ProviderError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ProviderError'
  }
}

interface SdkLike {
  messages: {
    create(params: CreateParams): Promise<unknown>
    countTokens?: (params: unknown, options?: unknown) => Promise<{ input_tokens?: number }>
  }
}

const first = (...values: (string | undefined)[]) => values.map((v) => v?.trim()).find((v) => !!v)

/** What a provider needs from the environment, checked before any call so a gap is one clear message. */
export function providerSettings(provider: Exclude<ModelProvider, 'anthropic'>, env: Record<string, string | undefined>) {
  if (provider === 'bedrock') {
    const region = first(env.AWS_REGION, env.AWS_DEFAULT_REGION)
    if (!region) throw new ProviderError('model-provider bedrock needs AWS_REGION (aws-actions/configure-aws-credentials sets it)')
    return { provider, region, baseURL: first(env.ANTHROPIC_BEDROCK_BASE_URL) }
  }
  const region = first(env.CLOUD_ML_REGION, env.GOOGLE_CLOUD_REGION)
  const projectId = first(env.ANTHROPIC_VERTEX_PROJECT_ID, env.GOOGLE_CLOUD_PROJECT, env.GCLOUD_PROJECT, env.CLOUDSDK_CORE_PROJECT)
  if (!region) throw new ProviderError('model-provider vertex needs CLOUD_ML_REGION (the Vertex AI region, e.g. us-east5, or global)')
  if (!projectId) throw new ProviderError('model-provider vertex needs ANTHROPIC_VERTEX_PROJECT_ID or GOOGLE_CLOUD_PROJECT (google-github-actions/auth sets the latter)')
  return { provider, region, projectId, baseURL: first(env.ANTHROPIC_VERTEX_BASE_URL), accessToken: first(env.ANTHROPIC_VERTEX_ACCESS_TOKEN) }
}

/**
 * A Messages client for Bedrock or Vertex. The SDK module is imported on the first call; a
 * platform without token counting (Bedrock) answers `undefined` and the runner estimates.
 */
export function createProviderClient(
  provider: Exclude<ModelProvider, 'anthropic'>,
  env: Record<string, string | undefined>,
  options: { timeoutMs?: number; maxRetries?: number } = {}
): MessagesClient {
  const settings = providerSettings(provider, env)
  const common = { timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES }
  let sdk: Promise<SdkLike> | undefined
  const load = (): Promise<SdkLike> =>
    (sdk ??=
      settings.provider === 'bedrock'
        ? bedrock(settings.region, settings.baseURL, common)
        : vertex(settings.region, settings.projectId!, settings.baseURL, settings.accessToken, common))
  // Bedrock has no token-count endpoint (the SDK would call the Anthropic API path): estimate there.
  let countingWorks = settings.provider !== 'bedrock'
  return {
    create: async (params) => (await load()).messages.create(params) as ReturnType<MessagesClient['create']>,
    async countTokens(params) {
      const client = await load()
      if (!countingWorks || !client.messages.countTokens) return undefined
      try {
        const res = await client.messages.countTokens(params, { maxRetries: 0, timeout: 15_000 })
        return typeof res.input_tokens === 'number' ? res.input_tokens : undefined
      } catch {
        countingWorks = false
        return undefined
      }
    }
  }
}

type Common = { timeout: number; maxRetries: number }

/** A named export of a CommonJS package, whichever way the bundle's interop exposes it. */
function named<T>(mod: unknown, name: string): T {
  const m = mod as Record<string, unknown> & { default?: Record<string, unknown> }
  const value = m[name] ?? m.default?.[name]
  if (value === undefined) throw new Error(`the bundled module has no export '${name}'`)
  return value as T
}

async function bedrock(region: string, baseURL: string | undefined, common: Common): Promise<SdkLike> {
  const AnthropicBedrock = named<typeof import('@anthropic-ai/bedrock-sdk').AnthropicBedrock>(await import('@anthropic-ai/bedrock-sdk'), 'AnthropicBedrock')
  // The SDK looks the AWS credential chain up by a dynamic import a bundle cannot follow; hand it over.
  const fromNodeProviderChain = named<typeof import('@aws-sdk/credential-providers').fromNodeProviderChain>(await import('@aws-sdk/credential-providers'), 'fromNodeProviderChain')
  return new AnthropicBedrock({ ...common, awsRegion: region, ...(baseURL ? { baseURL } : {}), providerChainResolver: async () => fromNodeProviderChain() }) as unknown as SdkLike
}

async function vertex(region: string, projectId: string, baseURL: string | undefined, accessToken: string | undefined, common: Common): Promise<SdkLike> {
  const AnthropicVertex = named<typeof import('@anthropic-ai/vertex-sdk').AnthropicVertex>(await import('@anthropic-ai/vertex-sdk'), 'AnthropicVertex')
  // A ready token (gcloud auth print-access-token) is used as given; otherwise Application Default Credentials.
  const authClient = accessToken
    ? await import('google-auth-library').then((mod) => {
        const OAuth2Client = named<typeof import('google-auth-library').OAuth2Client>(mod, 'OAuth2Client')
        const client = new OAuth2Client()
        client.setCredentials({ access_token: accessToken })
        return client
      })
    : undefined
  return new AnthropicVertex({ ...common, region, projectId, ...(baseURL ? { baseURL } : {}), ...(authClient ? { authClient } : {}) }) as unknown as SdkLike
}
