"""Writes numpy_quantiles.json: samples and numpy's default quantiles
(method="linear": h = (n - 1) p) at 5%, 50% and 95%, the fixture of
SummaryStatisticsTests.exactQuantilesMatchNumpy.

    python3 Tests/Fixtures/quantiles/make_numpy_quantiles.py > Tests/Fixtures/quantiles/numpy_quantiles.json
"""
import json
import numpy as np

rng = np.random.default_rng(20240614)
samples = [
    [7.0],
    [3.0, 1.0],
    [5.0, 5.0, 5.0, 5.0, 5.0],
    [float(x) for x in rng.poisson(3.0, 10)],            # small counts, ties
    [float(x) for x in rng.poisson(250.0, 50)],          # 50 replications, as the reference results
    [float(x) for x in rng.integers(0, 4, 101)],         # few distinct values
    [round(float(x), 6) for x in rng.normal(-2.5, 40.0, 200)],
    [float(x) for x in rng.negative_binomial(2, 0.01, 1000)],
]
out = [{"values": s, "quantiles": [float(np.quantile(s, p)) for p in (0.05, 0.5, 0.95)],
        "mean": float(np.mean(s)), "sd": float(np.std(s, ddof=1)) if len(s) > 1 else 0.0}
       for s in samples]
print(json.dumps({"numpy_version": np.__version__, "levels": [0.05, 0.5, 0.95], "samples": out}))
