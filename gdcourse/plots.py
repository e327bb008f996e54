"""Figures of the course: curves, contours, loss and learning-rate curves, heat maps.

Every function draws on ``ax`` (or a new figure) and returns ``(fig, ax)`` so a notebook can add to it.
Colours come from the Okabe–Ito palette (``PALETTE``, safe for colour-blind readers) in a fixed order,
so "the first run" has the same colour in every lecture; surfaces use ``viridis``.
Nothing in the computing modules imports this one: it takes arrays, objectives and runs.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib._pylab_helpers import Gcf
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm, Normalize
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import LogFormatterSciNotation

from . import _validate

__all__ = [
    "PALETTE",
    "color",
    "log_levels",
    "grid_values",
    "curve_1d",
    "contour_2d",
    "loss_curves",
    "lr_curves",
    "sweep_curve",
    "heatmap",
    "paths_and_distance",
    "schedules_and_losses",
    "Stage",
    "staged",
]

#: Okabe & Ito (2008), "Color Universal Design": blue, orange, green, vermillion, reddish purple,
#: sky blue, yellow, black. Yellow is last: it is the hardest to read on white.
PALETTE: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")

FigAx = tuple[Figure, Axes]


def color(i: int) -> str:
    """The i-th colour of ``PALETTE`` (cycling)."""
    return PALETTE[i % len(PALETTE)]


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> FigAx:
    """The given axes and its figure, or a new figure (no layout engine: the inline backend's tight
    bounding box already keeps the labels, and a layout pass would cost a slider redraw ~25 ms)."""
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
        return fig, ax
    return ax.figure, ax


class PlainLogFormatter(LogFormatterSciNotation):
    """The ticks matplotlib labels on a log axis, with the powers of ten as 10ᵏ and the ticks between them as
    plain numbers (0.6, 30, 2e-05) rather than 6×10⁻¹: narrow enough that the axis label stays on a figure's
    canvas with the default margins."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        label = super().__call__(x, pos)
        exponent = np.log10(abs(x)) if x else 0.0
        return label if not label or exponent == round(exponent) else f"{x:g}"


def _finish(ax: Axes, xlabel: str, ylabel: str, title: str, *, log_x: bool = False, log_y: bool = False) -> None:
    """Log scales where asked (ticks as plain numbers), the axis labels and title, and a legend when anything
    is labelled."""
    for log, axis, set_scale in ((log_x, ax.xaxis, ax.set_xscale), (log_y, ax.yaxis, ax.set_yscale)):
        if log:
            set_scale("log")
            axis.set_major_formatter(PlainLogFormatter())
            axis.set_minor_formatter(PlainLogFormatter(labelOnlyBase=False))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if ax.get_legend_handles_labels()[1]:
        ax.legend(fontsize="small")


def _bounds_1d(f: Any, xs: Any) -> np.ndarray:
    """Grid of θ: ``xs`` itself, or 400 points over ``xs = (lo, hi)`` or over ``f.bounds``."""
    if xs is None:
        xs = getattr(f, "bounds", None)
        if xs is None:
            raise ValueError("xs must be given (an array or (lo, hi)) when f has no bounds")
    arr = np.asarray(xs, dtype=float).ravel()
    if arr.size == 2:
        return np.linspace(arr[0], arr[1], 400)
    return arr


def _eval_1d(f: Callable, theta: np.ndarray) -> np.ndarray:
    """f at the points θ (shape (n,)): objectives take points of shape (..., 1), plain functions scalars."""
    if getattr(f, "dim", None) == 1:
        return np.asarray(f(theta[:, None]), dtype=float).reshape(theta.shape)
    return np.asarray(f(theta), dtype=float).reshape(theta.shape)


