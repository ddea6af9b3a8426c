/** Rule-tester cases for the Dockerfile rules: minimal files written for these tests. */
import type { CaseTable } from '../../helpers/rule-tester.js'

/** A final stage that is otherwise clean, so each case shows only what it is about. */
const CLEAN_TAIL = 'USER app\nHEALTHCHECK CMD ["/app/health"]\nCMD ["/app/server"]\n'

/** An npm install of the package.json copied beside the Dockerfile, and one of a whole copied folder. */
const NPM_WEB = 'FROM node:20.11\nWORKDIR /srv\nCOPY package.json ./\nRUN npm install\n'
const NPM_UI = 'FROM node:20.11\nCOPY . /build\nWORKDIR /build/app\nRUN npm install\n'

/** A database image in the official style: no USER; gosu downloaded for the entrypoint script to re-run the server with. */
const STEP_DOWN_DB = `FROM debian:bookworm-slim
RUN set -eux; \\
    apt-get update; \\
    apt-get install -y --no-install-recommends ca-certificates wget; \\
    wget -O /usr/local/bin/gosu "https://downloads.example.com/step-down/1.17/gosu-amd64"; \\
    chmod +x /usr/local/bin/gosu; \\
    rm -rf /var/lib/apt/lists/*
COPY docker-entrypoint.sh /usr/local/bin/
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["dbserver"]
`

/** An Android app built in one stage and exported from a scratch stage (`docker build --output`); `program` is its command. */
const apkExport = (program: string): string =>
  `FROM reactnativecommunity/react-native-android:v21.0 AS builder\nWORKDIR /src/\nCOPY . .\nRUN ./gradlew assembleRelease\n\nFROM scratch\nCOPY --from=builder /src/app/build/outputs/apk/release/app-release.apk /app.apk\nENTRYPOINT ["${program}"]\n`

/** A Python image with a `dev` target beside the final one; `devRun` is the dev stage's install. */
const withDevStage = (devRun: string, finalExtra = ''): string =>
  `FROM python:3.11-slim AS base\nWORKDIR /usr/local/app\n\nFROM base AS dev\n${devRun}\nCMD ["python", "app.py"]\n\nFROM base AS final\n${finalExtra}COPY . .\nUSER app\nCMD ["gunicorn", "app:app"]\n`

