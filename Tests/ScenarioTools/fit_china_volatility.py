"""Monthly encounter volatility for Scenarios/china-2024.yaml (docs/model.md 5.3.2).

Applies the estimator of volatility.py (root-mean-square error of six-month
log-linear bridges, less the model's own day-to-day noise; persistence from
first differences; the common share from the border total) to the series the
China scenario models:

- China, Border Patrol: china_swb_encounters_monthly.csv, OHSS USBP column
  (rounded to 10; the rounding adds at most 5/3,000 to a month, negligible);
- China, ports: USBP + OFO (CBP) minus USBP (OHSS): a few dozen a month, mostly
  the rounding of the USBP column, so no volatility is estimated for it;
- other nationalities, Border Patrol: swb_encounters_total_monthly.csv USBP
  minus China's USBP;
- other nationalities, ports: that file's OFO column minus China's ports;
- the border total (USBP + OFO) for the common shock share.

Post-Title-42 months only (June 2023 to May 2024, as volatility.py's
default): the months before 2023-05-11 had a different regime, June 2024 the
restriction rule. The dispersions are the scenario's (negative binomial size
of the daily draws), so the day noise is not counted twice.

Run from the repository root:  python3 Tests/ScenarioTools/fit_china_volatility.py [data]
"""
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from volatility import sigma, persistence, common_share  # noqa: E402

FIRST, LAST = "2023-06", "2024-05"
# The scenario's daily dispersions (Scenarios/china-2024.yaml); None = Poisson.
DISPERSION = {"CHN border_patrol": 12, "others border_patrol": 60, "others ports": None}


def main(data):
    china = list(csv.DictReader(open(f"{data}/china_swb_encounters_monthly.csv")))
    border = list(csv.DictReader(open(f"{data}/swb_encounters_total_monthly.csv")))
    chn_bp = {r["month"]: int(r["china_swb_usbp_only_ohss_rounded10"]) for r in china if r["china_swb_usbp_only_ohss_rounded10"]}
    chn_all = {r["month"]: int(r["china_swb_usbp_plus_ofo_cbp"]) for r in china if r["china_swb_usbp_plus_ofo_cbp"]}
    chn_ports = {m: chn_all[m] - chn_bp[m] for m in chn_bp if m in chn_all}
    oth_bp = {r["month"]: int(r["swb_usbp_apprehensions_cbp"]) - chn_bp[r["month"]] for r in border if r["month"] in chn_bp}
    oth_ports = {r["month"]: int(r["swb_ofo_inadmissibles_cbp"]) - chn_ports[r["month"]] for r in border if r["month"] in chn_ports}
    total = {r["month"]: int(r["swb_total_cbp"]) for r in border}

    series = {"CHN border_patrol": chn_bp, "others border_patrol": oth_bp, "others ports": oth_ports}
    sig = {}
    for name, s in series.items():
        sig[name], n = sigma(s, FIRST, LAST, DISPERSION[name])
        print(f"{name:22s} volatility {sig[name]:.3f} ({n} bridge residuals)")
    # A country's two streams share one shock series (5.3.2) with the Border
    # Patrol process's persistence; pool the Border Patrol series for it.
    phi = persistence([chn_bp, oth_bp], FIRST, LAST)
    print(f"volatility_persistence (pooled Border Patrol series) {phi:.3f}")
    # Weights: each process's share of the border total in the window; the
    # common share from the total's bridge residual.
    w = {name: sum(v for m, v in s.items() if FIRST <= m <= LAST) for name, s in series.items()}
    tw = sum(w.values())
    w = {k: v / tw for k, v in w.items()}
    st, n = sigma(total, FIRST, LAST)
    print(f"border total volatility {st:.3f} ({n} residuals); weights " + ", ".join(f"{k} {v:.3f}" for k, v in w.items()))
    print(f"common_shock_share {common_share(sig, w, st):.3f}")
    print(f"China ports a month, {FIRST} to {LAST}: " + " ".join(str(chn_ports[m]) for m in sorted(chn_ports) if FIRST <= m <= LAST))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "data")
