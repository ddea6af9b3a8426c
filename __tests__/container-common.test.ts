/** The judgements shared by the Dockerfile, compose and Kubernetes rules: secret literals in environment entries, image repositories, the pause image, commands that only idle, official images that step down from root, images that declare a non-root user, single-instance datastores. */
import { commandOnlyIdles, declaredNonRootUser, envSecretLiteral, imageBaseName, imageRepository, isPauseImage, isSingleInstanceDatastore, officialImageName, officialStepDown } from '../src/rules/container-common.js'

describe('imageRepository: the registry host and repository path of an image reference', () => {
  it.each([
    ['node:20', { registry: undefined, path: 'node' }],
    ['docker.io/library/node:20@sha256:abc', { registry: 'docker.io', path: 'node' }],
    ['public.ecr.aws/docker/library/python:3.12', { registry: 'public.ecr.aws', path: 'python' }],
    ['registry.access.redhat.com/ubi9/ubi:9.4', { registry: 'registry.access.redhat.com', path: 'ubi9/ubi' }],
    ['localhost/team/app', { registry: 'localhost', path: 'team/app' }],
    ['Registry:5000/Team/App:1.2', { registry: 'registry:5000', path: 'team/app' }],
    ['acme/api:1.2', { registry: undefined, path: 'acme/api' }]
  ])('%s → %o', (ref, expected) => {
    expect(imageRepository(ref)).toEqual(expected)
  })

  it('names the image without registry, namespace, tag or digest', () => {
    expect(imageBaseName('ghcr.io/acme/tools/su-exec:0.2@sha256:abc')).toBe('su-exec')
    expect(imageBaseName('postgres:15')).toBe('postgres')
  })
})

describe('officialImageName: a Docker Hub official image, by name, on Docker Hub or a mirror of it', () => {
  it.each([
    ['postgres:15-alpine', 'postgres'],
    ['docker.io/library/redis:7', 'redis'],
    ['mirror.gcr.io/mariadb:11', 'mariadb'],
    ['public.ecr.aws/docker/library/mysql:8.0', 'mysql'],
    ['bitnami/postgresql:16', undefined],
    ['ghcr.io/example/postgres:16', undefined],
    ['public.ecr.aws/bitnami/redis:7', undefined]
  ])('%s → %s', (ref, expected) => {
    expect(officialImageName(ref)).toBe(expected)
  })
})

describe('officialStepDown: the server user an official image\'s entrypoint re-runs as, for the arguments it is given', () => {
  it.each([
    ['postgres:16', undefined, 'postgres'],
    ['postgres:16', ['-c', 'max_connections=200'], 'postgres'],
    ['redis:7', ['/etc/redis/redis.conf'], 'redis'],
    ['redis:7', ['--appendonly', 'yes'], 'redis'],
    ['mariadb:11', ['mysqld'], 'mysql'],
    ['mongo:7', ['mongos', '--configdb', 'cfg/cfg-0:27019'], 'mongodb'],
    ['rabbitmq:3-management', undefined, 'rabbitmq']
  ])('%s %j → %s', (ref, args, user) => {
    expect(officialStepDown(ref, args)?.user).toBe(user)
  })

  it.each([
    ['postgres:16', ['bash']],
    ['redis:7', ['redis-cli', 'ping']],
    // rabbitmq's entrypoint prefixes no server to bare options: they run as given, as root.
    ['rabbitmq:3', ['-detached']],
    ['nginx:1.27', undefined],
    ['bitnami/redis:7', undefined]
  ])('%s %j → none', (ref, args) => {
    expect(officialStepDown(ref, args)).toBeUndefined()
  })
})

describe('isSingleInstanceDatastore: a database image, by its own name whatever the registry', () => {
  it.each(['postgres:16', 'docker.io/bitnami/postgresql:16', 'redis:alpine', 'ghcr.io/valkey-io/valkey:8', 'mongo:7', 'mariadb:11'])('%s', (ref) => {
    expect(isSingleInstanceDatastore(ref)).toBe(true)
  })
  it.each(['nginx:1.27', 'registry.example.com/api:1.4.2', 'redis-exporter:1.0', 'oliver006/redis_exporter:v1.62.0'])('%s is not one', (ref) => {
    expect(isSingleInstanceDatastore(ref)).toBe(false)
  })
})

