#!/usr/bin/env python3
"""Writes Scenarios/southwest-border-2024.yaml and the pre-rule pathway
shares of Scenarios/southwest-border-2024-no-restriction-rule.yaml from
data/ (data/README.md describes the files).

Fits each citizenship's encounter process to swb_encounters_by_citizenship_monthly.csv
(USBP + OFO): a level and a log-trend from the June and December 2024 totals with
the restriction rule's multiplier (fitted on the border-wide June total, assuming
June 1-4 ran at May's level), and pre-rule seasonality factors for October 2023 to
May 2024. The removal-side values below (KNOBS) were tuned with
`deportsim compare` against the scenario's targets. Run from the repository root:

    python3 Tests/ScenarioTools/fit_southwest_border.py data Scenarios
"""
import csv, math, sys, datetime as dt
from collections import defaultdict

DATA = sys.argv[1] if len(sys.argv) > 1 else "data"
OUT = sys.argv[2] if len(sys.argv) > 2 else "Scenarios"
START = dt.date(2023, 10, 1)

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

# ---------------------------------------------------------------- KNOBS
KNOBS = dict(
    # growth of each country's at_large from 2023-10-01 to 2024-11-24 in the
    # model (from a run); initial at_large = docket - growth, at least 10% of it.
    docket_growth={'MEX': 116374, 'VEN': 51690, 'GTM': 49974, 'OTH': 30005, 'CUB': 26389, 'HND': 34206, 'ECU': 25346, 'COL': 31426, 'HTI': 15017, 'SLV': 1263, 'PER': 10297, 'CHN': 9948, 'NIC': 12132, 'BRA': 3900, 'IND': 5720, 'RUS': 4753, 'TUR': 2573, 'ROU': 268, 'UKR': 30, 'CAN': 18, 'PHL': 6, 'MMR': 2},
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

    # The rule's multiplier in June: border-wide June total, June 1-4 at May's
    # daily level. From July a second multiplier M2 (the rule's effect built up
    # over its first weeks): fitted so that July-September add up to FY2024
    # (F028) minus October-June, given each country's trend fitted to December.
    may_level = totals["2024-05"][2] / 31
    M = (totals["2024-06"][2] / may_level - 4) / 26
    fy24_months = [m for m in totals if "2023-10" <= m <= "2024-09"]
    jul_sep_total = 2135005 - sum(totals[m][2] for m in fy24_months)          # F028 minus the series
    cy24_months = [m for m in totals if "2024-01" <= m <= "2024-12"]
    oct_nov_total = 1646242 - sum(totals[m][2] for m in cy24_months) - jul_sep_total   # F032 minus the series and Jul-Sep
    july = dt.date(2024, 7, 1)
    jul_sep = month_days("2024-07") + month_days("2024-08") + month_days("2024-09")

    def fit(code, M2):
        s = series[code]
        J, D = s.get("2024-06", 0), s.get("2024-12", 0)
        if J < 1 or D < 1:
            return None
        def june(tau):  # per unit level at t=0
            return sum(math.exp(tau * t(d)) * (M if d >= rule_day else 1) for d in jun)
        def decs(tau):
            return sum(math.exp(tau * t(d)) * M2 for d in dec)
        lo, hi = -20.0, 20.0
        for _ in range(200):
            mid = (lo + hi) / 2
            if decs(mid) / june(mid) > D / J: hi = mid
            else: lo = mid
        tau = (lo + hi) / 2
        per_day = J / june(tau)
        seas = {}
        for ym in pre:
            seas[int(ym[5:])] = s.get(ym, 0) / sum(per_day * math.exp(tau * t(d)) for d in month_days(ym))
        return per_day, tau, seas

    def flat(code):
        s = series[code]
        months = [m for m in sorted({m for x in series.values() for m in x}) if m >= "2022-10"]
        return sum(s.values()), len(months), sum(s.values()) / sum(len(month_days(m)) for m in months)

    def model_sum(M2, days):
        total = 0.0
        for c in series:
            f = fit(c, M2)
            if f is None:
                total += flat(c)[2] * len(days)
            else:
                total += sum(f[0] * math.exp(f[1] * t(d)) * M2 for d in days)
        return total
    lo, hi = 0.05, 2.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if model_sum(mid, jul_sep) > jul_sep_total: hi = mid
        else: lo = mid
    M2 = (lo + hi) / 2
    oct_nov_model = model_sum(M2, month_days("2024-10") + month_days("2024-11"))
    sys.stderr.write(f"M={M:.4f} M2={M2:.4f} Jul-Sep target {jul_sep_total} ; Oct-Nov data {oct_nov_total} model {oct_nov_model:.0f}\n")

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
    usbp24 = sum(totals[m][0] for m in totals if "2023-10" <= m <= "2024-09")
    tot24 = sum(totals[m][2] for m in totals if "2023-10" <= m <= "2024-09")
    # rule period share: CY2024 (F032) minus Jan-May, USBP over total
    jm = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    u_jd = 1051384 - sum(totals[m][0] for m in jm)
    t_jd = 1646242 - sum(totals[m][2] for m in jm)
    counted = u_jd / t_jd

    w(HEADER.replace("@M@", f"{M:.4f}").replace("@M2@", f"{M2:.4f}").replace("@JULSEP@", f"{jul_sep_total:,}").replace("@COUNTED@", f"{counted:.4f}").replace("@UJD@", f"{u_jd:,}").replace("@TJD@", f"{t_jd:,}"))
    w("countries:")
    for c in fy24_codes:
        f = fit(c, M2)
        s = series[c]
        w(f"  {c}:")
        w(f"    name: {NAMES[c]}")
        if f is None:
            n, nm, rate = flat(c)
            w(f"    encounters: {{ per_day: {rate:.4f} }}   # too few to fit: mean of every month in the series ({n} in {nm} months)")
        else:
            per_day, tau, seas = f
            big = per_day > 20
            seasl = [float(f"{seas[m]:.4g}") if m in seas else 1 for m in range(1, 13)]
            w(f"    encounters:   # fitted to swb_encounters_by_citizenship_monthly.csv (USBP + OFO)")
            w(f"      per_day: {per_day:.5g}        # the post-June level at 2023-10-01 (June {s['2024-06']}, December {s['2024-12']})")
            if big:
                w(f"      distribution: negative_binomial")
                w(f"      dispersion: 30      # assumption: day-to-day spread beyond Poisson")
            w(f"      seasonality: {seasl}   # Oct 2023 - May 2024 fitted; 1 from June (event 2024-06-01)")
            w(f"      trend_per_year: {tau:.5g}   # fitted: June -> December 2024")
        er = K["er_pre"].get(c, K["er_pre_default"]); vr = K["vr"].get(c, K["vr_default"])
        er_src = ("fitted to ICE removals F056-F059" if c in ("MEX", "GTM", "HND", "SLV")
                  else "as in china-2024.yaml (assumption)" if c == "CHN"
                  else "assumption: ICE rarely held for expedited removal those it could not remove" if c in COOP
                  else "assumption (fitted with the others to F053 total removals)")
        vr_src = "fitted to F006: CBP's direct returns and repatriations of Mexicans count as voluntary_return here" if c in K["vr"] else "assumption: withdrawals at ports of entry"
        w(f"    pathways: {{ expedited_removal: {er}, notice_to_appear: {round(1 - er - vr, 4)}, voluntary_return: {vr} }}   # ER {er_src}; VR {vr_src}")
        w(f"    credible_fear: {{ claim_rate: {K['claim_rate']}, pass_rate: {K['pass_rate']} }}   # assumption: no official shares (data README, Known gaps)")
        w(f"    court: {{ mean_days: 1209, order_rate: 0.39 }}   # F101/F104: FY2024 mean backlog (2.46M + 3.6M) / 2 over 914,812 completions = 3.3 years; F105 39% removal or VD")
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
        L.insert(i, f"      detained_awaiting: {n}   # F096: 36,845 in ICE custody at end FY2023, split by October 2023 book-ins x expected stay (assumption)")
    r = ROUTES
    for k, v in K["routes_per_month"].items(): r = r.replace("@" + k + "@", str(v))
    L.append(r)
    L.append(EVENTS_HEAD)
    seas = ", ".join(f"countries.{c}.encounters.seasonality: [1,1,1,1,1,1,1,1,1,1,1,1]" for c in fy24_codes)
    L.append("  - date: 2024-06-01")
    L.append("    note: from June the months follow the fitted level, trend and rule only; the Oct-Dec factors above described 2023")
    L.append("    set: {")
    for c in fy24_codes:
        L.append(f"      countries.{c}.encounters.seasonality: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],")
    L.append("    }")
    L.append("  - date: 2024-06-05")
    L.append("    note: >-")
    L.append("      F046 - under the rule DHS tripled the share of SW encounters processed for expedited")
    L.append(f"      removal: each share x 3 (at most {K['er_post_cap']}); not for Mexico, whose CBP returns stay as they were,")
    L.append("      nor for the countries that took back few (F091 and the assumptions above; China, whose")
    L.append("      cooperation had resumed, is tripled as in china-2024.yaml)")
    L.append("      (per-country events because while_active.pathways would give every country one set of shares)")
    L.append("    set: {")
    for c in fy24_codes:
        if c == "MEX" or (c in COOP and c != "CHN"): continue
        er = K["er_pre"].get(c, K["er_pre_default"]); vr = K["vr"].get(c, K["vr_default"])
        er2 = round(min(3 * er, K["er_post_cap"]), 4)
        L.append(f"      countries.{c}.pathways: {{ expedited_removal: {er2}, notice_to_appear: {round(1 - er2 - vr, 4)}, voluntary_return: {vr} }},")
    L.append("    }")
    L.append(EVENTS_TAIL.replace("@M2@", f"{M2:.4f}").replace("@JULSEP@", f"{jul_sep_total:,}"))
    undo = [NO_RULE]
    for c in fy24_codes:
        er = K["er_pre"].get(c, K["er_pre_default"]); vr = K["vr"].get(c, K["vr_default"])
        undo.append(f"      countries.{c}.pathways: {{ expedited_removal: {er}, notice_to_appear: {round(1 - er - vr, 4)}, voluntary_return: {vr} }}")
    with open(f"{OUT}/southwest-border-2024-no-restriction-rule.yaml", "w") as f:
        f.write("\n".join(undo) + "\n")
    L.append(TARGETS_HEAD)
    order = ["2023-10", "2023-11", "2023-12", "2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-12"]
    for m in order:
        L.append(f"  - {{ metric: encounters_total, country: ALL, period: {m}, value: {totals[m][2]}, source: \"swb_encounters_total_monthly.csv USBP + OFO\" }}")
    L.append(f"  # The months the series leaves out: July-September = F028 FY2024 minus October-June")
    L.append(f"  # (used to fit the July multiplier); October-November = F032 CY2024 minus January-")
    L.append(f"  # September and December (not fitted: a check).")
    L.append(f"  - {{ metric: encounters_total, country: ALL, period: 2024-07-01..2024-09-30, value: {jul_sep_total}, source: \"F028 minus swb_encounters_total_monthly.csv\" }}")
    L.append(f"  - {{ metric: encounters_total, country: ALL, period: 2024-10-01..2024-11-30, value: {oct_nov_total}, source: \"F032 minus swb_encounters_total_monthly.csv and F028\" }}")
    L.append("  # by citizenship (swb_encounters_by_citizenship_monthly.csv); MMR left out: 0-5 a month, too few to hold")
    for c in fy24_codes:
        if c == "MMR": continue
        for m in order:
            src = {("CHN", "2024-06"): "F002 CBP", ("CHN", "2024-12"): "F004 CBP"}.get((c, m), "swb_encounters_by_citizenship_monthly.csv")
            L.append(f"  - {{ metric: encounters, country: {c}, period: {m}, value: {series[c].get(m, 0)}, source: \"{src}\" }}")
    L.append("  # ICE book-ins by month (ice_bookins_monthly.csv). Tolerance 0.3: ICE's months swing from")
    L.append("  # 17,692 to 28,582 (-24% to +23% about the FY2024 mean) for reasons the model lacks")
    L.append("  # (operations, arrest surges); its book-ins are the turnover of nearly full beds and")
    L.append("  # hold the level (F099, below) but not the swings.")
    for r in csv.DictReader(open(f"{DATA}/ice_bookins_monthly.csv")):
        if "2023-10" <= r["month"] <= "2024-12":
            L.append(f"  - {{ metric: book_ins, country: ALL, period: {r['month']}, value: {r['bookins_total']}, tolerance: 0.3, source: \"ice_bookins_monthly.csv\" }}")
    L.append(TARGETS_TAIL)
    TOL = {"VEN": 1.5, "COL": 0.3}
    L.append("  # Per country. Venezuela and Colombia: one court order rate (F105) applied to pending")
    L.append("  # cases split by FY2023 encounters (an assumption) gives them more final orders in 14")
    L.append("  # months than their whole docket on 2024-11-24, so the fit starts them at 10% of it and")
    L.append("  # still overshoots; their tolerances say so. Nationality-specific order rates and")
    L.append("  # pending counts (e.g. TPS and parole for Venezuelans) are not in data/.")
    for c in sorted(DOCKET):
        tol = f" tolerance: {TOL[c]}," if c in TOL else ""
        L.append(f"  - {{ metric: at_large, country: {c}, period: 2024-11-24, value: {DOCKET[c][1]},{tol} source: \"{DOCKET[c][0]} ICE ERO docket with final orders\" }}")
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
