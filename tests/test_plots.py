"""gdcourse.plots: every figure labelled, the right artists at the right coordinates."""

from __future__ import annotations

import re
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import gdcourse as gc  # noqa: E402
from gdcourse import plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


class Bowl:
    """f(x) = x1² + 4·x2², minimum 0 at the origin: a hand-checkable 2-D objective."""

    name = "bowl"
    dim = 2
    bounds = ((-2.0, 2.0), (-1.0, 1.0))
    minima = np.array([[0.0, 0.0]])

    def __init__(self):
        self.calls = 0

    def __call__(self, x):
        self.calls += 1
        return x[..., 0] ** 2 + 4 * x[..., 1] ** 2


class Square:
    """f(θ) = θ² as an objective on points of shape (..., 1)."""

    name = "θ²"
    dim = 1
    bounds = ((-3.0, 3.0),)

    def __call__(self, x):
        return x[..., 0] ** 2


def labelled(ax):
    return ax.get_xlabel() and ax.get_ylabel() and ax.get_title()


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_palette_is_okabe_ito_and_cycles():
    assert plots.PALETTE[:3] == ("#0072B2", "#E69F00", "#009E73")
    assert plots.color(len(plots.PALETTE)) == plots.color(0)


def test_curve_1d_draws_iterates_at_their_coordinates_on_the_curve():
    iterates = np.array([[2.0], [1.0], [-0.5]])  # shape (T, 1), as a run's trajectory
    fig, ax = plots.curve_1d(Square(), iterates=iterates)
    assert labelled(ax) and ax.get_title() == "θ²"
    curve, path = ax.get_lines()
    np.testing.assert_allclose(path.get_xdata(), [2.0, 1.0, -0.5])
    np.testing.assert_allclose(path.get_ydata(), [4.0, 1.0, 0.25])
    assert curve.get_xdata()[0] == -3.0 and curve.get_xdata()[-1] == 3.0
    assert [t.get_text() for t in ax.texts] == ["0", "1", "2"]
    assert legend_texts(ax) == ["θ²", "iterates"]
    assert ax.get_xlim() == (-3.0, 3.0)


def test_curve_1d_takes_a_plain_function_and_keeps_the_window_when_iterates_diverge():
    fig, ax = plots.curve_1d(lambda t: t**4 - 8 * t**2, (-3, 3), iterates=[2.5, -40.0, 5e4], numbered=1)
    path = ax.get_lines()[1]
    np.testing.assert_allclose(path.get_ydata()[0], 2.5**4 - 8 * 2.5**2)
    assert ax.get_xlim() == (-3.0, 3.0)
    lo, hi = ax.get_ylim()
    assert lo < -16 < 9 * 9 - 72 < hi < 20  # f(±2) = −16, f(±3) = 9
    assert len(ax.texts) == 1


def test_curve_1d_numbers_crowded_iterates_once():
    iterates = [1.0, 1.01, 1.02, 1.03, 2.0, 2.5]  # tiny steps first: their numbers would pile up
    fig, ax = plots.curve_1d(lambda t: t**4 - 8 * t**2, (-3, 3), iterates=iterates)
    assert [t.get_text() for t in ax.texts] == ["0", "4", "5"]


def test_curve_1d_needs_xs_without_bounds():
    with pytest.raises(ValueError, match="xs must be given"):
        plots.curve_1d(lambda t: t**2)


def test_log_levels_increase_and_are_log_spaced_above_the_minimum():
    levels = plots.log_levels(-16.0, 84.0, n=5, depth=4)
    np.testing.assert_allclose(levels, -16.0 + np.array([0.01, 0.1, 1.0, 10.0, 100.0]))
    assert np.all(np.diff(levels) > 0)
    with pytest.raises(ValueError, match="z_max must be > z_min"):
        plots.log_levels(1.0, 1.0)


