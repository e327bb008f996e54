"""Sliders over the course's figures, and the wiring that connects them to a function.

The function behind a slider is an ordinary function (tested by calling it); ``explore`` is a thin
layer over ``ipywidgets.interactive``::

    ui = explore(draw_path, lr=lr_slider())      # shows the sliders and draw_path(lr=0.1)
    ui.children[0].value = 0.01                  # re-runs draw_path synchronously; ui.result holds its return

In a notebook, draw the same function once without sliders first: static views (GitHub, nbviewer)
keep no widget state, so that figure is the only one they show.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
from IPython.display import display

from . import _validate

__all__ = ["lr_slider", "beta_slider", "batch_size_slider", "explore"]


def lr_slider(
    value: float = 0.1,
    min_exp: float = -3.0,
    max_exp: float = 0.0,
    step: float = 0.1,
    description: str = "α",
) -> widgets.FloatLogSlider:
    """Log-scale slider for the learning rate α over 10^min_exp … 10^max_exp, exponent step ``step``.

    ``value`` must lie on the grid 10^(min_exp + k·step): anything else would be snapped and the
    readout would show a different number from the one the prose uses (0.05 → 0.0501).
    """
    _validate.positive("step", step)
    _validate.in_interval("value", value, 10.0**min_exp, 10.0**max_exp)
    k = (np.log10(value) - min_exp) / step
    if abs(k - round(k)) > 1e-6:
        snapped = 10 ** (min_exp + round(k) * step)
        raise ValueError(
            f"value must lie on the slider grid 10**({min_exp:g} + k*{step:g}), got {value!r} (would show {snapped:.3g})"
        )
    return widgets.FloatLogSlider(
        value=value, base=10, min=min_exp, max=max_exp, step=step, description=description, readout_format=".3g"
    )


def beta_slider(value: float = 0.9, max_value: float = 0.99, step: float = 0.01, description: str = "β") -> widgets.FloatSlider:
    """Slider for an averaging coefficient β in [0, max_value] (momentum, RMSProp, Adam)."""
    _validate.in_interval("max_value", max_value, 0.0, 1.0, high_closed=False)
    _validate.in_interval("value", value, 0.0, max_value)
    return widgets.FloatSlider(value=value, min=0.0, max=max_value, step=step, description=description, readout_format=".2f")


def batch_size_slider(
    value: int = 128, options: Sequence[int] = (1, 8, 32, 128, 512, 1153), description: str = "batch"
) -> widgets.SelectionSlider:
    """Slider over a few batch sizes, from stochastic (1) to full batch (the number of rows)."""
    options = [_validate.positive_int("options", int(o)) for o in options]
    if value not in options:
        raise ValueError(f"value must be one of the options {options}, got {value!r}")
    return widgets.SelectionSlider(value=value, options=options, description=description)


def explore(func: Callable[..., Any], *, continuous_update: bool = False, show: bool = True, **sliders: Any) -> widgets.interactive:
    """Wire ``sliders`` (keyword → widget or fixed value) to ``func`` and display them with its output.

    ``func`` runs once at once, then on every slider change (synchronously). With
    ``continuous_update=False`` it re-runs when the slider is released or moved with the arrow keys,
    which keeps a redraw of ~60 ms from queueing up while the slider is dragged.
    Returns the ``interactive`` box: ``ui.children`` are the sliders, ``ui.result`` the last return.
    """
    for w in sliders.values():
        if hasattr(w, "continuous_update"):
            w.continuous_update = continuous_update
    ui = widgets.interactive(func, **sliders)
    if show:
        display(ui)
    return ui
