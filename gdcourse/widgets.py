"""Sliders over the course's figures, and the wiring that connects them to a function.

The function behind a slider is an ordinary function (tested by calling it); ``explore`` is a thin
layer over ``ipywidgets.interactive``::

    ui = explore(draw_path, lr=lr_slider())      # shows the sliders and draw_path(lr=0.1)
    ui.children[0].value = 0.01                  # re-runs draw_path synchronously; ui.result holds its return

``descent_1d``, ``descent_2d`` and ``training_curve`` are such functions, ready to put behind sliders:
each runs a kernel, draws the run and returns it.

In a notebook, draw the same function once without sliders first: static views (GitHub, nbviewer)
keep no widget state, so that figure is the only one they show.
"""

from __future__ import annotations

import dataclasses
import functools
import io
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Image, display
from IPython.utils.capture import capture_output
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from . import _validate, plots
from .training import Run, minimize, train

__all__ = [
    "lr_slider",
    "beta_slider",
    "batch_size_slider",
    "explore",
    "figure_png",
    "describe",
    "descent_1d",
    "descent_2d",
    "training_curve",
]

_SYMBOLS = {"lr": "α", "beta": "β", "beta1": "β1", "beta2": "β2", "momentum": "γ", "rho": "ρ"}


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
    _validate.finite("min_exp", min_exp)
    _validate.in_interval("max_exp", max_exp, min_exp, np.inf, low_closed=False, high_closed=False)
    _validate.in_interval("value", value, 10.0**min_exp, 10.0**max_exp)
    k = (np.log10(value) - min_exp) / step
    if abs(k - round(k)) > 1e-6:
        snapped = 10 ** (min_exp + round(k) * step)
        raise ValueError(
            f"value must lie on the slider grid 10**({min_exp:g} + k*{step:g}), got {value!r}"
            f" (would show {snapped:.3g})"
        )
    return widgets.FloatLogSlider(
        value=value, base=10, min=min_exp, max=max_exp, step=step, description=description, readout_format=".3g"
    )


def beta_slider(
    value: float = 0.9, max_value: float = 0.99, step: float = 0.01, description: str = "β"
) -> widgets.FloatSlider:
    """Slider for an averaging coefficient β in [0, max_value] (momentum, RMSProp, Adam)."""
    _validate.in_interval("max_value", max_value, 0.0, 1.0, high_closed=False)
    _validate.in_interval("value", value, 0.0, max_value)
    return widgets.FloatSlider(
        value=value, min=0.0, max=max_value, step=step, description=description, readout_format=".2f"
    )


def batch_size_slider(
    value: int = 128, options: Sequence[int] = (1, 8, 32, 128, 512, 1153), description: str = "batch"
) -> widgets.SelectionSlider:
    """Slider over a few batch sizes, from stochastic (1) to full batch (the number of rows)."""
    options = [_validate.positive_int("options", o) for o in options]  # 1.5 is refused, not truncated to 1
    if value not in options:
        raise ValueError(f"value must be one of the options {options}, got {value!r}")
    return widgets.SelectionSlider(value=value, options=options, description=description)


def _outside_canvas(fig: Figure) -> bool:
    """True when a figure-level text (a suptitle at y = 1.04, ``fig.text``) is placed off the canvas."""
    texts = [fig._suptitle, fig._supxlabel, fig._supylabel, *fig.texts]
    return any(t is not None and t.get_visible() and t.get_text() and t.get_transform() == fig.transSubfigure
               and not (0 <= t.get_position()[0] <= 1 and 0 <= t.get_position()[1] <= 1) for t in texts)


def figure_png(fig: Figure) -> bytes:
    """PNG of ``fig`` at its own size and dpi, without the inline backend's tight-bounding-box pass
    (a second layout of every text, ~25 ms): the course's figures fit their margins. A figure that places
    a text off its canvas (``plt.suptitle(..., y=1.04)``) keeps the tight bounding box, as inline shows it.
    zlib level 1: a 1200×420 frame encodes in ~15 ms instead of ~23 ms, for a file ~10 % larger."""
    stage = getattr(fig, "_gdcourse_stage", None)  # a figure built once: blit the move over its background
    png = stage.png() if stage is not None else None
    if png is not None:
        return png
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight" if _outside_canvas(fig) else None,
                pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _show_new_figures(before: set[int]) -> None:
    """Display as PNG, and close, every figure opened since the figure numbers ``before``."""
    for num in sorted(set(plt.get_fignums()) - before):
        display(Image(figure_png(plt.figure(num))))
        plt.close(num)


def _frame_key(args: tuple, kwargs: dict) -> Hashable | None:
    """The slider values of a move as a dictionary key, or None when one is not hashable (no caching)."""
    key = (args, tuple(sorted(kwargs.items())))
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _showing_figures(func: Callable[..., Any], frames: int = 32) -> Callable[..., Any]:
    """``func`` that displays, as PNG, and closes the figures it opened, and replays a move already seen.

    A ``plt.show()`` inside ``func`` is served the same way (one draw, ``figure_png``) instead of the
    inline backend's tight-bounding-box print (two). What a move shows (figures, printed text) and
    returns is kept for the last ``frames`` distinct slider values: moving back to one of them replays
    it without running ``func`` (the functions behind sliders are deterministic).
    """
    cache: OrderedDict[Hashable, tuple[Any, Any]] = OrderedDict()

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        key = _frame_key(args, kwargs)
        if key is not None and key in cache:
            cache.move_to_end(key)
            captured, result = cache[key]
            captured.show()
            return result
        before, show = set(plt.get_fignums()), plt.show
        plt.show = lambda *a, **k: _show_new_figures(before)
        try:
            with capture_output() as captured:
                try:
                    result = func(*args, **kwargs)
                finally:
                    plt.show = show
                _show_new_figures(before)
        finally:
            captured.show()  # what the move printed and drew, also when it raised (then the traceback)
        if key is not None:
            cache[key] = (captured, result)
            if len(cache) > frames:
                cache.popitem(last=False)
        return result

    return run


