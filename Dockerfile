# One image for every Strata service. The container picks its service with STRATA_SERVICES
# (gateway, auth, namespace, or a comma list) and finds the others through NATS_URL and the
# *_GRPC_URL variables; see docker-compose.yml and deploy/.
#
#   docker build -t strata .
#   docker run -e STRATA_SERVICES=auth -e NATS_URL=... -e STRATA_INTERNAL_TOKEN=... strata

FROM node:20-bookworm-slim AS base
ENV PNPM_HOME=/pnpm \
    PATH=/pnpm:$PATH \
    CI=true
RUN npm install -g pnpm@12.21.0
WORKDIR /app

# Only the manifests, so the dependency layer below is rebuilt when dependencies change, not on
# every source edit.
FROM base AS manifests
COPY . /src
RUN mkdir -p /out \
 && cd /src \
 && find . -name package.json -not -path "*/node_modules/*" -exec cp --parents {} /out \; \
 && cp pnpm-lock.yaml pnpm-workspace.yaml /out/

FROM base AS deps
# better-sqlite3 (the embedded store, also used by the tests) compiles from source when no
# prebuilt binary can be downloaded.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY --from=manifests /out/ ./
RUN pnpm install --frozen-lockfile

FROM base AS runtime
ENV NODE_ENV=production \
    STRATA_DATA_DIR=/data \
    GATEWAY_HOST=0.0.0.0 \
    AUTH_GRPC_HOST=0.0.0.0 \
    NAMESPACE_GRPC_HOST=0.0.0.0
COPY --from=deps /app/ ./
COPY . .
RUN mkdir -p /data && chown node:node /data
USER node
# 8080 gateway (HTTP), 50051 auth (gRPC), 50052 namespace (gRPC)
EXPOSE 8080 50051 50052
VOLUME ["/data"]
# One process (no tsx wrapper): SIGTERM reaches the launcher, which drains before exiting.
ENTRYPOINT ["node", "--import", "tsx", "services/platform/src/main.ts"]
