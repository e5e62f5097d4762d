# syntax=docker/dockerfile:1
#
# One image for all six services. Pick the service with the command:
#   docker run hookline node apps/dispatcher/dist/main.js
# Services read their configuration from the environment (see docker-compose.yml);
# inside a container HOST must be 0.0.0.0, which this image sets.

ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
# The whole workspace at once: npm ci needs every workspace's package.json, and
# the build needs every src/. .dockerignore keeps node_modules, dist and local data out.
COPY . .
RUN --mount=type=cache,target=/root/.npm npm ci
# Compile, then keep only what runs: production dependencies, compiled output
# and the package manifests the workspace links resolve through.
RUN npm run build \
 && npm prune --omit=dev \
 && rm -rf apps/*/src libs/*/src

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0
# A bounded V8 heap (docs/small-box.md): without it V8 sizes the heap from the
# container's memory limit and lets garbage pile up towards it. The Kubernetes
# manifests set NODE_OPTIONS per service to match their limits.
ENV NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=4"
# Files stay owned by root: the services only read them.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/libs ./libs
COPY --from=build /app/apps ./apps
# The `node` user (uid 1000) ships with the official image.
USER node
EXPOSE 3000 3001 3002 3003 3004 3005
# A default so a bare `docker run` does something useful; compose and the
# Kubernetes manifests name the service explicitly.
CMD ["node", "apps/admin-api/dist/main.js"]
