/* Records deportsim's sampler calls, with their arguments, so that the C
 * floors (run_floor.c, gsl_floor.c) can make the very same calls: same
 * samplers, same arguments, same order, same count. A floor with made-up
 * arguments is not the same work: GSL's binomial takes a different
 * algorithm by n x p (inversion with gsl_pow_uint below 14, BTPE above;
 * Kachitvichyanukul & Schmeiser 1988), the Poisson's cost grows with
 * log(mean), and arguments that repeat make GSL's branches predictable.
 *
 * Recorded: every binomial, Poisson, negative binomial and Bernoulli call
 * (the day step's samplers), the Gaussian of the encounter shocks and the
 * uniform integers of the charter jitter. Not recorded: the draws of
 * uncertain inputs (gsl_ran_flat, _lognormal, _beta, _discrete,
 * gsl_rng_uniform; the benchmark scenario has none), and GSL's calls to
 * itself (the Poisson's inner binomial, the negative binomial's inner
 * Poisson): they are part of the outer call.
 *
 * Loaded into deportsim with LD_PRELOAD (deportsim links libgsl.so
 * dynamically); the wrappers call GSL's own functions and change no draw,
 * so the run writes the same bytes:
 *
 *     gcc -O2 -shared -fPIC Benchmarks/draw_trace.c -o /tmp/draw_trace.so -ldl
 *     DEPORTSIM_DRAW_TRACE=/tmp/draws.bin LD_PRELOAD=/tmp/draw_trace.so \
 *         deportsim run /tmp/bench.yaml -r 1 -j 1 --out /tmp/traced
 *
 * One replication, one job: the trace is the calls of one thread in the
 * order they were made, and a call from a second thread stops the process.
 * The format is draw_trace.h's: a `struct floor_trace_header`, then one
 * `struct floor_call` per call, native byte order. */
#define _GNU_SOURCE
#include "draw_trace.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static FILE *trace;
static int closed;            /* after the destructor: record nothing more */
static pthread_t recorder;    /* the one thread that records */
static _Thread_local int depth; /* > 0 inside a wrapped call: GSL calling itself */

static void fail(const char *what) {
  fprintf(stderr, "draw_trace: %s\n", what);
  const char *path = getenv("DEPORTSIM_DRAW_TRACE");
  if (path) remove(path); /* no trace that looks whole */
  _exit(3);
}

static void record(unsigned kind, double a, double b, unsigned n) {
  if (depth > 0 || closed) return;
  if (!trace) {
    const char *path = getenv("DEPORTSIM_DRAW_TRACE");
    if (!path || !*path) fail("DEPORTSIM_DRAW_TRACE names no file");
    if (!(trace = fopen(path, "wb"))) fail("cannot create the DEPORTSIM_DRAW_TRACE file");
    setvbuf(trace, NULL, _IOFBF, 1 << 20);
    recorder = pthread_self();
    struct floor_trace_header h;
    memcpy(h.magic, FLOOR_TRACE_MAGIC, sizeof h.magic);
    h.record_bytes = sizeof(struct floor_call);
    h.reserved = 0;
    if (fwrite(&h, sizeof h, 1, trace) != 1) fail("cannot write the trace");
  } else if (!pthread_equal(recorder, pthread_self())) {
    fail("sampler calls from two threads: trace one replication with -j 1");
  }
  struct floor_call c = {a, b, n, kind};
  if (fwrite(&c, sizeof c, 1, trace) != 1) fail("cannot write the trace");
}

__attribute__((destructor)) static void finish(void) {
  closed = 1;
  if (trace && fclose(trace) != 0) fail("cannot finish the trace");
  trace = NULL;
}

/* A wrapper: records the call, then makes it with GSL's own function
 * (found once), counting the depth so that GSL's inner calls are not
 * recorded. */
#define WRAP(type, fn, kind, a, b, n, params, args)                                  \
  type fn params {                                                                   \
    static __typeof__(fn) *real;                                                     \
    if (!real && !(real = (__typeof__(fn) *)dlsym(RTLD_NEXT, #fn))) fail("no " #fn); \
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
WRAP(double, gsl_ran_gaussian, FLOOR_GAUSSIAN, sigma, 0, 0, (const gsl_rng *r, const double sigma), (r, sigma))
WRAP(unsigned long int, gsl_rng_uniform_int, FLOOR_UNIFORM_INT, 0, (double)n, 0, (const gsl_rng *r, unsigned long int n), (r, n))
