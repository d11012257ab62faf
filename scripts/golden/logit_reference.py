#!/usr/bin/python3
"""Reference unpenalized logistic regression for ExactLogitGoldenTest (issue #16 item 10).

Run with the Debian interpreter (numpy; python3-sklearn for the cross-check), from the project
root:

    /usr/bin/python3 scripts/golden/logit_reference.py [path/to/UCI_Credit_Card.csv] [--java]

Data: ../shared/datasets/uci-credit-default/UCI_Credit_Card.csv (30,000 rows), every column but
ID as a numeric feature (23), the label default_payment_next_month (0/1), all row weights 1.

Model: the maximum-likelihood logistic regression with intercept, no penalty, i.e. the minimizer
of the mean log loss (1/n) sum log(1 + e^m) - y m, m = b + w.x. It is fitted by Newton's method
(IRLS) in float64 on the features standardized as Arbor's prepare does by default (center = mean,
scale = population standard deviation, ddof 0, over all rows), until the Newton step is below
1e-15 relative to the largest weight; then two refinement steps whose gradient is accumulated in
extended precision (numpy longdouble) estimate the float64 solution's own error. The weights are
mapped back to original units (w_raw = w / scale, b_raw = b - sum w c / scale): the unpenalized
optimum in original units does not depend on how the features were scaled, so the Java test may
scale as it likes.

Prints the rank and condition number of the design, the Newton iterations, the agreement with
scikit-learn (LogisticRegression(penalty=None), newton-cholesky, newton-cg and lbfgs, tol 1e-12), and with --java
the constants pasted into ExactLogitGoldenTest.
"""
import csv
import os
import sys

import numpy as np

DEFAULT = os.path.join(
    os.path.dirname(__file__), "..", "..", "..", "shared", "datasets", "uci-credit-default",
    "UCI_Credit_Card.csv")


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    data = np.array(rows[1:], dtype=np.float64)
    names = header[1:-1]  # drop ID (first) and the label (last)
    return names, data[:, 1:-1], data[:, -1]


def log1pexp(m):
    return np.where(m > 0, m + np.log1p(np.exp(-m)), np.log1p(np.exp(m)))


def sigmoid(m):
    e = np.exp(-np.abs(m))
    return np.where(m >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def mean_log_loss(Z, y, theta, dtype=np.float64):
    m = Z.astype(dtype) @ theta.astype(dtype)
    return float(np.mean(log1pexp(m) - y.astype(dtype) * m))


def gradient(Z, y, theta, dtype=np.float64):
    """(1/n) Z'(p - y), accumulated in dtype."""
    Zd = Z.astype(dtype)
    p = sigmoid(Zd @ theta.astype(dtype))
    return (Zd.T @ (p - y.astype(dtype))) / len(y)


def hessian(Z, theta):
    p = sigmoid(Z @ theta)
    return (Z.T * (p * (1 - p))) @ Z / len(Z)


def newton(Z, y):
    theta = np.zeros(Z.shape[1])
    for it in range(1, 101):
        step = np.linalg.solve(hessian(Z, theta), gradient(Z, y, theta))
        theta = theta - step
        rel = np.max(np.abs(step)) / np.max(np.abs(theta))
        print(f"  newton {it:2d}: loss {mean_log_loss(Z, y, theta):.17g}  step/|w|max {rel:.3e}")
        if rel < 1e-15:
            return theta, it
    raise SystemExit("Newton did not converge in 100 iterations")


def main(argv):
    path = next((a for a in argv if not a.startswith("--")), DEFAULT)
    names, X, y = load(path)
    n, d = X.shape
    center = X.mean(axis=0)
    scale = np.sqrt(np.mean((X - center) ** 2, axis=0))  # ddof 0
    Z = np.hstack([(X - center) / scale, np.ones((n, 1))])
    sv = np.linalg.svd(Z, compute_uv=False)
    print(f"{path}: {n} rows x {d} features, positives {int(y.sum())}")
    print(f"design [standardized | 1]: rank {np.linalg.matrix_rank(Z)} of {d + 1}, "
          f"condition number {sv[0] / sv[-1]:.4g}")

    theta, iterations = newton(Z, y)
    h = hessian(Z, theta)
    print(f"Hessian condition number at the optimum: {np.linalg.cond(h):.4g}")
    refined = theta.copy()
    for _ in range(2):
        g = gradient(Z, y, refined, np.longdouble)
        refined = refined - np.linalg.solve(h, g.astype(np.float64))
    own = np.max(np.abs(refined - theta)) / np.max(np.abs(theta))
    print(f"float64 Newton vs extended-precision refinement: max |diff| / |w|max = {own:.3e}")
    theta = refined
    gnorm = np.linalg.norm(gradient(Z, y, theta, np.longdouble).astype(np.float64))
    loss = mean_log_loss(Z, y, theta, np.longdouble)
    print(f"optimum: mean log loss {loss:.17g}, |gradient| {gnorm:.3e}")
    margins = Z @ theta
    print(f"no separation: margins in [{margins.min():.3f}, {margins.max():.3f}]")

    w_raw = theta[:d] / scale
    b_raw = theta[d] - np.sum(theta[:d] * center / scale)

    try:
        import sklearn
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        print("scikit-learn not installed (apt-get install python3-sklearn): no cross-check")
    else:
        for solver in ("newton-cholesky", "newton-cg", "lbfgs"):
            lr = LogisticRegression(penalty=None, solver=solver, tol=1e-12, max_iter=10000)
            lr.fit(Z[:, :d], y)
            sk = np.append(lr.coef_[0], lr.intercept_[0])
            err = np.max(np.abs(sk - theta)) / np.max(np.abs(theta))
            print(f"scikit-learn {sklearn.__version__} {solver} (standardized): "
                  f"{lr.n_iter_[0]} iterations, max |diff| / |w|max = {err:.3e} "
                  f"({-np.log10(err):.1f} digits)")

    print("original units (w_raw = w / scale, b_raw = b - sum w c / scale):")
    for name, w in zip(names, w_raw):
        print(f"  {name:28s} {w: .17e}")
    print(f"  {'(intercept)':28s} {b_raw: .17e}")
    if "--java" in argv:
        print("  // Produced by: /usr/bin/python3 scripts/golden/logit_reference.py --java")
        print("  private static final double[] COEFFICIENTS = {")
        for w in w_raw:
            print(f"    {w!r},")
        print("  };")
        print(f"  private static final double INTERCEPT = {b_raw!r};")
        print(f"  private static final double LOG_LOSS = {loss!r};")


if __name__ == "__main__":
    main(sys.argv[1:])
