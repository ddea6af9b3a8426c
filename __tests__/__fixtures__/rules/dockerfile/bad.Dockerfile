ARG BASE_TAG=latest
ARG NPM_TOKEN=npm_fixture_value_1234
FROM node:${BASE_TAG} AS deps
WORKDIR app
RUN npm install
RUN npm install -g typescript
FROM deps AS build
RUN sudo apt-get update && apt-get install -y curl
RUN curl -fsSL https://example.com/install.sh | sh
RUN pip install requests
FROM ubuntu
ENV DB_PASSWORD=fixture-password
RUN apt-get update && apt-get upgrade -y
RUN apk add curl
RUN dnf install -y nginx
ADD config.json /etc/app/config.json
ADD https://example.com/tool.tar.gz /opt/
EXPOSE 8080 22
USER root
CMD node server.js
COPY --from=build /app /app
