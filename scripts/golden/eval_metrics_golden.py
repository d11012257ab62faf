#!/usr/bin/python3
"""Golden values for dev.arbor.eval (EvaluatorsGoldenTest), computed with scikit-learn.

Run with the Debian interpreter (python3-sklearn), from the project root:

    /usr/bin/python3 scripts/golden/eval_metrics_golden.py

Writes, under common/src/test/resources/golden/:
  eval-binary.csv, eval-binary-validation.csv, eval-multiclass.csv, eval-regression.csv
      deterministic Predictions frames (columns of the Predictions contract), fixed seed;
  eval-metrics-golden.json
      scikit-learn's values on those frames, with the library versions that made them.

Conventions the Java side shares (documented in dev.arbor.eval):
  * binary: a row is predicted positive when score >= threshold;
  * the F1-optimal threshold is the distinct validation score that maximizes F1, ties broken
    towards the highest score;
  * sample weights are passed to every scikit-learn function that accepts them; calibration_curve
    does not, so calibration bins are unweighted (row counts).
The Java test compares with a tolerance of 1e-9 (absolute, or relative for values above 1).
"""
import csv
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    brier_score_loss,
    confusion_matrix,
    explained_variance_score,
    f1_score,
    log_loss,
    mean_absolute_error,
    mean_squared_error,
    precision_recall_curve,
    precision_recall_fscore_support,
    precision_score,
    r2_score,
    recall_score,
    roc_auc_score,
    roc_curve,
)

OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "common", "src", "test", "resources",
    "golden")
SEED = 20240611
THRESHOLD = 0.5
CALIBRATION_BINS = 10


def weights(rng, n):
    # Non-dyadic weights (sums are not exact in binary), a few zero weights.
    w = np.round(rng.uniform(0.2, 3.0, n), 3)
    w[rng.choice(n, 3, replace=False)] = 0.0
    return w


def binary_frame(rng, n, prefix):
    label = (rng.uniform(size=n) < 0.4).astype(float)
    raw = 1.0 / (1.0 + np.exp(-(rng.normal(size=n) + 1.5 * (label - 0.4))))
    # Two decimals: many tied scores; exact 0, 0.5 and 1 included on purpose (clipping, ties at
    # the threshold).
    score = np.round(raw, 2)
    score[:6] = [0.0, 1.0, 0.5, 0.5, 1.0, 0.0]
    label[:6] = [0.0, 1.0, 1.0, 0.0, 0.0, 1.0]
    w = weights(rng, n)
    rows = []
    for i in range(n):
        rows.append({
            "row_id": f"{prefix}{i:04d}",
            "label": label[i],
            "weight": w[i],
            "score": score[i],
            "prediction": 1.0 if score[i] >= THRESHOLD else 0.0,
        })
    return rows


def multiclass_frame(rng, n):
    k = 3
    label = rng.integers(0, k, n).astype(float)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), label.astype(int)] += 1.0
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    p = np.round(p, 4)
    p[0] = [1.0, 0.0, 0.0]  # clipped log loss
    p[1] = [0.0, 0.5, 0.5]
    label[0], label[1] = 1.0, 0.0
    w = weights(rng, n)
    rows = []
    for i in range(n):
        rows.append({
            "row_id": f"m{i:04d}",
            "label": label[i],
            "weight": w[i],
            "prediction": float(np.argmax(p[i])),
            "prob_0": p[i, 0],
            "prob_1": p[i, 1],
            "prob_2": p[i, 2],
        })
    return rows


def regression_frame(rng, n):
    x = rng.normal(size=n)
    y = np.round(3.0 + 2.0 * x + rng.normal(scale=0.7, size=n), 3)
    pred = np.round(2.8 + 1.9 * x, 3)
    w = weights(rng, n)
    return [{"row_id": f"r{i:04d}", "label": y[i], "weight": w[i], "prediction": pred[i]}
            for i in range(n)]


def write_csv(name, rows):
    with open(os.path.join(OUT, name), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: (repr(float(v)) if not isinstance(v, str) else v)
                             for k, v in r.items()})


def column(rows, name):
    return np.array([r[name] for r in rows], dtype=float)


def at_threshold(y, s, w, t):
    yp = (s >= t).astype(float)
    return {
        "accuracy": accuracy_score(y, yp, sample_weight=w),
        "precision": precision_score(y, yp, sample_weight=w, zero_division=0),
        "recall": recall_score(y, yp, sample_weight=w, zero_division=0),
        "f1": f1_score(y, yp, sample_weight=w, zero_division=0),
        "predicted_positive_rate": float(np.average(yp, weights=w)),
    }


def best_f1_threshold(y, s, w):
    precision, recall, thresholds = precision_recall_curve(y, s, sample_weight=w)
    p, r = precision[:-1], recall[:-1]  # thresholds increase along these arrays
    denom = np.where(p + r == 0, 1.0, p + r)
    f1 = 2 * p * r / denom
    best = np.flatnonzero(f1 == f1.max())
    return float(thresholds[best[-1]])  # highest threshold among the maxima


