# Pacesetter's server image: docs/deployment.md says how to run it (deploy/compose.yaml runs it).
# The server runs its TypeScript through tsx (a runtime dependency): there is no compile step, so
# the image carries the server's sources; the only build is the web app (vite → dist/web).

# ---- build: the web app -------------------------------------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
# The web app imports the server's schemas and the domain's formulas: it needs all of src.
COPY tsconfig.json vite.config.ts ./
COPY src ./src
RUN npm run build

# ---- runtime ------------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
# `pacesetter backup` and `restore` run pg_dump / pg_restore, which must be at least as new as the
# server: Debian bookworm ships 15, so the client comes from the PostgreSQL project's own apt
# repository (the setup script of postgresql-common, as postgresql.org documents it).
ARG PG_MAJOR=16
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates postgresql-common \
 && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
 && apt-get install -y --no-install-recommends "postgresql-client-${PG_MAJOR}" \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
# Only what the server and the CLI load: no src/web (the server imports nothing from it), no tests.
# Owned by root, so the server (user node) cannot change its own code.
COPY tsconfig.json ./
COPY bin ./bin
COPY src/cli ./src/cli
COPY src/domain ./src/domain
COPY src/server ./src/server
COPY --from=build /app/dist/web ./dist/web

USER node
EXPOSE 3000
# Liveness only (the process answers, no database): readiness is the load balancer's /api/ready.
# The slim image has no curl; Node's fetch does the request.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# `serve` stops on SIGTERM: the scheduler, then the HTTP server (requests in flight finish), then
# the database pool.
STOPSIGNAL SIGTERM
CMD ["node", "bin/pacesetter.mjs", "serve"]
