# One image recipe for every service. Pick the service with a build argument:
#
#   docker build --build-arg SERVICE=user -t shop/user-service:dev .
#
# Node 24 runs the TypeScript sources directly (type stripping), so there is no build step:
# the image holds production dependencies, the shared packages and the one service's sources.
# Plain Dockerfile syntax only (no BuildKit-only flags), so the classic builder works too.

ARG NODE_IMAGE=node:24-bookworm-slim

# --- manifests: every package.json of the workspaces plus the lockfile, nothing else --------
# The next stage copies only this, so `npm ci` is re-run only when a manifest or the lockfile
# changes, not on every source edit.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -depth -type d -empty -delete

# --- deps: production dependencies of the whole workspace, from the committed lockfile ------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=manifests /src/ ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error \
 && npm cache clean --force

# --- web: the web app (web/dist), built for the gateway's image only ------------------------
# Every other image gets an empty directory: the stage does nothing for them.
FROM ${NODE_IMAGE} AS web
ARG SERVICE
WORKDIR /src
COPY --from=manifests /src/ ./
RUN mkdir -p /out/dist \
 && if [ "${SERVICE}" = gateway ] && [ -f web/package.json ]; then npm ci --no-audit --no-fund --loglevel=error; fi
COPY . .
RUN if [ "${SERVICE}" = gateway ] && [ -f web/package.json ]; then \
      npm run build --workspace web && cp -r web/dist/. /out/dist/; \
    fi

# --- runtime ---------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# tini is PID 1: it forwards SIGTERM to node (graceful shutdown) and reaps zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*

ARG SERVICE
# In a container the service listens on every interface (outside one, HOST defaults to 127.0.0.1).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    SERVICE=${SERVICE}
LABEL org.opencontainers.image.title="shop-${SERVICE}-service" \
      org.opencontainers.image.description="shop ${SERVICE}-service (Node 24, TypeScript run by type stripping)"

WORKDIR /app
# Manifests and node_modules (with the workspace links) from the deps stage, then the sources.
# Everything stays owned by root: the service user can read it, not change it.
COPY --from=deps /app/ ./
COPY packages/ ./packages/
COPY services/${SERVICE}/ ./services/${SERVICE}/
COPY deploy/docker/healthcheck.mjs ./healthcheck.mjs
# The gateway serves the web app from here (WEB_DIST_DIR's default); empty in the other images.
COPY --from=web /out/ ./web/

# Fail the build, clearly, for an unknown or missing SERVICE; then record the service's default
# PORT (from its own config schema) for the healthcheck, used when PORT is not set at run time.
RUN if [ -z "${SERVICE}" ] || [ ! -f "services/${SERVICE}/src/server.ts" ]; then \
      echo "Build argument SERVICE must name a directory of services/ with src/server.ts (got '${SERVICE}')." >&2; \
      echo "Available: $(ls services | tr '\n' ' ')" >&2; exit 1; \
    fi \
 && node healthcheck.mjs --print-default-port "services/${SERVICE}/src/config.ts" > .service-port \
 && echo "SERVICE=${SERVICE} default PORT=$(cat .service-port)"

USER node
# The service's own directory: `node src/server.ts` (exec-form CMD cannot expand ${SERVICE}),
# with OpenTelemetry registered before the service's modules load (docs/observability.md).
WORKDIR /app/services/${SERVICE}

HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "/app/healthcheck.mjs"]

ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "@shop/platform/telemetry/register", "src/server.ts"]