def binary_golden(test, validation):
    y, s, w = column(test, "label"), column(test, "score"), column(test, "weight")
    t_opt = best_f1_threshold(
        column(validation, "label"), column(validation, "score"), column(validation, "weight"))
    metrics = at_threshold(y, s, w, THRESHOLD)
    metrics.update({k + "_at_opt": v for k, v in at_threshold(y, s, w, t_opt).items()})
    metrics.update({
        "auc_roc": roc_auc_score(y, s, sample_weight=w),
        "auc_pr": average_precision_score(y, s, sample_weight=w),
        "log_loss": log_loss(y, s, sample_weight=w, labels=[0.0, 1.0]),
        "brier": brier_score_loss(y, s, sample_weight=w),
        "label_positive_rate": float(np.average(y, weights=w)),
    })
    yp = (s >= THRESHOLD).astype(float)
    fpr, tpr, roc_t = roc_curve(y, s, sample_weight=w, drop_intermediate=False)
    precision, recall, pr_t = precision_recall_curve(y, s, sample_weight=w)
    prob_true, prob_pred = calibration_curve(y, s, n_bins=CALIBRATION_BINS, strategy="uniform")
    # calibration_curve drops empty bins and returns no counts: recompute the counts with its
    # own binning rule (np.searchsorted on the inner edges of np.linspace(0, 1, n + 1)).
    edges = np.linspace(0.0, 1.0, CALIBRATION_BINS + 1)
    counts = np.bincount(np.searchsorted(edges[1:-1], s), minlength=CALIBRATION_BINS)
    return {
        "threshold": THRESHOLD,
        "best_f1_threshold": t_opt,
        "metrics": metrics,
        "confusion_weighted": confusion_matrix(y, yp, labels=[0.0, 1.0], sample_weight=w).tolist(),
        "confusion_counts": confusion_matrix(y, yp, labels=[0.0, 1.0]).tolist(),
        # roc_curve(drop_intermediate=False): thresholds[0] is max(score) + 1 in this version.
        "roc": {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "thresholds": roc_t.tolist()},
        # precision_recall_curve order: increasing thresholds, last point (recall 0, precision 1).
        "pr": {"precision": precision.tolist(), "recall": recall.tolist(),
               "thresholds": pr_t.tolist()},
        "calibration": {"prob_true": prob_true.tolist(), "prob_pred": prob_pred.tolist(),
                        "counts": [int(c) for c in counts if c > 0]},
    }


def multiclass_golden(rows):
    y, w = column(rows, "label"), column(rows, "weight")
    yp = column(rows, "prediction")
    probs = np.stack([column(rows, f"prob_{k}") for k in range(3)], axis=1)
    labels = [0.0, 1.0, 2.0]
    p, r, f, support = precision_recall_fscore_support(
        y, yp, labels=labels, sample_weight=w, zero_division=0)
    metrics = {
        "accuracy": accuracy_score(y, yp, sample_weight=w),
        "log_loss": log_loss(y, probs, sample_weight=w, labels=labels),
    }
    for avg in ("macro", "weighted"):
        ap, ar, af, _ = precision_recall_fscore_support(
            y, yp, labels=labels, sample_weight=w, average=avg, zero_division=0)
        metrics[f"precision_{avg}"] = ap
        metrics[f"recall_{avg}"] = ar
        metrics[f"f1_{avg}"] = af
    return {
        "classes": 3,
        "metrics": metrics,
        "per_class": {"precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(),
                      "support": support.tolist()},
        "confusion_weighted": confusion_matrix(y, yp, labels=labels, sample_weight=w).tolist(),
        "confusion_counts": confusion_matrix(y, yp, labels=labels).tolist(),
    }


def regression_golden(rows):
    y, yp, w = column(rows, "label"), column(rows, "prediction"), column(rows, "weight")
    mse = mean_squared_error(y, yp, sample_weight=w)
    return {"metrics": {
        "mse": mse,
        "rmse": mean_squared_error(y, yp, sample_weight=w, squared=False),
        "mae": mean_absolute_error(y, yp, sample_weight=w),
        "r2": r2_score(y, yp, sample_weight=w),
        "explained_variance": explained_variance_score(y, yp, sample_weight=w),
    }}


def main():
    rng = np.random.default_rng(SEED)
    binary = binary_frame(rng, 400, "b")
    validation = binary_frame(rng, 300, "v")
    multiclass = multiclass_frame(rng, 300)
    regression = regression_frame(rng, 300)
    os.makedirs(OUT, exist_ok=True)
    write_csv("eval-binary.csv", binary)
    write_csv("eval-binary-validation.csv", validation)
    write_csv("eval-multiclass.csv", multiclass)
    write_csv("eval-regression.csv", regression)
    golden = {
        "source": "scripts/golden/eval_metrics_golden.py",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "python_version": sys.version.split()[0],
        "seed": SEED,
        "tolerance": 1e-9,
        "log_loss_eps": float(np.finfo(np.float64).eps),
        "binary": binary_golden(binary, validation),
        "multiclass": multiclass_golden(multiclass),
        "regression": regression_golden(regression),
    }
    with open(os.path.join(OUT, "eval-metrics-golden.json"), "w") as f:
        json.dump(golden, f, indent=1, allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