def curve_1d(
    f: Callable,
    xs: Any = None,
    iterates: Any = None,
    *,
    ax: Axes | None = None,
    label: str = "iterates",
    numbered: int = 6,
    title: str | None = None,
    xlabel: str = "θ",
    ylabel: str = "f(θ)",
    i: int = 0,
    reuse: bool = False,
) -> FigAx:
    """Curve f(θ) over ``xs`` with the iterates θ0, θ1, … drawn on it, connected and numbered.

    ``xs`` is an array of θ, a pair ``(lo, hi)`` or ``None`` (use ``f.bounds``); ``iterates`` has shape
    ``(T,)`` or ``(T, 1)`` (a run's ``trajectory``). The first ``numbered`` iterates get their index,
    except where it would overlap one already drawn (within 5 % of the window: tiny steps).
    The window stays on the curve: iterates that leave it (a diverging run) are off the picture.
    The curve's legend entry is ``f.formula`` (or ``f.name``) when ``f`` has one.
    ``reuse=True`` (for sliders, with ``ax=None``): as in ``contour_2d``, the figure of an earlier call is
    reused once shown and closed, and only the iterates, their numbers, the legend and the title redrawn.
    """
    theta = _bounds_1d(f, xs)
    title = title if title is not None else getattr(f, "name", "f(θ)")

    def background(ax: Axes) -> None:
        fx = _eval_1d(f, theta)
        curve_label = getattr(f, "formula", None) or getattr(f, "name", None) or "f(θ)"
        ax.plot(theta, fx, color="0.35", lw=1.5, label=curve_label)
        pad = 0.05 * (fx.max() - fx.min() or 1.0)
        ax.set_xlim(theta.min(), theta.max())
        ax.set_ylim(fx.min() - pad, fx.max() + pad)

    def iterates_on(ax: Axes) -> None:
        if iterates is None:
            return
        it = np.asarray(getattr(iterates, "trajectory", iterates), dtype=float).ravel()
        fit = _eval_1d(f, it)
        ax.plot(it, fit, "o-", color=color(i), ms=5, lw=1, alpha=0.9, label=label)
        fx = _eval_1d(f, theta)
        span = np.array([np.ptp(theta) or 1.0, np.ptp(fx) or 1.0])
        placed: list[np.ndarray] = []
        for k in range(min(numbered, it.size)):
            at = np.array([it[k], fit[k]]) / span  # skip a number that would sit on one already drawn
            if any(np.max(np.abs(at - p)) < 0.05 for p in placed):
                continue
            placed.append(at)
            ax.annotate(str(k), (it[k], fit[k]), textcoords="offset points", xytext=(4, 6), fontsize="x-small",
                        color=color(i))

    if reuse and ax is None:
        key = ("curve_1d", id(f), theta.tobytes(), xlabel, ylabel)
        return _staged(key, f, (6.0, 4.0), background, iterates_on, (xlabel, ylabel, title))
    fig, ax = _axes(ax, (6.0, 4.0))
    background(ax)
    iterates_on(ax)
    _finish(ax, xlabel, ylabel, title)
    return fig, ax


def log_levels(z_min: float, z_max: float, n: int = 20, depth: float = 4.0) -> np.ndarray:
    """``n`` increasing contour levels z_min + (z_max − z_min)·10^s, s evenly spaced in [−depth, 0].

    Log spacing puts as many lines near the minimum as on the walls, where a path's last steps are.
    """
    span = float(z_max) - float(z_min)
    if not np.isfinite(span) or span <= 0:
        raise ValueError(f"z_max must be > z_min, got z_min={z_min!r}, z_max={z_max!r}")
    return z_min + span * np.logspace(-depth, 0.0, n)


_GRIDS: OrderedDict[tuple, tuple[Callable, np.ndarray, np.ndarray, np.ndarray]] = OrderedDict()


