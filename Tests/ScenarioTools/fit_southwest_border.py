#!/usr/bin/env python3
"""Writes Scenarios/southwest-border-2024.yaml and
Scenarios/southwest-border-2024-no-restriction-rule.yaml from data/
(data/README.md describes the files).

Fits each citizenship's encounters to swb_encounters_by_citizenship_monthly.csv
(USBP + OFO):
- the restriction rule ramps up over ramp_days, fitted on the border total so
  that July-September add up to F028 minus the series;
- per citizenship a level, a log-trend and its own full-strength rule
  multiplier (countries.X.restriction) through May's daily rate, the June
  total and the December total;
- two streams per citizenship (border_patrol, ports) split by the border's
  ports share of each month (swb_encounters_total_monthly.csv);
- pre-rule seasonality factors for October 2023 to May 2024;
- monthly shocks (volatility) from Tests/ScenarioTools/volatility.py.
The removal-side values below (KNOBS) were tuned with `deportsim compare`
against the scenario's targets; docket_growth and order_rate come from a run
(Scenarios/README.md says how). Run from the repository root:

    python3 Tests/ScenarioTools/fit_southwest_border.py data Scenarios

With Scenarios/southwest-border-2024.posterior.csv present the scenario refers
to it (`uncertain: { from: ... }`); --no-posterior leaves that out, for making
the posterior anew (Scenarios/README.md).
"""
import csv, math, sys, datetime as dt
import os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import volatility
from collections import defaultdict

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
DATA = ARGS[0] if len(ARGS) > 0 else "data"
OUT = ARGS[1] if len(ARGS) > 1 else "Scenarios"
START = dt.date(2023, 10, 1)
# the checked-in posterior (beside the shipped scenario, whatever OUT is)
POSTERIOR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Scenarios", "southwest-border-2024.posterior.csv")

CODES = {"MEXICO": "MEX", "VENEZUELA": "VEN", "GUATEMALA": "GTM", "CUBA": "CUB", "HONDURAS": "HND",
         "COLOMBIA": "COL", "ECUADOR": "ECU", "HAITI": "HTI", "EL SALVADOR": "SLV", "PERU": "PER",
         "CHINA, PEOPLES REPUBLIC OF": "CHN", "NICARAGUA": "NIC", "BRAZIL": "BRA", "INDIA": "IND",
         "RUSSIA": "RUS", "TURKEY": "TUR", "ROMANIA": "ROU", "UKRAINE": "UKR", "CANADA": "CAN",
         "PHILIPPINES": "PHL", "MYANMAR (BURMA)": "MMR", "OTHER": "OTH"}
NAMES = {"MEX": "Mexico", "VEN": "Venezuela", "GTM": "Guatemala", "CUB": "Cuba", "HND": "Honduras",
         "COL": "Colombia", "ECU": "Ecuador", "HTI": "Haiti", "SLV": "El Salvador", "PER": "Peru",
         "CHN": "China", "NIC": "Nicaragua", "BRA": "Brazil", "IND": "India", "RUS": "Russia",
         "TUR": "Turkey", "ROU": "Romania", "UKR": "Ukraine", "CAN": "Canada", "PHL": "Philippines",
         "MMR": "Myanmar (Burma)", "OTH": "All other citizenships (CBP's OTHER)"}

# ICE non-detained docket with final orders on 2024-11-24 (reported_figures.csv).
DOCKET = {"CHN": ("F073", 37908), "CUB": ("F074", 42084), "BRA": ("F075", 38677), "COL": ("F076", 27388),
          "ECU": ("F077", 31252), "SLV": ("F078", 203822), "GTM": ("F079", 253413), "HTI": ("F080", 32363),
          "HND": ("F083", 261651), "MEX": ("F084", 252044), "NIC": ("F085", 45995), "VEN": ("F086", 22749)}
