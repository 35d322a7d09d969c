/* The model's draws as the C floors make them: a trace of deportsim's own
 * sampler calls (draw_trace.c records one), replayed call by call with the
 * same samplers and arguments, and each stream restarted per country-day
 * as deportsim restarts its streams daily. Shared by gsl_floor.c (the
 * draws alone) and run_floor.c (draws, summaries and writing). */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FLOOR_BINOMIAL = 1, FLOOR_POISSON, FLOOR_NEGATIVE_BINOMIAL, FLOOR_BERNOULLI, FLOOR_GAUSSIAN, FLOOR_UNIFORM_INT };

#define FLOOR_TRACE_MAGIC "DSDRAW1"

/* The trace starts with this. */
struct floor_trace_header {
  char magic[8];         /* FLOOR_TRACE_MAGIC, with its NUL */
  uint32_t record_bytes; /* sizeof(struct floor_call) */
  uint32_t reserved;
};

/* One sampler call: binomial (p, -, n), Poisson (mean), negative binomial
 * (p, size), Bernoulli (p), Gaussian (sigma), uniform integer (-, n). */
struct floor_call {
  double a, b;
  uint32_t n, kind;
};

/* The whole trace's calls in memory; exits with a message when the file
 * is not a whole trace of known calls. */
static inline struct floor_call *floor_load_trace(const char *path, long *count) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(3); }
  struct floor_trace_header h;
  if (fread(&h, sizeof h, 1, f) != 1 || memcmp(h.magic, FLOOR_TRACE_MAGIC, sizeof h.magic) != 0 ||
      h.record_bytes != sizeof(struct floor_call)) {
    fprintf(stderr, "%s: not a draw trace of this build (Benchmarks/draw_trace.c writes them)\n", path); exit(3);
  }
  fseek(f, 0, SEEK_END);
  long bytes = ftell(f) - (long)sizeof h;
  fseek(f, (long)sizeof h, SEEK_SET);
  if (bytes <= 0 || bytes % (long)sizeof(struct floor_call) != 0) { fprintf(stderr, "%s: no calls, or a cut-off trace\n", path); exit(3); }
  struct floor_call *calls = malloc((size_t)bytes);
  if (!calls || fread(calls, 1, (size_t)bytes, f) != (size_t)bytes) { fprintf(stderr, "%s: cannot read\n", path); exit(3); }
  fclose(f);
  *count = bytes / (long)sizeof(struct floor_call);
  for (long k = 0; k < *count; k++)
    if (calls[k].kind < FLOOR_BINOMIAL || calls[k].kind > FLOOR_UNIFORM_INT) {
      fprintf(stderr, "%s: call %ld is of unknown kind %u\n", path, k, calls[k].kind); exit(3);
    }
  return calls;
}

static inline uint64_t floor_splitmix(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* RandomStreamHandle.reseed for taus2: three state words from SplitMix64,
 * fixed up as taus2_set does. */
static inline void floor_restart(gsl_rng *r, uint64_t seed) {
  unsigned long *s = r->state;
  unsigned long s1 = floor_splitmix(&seed) & 0xffffffffUL, s2 = floor_splitmix(&seed) & 0xffffffffUL,
                s3 = floor_splitmix(&seed) & 0xffffffffUL;
  s[0] = s1 < 2 ? s1 + 2 : s1; s[1] = s2 < 8 ? s2 + 8 : s2; s[2] = s3 < 16 ? s3 + 16 : s3;
}

/* One traced call, made again on stream r. */
static inline double floor_draw(gsl_rng *r, const struct floor_call *c) {
  switch (c->kind) {
  case FLOOR_BINOMIAL: return gsl_ran_binomial(r, c->a, c->n);
  case FLOOR_POISSON: return gsl_ran_poisson(r, c->a);
  case FLOOR_NEGATIVE_BINOMIAL: return gsl_ran_negative_binomial(r, c->a, c->b);
  case FLOOR_BERNOULLI: return gsl_ran_bernoulli(r, c->a);
  case FLOOR_GAUSSIAN: return gsl_ran_gaussian(r, c->a);
  default: return (double)gsl_rng_uniform_int(r, (unsigned long)c->b);
  }
}

/* The calls of country-day g of `days`: the trace split evenly over the
 * country-days, not at the model's own boundaries, so each makes its share
 * (10.46 on the benchmark scenario, the border's and routes' included).
 * g x count stays below 2^63 for any trace that fits in memory. */
static inline void floor_country_day(long g, long days, long count, long *lo, long *hi) {
  *lo = g * count / days;
  *hi = (g + 1) * count / days;
}
