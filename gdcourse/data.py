"""Seeded data sets as pandas DataFrames, and small helpers to turn them into arrays.

Every generator takes a ``seed``: the same seed gives the same frame, row for row. The true parameters
of the generating process are kept in ``df.attrs`` (e.g. ``df.attrs["w"]``), so a notebook can compare
what gradient descent finds with what made the data. Feature columns come first, the target ``y`` last.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from . import _validate

__all__ = [
    "classification_table",
    "linear_regression_data",
    "badly_scaled_regression",
    "two_moons",
    "sparse_features",
    "Standardized",
    "standardize",
    "xy",
]


def classification_table(seed: int = 0) -> pd.DataFrame:
    """The lectures' two-feature binary classification table: columns X1, X2, y; 1,153 rows.

    X1, X2 ~ Uniform(0, 1) independently, and y ~ Bernoulli(σ(z)) with the true logit
    z = 14.4·X1 + 9.6·X2 − 12 = 12·(1.2·X1 + 0.8·X2 − 1). The classes are separated by the line
    1.2·X1 + 0.8·X2 = 1 with a band of overlap around it, so the best linear classifier is right on
    about 90 % of the rows, never on all. ``attrs``: ``w`` = (14.4, 9.6), ``b`` = −12.
    """
    rng = np.random.default_rng(seed)
    w, b = np.array([14.4, 9.6]), -12.0
    X = rng.random((1153, 2))
    y = (rng.random(1153) < 1 / (1 + np.exp(-(X @ w + b)))).astype(np.int64)
    df = pd.DataFrame({"X1": X[:, 0], "X2": X[:, 1], "y": y})
    df.attrs.update(w=tuple(w.tolist()), b=b)
    return df


def linear_regression_data(
    n: int = 200,
    seed: int = 0,
    *,
    w: ArrayLike = (2.0, -3.0),
    b: float = 1.0,
    noise: float = 0.5,
    loc: ArrayLike = 0.0,
    scale: ArrayLike = 1.0,
) -> pd.DataFrame:
    """A linear-regression set: columns x1 … xd, y with y = Xw + b + noise.

    Feature j is x_j = loc_j + scale_j·u_j with u_j ~ N(0, 1); the target is
    y = Σ_j w_j x_j + b + ε with ε ~ N(0, noise²). ``attrs``: ``w``, ``b``, ``noise``.
    """
    n = _validate.positive_int("n", n)
    w = _validate.finite("w", np.atleast_1d(np.asarray(w, dtype=float)))
    if w.ndim != 1:
        raise ValueError(f"w must be a 1-D sequence of weights, got shape {w.shape}")
    _validate.finite("b", b)
    _validate.nonnegative("noise", noise)
    _validate.finite("loc", loc)
    _validate.positive("scale", scale)
    _validate.broadcasts_to("loc", loc, w.shape, target="w")
    _validate.broadcasts_to("scale", scale, w.shape, target="w")
    rng = np.random.default_rng(seed)
    X = np.asarray(loc, dtype=float) + np.asarray(scale, dtype=float) * rng.standard_normal((n, len(w)))
    y = X @ w + b + noise * rng.standard_normal(n)
    df = pd.DataFrame(X, columns=[f"x{j + 1}" for j in range(len(w))]).assign(y=y)
    df.attrs.update(w=tuple(w.tolist()), b=float(b), noise=float(noise))
    return df


def badly_scaled_regression(n: int = 200, seed: int = 0) -> pd.DataFrame:
    """The feature-scaling lecture's set: x1 ~ N(0, 1) next to x2 ~ N(500, 100²).

    y = 2·x1 + 0.03·x2 + 1 + ε, ε ~ N(0, 0.5²). On the raw features the curvature of J along w2 is
    about 500² + 100² times that along w1, so no single learning rate suits both; after
    ``standardize`` both features have mean 0 and standard deviation 1.
    """
    return linear_regression_data(n, seed, w=(2.0, 0.03), b=1.0, noise=0.5, loc=(0.0, 500.0), scale=(1.0, 100.0))


def two_moons(n: int = 300, noise: float = 0.2, seed: int = 0) -> pd.DataFrame:
    """Two interleaving half circles: columns x1, x2, y (as scikit-learn's ``make_moons``).

    n // 2 points on the upper half circle (cos t, sin t) with y = 0 and the rest on the lower one
    (1 − cos t, 1/2 − sin t) with y = 1, t evenly spaced in [0, π]; rows shuffled, then Gaussian noise
    of standard deviation ``noise`` added to both coordinates.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    _validate.nonnegative("noise", noise)
    rng = np.random.default_rng(seed)
    n_out = n // 2
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n - n_out)
    X = np.concatenate(
        [np.column_stack([np.cos(t_out), np.sin(t_out)]), np.column_stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)])]
    )
    y = np.repeat(np.array([0, 1], dtype=np.int64), [n_out, n - n_out])
    order = rng.permutation(n)
    X = X[order] + noise * rng.standard_normal((n, 2))
    return pd.DataFrame({"x1": X[:, 0], "x2": X[:, 1], "y": y[order]})


