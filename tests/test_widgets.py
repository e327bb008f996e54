"""gdcourse.widgets: slider ranges and grids, and explore re-running the function on a change."""

from __future__ import annotations

import re

import numpy as np
import pytest

from gdcourse import widgets


def test_lr_slider_is_log_scale_with_defaults_on_its_grid():
    s = widgets.lr_slider()
    assert (s.base, s.min, s.max, s.step, s.value) == (10, -3.0, 0.0, 0.1, 0.1)
    assert s.description == "α"
    s.value = 0.01
    assert s.value == 0.01
    assert widgets.lr_slider(10**-1.3).value == pytest.approx(0.0501187)


def test_lr_slider_rejects_values_off_grid_or_out_of_range():
    off_grid = "value must lie on the slider grid 10**(-3 + k*0.1), got 0.05 (would show 0.0501)"
    with pytest.raises(ValueError, match=re.escape(off_grid)):
        widgets.lr_slider(0.05)
    with pytest.raises(ValueError, match=r"value must be in \[0.001, 1\], got 2.0"):
        widgets.lr_slider(2.0)
    with pytest.raises(ValueError, match=r"step must be in \(0, inf\), got 0"):
        widgets.lr_slider(step=0)
    with pytest.raises(ValueError, match=r"max_exp must be in \(0, inf\), got -1.0"):  # before: accepted
        widgets.lr_slider(0.1, min_exp=0.0, max_exp=-1.0)


def test_beta_slider_range():
    s = widgets.beta_slider()
    assert (s.min, s.max, s.value, s.description) == (0.0, 0.99, 0.9, "β")
    with pytest.raises(ValueError, match=r"max_value must be in \[0, 1\), got 1.0"):
        widgets.beta_slider(max_value=1.0)
    with pytest.raises(ValueError, match=r"value must be in \[0, 0.5\], got 0.9"):
        widgets.beta_slider(0.9, max_value=0.5)


def test_batch_size_slider_options():
    s = widgets.batch_size_slider()
    assert list(s.options) == [1, 8, 32, 128, 512, 1153] and s.value == 128
    with pytest.raises(ValueError, match=r"value must be one of the options \[1, 2\], got 3"):
        widgets.batch_size_slider(3, options=(1, 2))
    with pytest.raises(ValueError, match=r"options must be an integer >= 1, got 1.5"):  # before: truncated to 1
        widgets.batch_size_slider(1, options=(1.5, 8))
    assert list(widgets.batch_size_slider(8, options=(np.int64(1), 8)).options) == [1, 8]


def test_explore_reruns_the_function_on_a_change():
    calls = []

    def steps_to_half(lr, beta):
        calls.append((lr, beta))
        return np.log(0.5) / np.log(abs(1 - lr)) if lr != 1 else 0.0  # GD on θ²/2: θ ← (1 − α)θ

    ui = widgets.explore(steps_to_half, lr=widgets.lr_slider(), beta=widgets.beta_slider(), show=False)
    assert calls == [(0.1, 0.9)]
    assert ui.result == pytest.approx(6.578813)  # ln 0.5 / ln 0.9
    assert ui.children[0].continuous_update is False
    ui.children[0].value = 0.5
    assert calls[-1] == (0.5, 0.9) and ui.result == pytest.approx(1.0)


def test_explore_shows_and_closes_the_figures_the_function_draws(capsys):
    import matplotlib.pyplot as plt

    def draw(lr):
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, lr])
        return lr

    plt.close("all")
    ui = widgets.explore(draw, lr=widgets.lr_slider(), show=False)
    ui.children[0].value = 0.01
    assert ui.result == 0.01 and plt.get_fignums() == []
    assert capsys.readouterr().out.count("Image") == 2  # outside IPython, display prints the Image