export const dockerfileCases: CaseTable = {
  'dockerfile/add-instead-of-copy': {
    valid: [{ code: 'FROM alpine:3.20\nCOPY app.conf /etc/app.conf\n' }, { name: 'archive unpacked by ADD', code: 'FROM alpine:3.20\nADD rootfs.tar.gz /\n' }],
    invalid: [{ code: 'FROM alpine:3.20\nADD app.conf /etc/app.conf\n', errors: [{ line: 2 }] }]
  },
  'dockerfile/add-remote-url': {
    valid: [
      { code: 'FROM alpine:3.20\nCOPY tool /opt/tool\n' },
      { name: 'checksum given', code: 'FROM alpine:3.20\nADD --checksum=sha256:' + 'ab'.repeat(32) + ' https://example.com/tool.tgz /opt/\n' }
    ],
    invalid: [{ code: 'FROM alpine:3.20\nADD https://example.com/tool.tgz /opt/\n', errors: [{ line: 2 }] }]
  },
  'dockerfile/apk-cache': {
    valid: [{ name: 'apk cache on a BuildKit cache mount', code: 'FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl=8.9.1-r0\n' }, { code: 'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\n' }],
    invalid: [{ code: 'FROM alpine:3.20\nRUN apk add curl=8.9.1-r0\n', errors: [{ line: 2 }] }]
  },
  'dockerfile/apk-unpinned': {
    valid: [{ code: 'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\n' }],
    invalid: [{ code: 'FROM alpine:3.20\nRUN apk add --no-cache curl\n', errors: [{ line: 2 }] }]
  },
  'dockerfile/apt-lists-not-deleted': {
    valid: [{ name: 'apt state on a BuildKit cache mount', code: 'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt,sharing=locked --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update && apt-get install -y curl=7.88.1-10\n' }, { code: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*\n' }, { name: 'apt-get dist-clean removes the lists too', code: 'FROM debian:13\nRUN apt-get update && apt-get install -y curl=8.14.1-2 && apt-get dist-clean\n' }],
    invalid: [{ code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl=7.88.1-10\n', errors: [{ line: 2 }] }]
  },
  'dockerfile/apt-unpinned': {
    valid: [{ code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*\n' }],
    invalid: [
      { code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n', errors: [{ line: 2 }] },
      {
        name: "through `sudo -n` (sudo's -n takes no argument, unlike nice's) and `nice -n 10`",
        code: 'FROM debian:12\nRUN sudo -n apt-get update && sudo -n apt-get install -y curl && nice -n 10 apt-get install -y wget && rm -rf /var/lib/apt/lists/*\n',
        errors: [{ line: 2, message: /curl.*wget|wget.*curl/ }]
      }
    ]
  },
  'dockerfile/base-image-latest': {
    valid: [
      { code: 'FROM node:20.11-alpine\n' },
      { name: 'earlier stage used as a base', code: 'FROM node:20.11 AS build\nFROM build\n' },
      { name: 'scratch', code: 'FROM scratch\nCOPY app /app\n' },
      { name: 'platform flag', code: 'FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n' },
      { name: 'ARG default with a tag', code: 'ARG BASE=node:20.11\nFROM ${BASE}\n' }
    ],
    invalid: [
      { code: 'FROM node:latest\n', errors: [{ line: 1, severity: 'medium' }] },
      { name: 'no tag', code: 'FROM node\n', errors: [{ line: 1 }] },
      {
        name: 'an upper-case placeholder a Makefile substitutes: info, not resolving to latest',
        files: { 'images/ceph/Dockerfile': '# see Makefile for the BASEIMAGE definition\nFROM BASEIMAGE\nRUN true\n', 'images/ceph/Makefile': "build:\n\tsed 's|BASEIMAGE|$(BASEIMAGE)|g' Dockerfile > out/Dockerfile\n" },
        errors: [{ line: 2, path: 'images/ceph/Dockerfile', severity: 'info', message: /^base image `BASEIMAGE` is no pullable image name as written \(repository names are lower-case\), so it is a placeholder a build step replaces/ }]
      },
      { name: 'an upper-case placeholder with the latest tag: info', code: 'FROM BASE_IMAGE:latest\n', errors: [{ line: 1, severity: 'info' }] },
      { name: 'an upper-case registry host is no placeholder: the repository is lower-case', code: 'FROM REGISTRY.EXAMPLE.COM/team/app\n', errors: [{ line: 1, severity: 'medium', message: /has no tag, so it resolves to `latest`/ }] },
      { name: 'ARG default resolves to latest', code: 'ARG TAG=latest\nFROM node:${TAG}\n', errors: [{ line: 2 }] },
      {
        name: 'a stage another Dockerfile names: the repository builds that image',
        files: { 'Dockerfile.dev': 'FROM app-base\nCOPY app /usr/local/bin/\n', Dockerfile: 'ARG BASE=ubuntu:24.04\nFROM $BASE AS app-base\nRUN true\n' },
        errors: [{ line: 1, path: 'Dockerfile.dev', severity: 'info', message: /an image this repository builds, a stage of `Dockerfile`/ }]
      },
      {
        name: 'tagged by `docker build -t` in a Makefile of another folder',
        files: { 'hack/Dockerfile.tools': 'FROM test-tools:latest AS base\nRUN true\n', Makefile: 'tools:\n\tdocker build -t test-tools:latest -f test/Dockerfile .\n' },
        errors: [{ line: 1, path: 'hack/Dockerfile.tools', severity: 'info', message: /tagged by `docker build` in `Makefile`/ }]
      },
      {
        name: '`--tag=` of `docker buildx build` in a script',
        files: { 'Dockerfile.ci': 'FROM ci-image\n', 'scripts/build.sh': '#!/bin/sh\ndocker buildx build \\\n  --tag=ci-image .\n' },
        errors: [{ line: 1, path: 'Dockerfile.ci', severity: 'info' }]
      },
      {
        name: 'an official image some Dockerfile renames as a stage is still the registry\'s',
        files: { 'Dockerfile.a': 'FROM node\n', 'Dockerfile.b': 'FROM docker.io/library/node:24 AS node\nFROM golang:1.22 AS golang\n' },
        errors: [{ line: 1, path: 'Dockerfile.a', severity: 'medium' }]
      },
      {
        name: 'a Dockerfile FROM the name its own build tags it with pulls the registry\'s image: medium',
        files: { 'cache/Dockerfile': 'FROM cachehouse\nRUN true\n', Makefile: 'cache:\n\tdocker build -t cachehouse ./cache\n' },
        errors: [{ line: 1, path: 'cache/Dockerfile', severity: 'medium' }]
      },
      {
        name: 'the same with `-f`, from a script in another folder',
        files: { 'images/cache.Dockerfile': 'FROM cachehouse:latest\n', 'scripts/build.sh': 'docker build -f ../images/cache.Dockerfile -t cachehouse ..\n' },
        errors: [{ line: 1, path: 'images/cache.Dockerfile', severity: 'medium' }]
      },
      ...[
        ['docker build -t cachehouse cache; docker push cachehouse', 'a command ended by `;`, then a push'],
        ['cd cache && docker build -t cachehouse .', 'a context read after `cd`'],
        ['docker build -t cachehouse cache --metadata-file meta.json', 'an option after the context']
      ].map(([command, name]) => ({
        name: `the Dockerfile a tagging build builds, ${name}: medium`,
        files: { 'cache/Dockerfile': 'FROM cachehouse\n', 'build.sh': `${command}\n` },
        errors: [{ line: 1, path: 'cache/Dockerfile', severity: 'medium' as const }]
      })),
      {
        name: 'a namespaced image is not a local one even when a stage shares its last word',
        files: { 'Dockerfile.a': 'FROM org/app-base\n', 'Dockerfile.b': 'FROM alpine:3.20 AS app-base\n' },
        errors: [{ line: 1, path: 'Dockerfile.a', severity: 'medium' }]
      }
    ]
  },
  'dockerfile/base-image-no-digest': {
    valid: [{ code: 'FROM node:20.11@sha256:' + 'c'.repeat(64) + '\n' }],
    invalid: [{ code: 'FROM node:20.11\n', errors: [{ line: 1, severity: 'info' }] }]
  },
  'dockerfile/curl-pipe-shell': {
    valid: [
      { code: 'FROM alpine:3.20\nRUN curl -fsSLo install.sh https://example.com/install.sh && sha256sum -c install.sha256 && sh install.sh\n' },
      { name: 'archive piped into tar', code: 'FROM alpine:3.20\nRUN curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin\n' }
    ],
    invalid: [
      { code: 'FROM alpine:3.20\nRUN curl -fsSL https://example.com/install.sh | sh\n', errors: [{ line: 2, severity: 'high' }] },
      { name: 'wget into bash', code: 'FROM alpine:3.20\nRUN wget -qO- https://example.com/i.sh | bash\n', errors: [{ line: 2 }] }
    ]
  },
  'dockerfile/expose-ssh': {
    valid: [{ code: 'FROM alpine:3.20\nEXPOSE 8080\n' }, { name: 'port 2222', code: 'FROM alpine:3.20\nEXPOSE 2222\n' }],
    invalid: [{ code: 'FROM alpine:3.20\nEXPOSE 8080 22\n', errors: [{ line: 2 }] }, { name: 'with protocol', code: 'FROM alpine:3.20\nEXPOSE 22/tcp\n', errors: [{ line: 2 }] }]
  },
  'dockerfile/no-healthcheck': {
    valid: [
      { name: 'final stage built on an earlier stage with a HEALTHCHECK', code: 'FROM alpine:3.20 AS base\nHEALTHCHECK CMD ["/app/health"]\nFROM base\nUSER app\nCMD ["/app/server"]\n' },
      { name: 'healthcheck switched off on purpose', code: 'FROM alpine:3.20\nUSER app\nHEALTHCHECK NONE\nCMD ["/app/server"]\n' },{ code: 'FROM alpine:3.20\n' + CLEAN_TAIL },
      { name: 'tool image: a language base, nothing of its own to run (the command comes with docker run)', code: 'FROM docker.io/library/node:22.4-alpine\nWORKDIR /app\nRUN apk add --no-cache protoc=24.4-r0\nCOPY package.json package-lock.json ./\nRUN npm ci\n' },
      { name: 'artifact image from scratch', code: 'FROM golang:1.22 AS build\nRUN go build -o /out/tool .\nFROM scratch\nCOPY --from=build /out/tool /tool\n' },
      { name: 'a scratch image exporting an app package its command names: nothing runs to probe', code: apkExport('/app.apk') },
      { name: 'AWS Lambda base image (Lambda never runs a HEALTHCHECK)', code: 'FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py ./\nCMD ["app.handler"]\n' }
    ],
    invalid: [
      { code: 'FROM alpine:3.20\nUSER app\nCMD ["/app/server"]\n', errors: [{ line: 1 }] },
      { name: 'a service base image runs its own server even without a CMD here', code: 'FROM nginx:1.27.0\nCOPY site/ /usr/share/nginx/html/\n', errors: [{ line: 1 }] },
      { name: 'a language base that exposes a port serves something', code: 'FROM node:22.4-alpine\nCOPY . /app\nEXPOSE 3000\n', errors: [{ line: 1 }] }
    ]
  },
  'dockerfile/no-user': {
    valid: [
      { name: 'final stage built on an earlier stage that sets USER', code: 'FROM node:20.11 AS base\nUSER node\nFROM base AS final\nCMD ["node", "server.js"]\n' },
      { code: 'FROM alpine:3.20\n' + CLEAN_TAIL },
      { name: 'USER only in the final stage counts', code: 'FROM golang:1.22 AS build\nFROM alpine:3.20\nUSER 10001\n' },
      { name: 'AWS Lambda base image (Lambda runs the function as its own user)', code: 'FROM public.ecr.aws/lambda/nodejs:20\nCOPY index.js ./\nCMD ["index.handler"]\n' },
      { name: 'a scratch data image with no command: nothing runs in it', code: 'FROM scratch\nCOPY modules/ /modules/\n' },
      { name: 'a scratch image exporting the APK its entrypoint names: an APK is not executable', code: apkExport('/app.apk') },
      { name: 'a jar copied into a directory, named by CMD: no JVM in scratch to run it', code: 'FROM scratch\nCOPY build/libs/service.jar /dist/\nCMD ["/dist/service.jar"]\n' },
      { name: 'a distroless base whose tag says nonroot', code: 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n' },
      { name: 'a base whose name says nonroot, given as a build argument default', code: 'ARG BASE=registry.example.com/platform/minimal-base-nonroot:2024-01\nFROM $BASE\nCOPY app /app\nENTRYPOINT ["/app"]\n' }
    ],
    invalid: [
      { name: 'USER in an earlier stage only', code: 'FROM golang:1.22 AS build\nUSER builder\nFROM alpine:3.20\nCMD ["/app"]\n', errors: [{ line: 3, severity: 'medium', message: /root for `alpine`/ }] },
      { name: 'a scratch image that runs a binary runs it as root', code: 'FROM golang:1.22 AS build\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n', errors: [{ line: 2, severity: 'medium' }] },
      { name: 'a scratch image whose entrypoint is a binary beside an exported APK: medium', code: apkExport('/app'), errors: [{ line: 6, severity: 'medium' }] },
      { name: 'a scratch image naming an archive it never copied in: medium', code: 'FROM scratch\nCOPY app /app\nENTRYPOINT ["/bundle.zip"]\n', errors: [{ line: 1, severity: 'medium' }] },
      {
        name: 'a Cypress test runner with no port: low, saying so',
        code: 'FROM cypress/included:15.20.1\nWORKDIR /app\nCOPY ./src/frontend .\nRUN npm clean-install\nENTRYPOINT ["cypress", "run"]\n',
        errors: [{ line: 1, severity: 'low', message: /\(usually root\), but it is a one-shot test runner: its command runs `cypress run` and it exposes no port$/ }]
      },
      { name: 'pytest through python -m on a root base: low', code: 'FROM python:3.12-slim\nCOPY . /src\nCMD ["python", "-m", "pytest", "/src/tests"]\n', errors: [{ line: 1, severity: 'low', message: /root for `python`\), but it is a one-shot test runner: its command runs `pytest`/ }] },
      {
        name: 'a packaging container whose command only moves its build output to an output folder: low, saying so',
        code: 'FROM registry.example.com/lambda-build:python3.7\nCOPY . .\nRUN zip -X -r lambda.zip ./\nCMD mkdir -p /output/ && mv lambda.zip /output/\n',
        errors: [{ line: 1, severity: 'low', message: /\(usually root\), but it is a one-off packaging container: its command only moves or copies files \(`mv lambda\.zip \/output\/`\) and it exposes no port/ }]
      },
      ...[
        ['rsync as a daemon', 'CMD ["rsync", "--daemon", "--no-detach"]'],
        ['a server after ||', 'CMD ["sh", "-c", "mkdir -p /out && cp -r /site /out/ || python -m http.server 8000"]'],
        ['a server in the background', 'CMD ["sh", "-c", "cp -r /site /out/ & python -m http.server 8000"]'],
        ['a copy piped into a server', 'CMD ["sh", "-c", "cp -r /site /out/ | nc -l 8000"]'],
        ['a substitution', 'CMD ["sh", "-c", "mkdir -p /out && cp $(python -m http.server) /out/"]']
      ].map(([why, cmd]) => ({ name: `not a packaging container: ${why}`, code: `FROM alpine:3.19\nCOPY site /site\n${cmd}\n`, errors: [{ line: 1, severity: 'medium' as const }] })),
      { name: 'the same copy handed to sh -c in exec form: low', code: 'FROM python:3.12-slim\nCOPY dist /dist\nCMD ["sh", "-c", "mkdir -p /out; cp -r /dist /out/"]\n', errors: [{ line: 1, severity: 'low', message: /packaging container: its command only moves or copies files \(`cp -r \/dist \/out\/`\)/ }] },
      { name: 'a copy followed by a server: medium', code: 'FROM python:3.12-slim\nCOPY . /app\nCMD cp /app/conf.py /etc/ && python /app/server.py\n', errors: [{ line: 1, severity: 'medium' }] },
      { name: 'a copy-only command in an image that exposes a port: medium', code: 'FROM python:3.12-slim\nCOPY dist /dist\nEXPOSE 8080\nCMD mkdir -p /out && cp -r /dist /out/\n', errors: [{ line: 1, severity: 'medium' }] },
      { name: 'only a mkdir, no copy: medium', code: 'FROM python:3.12-slim\nCOPY . /app\nCMD mkdir -p /out\n', errors: [{ line: 1, severity: 'medium' }] },
      { name: 'npm run test split over ENTRYPOINT and CMD: low', code: 'FROM node:20.11\nCOPY . /app\nRUN npm ci\nENTRYPOINT ["npm"]\nCMD ["run", "test:e2e"]\n', errors: [{ line: 1, severity: 'low', message: /its command runs `npm run test`/ }] },
      {
        name: 'a toolbox image (CLIs on a language runtime, no CMD, ENTRYPOINT or EXPOSE): low, saying so',
        code: 'FROM python:3.10.2-slim\nRUN apt-get update && apt-get install --no-install-recommends -y make=4.3-4.1 && rm -rf /var/lib/apt/lists/*\nCOPY scripts/ /usr/local/bin/\n',
        errors: [{ line: 1, severity: 'low', message: /root for `python`, but it is a toolbox image: a language-runtime or OS base with no CMD, ENTRYPOINT or EXPOSE/ }]
      },
      { name: 'a toolbox image built on a local stage of an OS base: low', code: 'FROM ubuntu:24.04 AS tools\nRUN mkdir /work\nFROM tools\nCOPY bin/ /usr/local/bin/\n', errors: [{ line: 3, severity: 'low', message: /toolbox image/ }] },
      {
        name: 'a toolbox image on the Docker CLI image that clears its command (ENTRYPOINT [] and CMD []): low',
        code: 'FROM docker:29.1.2-cli\nRUN apk add --no-cache bash=5.2.37-r0\nCOPY kind /usr/local/bin/kind\nENTRYPOINT []\nCMD []\n',
        errors: [{ line: 1, severity: 'low', message: /toolbox image/ }]
      },
      { name: 'the Docker image itself (its own command starts the daemon), no command of the file: medium', code: 'FROM docker:29.1.2\nCOPY certs/ /certs/\n', errors: [{ line: 1, severity: 'medium', message: /^(?!.*toolbox)/ }] },
      { name: 'the Docker-in-Docker variant: medium', code: 'FROM docker:29.1.2-dind\nCOPY certs/ /certs/\n', errors: [{ line: 1, severity: 'medium', message: /^(?!.*toolbox)/ }] },
      { name: 'an empty ENTRYPOINT beside a CMD that runs a program: medium', code: 'FROM python:3.12-slim\nCOPY tool.py /usr/local/bin/\nENTRYPOINT []\nCMD ["python", "/usr/local/bin/tool.py", "--serve"]\n', errors: [{ line: 1, severity: 'medium', message: /^(?!.*toolbox)/ }] },
      { name: 'an empty CMD in an image that exposes a port: medium', code: 'FROM python:3.12-slim\nCOPY tool.py /usr/local/bin/\nCMD []\nEXPOSE 8080\n', errors: [{ line: 1, severity: 'medium', message: /^(?!.*toolbox)/ }] },
      ...[
        ['COPY . /app', 'the checkout'],
        ['COPY src /app/src', 'its src folder'],
        ['ADD ./ /app', 'the checkout by ADD']
      ].map(([copy, what]) => ({
        name: `a runtime base with no command that copies ${what} in: an application image whose command compose or k8s gives, medium`,
        code: `FROM python:3.12-slim\n${copy}\nRUN pip install --no-cache-dir -r /app/requirements.txt\nWORKDIR /app\n`,
        errors: [{ line: 1, severity: 'medium' as const, message: /^(?!.*toolbox)/ }]
      })),
      { name: 'a runtime base with no command that exposes a port: medium', code: 'FROM python:3.12-slim\nCOPY . /app\nEXPOSE 8000\n', errors: [{ line: 1, severity: 'medium' }] },
      { name: 'a parent stage declaring the command: medium', code: 'FROM node:20.11 AS base\nCMD ["node", "server.js"]\nFROM base\nCOPY . /app\n', errors: [{ line: 3, severity: 'medium' }] },
      { name: "a server base with no command of the file's own: its CMD starts the server, medium", code: 'FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\n', errors: [{ line: 1, severity: 'medium' }] },
      { name: "a runtime's server variant (php:…-apache) with no command of the file's own: medium", code: 'FROM php:8.3-apache\nRUN docker-php-ext-install pdo_mysql\nCOPY src/ /var/www/html/\n', errors: [{ line: 1, severity: 'medium' }] },
      { name: 'a test command on an image that exposes a port still serves: medium', code: 'FROM node:20.11\nCOPY . /app\nRUN npm ci\nEXPOSE 9229\nCMD ["npm", "test"]\n', errors: [{ line: 1, severity: 'medium' }] },
      { name: 'a program whose name only contains a test runner\'s: medium', code: 'FROM python:3.12-slim\nCOPY . /srv\nCMD ["/srv/bin/tox-server", "--serve"]\n', errors: [{ line: 1, severity: 'medium' }] },
      { name: 'an official language base through a registry mirror, adding only files', code: 'FROM public.ecr.aws/docker/library/python:3.12-slim\nCOPY app.py /srv/\nCMD ["python", "/srv/app.py"]\n', errors: [{ line: 1, severity: 'medium', message: /root for `python`/ }] },
      { name: 'a vendor OS base', code: 'FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\nCOPY app /app\nENTRYPOINT ["/app"]\n', errors: [{ line: 1, severity: 'medium', message: /root for `ubi9\/ubi-minimal`/ }] },
      { name: 'distroless without the nonroot tag runs as root', code: 'FROM gcr.io/distroless/static-debian12:latest\nCOPY app /app\nENTRYPOINT ["/app"]\n', errors: [{ line: 1, severity: 'medium' }] },
      { name: 'an application image the file RUNs commands on', code: 'FROM vendor.example.com/shop/catalog:1.4.0\nRUN mkdir -p /data/cache\nCOPY conf/ /etc/catalog/\n', errors: [{ line: 1, severity: 'medium', message: /usually root/ }] },
      {
        name: 'a build image (toolchain base named by a build argument, no CMD, ENTRYPOINT or EXPOSE): info, saying so',
        code: 'ARG golang_image\nFROM ${golang_image}\nADD . /src/\nWORKDIR /src\nRUN go build -o scanner ./cmd/scanner\n',
        errors: [{ line: 2, severity: 'info', message: /it is a build image/ }]
      },
      { name: 'a golang base with a command of its own still serves: medium', code: 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n', errors: [{ line: 1, severity: 'medium', message: /root for `golang`/ }] },
      {
        name: 'an application image only re-exported: the user is that image\'s choice',
        code: 'FROM public.ecr.aws/example/storefront-ui:1.2.1\n\n# kept short for the lab\n',
        errors: [{ line: 1, severity: 'info', message: /whatever user `public\.ecr\.aws\/example\/storefront-ui:1\.2\.1` sets/ }]
      },
      {
        name: 'an organisation image with binaries copied in',
        code: 'FROM example/mesh-control-plane AS cache\nARG TARGETARCH\nCOPY bin/linux_${TARGETARCH}/control-plane /bin\n',
        errors: [{ line: 1, severity: 'info', message: /has no RUN step/ }]
      },
      {
        name: 'a base named by a build argument without a default',
        code: 'ARG BASE_IMAGE\nARG BUILD_IMAGE\nFROM $BUILD_IMAGE AS build\nRUN go build -o /out/ctl .\nFROM $BASE_IMAGE AS bin\nCOPY --from=build /out/ctl /ctl\nENTRYPOINT ["/ctl"]\n',
        errors: [{ line: 5, severity: 'info', message: /`\$BASE_IMAGE` \(named through a build argument/ }]
      },
      {
        name: 'a database image that downloads gosu for its entrypoint to step down with: low, saying what is true',
        code: STEP_DOWN_DB,
        errors: [{ line: 1, severity: 'low', message: /starts as root, but it installs `gosu`, which an entrypoint uses to drop to an unprivileged user before the main process starts; check that the entrypoint \(`docker-entrypoint\.sh`\) does$/ }]
      },
      {
        name: 'su-exec installed as a package, in a stage the final one is built on: low',
        code: 'FROM alpine:3.20 AS base\nRUN apk add --no-cache --virtual .run-deps su-exec tzdata\nFROM base\nCOPY start.sh /\nENTRYPOINT ["/start.sh"]\n',
        errors: [{ line: 3, severity: 'low', message: /installs `su-exec`/ }]
      },
      ...[
        ['["sudo", "-E", "-u", "discourse", "-H", "ruby", "script/docker_test.rb"]', 'sudo'],
        ['["runuser", "-u", "app", "--", "/app/server"]', 'runuser'],
        ['["setpriv", "--reuid=1000", "--regid=1000", "--init-groups", "/app/server"]', 'setpriv'],
        ['["chpst", "-u", "app:app", "/app/server"]', 'chpst']
      ].map(([entrypoint, tool]) => ({
        name: `a command started through ${tool} as another user: low`,
        code: `FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates=20230311\nENTRYPOINT ${entrypoint}\n`,
        errors: [{ line: 1, severity: 'low' as const, message: new RegExp(`its command runs \\x60${tool}\\x60, which drops to the user it names`) }]
      })),
      ...[
        'ENTRYPOINT ["sudo", "-u", "app", "-u", "root", "node", "s.js"]',
        'ENTRYPOINT ["sudo", "-u", "app", "--user=root", "node", "s.js"]',
        'ENTRYPOINT ["sudo", "-u", "app", "sudo", "node", "s.js"]',
        'ENTRYPOINT ["sudo", "-u", "app", "sh", "-c", "sudo node s.js"]',
        'CMD sudo -u app ./migrate.sh && node server.js',
        'CMD sudo -u "root" node server.js',
        'ENTRYPOINT ["chpst", "-u", ":0:0", "/app/server"]',
        'ENTRYPOINT ["setpriv", "--reuid=1000", "--euid=0", "/app/server"]',
        'ENTRYPOINT ["gosu", "app", "zsh", "-c", "sudo /app/run.sh"]'
      ].map((command) => ({
        name: `a switch that ends as root, switches again, or covers only part of the command (${command}): not lowered`,
        code: `FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates=20230311\n${command}\n`,
        errors: [{ line: 1, severity: 'medium' as const }]
      })),
      {
        name: 'gosu installed for an entrypoint script started by CMD (no ENTRYPOINT): low',
        code: 'FROM alpine:3.20\nRUN apk add --no-cache gosu=1.17-r5\nCOPY entrypoint.sh /entrypoint.sh\nCMD ["/entrypoint.sh"]\n',
        errors: [{ line: 1, severity: 'low', message: /installs `gosu`, which an entrypoint uses to drop to an unprivileged user/ }]
      },
      {
        name: 'gosu copied from an image of its own: low',
        code: 'FROM debian:bookworm-slim\nCOPY --from=registry.example.com/tools/gosu:1.17 /gosu /usr/local/bin/gosu\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n',
        errors: [{ line: 1, severity: 'low', message: /installs `gosu`/ }]
      },
      {
        name: 'gosu copied from its image with another flag before --from: low',
        code: 'FROM debian:bookworm-slim\nCOPY --chmod=755 --from=tianon/gosu:1.17 /usr/local/bin/gosu-amd64 /usr/local/bin/step-down\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n',
        errors: [{ line: 1, severity: 'low', message: /installs `gosu`/ }]
      },
      {
        name: 'gosu copied from a build stage by its path: low',
        code: 'FROM golang:1.22 AS tools\nRUN go install github.com/example/gosu@v1.17\nFROM debian:bookworm-slim\nCOPY --from=tools /go/bin/gosu /usr/local/bin/gosu\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n',
        errors: [{ line: 3, severity: 'low', message: /installs `gosu`/ }]
      },
      {
        name: 'an ENTRYPOINT that runs su-exec itself: low, naming it',
        code: 'FROM alpine:3.20\nRUN apk add --no-cache tini\nENTRYPOINT ["/sbin/tini", "--", "/sbin/su-exec", "app", "/srv/run"]\n',
        errors: [{ line: 1, severity: 'low', message: /its command runs `su-exec`, which drops to the user it names/ }]
      },
      {
        name: 'an image whose name only contains the letters (logosumo): medium',
        code: 'FROM debian:bookworm-slim\nCOPY --from=registry.example.com/logosumo:2 /srv /srv\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*\nENTRYPOINT ["/srv/run"]\n',
        errors: [{ line: 1, severity: 'medium' }]
      },
      {
        name: 'a zypper repository option is not a package (`-r gosu`): medium',
        code: 'FROM opensuse/leap:15.6\nRUN zypper -n install -r gosu curl-8.6.0\nENTRYPOINT ["/srv/run"]\n',
        errors: [{ line: 1, severity: 'medium' }]
      },
      {
        name: 'gosu installed but no ENTRYPOINT to use it: medium',
        code: 'FROM alpine:3.20\nRUN apk add --no-cache gosu\nCMD ["redis-server"]\n',
        errors: [{ line: 1, severity: 'medium', message: /root for `alpine`/ }]
      },
      {
        name: 'gosu and su-exec named only in comments, inside and after a RUN: medium',
        code: 'FROM alpine:3.20\n# gosu comes with the base\nRUN set -eux; \\\n# wget -O /usr/local/bin/gosu https://downloads.example.com/gosu\n    apk add --no-cache redis # su-exec later\nENTRYPOINT ["/start.sh"]\n',
        errors: [{ line: 1, severity: 'medium', message: /root for `alpine`/ }]
      },
      {
        name: 'a step-down tool removed or deleted, not installed: medium',
        code: 'FROM alpine:3.20\nRUN rm -f /usr/local/bin/gosu && apk del su-exec\nENTRYPOINT ["/start.sh"]\n',
        errors: [{ line: 1, severity: 'medium', message: /root for `alpine`/ }]
      },
      {
        name: 'gosu copied onto an image that picks its own user, with no RUN step: still info',
        code: 'FROM registry.example.com/shop/db:1.0\nCOPY --from=registry.example.com/tools/gosu:1.17 /gosu /usr/local/bin/gosu\nENTRYPOINT ["/entrypoint.sh"]\n',
        errors: [{ line: 1, severity: 'info', message: /whatever user/ }]
      }
    ]
  },
  'dockerfile/npm-install-not-ci': {
    valid: [
      { code: 'FROM node:20.11\nRUN npm ci\n' },
      { name: 'package.json without a lockfile: `npm ci` would fail', files: { 'web/Dockerfile': NPM_WEB, 'web/package.json': '{ "name": "web" }\n' } },
      { name: 'the copied folder has a package.json and no lockfile', files: { 'ui/Dockerfile': NPM_UI, 'ui/app/package.json': '{ "name": "ui" }\n' } }
    ],
    invalid: [
      { name: 'nothing around the Dockerfile is known', code: 'FROM node:20.11\nRUN npm install\n', errors: [{ line: 2, message: /commit package-lock\.json and install with `npm ci`/ }] },
      {
        name: 'a lockfile beside the Dockerfile',
        files: { 'web/Dockerfile': NPM_WEB, 'web/package.json': '{ "name": "web" }\n', 'web/package-lock.json': '{ "lockfileVersion": 3 }\n' },
        errors: [{ line: 4, message: /instead of `npm ci`, although the build context has a lockfile/ }]
      },
      {
        name: 'a lockfile in the copied folder',
        files: { 'ui/Dockerfile': NPM_UI, 'ui/app/package.json': '{ "name": "ui" }\n', 'ui/app/npm-shrinkwrap.json': '{ "lockfileVersion": 3 }\n' },
        errors: [{ line: 4 }]
      }
    ]
  },
  'dockerfile/npm-unpinned': {
    valid: [{ code: 'FROM node:20.11\nRUN npm install -g typescript@5.4.5\n' }],
    invalid: [
      { code: 'FROM node:20.11\nRUN npm install -g typescript\n', errors: [{ line: 2 }] },
      { name: 'a test stage the final image does not contain: low', code: 'FROM node:20.11 AS test\nRUN npm install -g mocha\nFROM node:20.11\nCMD ["node", "server.js"]\n', errors: [{ line: 2, severity: 'low', message: /in stage `test`, which the final image does not contain$/ }] }
    ]
  },
  'dockerfile/package-upgrade': {
    valid: [{ code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*\n' }],
    invalid: [{ code: 'FROM debian:12\nRUN apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*\n', errors: [{ line: 2 }] }]
  },
  'dockerfile/pip-cache': {
    valid: [{ name: 'pip cache on a BuildKit cache mount', code: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install requests==2.32.3\n' }, { code: 'FROM python:3.12\nRUN pip install --no-cache-dir requests==2.32.3\n' }],
    invalid: [{ code: 'FROM python:3.12\nRUN pip install requests==2.32.3\n', errors: [{ line: 2 }] }]
  },
  'dockerfile/gem-unpinned': {
    valid: [
      { code: 'FROM ruby:3.3\nRUN gem install bundler -v 2.5.6\n' },
      { name: 'name:version and a local .gem file', code: 'FROM ruby:3.3\nRUN gem install rails:7.1.3 ./vendor/tool-1.0.gem\n' },
      { name: 'gem list is not an install', code: 'FROM ruby:3.3\nRUN gem list\n' }
    ],
    invalid: [
      { code: 'FROM ruby:3.3\nRUN gem install --no-document rails\n', errors: [{ line: 2, severity: 'low', message: /rails/ }] },
      { name: 'source option takes a value', code: 'FROM ruby:3.3\nRUN gem install --source https://rubygems.org nokogiri\n', errors: [{ line: 2, message: /nokogiri/ }] }
    ]
  },
  'dockerfile/zypper-unpinned': {
    valid: [
      { code: 'FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0 && zypper clean -a\n' },
      { name: 'refresh only', code: 'FROM opensuse/leap:15.6\nRUN zypper refresh\n' },
      { name: 'a pattern, not a package', code: 'FROM opensuse/leap:15.6\nRUN zypper -n install -t pattern devel_basis\n' },
      { name: 'version at the end of the name', code: 'FROM opensuse/leap:15.6\nRUN zypper -n install vim-9.0.1\n' }
    ],
    invalid: [
      { code: 'FROM opensuse/leap:15.6\nRUN zypper --non-interactive in -r oss curl && zypper clean -a\n', errors: [{ line: 2, message: /curl/ }] },
      { name: 'a digit inside the name is not a version', code: 'FROM opensuse/leap:15.6\nRUN zypper -n install java-17-openjdk-headless\n', errors: [{ line: 2, message: /java-17-openjdk-headless/ }] }
    ]
  },
  'dockerfile/pip-unpinned': {
    valid: [
      { code: 'FROM python:3.12\nRUN pip install --no-cache-dir requests==2.32.3\n' },
      { name: 'requirements file', code: 'FROM python:3.12\nRUN pip install --no-cache-dir -r requirements.txt\n' },
      { name: 'versions from a constraints file', code: 'FROM python:3.12\nRUN pip install --no-cache-dir -c constraints.txt requests\nRUN pip install --no-cache-dir --constraint=/c.txt flask\n' }
    ],
    invalid: [
      { code: 'FROM python:3.12\nRUN pip install --no-cache-dir requests\n', errors: [{ line: 2 }] },
      { name: 'an option value that only looks like a constraint', code: 'FROM python:3.12\nRUN pip install --no-cache-dir --config-settings=-c requests\n', errors: [{ line: 2 }] },
      {
        name: 'every pip command of a RUN is read, not only the first',
        code: 'FROM alpine:3.20\nRUN apk add --no-cache py3-pip=24.0-r2 && \\\n  pip install --upgrade pip && \\\n  pip install Jinja2 && pip3 install pip\n',
        errors: [{ line: 2, message: /^`pip install` names `pip`, `Jinja2` without a pinned version$/ }]
      },
      {
        name: 'pip and `python -m pip` in one RUN: one finding naming the packages of both',
        code: 'FROM python:3.12\nRUN pip install requests && python -m pip install flask\n',
        errors: [{ line: 2, message: /names `requests`, `flask` without/ }]
      },
      {
        name: 'a dev stage the final image is not built from: low, naming the stage',
        code: withDevStage('RUN pip install watchdog'),
        errors: [{ line: 5, severity: 'low', message: /^`pip install` names `watchdog` without a pinned version, in stage `dev`, which the final image does not contain$/ }]
      },
      { name: 'a stage the final image copies from keeps its severity', code: withDevStage('RUN pip install --target /deps watchdog', 'COPY --chown=app:app --from=dev /deps /deps\n'), errors: [{ line: 5, severity: 'medium', message: /version$/ }] },
      { name: 'a stage mounted into a RUN of the final image keeps its severity', code: withDevStage('RUN pip install --target /deps watchdog', 'RUN --mount=type=bind,from=dev,source=/deps,target=/deps cp -r /deps /opt/deps\n'), errors: [{ line: 5, severity: 'medium' }] },
      {
        name: 'a stage copied from by its index, through a stage the final one copies from: medium',
        code: 'FROM python:3.12 AS wheels\nRUN pip install --target /w requests\nFROM alpine:3.20 AS collect\nCOPY --from=0 /w /w\nFROM alpine:3.20\nCOPY --from=collect /w /w\n',
        errors: [{ line: 2, severity: 'medium' }]
      },
      {
        name: 'a final stage built from a build argument with no default: any stage may be its base, so medium',
        code: 'ARG TARGET\nFROM python:3.12 AS dev\nRUN pip install watchdog\nFROM ${TARGET}\nCMD ["python"]\n',
        errors: [{ line: 3, severity: 'medium' }]
      },
      { name: 'an unnamed stage outside the image: low, by its index', code: 'FROM python:3.12\nRUN pip install watchdog\nFROM python:3.12\nCMD ["python"]\n', errors: [{ line: 2, severity: 'low', message: /in stage 0 \(unnamed\), which the final image does not contain$/ }] }
    ]
  },
  'dockerfile/root-user': {
    valid: [
      { name: 'final stage built on an earlier stage that ends as a user', code: 'FROM alpine:3.20 AS base\nUSER root\nRUN apk add --no-cache curl=8.9.1-r0\nUSER app\nFROM base\nCMD ["/app/server"]\n' },
      { name: 'root in a build stage, not in the final one', code: 'FROM alpine:3.20 AS build\nUSER root\nFROM alpine:3.20\nUSER app\n' },
      { name: 'root for a step, then back to a user', code: 'FROM alpine:3.20\nUSER root\nRUN apk add --no-cache curl=8.9.1-r0\nUSER 10001:10001\n' },
      { name: 'uid with leading zeros is not 0', code: 'FROM alpine:3.20\nUSER root\nUSER 0700\n' },
      { name: 'group root, user not root', code: 'FROM alpine:3.20\nUSER svc:0\n' }
    ],
    invalid: [
      { code: 'FROM alpine:3.20\nUSER root\n', errors: [{ line: 2, severity: 'high' }] },
      { name: 'UID 0', code: 'FROM alpine:3.20\nUSER app\nUSER 0\n', errors: [{ line: 3 }] },
      { name: 'uid 0 written with zeros or a sign', code: 'FROM alpine:3.20 AS a\nUSER 000:100\nFROM alpine:3.20 AS b\nUSER +0\nFROM alpine:3.20\nuser -0:wheel\n', errors: [{ line: 6 }] },
      { name: 'root inherited from an earlier stage', code: 'FROM alpine:3.20 AS base\nUSER root\nFROM base\nCMD ["/app/server"]\n', errors: [{ line: 2 }] },
      ...['docker-images/base/Dockerfile', 'images/python-base/Dockerfile', 'Dockerfile.base', 'build/base.Dockerfile'].map((path) => ({
        name: `a base image (${path}) with no CMD, ENTRYPOINT or EXPOSE: low, saying why`,
        path,
        code: 'FROM registry.access.redhat.com/ubi9/ubi-minimal:9.5\nUSER root\nRUN microdnf install -y java-21-openjdk-headless && microdnf clean all\n',
        errors: [{ line: 2, severity: 'low' as const, message: /it is a base image \(named `base` by its path/ }]
      })),
      ...[
        ['docker-images/base/Dockerfile', 'CMD ["/app/server"]\n', 'a CMD of its own'],
        ['docker-images/base/Dockerfile', 'EXPOSE 8080\n', 'a port'],
        ['docker-images/database/Dockerfile', '', 'a folder only starting with base letters'],
        ['docker-images/operator/Dockerfile', '', 'another folder'],
        ['base_station/Dockerfile', '', 'a folder whose name only starts with base'],
        ['images/base/Dockerfile.worker', '', 'another Dockerfile in a base folder']
      ].map(([path, extra, what]) => ({
        name: `${what} (${path}): high`,
        path,
        code: `FROM registry.access.redhat.com/ubi9/ubi-minimal:9.5\nUSER root\n${extra}`,
        errors: [{ line: 2, severity: 'high' as const }]
      })),
      { name: 'a base folder on a server image, whose CMD and port come along: high', path: 'base/Dockerfile', code: 'FROM nginx:1.27\nUSER root\nCOPY site /usr/share/nginx/html\n', errors: [{ line: 2, severity: 'high' }] },
      {
        name: '`USER root` set back for an entrypoint that drops to its own user through gosu: low, saying what to check',
        code: 'FROM mcr.microsoft.com/mssql/server:2022-CU14-ubuntu-22.04\nUSER root:root\nRUN apt-get update && apt-get install -y --no-install-recommends gosu=1.14-1 && rm -rf /var/lib/apt/lists/*\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n',
        errors: [{ line: 2, severity: 'low', message: /runs as `root` \(last USER\), but it installs `gosu`, which an entrypoint uses to drop/ }]
      },
      {
        name: '`USER root` and a command that runs su-exec itself: low',
        code: 'FROM alpine:3.20\nUSER root\nRUN apk add --no-cache su-exec=0.2-r3\nENTRYPOINT ["su-exec", "app:app", "/app/server"]\n',
        errors: [{ line: 2, severity: 'low', message: /its command runs `su-exec`/ }]
      },
      { name: '`USER root`, gosu installed but no ENTRYPOINT to use it: high', code: 'FROM alpine:3.20\nUSER root\nRUN apk add --no-cache gosu=1.17-r5\nCMD ["/app/server"]\n', errors: [{ line: 2, severity: 'high' }] },
      { name: '`USER root`, gosu installed but the entrypoint is the program itself, no script: high', code: 'FROM node:22-bookworm\nUSER root\nRUN apt-get update && apt-get install -y --no-install-recommends gosu=1.14-1\nENTRYPOINT ["node", "server.js"]\n', errors: [{ line: 2, severity: 'high' }] },
      { name: '`USER root` and gosu told to stay root: high', code: 'FROM node:22-bookworm\nUSER root\nRUN apt-get update && apt-get install -y --no-install-recommends gosu=1.14-1\nENTRYPOINT ["gosu", "root", "node", "server.js"]\n', errors: [{ line: 2, severity: 'high' }] },
      {
        name: 'a cron daemon started by an entrypoint script: medium, naming the daemon',
        code: 'FROM debian:12\nUSER 0\nRUN apt-get update && apt-get install -y --no-install-recommends cron=3.0pl1-162 && rm -r /var/lib/apt/lists/*\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n',
        errors: [{ line: 2, severity: 'medium', message: /runs as `root` \(last USER\) to run `cron`, a cron daemon/ }]
      },
      { name: 'crond as the command', code: 'FROM alpine:3.20\nUSER root\nCMD ["crond", "-f", "-l", "2"]\n', errors: [{ line: 2, severity: 'medium', message: /`crond`/ }] },
      {
        name: "crond whose only crontab is nobody's, no port: low, naming the user",
        code: "FROM alpine:3.20\nUSER root\nRUN >>/var/spool/cron/crontabs/nobody \\\n    echo '* * * * * /app/prune'\nENTRYPOINT [\"crond\"]\nCMD [\"-f\"]\n",
        errors: [{ line: 2, severity: 'low', message: /belongs to a non-root user \(`nobody`\) and the image exposes no port/ }]
      },
      {
        name: 'crond with a crontab installed by `crontab -u app` and a cron.d line naming app: low',
        code: "FROM alpine:3.20\nUSER root\nCOPY jobs /tmp/jobs\nRUN crontab -u app /tmp/jobs && echo '0 3 * * * app /app/report' > /etc/cron.d/report\nCMD [\"crond\", \"-f\"]\n",
        errors: [{ line: 2, severity: 'low', message: /\(`app`\)/ }]
      },
      ...[
        ['a crontab installed without -u (the build user, root)', "COPY jobs /tmp/jobs\nRUN crontab /tmp/jobs\n"],
        ["root's own crontab beside nobody's", "RUN echo '* * * * * /a' >> /var/spool/cron/crontabs/nobody && echo '* * * * * /b' >> /var/spool/cron/crontabs/root\n"],
        ['a crontab copied into /etc/cron.d, whose user lines are not in the Dockerfile', 'COPY jobs /etc/cron.d/jobs\n'],
        ['a cron.d line naming root', "RUN echo '*/5 * * * * root /app/sync' > /etc/cron.d/sync\n"],
        ["nobody's crontab, but the image exposes a port", "RUN echo '* * * * * /a' >> /var/spool/cron/crontabs/nobody\nEXPOSE 8080\n"],
        ['no crontab written at all (the base image may hold root ones)', ''],
        ["Alpine's root crontab (/etc/crontabs/root) beside app's", "RUN echo '*/5 * * * * /a' > /etc/crontabs/root && echo '0 * * * * /b' > /var/spool/cron/crontabs/app\n"],
        ["a root crontab copied into /etc/crontabs beside nobody's", "COPY root.cron /etc/crontabs/root\nRUN echo '* * * * * /a' >> /var/spool/cron/crontabs/nobody\n"],
        ["an entrypoint script run before it, beside nobody's crontab", "RUN echo '* * * * * /a' >> /var/spool/cron/crontabs/nobody\nENTRYPOINT [\"/entrypoint.sh\"]\n"]
      ].map(([name, lines]) => ({
        name: `crond as the command with ${name}: medium`,
        code: `FROM alpine:3.20\nUSER root\n${lines}CMD ["crond", "-f"]\n`,
        errors: [{ line: 2, severity: 'medium' as const, message: /check that every job names an unprivileged user/ }]
      })),
      {
        name: 'cron installed but the command is another program: still high',
        code: 'FROM debian:12\nUSER root\nRUN apt-get update && apt-get install -y --no-install-recommends cron=3.0pl1-162\nCMD ["/app/server"]\n',
        errors: [{ line: 2, severity: 'high' }]
      },
      { name: 'cron as an argument of another program: still high', code: 'FROM python:3.12\nUSER root\nEXPOSE 8000\nCMD ["app", "--mode", "cron"]\n', errors: [{ line: 2, severity: 'high' }] },
      {
        name: 'cron installed beside a served app whose entrypoint script may start both: still high',
        code: 'FROM php:8.3-apache\nUSER root\nRUN apt-get update && apt-get install -y --no-install-recommends cron=3.0pl1-162\nEXPOSE 80\nENTRYPOINT ["/entrypoint.sh"]\n',
        errors: [{ line: 2, severity: 'high' }]
      },
      { name: "crond with only app's crontab in /etc/crontabs, no port: low", code: "FROM alpine:3.20\nUSER root\nRUN echo '0 * * * * /b' > /etc/crontabs/app\nCMD [\"crond\", \"-f\"]\n", errors: [{ line: 2, severity: 'low', message: /\(`app`\)/ }] },
      { name: 'crond behind tini: medium', code: 'FROM alpine:3.20\nUSER root\nENTRYPOINT ["/sbin/tini", "--"]\nCMD ["crond", "-f"]\n', errors: [{ line: 2, severity: 'medium', message: /`crond`/ }] },
      {
        name: 'cron installed, the entrypoint a program rather than a script: still high',
        code: 'FROM debian:12\nUSER root\nRUN apt-get update && apt-get install -y --no-install-recommends cron=3.0pl1-162\nENTRYPOINT ["/usr/local/bin/server", "--port", "80"]\n',
        errors: [{ line: 2, severity: 'high' }]
      },
      {
        name: 'a cron package named only in a comment, with an entrypoint: still high',
        code: 'FROM debian:12\nUSER root\n# apt-get install cron\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10\nENTRYPOINT ["/entrypoint.sh"]\n',
        errors: [{ line: 2, severity: 'high' }]
      }
    ]
  },
  'dockerfile/secret-in-env': {
    valid: [
      { name: 'non-secret ENV', code: 'FROM alpine:3.20\nENV LOG_LEVEL=debug\n' },
      { name: 'secret taken from a build arg without default', code: 'FROM alpine:3.20\nARG NPM_TOKEN\n' },
      { name: 'path to a secret file', code: 'FROM alpine:3.20\nENV DB_PASSWORD_FILE=/run/secrets/db\n' },
      { name: 'token URL is not a token', code: 'FROM alpine:3.20\nENV TOKEN_URL=https://auth.example.com/token\n' },
      { name: 'header name', code: 'FROM alpine:3.20\nENV API_KEY_HEADER=X-Api-Key\n' },
      { name: 'the fingerprint of the release signing key (official images)', code: 'FROM debian:12\nENV GPG_KEY=E3FF2839C048B25C084DEBE9B26995E310250568\n' },
      { name: 'reference to a build arg', code: 'FROM node:20.11\nARG NPM_TOKEN\nENV NODE_AUTH_TOKEN=${NPM_TOKEN}\n' },
      { name: 'placeholder', code: 'FROM alpine:3.20\nENV DB_PASSWORD=changeme\n' },
      { name: 'dummy key for asset precompilation', code: 'FROM ruby:3.3\nRUN SECRET_KEY_BASE_DUMMY=1 bundle exec rails assets:precompile\nENV SECRET_KEY_BASE=dummy\n' },
      { name: 'empty ARG default', code: 'FROM alpine:3.20\nARG GITHUB_TOKEN=""\n' },
      { name: 'angle-bracket placeholder', code: 'FROM alpine:3.20\nENV API_KEY=<your-api-key>\n' },
      { name: 'a count of model tokens', code: 'FROM alpine:3.20\nENV MAX_PROMPT_TOKENS=4096\n' },
      { name: 'placeholder password in a URL', code: 'FROM alpine:3.20\nENV DATABASE_URL=postgres://app:changeme@db/app\n' },
      { name: 'a masked value', code: 'FROM alpine:3.20\nENV DB_PASSWORD=***\n' }
    ],
    invalid: [
      { code: 'FROM alpine:3.20\nENV DB_PASSWORD=Sup3rS3cretValue9\n', errors: [{ line: 2, severity: 'high' }] },
      { name: 'password in a URL, whatever the name', code: 'FROM alpine:3.20\nENV DATABASE_URL=postgres://app:Zq8vLm2Kp9Xw4R@db/app\n', errors: [{ line: 2, message: /password in the URL of `DATABASE_URL`/ }] },
      { name: 'ARG default', code: 'FROM alpine:3.20\nARG API_TOKEN=tok_8fj3k2l9d8s7a6q5\n', errors: [{ line: 2 }] },
      { name: 'the passphrase of a signing key', code: 'FROM alpine:3.20\nENV GPG_PASSPHRASE=Zq8vLm2Kp9Xw4R\n', errors: [{ line: 2 }] },
      { name: 'a URL password judged as written: %25 is an encoded percent sign, not a format string', code: 'FROM alpine:3.20\nENV DATABASE_URL=postgres://app:Zq8vLm2K%25discount@db/app\n', errors: [{ line: 2 }] },
      {
        name: 'a trivial digit run (sequential or one digit repeated) is a dummy anyone guesses: medium',
        code: 'FROM alpine:3.20\nENV AIO_TOKEN=123456\nENV API_TOKEN=000000\nARG DB_PASSWORD=87654321\n',
        errors: [
          { line: 2, severity: 'medium', message: /trivial run of digits/ },
          { line: 3, severity: 'medium' },
          { line: 4, severity: 'medium' }
        ]
      },
      { name: 'other digits may be a chosen PIN: high', code: 'FROM alpine:3.20\nENV API_TOKEN=49381726\n', errors: [{ line: 2, severity: 'high' }] }
    ]
  },
  'dockerfile/shell-form-command': {
    valid: [
      { code: 'FROM alpine:3.20\nCMD ["/app/server"]\n' },
      { name: 'exec in shell form', code: 'FROM alpine:3.20\nCMD exec /app/server\n' },
      { name: "a base stage's shell-form commands, overridden by the final stage", code: 'FROM alpine:3.20 AS base\nENTRYPOINT /usr/bin/agent\nCMD /usr/bin/agent --help\nFROM base\nENTRYPOINT ["/docker-entrypoint.sh"]\nCMD ["nginx"]\n' }
    ],
    invalid: [
      { code: 'FROM alpine:3.20\nCMD /app/server --port 8080\n', errors: [{ line: 2, severity: 'low', suggestion: 'CMD ["/app/server", "--port", "8080"]' }] },
      { name: 'inherited from the base stage when the final stage sets none', code: 'FROM alpine:3.20 AS base\nCMD /app/server --port 8080\nFROM base\nUSER app\n', errors: [{ line: 2 }] }
    ]
  },
  'dockerfile/exec-form-not-json': {
    valid: [
      { code: 'FROM alpine:3.20\nCMD ["/app/server"]\n' },
      { name: 'shell form is the other rule', code: 'FROM alpine:3.20\nCMD /app/server --port 8080\n' },
      { name: 'a comment line inside a continued JSON array (Docker drops it)', code: 'FROM alpine:3.20\nCMD [ "--port=8080", \\\n      # the profile comes last\n      "--profile=prod" ]\n' },
      { name: 'a shell-form ENTRYPOINT never reads CMD', code: 'FROM alpine:3.20\nENTRYPOINT exec /docker-entrypoint.sh nginx\nCMD [nginx, -g, daemon off;]\n' }
    ],
    invalid: [
      {
        name: 'brackets without JSON quoting run as a broken shell command',
        code: "FROM alpine:3.20\nENTRYPOINT [/app/server, --port, 8080]\ncmd ['--verbose']\n",
        errors: [
          { line: 2, severity: 'medium', message: /not a JSON array/, suggestion: 'ENTRYPOINT ["/app/server", "--port", "8080"]' },
          { line: 3, severity: 'medium', suggestion: 'CMD ["--verbose"]' }
        ]
      },
      {
        name: 'under an exec-form ENTRYPOINT the broken CMD becomes its arguments',
        code: 'FROM alpine:3.20\nENTRYPOINT ["/usr/bin/agent"]\nCMD [\'--verbose\']\n',
        errors: [{ line: 3, severity: 'medium', message: /entrypoint receives `\/bin\/sh -c`/ }]
      },
      {
        name: 'without an ENTRYPOINT the shell runs the text',
        code: "FROM alpine:3.20\nCMD ['/app/server']\n",
        errors: [{ line: 2, message: /exits at once/ }]
      },
      {
        name: 'ENTRYPOINT [] clears the entrypoint, so the shell runs the text',
        code: "FROM alpine:3.20\nENTRYPOINT []\nCMD ['/app/server']\n",
        errors: [{ line: 3, message: /exits at once/ }]
      },
      {
        name: 'the final stage overrides its base: its own broken CMD is the one reported',
        code: 'FROM alpine:3.20 AS base\nENTRYPOINT /usr/bin/agent\nCMD /usr/bin/agent --help\nFROM base\nENTRYPOINT ["/docker-entrypoint.sh"]\nCMD [nginx, -g, "daemon off;"]\n',
        errors: [{ line: 6, message: /entrypoint receives/ }]
      }
    ]
  },
  'dockerfile/sudo': {
    valid: [
      { code: 'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\n' },
      { name: 'installing the sudo package is not running sudo', code: 'FROM alpine:3.20\nRUN apk add --no-cache sudo=1.9.15-r0\n' }
    ],
    invalid: [
      { code: 'FROM alpine:3.20\nRUN sudo apk add --no-cache curl=8.9.1-r0\n', errors: [{ line: 2, severity: 'medium' }] },
      {
        name: 'sudo told to run the step as another, named user: low, saying USER does the same',
        code: 'FROM alpine:3.20\nRUN sudo -E -u discourse -H git config --global user.name "CI" && sudo --user=app true && doas -u app true\n',
        errors: [{ line: 2, severity: 'low', message: /sudo -u discourse`, `sudo -u app`, `doas -u app` to run a step as another user, which raises nothing/ }]
      },
      {
        name: 'the user given as `--user app`, or after `-n`: low as well',
        code: 'FROM alpine:3.20\nRUN sudo --user app true && sudo -n -u app true\n',
        errors: [{ line: 2, severity: 'low', message: /`sudo -u app` to run a step as another user/ }]
      },
      ...['sudo -u root apk add --no-cache curl=8.9.1-r0', 'sudo -u "$RUN_AS" make install', 'sudo -u app true && sudo make install', 'sudo -u#0 id', 'sudo -u app sudo apk add --no-cache curl=8.9.1-r0', 'sudo -u app bash -c "sudo apk add --no-cache curl=8.9.1-r0"'].map((run) => ({
        name: `sudo to root, to a user from a variable, or beside a plain sudo (${run}): medium`,
        code: `FROM alpine:3.20\nRUN ${run}\n`,
        errors: [{ line: 2, severity: 'medium' as const }]
      }))
    ]
  },
  'dockerfile/workdir-relative': {
    valid: [{ code: 'FROM alpine:3.20\nWORKDIR /app\n' }, { name: 'variable path', code: 'FROM alpine:3.20\nWORKDIR $HOME/app\n' }],
    invalid: [{ code: 'FROM alpine:3.20\nWORKDIR app\n', errors: [{ line: 2 }] }]
  },
  'dockerfile/yum-cache': {
    valid: [{ name: 'dnf cache on a BuildKit cache mount', code: 'FROM rockylinux:9\nRUN --mount=type=cache,target=/var/cache/dnf dnf install -y nginx-1.20.1\n' }, { code: 'FROM rockylinux:9\nRUN yum install -y nginx-1.20.1 && yum clean all\n' }],
    invalid: [{ code: 'FROM rockylinux:9\nRUN yum install -y nginx-1.20.1\n', errors: [{ line: 2 }] }]
  },
  'dockerfile/yum-unpinned': {
    valid: [
      { code: 'FROM rockylinux:9\nRUN yum install -y nginx-1.20.1 && yum clean all\n' },
      { name: 'rpm files built earlier in the stage, by path', code: 'FROM rockylinux:9\nRUN rpmbuild -bb app.spec && yum install -y build/RPMS/noarch/* && yum clean all\n' }
    ],
    invalid: [{ code: 'FROM rockylinux:9\nRUN dnf install -y nginx && dnf clean all\n', errors: [{ line: 2 }] }]
  }
}
