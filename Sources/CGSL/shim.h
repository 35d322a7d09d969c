#ifndef DEPORTSIM_CGSL_SHIM_H
#define DEPORTSIM_CGSL_SHIM_H
/* Only the headers GSLSupport uses: version and error handling, generators
   and samplers (RandomStream), quasi-random sequences (Sobol), running
   statistics and sorting (GSLRunningStatistics), sample statistics and the normal
   quantile (SampleStatistics), the simplex minimizer and its vectors
   (NelderMead). */
#include <gsl/gsl_version.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_rstat.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_vector.h>

/* Swift 6 sees GSL's generator-type globals as mutable shared state; these
   accessors return them without touching a global from Swift. */
static inline const gsl_rng_type *deportsim_rng_taus2(void) { return gsl_rng_taus2; }
static inline const gsl_rng_type *deportsim_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_rng_type *deportsim_rng_ranlxd2(void) { return gsl_rng_ranlxd2; }
static inline const gsl_rng_type *deportsim_rng_gfsr4(void) { return gsl_rng_gfsr4; }
static inline const gsl_qrng_type *deportsim_qrng_sobol(void) { return gsl_qrng_sobol; }
static inline const gsl_multimin_fminimizer_type *deportsim_nmsimplex2(void) { return gsl_multimin_fminimizer_nmsimplex2; }
static inline const char *deportsim_gsl_version(void) { return GSL_VERSION; }
#endif
