"""gdcourse.widgets: slider ranges and grids, and explore re-running the function on a change."""

from __future__ import annotations

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
    with pytest.raises(ValueError, match=r"value must lie on the slider grid 10\*\*\(-3 \+ k\*0.1\), got 0.05 \(would show 0.0501\)"):
        widgets.lr_slider(0.05)
    with pytest.raises(ValueError, match=r"value must be in \[0.001, 1.0\], got 2.0"):
        widgets.lr_slider(2.0)
    with pytest.raises(ValueError, match=r"step must be in \(0.0, inf\), got 0"):
        widgets.lr_slider(step=0)


def test_beta_slider_range():
    s = widgets.beta_slider()
    assert (s.min, s.max, s.value, s.description) == (0.0, 0.99, 0.9, "β")
    with pytest.raises(ValueError, match=r"max_value must be in \[0.0, 1.0\), got 1.0"):
        widgets.beta_slider(max_value=1.0)
    with pytest.raises(ValueError, match=r"value must be in \[0.0, 0.5\], got 0.9"):
        widgets.beta_slider(0.9, max_value=0.5)


def test_batch_size_slider_options():
    s = widgets.batch_size_slider()
    assert list(s.options) == [1, 8, 32, 128, 512, 1153] and s.value == 128
    with pytest.raises(ValueError, match=r"value must be one of the options \[1, 2\], got 3"):
        widgets.batch_size_slider(3, options=(1, 2))


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
