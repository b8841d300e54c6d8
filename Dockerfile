# coverage-bot: the compiled build on Node 20, run as the unprivileged `node` user.
# Build: docker build -t coverage-bot .   Run: see compose.yaml (bot ×2 + PostgreSQL) or README "Docker".

FROM node:20-slim AS build
WORKDIR /app
# better-sqlite3 downloads a prebuilt binary; these build it from source when the download is not possible.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# The full install: the build needs typescript (a devDependency).
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY commands commands
COPY cards cards
COPY migrations migrations
COPY scripts scripts
# Compile to dist/ and bundle (dist/coverage-bot.mjs and the minified Lark SDK, scripts/bundle.mjs), then drop the devDependencies; the runtime stage copies what is left (same base image, so
# the native better-sqlite3 binary matches).
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim
# pg_dump for `backup` when DATABASE_URL points to PostgreSQL (the client matches the compose file's server, 15).
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    HOST=0.0.0.0 \
    PORT=3000 \
    DB_PATH=/data/coverage.db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
# The default campaign (CAMPAIGN_FILE may point elsewhere, e.g. a mounted file).
COPY campaigns campaigns
# SQLite's file lives here when DATABASE_URL is not set; mount a volume on it.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
# node:20-slim has no curl: ask /healthz (database reachable; with LARK_TRANSPORT=ws, also the connection) with node.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The CLI in the image: docker compose exec bot-1 node dist/src/cli.js backup /data/coverage.dump
CMD ["node", "--max-semi-space-size=4", "dist/coverage-bot.mjs"]
