"""The loops. First the textbook loop itself (``unroll``)::

    θ, state = θ0, optimizer.init(θ0)
    for t in range(steps):
        g = grad(θ)
        θ, state = optimizer.step(θ, g, state)

then that loop with stopping rules and a history, on an objective (``minimize``) or on a model and a data
set in mini-batches (``train``). Both return a ``Run``: the trajectory, a pandas history, and how each run
ended. The loop is a loop over time steps only; everything inside a step is numpy over the runs. Parameters
may carry leading batch axes (K runs, e.g. K learning rates as ``lr`` of shape (K, 1)), and each run stops
on its own:

* diverged: the loss (or the gradient, or the kernel's state) is no longer finite, or exceeds
  ``max_loss_ratio`` × max(|initial loss|, 1) (the floor 1 keeps a loss that starts near 0, as x·cos(cx) at
  x = 10 does, from counting every later rise as an explosion). The run is frozen at its last point with a finite,
  acceptable loss; the kernel never sees the bad point, and no numpy RuntimeWarning is emitted on the way.
* converged: the gradient norm ‖∇J‖ falls below ``tol``, or the loss changes by less than ``loss_tol``
  between two checks. The run is frozen there.
* max_steps: the budget ran out.

The loop ends early once every run has stopped. ``sweep_lr`` runs K learning rates as one batched run and
tabulates how each ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, NamedTuple

import numpy as np
import pandas as pd

from . import _validate
from .batching import minibatches
from .schedules import BoldDriver

__all__ = ["Unrolled", "unroll", "Run", "minimize", "train", "sweep_lr"]


# --------------------------------------------------------------------------- the textbook loop


class Unrolled(NamedTuple):
    """Every iterate and every state of an unrolled kernel.

    params  θ_0 … θ_T, shape (T + 1, *θ.shape)
    states  the kernel's state type with every field stacked over time, e.g. ``states.v`` of shape
            (T + 1, *θ.shape) and ``states.t`` = 0, 1, …, T
    """

    params: np.ndarray
    states: Any


def unroll(
    optimizer: Any,
    x0: Any,
    grad: Callable[[int, np.ndarray], Any] | Any,
    steps: int,
    *,
    bounds: tuple[float, float] | None = None,
) -> Unrolled:
    """The descent loop, keeping every θ_t and state s_t: for t = 0, …, steps − 1, g_t = grad(t, θ_t) and
    θ_{t+1}, s_{t+1} = optimizer.step(θ_t, g_t, s_t).

    ``grad`` is a function ``grad(t, θ_t)`` (``lambda t, θ: f.grad(θ)`` for a fixed objective f, or an
    online loss f_t that changes with t), or an array whose first axis is t: the stream g_0, g_1, … (each
    g_t broadcast to the shape of θ), which does not depend on θ, e.g. a noisy series whose running average
    momentum's velocity computes. ``bounds = (lo, hi)``: after each step θ is projected onto the box
    [lo, hi] (the feasible set of online convex optimisation). ``x0`` has the shape of θ, batch axes
    included. No stopping rule: ``minimize`` is this loop with stopping and a history.
    """
    steps = _validate.positive_int("steps", steps)
    θ = np.array(_validate.finite("x0", np.asarray(x0, dtype=float)))
    if bounds is not None:
        lo, hi = (float(b) for b in bounds)
        if not lo < hi:
            raise ValueError(f"bounds must be (lo, hi) with lo < hi, got {bounds!r}")
    if not callable(grad):
        stream = _validate.finite("grad", np.asarray(grad, dtype=float))
        if stream.ndim == 0 or stream.shape[0] < steps:
            raise ValueError(f"grad must hold at least steps = {steps} gradients on its first axis, "
                             f"got shape {stream.shape}")
    gradient = grad if callable(grad) else lambda t, _: stream[t]
    state = optimizer.init(θ)
    params, states = [θ], [state]
    for t in range(steps):
        g = np.broadcast_to(gradient(t, θ), θ.shape)
        θ, state = optimizer.step(θ, g, state)
        if bounds is not None:
            θ = np.clip(θ, lo, hi)
        params.append(θ)
        states.append(state)
    stacked = type(state)(*(np.stack([np.asarray(v) for v in field]) for field in zip(*states)))
    return Unrolled(np.stack(params), stacked)


# --------------------------------------------------------------------------- the loop with stopping and history


@dataclass(frozen=True, eq=False)
class Run:
    """The record of one run, or of K runs at once (leading batch axes ``*batch``).

    trajectory  parameters after each step, shape (T + 1, *batch, d); a stopped run repeats its last point
    losses      the loss at each row of the trajectory, shape (T + 1, *batch)
    history     pandas DataFrame, one row per step taken (long format, with a ``run`` column when batched)
    status      "converged", "diverged" or "max_steps" (an array of str with shape ``batch`` when batched)
    stopped_at  the step at which each run stopped (int, or an int array): converged, the step whose point
                met the tolerance; diverged, the step whose loss was bad (the run stays at the point before);
                max_steps, the budget
    message     one readable sentence per run, e.g. "diverged at step 37: loss 3.1e+12 exceeded 1e+06 ×
                the initial loss"
    """

    trajectory: np.ndarray
    losses: np.ndarray
    history: pd.DataFrame
    status: str | np.ndarray
    stopped_at: int | np.ndarray
    message: str | np.ndarray

    @property
    def final(self) -> np.ndarray:
        """The last parameters of every run, shape (*batch, d)."""
        return self.trajectory[-1]

    def __repr__(self) -> str:
        batch = self.trajectory.shape[1:-1]
        head = f"Run(T={self.trajectory.shape[0] - 1}, batch={batch}, d={self.trajectory.shape[-1]})"
        return head + ": " + (self.message if isinstance(self.message, str) else "; ".join(self.message.ravel()))


class _Monitor:
    """Who is still running, who stopped when and why; the messages at the end."""

    def __init__(self, loss0: np.ndarray, max_loss_ratio: float, tol: float | None, loss_tol: float | None):
        self.batch = loss0.shape
        self.ratio, self.tol, self.loss_tol = max_loss_ratio, tol, loss_tol
        self.limit = max_loss_ratio * np.maximum(np.abs(loss0), 1.0)
        self.floored = np.abs(loss0) < 1.0  # the limit is max_loss_ratio × 1, not × |initial loss|
        self.active = np.ones(self.batch, dtype=bool)
        self.status = np.full(self.batch, "max_steps", dtype="<U9")
        self.stopped_at = np.zeros(self.batch, dtype=int)
        self.reason = np.full(self.batch, "", dtype=object)

    def _stop(self, mask: np.ndarray, step: int, status: str, describe: Callable[..., str], *values: Any) -> None:
        """Stop the runs in ``mask`` at ``step``; each reason is ``describe`` of that run's ``values``
        (formatted for the stopping runs only: a grid of 10⁴ runs stops a few at a time)."""
        self.status[mask] = status
        self.stopped_at[mask] = step
        picked = (np.broadcast_to(v, self.batch)[mask] for v in values)
        self.reason[mask] = np.array([describe(*row) for row in zip(*picked)], dtype=object)
        self.active &= ~mask

    def diverged(self, step: int, loss: np.ndarray, params: np.ndarray, grad: np.ndarray | None = None,
                 state: Any = None) -> None:
        """Stop the active runs whose new point is bad: loss (or gradient, or parameters, or the kernel's
        state) not finite, or loss above max_loss_ratio × max(|initial loss|, 1)."""
        finite = np.isfinite(loss) & np.isfinite(params).all(axis=-1)
        if grad is not None:
            finite &= np.isfinite(grad).all(axis=-1)
        state_ok = _finite_per_run(state, self.batch)
        with np.errstate(invalid="ignore"):
            exploded = finite & (loss > self.limit)
        bad = self.active & (~(finite & state_ok) | exploded)
        if bad.any():
            self._stop(bad, step, "diverged", self._divergence, loss, exploded, self.floored, state_ok)

    def _divergence(self, loss: float, exploded: bool, floored: bool, state_ok: bool = True) -> str:
        if not state_ok:  # e.g. g² overflowed in an adaptive kernel: that coordinate would never move again
            return f"the optimizer's state is not finite (loss {loss:.2g})"
        if not exploded:
            return f"loss {loss:.2g} or its gradient is not finite"
        limit = "max(|initial loss|, 1)" if floored else "the initial loss"
        return f"loss {loss:.2g} exceeded {self.ratio:.0e} × {limit}"

    def converged(self, step: int, grad_norm: np.ndarray | None, dloss: np.ndarray | None) -> None:
        """Stop active runs whose gradient norm is below tol or whose |Δloss| is below loss_tol."""
        if self.tol is not None and grad_norm is not None:
            done = self.active & (grad_norm < self.tol)
            if done.any():
                self._stop(done, step, "converged", lambda v: f"gradient norm {v:.2g} < tol {self.tol:g}", grad_norm)
        if self.loss_tol is not None and dloss is not None:
            done = self.active & (np.abs(dloss) < self.loss_tol)
            if done.any():
                self._stop(done, step, "converged", lambda v: f"|Δloss| {v:.2g} < loss_tol {self.loss_tol:g}",
                           np.abs(dloss))

    def finish(self, step: int, loss: np.ndarray, budget: str) -> None:
        """Every run still active has used up the budget."""
        self._stop(self.active.copy(), step, "max_steps", lambda v: f"{budget} used up, loss {v:.4g}", loss)

    def outcome(self) -> tuple[Any, Any, Any]:
        """(status, stopped_at, message), scalars for an unbatched run."""
        message = np.array(
            [f"{s} at step {n}: {r}" if s != "max_steps" else f"max_steps: {r}"
             for s, n, r in zip(self.status.ravel(), self.stopped_at.ravel(), self.reason.ravel())]
        ).reshape(self.batch)
        if self.batch == ():
            return str(self.status), int(self.stopped_at), str(message)
        return self.status, self.stopped_at, message


def _finite_per_run(state: Any, batch: tuple[int, ...]) -> np.ndarray:
    """Per run: is every array of a kernel's state finite? (True where a field has no run axes.)"""
    ok = np.ones(batch, dtype=bool)
    for value in state[1:] if state is not None else ():
        finite = np.isfinite(np.asarray(value, dtype=float))
        if finite.ndim > len(batch):
            finite = finite.all(axis=tuple(range(len(batch), finite.ndim)))
        ok &= finite
    return ok


