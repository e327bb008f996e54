"""gdcourse.boundaries: the probability grid (hand-worked values, batching) and the panels."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402

from gdcourse import boundaries  # noqa: E402
from gdcourse.models import LogisticRegression  # noqa: E402

X = np.array([[0.0, 0.0], [2.0, 1.0], [1.0, 0.5]])
Y = np.array([0, 1, 1])
MODEL = LogisticRegression(n_features=2)
THETA = np.array([1.0, 0.0, -1.0])  # w = (1, 0), b = −1: a = σ(x1 − 1), boundary x1 = 1


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_grid_covers_the_data_plus_pad():
    x1, x2 = boundaries.grid_around(X, n=3, pad=0.5)
    assert x1.shape == x2.shape == (3, 3)
    np.testing.assert_allclose(x1[0], [-0.5, 1.0, 2.5])
    np.testing.assert_allclose(x2[:, 0], [-0.5, 0.5, 1.5])


def test_probability_is_the_sigmoid_of_the_logit_on_the_grid():
    grid = boundaries.decision_grid(MODEL, THETA, X, n=3, pad=0.5)
    assert grid.proba.shape == (3, 3)
    # a = 1 / (1 + e^−(x1 − 1)): x1 = −0.5 → 1/(1 + e^1.5) = 0.182426; x1 = 1 → 0.5; x1 = 2.5 → 0.817574
    np.testing.assert_allclose(grid.proba, np.tile([0.182426, 0.5, 0.817574], (3, 1)), atol=1e-6)


def test_k_runs_in_one_call_match_one_run_each():
    thetas = np.array([THETA, [0.0, 2.0, -1.0], [-1.0, 1.0, 0.5]])
    grid = boundaries.decision_grid(MODEL, thetas, X, n=7)
    assert grid.proba.shape == (3, 7, 7)
    for k in range(3):
        np.testing.assert_allclose(grid.proba[k], boundaries.decision_grid(MODEL, thetas[k], X, n=7).proba)


def test_inputs_are_not_mutated():
    X_copy, theta_copy = X.copy(), THETA.copy()
    boundaries.decision_grid(MODEL, THETA, X)
    boundaries.decision_boundaries(MODEL, {"a": THETA}, X, Y, n=5)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(THETA, theta_copy)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(X=np.zeros((4, 3))), r"X must be a 2-D array of shape \(m, 2\).*got shape \(4, 3\)"),
        (dict(n=0), r"n must be"),
        (dict(pad=-1.0), r"pad must be in \[0, inf\), got -1.0"),
    ],
)
def test_bad_grid_arguments_are_named(kwargs, message):
    args = dict(X=X, n=5, pad=0.5) | kwargs
    with pytest.raises(ValueError, match=message):
        boundaries.grid_around(**args)


def test_one_panel_per_run_with_title_boundary_and_classes():
    fig, axes = boundaries.decision_boundaries(MODEL, {"first": THETA, "second": -THETA}, X, Y, n=20)
    assert [ax.get_title() for ax in axes] == ["first", "second"]
    assert all(ax.get_xlabel() == "x₁" and ax.get_ylabel() == "x₂" for ax in axes)
    # the scatter of each class holds its rows: one point with y = 0, two with y = 1
    sizes = [len(c.get_offsets()) for c in axes[0].collections
             if hasattr(c, "get_offsets") and c.get_label().startswith("y =")]
    assert sizes == [1, 2]
    # the boundary a = 0.5 of a = σ(x1 − 1) is the vertical line x1 = 1
    (line,) = [c for c in axes[0].collections if isinstance(c, ContourSet) and list(c.levels) == [0.5]]
    vertices = np.concatenate([p.vertices for p in line.get_paths()])
    np.testing.assert_allclose(vertices[:, 0], 1.0, atol=1e-9)


def test_spare_axes_are_hidden_and_too_few_axes_raise():
    fig, axes = plt.subplots(2, 2)
    _, flat = boundaries.decision_boundaries(MODEL, {"a": THETA, "b": THETA, "c": THETA}, X, Y, n=5, axes=axes)
    assert [ax.get_visible() for ax in flat] == [True, True, True, False]
    with pytest.raises(ValueError, match="axes must hold at least 3 axes"):
        boundaries.decision_boundaries(MODEL, {"a": THETA, "b": THETA, "c": THETA}, X, Y, axes=axes[0])


def test_bad_panel_arguments_are_named():
    with pytest.raises(ValueError, match="thetas must map at least one title"):
        boundaries.decision_boundaries(MODEL, {}, X, Y)
    with pytest.raises(ValueError, match=r"y must be a 1-D array of length m = 3.*got shape \(2,\)"):
        boundaries.decision_boundaries(MODEL, {"a": THETA}, X, Y[:2])


def test_reused_panels_redraw_only_the_maps_and_match_a_full_draw():
    import io

    from gdcourse import widgets

    def png(fig):
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        return plt.imread(io.BytesIO(buffer.getvalue()))

    thetas = {"first": THETA, "second": -THETA}
    fig, axes = boundaries.decision_boundaries(MODEL, thetas, X, Y, n=20, title="α = 1", reuse=True)
    assert fig.get_suptitle() == "α = 1" and [ax.get_title() for ax in axes] == ["first", "second"]
    plt.close(fig)
    moved = {"first": 2 * THETA, "second": THETA}
    again, axes_again = boundaries.decision_boundaries(MODEL, moved, X, Y, n=20, title="α = 2", reuse=True)
    assert again is fig and list(axes_again) == list(axes)  # built once
    # only this move's maps: one filled map, one boundary and two classes of points per panel
    assert [len(ax.collections) for ax in axes] == [4, 4]
    blitted = widgets.figure_png(fig)
    full, _ = boundaries.decision_boundaries(MODEL, moved, X, Y, n=20, title="α = 2")
    np.testing.assert_array_equal(plt.imread(io.BytesIO(blitted)), png(full))
    top = full.transFigure.inverted().transform(full._suptitle.get_window_extent().get_points())[1, 1]
    assert top <= 1.0  # the title inside the canvas: nothing is cropped when a frame is blitted
