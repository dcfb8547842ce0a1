# Multi-stage: build with the Rust toolchain, run on a small Debian image as a non-root user.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p jixiao-gateway && strip target/release/jixiao

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /var/lib/jixiao --create-home jixiao \
    && printf '#!/bin/sh\nexec curl -fsS http://127.0.0.1:8080/readyz >/dev/null\n' > /usr/local/bin/jixiao-healthcheck \
    && chmod +x /usr/local/bin/jixiao-healthcheck
COPY --from=build /src/target/release/jixiao /usr/local/bin/jixiao
USER jixiao
WORKDIR /var/lib/jixiao
ENV JIXIAO_BIND=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/jixiao"]
CMD ["serve"]
