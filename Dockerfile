# Ringo Uchet: one image for `ringo serve`, `ringo worker` and the nightly backup loop.
#
#   docker compose build                  # what docker-compose.yml does (see DEPLOY.md)
#   docker build -t ringo-uchet:local .   # the same by hand
#   docker build --target dist --output type=local,dest=./dist .   # binary + Public/ for the no-Docker path
#
# Needs BuildKit (Docker Engine 23+ uses it by default; compose v2 always does) for the cache mounts below.
# Base images are build arguments so a deployment can pin them by digest, e.g.
#   --build-arg SWIFT_IMAGE=swift:6.3-noble@sha256:…  --build-arg RUNTIME_IMAGE=ubuntu:noble@sha256:…
# (docker-compose.yml passes SWIFT_IMAGE / RUNTIME_IMAGE through from .env when they are set.)
# Build and runtime must be the same distribution: the binary links the build image's glibc/libstdc++.
# noble is chosen because its own archive ships PostgreSQL 16 (postgresql-client-16, matching the db service).

ARG SWIFT_IMAGE=swift:6.3-noble
ARG RUNTIME_IMAGE=ubuntu:noble

# ================================
# Build
# ================================
FROM ${SWIFT_IMAGE} AS build

WORKDIR /build

# Resolve dependencies first, in their own step, so that a source-only change does not re-fetch them.
# Package.resolved is deliberately not in the build context (.dockerignore): the working copies on the
# developers' machines pin commits of local package mirrors, which do not exist upstream.
COPY Package.swift ./
RUN --mount=type=cache,id=ringo-swiftpm,target=/build/.build,sharing=locked \
    swift package resolve

COPY . .

# Release build, Swift runtime and Foundation linked statically (the runtime image needs no Swift).
# The cache mount keeps .build between builds, so an upgrade recompiles only what changed; `locked`
# because two SwiftPM builds in one .build folder break each other.
# The binary is stripped for the image; its symbols go to ringo.debug (kept only in the `dist` output). It exports
# no symbols (`--no-export-dynamic`): nothing loads it as a library, and the table cost 3.7 MiB of resident memory
# (BENCHMARKS.md, «Fourth step»).
# Public/ (static assets) and Resources/ are served from the working directory and are read-only at run time.
# Only the system libraries the binary really links are installed in the runtime image: FoundationXML
# needs libxml2 (FoundationNetworking needs libcurl, which comes with curl anyway).
RUN --mount=type=cache,id=ringo-swiftpm,target=/build/.build,sharing=locked \
    set -eu; \
    swift build -c release --product ringo --static-swift-stdlib -Xlinker --no-export-dynamic; \
    BIN="$(swift build -c release --show-bin-path)"; \
    mkdir -p /staging /staging-debug; \
    cp "$BIN/ringo" /staging/ringo; \
    objcopy --only-keep-debug /staging/ringo /staging-debug/ringo.debug; \
    strip --strip-all /staging/ringo; \
    objcopy --add-gnu-debuglink=/staging-debug/ringo.debug /staging/ringo; \
    find -L "$BIN/" -maxdepth 1 -name '*.resources' -exec cp -Ra {} /staging/ \; ; \
    cp /usr/libexec/swift/linux/swift-backtrace-static /staging/; \
    if [ -d Public ]; then cp -R Public /staging/Public; else mkdir /staging/Public; fi; \
    if [ -d Resources ]; then cp -R Resources /staging/Resources; fi; \
    chmod -R a-w /staging/Public; \
    ldd /staging/ringo | tee /staging-debug/ldd.txt; \
    : > /staging-debug/apt-extra; \
    if grep -q 'libxml2' /staging-debug/ldd.txt; then echo libxml2 >> /staging-debug/apt-extra; fi; \
    if grep -q 'libz\.so' /staging-debug/ldd.txt; then echo zlib1g >> /staging-debug/apt-extra; fi

# ================================
# dist: `docker build --target dist --output type=local,dest=./dist .`
# ================================
FROM scratch AS dist
COPY --from=build /staging/ /
COPY --from=build /staging-debug/ringo.debug /ringo.debug

# ================================
# Runtime
# ================================
FROM ${RUNTIME_IMAGE} AS runtime

COPY --from=build /staging-debug/apt-extra /tmp/apt-extra

# ca-certificates: outgoing TLS (Telegram, S3, Web Push). tzdata: TIME_ZONE=Europe/Moscow.
# postgresql-client-16: pg_dump/pg_restore for `ringo backup` / `ringo restore` (same major as the db service).
# curl: the HEALTHCHECK. fonts-dejavu-core: the fonts of the PDF documents (docs/documents.md).
RUN set -eu; \
    export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true; \
    apt-get -q update; \
    apt-get -q dist-upgrade -y; \
    apt-get -q install -y --no-install-recommends \
        ca-certificates tzdata curl postgresql-client-16 fonts-dejavu-core $(cat /tmp/apt-extra); \
    rm -rf /var/lib/apt/lists/* /tmp/apt-extra

# A fixed uid/gid so named volumes and host directories can be given to it.
RUN useradd --system --user-group --uid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin ringo \
    && mkdir -p /var/lib/ringo /var/backups/ringo \
    && chown ringo:ringo /var/lib/ringo /var/backups/ringo

WORKDIR /app

# Code is owned by root and not writable by the service; data lives outside /app (volumes below).
COPY --from=build /staging/ /app/
COPY deploy/scripts/ringo-backup-loop.sh /usr/local/bin/ringo-backup-loop
# `ringo` on PATH; and fail the image build, not the first start, if a shared library is missing.
RUN chmod 0755 /usr/local/bin/ringo-backup-loop \
    && ln -s /app/ringo /usr/local/bin/ringo \
    && if ldd /app/ringo | grep 'not found'; then echo 'ringo: missing shared libraries' >&2; exit 1; fi

# Declared this late so a new commit does not invalidate the cached steps above.
ARG BUILD_VERSION=dev
ARG BUILD_COMMIT=unknown

# pg_dump/pg_restore 16 directly, without Debian's version-picking wrapper.
ENV PATH=/usr/lib/postgresql/16/bin:$PATH \
    RINGO_ENV=production \
    RINGO_DATA_DIR=/var/lib/ringo \
    RINGO_BACKUP_DIR=/var/backups/ringo \
    BUILD_VERSION=${BUILD_VERSION} \
    BUILD_COMMIT=${BUILD_COMMIT} \
    SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/app/swift-backtrace-static

LABEL org.opencontainers.image.title="ringo" \
      org.opencontainers.image.description="Ringo Uchet equipment-rental ERP (Vapor)" \
      org.opencontainers.image.version="${BUILD_VERSION}" \
      org.opencontainers.image.revision="${BUILD_COMMIT}"

USER ringo:ringo
EXPOSE 8080

# Readiness: 200 only when the database answers (503 otherwise). Meant for `ringo serve` containers;
# docker-compose.yml replaces it for the worker and the backup loop, which have no HTTP.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD curl -fsS -o /dev/null --max-time 4 http://127.0.0.1:8080/api/health/ || exit 1

# `ringo` is on PATH, so one-off commands read naturally:
#   printf '%s\n' "$PW" | docker compose exec -T api ringo create-admin --phone … --password-stdin
CMD ["ringo", "serve", "--hostname", "0.0.0.0", "--port", "8080"]