def grid_values(f: Callable, bounds: Any, n: int = 200) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(X, Y, Z)`` on an n×n grid over ``bounds = ((x_lo, x_hi), (y_lo, y_hi))``, Z = f(x, y).

    One vectorized call ``f(points)`` with points of shape (n, n, 2). The result is cached per
    (f, bounds, n) — objectives are immutable — so a slider redraw does not recompute the surface.
    """
    (x_lo, x_hi), (y_lo, y_hi) = np.asarray(bounds, dtype=float)
    key = (id(f), x_lo, x_hi, y_lo, y_hi, n)
    if key in _GRIDS:
        _GRIDS.move_to_end(key)
        return _GRIDS[key][1:]
    X, Y = np.meshgrid(np.linspace(x_lo, x_hi, n), np.linspace(y_lo, y_hi, n))
    Z = np.asarray(f(np.stack([X, Y], axis=-1)), dtype=float)
    if Z.shape != X.shape:
        raise ValueError(f"f must map points of shape (n, n, 2) to values of shape (n, n), got shape {Z.shape}")
    _GRIDS[key] = (f, X, Y, Z)  # holding f keeps its id from being reused while cached
    if len(_GRIDS) > 32:
        _GRIDS.popitem(last=False)
    return X, Y, Z


def _path(value: Any) -> np.ndarray:
    """A (T, 2) path from an array or a run (its ``trajectory``)."""
    path = np.asarray(getattr(value, "trajectory", value), dtype=float)
    if path.ndim != 2 or path.shape[1] != 2:
        raise ValueError(f"a trajectory must have shape (T, 2), got shape {path.shape}")
    return path


class Stage:
    """A figure built once for a slider: its static part (axes, ticks, labels, background artists) is drawn
    once into a cached background, and each move draws only the artists it added (paths, legends, titles)
    over it.

    A slider helper reuses the stage when its figure is no longer open in pyplot (the last move was shown
    and closed) and holds nothing but its static part and the last move (``reusable``): ``begin`` removes
    the last move's artists and makes the figure current again, ``end`` records the new ones (with every
    title and legend). ``png`` renders the frame by blitting, or returns None when anything in the figure
    changed since ``end`` (then the caller draws it in full). A move that changes the axes' limits, scales
    or labels gets a new background (drawn once, then reused by the moves that keep them).
    """

    def __init__(self, fig: Figure, owner: Any) -> None:
        self.fig = fig
        self.owner = owner  # keeps alive the object whose id is in the stage's key
        self.dynamic: list[Artist] = []
        self.background: Any = None
        self._signature: tuple = ()
        self._static = set(self._children())
        fig._gdcourse_stage = self

    def _children(self) -> list[int]:
        return [id(a) for a in self.fig.get_children()] + [id(a) for ax in self.fig.axes for a in ax.get_children()]

    def _titles(self) -> list[Text]:
        """The texts a move sets rather than adds: each axes' titles and the figure's suptitle."""
        titles = [t for ax in self.fig.axes for t in (ax.title, ax._left_title, ax._right_title)]
        return titles + ([self.fig._suptitle] if self.fig._suptitle is not None else [])

    def reusable(self) -> bool:
        """Shown and closed, and nothing added to it besides the last move (a caller's extra line, say)."""
        if any(manager.canvas.figure is self.fig for manager in Gcf.get_all_fig_managers()):
            return False
        return set(self._children()) <= self._static | {id(a) for a in self.dynamic}

    def begin(self) -> None:
        """Remove the last move's artists (titles stay: a move sets them) and reopen the figure in pyplot."""
        kept = {id(t) for t in self._titles()}
        for artist in self.dynamic:
            if id(artist) not in kept:
                artist.remove()
        self.dynamic = []
        for ax in self.fig.axes:  # the data limits of what remains: an autoscaled axis fits the next move alone
            ax.relim()
        self.fig.canvas.manager = None  # a new manager and number: the old number may belong to another figure
        plt.figure(self.fig)

    def end(self) -> None:
        """Record the move: every artist added since the figure was built, and every non-empty title."""
        added = [a for a in (*self.fig.get_children(), *(c for ax in self.fig.axes for c in ax.get_children()))
                 if id(a) not in self._static]
        self.dynamic = added + [t for t in self._titles() if t.get_text() and id(t) in self._static]
        self._signature = self._sign()

    def _layout(self) -> tuple:
        """What the background depends on: size, dpi, and each axes' limits, scales and labels."""
        return (tuple(self.fig.get_size_inches()), self.fig.dpi,
                tuple((ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale(), ax.get_xlabel(),
                       ax.get_ylabel(), ax.get_visible()) for ax in self.fig.axes))

    def _sign(self) -> tuple:
        """What must not change between ``end`` and ``png`` for the move's artists to be the frame's."""
        return (self._children(), self._layout(), tuple(a.get_visible() for a in self.dynamic))

    def png(self) -> bytes | None:
        """The frame as PNG: the background restored and the move's artists drawn over it (by zorder)."""
        if self._sign() != self._signature:
            return None
        canvas = self.fig.canvas
        layout = (canvas.get_width_height(), self._layout())
        # the axes' frames are drawn with the move, in zorder, so a filled map stays under them
        overlay = self.dynamic + [s for ax in self.fig.axes if ax.get_visible() for s in ax.spines.values()
                                  if s.get_visible()]
        if self.background is None or self.background[0] != layout:
            # hide the overlay; a title is emptied instead (an invisible one would be moved by the axes'
            # automatic title placement, which measures it)
            texts = [a.get_text() if isinstance(a, Text) else None for a in overlay]
            visible = [a.get_visible() for a in overlay]
            for artist, text in zip(overlay, texts):
                if text is None:
                    artist.set_visible(False)
                else:
                    artist.set_text("")
            canvas.draw()
            self.background = (layout, canvas.copy_from_bbox(self.fig.bbox))
            for artist, text, shown in zip(overlay, texts, visible):
                if text is None:
                    artist.set_visible(shown)
                else:
                    artist.set_text(text)
        else:
            canvas.restore_region(self.background[1])
        renderer = canvas.get_renderer()
        for artist in sorted(overlay, key=lambda a: a.get_zorder()):
            if artist.get_visible():
                artist.draw(renderer)
        buffer = io.BytesIO()
        plt.imsave(buffer, np.asarray(canvas.buffer_rgba()), format="png", dpi=self.fig.dpi,
                   pil_kwargs={"compress_level": 1})
        return buffer.getvalue()


_STAGES: OrderedDict[Hashable, Stage] = OrderedDict()


def staged(key: Hashable, build: Callable[[], Figure], move: Callable[[Figure], Any], owner: Any = None) -> Figure:
    """A slider's figure, built once: ``build()`` makes the figure and its static part (axes, scales,
    limits, labels, artists that never change), ``move(fig)`` adds what the slider changes (lines, images,
    legends) and sets the titles. The figure of ``key`` is reused once it has been shown and closed and
    holds nothing else (a ``Stage``): the last move's artists are removed and ``move`` draws the new ones,
    which ``widgets.figure_png`` blits over the cached background. A figure still open is never reused.

    Fix the limits in ``build`` (``set_xlim``, ``set_ylim``) where a move must not rescale the axes: a move
    that changes them still gets a correct frame, but redraws the background. ``owner``: an object whose id
    is part of ``key``, kept alive with the figure. Returns the figure, current in pyplot.
    """
    stage = _STAGES.get(key)
    if stage is None or not stage.reusable():
        stage = _STAGES[key] = Stage(build(), owner)
        if len(_STAGES) > 8:
            _STAGES.popitem(last=False)
    else:
        stage.begin()
        _STAGES.move_to_end(key)
    move(stage.fig)
    stage.end()
    return stage.fig


def _staged(key: tuple, owner: Any, figsize: tuple[float, float], background: Callable[[Axes], None],
            dynamic: Callable[[Axes], None], labels: tuple[str, str, str]) -> FigAx:
    """``staged`` for a one-axes figure of ``figsize``: ``background(ax)`` once, then ``dynamic(ax)`` and
    the labels, title and legend of ``_finish`` per move."""

    def build() -> Figure:
        fig, ax = _axes(None, figsize)
        background(ax)
        return fig

    def move(fig: Figure) -> None:
        dynamic(fig.axes[0])
        _finish(fig.axes[0], *labels)

    fig = staged(key, build, move, owner)
    return fig, fig.axes[0]


def _contour_background(ax: Axes, f: Callable, bounds: Any, levels: Any, n: int, mark_minima: bool,
                        equal: bool) -> None:
    """The static part of ``contour_2d``: contours, minima, limits and aspect."""
    X, Y, Z = grid_values(f, bounds, n)
    if np.ndim(levels) == 0:
        levels = log_levels(np.nanmin(Z), np.nanmax(Z), int(levels))
    ax.contour(X, Y, Z, levels=levels, cmap="viridis", linewidths=0.8)
    minima = np.asarray(getattr(f, "minima", np.empty((0, 2))), dtype=float).reshape(-1, 2)
    if mark_minima and len(minima):  # a saddle has none
        ax.plot(minima[:, 0], minima[:, 1], "*", color="black", ms=12, ls="none", label="minimum")
    ax.set_xlim(X[0, 0], X[0, -1])
    ax.set_ylim(Y[0, 0], Y[-1, 0])
    if equal:
        ax.set_aspect("equal")


def _draw_paths(ax: Axes, trajectories: Any) -> None:
    """Each path in its palette colour, dots at the iterates, a hollow circle at its start."""
    if trajectories is None:
        return
    if not isinstance(trajectories, Mapping):
        trajectories = {"path": trajectories}
    for i, (name, value) in enumerate(trajectories.items()):
        path = _path(value)
        ax.plot(path[:, 0], path[:, 1], ".-", color=color(i), ms=4, lw=1.2, label=name)
        ax.plot(path[0, 0], path[0, 1], "o", mfc="none", mec=color(i), ms=9)


def contour_2d(
    f: Callable,
    bounds: Any = None,
    trajectories: Any = None,
    *,
    levels: int | Sequence[float] = 20,
    ax: Axes | None = None,
    title: str | None = None,
    xlabel: str = "x₁",
    ylabel: str = "x₂",
    equal: bool = False,
    n: int = 200,
    mark_minima: bool = True,
    reuse: bool = False,
) -> FigAx:
    """Contours of f over ``bounds`` (default ``f.bounds``) with log-spaced levels, minima and paths.

    ``trajectories`` is one (T, 2) array or run, or a dict label → (T, 2) array or run; each path is
    drawn in its palette colour, dots at the iterates, a hollow circle at its start. ``equal=True``
    keeps one unit the same length on both axes (to see how elongated the level sets really are).
    ``reuse=True`` (for sliders, with ``ax=None``): the figure of an earlier call with the same f and
    options is reused once it has been shown and closed, and only the paths, legend and title are
    redrawn (a ``Stage``); a figure still open is never reused.
    """
    bounds = getattr(f, "bounds", None) if bounds is None else bounds
    if bounds is None:
        raise ValueError("bounds must be given as ((x_lo, x_hi), (y_lo, y_hi)) when f has no bounds")
    title = title if title is not None else getattr(f, "name", "f(x₁, x₂)")
    if reuse and ax is None:
        key = ("contour_2d", id(f), repr(bounds), repr(levels), xlabel, ylabel, equal, n, mark_minima)
        return _staged(key, f, (6.0, 4.8), lambda ax: _contour_background(ax, f, bounds, levels, n, mark_minima, equal),
                       lambda ax: _draw_paths(ax, trajectories), (xlabel, ylabel, title))
    fig, ax = _axes(ax, (6.0, 4.8))
    _contour_background(ax, f, bounds, levels, n, mark_minima, equal)
    _draw_paths(ax, trajectories)
    _finish(ax, xlabel, ylabel, title)
    return fig, ax


def _two_panels(figsize: tuple[float, float]) -> Figure:
    """Two axes side by side, with margins that hold their labels (a reused figure is not cropped)."""
    fig, _ = plt.subplots(1, 2, figsize=figsize)
    fig.subplots_adjust(left=0.8 / figsize[0], right=1 - 0.2 / figsize[0], wspace=0.28)
    return fig


def paths_and_distance(
    f: Callable,
    window: Any,
    paths: Mapping[str, Any],
    target: Any,
    *,
    per: int = 1,
    last: int | None = None,
    n: int = 100,
    xlabel: str = "x₁",
    ylabel: str = "x₂",
    dist_lim: tuple[float, float] | None = None,
    reuse: bool = False,
) -> tuple[Figure, tuple[Axes, Axes]]:
    """Where runs end up: left, the last ``last`` steps of each path (label → (T + 1, 2) array) on the
    contours of f over ``window`` with the ``target`` θ* as a star; right, ‖θ − θ*‖ after every step on a
    log scale, against the step / ``per`` (``per`` = steps per epoch: x in epochs).

    ``dist_lim`` fixes the right panel's y-limits (a slider: the range over all its runs, so the axis
    stays still and is drawn once); ``reuse=True`` builds the figure once per f, window and options
    (``staged``) and redraws only the paths, curves and legends.
    """
    target = np.asarray(target, dtype=float)
    steps = {len(_path(p)) for p in paths.values()}
    if len(steps) != 1:
        raise ValueError(f"paths must all have the same number of steps, got lengths {sorted(steps)}")
    (T,) = steps
    last = T if last is None else _validate.positive_int("last", last)
    unit = "epoch" if per != 1 else "step"

    def build() -> Figure:
        fig = _two_panels((12.0, 4.2))
        left, right = fig.axes
        _contour_background(left, f, window, 20, n, False, False)
        left.set(xlabel=xlabel, ylabel=ylabel)
        right.set(yscale="log", xlim=(0, (T - 1) / per), xlabel=unit, ylabel="‖θ − θ*‖")
        if dist_lim is not None:
            right.set_ylim(*dist_lim)
        return fig

    def move(fig: Figure) -> None:
        left, right = fig.axes
        _draw_paths(left, {name: _path(p)[-last:] for name, p in paths.items()})
        left.plot(*target, "*", color="black", ms=14)  # over the paths
        for i, (name, p) in enumerate(paths.items()):
            right.plot(np.arange(T) / per, np.linalg.norm(_path(p) - target, axis=-1), color=color(i), lw=1, label=name)
        _finish(left, xlabel, ylabel, f"The last {last / per:g} {unit}s near θ* (★)")
        _finish(right, unit, "‖θ − θ*‖", "Distance to the optimum")

    if reuse:
        key = ("paths_and_distance", id(f), repr(window), target.tobytes(), T, per, last, n, xlabel, ylabel, dist_lim)
        fig = staged(key, build, move, owner=f)
    else:
        fig = build()
        move(fig)
    return fig, tuple(fig.axes)


def schedules_and_losses(
    lrs: Mapping[str, Any],
    losses: Mapping[str, Any],
    *,
    lr_title: str = "Learning rate α per step",
    loss_title: str = "Loss per step",
    loss_label: str = "loss",
    floor: float = 1e-16,
    loss_lim: tuple[float, float] | None = None,
    reuse: bool = False,
) -> tuple[Figure, tuple[Axes, Axes]]:
    """Schedules and what they do: left, α per step of each schedule (label → array); right, the loss
    after every step of the run it drives (label → array, same labels), on a log scale floored at
    ``floor`` (a loss of exactly 0 stays on the picture).

    ``loss_lim`` fixes the right panel's y-limits (a slider: the axis stays still and is drawn once);
    ``reuse=True`` builds the figure once per set of options (``staged``) and redraws only the curves,
    legends and titles.
    """
    if list(lrs) != list(losses):
        raise ValueError(f"lrs and losses must have the same labels, got {list(lrs)} and {list(losses)}")
    _validate.positive("floor", floor)

    def build() -> Figure:
        fig = _two_panels((12.0, 4.0))
        left, right = fig.axes
        right.set_yscale("log")
        if loss_lim is not None:
            right.set_ylim(*loss_lim)
        return fig

    def move(fig: Figure) -> None:
        left, right = fig.axes
        for i, name in enumerate(lrs):
            left.plot(np.asarray(lrs[name], dtype=float), color=color(i), label=name)
            right.plot(np.maximum(np.asarray(losses[name], dtype=float), floor), color=color(i), label=name)
        _finish(left, "step", "α", lr_title)
        _finish(right, "step", loss_label, loss_title)

    if reuse:  # one figure per number of curves and options; the labels change with the slider
        fig = staged(("schedules_and_losses", len(lrs), floor, loss_lim), build, move)
    else:
        fig = build()
        move(fig)
    return fig, tuple(fig.axes)


def _loss_xy(value: Any, per: str) -> tuple[np.ndarray, np.ndarray]:
    """(x, loss) from an array of losses (x = 0, 1, ...) or a run (its ``losses`` after 0, 1, ... steps).

    A training run per epoch: step s sits at epoch e + (fraction of epoch e's steps done), found from
    the last step of each epoch in its history, so a mini-batch run shows its noise between epochs.
    """
    losses = getattr(value, "losses", None)
    if losses is None:
        y = np.asarray(value, dtype=float).ravel()
        return np.arange(y.size, dtype=float), y
    y = np.asarray(losses, dtype=float)
    if y.ndim != 1:
        raise ValueError(f"a run in loss_curves must be one run (losses of shape (T + 1,)), got shape {y.shape}")
    x = np.arange(y.size, dtype=float)
    history = value.history
    if per == "epoch" and "iteration" in history.columns:  # a train() run; minimize() counts steps as epochs
        ends = history.groupby("epoch", sort=True)["step"].max().to_numpy(dtype=float)
        x = np.interp(x, np.concatenate([[0.0], ends]), np.arange(ends.size + 1, dtype=float))
    return x, y


def loss_curves(
    curves: Mapping[str, Any],
    *,
    per: str = "iteration",
    log: bool = True,
    ax: Axes | None = None,
    title: str = "Loss during training",
    ylabel: str = "loss",
) -> FigAx:
    """One loss curve per entry of ``curves`` (label → array of losses, or a run).

    A run contributes ``run.losses``: the loss (on the full data, for ``train``) after 0, 1, 2, … steps.
    ``per="iteration"`` puts them at x = number of updates; ``per="epoch"`` at x = passes over the data
    (fractional inside an epoch), so full-batch, mini-batch and stochastic runs compare per epoch.
    An array is drawn at x = 0, 1, 2, … whichever ``per`` says.
    ``log=True`` uses a log scale for the loss and needs every loss > 0 (plot loss − f_min otherwise).
    """
    if per not in ("iteration", "epoch"):
        raise ValueError(f"per must be 'iteration' or 'epoch', got {per!r}")
    fig, ax = _axes(ax, (6.0, 4.0))
    for i, (name, value) in enumerate(curves.items()):
        x, y = _loss_xy(value, per)
        if log and not (y[np.isfinite(y)] > 0).all():
            raise ValueError(f"log=True needs losses > 0, curve {name!r} has {y.min():.4g}; "
                             "plot loss − f_min or pass log=False")
        ax.plot(x, y, color=color(i), lw=1.3, label=name)
    _finish(ax, per, ylabel, title, log_y=log)
    return fig, ax


def lr_curves(
    curves: Mapping[str, Any],
    *,
    steps: int = 100,
    log: bool = False,
    ax: Axes | None = None,
    title: str = "Learning rate over training",
    xlabel: str = "step",
) -> FigAx:
    """Learning rate α_t per entry of ``curves``: label → array of α values, or a schedule.

    A schedule (a callable, vectorized over step indices) is drawn at t = 0, 1, …, steps − 1.
    """
    fig, ax = _axes(ax, (6.0, 4.0))
    for i, (name, value) in enumerate(curves.items()):
        lr = np.asarray(value(np.arange(steps)) if callable(value) else value, dtype=float).ravel()
        ax.plot(np.arange(lr.size), lr, color=color(i), lw=1.5, label=name)
    _finish(ax, xlabel, "learning rate α", title, log_y=log)
    return fig, ax


def sweep_curve(
    x: Any,
    y: Any,
    *,
    xlabel: str,
    ylabel: str,
    title: str,
    diverged: Any = None,
    vlines: Mapping[str, float] | None = None,
    label: str | None = None,
    log_x: bool = True,
    log_y: bool = True,
    ax: Axes | None = None,
) -> FigAx:
    """A quantity ``y`` against one hyper-parameter ``x`` (e.g. the final loss against α).

    ``diverged`` (a boolean mask like ``run.status == "diverged"``) leaves those points off the curve and
    marks their x with crosses along the bottom edge; ``vlines`` maps a label to a special x (e.g. 2/L),
    drawn as a dashed vertical line. With 20 points or fewer every point gets a marker.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"x and y must be 1-D arrays of the same length, got shapes {x.shape} and {y.shape}")
    bad = np.zeros(x.shape, dtype=bool) if diverged is None else np.asarray(diverged, dtype=bool)
    fig, ax = _axes(ax, (6.0, 4.0))
    ax.plot(x, np.where(bad, np.nan, y), "o-" if x.size <= 20 else "-", color=color(0), ms=5, lw=1.5, label=label)
    if bad.any():
        ax.plot(x[bad], np.full(bad.sum(), 0.03), "x", color=color(3), transform=ax.get_xaxis_transform(),
                label="diverged")
    for i, (name, value) in enumerate((vlines or {}).items()):
        ax.axvline(value, color=color(i + 1), ls="--", lw=1.2, label=name)
    _finish(ax, xlabel, ylabel, title, log_x=log_x, log_y=log_y)
    return fig, ax


def _edges(centres: np.ndarray, log: bool) -> np.ndarray:
    """Cell edges halfway between centres (geometrically halfway on a log axis)."""
    c = np.log10(centres) if log else centres
    if c.size == 1:
        e = np.array([c[0] - 0.5, c[0] + 0.5])
    else:
        mid = (c[1:] + c[:-1]) / 2
        e = np.concatenate([[2 * c[0] - mid[0]], mid, [2 * c[-1] - mid[-1]]])
    return 10**e if log else e


def heatmap(
    values: Any,
    x: Any,
    y: Any,
    *,
    xlabel: str,
    ylabel: str,
    title: str,
    cbar_label: str = "",
    log_x: bool = False,
    log_y: bool = False,
    log_color: bool = False,
    markers: Mapping[str, tuple[float, float]] | None = None,
    ax: Axes | None = None,
) -> FigAx:
    """Heat map of ``values[j, i]`` = quantity at (x[i], y[j]) over a hyper-parameter grid.

    Non-finite cells (diverged runs) are drawn grey. ``markers`` maps a label to a special point (x, y),
    e.g. the theoretical optimum, drawn over the map with a legend entry.
    """
    v = np.ma.masked_invalid(np.asarray(values, dtype=float))
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if v.shape != (y.size, x.size):
        raise ValueError(f"values must have shape (len(y), len(x)) = {(y.size, x.size)}, got shape {v.shape}")
    fig, ax = _axes(ax, (6.0, 4.8))
    cmap = plt.get_cmap("viridis").with_extremes(bad="0.8")
    norm = LogNorm() if log_color else Normalize()
    mesh = ax.pcolormesh(_edges(x, log_x), _edges(y, log_y), v, cmap=cmap, norm=norm)
    fig.colorbar(mesh, ax=ax, label=cbar_label)
    for i, (name, (mx, my)) in enumerate((markers or {}).items()):
        ax.plot(mx, my, "*^sDPX"[i % 6], color=color(i + 3), mec="white", ms=12, ls="none", label=name)
    _finish(ax, xlabel, ylabel, title, log_x=log_x, log_y=log_y)
    return fig, ax