def _check_stopping(tol: float | None, loss_tol: float | None, max_loss_ratio: float) -> None:
    if tol is not None:
        _validate.positive("tol", tol)
    if loss_tol is not None:
        _validate.positive("loss_tol", loss_tol)
    _validate.in_interval("max_loss_ratio", max_loss_ratio, 1.0, np.inf, low_closed=False, high_closed=False)


def _keep(mask: np.ndarray, new: Any, old: Any) -> Any:
    """Where ``mask`` (shape batch), the new value; elsewhere the old. Works on arrays and on states.

    One run (mask of shape ()) keeps or replaces the whole state, its step counter t included; in a
    batched run t is shared by the runs and always advances.
    """
    if np.ndim(mask) == 0:
        return new if mask else old
    if isinstance(new, tuple) and hasattr(new, "_fields"):
        return type(new)(*(_keep(mask, n, o) for n, o in zip(new, old)))
    if isinstance(new, (np.ndarray, np.generic)) and np.shape(new)[: mask.ndim] == mask.shape:
        return np.where(mask.reshape(mask.shape + (1,) * (np.ndim(new) - mask.ndim)), new, old)
    return new  # the shared step counter t and anything without a run axis


def _lr_per_run(lr: Any, batch: tuple[int, ...]) -> np.ndarray:
    """α per run for the history: α itself, or the mean over the coordinates of a per-coordinate α."""
    lr = np.asarray(lr, dtype=float)
    if lr.ndim and lr.shape[-1] > 1:  # one α per coordinate: their mean, as Σ(α/d) so that it cannot overflow
        lr = np.sum(lr / lr.shape[-1], axis=-1, keepdims=True)
    return _as_batch(lr[..., 0] if lr.ndim else lr, batch)


