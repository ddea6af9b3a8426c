# syntax=docker/dockerfile:1
ARG NODE_VERSION=20.11.1
FROM node:${NODE_VERSION}-bookworm-slim@sha256:0000000000000000000000000000000000000000000000000000000000000001 AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM debian:12.5-slim@sha256:0000000000000000000000000000000000000000000000000000000000000002
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates=20230311 curl=7.88.1-10+deb12u5 \
 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir requests==2.31.0 -r /tmp/requirements.txt
RUN apk add --no-cache busybox-extras=1.36.1-r5
COPY --from=build /app/dist /srv/app
ADD --checksum=sha256:0000000000000000000000000000000000000000000000000000000000000003 https://example.com/tool.tar.gz /opt/
ENV NODE_ENV=production API_TOKEN_FILE=/run/secrets/api_token
EXPOSE 8080
USER 10001
HEALTHCHECK --interval=30s CMD curl -fsS http://localhost:8080/healthz || exit 1
CMD ["node", "/srv/app/server.js"]
