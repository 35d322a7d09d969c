/* The median of each series of benchmark ratios, with a distribution-free
 * 95% confidence interval: for n values sorted x(1) <= ... <= x(n),
 * [x(k), x(n+1-k)] covers the median with probability 1 - 2 P(B <= k - 1),
 * B ~ Binomial(n, 1/2), whatever the distribution of the values, provided
 * they are independent and identically distributed (Thompson 1936, "On
 * confidence ranges for the median and other expectation distributions for
 * populations of unknown distribution form", Annals of Mathematical
 * Statistics 7(3), 122-128). k is the largest with coverage >= 95%. The
 * coverage printed is exact for continuous values; with ties (ratios
 * rounded to 3 decimals) the closed interval covers at least that. Fewer than
 * 6 values cannot give 95% (the range covers with 1 - 2^(1-n)), so none is
 * printed.
 *
 * The values must be independent with a common median, which is assumed,
 * not shown: end_to_end.sh runs the programs of a round next to each other,
 * in the opposite order every other round, so a drift of the machine's
 * speed (this VM's varies by 10-20% between sessions) mostly cancels within
 * a round and an order effect cannot favour one program. The interval is for
 * the median ratio of one session's rounds; each series has its own 95%, not
 * all of them together.
 *
 *     gcc -O2 Benchmarks/median_ci.c -o /tmp/median_ci -lgsl -lgslcblas -lm
 *     printf 'ratio 1.02\nratio 0.97\n...' | /tmp/median_ci
 *
 * Input: lines "LABEL VALUE"; output: one line per label, in first-seen order.
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_SERIES = 32, MAX_VALUES = 10000, LABEL = 64 };
static char labels[MAX_SERIES][LABEL];
static double values[MAX_SERIES][MAX_VALUES];
static size_t counts[MAX_SERIES];
static int series;

/* P(x(k) <= median <= x(n+1-k)) for continuous values: 1 - 2 P(B <= k - 1). */
static double coverage(size_t k, size_t n) { return 1 - 2 * gsl_cdf_binomial_P((unsigned)(k - 1), 0.5, (unsigned)n); }

int main(void) {
  char line[256], label[LABEL], extra;
  double x;
  long number = 0;
  while (fgets(line, sizeof line, stdin)) {
    number++;
    if (!strchr(line, '\n') && !feof(stdin)) { fprintf(stderr, "median_ci: line %ld is longer than %zu characters\n", number, sizeof line - 2); return 2; }
    if (sscanf(line, "%63s %lf %c", label, &x, &extra) != 2 || strlen(label) == LABEL - 1 || !isfinite(x)) {
      fprintf(stderr, "median_ci: line %ld: expected \"LABEL VALUE\" (a label of at most %d characters, a finite number): %s", number,
              LABEL - 2, line);
      return 2;
    }
    int s = 0;
    while (s < series && strcmp(labels[s], label) != 0) s++;
    if (s == series) {
      if (series == MAX_SERIES) { fprintf(stderr, "median_ci: more than %d series\n", MAX_SERIES); return 2; }
      strcpy(labels[series++], label);
    }
    if (counts[s] == MAX_VALUES) { fprintf(stderr, "median_ci: more than %d values of %s\n", MAX_VALUES, label); return 2; }
    values[s][counts[s]++] = x;
  }
  for (int s = 0; s < series; s++) {
    size_t n = counts[s];
    double *v = values[s];
    gsl_sort(v, 1, n);
    printf("%s: %zu values, median %.3f, range %.3f-%.3f", labels[s], n, gsl_stats_median_from_sorted_data(v, 1, n), v[0], v[n - 1]);
    /* The coverage falls as k grows: the largest k still at 95%. */
    size_t k = 0;
    while (2 * (k + 1) <= n && coverage(k + 1, n) >= 0.95) k++;
    if (k == 0) printf(", too few values for a 95%% interval\n");
    else printf(", 95%% interval for the median %.3f-%.3f (values %zu and %zu of %zu, coverage %.3f)\n", v[k - 1], v[n - k], k,
                n + 1 - k, n, coverage(k, n));
  }
  return 0;
}
