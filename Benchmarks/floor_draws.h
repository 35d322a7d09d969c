/* The draws of one country-day of the benchmark scenario, in the regimes of
 * Benchmarks/make_scenario.py (encounters 1-800 a day, Poisson or negative
 * binomial; pending 300,000; a docket at large of 1,000,000; ...): shared
 * by gsl_floor.c (the draws alone) and run_floor.c (draws, summaries and
 * writing).
 *
 * The same draws as deportsim's day step, checked by counting calls with
 * callgrind on one replication of the uniform scenario (a dump of the
 * simulated days, 274,800 country-days) against run_floor's:
 *
 *     valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.model \
 *         deportsim run /tmp/bench.yaml -r 1 -j 1 --out /tmp/cg-run   (binary: strip --strip-debug)
 *     valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.floor /tmp/run_floor 1 1 /tmp/cg.csv 200 365 12
 *
 *   per country-day           deportsim    floor, before    floor (this file)
 *   binomial (top level)        8.9           9                9
 *   Poisson, commercial         0.69          1                0.69
 *   encounters: Poisson/NB    0.54 / 0.46   0.5 / 0.5        0.5 / 0.5
 *   stream restarts             1             0                1
 *   Ir per call: binomial 311 / 321, Poisson 1,095 / 1,026, negative
 *   binomial 1,699 / 1,705 (deportsim / floor)
 *
 * deportsim restarts every country's stream each day (StreamSeed: taus2's
 * state filled from a SplitMix64 of the day's seed, RandomStream.reseed)
 * and skips the commercial Poisson on days nobody is ready (31% of the
 * benchmark's country-days); the floor does the same, with a fixed 69% of
 * country-days drawing. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdint.h>

static inline uint64_t floor_splitmix(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* RandomStream.reseed for taus2: three state words from SplitMix64, fixed up
 * as taus2_set does. */
static inline void floor_restart(gsl_rng *r, uint64_t seed) {
  unsigned long *s = gsl_rng_state(r);
  unsigned long s1 = floor_splitmix(&seed) & 0xffffffffUL, s2 = floor_splitmix(&seed) & 0xffffffffUL,
                s3 = floor_splitmix(&seed) & 0xffffffffUL;
  s[0] = s1 < 2 ? s1 + 2 : s1; s[1] = s2 < 8 ? s2 + 8 : s2; s[2] = s3 < 16 ? s3 + 16 : s3;
}

/* One country-day: the stream restarted from `seed`, then the draws in the
 * day step's order. `commercial`: whether anyone is ready for a commercial
 * removal today. */
static inline void floor_draws(gsl_rng *r, uint64_t seed, double mu, int poisson, int commercial, unsigned out[11]) {
  floor_restart(r, seed);
  unsigned enc = poisson ? gsl_ran_poisson(r, mu) : gsl_ran_negative_binomial(r, 20.0 / (20.0 + mu), 20.0);
  unsigned er = gsl_ran_binomial(r, 0.35, enc);
  unsigned nta = gsl_ran_binomial(r, 0.55 / 0.65, enc - er);
  unsigned cl = gsl_ran_binomial(r, 0.5, er);
  unsigned pa = gsl_ran_binomial(r, 0.45, cl);
  unsigned dec = gsl_ran_binomial(r, 1.0 / 900, 300000);
  unsigned ord = gsl_ran_binomial(r, 0.5, dec);
  unsigned dep = gsl_ran_binomial(r, 7e-5, 1000000);
  unsigned arr = gsl_ran_binomial(r, 1.5e-4, 1000000);
  unsigned doc = gsl_ran_binomial(r, 1.0 / 30, 200);
  unsigned com = commercial ? gsl_ran_poisson(r, 10) : 0;
  unsigned all[11] = {enc, er, nta, cl, pa, dec, ord, dep, arr, doc, com};
  for (int i = 0; i < 11; i++) out[i] = all[i];
}

/* Whether country-day k (any counter) draws a commercial removal: 69 in 100. */
static inline int floor_commercial(long k) { return k % 100 < 69; }