def _as_batch(value: Any, batch: tuple[int, ...]) -> Any:
    """``value`` with the runs' shape: as it is when it has it already (the common case, per step); a
    number filled in (``np.full``, cheaper than ``np.broadcast_to`` on every step); else broadcast."""
    shape = np.shape(value)
    if shape == batch:
        return value
    return np.full(batch, value) if shape == () else np.broadcast_to(value, batch)


class _History:
    """The history recorder: one row per recorded step and run, in the long format of ``Run.history``."""

    def __init__(self, names: Iterable[str], batch: tuple[int, ...]):
        self.columns: dict[str, list[Any]] = {name: [] for name in names}
        self.recorded: list[np.ndarray] = []
        self.batch = batch

    def add(self, recorded: np.ndarray, *values: Any) -> None:
        """One step: its values (in the order of the names, each a number or of the runs' shape) and which
        runs it records (``recorded``, a copy of the active mask)."""
        self.recorded.append(recorded)
        for column, value in zip(self.columns.values(), values):
            column.append(_as_batch(value, self.batch))

    def frame(self) -> pd.DataFrame:
        """Long-format DataFrame; rows where ``recorded`` is True, run-major (all steps of run 0 first)."""
        run = ["run"] if self.batch != () else []
        if not self.recorded:
            return pd.DataFrame({name: [] for name in run + list(self.columns)})
        n = len(self.recorded)
        keep = np.stack(self.recorded).reshape(n, -1).T.ravel()
        data = {name: np.stack(values).reshape(n, -1).T.ravel()[keep] for name, values in self.columns.items()}
        if run:
            data = {"run": np.repeat(np.arange(int(np.prod(self.batch))), n)[keep], **data}
        return pd.DataFrame(data)


