/* The draws of one country-day of the benchmark scenario, in the regimes of
 * Benchmarks/make_scenario.py (encounters 1-800 a day, Poisson or negative
 * binomial; pending 300,000; a docket at large of 1,000,000; ...): shared
 * by gsl_floor.c (the draws alone) and run_floor.c (draws, summaries and
 * writing). */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

static inline void floor_draws(gsl_rng *r, double mu, int poisson, unsigned out[11]) {
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
  unsigned com = gsl_ran_poisson(r, 10);
  unsigned all[11] = {enc, er, nta, cl, pa, dec, ord, dep, arr, doc, com};
  for (int i = 0; i < 11; i++) out[i] = all[i];
}