def explore(
    func: Callable[..., Any], *, continuous_update: bool = False, show: bool = True, **sliders: Any
) -> widgets.interactive:
    """Wire ``sliders`` (keyword → widget or fixed value) to ``func`` and display them with its output.

    ``func`` runs at once, then on every slider change (synchronously); the figures it draws are shown
    under the sliders (``figure_png``). With ``continuous_update=False`` it re-runs when the slider is
    released or moved with the arrow keys, so redraws do not queue up while the slider is dragged.
    Moving back to values already seen (the last 32) replays that move's output without running ``func``;
    ``descent_1d`` and ``descent_2d`` reuse one figure and redraw only what moved (``plots.staged``).
    Returns the ``interactive`` box: ``ui.children`` are the sliders, ``ui.result`` the last return.
    """
    for w in sliders.values():
        if hasattr(w, "continuous_update"):
            w.continuous_update = continuous_update
    ui = widgets.interactive(_showing_figures(func), **sliders)
    if show:
        display(ui)
    return ui


def describe(optimizer: Any) -> str:
    """Short label of a kernel and its scalar hyper-parameters: ``GD α=0.1``, ``Momentum α=0.1 β=0.9``."""
    parts = [type(optimizer).__name__]
    for field in dataclasses.fields(optimizer):
        value = getattr(optimizer, field.name)
        if field.metadata.get("option") and value is field.default:  # a torch.optim option left at its default
            continue
        if np.ndim(value) == 0 and not callable(value) and field.name != "eps":
            parts.append(f"{_SYMBOLS.get(field.name, field.name)}={float(value):.3g}")
    return " ".join(parts)


def _outcome(run: Run) -> str:
    """``converged at step 12``, ``diverged at step 5`` or ``20 steps, f = -15.9``."""
    if run.status == "max_steps":
        return f"{run.stopped_at} steps, f = {float(run.losses[-1]):.4g}"
    return f"{run.status} at step {run.stopped_at}"


def descent_1d(
    objective: Callable,
    optimizer: Any,
    x0: Any = None,
    steps: int = 20,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    **stopping: Any,
) -> Run:
    """Run ``optimizer`` on a 1-D objective from ``x0`` (default ``objective.start``) and draw the iterates
    θ0, θ1, … on the curve (``plots.curve_1d``). ``stopping``: ``tol``, ``loss_tol`` of ``minimize``.
    """
    x0 = objective.start if x0 is None else np.atleast_1d(np.asarray(x0, dtype=float))
    run = minimize(objective, x0, optimizer, steps, **stopping)
    default = f"{describe(optimizer)}: {_outcome(run)}"
    plots.curve_1d(objective, iterates=run.trajectory, ax=ax, title=default if title is None else title, reuse=True)
    return run


def descent_2d(
    objective: Callable,
    optimizers: Any,
    x0: Any = None,
    steps: int = 200,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    equal: bool = False,
    **stopping: Any,
) -> dict[str, Run]:
    """Run each kernel of ``optimizers`` (one kernel, or a dict label → kernel) on a 2-D objective from
    ``x0`` (default ``objective.start``) and draw the paths on its contours (``plots.contour_2d``).

    Returns label → run. The legend gives each label with how its run ended.
    """
    if not isinstance(optimizers, Mapping):
        optimizers = {describe(optimizers): optimizers}
    x0 = objective.start if x0 is None else np.asarray(x0, dtype=float)
    runs = {label: minimize(objective, x0, opt, steps, **stopping) for label, opt in optimizers.items()}
    paths = {f"{label}: {_outcome(run)}": run.trajectory for label, run in runs.items()}
    plots.contour_2d(objective, trajectories=paths, ax=ax, title=title, equal=equal, reuse=True)
    return runs


def training_curve(
    model: Any,
    X: Any,
    y: Any,
    optimizer: Any,
    *,
    batch_size: int | None = None,
    epochs: int = 3,
    seed: int = 0,
    per: str = "epoch",
    reference: Mapping[str, Run] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    **train_kwargs: Any,
) -> Run:
    """Train ``model`` with ``optimizer`` in mini-batches of ``batch_size`` (``None``: full batch) and draw
    the full-data loss J after every update (``plots.loss_curves``), after the ``reference`` runs.

    ``train_kwargs`` go to ``gdcourse.train`` (``theta0``, ``tol``, ...). Returns the run.
    """
    run = train(model, X, y, optimizer, batch_size=batch_size, epochs=epochs, seed=seed, **train_kwargs)
    label = f"batch {batch_size or len(X)}, {describe(optimizer)}"
    default = f"{label}: {len(run.losses) - 1} updates, J = {float(run.losses[-1]):.4g}"
    plots.loss_curves({**(reference or {}), label: run}, per=per, ax=ax, title=default if title is None else title)
    return run
