/* The floor set by GSL's samplers: deportsim's own draws of the benchmark
 * scenario (Benchmarks/make_scenario.py), replayed from a trace of one
 * replication (draw_trace.c records it; draw_trace.h replays it: the same
 * samplers, arguments and order, one stream restarted per country-day as
 * deportsim's are), and nothing else.
 * Compare its rate with deportsim-benchmark's "model only" line:
 *
 *     gcc -O2 Benchmarks/gsl_floor.c -o /tmp/gsl_floor -lgsl -lgslcblas -lm
 *     /tmp/gsl_floor /tmp/draws.bin [REPLAYS [COUNTRY_DAYS]]
 *
 * REPLAYS: how many times the trace is replayed, each with other seeds
 * (default 3, as deportsim-benchmark's replications a thread).
 * COUNTRY_DAYS: the traced replication's countries x days (default 200 x
 * 3,653, the benchmark scenario's). */
#include "draw_trace.h"
#include <stdio.h>
#include <time.h>
int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: gsl_floor TRACE [REPLAYS [COUNTRY_DAYS]]\n"); return 2; }
  long replays = argc > 2 ? atol(argv[2]) : 3, country_days = argc > 3 ? atol(argv[3]) : 200L * 3653;
  if (replays < 1 || country_days < 1) { fprintf(stderr, "gsl_floor: REPLAYS and COUNTRY_DAYS must be whole numbers >= 1\n"); return 2; }
  long count;
  struct floor_call *calls = floor_load_trace(argv[1], &count);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
  double sink = 0;
  struct timespec a, b; clock_gettime(CLOCK_MONOTONIC, &a);
  for (long rep = 0; rep < replays; rep++) {
    for (long g = 0; g < country_days; g++) {
      long lo, hi;
      floor_country_day(g, country_days, count, &lo, &hi);
      floor_restart(r, (uint64_t)rep << 40 ^ (uint64_t)g);
      for (long k = lo; k < hi; k++) sink += floor_draw(r, &calls[k]);
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
  printf("%.3f M country-days/s (%ld calls a replay, %.2f a country-day; sink %g)\n", replays * country_days / s / 1e6, count,
         (double)count / country_days, sink);
  return 0;
}