def minimize(
    objective: Callable[[np.ndarray], np.ndarray],
    x0: Any,
    optimizer: Any,
    steps: int,
    *,
    tol: float | None = None,
    loss_tol: float | None = None,
    max_loss_ratio: float = 1e6,
) -> Run:
    """Run ``optimizer`` on ``objective`` from ``x0`` for at most ``steps`` steps: x_{k+1} = step(x_k, ∇f(x_k)).

    ``x0`` has shape (..., d); it is broadcast against the kernel's array hyper-parameters, so one start
    point with ``lr`` of shape (K, 1) is K runs. History rows: step k, epoch (= k: each step sees the
    whole objective), lr α_k (the step size used from x_k), loss f(x_k), grad_norm ‖∇f(x_k)‖.
    Stops a run when ‖∇f(x_k)‖ < tol, when |f(x_k) − f(x_{k−1})| < loss_tol, or when f(x_k) is not
    finite or exceeds max_loss_ratio × max(|f(x_0)|, 1) (then it stays at x_{k−1}).
    """
    _validate.positive_int("steps", steps)
    _check_stopping(tol, loss_tol, max_loss_ratio)
    x0 = _validate.finite("x0", np.asarray(x0, dtype=float))
    x = np.array(np.broadcast_to(x0, optimizer.runs_shape(x0.shape)))
    with np.errstate(all="ignore"):
        loss, grad = objective(x), objective.grad(x)
    _validate.finite("the initial loss f(x0)", loss)
    _validate.finite("the initial gradient", grad)
    monitor = _Monitor(loss, max_loss_ratio, tol, loss_tol)
    history = _History(["step", "epoch", "lr", "loss", "grad_norm"], monitor.batch)
    state = optimizer.init(x)
    trajectory, losses = [x], [loss]
    for k in range(steps + 1):
        # x_k: record it, stop the runs that converged there (or used up the budget)
        with np.errstate(over="ignore"):
            grad_norm = np.linalg.norm(grad, axis=-1)
        history.add(monitor.active.copy(), k, k, _lr_per_run(optimizer.lr_at(state), monitor.batch), loss, grad_norm)
        monitor.converged(k, grad_norm, loss - losses[-2] if k else None)
        if k == steps:
            monitor.finish(k, loss, f"budget of {steps} steps")
        if not monitor.active.any():
            break
        # the textbook step on the active runs; a run whose new point (or state) is bad stays at x_k
        active = monitor.active.copy()
        with np.errstate(all="ignore"):  # an overflowing step is caught just below
            new_x, new_state = optimizer.step(x, np.where(active[..., None], grad, 0.0), state)
            new_loss, new_grad = objective(new_x), objective.grad(new_x)
        monitor.diverged(k + 1, new_loss, new_x, new_grad, new_state)
        ok = active & monitor.active
        x, loss, grad, state = (_keep(ok, new, old) for new, old in
                                ((new_x, x), (new_loss, loss), (new_grad, grad), (new_state, state)))
        trajectory.append(x)
        losses.append(loss)
    status, stopped_at, message = monitor.outcome()
    return Run(np.stack(trajectory), np.stack(losses), history.frame(), status, stopped_at, message)


