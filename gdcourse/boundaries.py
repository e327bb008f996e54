"""Decision boundaries of 2-D binary classifiers: the probability on a grid, and panels side by side.

``decision_grid`` evaluates a classifier's predicted probability a = P(y = 1 | x) on an n×n grid that
covers the data, for one parameter vector θ or for K of them at once (θ of shape (K, P): one call,
result (K, n, n)). ``decision_boundaries`` draws one panel per run: a filled map of a, the boundary
a = 0.5 (z = 0) as a black line, and the data coloured by class. Like ``plots``, nothing in the computing
modules imports this one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from . import _validate
from .plots import color, staged

__all__ = ["DecisionGrid", "grid_around", "decision_grid", "decision_boundaries"]


class DecisionGrid(NamedTuple):
    """x1, x2: the grid's coordinates (n, n); proba: a = P(y = 1 | x) there, shape (*batch, n, n)."""

    x1: np.ndarray
    x2: np.ndarray
    proba: np.ndarray


def _points(X: ArrayLike) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be a 2-D array of shape (m, 2) with m >= 1 (two features), got shape {X.shape}")
    return _validate.finite("X", X)


def grid_around(X: ArrayLike, n: int = 150, pad: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """An n×n grid (x1, x2) over [min − pad, max + pad] of each column of the (m, 2) data X."""
    X = _points(X)
    _validate.positive_int("n", n)
    _validate.nonnegative("pad", pad)
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    return np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))


def decision_grid(model: Any, theta: ArrayLike, X: ArrayLike, n: int = 150, pad: float = 0.5) -> DecisionGrid:
    """a = σ(z(x)) = ``model.predict_proba(θ, x)`` at every point x of ``grid_around(X, n, pad)``.

    θ has shape (..., P); the n² grid points go through the model in one call, so K runs cost one
    call and ``proba`` has shape (..., n, n).
    """
    x1, x2 = grid_around(X, n, pad)
    theta = np.asarray(theta, dtype=float)
    proba = np.asarray(model.predict_proba(theta, np.column_stack([x1.ravel(), x2.ravel()])), dtype=float)
    return DecisionGrid(x1, x2, proba.reshape(theta.shape[:-1] + x1.shape))


def decision_boundaries(
    model: Any,
    thetas: Mapping[str, ArrayLike],
    X: ArrayLike,
    y: ArrayLike,
    *,
    n: int = 150,
    pad: float = 0.5,
    axes: Any = None,
    ncols: int | None = None,
    title: str | None = None,
    reuse: bool = False,
) -> tuple[Figure, np.ndarray]:
    """One panel per entry of ``thetas`` (title → θ of shape (P,)): a = P(y = 1 | x) filled from 0 to 1,
    the boundary a = 0.5 in black, and the points of X coloured by their class y (0 or 1).

    ``axes``: as many axes as panels (any shape), or None for a new row of ``ncols`` (default: all)
    panels per row, with ``title`` above them. ``reuse=True`` (for sliders, with ``axes=None``): the
    figure of an earlier call with the same model, titles, data and grid is reused once shown and closed,
    and only the maps, boundaries and points are redrawn (``plots.staged``). Returns the figure and the
    axes as a flat array.
    """
    if not thetas:
        raise ValueError("thetas must map at least one title to a parameter vector, got an empty mapping")
    X = _points(X)
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(
            f"y must be a 1-D array of length m = {X.shape[0]} (one label per row of X), got shape {y.shape}"
        )
    names = list(thetas)
    ncols = len(names) if ncols is None else _validate.positive_int("ncols", ncols)
    grid = decision_grid(model, np.stack([np.asarray(thetas[k], dtype=float) for k in names]), X, n, pad)

    def build() -> Figure:
        nrows = -(-len(names) // ncols)
        width, height = 3.0 * ncols, 2.8 * nrows + (0.35 if title is not None else 0.0)
        fig, grid_axes = plt.subplots(nrows, ncols, figsize=(width, height), squeeze=False, sharex=True, sharey=True)
        # margins in inches that hold the tick labels, axis labels, panel titles and the title inside the
        # canvas: a reused figure is drawn as it is, not cropped to its contents
        fig.subplots_adjust(left=0.6 / width, right=1 - 0.1 / width, bottom=0.5 / height,
                            top=1 - (0.65 if title is not None else 0.3) / height, wspace=0.4, hspace=0.45)
        for ax in grid_axes.ravel():
            ax.set(xlim=(grid.x1[0, 0], grid.x1[0, -1]), ylim=(grid.x2[0, 0], grid.x2[-1, 0]), xlabel="x₁",
                   ylabel="x₂")
        return fig

    def move(fig: Figure) -> None:
        flat = np.asarray(fig.axes if axes is None else axes, dtype=object).ravel()
        if flat.size < len(names):
            raise ValueError(f"axes must hold at least {len(names)} axes (one per panel), got {flat.size}")
        for ax, name, proba in zip(flat, names, grid.proba):
            _panel(ax, grid.x1, grid.x2, proba, X, y, name)
        for ax in flat[len(names):]:
            ax.set_visible(False)
        if title is not None:
            fig.suptitle(title)

    if reuse and axes is None:
        key = ("decision_boundaries", id(model), tuple(names), X.tobytes(), y.tobytes(), n, pad, ncols, title is None)
        fig = staged(key, build, move, owner=model)
    else:
        fig = build() if axes is None else np.asarray(axes, dtype=object).ravel()[0].figure
        move(fig)
    return fig, np.asarray(fig.axes if axes is None else axes, dtype=object).ravel()


def _panel(
    ax: Axes, x1: np.ndarray, x2: np.ndarray, proba: np.ndarray, X: np.ndarray, y: np.ndarray, title: str
) -> None:
    ax.contourf(x1, x2, proba, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.45, vmin=0, vmax=1)
    ax.contour(x1, x2, proba, levels=[0.5], colors="black", linewidths=1.2)
    for label, marker in ((0, "o"), (1, "s")):
        rows = y == label
        ax.scatter(X[rows, 0], X[rows, 1], s=9, marker=marker, color=color(0 if label == 0 else 3),
                   edgecolors="white", linewidths=0.3, label=f"y = {label}")
    ax.set_title(title, fontsize="small")
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
