/* The floor for `deportsim run` end to end: deportsim's own draws of the
 * benchmark scenario, replayed from a trace of one replication
 * (draw_trace.c records it, draw_trace.h replays it: the same samplers,
 * arguments and order, one stream restarted per country-day), each
 * country-day's results summed into a monthly table of the same shape as
 * deportsim's (periods x (countries x 25 + 36) cells), for R replications
 * over T threads (every replication replays the trace with its own seeds);
 * then every cell summarised (Welford mean and sd, exact 5/50/95%
 * quantiles with gsl_sort and gsl_stats_quantile_from_sorted_data), the
 * cells split over the T threads; and summary.csv-sized text (one row per
 * cell, 4 decimals, trailing zeros dropped) written in 1 MiB pieces under a
 * temporary name and renamed. Nothing else: no model logic, no scenario
 * parsing, no run.json. Reading the trace is not timed (the "total" it
 * prints); the wall time includes it.
 *
 *     gcc -O2 -pthread Benchmarks/run_floor.c -o /tmp/run_floor -lgsl -lgslcblas -lm
 *     /tmp/run_floor TRACE REPLICATIONS THREADS OUT.csv [countries days months]
 *
 * Defaults: 200 countries, 3,653 days, 121 months (the generated benchmark
 * scenario, Benchmarks/make_scenario.py); the trace must be of that many
 * country-days (the file does not say, so run_floor prints the traced calls
 * a country-day: 10.46 for the benchmark scenario).
 */
#include "draw_trace.h"
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { PER_COUNTRY = 25, ALL_WIDTH = 36 };
static long countries = 200, days = 3653, months = 121, reps, threads, stride, cells;
static double *values; /* cells x reps, cell-major */
static struct floor_call *calls; /* one replication of deportsim's sampler calls */
static long call_count;
static char *out_text[64];
static size_t out_len[64];

static void *simulate(void *arg) {
  long t = (long)arg;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
  double *table = malloc(sizeof(double) * cells);
  for (long rep = t; rep < reps; rep += threads) {
    memset(table, 0, sizeof(double) * cells);
    for (long d = 0; d < days; d++) {
      double *row = table + (d * months / days) * stride;
      double *all = row + countries * PER_COUNTRY;
      for (long c = 0; c < countries; c++) {
        long lo, hi;
        floor_country_day(d * countries + c, countries * days, call_count, &lo, &hi);
        floor_restart(r, (uint64_t)rep << 40 ^ (uint64_t)c << 20 ^ (uint64_t)d);
        double draws[11] = {0};
        for (long k = lo, j = 0; k < hi; k++, j = j == 10 ? 0 : j + 1) draws[j] += floor_draw(r, &calls[k]);
        double *cell = row + c * PER_COUNTRY;
        for (int m = 0; m < PER_COUNTRY; m++) {
          double x = draws[m % 11];
          if (m < 20) cell[m] += x; else cell[m] = x; /* 20 flows, 5 stocks */
          all[m] += x;
        }
      }
      for (int m = PER_COUNTRY; m < ALL_WIDTH; m++) all[m] += m;
    }
    for (long k = 0; k < cells; k++) values[k * reps + rep] = table[k];
  }
  free(table);
  gsl_rng_free(r);
  return NULL;
}

/* At most 4 decimals, trailing zeros dropped, whole numbers without a point. */
static size_t number(char *p, double x) {
  int n = snprintf(p, 40, "%.4f", x);
  while (n > 0 && p[n - 1] == '0') n--;
  if (n > 0 && p[n - 1] == '.') n--;
  if (n == 2 && p[0] == '-' && p[1] == '0') { p[0] = '0'; n = 1; }
  return (size_t)n;
}

