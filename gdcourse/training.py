"""The loops: run a kernel on an objective (``minimize``) or on a model and a data set (``train``).

Both return a ``Run``: the trajectory, a pandas history, and how each run ended. The loop is a loop over
time steps only; everything inside a step is numpy over the runs. Parameters may carry leading batch axes
(K runs, e.g. K learning rates as ``lr`` of shape (K, 1)), and each run stops on its own:

* diverged: the loss (or the gradient) is no longer finite, or exceeds ``max_loss_ratio`` ×
  max(|initial loss|, 1) (the floor 1 keeps a loss that starts near 0, as x·cos(cx) at x = 10 does, from
  counting every later rise as an explosion). The run is frozen at its last point with a finite,
  acceptable loss; the kernel never sees the bad point, and no numpy RuntimeWarning is emitted on the way.
* converged: the gradient norm ‖∇J‖ falls below ``tol``, or the loss changes by less than ``loss_tol``
  between two checks. The run is frozen there.
* max_steps: the budget ran out.

The loop ends early once every run has stopped. ``sweep_lr`` runs K learning rates as one batched run and
tabulates how each ended.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd

from . import _validate
from .batching import minibatches
from .schedules import BoldDriver

__all__ = ["Run", "minimize", "train", "sweep_lr"]


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

    def diverged(self, step: int, loss: np.ndarray, params: np.ndarray, grad: np.ndarray | None = None) -> None:
        """Stop the active runs whose new point is bad: loss (or gradient, or parameters) not finite, or
        loss above max_loss_ratio × max(|initial loss|, 1)."""
        finite = np.isfinite(loss) & np.isfinite(params).all(axis=-1)
        if grad is not None:
            finite &= np.isfinite(grad).all(axis=-1)
        with np.errstate(invalid="ignore"):
            exploded = finite & (loss > self.limit)
        bad = self.active & (~finite | exploded)
        if bad.any():
            self._stop(bad, step, "diverged", self._divergence, loss, exploded, self.floored)

    def _divergence(self, loss: float, exploded: bool, floored: bool) -> str:
        if not exploded:
            return f"loss {loss:.2g} or its gradient is not finite"
        return f"loss {loss:.2g} exceeded {self.ratio:.0e} × " + ("max(|initial loss|, 1)" if floored else "the initial loss")

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


def _check_stopping(tol: float | None, loss_tol: float | None, max_loss_ratio: float) -> None:
    if tol is not None:
        _validate.positive("tol", tol)
    if loss_tol is not None:
        _validate.positive("loss_tol", loss_tol)
    _validate.in_interval("max_loss_ratio", max_loss_ratio, 1.0, np.inf, low_closed=False, high_closed=False)


def _params_shape(x0: np.ndarray, optimizer: Any) -> tuple[int, ...]:
    """The shape of the runs' parameters: x0 broadcast against the kernel's array hyper-parameters.

    ``minimize(f, x0 of shape (d,), GD(lr of shape (K, 1)))`` is K runs from the same start.
    """
    shapes = [np.shape(getattr(optimizer, f.name)) for f in dataclasses.fields(optimizer)]
    if callable(optimizer.lr):
        shapes.append(np.shape(optimizer.lr(0)))
    try:
        return np.broadcast_shapes(x0.shape, *[s for s in shapes if s])
    except ValueError:
        return x0.shape  # let the kernel name the mismatched hyper-parameter


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


def _lr_now(optimizer: Any, state: Any, shape: tuple[int, ...]) -> np.ndarray:
    """α per run at this step (the state's α for kernels that learn it; the mean over coordinates)."""
    lr = getattr(state, "lr", None)
    if lr is None:
        lr = optimizer.lr(state.t) if callable(optimizer.lr) else optimizer.lr
    lr = np.asarray(lr, dtype=float)
    if lr.ndim and lr.shape[-1] > 1:  # one α per coordinate: their mean, as Σ(α/d) so that it cannot overflow
        lr = np.sum(lr / lr.shape[-1], axis=-1, keepdims=True)
    return _as_batch(lr[..., 0] if lr.ndim else lr, shape[:-1])


def _as_batch(value: Any, batch: tuple[int, ...]) -> Any:
    """``value`` with the runs' shape: as it is when it has it already (the common case, per step); a
    number filled in (``np.full``, cheaper than ``np.broadcast_to`` on every step); else broadcast."""
    shape = np.shape(value)
    if shape == batch:
        return value
    return np.full(batch, value) if shape == () else np.broadcast_to(value, batch)


def _history(columns: dict[str, list[np.ndarray]], recorded: list[np.ndarray], batch: tuple[int, ...]) -> pd.DataFrame:
    """Long-format DataFrame from per-step arrays of shape batch; rows where ``recorded`` is True."""
    if not recorded:
        return pd.DataFrame({name: [] for name in (["run"] if batch != () else []) + list(columns)})
    keep = np.stack(recorded).reshape(len(recorded), -1).T.ravel()  # run-major: all steps of run 0 first
    data = {name: np.stack(values).reshape(len(values), -1).T.ravel()[keep] for name, values in columns.items()}
    if batch != ():
        k = int(np.prod(batch))
        data = {"run": np.repeat(np.arange(k), len(recorded))[keep], **data}
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
    x = np.array(np.broadcast_to(x0, _params_shape(x0, optimizer)))
    with np.errstate(all="ignore"):
        loss, grad = objective(x), objective.grad(x)
    _validate.finite("the initial loss f(x0)", loss)
    _validate.finite("the initial gradient", grad)
    monitor = _Monitor(loss, max_loss_ratio, tol, loss_tol)
    state = optimizer.init(x)
    trajectory, losses, recorded = [x], [loss], []
    columns: dict[str, list[np.ndarray]] = {"step": [], "epoch": [], "lr": [], "loss": [], "grad_norm": []}
    for k in range(steps + 1):
        with np.errstate(over="ignore"):
            grad_norm = np.linalg.norm(grad, axis=-1)
        recorded.append(monitor.active.copy())
        for name, value in zip(columns, (k, k, _lr_now(optimizer, state, x.shape), loss, grad_norm)):
            columns[name].append(_as_batch(value, monitor.batch))
        monitor.converged(k, grad_norm, loss - losses[-2] if k else None)
        if k == steps:
            monitor.finish(k, loss, f"budget of {steps} steps")
        if not monitor.active.any():
            break
        active = monitor.active.copy()
        with np.errstate(all="ignore"):  # an overflowing step is caught just below
            new_x, new_state = optimizer.step(x, np.where(active[..., None], grad, 0.0), state)
            new_loss, new_grad = objective(new_x), objective.grad(new_x)
        monitor.diverged(k + 1, new_loss, new_x, new_grad)
        ok = active & monitor.active
        x, loss, grad = _keep(ok, new_x, x), _keep(ok, new_loss, loss), _keep(ok, new_grad, grad)
        state = _keep(ok, new_state, state)
        trajectory.append(x)
        losses.append(loss)
    status, stopped_at, message = monitor.outcome()
    return Run(np.stack(trajectory), np.stack(losses), _history(columns, recorded, monitor.batch), status, stopped_at, message)


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
    _validate.positive_int("epochs", epochs)
    _check_stopping(tol, loss_tol, max_loss_ratio)
    if record not in ("step", "epoch"):
        raise ValueError(f"record must be 'step' or 'epoch', got {record!r}")
    X, y = _validate.finite("X", np.asarray(X, dtype=float)), np.asarray(y)
    if X.ndim != 2 or y.shape != X.shape[:1]:
        raise ValueError(f"X must have shape (m, n) and y shape (m,), got X {X.shape} and y {y.shape}")
    _validate.finite("y", np.asarray(y, dtype=float))  # labels may be bools or ints
    m = len(X)
    batch_size = m if batch_size is None else _validate.positive_int("batch_size", batch_size)
    theta = model.init_params(seed) if theta0 is None else _validate.finite("theta0", np.asarray(theta0, dtype=float))
    shape = _params_shape(theta, optimizer)
    if controller is not None:  # one α0 per run: lr0 of shape (K,) is K runs
        shape = np.broadcast_shapes(shape, np.shape(controller.lr0) + (1,))
    theta = np.array(np.broadcast_to(theta, shape))
    with np.errstate(all="ignore"):
        loss = model.loss(theta, X, y)
    _validate.finite("the initial loss J(theta0)", loss)
    monitor = _Monitor(loss, max_loss_ratio, tol, loss_tol)
    state = optimizer.init(theta)
    steer = controller.init(monitor.batch) if controller is not None else None
    trajectory, losses, recorded, epoch_loss, epoch_batches = [theta], [loss], [], loss, 0
    names = ["step", "epoch", "iteration", "lr", "batch_loss", "grad_norm", "loss"]
    columns: dict[str, list[np.ndarray]] = {name: [] for name in names + (["accepted"] if controller else [])}
    batch_loss_sum = np.zeros(monitor.batch)
    for s, (batch, epoch_end) in enumerate(_epoch_ends(minibatches(m, batch_size, epochs=epochs, seed=seed)), 1):
        active = monitor.active.copy()
        Xb, yb = X[batch.index], y[batch.index]
        with np.errstate(all="ignore"):
            batch_loss, grad = model.loss(theta, Xb, yb), model.grad(theta, Xb, yb)
        monitor.diverged(s - 1, batch_loss, theta, grad)  # a non-finite batch gradient: stay at θ_{s−1}
        active &= monitor.active
        kernel = optimizer if steer is None else dataclasses.replace(optimizer, lr=steer.lr[..., None])
        lr = _lr_now(kernel, state, theta.shape)
        with np.errstate(all="ignore"):  # an overflowing step is caught below
            new_theta, new_state = kernel.step(theta, np.where(active[..., None], grad, 0.0), state)
        accept = np.ones(monitor.batch, dtype=bool)
        if steer is not None:
            with np.errstate(all="ignore"):
                accept, new_steer = controller.update(steer, batch_loss, model.loss(new_theta, Xb, yb))
            steer = _keep(active, new_steer, steer)
        with np.errstate(all="ignore"):
            new_loss = model.loss(new_theta, X, y)
        monitor.diverged(s, np.where(accept, new_loss, loss), np.where(accept[..., None], new_theta, theta))
        ok = active & accept & monitor.active
        theta, loss, state = _keep(ok, new_theta, theta), _keep(ok, new_loss, loss), _keep(ok, new_state, state)
        trajectory.append(theta)
        losses.append(loss)
        batch_loss_sum += np.where(active, batch_loss, 0.0)
        epoch_batches += 1
        full_grad_norm = None
        if epoch_end and (tol is not None or record == "epoch"):
            with np.errstate(all="ignore"):
                full_grad_norm = np.linalg.norm(model.grad(theta, X, y), axis=-1)
        if record == "step" or epoch_end:
            recorded.append(active & monitor.active)
            values = (s, batch.epoch, batch.iteration, lr)
            values += (batch_loss, np.linalg.norm(grad, axis=-1)) if record == "step" else (
                batch_loss_sum / epoch_batches, full_grad_norm)
            values += (loss,) + ((accept,) if controller else ())
            for name, value in zip(columns, values):
                columns[name].append(_as_batch(value, monitor.batch))
        if epoch_end:
            monitor.converged(s, full_grad_norm, loss - epoch_loss if loss_tol is not None else None)
            epoch_loss, epoch_batches, batch_loss_sum = loss, 0, np.zeros(monitor.batch)
        if not monitor.active.any():
            break
    monitor.finish(len(trajectory) - 1, loss, f"budget of {epochs} epochs ({len(trajectory) - 1} steps)")
    status, stopped_at, message = monitor.outcome()
    return Run(np.stack(trajectory), np.stack(losses), _history(columns, recorded, monitor.batch), status, stopped_at, message)


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
