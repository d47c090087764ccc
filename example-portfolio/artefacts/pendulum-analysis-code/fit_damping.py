"""Fit the amplitude decay of a damped pendulum.

Experimental Physics II, lab session 3 (group 4), March 2026.
Author: Lucia Ortega Marin

Usage:
    python fit_damping.py pendulum_amplitudes.csv

Only the Python standard library is needed, so that everybody in the group
could run it on the lab computers without installing anything.

What it does, for each configuration in the CSV file ("bare" bob, and bob
with a cardboard "sail"):

1. Exponential model, A(t) = A0 * exp(-t / tau).
   A straight-line fit of ln(A) against t gives tau, and the quality factor
   Q = pi * tau / T.
2. Checks the residuals. If the log plot is curved (fast decay at large
   amplitude, slow at small amplitude), a purely exponential model is the
   wrong model.
3. Mixed model, dA/dt = -(a * A + b * A**2): linear (viscous) plus
   quadratic (air drag) damping. Using finite differences,
   -(dA/dt) / A = a + b * A, which is again a straight line.
"""

import csv
import math
import sys
from collections import defaultdict

PERIOD_S = 1.794  # measured: 20 swings in 35.88 s (stopwatch, mean of 3 runs)


def linear_fit(xs, ys):
    """Least-squares line y = intercept + slope * x. Returns (slope, intercept, r2)."""
    n = len(xs)
    mx = sum(xs) / n
    my = sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    slope = sxy / sxx
    intercept = my - slope * mx
    ss_res = sum((y - intercept - slope * x) ** 2 for x, y in zip(xs, ys))
    ss_tot = sum((y - my) ** 2 for y in ys)
    return slope, intercept, 1 - ss_res / ss_tot


def read_data(path):
    data = defaultdict(list)
    with open(path, newline="") as f:
        rows = (line for line in f if not line.startswith("#"))
        for row in csv.DictReader(rows):
            data[row["config"]].append((float(row["t_s"]), float(row["amplitude_deg"])))
    return data


def curvature_sign(ts, residuals):
    """+1 if residuals are positive at both ends and negative in the middle (log plot bends up)."""
    third = len(ts) // 3
    ends = residuals[:third] + residuals[-third:]
    middle = residuals[third:-third]
    return 1 if sum(ends) / len(ends) > sum(middle) / len(middle) else -1


def analyse(name, points):
    ts = [t for t, _ in points]
    amps = [a for _, a in points]
    slope, intercept, r2 = linear_fit(ts, [math.log(a) for a in amps])
    tau = -1 / slope
    q = math.pi * tau / PERIOD_S
    residuals = [math.log(a) - (intercept + slope * t) for t, a in points]
    print(f"\n== {name} ({len(points)} points) ==")
    print(f"exponential fit: A0 = {math.exp(intercept):5.2f} deg, tau = {tau:6.1f} s, "
          f"Q = {q:5.0f}, R^2 = {r2:.4f}")
    if curvature_sign(ts, residuals) > 0 and r2 < 0.995:
        print("  log plot is curved: the decay is faster at large amplitude")

    # mixed model from finite differences between neighbouring points
    mids, rates = [], []
    for (t1, a1), (t2, a2) in zip(points, points[1:]):
        a_mid = (a1 + a2) / 2
        mids.append(a_mid)
        rates.append(-(a2 - a1) / (t2 - t1) / a_mid)
    b, a, r2_mixed = linear_fit(mids, rates)
    print(f"mixed model:     a = {a:.4f} 1/s (1/a = {1 / a:5.0f} s), "
          f"b = {b:.5f} 1/(deg s), R^2 = {r2_mixed:.2f}")
    if b > 0 and r2_mixed > 0.3:
        share = b * amps[0] / (a + b * amps[0])
        print(f"  at {amps[0]:.0f} deg, quadratic drag causes {share:.0%} of the losses")
    else:
        print("  no clear sign of quadratic drag: the exponential model is enough")
    return tau, q


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "pendulum_amplitudes.csv"
    data = read_data(path)
    results = {name: analyse(name, pts) for name, pts in sorted(data.items())}
    if "bare" in results and "sail" in results:
        ratio = results["bare"][0] / results["sail"][0]
        print(f"\nThe sail shortens the (apparent) decay time by a factor of {ratio:.1f}.")


if __name__ == "__main__":
    main()