def _epoch_ends(records: Iterable[Any]) -> Iterable[tuple[Any, bool]]:
    """Pair each batch record with "is it the last batch of its epoch?" (looks one record ahead)."""
    records = iter(records)
    current = next(records, None)
    for following in records:
        yield current, following.epoch != current.epoch
        current = following
    if current is not None:
        yield current, True


def train(
    model: Any,
    X: Any,
    y: Any,
    optimizer: Any,
    *,
    epochs: int,
    batch_size: int | None = None,
    seed: int = 0,
    theta0: Any = None,
    tol: float | None = None,
    loss_tol: float | None = None,
    max_loss_ratio: float = 1e6,
    record: str = "step",
    controller: BoldDriver | None = None,
) -> Run:
    """Mini-batch training: for each batch B of each epoch, θ ← step(θ, ∇J_B(θ)).

    Batches come from ``batching.minibatches(m, batch_size, epochs=epochs, seed=seed)`` (reshuffled every
    epoch; ``batch_size=None`` is full-batch descent, one step per epoch). θ0 is ``model.init_params(seed)``
    unless given; θ of shape (K, P), or θ0 of shape (P,) with ``lr`` of shape (K, 1), is K runs on the same
    batches. ``run.losses`` holds the full-data loss J(θ_s) after every step s.

    History (``record="step"``), one row per step s = 1, 2, ...: epoch and iteration of its batch, lr (the
    α used), batch_loss J_B(θ_{s−1}) and grad_norm ‖∇J_B(θ_{s−1})‖ on the batch the step used, and loss
    J(θ_s) on the full data after the step. ``record="epoch"``: one row per epoch, at its last step, with
    batch_loss the mean over the epoch's batches and grad_norm the full-data ‖∇J(θ_s)‖.

    Stopping, per run: diverged when J(θ_s) is not finite or exceeds max_loss_ratio × max(|J(θ_0)|, 1) (the
    run stays at θ_{s−1}); at the end of each epoch, converged when the full-data ‖∇J‖ < tol or when J changed
    by less than loss_tol since the previous epoch.

    ``controller``: a ``BoldDriver``. Its α replaces the kernel's lr; after each tentative step the loss on
    the same batch decides (``controller.update``): a rejected step is undone (a column ``accepted``),
    state included. In a batched run the kernel's step counter t is shared, so a run whose step was
    rejected still advances t (Adam's bias correction then counts the rejected steps).
    """
    X, y, theta, batch_size = _train_inputs(model, X, y, optimizer, epochs, batch_size, seed, theta0, controller)
    _check_stopping(tol, loss_tol, max_loss_ratio)
    if record not in ("step", "epoch"):
        raise ValueError(f"record must be 'step' or 'epoch', got {record!r}")
    with np.errstate(all="ignore"):
        loss = model.loss(theta, X, y)
    _validate.finite("the initial loss J(theta0)", loss)
    monitor = _Monitor(loss, max_loss_ratio, tol, loss_tol)
    if controller is None:
        step = _KernelStep(optimizer, monitor.batch)
    else:
        step = _BoldDriverStep(optimizer, controller, monitor.batch)
    names = ["step", "epoch", "iteration", "lr", "batch_loss", "grad_norm", "loss"]
    history = _History(names + (["accepted"] if controller else []), monitor.batch)
    state = optimizer.init(theta)
    trajectory, losses, epoch_loss, epoch_batches, batch_loss_sum = [theta], [loss], loss, 0, np.zeros(monitor.batch)
    for s, (batch, epoch_end) in enumerate(_epoch_ends(minibatches(len(X), batch_size, epochs=epochs, seed=seed)), 1):
        # the gradient on the batch (a run whose batch gradient is not finite stays at θ_{s−1})
        active = monitor.active.copy()
        Xb, yb = X[batch.index], y[batch.index]
        with np.errstate(all="ignore"):
            batch_loss, grad = model.loss(theta, Xb, yb), model.grad(theta, Xb, yb)
        monitor.diverged(s - 1, batch_loss, theta, grad)
        active &= monitor.active
        # the step, on the active runs; a run whose new point (or state) is bad stays at θ_{s−1}
        lr = step.lr(state)
        with np.errstate(all="ignore"):  # an overflowing step is caught below
            new_theta, new_state, accept = step(theta, np.where(active[..., None], grad, 0.0), state, active,
                                                batch_loss, lambda th: model.loss(th, Xb, yb))
            new_loss = model.loss(new_theta, X, y)
        monitor.diverged(s, np.where(accept, new_loss, loss), np.where(accept[..., None], new_theta, theta),
                         state=_keep(accept, new_state, state))
        ok = active & accept & monitor.active
        theta, loss, state = _keep(ok, new_theta, theta), _keep(ok, new_loss, loss), _keep(ok, new_state, state)
        trajectory.append(theta)
        losses.append(loss)
        # the history, and at the end of an epoch the convergence test on the full data
        batch_loss_sum += np.where(active, batch_loss, 0.0)
        epoch_batches += 1
        full_grad_norm = None
        with np.errstate(all="ignore"):
            if epoch_end and (tol is not None or record == "epoch"):
                full_grad_norm = np.linalg.norm(model.grad(theta, X, y), axis=-1)
            batch_grad_norm = np.linalg.norm(grad, axis=-1)
        if record == "step" or epoch_end:
            values = (s, batch.epoch, batch.iteration, _lr_per_run(lr, monitor.batch))
            if record == "step":
                values += (batch_loss, batch_grad_norm)
            else:
                values += (batch_loss_sum / epoch_batches, full_grad_norm)
            history.add(active & monitor.active, *values, loss, *((accept,) if controller else ()))
        if epoch_end:
            monitor.converged(s, full_grad_norm, loss - epoch_loss if loss_tol is not None else None)
            epoch_loss, epoch_batches, batch_loss_sum = loss, 0, np.zeros(monitor.batch)
        if not monitor.active.any():
            break
    monitor.finish(len(trajectory) - 1, loss, f"budget of {epochs} epochs ({len(trajectory) - 1} steps)")
    status, stopped_at, message = monitor.outcome()
    return Run(np.stack(trajectory), np.stack(losses), history.frame(), status, stopped_at, message)