static void *summarise(void *arg) {
  long t = (long)arg, lo = cells * t / threads, hi = cells * (t + 1) / threads;
  double *sorted = malloc(sizeof(double) * reps);
  size_t cap = (size_t)(hi - lo) * 120 + 64, len = 0;
  char *text = malloc(cap);
  for (long k = lo; k < hi; k++) {
    const double *v = values + k * reps;
    double mean = 0, m2 = 0;
    for (long i = 0; i < reps; i++) {
      double delta = v[i] - mean, dn = delta / (i + 1);
      mean += dn; m2 += delta * dn * i;
    }
    memcpy(sorted, v, sizeof(double) * reps);
    gsl_sort(sorted, 1, reps);
    double stats[5] = {mean, reps > 1 ? __builtin_sqrt(m2 / (reps - 1)) : 0,
                       gsl_stats_quantile_from_sorted_data(sorted, 1, reps, 0.05),
                       gsl_stats_quantile_from_sorted_data(sorted, 1, reps, 0.5),
                       gsl_stats_quantile_from_sorted_data(sorted, 1, reps, 0.95)};
    long period = k / stride, within = k % stride;
    len += sprintf(text + len, "2024-%02ld-01,2024-%02ld-28,C%03ld,metric_%02ld", period % 12 + 1, period % 12 + 1,
                   within / PER_COUNTRY, within % PER_COUNTRY);
    for (int s = 0; s < 5; s++) { text[len++] = ','; len += number(text + len, stats[s]); }
    text[len++] = '\n';
  }
  free(sorted);
  out_text[t] = text; out_len[t] = len;
  return NULL;
}

static double seconds_since(struct timespec a) {
  struct timespec b; clock_gettime(CLOCK_MONOTONIC, &b);
  return (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 5) { fprintf(stderr, "usage: run_floor TRACE REPLICATIONS THREADS OUT.csv [countries days months]\n"); return 2; }
  reps = atol(argv[2]); threads = atol(argv[3]);
  if (argc > 7) { countries = atol(argv[5]); days = atol(argv[6]); months = atol(argv[7]); }
  if (threads < 1 || threads > 64 || reps < 1 || countries < 1 || days < 1 || months < 1 || months > days) {
    fprintf(stderr, "run_floor: REPLICATIONS >= 1, THREADS 1-64, countries, days >= months >= 1\n");
    return 2;
  }
  stride = countries * PER_COUNTRY + ALL_WIDTH; cells = months * stride;
  calls = floor_load_trace(argv[1], &call_count);
  values = malloc(sizeof(double) * cells * reps);
  pthread_t th[64];
  struct timespec start; clock_gettime(CLOCK_MONOTONIC, &start);
  for (long t = 0; t < threads; t++) pthread_create(&th[t], NULL, simulate, (void *)t);
  for (long t = 0; t < threads; t++) pthread_join(th[t], NULL);
  double drawn = seconds_since(start);
  for (long t = 0; t < threads; t++) pthread_create(&th[t], NULL, summarise, (void *)t);
  for (long t = 0; t < threads; t++) pthread_join(th[t], NULL);
  char tmp[4096]; snprintf(tmp, sizeof tmp, "%s.tmp", argv[4]);
  FILE *f = fopen(tmp, "w");
  if (!f) { perror(tmp); return 3; }
  setvbuf(f, NULL, _IOFBF, 1 << 20);
  fputs("period_start,period_end,country,metric,mean,sd,p05,p50,p95\n", f);
  for (long t = 0; t < threads; t++) fwrite(out_text[t], 1, out_len[t], f);
  if (fclose(f) != 0 || rename(tmp, argv[4]) != 0) { perror(argv[4]); return 3; }
  double total = seconds_since(start);
  printf("%ld replications, %ld threads, %ld cells: %.2f s (draws %.2f s, summary and writing %.2f s); %.3f M country-days/s end to end; "
         "%.2f traced calls a country-day\n",
         reps, threads, cells, total, drawn, total - drawn, countries * days * reps / total / 1e6, (double)call_count / (countries * days));
  return 0;
}