DOCKET_OTHER_LISTED = {"BGD F081": 4837, "GHA F082": 3228, "IRN F087": 2618, "PAK F088": 776, "UZB F089": 975}
DOCKET_TOTAL = 1445549  # F072

# assumption: a country's full-strength multiplier lies in this range (a rule that
# more than doubles or nearly stops a nationality's crossings is not in the data)
M_RANGE = (0.05, 2.0)

# ---------------------------------------------------------------- KNOBS
KNOBS = dict(
    # growth of each country's at_large from 2023-10-01 to 2024-11-24 in the
    # model (from a run); initial at_large = docket - growth, at least 10% of it.
    # court order rates by nationality (F105's 39% unless fitted): where the docket
    # (F073-F089) is smaller than what 39% of the nationality's pending cases add
    # to it in 14 months, the rate is lowered until the growth is 90% of the
    # docket (the initial at_large then 10% of it); fitted with `deportsim compare`.
    order_rate={'COL': 0.2817, 'VEN': 0.146},
    docket_growth={'MEX': 124159, 'VEN': 54678, 'GTM': 53261, 'OTH': 30005, 'CUB': 29637, 'HND': 35231, 'ECU': 28060, 'COL': 34129, 'HTI': 19425, 'SLV': 840, 'PER': 10297, 'CHN': 11686, 'NIC': 12865, 'BRA': 4961, 'IND': 5720, 'RUS': 4753, 'TUR': 2573, 'ROU': 268, 'UKR': 30, 'CAN': 18, 'PHL': 6, 'MMR': 2},
    er_pre={"GTM": 0.45, "HND": 0.37, "SLV": 0.15, "MEX": 0.22, "CHN": 0.18,
            "VEN": 0.03, "CUB": 0.03, "NIC": 0.03, "RUS": 0.03, "IND": 0.03, "UKR": 0.03, "MMR": 0.03},
    er_pre_default=0.10,
    vr={"MEX": 0.64},
    vr_default=0.03,
    er_post_cap=0.60,           # assumption: under the rule at most 60% expedited (the rest NTA or returned)
    claim_rate=0.4, pass_rate=0.6, pass_rate_rule=0.35,
    doc_days=38,
    commercial={"MEX": 300, "CHN": 0.79},
    commercial_default_share=0.05,
    routes_per_month={"guatemala": 25, "honduras": 18, "el-salvador": 12, "andes": 16, "haiti": 3,
                      "venezuela": 3, "worldwide": 20},
)
COOP = {"CUB": (0.2, "F091: ICE lists Cuba as uncooperative"), "VEN": (0.2, "F091: ICE lists Venezuela as uncooperative"),
        "IND": (0.2, "F091: ICE lists India as uncooperative"), "RUS": (0.2, "F091: ICE lists Russia as uncooperative"),
        "NIC": (0.2, "assumption: Nicaragua took few removal flights"),
        "HTI": (0.5, "assumption: removals to Haiti continued at a reduced pace"),
        "UKR": (0.3, "assumption: removals to Ukraine largely paused by the war"),
        "MMR": (0.2, "assumption: little cooperation"),
        "CHN": (0.028, "F011 suspended since Aug 2022; as in china-2024.yaml (F061)")}


def t(d):
    return (d - START).days / 365.25


def month_days(ym):
    y, m = map(int, ym.split("-"))
    d = dt.date(y, m, 1)
    out = []
    while d.month == m:
        out.append(d)
        d += dt.timedelta(days=1)
    return out