describe('isPauseImage: the Kubernetes pause image, by registry and repository path', () => {
  it.each([
    'registry.k8s.io/pause:3.10',
    'REGISTRY.K8S.IO/pause@sha256:' + 'ab'.repeat(32),
    'k8s.gcr.io/pause-amd64:3.1',
    'gcr.io/google_containers/pause:2.0',
    'gcr.io/google_containers/pause-arm64:3.0',
    'gcr.io/google-containers/pause-amd64:3.1',
    'public.ecr.aws/eks-distro/kubernetes/pause:3.10',
    'mcr.microsoft.com/oss/kubernetes/pause:3.6'
  ])('%s is the pause image', (ref) => {
    expect(isPauseImage(ref)).toBe(true)
  })

  it.each([
    'pause:3.10',
    'library/pause',
    'registry.example.com/pause:3.10',
    'registry.k8s.io/kubernetes/pause:3.10',
    'registry.k8s.io/pause-helper:1.0',
    'gcr.io/other/pause:3.1',
    'gcr.io/google-containers-mirror/pause:3.1',
    'public.ecr.aws/eks-distro/kubernetes/pause-agent:1',
    'mcr.microsoft.com/pause:3.6',
    ''
  ])('%s is not', (ref) => {
    expect(isPauseImage(ref)).toBe(false)
  })
})

describe('envSecretLiteral: an environment entry holding a secret written into the file', () => {
  it.each([
    ['DB_PASSWORD', 's3cr3t-value', { secret: 's3cr3t-value', inUrl: false, standIn: false }],
    ['API_TOKEN', 'abcdef123456', { secret: 'abcdef123456', inUrl: false, standIn: false }],
    ['SST_PASSWORD', 'sst', { secret: 'sst', inUrl: false, standIn: false }],
    ['DATABASE_URL', 'postgres://app:pw-value@db:5432/app', { secret: 'pw-value', inUrl: true, standIn: false }],
    ['DATABASE_URL', 'postgres://app:p%40ss-word@db/app', { secret: 'p@ss-word', inUrl: true, standIn: false }],
    ['DB_PASSWORD', 'changeme', { secret: 'changeme', inUrl: false, standIn: true }],
    ['API_KEY', '<your-api-key>', { secret: '<your-api-key>', inUrl: false, standIn: true }],
    ['DATABASE_URL', 'postgres://app:example@db/app', { secret: 'example', inUrl: true, standIn: true }]
  ])('%s=%s → %o', (name, value, expected) => {
    expect(envSecretLiteral(name, value)).toEqual(expected)
  })

  it.each([
    ['DB_PASSWORD_FILE', '/run/secrets/db'],
    ['TOKEN_TTL', '3600'],
    ['DB_PASSWORD', '$(FROM_SECRET)'],
    ['DB_PASSWORD', '${DB_PASSWORD}'],
    ['DB_PASSWORD', '{{ .Values.password }}'],
    ['DB_PASSWORD', '$DB_PASSWORD'],
    ['DB_PASSWORD', ''],
    ['REDIS_PASSWORD_ENABLED', 'false'],
    ['MAX_PROMPT_TOKENS', '4096'],
    ['GPG_KEY', 'A035C8C19219BA821ECEA86B64E628F8D684696D'],
    ['LOG_LEVEL', 'debug'],
    ['DATABASE_URL', 'postgres://app:<password>@db/app'],
    ['DATABASE_URL', 'mysql://root:changeme@db/app'],
    ['CACHE_URL', 'redis://:$REDIS_PASSWORD@cache:6379']
  ])('%s=%s → no secret', (name, value) => {
    expect(envSecretLiteral(name, value)).toBeUndefined()
  })

  it('no value at all (`ARG NPM_TOKEN`, a list entry without `=`) holds none', () => {
    expect(envSecretLiteral('NPM_TOKEN', null)).toBeUndefined()
    expect(envSecretLiteral('NPM_TOKEN', undefined)).toBeUndefined()
  })
})