def sparse_features(
    n: int = 1000, d: int = 20, seed: int = 0, *, p_max: float = 0.5, p_min: float = 0.01, noise: float = 0.1
) -> pd.DataFrame:
    """A regression set whose rare features carry as much signal as the frequent ones (AdaGrad's case).

    Feature j is binary, x_j ~ Bernoulli(p_j), with frequencies p_j falling geometrically from p_max
    (x1) to p_min (xd). The weights are w_j = ±1/(2√p_j) (random signs), so every feature adds the
    same variance w_j²·p_j ≈ 1/4 to y = Xw + 1/2 + ε, ε ~ N(0, noise²). The gradient along a rare
    weight is small (it is nonzero on few rows), so one learning rate for all weights crawls along
    the rare ones; AdaGrad's per-weight rate α/√G_j compensates. ``attrs``: ``w``, ``b``, ``p``, ``noise``.
    """
    n = _validate.positive_int("n", n)
    d = _validate.positive_int("d", d)
    _validate.in_interval("p_max", p_max, 0.0, 1.0, low_closed=False)
    _validate.in_interval("p_min", p_min, 0.0, p_max, low_closed=False)
    _validate.nonnegative("noise", noise)
    rng = np.random.default_rng(seed)
    p = np.geomspace(p_max, p_min, d)
    X = (rng.random((n, d)) < p).astype(float)
    w = rng.choice([-1.0, 1.0], size=d) / (2 * np.sqrt(p))
    b = 0.5
    y = X @ w + b + noise * rng.standard_normal(n)
    df = pd.DataFrame(X, columns=[f"x{j + 1}" for j in range(d)]).assign(y=y)
    df.attrs.update(w=tuple(w.tolist()), b=b, p=tuple(p.tolist()), noise=float(noise))
    return df


class Standardized(NamedTuple):
    """Standardized features Z = (X − mean)/std and the statistics to apply to new rows."""

    Z: np.ndarray
    mean: np.ndarray
    std: np.ndarray


def standardize(X: ArrayLike, mean: ArrayLike | None = None, std: ArrayLike | None = None) -> Standardized:
    """z_j = (x_j − μ_j)/σ_j per column; μ, σ from X itself unless given (e.g. from the training set)."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (rows × features), got shape {X.shape}")
    mean = X.mean(axis=0) if mean is None else np.asarray(mean, dtype=float)
    std = X.std(axis=0) if std is None else np.asarray(std, dtype=float)
    _validate.broadcasts_to("mean", mean, X.shape[1:], target="a row of X")
    _validate.broadcasts_to("std", std, X.shape[1:], target="a row of X")
    std_row = np.broadcast_to(std, X.shape[1:])
    if np.any(std_row <= 0):
        j = int(np.argmax(std_row <= 0))
        raise ValueError(f"std must be > 0 in every column, got {float(std_row[j])} in column {j} (a constant feature)")
    return Standardized((X - mean) / std, mean, std)


def xy(df: pd.DataFrame, target: str = "y") -> tuple[np.ndarray, np.ndarray]:
    """(X, y) as arrays: every column but ``target`` as the (m, n) float features, ``target`` as y."""
    if target not in df.columns:
        raise ValueError(f"target must be a column of df {list(df.columns)}, got {target!r}")
    return df.drop(columns=target).to_numpy(dtype=float), df[target].to_numpy()