def test_contour_2d_draws_paths_minimum_and_log_levels():
    f = Bowl()
    paths = {"GD": np.array([[-1.5, 0.8], [-1.0, 0.2], [-0.5, 0.0]]), "other": np.zeros((4, 2))}
    fig, ax = plots.contour_2d(f, trajectories=paths, levels=12)
    assert labelled(ax) and ax.get_title() == "bowl"
    assert legend_texts(ax) == ["minimum", "GD", "other"]
    minimum, gd_path = ax.get_lines()[0], ax.get_lines()[1]
    np.testing.assert_allclose(minimum.get_xydata(), [[0.0, 0.0]])
    np.testing.assert_allclose(gd_path.get_xydata(), paths["GD"])
    levels = ax.collections[0].levels
    assert len(levels) == 12 and np.all(np.diff(levels) > 0)
    above_min = levels - plots.grid_values(f, f.bounds)[2].min()
    np.testing.assert_allclose(above_min[1:] / above_min[:-1], 10 ** (4 / 11))  # 12 levels over 4 decades
    assert ax.get_xlim() == (-2.0, 2.0) and ax.get_ylim() == (-1.0, 1.0)


def test_contour_2d_evaluates_the_grid_in_one_call_and_caches_it():
    f = Bowl()
    X, Y, Z = plots.grid_values(f, f.bounds)
    assert Z.shape == (200, 200) and f.calls == 1
    np.testing.assert_allclose(Z[0, 0], (-2.0) ** 2 + 4 * (-1.0) ** 2)
    plots.contour_2d(f)
    plots.contour_2d(f)
    assert f.calls == 1


def test_contour_2d_marks_no_minimum_when_there_is_none():
    def f(x):  # x² − y²: a saddle, no minimum
        return x[..., 0] ** 2 - x[..., 1] ** 2

    f.minima, f.bounds = np.empty((0, 2)), ((-1.0, 1.0), (-1.0, 1.0))
    fig, ax = plots.contour_2d(f, trajectories={"GD": np.zeros((2, 2))})
    assert legend_texts(ax) == ["GD"]
    levels = ax.collections[0].levels
    assert levels[0] > -1.0 and np.all(np.diff(levels) > 0)  # log-spaced above the lowest value, −1


def test_contour_2d_accepts_a_run_and_rejects_batched_paths():
    f = Bowl()
    run = SimpleNamespace(trajectory=np.array([[1.0, 1.0], [0.5, 0.5]]))
    fig, ax = plots.contour_2d(f, trajectories=run, mark_minima=False)
    np.testing.assert_allclose(ax.get_lines()[0].get_xydata(), run.trajectory)
    with pytest.raises(ValueError, match=r"shape \(T, 2\), got shape \(3, 4, 2\)"):
        plots.contour_2d(f, trajectories={"K runs": np.zeros((3, 4, 2))})


@pytest.mark.parametrize("losses", [[0.7, 0.5, 0.3, 0.25], [30.0, 3.0, 0.2, 1e-5]], ids=["within a decade", "decades"])
def test_a_log_loss_axis_keeps_its_label_on_the_canvas_as_a_slider_renders_it(losses):
    # lecture 03's slider lost its "loss" label: minor ticks labelled 6×10⁻¹ pushed it off the canvas
    fig, ax = plots.loss_curves({"run": losses})
    gc.widgets.figure_png(fig)
    renderer = fig.canvas.get_renderer()
    assert ax.yaxis.label.get_window_extent(renderer).x0 >= 0
    labels = [t.get_text() for t in ax.get_yticklabels() + ax.get_yticklabels(minor=True) if t.get_text()]
    assert labels and not any("times" in text for text in labels)


def test_loss_curves_arrays_and_runs_per_iteration_and_per_epoch():
    # a training run of 5 steps in epochs of 2, 2 and 1 steps: loss after 0, 1, ..., 5 steps
    history = pd.DataFrame({"step": [1, 2, 3, 4, 5], "epoch": [0, 0, 1, 1, 2], "iteration": [0, 1, 0, 1, 0]})
    run = SimpleNamespace(losses=np.array([16.0, 8.0, 4.0, 2.0, 1.0, 0.5]), history=history)
    fig, ax = plots.loss_curves({"array": [3.0, 2.0, 1.0], "run": run})
    assert labelled(ax) and ax.get_yscale() == "log" and ax.get_xlabel() == "iteration"
    assert legend_texts(ax) == ["array", "run"]
    a, r = ax.get_lines()
    np.testing.assert_allclose(a.get_xydata(), [[0, 3.0], [1, 2.0], [2, 1.0]])
    np.testing.assert_allclose(r.get_xdata(), [0, 1, 2, 3, 4, 5])
    fig, ax = plots.loss_curves({"run": run}, per="epoch", log=False)
    assert ax.get_xlabel() == "epoch" and ax.get_yscale() == "linear"
    np.testing.assert_allclose(ax.get_lines()[0].get_xdata(), [0, 0.5, 1, 1.5, 2, 3])
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), run.losses)