def main():
    series = defaultdict(dict)
    for r in csv.DictReader(open(f"{DATA}/swb_encounters_by_citizenship_monthly.csv")):
        series[CODES[r["citizenship"]]][r["month"]] = int(r["encounters_usbp_plus_ofo"])
    totals = {}
    for r in csv.DictReader(open(f"{DATA}/swb_encounters_total_monthly.csv")):
        totals[r["month"]] = (int(r["swb_usbp_apprehensions_cbp"]), int(r["swb_ofo_inadmissibles_cbp"]), int(r["swb_total_cbp"]))
    fy23 = [m for m in series["MEX"] if "2022-10" <= m <= "2023-09"]
    pre = ["2023-10", "2023-11", "2023-12", "2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    jun, dec = month_days("2024-06"), month_days("2024-12")
    rule_day = dt.date(2024, 6, 5)

    # The rule's effect per citizenship (docs/model.md 5.2.1): from 2024-06-05
    # each country's mean is multiplied by 1 + (m_c - 1) x f, f = min(1, (k + 1) / R)
    # ramping up over R = ramp_days (border-wide). Per country three figures fix
    # the level L, the log-trend tau and the full-strength multiplier m_c:
    # May's daily rate (assumption: June 1-4 and the rule-free June continue May,
    # seasonality 1 from June), the June total and the December total. R is
    # fitted so that July-September add up to F028 minus the series.
    fy24_months = [m for m in totals if "2023-10" <= m <= "2024-09"]
    jul_sep_total = 2135005 - sum(totals[m][2] for m in fy24_months)          # F028 minus the series
    jul_sep_usbp = 1530523 - sum(totals[m][0] for m in fy24_months)           # F029 minus the series
    jul_sep_ofo = 604482 - sum(totals[m][1] for m in fy24_months)             # F030 minus the series
    cy24_months = [m for m in totals if "2024-01" <= m <= "2024-12"]
    oct_nov_total = 1646242 - sum(totals[m][2] for m in cy24_months) - jul_sep_total   # F032 minus the series and Jul-Sep
    oct_nov_usbp = 1051384 - sum(totals[m][0] for m in cy24_months) - jul_sep_usbp     # F032's USBP part likewise
    oct_nov_ofo = 594858 - sum(totals[m][1] for m in cy24_months) - jul_sep_ofo        # F032's OFO part likewise
    jul_sep = month_days("2024-07") + month_days("2024-08") + month_days("2024-09")
    june1 = dt.date(2024, 6, 1)

    def strength(d, R):
        k = (d - rule_day).days
        return 0.0 if k < 0 else min(1.0, (k + 1) / R)

    def rule(d, m, R):
        return 1.0 if d < rule_day else 1 + (m - 1) * strength(d, R)

    def bisect(f, lo, hi, n=100):
        flo = f(lo)
        for _ in range(n):
            mid = (lo + hi) / 2
            if (f(mid) > 0) == (flo > 0): lo = mid
            else: hi = mid
        return (lo + hi) / 2

    border_m = None   # the border's full-strength multiplier, once fitted (below)

    def fit_series(s, R):
        """(per_day, tau, m, clipped) through May's daily rate, June and December of a series, or None."""
        J, D, a = s.get("2024-06", 0), s.get("2024-12", 0), s.get("2024-05", 0) / 31
        if J < 1 or D < 1 or a <= 0:
            return None
        t1 = t(june1)
        def m_of(tau):
            e = [math.exp(tau * (t(d) - t1)) for d in jun]
            post = sum(x * strength(d, R) for x, d in zip(e, jun))
            return 1 + (J / a - sum(e)) / post
        def dec_resid(tau):
            return a * m_of(tau) * sum(math.exp(tau * (t(d) - t1)) for d in dec) - D
        tau = bisect(dec_resid, -8.0, 8.0)
        m = m_of(tau)
        clipped = not (M_RANGE[0] <= m <= M_RANGE[1])
        if clipped:   # June and December cannot both be met from May with a multiplier in range: the border's multiplier, both totals kept, May's continuity dropped
            m = border_m if border_m is not None else min(max(m, M_RANGE[0]), M_RANGE[1])
            tau = stream_trend(J, D, m, R)
            return J / sum(math.exp(tau * t(d)) * rule(d, m, R) for d in jun), tau, m, True
        return a * math.exp(-tau * t1), tau, m, False

    def fit(code, R):
        return fit_series(series[code], R)

    def stream_trend(J, D, m, R):
        return bisect(lambda tau: m * sum(math.exp(tau * t(d)) for d in dec) / sum(math.exp(tau * t(d)) * rule(d, m, R) for d in jun) - D / J, -20.0, 20.0)

    def stream_fit(J, D, m, R):
        """(per_day, tau) of one stream through its June and December totals, multiplier m."""
        tau = stream_trend(J, D, m, R)
        return J / sum(math.exp(tau * t(d)) * rule(d, m, R) for d in jun), tau

    def flat(code):
        s = series[code]
        months = [m for m in sorted({m for x in series.values() for m in x}) if m >= "2022-10"]
        return sum(s.values()), len(months), sum(s.values()) / sum(len(month_days(m)) for m in months)

    def model_sum(R, days):
        total = 0.0
        for c in series:
            f = fit(c, R)
            if f is None:
                total += flat(c)[2] * len(days)
            else:
                total += sum(f[0] * math.exp(f[1] * t(d)) * rule(d, f[2], R) for d in days)
        return total
    # R from the border's total (the citizenships' sum follows; printed below)
    total_series = {m: totals[m][2] for m in totals}
    def border_jul_sep(r):
        L0, tau0, m0, _ = fit_series(total_series, r)
        return sum(L0 * math.exp(tau0 * t(d)) * rule(d, m0, r) for d in jul_sep)
    R = min(range(1, 31), key=lambda r: abs(border_jul_sep(r) - jul_sep_total))
    border_m = fit_series(total_series, R)[2]
    oct_nov_model = model_sum(R, month_days("2024-10") + month_days("2024-11"))
    sys.stderr.write(f"ramp_days={R}: Jul-Sep model {model_sum(R, jul_sep):.0f} target {jul_sep_total}; Oct-Nov data {oct_nov_total} model {oct_nov_model:.0f}\n")

    # The ports share of each month: OFO / (USBP + OFO), border-wide (the series by
    # citizenship does not separate the two; assumption: every citizenship has the
    # border's share of that month).
    ports_share = {m: totals[m][1] / totals[m][2] for m in totals}

    # Volatility (docs/model.md 5.3.2) by Tests/ScenarioTools/volatility.py over
    # the months after Title 42 ended (June 2023 - May 2024).
    vol_first, vol_last = "2023-06", "2024-05"
    vol_sigma = {c: volatility.sigma(series[c], vol_first, vol_last, 30 if (fit(c, R) or (0,))[0] > 20 else None)[0] for c in series}
    vol_phi = volatility.persistence(list(series.values()), vol_first, vol_last)
    vol_total, _ = volatility.sigma(total_series, vol_first, vol_last)
    weights = {c: sum(v for m, v in series[c].items() if vol_first <= m <= vol_last) for c in series}
    wsum = sum(weights.values())
    vol_share = volatility.common_share(vol_sigma, {c: w / wsum for c, w in weights.items()}, vol_total)
    vol_phi_border = volatility.persistence([total_series], vol_first, vol_last)
    sys.stderr.write(f"volatility: persistence {vol_phi:.3f}, border {vol_phi_border:.3f}, common share {vol_share:.3f}, total sigma {vol_total:.3f}\n")

    fy24_codes = sorted(series, key=lambda c: -sum(series[c].get(m, 0) for m in pre + ["2024-06"]))
    share23 = {c: sum(series[c].get(m, 0) for m in fy23) for c in series}
    tot23 = sum(share23.values())

    # Docket: listed countries from the table; the rest of F072 split over the
    # unlisted modelled citizenships (OTH included) by FY2023 encounters.
    listed = sum(v for _, v in DOCKET.values()) + sum(DOCKET_OTHER_LISTED.values())
    remainder = DOCKET_TOTAL - listed
    unlisted = [c for c in series if c not in DOCKET]
    unl23 = sum(share23[c] for c in unlisted)
    docket = {}
    for c in series:
        if c in DOCKET:
            docket[c] = (DOCKET[c][1], f"{DOCKET[c][0]}")
        else:
            v = remainder * share23[c] / unl23
            if c == "OTH":
                v += sum(DOCKET_OTHER_LISTED.values())
            docket[c] = (round(v), "assumption: F072 minus the listed rows (F073-F089), split by FY2023 encounters" +
                         (" + BGD/GHA/IRN/PAK/UZB rows" if c == "OTH" else ""))
    K = KNOBS
    booked, initial_at = {}, {}
    L = []
    w = L.append
    w(HEADER.replace("@RAMP@", str(R)).replace("@JULSEP@", f"{jul_sep_total:,}")
      .replace("@PHIB@", f"{vol_phi_border:.3f}").replace("@SHARE@", f"{vol_share:.3f}").replace("@TOTALSIGMA@", f"{vol_total:.3f}"))
    if os.path.exists(POSTERIOR) and "--no-posterior" not in sys.argv:
        w("# Parameter uncertainty: replication r runs one draw of the posterior of ramp_days and the")
        w("# rule's credible-fear pass rate (calibrate --posterior, Scenarios/README.md says how; the")
        w("# pass rate is not informed by the targets, so its draws spread over the prior 0.2-0.5).")
        w("uncertain: { from: southwest-border-2024.posterior.csv }")
    w("countries:")
    pre_months = {int(ym[5:]): ym for ym in pre}
    for c in fy24_codes:
        f = fit(c, R)
        s = series[c]
        w(f"  {c}:")
        w(f"    name: {NAMES[c]}")
        if f is None:
            n, nm, rate = flat(c)
            w(f"    encounters: {{ per_day: {rate:.4f} }}   # too few to fit: mean of every month in the series ({n} in {nm} months); one process, counted as Border Patrol (docs/model.md 5.3.1)")
        else:
            per_day, tau, m_c, clipped = f
            big = per_day > 20
            sigma = vol_sigma[c]
            w(f"    encounters:   # fitted to swb_encounters_by_citizenship_monthly.csv (USBP + OFO), split by the border's ports share of each month (swb_encounters_total_monthly.csv; assumption: the series by citizenship does not separate them)")
            for stream, share in (("border_patrol", lambda m: 1 - ports_share[m]), ("ports", lambda m: ports_share[m])):
                J, D = s["2024-06"] * share("2024-06"), s["2024-12"] * share("2024-12")
                lv, tv = stream_fit(J, D, m_c, R)
                seas = {mo: s.get(ym, 0) * share(ym) / sum(lv * math.exp(tv * t(d)) for d in month_days(ym)) for mo, ym in pre_months.items()}
                seasl = [float(f"{seas[mo]:.4g}") if mo in seas else 1 for mo in range(1, 13)]
                w(f"      {stream}:")
                w(f"        per_day: {lv:.5g}        # the post-June level at 2023-10-01 (June {J:.0f}, December {D:.0f}: {share('2024-06'):.3f} and {share('2024-12'):.3f} of the citizenship's {s['2024-06']} and {s['2024-12']})")
                if big:
                    w(f"        distribution: negative_binomial")
                    w(f"        dispersion: 30      # assumption: day-to-day spread beyond Poisson")
                w(f"        seasonality: {seasl}   # Oct 2023 - May 2024 fitted; 1 from June (event 2024-06-01)")
                w(f"        trend_per_year: {tv:.5g}   # fitted: June -> December 2024")
                w(f"        volatility: {sigma:.3f}   # Tests/ScenarioTools/volatility.py: interpolation error of six-month bridges, {NAMES[c]}, Jun 2023 - May 2024")
                if stream == "border_patrol":
                    w(f"        volatility_persistence: {vol_phi:.3f}   # Tests/ScenarioTools/volatility.py, pooled over the citizenships")
            why = ("June and December could not both be met from May's level with a multiplier in "
                   f"[{M_RANGE[0]}, {M_RANGE[1]}]: the border's multiplier (from the total, as ramp_days), June and December kept" if clipped
                   else f"fitted: May {s['2024-05']}, June {s['2024-06']} and December {s['2024-12']} with the border's ramp")
            rule_paths = ""
            if not (c == "MEX" or (c in COOP and c != "CHN")):
                er0 = K["er_pre"].get(c, K["er_pre_default"]); vr0 = K["vr"].get(c, K["vr_default"])
                er2 = round(min(3 * er0, K["er_post_cap"]), 4)
                rule_paths = f", pathways: {{ expedited_removal: {er2}, notice_to_appear: {round(1 - er2 - vr0, 4)}, voluntary_return: {vr0} }}"
                why += f"; pathways F046: DHS tripled the expedited removal share under the rule (x 3, at most {K['er_post_cap']})"
            elif c != "MEX":
                why += "; pathways as before the rule (few removals to this country: F091 or the assumption above)"
            else:
                why += "; pathways as before the rule (Mexicans' CBP returns stayed as they were)"
            w(f"    restriction: {{ encounter_multiplier: {m_c:.4f}{rule_paths} }}   # {why}")
        er = K["er_pre"].get(c, K["er_pre_default"]); vr = K["vr"].get(c, K["vr_default"])
        er_src = ("fitted to ICE removals F056-F059" if c in ("MEX", "GTM", "HND", "SLV")
                  else "as in china-2024.yaml (assumption)" if c == "CHN"
                  else "assumption: ICE rarely held for expedited removal those it could not remove" if c in COOP
                  else "assumption (fitted with the others to F053 total removals)")
        vr_src = "fitted to F006: CBP's direct returns and repatriations of Mexicans count as voluntary_return here" if c in K["vr"] else "assumption: withdrawals at ports of entry"
        w(f"    pathways: {{ expedited_removal: {er}, notice_to_appear: {round(1 - er - vr, 4)}, voluntary_return: {vr} }}   # ER {er_src}; VR {vr_src}")
        w(f"    credible_fear: {{ claim_rate: {K['claim_rate']}, pass_rate: {K['pass_rate']} }}   # assumption: no official shares (data README, Known gaps)")
        rate = K["order_rate"].get(c)
        rate_src = (f"fitted to the docket on 2024-11-24 ({docket[c][1]}): 39% (F105) would add more final orders than the docket holds" if rate is not None
                    else "F105 39% removal or VD")
        w(f"    court: {{ mean_days: 1209, order_rate: {rate if rate is not None else 0.39} }}   # F101/F104: FY2024 mean backlog (2.46M + 3.6M) / 2 over 914,812 completions = 3.3 years; order rate {rate_src}")
        w(f"    at_large: {{ arrest_rate_per_year: 0.0627, departure_rate_per_year: 0.01 }}   # F099 90,615 ICE-arrested book-ins / F072 1,445,549; departures an assumption")
        coop, why = COOP.get(c, (1.0, "assumption: documents issued routinely"))
        w(f"    travel_documents: {{ mean_days: {K['doc_days']}, cooperation: {coop} }}   # mean_days fitted to F095 ADP / F099 book-ins (about 50 days' stay); cooperation {why}")
        comm = K["commercial"].get(c)
        if comm is not None:
            why = ("above the flow: Mexicans are removed by land the day they are ready (F056 87,298 a year = 239 a day)" if c == "MEX"
                   else "F061: 288 Chinese removed in FY2023 (as in china-2024.yaml)")
            w(f"    commercial_removals_per_day: {comm}   # {why}")
        else:
            daily = sum(s.get(m, 0) for m in pre) / 243
            comm = round(max(0.2, K["commercial_default_share"] * daily), 1)
            w(f"    commercial_removals_per_day: {comm}   # assumption: {K['commercial_default_share']:.0%} of Oct-May daily encounters a day on scheduled airlines (at least 0.2); charters carry the rest")
        stay = min(180, K["doc_days"] / coop)
        booked[c] = (er * (1 - K["claim_rate"] * K["pass_rate"]) * s.get("2023-10", 0) / 31 + docket[c][0] * 0.0627 / 365) * stay
        w(f"    initial:")
        w(f"      pending: {round(2460000 * share23[c] / tot23)}   # assumption: EOIR's ~2.46M pending at end FY2023 (F101) split by FY2023 SWB encounters")
        g = K["docket_growth"].get(c, 0)
        init = max(round(0.1 * docket[c][0]), round(docket[c][0] - g))
        w(f"      at_large: {init}   # fitted: the model's stock reaches the docket on 2024-11-24, {docket[c][0]} ({docket[c][1]}), after growing {round(g)}")
        initial_at[c] = len(L)
    total_booked = sum(booked.values())
    for c, i in sorted(initial_at.items(), key=lambda x: -x[1]):
        n = round(36845 * booked[c] / total_booked)
        L.insert(i, f"      detained_awaiting_age: steady_state   # docs/model.md 3.1: the stationary ages of the model's own detention, so no start-up wave of releases at the 180-day limit")
        L.insert(i, f"      detained_awaiting: {n}   # F096: 36,845 in ICE custody at end FY2023, split by October 2023 book-ins x expected stay (assumption)")
    r = ROUTES
    for k, v in K["routes_per_month"].items(): r = r.replace("@" + k + "@", str(v))
    L.append(r)
    L.append(EVENTS_HEAD)
    L.append("  - date: 2024-06-01")
    L.append("    note: from June the months follow the fitted level, trend and rule only; the Oct-Dec factors above described 2023")
    L.append("    set: {")
    for c in fy24_codes:
        if fit(c, R) is None: continue
        for stream in ("border_patrol", "ports"):
            L.append(f"      countries.{c}.encounters.{stream}.seasonality: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],")
    L.append("    }")
    L.append(EVENTS_TAIL)
    with open(f"{OUT}/southwest-border-2024-no-restriction-rule.yaml", "w") as f:
        f.write(NO_RULE + "\n")
    L.append(TARGETS_HEAD)
    order = ["2023-10", "2023-11", "2023-12", "2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-12"]
    L.append("  # Every month in the data, in total and by stream: fitted (the pre-rule months by the")
    L.append("  # seasonality factors, May, June and December by the levels, trends and multipliers).")
    for m in order:
        L.append(f"  - {{ metric: encounters_total, country: ALL, period: {m}, value: {totals[m][2]}, role: fit, source: \"swb_encounters_total_monthly.csv USBP + OFO\" }}")
        L.append(f"  - {{ metric: encounters_border_patrol, country: ALL, period: {m}, value: {totals[m][0]}, role: fit, source: \"swb_encounters_total_monthly.csv USBP\" }}")
        L.append(f"  - {{ metric: encounters_ports, country: ALL, period: {m}, value: {totals[m][1]}, role: fit, source: \"swb_encounters_total_monthly.csv OFO\" }}")
    L.append(f"  # The months the series leaves out: July-September = F028 FY2024 minus October-June")
    L.append(f"  # (fits ramp_days); October-November = F032 CY2024 minus January-September and")
    L.append(f"  # December, and its USBP and OFO parts likewise (F029, F030, F032): not fitted, checks.")
    L.append(f"  - {{ metric: encounters_total, country: ALL, period: 2024-07-01..2024-09-30, value: {jul_sep_total}, role: fit, source: \"F028 minus swb_encounters_total_monthly.csv\" }}")
    L.append(f"  - {{ metric: encounters_border_patrol, country: ALL, period: 2024-07-01..2024-09-30, value: {jul_sep_usbp}, role: check, source: \"F029 minus swb_encounters_total_monthly.csv\" }}")
    L.append(f"  - {{ metric: encounters_ports, country: ALL, period: 2024-07-01..2024-09-30, value: {jul_sep_ofo}, role: check, source: \"F030 minus swb_encounters_total_monthly.csv\" }}")
    L.append(f"  - {{ metric: encounters_total, country: ALL, period: 2024-10-01..2024-11-30, value: {oct_nov_total}, role: check, source: \"F032 minus swb_encounters_total_monthly.csv and F028\" }}")
    L.append(f"  - {{ metric: encounters_border_patrol, country: ALL, period: 2024-10-01..2024-11-30, value: {oct_nov_usbp}, role: check, source: \"F032 USBP minus swb_encounters_total_monthly.csv and F029\" }}")
    L.append(f"  - {{ metric: encounters_ports, country: ALL, period: 2024-10-01..2024-11-30, value: {oct_nov_ofo}, role: check, source: \"F032 OFO minus swb_encounters_total_monthly.csv and F030\" }}")
    L.append("  # by citizenship (swb_encounters_by_citizenship_monthly.csv), fitted; MMR left out: 0-5 a month, too few to hold")
    for c in fy24_codes:
        if c == "MMR": continue
        for m in order:
            src = {("CHN", "2024-06"): "F002 CBP", ("CHN", "2024-12"): "F004 CBP"}.get((c, m), "swb_encounters_by_citizenship_monthly.csv")
            L.append(f"  - {{ metric: encounters, country: {c}, period: {m}, value: {series[c].get(m, 0)}, role: fit, source: \"{src}\" }}")
    L.append("  # ICE book-ins by month (ice_bookins_monthly.csv), checks: the model is fitted to the")
    L.append("  # FY2024 total (F099, below), not to the months. Tolerance 0.35: ICE's months swing from")
    L.append("  # 17,692 to 28,582 (-24% to +23% about the FY2024 mean) for reasons the model lacks")
    L.append("  # (operations, arrest surges); its book-ins are the turnover of nearly full beds and")
    L.append("  # hold the level but not the swings. The relative error is taken on the reported")
    L.append("  # figure, so November 2023, 24% below the mean, is 33% below a model at the mean.")
    for r in csv.DictReader(open(f"{DATA}/ice_bookins_monthly.csv")):
        if "2023-10" <= r["month"] <= "2024-12":
            L.append(f"  - {{ metric: book_ins, country: ALL, period: {r['month']}, value: {r['bookins_total']}, tolerance: 0.35, role: check, source: \"ice_bookins_monthly.csv\" }}")
    L.append(TARGETS_TAIL)
    L.append("  # Per country: the initial at_large (and, for Colombia and Venezuela, the court order")
    L.append("  # rate) is fitted so that the stock reaches the docket on this day.")
    for c in sorted(DOCKET):
        L.append(f"  - {{ metric: at_large, country: {c}, period: 2024-11-24, value: {DOCKET[c][1]}, role: fit, source: \"{DOCKET[c][0]} ICE ERO docket with final orders\" }}")
    return "\n".join(L)


HEADER = open(__file__.rsplit("/", 1)[0] + "/southwest_border_header.yaml").read().rstrip("\n")
ROUTES = open(__file__.rsplit("/", 1)[0] + "/southwest_border_routes.yaml").read().rstrip("\n")
EVENTS_HEAD = "events:"
EVENTS_TAIL = open(__file__.rsplit("/", 1)[0] + "/southwest_border_events.yaml").read().rstrip("\n")
TARGETS_HEAD = open(__file__.rsplit("/", 1)[0] + "/southwest_border_targets_head.yaml").read().rstrip("\n")
TARGETS_TAIL = open(__file__.rsplit("/", 1)[0] + "/southwest_border_targets_tail.yaml").read().rstrip("\n")

NO_RULE = open(__file__.rsplit("/", 1)[0] + "/southwest_border_no_rule.yaml").read().rstrip("\n")

if __name__ == "__main__":
    text = main()
    with open(f"{OUT}/southwest-border-2024.yaml", "w") as f:
        f.write(text + "\n")
