#!/usr/bin/env python3
"""Writes the benchmark scenario: 200 countries x 10 years x 40 routes.

    python3 Benchmarks/make_scenario.py [uniform|log] [COUNTRIES [YEARS]] > /tmp/bench.yaml

Encounters 1 to 800 a day per country, pending stocks up to 300,000, a
shared bed limit, the restriction rule, all three schedule kinds and
events. Values are drawn from a fixed-seed generator, so the file is the
same on every machine. Not a calibrated scenario: a load for timing only.

`uniform` (the default) spreads encounters and stocks evenly over their
ranges: every country is large, the heaviest load. `log` spreads them
log-uniformly, as nationalities are at the real border (a few large, many
small: in data/ the top 5 of CBP's 22 groups carry most
encounters), so many daily counts are small or zero.

COUNTRIES (default 200, at most 676) and YEARS (default 10, from 2020) make a
smaller load of the same kind, for instruction counts under
`valgrind --tool=callgrind` (e.g. `uniform 20 1`: 20 countries, 2020 only).
The defaults give the file the README's figures were measured on; a smaller
size draws the same values for its first countries, and events or route
dates past its end are left out.
"""
import math
import random
import sys

spread = sys.argv[1] if len(sys.argv) > 1 else "uniform"
try:
    n_countries = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    years = int(sys.argv[3]) if len(sys.argv) > 3 else 10
except ValueError:
    n_countries = years = 0
if spread not in ("uniform", "log") or not 1 <= n_countries <= 676 or not 1 <= years <= 10:
    sys.exit("usage: make_scenario.py [uniform|log] [COUNTRIES (1-676) [YEARS (1-10)]]")
last_year = 2020 + years - 1


def draw(low, high):
    if spread == "log":
        return math.exp(rng.uniform(math.log(low), math.log(high)))
    return rng.uniform(low, high)

rng = random.Random(20241129)
# three capital letters, as scenario country codes must be: XAA, XAB, ...
codes = ["X" + chr(65 + i // 26) + chr(65 + i % 26) for i in range(n_countries)]
out = [
    f"name: benchmark-{n_countries}x{years}y-{spread}",
    "description: generated load for the throughput benchmark (not calibrated)",
    "start: 2020-01-01",
    f"end: {last_year}-12-31",
    "seed: 7",
    "output: { period: month }",
    "capacity: { detention_beds: 40000, max_detention_days: 180, charter_flights_per_day: 6 }",
    "costs: { detention_bed_day: 165, charter_flight_hour: 8577, commercial_removal: 1978 }",
    "border:",
    "  other_encounters: { per_day: 2000, distribution: negative_binomial, dispersion: 30 }",
    "  restrictions: { effective: 2020-03-01, activate_at: 60000, deactivate_below: 45000, deactivate_after_days: 28,",
    "                  deactivate_delay_days: 14, while_active: { encounter_multiplier: 0.8, credible_fear_pass_rate: 0.3 } }",
    "countries:",
]
for c in codes:
    per_day = round(draw(1, 800), 1)
    er = round(rng.uniform(0.1, 0.6), 2)
    vr = round(rng.uniform(0.0, 0.2), 2)
    nta = round(1 - er - vr, 2)
    nb = rng.random() < 0.5
    dist = f"distribution: negative_binomial, dispersion: {round(rng.uniform(2, 50), 1)}" if nb else "distribution: poisson"
    out += [
        f"  {c}:",
        f"    encounters: {{ per_day: {per_day}, {dist}, trend_per_year: {round(rng.uniform(-0.2, 0.2), 3)} }}",
        f"    deterrence: {{ elasticity: {round(rng.uniform(0, 6), 2)}, half_life_days: 30 }}",
        f"    pathways: {{ expedited_removal: {er}, notice_to_appear: {nta}, voluntary_return: {vr} }}",
        f"    credible_fear: {{ claim_rate: {round(rng.uniform(0.2, 0.8), 2)}, pass_rate: {round(rng.uniform(0.2, 0.7), 2)} }}",
        f"    court: {{ mean_days: {rng.randint(300, 1500)}, order_rate: {round(rng.uniform(0.3, 0.7), 2)} }}",
        f"    at_large: {{ arrest_rate_per_year: {round(rng.uniform(0.01, 0.1), 3)}, departure_rate_per_year: {round(rng.uniform(0, 0.05), 3)} }}",
        f"    travel_documents: {{ mean_days: {rng.randint(5, 60)}, cooperation: {round(rng.uniform(0.2, 1), 2)} }}",
        f"    commercial_removals_per_day: {round(rng.uniform(0, 20), 1)}",
        f"    initial: {{ pending: {int(draw(1000, 300000))}, at_large: {int(draw(1000, 100000))}, detained_awaiting: {rng.randint(0, 300)}, detained_ready: {rng.randint(0, 50)} }}",
    ]
out.append("routes:")
for r in range(40):
    served = rng.sample(codes, rng.randint(1, 5))
    kind = r % 3
    if kind == 0:
        sched = f"{{ every_days: {rng.randint(7, 42)}, first: 2020-01-{rng.randint(1, 28):02d}, jitter_days: {rng.randint(0, 5)} }}"
    elif kind == 1:
        sched = f"{{ per_month: {round(rng.uniform(1, 12), 1)} }}"
    else:
        dates = sorted({f"20{rng.randint(20, 29)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" for _ in range(30)})
        dates = [d for d in dates if int(d[:4]) <= last_year] or [f"{last_year}-12-28"]
        sched = "{ dates: [" + ", ".join(dates) + "] }"
    out.append(f"  - {{ id: route{r:02d}, countries: [{', '.join(served)}], seats: {rng.choice([60, 100, 135, 180])}, "
               f"block_hours: {rng.randint(2, 30)}, min_load: {round(rng.uniform(0, 0.5), 2)}, cancel_probability: 0.05, schedule: {sched} }}")
events = [e for e in [
    "  - { date: 2022-08-01, set: { countries.XAA.travel_documents.cooperation: 0 }, note: a suspension }",
    "  - { date: 2024-05-01, set: { countries.XAA.travel_documents.cooperation: 0.8 } }",
    "  - { date: 2025-01-01, set: { capacity.detention_beds: 50000 } }",
] if int(e[12:16]) <= last_year]
if events:
    out += ["events:"] + events
print("\n".join(out))
