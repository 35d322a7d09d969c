#!/usr/bin/env bash
# End-to-end benchmark of `deportsim run` and `deportsim sweep` against the C
# floor (Benchmarks/run_floor.c), as the README's "Benchmarks" table reports
# them. Release build; run on an otherwise idle machine (check `uptime`):
#
#     bash Benchmarks/end_to_end.sh [ROUNDS]    # default 3; 6 or more for the intervals, 12 in the README
#
# First records the sampler calls of one replication of the benchmark
# scenario (Benchmarks/draw_trace.c, under LD_PRELOAD) and checks that the
# traced run wrote the same summary.csv as an untraced one, so the floor
# replays deportsim's own draws. Then prints one line per command and round:
# wall seconds, user + sys CPU seconds, peak resident memory (GNU time), and
# for the floor its own timed part (without reading the trace, starting or
# exiting the process); then the round's ratios (the floor's timed part over
# run's wall time, 2 jobs against 1), and checks that 1 and 2 jobs write the
# same bytes. Each round
# runs `run` and the floor next to each other, in the opposite order (and
# job counts) every other round. Last, each ratio's median over the rounds
# with its distribution-free 95% interval (Benchmarks/median_ci.c): 6 rounds
# give one, 9 or more one narrower than the rounds' whole range.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
swift build -c release --product deportsim >"$tmp/build" 2>&1 || { cat "$tmp/build"; exit 1; }
gcc -O2 -pthread Benchmarks/run_floor.c -o "$tmp/run_floor" -lgsl -lgslcblas -lm
gcc -O2 -shared -fPIC Benchmarks/draw_trace.c -o "$tmp/draw_trace.so" -ldl
gcc -O2 Benchmarks/median_ci.c -o "$tmp/median_ci" -lgsl -lgslcblas -lm
python3 Benchmarks/make_scenario.py uniform > "$tmp/bench.yaml"
DEPORTSIM_DRAW_TRACE="$tmp/draws.bin" LD_PRELOAD="$tmp/draw_trace.so" \
  .build/release/deportsim run "$tmp/bench.yaml" -r 1 -j 1 --out "$tmp/traced" >/dev/null
.build/release/deportsim run "$tmp/bench.yaml" -r 1 -j 1 --out "$tmp/untraced" >/dev/null
[ -s "$tmp/draws.bin" ] || { echo "no draw trace was recorded (did LD_PRELOAD take effect?)" >&2; exit 1; }
cmp -s "$tmp/traced/summary.csv" "$tmp/untraced/summary.csv" || { echo "the traced run wrote another summary.csv" >&2; exit 1; }
echo "traced one replication ($(( $(stat -c %s "$tmp/draws.bin") / 1000000 )) MB); its summary.csv is the untraced run's"
measure() {  # label, command...; sets $wall
  local label=$1; shift
  /usr/bin/time -f "$label: %e s wall, %U+%S s CPU, %M KB peak" "$@" >"$tmp/out" 2>"$tmp/time" || { cat "$tmp/time"; exit 1; }
  tail -1 "$tmp/time"
  wall=$(tail -1 "$tmp/time" | sed 's/.*: \([0-9.]*\) s wall.*/\1/')
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
: >"$tmp/ratios"
time_run() {  # jobs
  rm -rf "$tmp/run$1"
  measure "run -r 10 -j $1" .build/release/deportsim run "$tmp/bench.yaml" -r 10 -j "$1" --out "$tmp/run$1"
  run[$1]=$wall
}
time_floor() {  # jobs
  measure "run_floor 10 $1" "$tmp/run_floor" "$tmp/draws.bin" 10 "$1" "$tmp/floor.csv"
  floor[$1]=$(sed -n 's/.* cells: \([0-9.]*\) s (draws.*/\1/p' "$tmp/out")
  [ -n "${floor[$1]}" ] || { echo "cannot read run_floor's timed seconds from: $(cat "$tmp/out")" >&2; exit 1; }
  echo "run_floor 10 $1: ${floor[$1]} s timed (without reading the trace)"
}
for k in $(seq "$rounds"); do
  # Odd rounds: 1 job then 2, deportsim before the floor; even rounds the
  # other way round, so neither program nor job count always goes first.
  if [ $((k % 2)) -eq 1 ]; then order="1 2"; else order="2 1"; fi
  for j in $order; do
    if [ $((k % 2)) -eq 1 ]; then time_run "$j"; time_floor "$j"; else time_floor "$j"; time_run "$j"; fi
    rm -rf "$tmp/sweep$j"
    measure "sweep 256x20 -j $j" .build/release/deportsim sweep Scenarios/sweeps/china-2024-charter-interval.yaml \
      Scenarios/sweeps/china-charter.sweep.yaml --points 256 -r 20 --jobs "$j" --out "$tmp/sweep$j"
    sweep[$j]=$wall
  done
  echo "round $k: C floor (timed) / run wall $(ratio "${floor[1]}" "${run[1]}") (1 job), $(ratio "${floor[2]}" "${run[2]}") (2 jobs);" \
    "2 jobs / 1: run $(ratio "${run[1]}" "${run[2]}"), C floor $(ratio "${floor[1]}" "${floor[2]}"), sweep $(ratio "${sweep[1]}" "${sweep[2]}")"
  { echo "floor/run,1_job $(ratio "${floor[1]}" "${run[1]}")"; echo "floor/run,2_jobs $(ratio "${floor[2]}" "${run[2]}")"
    echo "run,2_jobs/1 $(ratio "${run[1]}" "${run[2]}")"; echo "floor,2_jobs/1 $(ratio "${floor[1]}" "${floor[2]}")"
    echo "sweep,2_jobs/1 $(ratio "${sweep[1]}" "${sweep[2]}")"; } >>"$tmp/ratios"
  cmp -s "$tmp/run1/summary.csv" "$tmp/run2/summary.csv" || { echo "run: 1 and 2 jobs wrote different summary.csv files" >&2; exit 1; }
  echo "run: 1 and 2 jobs wrote the same summary.csv"
  cmp -s "$tmp/sweep1/outcomes.csv" "$tmp/sweep2/outcomes.csv" || { echo "sweep: 1 and 2 jobs wrote different outcomes.csv files" >&2; exit 1; }
  echo "sweep: 1 and 2 jobs wrote the same outcomes.csv"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "over the rounds (floor/run above 1: run took less time than the floor's timed part):"
"$tmp/median_ci" <"$tmp/ratios"