def test_figure_png_is_a_png_of_the_figure_size():
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(2, 1), dpi=50)
    png = widgets.figure_png(fig)
    plt.close(fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == 100 and int.from_bytes(png[20:24], "big") == 50
    idat = png.index(b"IDAT") + 4
    assert png[idat:idat + 2] == b"\x78\x01"  # zlib header of the fastest level: a slider frame encodes fast


def test_describe_names_the_kernel_and_its_scalar_hyper_parameters():
    import gdcourse as gc

    assert widgets.describe(gc.GD(0.1)) == "GD α=0.1"
    assert widgets.describe(gc.Momentum(0.05, beta=0.9)) == "Momentum α=0.05 β=0.9"


def test_descent_1d_runs_gd_and_draws_its_iterates_on_the_curve():
    import matplotlib.pyplot as plt

    import gdcourse as gc

    run = widgets.descent_1d(gc.square, gc.GD(0.1), x0=10.0, steps=3)  # f = θ², θ ← θ − 0.1·2θ = 0.8θ
    np.testing.assert_allclose(run.trajectory[:, 0], [10.0, 8.0, 6.4, 5.12])
    ax = plt.gca()
    path = ax.get_lines()[1]
    np.testing.assert_allclose(path.get_xydata(), [[10, 100], [8, 64], [6.4, 40.96], [5.12, 26.2144]])
    assert ax.get_title() == "GD α=0.1: 3 steps, f = 26.21"
    plt.close("all")


def test_descent_2d_draws_one_path_per_kernel_with_how_it_ended():
    import matplotlib.pyplot as plt

    import gdcourse as gc

    f = gc.quadratic(kappa=4.0, L=1.0)  # ½(0.25·x1² + x2²): GD with α = 1 zeroes x2 in one step
    runs = widgets.descent_2d(f, {"GD": gc.GD(1.0), "slow": gc.GD(0.1)}, steps=2)
    np.testing.assert_allclose(runs["GD"].trajectory, [[-5, -2], [-3.75, 0], [-2.8125, 0]])
    ax = plt.gca()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["minimum", "GD: 2 steps, f = 0.9888", "slow: 2 steps, f = 4.136"]  # x = (−5·0.975², −2·0.9²)
    np.testing.assert_allclose(ax.get_lines()[1].get_xydata(), runs["GD"].trajectory)
    plt.close("all")


def test_training_curve_trains_and_draws_the_full_data_loss_per_epoch():
    import matplotlib.pyplot as plt

    import gdcourse as gc

    # ŷ = w·x + b on rows (x, y) = (1, 2) and (−1, −2), θ0 = 0: J = (1/2)·Σ½(ŷ − y)² = 2.
    # Stochastic, α = 0.25, either row first: (w, b) = (0.5, ±0.5), J = ½(½·1 + ½·4) = 1.25;
    # then the other row: (w, b) = (1, 0), J = ½(½·1 + ½·1) = 0.5.
    X, y = np.array([[1.0], [-1.0]]), np.array([2.0, -2.0])
    run = widgets.training_curve(gc.LinearRegression(1), X, y, gc.GD(0.25), batch_size=1, epochs=1, theta0=np.zeros(2))
    np.testing.assert_allclose(np.abs(run.trajectory), [[0, 0], [0.5, 0.5], [1, 0]])
    ax = plt.gca()
    np.testing.assert_allclose(ax.get_lines()[0].get_xydata(), [[0, 2.0], [0.5, 1.25], [1, 0.5]])
    assert ax.get_title() == "batch 1, GD α=0.25: 2 updates, J = 0.5"
    assert ax.get_xlabel() == "epoch"
    plt.close("all")


def test_explore_serves_plt_show_inside_the_function_with_one_png_per_figure(capsys):
    import matplotlib.pyplot as plt

    shown = []

    def draw(lr):
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, lr])
        plt.show()  # inside explore: rendered by figure_png and closed, not by the inline backend
        shown.append(plt.get_fignums())
        return lr

    plt.close("all")
    widgets.explore(draw, lr=widgets.lr_slider(), show=False)
    assert shown == [[]] and plt.show is not None and plt.show.__module__ == "matplotlib.pyplot"
    assert capsys.readouterr().out.count("Image") == 1


def test_explore_replays_a_move_already_seen_without_running_the_function_again(capsys):
    calls = []

    def report(lr):
        calls.append(lr)
        print(f"alpha = {lr:g}")
        return 2 * lr

    ui = widgets.explore(report, lr=widgets.lr_slider(), show=False)
    ui.children[0].value = 0.01
    ui.children[0].value = 0.1  # seen: replayed
    assert calls == [0.1, 0.01] and ui.result == 0.2
    printed = capsys.readouterr().out.replace("\x1b[2K\r", "")  # interactive's clear_output outside IPython
    assert printed == "alpha = 0.1\nalpha = 0.01\nalpha = 0.1\n"


def test_explore_shows_what_a_failing_move_printed_and_does_not_cache_it(capsys):
    calls = []

    def fragile(lr):
        calls.append(lr)
        print("before the error")
        if lr > 0.05:
            raise RuntimeError("diverged")
        return lr

    run = widgets._showing_figures(fragile)
    for _ in range(2):
        with pytest.raises(RuntimeError, match="diverged"):
            run(lr=0.1)
    assert calls == [0.1, 0.1] and capsys.readouterr().out == "before the error\n" * 2


def test_figure_png_keeps_a_suptitle_placed_above_the_canvas():
    import matplotlib.pyplot as plt

    fig, _ = plt.subplots(figsize=(2, 1), dpi=50)
    fig.suptitle("above", y=1.3)
    png = widgets.figure_png(fig)
    plt.close(fig)
    assert int.from_bytes(png[20:24], "big") > 50  # the tight box grew the canvas to hold the title