def _train_inputs(model: Any, X: Any, y: Any, optimizer: Any, epochs: int, batch_size: int | None, seed: int,
                  theta0: Any, controller: BoldDriver | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """``train``'s checked inputs: X, y, θ0 broadcast to the runs' shape, the batch size."""
    _validate.positive_int("epochs", epochs)
    _validate.nonnegative_int("seed", seed)
    X, y = _validate.finite("X", np.asarray(X, dtype=float)), np.asarray(y)
    if X.ndim != 2 or y.shape != X.shape[:1]:
        raise ValueError(f"X must have shape (m, n) and y shape (m,), got X {X.shape} and y {y.shape}")
    _validate.finite("y", np.asarray(y, dtype=float))  # labels may be bools or ints
    batch_size = len(X) if batch_size is None else _validate.positive_int("batch_size", batch_size)
    theta = model.init_params(seed) if theta0 is None else _validate.finite("theta0", np.asarray(theta0, dtype=float))
    shape = optimizer.runs_shape(theta.shape)
    if controller is not None:  # one α0 per run: lr0 of shape (K,) is K runs
        shape = np.broadcast_shapes(shape, np.shape(controller.lr0) + (1,))
    return X, y, np.array(np.broadcast_to(theta, shape)), batch_size


class _KernelStep:
    """A training step with the kernel's own α; every step is accepted."""

    def __init__(self, kernel: Any, batch: tuple[int, ...]):
        self.kernel, self.batch = kernel, batch

    def lr(self, state: Any) -> Any:
        return self.kernel.lr_at(state)

    def __call__(self, theta, grad, state, active, batch_loss, loss_on_batch) -> tuple[np.ndarray, Any, np.ndarray]:
        new_theta, new_state = self.kernel.step(theta, grad, state)
        return new_theta, new_state, np.ones(self.batch, dtype=bool)


class _BoldDriverStep:
    """The bold driver as a wrapper around the kernel: α comes from the controller (handed to the kernel's
    ``step``; the kernel is not rebuilt), and after each tentative step the loss on the same batch decides
    (``BoldDriver.update``) whether it is accepted; the controller's α changes on every active run."""

    def __init__(self, kernel: Any, controller: BoldDriver, batch: tuple[int, ...]):
        self.kernel, self.controller, self.steer = kernel, controller, controller.init(batch)

    def lr(self, state: Any) -> np.ndarray:
        return self.steer.lr[..., None]

    def __call__(self, theta, grad, state, active, batch_loss, loss_on_batch) -> tuple[np.ndarray, Any, np.ndarray]:
        new_theta, new_state = self.kernel.step(theta, grad, state, lr=self.lr(state))
        accept, steer = self.controller.update(self.steer, batch_loss, loss_on_batch(new_theta))
        self.steer = _keep(active, steer, self.steer)
        return new_theta, new_state, accept


def sweep_lr(
    objective: Callable[[np.ndarray], np.ndarray],
    x0: Any,
    make_optimizer: Callable[[np.ndarray], Any],
    lrs: Iterable[float],
    steps: int,
    **stopping: Any,
) -> pd.DataFrame:
    """K learning rates in ONE batched ``minimize`` run (``lr`` of shape (K, 1)); one table row per α.

    ``make_optimizer(lr)`` builds the kernel, e.g. ``GD`` or ``lambda lr: Momentum(lr, beta=0.9)``;
    ``stopping`` is passed to ``minimize`` (tol, loss_tol, max_loss_ratio). Columns: lr, status,
    stopped_at (with ``tol``: the steps needed to reach it), final_loss.
    """
    lrs = np.asarray(list(lrs), dtype=float)
    if lrs.ndim != 1 or lrs.size == 0:
        raise ValueError(f"lrs must be a non-empty 1-D sequence of learning rates, got shape {lrs.shape}")
    run = minimize(objective, x0, make_optimizer(lrs[:, None]), steps, **stopping)
    return pd.DataFrame(
        {"lr": lrs, "status": run.status, "stopped_at": run.stopped_at, "final_loss": run.losses[-1]}
    )