def test_loss_curves_of_a_minimize_run_count_steps_and_reject_batched_runs():
    history = pd.DataFrame({"step": [0, 1, 2], "epoch": [0, 1, 2]})
    run = SimpleNamespace(losses=np.array([4.0, 2.0, 1.0]), history=history)
    fig, ax = plots.loss_curves({"GD": run}, per="epoch")
    np.testing.assert_allclose(ax.get_lines()[0].get_xydata(), [[0, 4.0], [1, 2.0], [2, 1.0]])
    batched = SimpleNamespace(losses=np.ones((3, 2)), history=run.history)
    with pytest.raises(ValueError, match=r"one run \(losses of shape \(T \+ 1,\)\), got shape \(3, 2\)"):
        plots.loss_curves({"K runs": batched})


def test_loss_curves_rejects_nonpositive_losses_on_a_log_scale_and_unknown_per():
    with pytest.raises(ValueError, match="log=True needs losses > 0, curve 'well' has -16"):
        plots.loss_curves({"well": [0.0, -16.0]})
    with pytest.raises(ValueError, match="per must be 'iteration' or 'epoch', got 'batch'"):
        plots.loss_curves({"a": [1.0]}, per="batch")


def test_lr_curves_from_arrays_and_vectorized_schedules():
    fig, ax = plots.lr_curves({"constant": [0.1, 0.1, 0.1], "1/t": lambda n: 0.1 / (1 + n)}, steps=4)
    assert labelled(ax) and legend_texts(ax) == ["constant", "1/t"]
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), [0.1, 0.05, 0.1 / 3, 0.025])


def test_heatmap_cells_log_edges_markers_and_bad_cells():
    lr = np.array([0.01, 0.1, 1.0])
    beta = np.array([0.0, 0.5])
    values = np.array([[1.0, 2.0, np.inf], [3.0, 4.0, np.nan]])
    fig, ax = plots.heatmap(values, lr, beta, xlabel="α", ylabel="β", title="loss", log_x=True,
                            markers={"optimum": (0.1, 0.5)})
    assert labelled(ax) and ax.get_xscale() == "log" and legend_texts(ax) == ["optimum"]
    mesh = ax.collections[0]
    data = mesh.get_array()
    assert data.mask.sum() == 2  # the diverged cells
    np.testing.assert_allclose(data.compressed(), [1.0, 2.0, 3.0, 4.0])
    np.testing.assert_allclose(ax.get_lines()[0].get_xydata(), [[0.1, 0.5]])
    np.testing.assert_allclose(mesh.get_coordinates()[0, :, 0], [10**-2.5, 10**-1.5, 10**-0.5, 10**0.5])
    message = "values must have shape (len(y), len(x)) = (2, 3), got shape (3, 2)"
    with pytest.raises(ValueError, match=re.escape(message)):
        plots.heatmap(values.T, lr, beta, xlabel="α", ylabel="β", title="loss")


def test_functions_draw_on_a_given_axes():
    fig, axes = plt.subplots(1, 2)
    out_fig, out_ax = plots.curve_1d(Square(), ax=axes[1])
    assert out_fig is fig and out_ax is axes[1] and len(axes[1].get_lines()) == 1


def test_sweep_curve_leaves_diverged_points_off_and_marks_them_and_the_special_values():
    lr = np.array([0.01, 0.1, 1.0, 3.0])
    final = np.array([0.5, 0.1, 0.01, 1e9])
    fig, ax = plots.sweep_curve(lr, final, xlabel="α", ylabel="final loss", title="sweep",
                                diverged=final > 1e6, vlines={"2/L": 2.0}, label="GD")
    assert labelled(ax) and ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert legend_texts(ax) == ["GD", "diverged", "2/L"]
    curve, crosses, edge = ax.get_lines()
    np.testing.assert_allclose(curve.get_ydata(), [0.5, 0.1, 0.01, np.nan])
    np.testing.assert_allclose(crosses.get_xdata(), [3.0])
    np.testing.assert_allclose(edge.get_xdata(), [2.0, 2.0])
    with pytest.raises(ValueError, match=r"same length, got shapes \(4,\) and \(3,\)"):
        plots.sweep_curve(lr, final[:3], xlabel="α", ylabel="loss", title="t")


