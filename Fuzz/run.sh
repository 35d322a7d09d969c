#!/usr/bin/env bash
# Fuzz/run.sh SECONDS [libFuzzer flags...]
# Builds the readers (scenario loader, sweep spec parser, target parser,
# --set/--variant paths) with libFuzzer and AddressSanitizer and fuzzes them
# for SECONDS. Exits non-zero on a crash, a Swift trap, a leak, an input
# slower than 10 s or memory over 2 GB; the input is saved under
# .build/fuzz/artifacts/ (replay it: swift run deportsim-fuzz FILE).
# FUZZ_CONFIG=debug builds in about 60% of the time and runs half as many
# inputs a second (CI uses it for its 60 s).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: Fuzz/run.sh SECONDS [libFuzzer flags...]}
shift
config=${FUZZ_CONFIG:-release}
# -DFUZZING selects libFuzzer's driver in Fuzz/Harness; lld, because gold
# fails on the sanitizer runtime's symbols.
swift build -c "$config" --scratch-path .build/fuzz --product deportsim-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld
# Swift's own crash backtracer would take the trap signal first and then
# fault under AddressSanitizer; without it libFuzzer reports the trap
# ("deadly signal", with the Swift runtime failure) and saves the input.
export SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=no}
# New inputs go to the first folder (kept between runs); the others seed it.
mkdir -p .build/fuzz/corpus .build/fuzz/artifacts
exec ".build/fuzz/$config/deportsim-fuzz" .build/fuzz/corpus Fuzz/seeds Scenarios Tests/Fixtures Tests/ScenarioTools \
  -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
  -dict=Fuzz/readers.dict -artifact_prefix=.build/fuzz/artifacts/ -print_final_stats=1 "$@"
