#!/usr/bin/env bash
# Regenerates the reference results of every shipped scenario:
#     bash Results/regenerate.sh
# 50 replications each (files stay small), the scenario's own seed, 2 jobs
# (the bytes do not depend on it). Results/BaselineTests checks them.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product deportsim >/dev/null
for f in Scenarios/*.yaml; do
  name=$(basename "$f" .yaml)
  rm -rf "Results/reference/$name"
  .build/release/deportsim run "$f" --replications 50 --jobs 2 --out "Results/reference/$name" >/dev/null
  echo "Results/reference/$name"
done
