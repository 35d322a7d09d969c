/* Records every sampler call deportsim's day step makes, with its
 * arguments, so that the C floors (run_floor.c, gsl_floor.c) can make the
 * very same calls: same samplers, same arguments, same order, same count.
 * A floor with made-up arguments is not the same work: GSL's binomial takes
 * a different algorithm by n x p (inversion with gsl_pow_uint below 14,
 * BTPE above; Kachitvichyanukul & Schmeiser 1988) and the Poisson's cost grows
 * with log(mean), so a floor in other regimes measures other draws.
 *
 * Loaded into deportsim with LD_PRELOAD (deportsim links libgsl.so
 * dynamically); the wrappers call GSL's own functions (dlsym RTLD_NEXT) and
 * change no draw, so the run's outputs are the same bytes:
 *
 *     gcc -O2 -shared -fPIC Benchmarks/draw_trace.c -o /tmp/draw_trace.so -ldl
 *     DEPORTSIM_DRAW_TRACE=/tmp/draws.bin LD_PRELOAD=/tmp/draw_trace.so \
 *         deportsim run /tmp/bench.yaml -r 1 -j 1 --out /tmp/traced
 *
 * One replication, one job: the trace is the calls of one thread in the
 * order they were made. GSL's own inner calls (the negative binomial's
 * Poisson) are not recorded: they are part of the outer call. The format is
 * draw_trace.h's `struct floor_call`, native byte order. */
#define _GNU_SOURCE
#include "draw_trace.h"
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

static FILE *trace;
static int depth; /* > 0 inside a wrapped call: GSL calling itself */

static void record(unsigned kind, double a, double b, unsigned n) {
  if (depth > 0) return;
  if (!trace) {
    const char *path = getenv("DEPORTSIM_DRAW_TRACE");
    if (!path || !(trace = fopen(path, "wb"))) { perror("draw_trace: DEPORTSIM_DRAW_TRACE"); exit(3); }
    setvbuf(trace, NULL, _IOFBF, 1 << 20);
  }
  struct floor_call c = {a, b, n, kind};
  if (fwrite(&c, sizeof c, 1, trace) != 1) { perror("draw_trace"); exit(3); }
}

__attribute__((destructor)) static void finish(void) {
  if (trace && fclose(trace) != 0) perror("draw_trace");
}

/* A wrapper: records the call, then makes it with GSL's own function
 * (found once), counting the depth so that GSL's inner calls are not
 * recorded. */
#define WRAP(type, fn, kind, a, b, n, params, args)                                  \
  type fn params {                                                                   \
    static __typeof__(fn) *real;                                                     \
    if (!real) real = (__typeof__(fn) *)dlsym(RTLD_NEXT, #fn);                       \
    record(kind, a, b, n);                                                           \
    depth++;                                                                         \
    type x = real args;                                                              \
    depth--;                                                                         \
    return x;                                                                        \
  }

WRAP(unsigned int, gsl_ran_binomial, FLOOR_BINOMIAL, p, 0, n, (const gsl_rng *r, double p, unsigned int n), (r, p, n))
WRAP(unsigned int, gsl_ran_poisson, FLOOR_POISSON, mu, 0, 0, (const gsl_rng *r, double mu), (r, mu))
WRAP(unsigned int, gsl_ran_negative_binomial, FLOOR_NEGATIVE_BINOMIAL, p, n, 0, (const gsl_rng *r, double p, double n), (r, p, n))
WRAP(unsigned int, gsl_ran_bernoulli, FLOOR_BERNOULLI, p, 0, 0, (const gsl_rng *r, double p), (r, p))
WRAP(double, gsl_ran_gaussian_ziggurat, FLOOR_GAUSSIAN_ZIGGURAT, sigma, 0, 0, (const gsl_rng *r, double sigma), (r, sigma))
