"""Writes the SALib fixtures of Tests/DeportSimTests/SensitivityTests.swift.

    python3 -m venv /tmp/salib && /tmp/salib/bin/pip install SALib==1.6.0
    /tmp/salib/bin/python Tests/Fixtures/sensitivity/make_fixtures.py

Written with SALib 1.6.0, numpy 2.4.6, scipy 1.17.1. Every number is written
with 17 significant digits, so the Swift side reads back the exact doubles.
The script asserts that it rebuilds SALib's own random choices (the base
Sobol points, the bootstrap resamples) before writing them, so the Swift
tests compare against what SALib itself computed.
"""
import os

import numpy as np
from scipy.stats import qmc, norm
from SALib.sample import sobol as sobol_sample, morris as morris_sample
from SALib.sample.morris.morris import _sample_morris, _compute_b_star, _compute_delta
from SALib.sample.morris.brute import BruteForce
from SALib.analyze import sobol as sobol_analyze, morris as morris_analyze
from SALib.test_functions import Ishigami

HERE = os.path.dirname(os.path.abspath(__file__))
PI = np.pi


def write(name, header, rows):
    with open(os.path.join(HERE, name), "w") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(v if isinstance(v, str) else repr(float(v)) if isinstance(v, float) or isinstance(v, np.floating) else str(int(v)) for v in row) + "\n")


def sobol_case(tag, problem, n, second_order, sample_seed, analyze_seed, resamples=100):
    d = problem["num_vars"]
    x = sobol_sample.sample(problem, n, calc_second_order=second_order, seed=sample_seed)
    # SALib's base points: the same scrambled scipy sequence it drew.
    base = qmc.Sobol(d=2 * d, scramble=True, seed=sample_seed).random(n)
    b = np.array(problem["bounds"])
    assert np.allclose(x[0], base[0, :d] * (b[:, 1] - b[:, 0]) + b[:, 0], rtol=0, atol=1e-15)
    y = Ishigami.evaluate(x[:, :3])  # any further parameter is a dummy
    si = sobol_analyze.analyze(problem, y, calc_second_order=second_order,
                               num_resamples=resamples, seed=analyze_seed)
    # SALib's resample matrix r (N x R): rebuilt from the same seed.
    r = np.random.default_rng(analyze_seed).integers(n, size=(n, resamples))
    z = norm.ppf(0.975)
    step = (2 * d + 2) if second_order else (d + 2)
    ys = (y - y.mean()) / y.std()
    a, bb, ab0 = ys[0::step], ys[step - 1::step], ys[1::step]
    assert np.isclose(si["S1_conf"][0], z * sobol_analyze.first_order(a[r], ab0[r], bb[r]).std(ddof=1), rtol=0, atol=1e-15)

    write(f"{tag}_base.csv", [f"a{i}" for i in range(d)] + [f"b{i}" for i in range(d)], base)
    write(f"{tag}_points.csv", [f"x{i}" for i in range(d)] + ["y"], np.column_stack([x, y]))
    write(f"{tag}_resamples.csv", [f"row{i}" for i in range(n)], r.T)
    write(f"{tag}_indices.csv", ["parameter", "S1", "S1_conf", "ST", "ST_conf"],
          [[i, si["S1"][i], si["S1_conf"][i], si["ST"][i], si["ST_conf"][i]] for i in range(d)])
    if second_order:
        write(f"{tag}_second_order.csv", ["first", "second", "S2", "S2_conf"],
              [[i, j, si["S2"][i, j], si["S2_conf"][i, j]] for i in range(d) for j in range(i + 1, d)])


ishigami4 = {"num_vars": 4, "names": ["x1", "x2", "x3", "dummy"],
             "bounds": [[-PI, PI]] * 3 + [[0.0, 1.0]]}
ishigami3 = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-PI, PI]] * 3}
sobol_case("sobol_first_order", ishigami4, 64, False, sample_seed=11, analyze_seed=12)
sobol_case("sobol_second_order", ishigami3, 32, True, sample_seed=21, analyze_seed=22)

# Morris: trajectories, elementary-effect statistics and their bootstrap.
levels, trajectories, resamples, seed = 4, 12, 100, 31
x = morris_sample.sample(ishigami4, trajectories, num_levels=levels, seed=seed)
y = Ishigami.evaluate(x[:, :3])
si = morris_analyze.analyze(ishigami4, x, y, num_resamples=resamples, num_levels=levels, seed=seed + 1)
# SALib draws one resample matrix (R x r) per parameter from one generator.
rng = np.random.default_rng(seed + 1)
index = [rng.integers(trajectories, size=(resamples, trajectories)) for _ in range(4)]
write("morris_points.csv", [f"x{i}" for i in range(4)] + ["y"], np.column_stack([x, y]))
write("morris_resamples.csv", ["parameter"] + [f"t{i}" for i in range(trajectories)],
      [[j] + list(row) for j in range(4) for row in index[j]])
write("morris_indices.csv", ["parameter", "mu", "mu_star", "sigma", "mu_star_conf"],
      [[i, si["mu"][i], si["mu_star"][i], si["sigma"][i], si["mu_star_conf"][i]] for i in range(4)])

# One trajectory from chosen x*, move order and directions (SALib's B*).
d, delta = 4, _compute_delta(levels)
x_star = np.array([[0.0, 1 / 3, 1 / 3, 0.0]])
order = [2, 0, 3, 1]                     # parameter moved at step 1, 2, ...
signs = [1, -1, -1, 1]                   # per parameter: +1 up, -1 down
p_star = np.zeros((d, d))
for step, param in enumerate(order):
    p_star[param, step] = 1
b_star = _compute_b_star(np.ones((d + 1, d)), x_star, delta, np.tril(np.ones([d + 1, d]), -1),
                         np.eye(d), p_star, np.diag(signs))
write("morris_trajectory.csv", [f"u{i}" for i in range(d)], b_star)
write("morris_trajectory_choice.csv", ["x_star", "order", "signs"],
      [[x_star[0][i], order[i], signs[i]] for i in range(d)])

# Campolongo et al. (2007) brute-force choice of 4 of 9 candidate trajectories.
candidates = _sample_morris(dict(ishigami4, groups=ishigami4["names"]), 9, np.random.default_rng(41), num_levels=levels)
chosen = BruteForce().brute_force_most_distant(candidates, 9, 4, 4)
write("morris_candidates.csv", [f"u{i}" for i in range(4)], candidates)
write("morris_chosen.csv", ["trajectory"], [[c] for c in chosen])
print("fixtures written to", HERE)