describe('commandOnlyIdles: a command that only waits, like the pause image', () => {
  it.each([
    [['sh', '-c', 'echo share-manager image pulled && sleep infinity'], []],
    [['sleep'], ['infinity']],
    [['/bin/sleep', '3600']],
    [['sleep', '1h']],
    [['tail', '-f', '/dev/null']],
    [['/bin/bash', '-c'], ['echo a; echo b\nexec sleep inf']],
    // Notes written to files, then idling: a shared-volume demo, no server.
    [['sh', '-c', 'hostname >> /data/shared.txt; sleep 3; cat /data/shared.txt; sleep infinity'], []],
    [['sh', '-c', 'echo go > /tmp/x 2>&1 && sleep infinity'], []]
  ] as [string[], string[]?][])('%j %j idles', (command, args = []) => {
    expect(commandOnlyIdles(command, args)).toBe(true)
  })

  it.each([
    [[], ['sleep', 'infinity']],
    [['sleep', '59m'], []],
    [['sleep', 'infinity', '&&', 'run'], []],
    [['sh', '-c', 'sleep infinity & /app/agent'], []],
    [['sh', '-c', 'echo `id` && sleep infinity'], []],
    [['sh', '-c', 'echo go > /dev/tcp/10.0.0.1/80 && sleep infinity'], []],
    [['sh', '-c', 'echo go > >(nc 10.0.0.1 80) && sleep infinity'], []],
    [['sh', '-c', 'cat <<EOF > /etc/app.conf && sleep infinity'], []],
    [['sh', '-c', 'env PORT=80 /app/server && sleep infinity'], []],
    [['sh', '-c', 'hostname > $OUT && sleep infinity'], []],
    [['sh', '-c', 'cp /a /b && sleep infinity'], []],
    [['sh', '-c', 'sleep infinity', 'extra'], []],
    [['tail', '-f', '/var/log/app.log'], []],
    [['sleep', undefined], []]
  ] as [(string | undefined)[], string[]][])('%j %j does not', (command, args) => {
    expect(commandOnlyIdles(command, args)).toBe(false)
  })
})

describe('declaredNonRootUser: images whose Dockerfile ends on a non-root USER', () => {
  it.each([
    ['grafana/grafana:7.1.0', 'grafana/grafana'],
    ['docker.io/grafana/grafana-oss:10.4.2-ubuntu', 'grafana/grafana-oss'],
    ['mirror.gcr.io/grafana/grafana-enterprise:latest', 'grafana/grafana-enterprise'],
    ['grafana/grafana', 'grafana/grafana'],
    ['grafana/grafana:5.1.0', 'grafana/grafana'],
    ['grafana/grafana:v6.0.0@sha256:' + 'ab'.repeat(32), 'grafana/grafana']
  ])('%s runs as 472', (ref, image) => {
    expect(declaredNonRootUser(ref)).toEqual({ image, user: '472' })
  })

  it.each(['n8nio/n8n', 'n8nio/n8n:1.0.0', 'docker.io/n8nio/n8n:1.64.3', 'n8nio/n8n:latest'])('%s runs as node', (ref) => {
    expect(declaredNonRootUser(ref)).toEqual({ image: 'n8nio/n8n', user: 'node' })
  })

  it.each(['grafana/grafana:5.0.4', 'grafana/grafana:4.6.3', 'grafana/grafana@sha256:' + 'ab'.repeat(32), 'grafana/grafana:main', 'ghcr.io/grafana/grafana:7.1.0', 'grafana:7.1.0', 'bitnami/grafana:10', 'n8nio/n8n:0.236.3', 'n8nio/n8n:next'])('%s: not known', (ref) => {
    expect(declaredNonRootUser(ref)).toBeUndefined()
  })
})
