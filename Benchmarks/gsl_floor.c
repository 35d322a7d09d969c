/* The floor set by GSL's samplers: the draws of one country-day of the
 * benchmark scenario (Benchmarks/make_scenario.py), in C, with parameters in
 * the same regimes (encounters 1-800 a day, Poisson or negative binomial;
 * pending 300,000; a docket at large of 1,000,000; ...), and nothing else.
 * Compare its rate with deportsim-benchmark's "model only" line:
 *
 *     gcc -O2 Benchmarks/gsl_floor.c -o /tmp/gsl_floor -lgsl -lgslcblas -lm && /tmp/gsl_floor
 */
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <stdio.h>
#include <time.h>
int main(int argc, char **argv) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
  long N = 2000000; double sink = 0;
  struct timespec a, b; clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < N; i++) {
    double mu = 1 + (i % 800);
    unsigned enc = (i & 1) ? gsl_ran_poisson(r, mu) : gsl_ran_negative_binomial(r, 20.0/(20.0+mu), 20.0);
    unsigned er = gsl_ran_binomial(r, 0.35, enc);
    unsigned nta = gsl_ran_binomial(r, 0.55/0.65, enc - er);
    unsigned cl = gsl_ran_binomial(r, 0.5, er);
    unsigned pa = gsl_ran_binomial(r, 0.45, cl);
    unsigned dec = gsl_ran_binomial(r, 1.0/900, 300000);
    unsigned ord = gsl_ran_binomial(r, 0.5, dec);
    unsigned dep = gsl_ran_binomial(r, 7e-5, 1000000);
    unsigned arr = gsl_ran_binomial(r, 1.5e-4, 1000000);
    unsigned doc = gsl_ran_binomial(r, 1.0/30, 200);
    unsigned com = gsl_ran_poisson(r, 10);
    sink += enc + er + nta + cl + pa + dec + ord + dep + arr + doc + com;
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
  printf("%.3f M country-days/s (sink %g)\n", N / s / 1e6, sink);
}