def _pixels(png: bytes) -> np.ndarray:
    import io

    return plt.imread(io.BytesIO(png))


def test_reused_contour_figure_redraws_only_the_paths_and_matches_a_full_draw():
    import io

    from gdcourse import widgets

    f = gc.quadratic(kappa=10.0, L=1.0)
    plt.close("all")
    fig, ax = plots.contour_2d(f, trajectories={"a": [[-5, -2], [0, 0]]}, title="first", reuse=True)
    plt.close(fig)
    again, ax_again = plots.contour_2d(f, trajectories={"b": [[-5, -2], [1, 1]], "c": [[0, 3], [2, 2]]},
                                       title="second", reuse=True)
    assert again is fig and ax_again is ax and plt.gcf() is fig  # built once, current again
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["minimum", "b", "c"]
    assert len(ax.get_lines()) == 1 + 2 * 2  # the minimum star and the two new paths only
    blitted = widgets.figure_png(fig)  # background drawn once, then the move drawn over it
    blitted_again = widgets.figure_png(fig)
    full, _ = plots.contour_2d(f, trajectories={"b": [[-5, -2], [1, 1]], "c": [[0, 3], [2, 2]]}, title="second")
    buffer = io.BytesIO()
    full.savefig(buffer, format="png")
    np.testing.assert_array_equal(_pixels(blitted), _pixels(buffer.getvalue()))
    np.testing.assert_array_equal(_pixels(blitted_again), _pixels(blitted))
    plt.close("all")


def test_a_contour_figure_still_open_is_never_reused():
    f = gc.quadratic(kappa=4.0, L=1.0)
    plt.close("all")
    first, _ = plots.contour_2d(f, trajectories=[[-5, -2], [0, 0]], reuse=True)
    second, _ = plots.contour_2d(f, trajectories=[[-5, -2], [1, 1]], reuse=True)
    assert first is not second and len(plt.get_fignums()) == 2  # two figures asked before any was shown
    plt.close("all")


