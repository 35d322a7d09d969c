"""Month-to-month volatility of encounter series, for docs/model.md 5.3.2.

The shipped scenarios forecast months that data/ leaves out (July-November
2024) from the months around them: their encounter means are a level and a
log-trend through June and December 2024. The shocks' standard deviation
`volatility` is therefore set to the error such an interpolation makes on the
months the series does have:

- every six-month gap in a series (months a and a + 6, both reported, the five
  between reported too) is bridged by the straight line between the logs of its
  ends; the residual of each month inside is log(reported) - the line;
- sigma is the root mean square of those residuals, less the variance that the
  model's own day-to-day noise already gives a month of that size (Poisson:
  1 / count, plus 1 / (30 x dispersion) for a negative binomial), so the two
  are not counted twice.

So the model's 90% band (+-1.645 sigma in logs, before day-to-day noise) is as
wide as the interpolation error it has to cover. The persistence is the lag-1
autocorrelation phi of the monthly log-changes' AR(1) reading, 1 + 2 x corr(d_m,
d_m-1) with d the first differences (for an AR(1) e, corr(d_m, d_m-1) = -(1 -
phi) / 2), pooled over the series and held to [0, 0.9]. The common shock share
s solves the variance of the border total's bridge residual,

    var_total = (1 - s) x sum_c (w_c sigma_c)^2 + s x (sum_c w_c sigma_c)^2,

w_c the country's share of the total, held to [0, 1].

Run from the repository root:  python3 Tests/ScenarioTools/volatility.py data [FIRST-MONTH]
(FIRST-MONTH defaults to 2023-06). It also prints how often a +-1.645 sigma band,
sigma estimated without the bridge it is tried on, holds that bridge's months.
"""
import csv, math, sys
from collections import defaultdict

GAP = 6  # June to December 2024, the gap the scenarios bridge


def months_between(a, b):
    ya, ma = map(int, a.split("-"))
    yb, mb = map(int, b.split("-"))
    return (yb - ya) * 12 + (mb - ma)


def add_months(a, k):
    y, m = map(int, a.split("-"))
    n = y * 12 + (m - 1) + k
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def bridge_residuals(series, first, last):
    """Residuals of log-linear bridges over GAP-month gaps, months in [first, last]."""
    out = []
    a = first
    while months_between(a, last) >= GAP:
        b = add_months(a, GAP)
        inside = [add_months(a, k) for k in range(1, GAP)]
        if all(series.get(m, 0) > 0 for m in [a, b] + inside):
            la, lb = math.log(series[a]), math.log(series[b])
            for k, m in enumerate(inside, start=1):
                out.append((m, math.log(series[m]) - (la + (lb - la) * k / GAP)))
        a = add_months(a, 1)
    return out


def persistence(series_list, first, last):
    """Pooled 1 + 2 corr(d_m, d_m-1) of first differences of log counts."""
    pairs = []
    for s in series_list:
        ms = [m for m in sorted(s) if first <= m <= last and s[m] > 0]
        d = {}
        for m0, m1 in zip(ms, ms[1:]):
            if months_between(m0, m1) == 1:
                d[m1] = math.log(s[m1]) - math.log(s[m0])
        for m in d:
            prev = add_months(m, -1)
            if prev in d:
                pairs.append((d[m], d[prev]))
    if len(pairs) < 3:
        return 0.5
    mx = sum(p[0] for p in pairs) / len(pairs)
    my = sum(p[1] for p in pairs) / len(pairs)
    sxy = sum((p[0] - mx) * (p[1] - my) for p in pairs)
    sxx = sum((p[0] - mx) ** 2 for p in pairs)
    syy = sum((p[1] - my) ** 2 for p in pairs)
    rho = sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else 0.0
    return min(0.9, max(0.0, 1 + 2 * rho))


def sigma_of(residuals, series, dispersion=None):
    """The residuals' root mean square less the model's own day noise of those months."""
    if not residuals:
        return 0.0
    ms = sum(r * r for _, r in residuals) / len(residuals)
    noise = sum(1 / series[m] + (1 / (30 * dispersion) if dispersion else 0) for m, _ in residuals) / len(residuals)
    return math.sqrt(max(0.0, ms - noise))


def sigma(series, first, last, dispersion=None):
    """(sigma, number of residuals) for one series."""
    res = bridge_residuals(series, first, last)
    return sigma_of(res, series, dispersion), len(res)


def common_share(country_sigmas, weights, total_sigma):
    """s from var_total = (1 - s) sum (w sigma)^2 + s (sum w sigma)^2, held to [0, 1]."""
    own = sum((weights[c] * country_sigmas[c]) ** 2 for c in country_sigmas)
    full = sum(weights[c] * country_sigmas[c] for c in country_sigmas) ** 2
    if full <= own:
        return 0.0
    return min(1.0, max(0.0, (total_sigma ** 2 - own) / (full - own)))


def leave_one_out_coverage(series_by_country, first, last, z=1.645):
    """(inside, n): how many bridge residuals fall inside +-z sigma when sigma is
    estimated from the same series' other bridges (the window left out), plus
    the month's own Poisson variance: the 90% band's hit rate on gaps it did not see."""
    inside = n = 0
    for s in series_by_country.values():
        res = bridge_residuals(s, first, last)
        for k, (m, r) in enumerate(res):
            others = [(mm, x) for j, (mm, x) in enumerate(res) if j // (GAP - 1) != k // (GAP - 1)]
            if not others:
                continue
            n += 1
            inside += abs(r) <= z * math.sqrt(sigma_of(others, s) ** 2 + 1 / s[m])
    return inside, n


def read_by_citizenship(data):
    series = defaultdict(dict)
    for r in csv.DictReader(open(f"{data}/swb_encounters_by_citizenship_monthly.csv")):
        series[r["citizenship"]][r["month"]] = int(r["encounters_usbp_plus_ofo"])
    return series


if __name__ == "__main__":
    data = sys.argv[1] if len(sys.argv) > 1 else "data"
    first = sys.argv[2] if len(sys.argv) > 2 else "2023-06"
    last = "2024-05"
    series = read_by_citizenship(data)
    totals = {r["month"]: int(r["swb_total_cbp"]) for r in csv.DictReader(open(f"{data}/swb_encounters_total_monthly.csv"))}
    sig = {c: sigma(s, first, last)[0] for c, s in series.items()}
    w = {c: sum(s.get(m, 0) for m in s if first <= m <= last) for c, s in series.items()}
    tw = sum(w.values())
    w = {c: v / tw for c, v in w.items()}
    st, n = sigma(totals, first, last)
    phi = persistence(list(series.values()), first, last)
    print(f"persistence {phi:.3f}; total sigma {st:.3f} ({n} residuals); common share {common_share(sig, w, st):.3f}")
    for c in sorted(sig, key=lambda c: -w[c]):
        print(f"{c:35s} share {w[c]:.3f} sigma {sig[c]:.3f}")
    inside, n = leave_one_out_coverage(series, first, last)
    print(f"90% bands on bridges left out of the estimate: {inside} of {n} residuals inside ({inside / n:.0%})")
