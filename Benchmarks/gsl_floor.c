/* The floor set by GSL's samplers: the draws of one country-day of the
 * benchmark scenario (Benchmarks/make_scenario.py), in C, with parameters in
 * the same regimes (encounters 1-800 a day, Poisson or negative binomial;
 * pending 300,000; a docket at large of 1,000,000; ...), with the stream
 * restarted each country-day as deportsim's are (floor_draws.h), and nothing
 * else.
 * Compare its rate with deportsim-benchmark's "model only" line:
 *
 *     gcc -O2 Benchmarks/gsl_floor.c -o /tmp/gsl_floor -lgsl -lgslcblas -lm && /tmp/gsl_floor
 */
#include "floor_draws.h"
#include <stdio.h>
#include <time.h>
int main(int argc, char **argv) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
  long N = 2000000; double sink = 0;
  struct timespec a, b; clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < N; i++) {
    double mu = 1 + (i % 800);
    unsigned d[11];
    floor_draws(r, (uint64_t)i, mu, i & 1, floor_commercial(i), d);
    for (int k = 0; k < 11; k++) sink += d[k];
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
  printf("%.3f M country-days/s (sink %g)\n", N / s / 1e6, sink);
}