def test_a_reused_figure_changed_after_the_move_is_drawn_in_full():
    from gdcourse import widgets

    f = gc.quadratic(kappa=4.0, L=1.0)
    plt.close("all")
    fig, ax = plots.contour_2d(f, trajectories=[[-5, -2], [0, 0]], reuse=True)
    assert fig._gdcourse_stage.png() is not None
    ax.set_xlim(-1, 1)  # the background's ticks would be stale: no blitting
    assert fig._gdcourse_stage.png() is None
    ax.annotate("note", (0, 0))
    png = widgets.figure_png(fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    plt.close("all")


def test_reused_curve_figure_matches_a_full_draw_with_its_numbered_iterates():
    import io

    from gdcourse import widgets

    plt.close("all")
    fig, _ = plots.curve_1d(gc.square, (-3, 3), iterates=[2.0, -1.0], title="first", reuse=True)
    plt.close(fig)
    again, ax = plots.curve_1d(gc.square, (-3, 3), iterates=[2.5, 1.5, 0.5], title="second", reuse=True)
    assert again is fig and [t.get_text() for t in ax.texts] == ["0", "1", "2"]
    blitted = widgets.figure_png(fig)
    full, _ = plots.curve_1d(gc.square, (-3, 3), iterates=[2.5, 1.5, 0.5], title="second")
    buffer = io.BytesIO()
    full.savefig(buffer, format="png")
    np.testing.assert_array_equal(_pixels(blitted), _pixels(buffer.getvalue()))
    plt.close("all")


def test_a_figure_holding_more_than_its_last_move_is_not_reused():
    f = gc.quadratic(kappa=4.0, L=1.0)
    plt.close("all")
    first, ax = plots.contour_2d(f, trajectories=[[-5, -2], [0, 0]], reuse=True)
    ax.axvline(1.0)  # the caller drew on it: a reuse would carry this line into the next move
    plt.close(first)
    second, ax2 = plots.contour_2d(f, trajectories=[[-5, -2], [1, 1]], reuse=True)
    assert second is not first and len(ax2.get_lines()) == 1 + 2
    plt.close(second)
    assert plots.contour_2d(f, trajectories=[[-5, -2], [2, 2]], reuse=True)[0] is second
    plt.close("all")


def _png(fig) -> np.ndarray:
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return _pixels(buffer.getvalue())


def test_reused_schedules_figure_rescales_to_each_move_and_matches_a_full_draw():
    from gdcourse import widgets

    steps = np.arange(50)
    big = {"constant": np.full(50, 0.5), "decay": 0.5 / (1 + steps)}
    losses = {"constant": np.full(51, 1e6), "decay": 10.0 ** -np.arange(51)}
    fig, (left, right) = plots.schedules_and_losses(big, losses, lr_title="peak 0.5", reuse=True)
    widgets.figure_png(fig)  # a background drawn for this move's limits
    plt.close(fig)
    small = {"constant": np.full(50, 0.01), "decay": 0.01 / (1 + steps)}
    again, (left2, right2) = plots.schedules_and_losses(small, {k: v / 1e3 for k, v in losses.items()},
                                                         lr_title="peak 0.01", reuse=True)
    assert again is fig and left2 is left and len(left.get_lines()) == len(right.get_lines()) == 2
    assert left.get_ylim()[1] < 0.011 and right.get_ylim()[1] < 1e4  # the last move's range, not the first's
    assert right.get_yscale() == "log" and left.get_title() == "peak 0.01"
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["constant", "decay"]
    np.testing.assert_allclose(right.get_lines()[1].get_ydata()[-1], 1e-16)  # 1e-53 floored
    blitted = _pixels(widgets.figure_png(fig))  # the limits changed: a new background, not the first one
    full, _ = plots.schedules_and_losses(small, {k: v / 1e3 for k, v in losses.items()}, lr_title="peak 0.01")
    np.testing.assert_array_equal(blitted, _png(full))
    with pytest.raises(ValueError, match="lrs and losses must have the same labels"):
        plots.schedules_and_losses(small, {"constant": losses["constant"]})


def test_paths_and_distance_draws_the_last_steps_the_target_over_them_and_the_distances():
    from gdcourse import widgets

    target = np.array([1.0, 2.0])
    paths = {"a": target + np.array([[3.0, 0.0], [2.0, 0.0], [1.0, 0.0], [0.5, 0.0], [0.25, 0.0]]),
             "b": target + np.array([[0.0, 3.0], [0.0, 1.0], [0.0, 0.3], [0.0, 0.1], [0.0, 0.03]])}
    window = ((-1.0, 5.0), (0.0, 6.0))
    fig, (left, right) = plots.paths_and_distance(Bowl(), window, paths, target, per=2, last=3, dist_lim=(1e-2, 10),
                                                  reuse=True)
    np.testing.assert_allclose(left.get_lines()[0].get_xdata(), [2.0, 1.5, 1.25])  # path a's last 3 steps
    star = left.get_lines()[-1]
    assert star.get_marker() == "*" and list(star.get_xydata()[0]) == [1.0, 2.0]  # drawn after the paths
    np.testing.assert_allclose(right.get_lines()[1].get_ydata(), [3.0, 1.0, 0.3, 0.1, 0.03])
    np.testing.assert_allclose(right.get_lines()[1].get_xdata(), [0, 0.5, 1, 1.5, 2])  # steps / per: epochs
    assert right.get_ylim() == (1e-2, 10) and right.get_xlabel() == "epoch" and right.get_yscale() == "log"
    assert left.get_title() == "The last 1.5 epochs near θ* (★)"
    plt.close(fig)
    moved = {"a": paths["b"], "b": paths["a"]}
    again, _ = plots.paths_and_distance(Bowl(), window, moved, target, per=2, last=3, dist_lim=(1e-2, 10),
                                        reuse=True)
    assert again is not fig  # another Bowl instance: another figure (f is part of the key)
    f = Bowl()
    first, _ = plots.paths_and_distance(f, window, paths, target, per=2, last=3, dist_lim=(1e-2, 10), reuse=True)
    plt.close(first)
    second, _ = plots.paths_and_distance(f, window, moved, target, per=2, last=3, dist_lim=(1e-2, 10), reuse=True)
    assert second is first
    blitted = _pixels(widgets.figure_png(second))
    full, _ = plots.paths_and_distance(f, window, moved, target, per=2, last=3, dist_lim=(1e-2, 10))
    np.testing.assert_array_equal(blitted, _png(full))
    with pytest.raises(ValueError, match=r"paths must all have the same number of steps, got lengths \[4, 5\]"):
        plots.paths_and_distance(f, window, {"a": paths["a"][:4], "b": paths["b"]}, target)
