"""Derivative-free search: the slides' finite differences, basic random search and augmented random search.

Mania, Guy & Recht (2018), "Simple random search provides a competitive approach to reinforcement
learning", arXiv 1803.07055: BRS is Algorithm 1, ARS (V1, V1-t, V2, V2-t) is Algorithm 2. No gradient is
ever computed: only rewards (or losses) of perturbed parameters.

Every method follows the kernels' interface with an evaluation function in place of the gradient:
``state = method.init(params, seed)`` and ``params, state = method.step(params, evaluate, state)``.
``evaluate(policies, rng)`` receives the perturbed parameters stacked on a new leading axis, shape
(2N, *params.shape) (the N "+" perturbations, then the N "−" ones), and returns their rewards in ONE
call, shape (2N, *batch), where batch is a leading part of params.shape: params of shape (S, m, n) is S
independent runs, each with its own directions, ranking and σ_R. ``rng`` is the iteration's
``np.random.Generator`` for the evaluation's own noise. ARS V2 calls
``evaluate(policies, rng, mean=μ, std=σ)`` and needs ``(rewards, states)`` back, states of shape
(2N, *batch, ..., n) (NaN where an episode had ended); ``gdcourse.envs`` rollouts have these signatures.

Iteration t draws its directions from ``np.random.default_rng([seed, t])``: a step is a pure function
of (params, state), and the same seed gives the same run. ``lr`` may be a schedule, evaluated at lr(t).
``step`` raises ValueError on a non-finite reward; the loop ``search`` instead stops that run alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, ClassVar, NamedTuple

import numpy as np

from ._validate import broadcasts_to, finite, in_interval, positive, positive_int, same_shape

__all__ = [
    "finite_difference_update",
    "brs_update",
    "ars_update",
    "SearchState",
    "FiniteDifference",
    "BRS",
    "ARS",
    "SearchRun",
    "search",
    "rollouts_to_reach",
]

Evaluate = Callable[..., Any]
"""``evaluate(policies, rng[, mean=, std=]) -> rewards`` or ``(rewards, states)``; see the module doc."""


def _weighted_sum(weights: np.ndarray, deltas: np.ndarray) -> np.ndarray:
    """Σ_k w_k·δ_k over the leading axis: weights (N, *batch), deltas (N, *batch, *shape)."""
    w = np.reshape(weights, np.shape(weights) + (1,) * (deltas.ndim - np.ndim(weights)))
    return np.sum(w * deltas, axis=0)


def _checked(names: str, theta: Any, deltas: Any, r_plus: Any, r_minus: Any, lr: Any, directions: bool = True):
    """An update's arguments as float arrays, after the checks every update shares: lr > 0 broadcasting
    against θ; deltas (N, *θ.shape) (without N for ``directions=False``); finite rewards r± of one shape
    (N, *batch), batch a leading part of θ.shape. ``names`` are the update's names for θ, δ, r+ and r−."""
    t_name, d_name, p_name, m_name = names.split()
    theta, deltas = np.asarray(theta, dtype=float), np.asarray(deltas, dtype=float)
    broadcasts_to("lr", positive("lr", lr), theta.shape, target=t_name)
    if not directions:
        same_shape(d_name, deltas, t_name, theta)
    elif deltas.ndim == 0 or deltas.shape[1:] != theta.shape:
        raise ValueError(
            f"{d_name} must have shape (N, *{t_name}.shape) with {t_name} of shape {theta.shape}, "
            f"got shape {deltas.shape}"
        )
    lead = deltas.shape[:1] if directions else ()
    r_plus = np.asarray(finite(p_name, r_plus), dtype=float)
    r_minus = np.asarray(finite(m_name, r_minus), dtype=float)
    same_shape(m_name, r_minus, p_name, r_plus)
    batch = r_plus.shape[len(lead):]
    if r_plus.shape[: len(lead)] != lead or len(batch) >= theta.ndim or batch != theta.shape[: len(batch)]:
        N = f"(N, *batch) with N = {lead[0]} as in {d_name} and" if directions else "(*batch) with"
        raise ValueError(
            f"{p_name} must have shape {N} batch a leading part of {t_name}'s shape {theta.shape}, "
            f"got shape {r_plus.shape}"
        )
    return theta, deltas, r_plus, r_minus


def finite_difference_update(
    W: Any, delta_W: Any, G_plus: Any, G_minus: Any, lr: Any, *, maximize: bool = False
) -> np.ndarray:
    """The finite-difference step on a loss G (descend) or, with ``maximize=True``, on a reward (ascend):

        loss:    W ← W − α·(Gp − Gn)·δW          Gp = G(W + δW),  Gn = G(W − δW)
        reward:  W ← W + α·(Gp − Gn)·δW

    The slides write W = W + α(Gp − Gn)·δW and say "we are minimizing the cost": that is
    ``maximize=True`` applied to a loss, and it climbs the loss. δW has W's shape, Gp and Gn (*batch).
    Raises ValueError unless α > 0 and Gp, Gn are finite.
    """
    W, delta_W, G_plus, G_minus = _checked("W delta_W G_plus G_minus", W, delta_W, G_plus, G_minus, lr, False)
    sign = 1.0 if maximize else -1.0
    return W + sign * lr * _weighted_sum((G_plus - G_minus)[None], delta_W[None])


def brs_update(theta: Any, deltas: Any, r_plus: Any, r_minus: Any, lr: Any) -> np.ndarray:
    """BRS (Algorithm 1):  θ ← θ + α/N · Σ_{k=1..N} [r(θ + νδ_k) − r(θ − νδ_k)]·δ_k.

    deltas (N, *θ.shape), rewards (N, *batch). Raises ValueError unless α > 0 and the rewards are finite.
    """
    theta, deltas, r_plus, r_minus = _checked("theta deltas r_plus r_minus", theta, deltas, r_plus, r_minus, lr)
    N = r_plus.shape[0]
    return theta + lr / N * _weighted_sum(r_plus - r_minus, deltas)


def ars_update(M: Any, deltas: Any, r_plus: Any, r_minus: Any, lr: Any, top: int) -> np.ndarray:
    """ARS (Algorithm 2, step 7):  M ← M + α/(b·σ_R) · Σ_{k=1..b} [r(M + νδ₍ₖ₎) − r(M − νδ₍ₖ₎)]·δ₍ₖ₎.

    δ₍ₖ₎ is the direction with the k-th largest max(r(M + νδ), r(M − νδ)), b = ``top``, and σ_R the
    standard deviation of the 2b rewards used. When those 2b rewards are all equal (σ_R = 0) every
    difference is 0 and M does not move. deltas (N, *M.shape), rewards (N, *batch). Raises ValueError
    unless α > 0, 1 ≤ b ≤ N and the rewards are finite (finite beyond ~1e154 is fine: σ_R = ∞, no step).
    """
    M, deltas, r_plus, r_minus = _checked("M deltas r_plus r_minus", M, deltas, r_plus, r_minus, lr)
    in_interval("top", positive_int("top", top), 1, len(deltas))
    order = np.argsort(-np.maximum(r_plus, r_minus), axis=0, kind="stable")[:top]
    rp = np.take_along_axis(r_plus, order, axis=0)
    rm = np.take_along_axis(r_minus, order, axis=0)
    best = np.take_along_axis(deltas, order.reshape(order.shape + (1,) * (deltas.ndim - order.ndim)), axis=0)
    with np.errstate(over="ignore"):  # rewards beyond ~1e154 (a wildly unstable rollout): σ_R = ∞, no step
        sigma_R = np.std(np.concatenate([rp, rm]), axis=0)
    scale = np.divide(1.0, top * sigma_R, out=np.zeros_like(sigma_R), where=sigma_R > 0)
    return M + lr * _weighted_sum(scale * (rp - rm), best)


class SearchState(NamedTuple):
    """``t`` iterations taken, the ``seed`` of the directions, and for ARS V2 the running statistics of
    the states seen so far (per component: ``count``, ``mean``, ``m2`` = Σ (x − mean)²; else None)."""

    t: int
    seed: int
    count: np.ndarray | None = None
    mean: np.ndarray | None = None
    m2: np.ndarray | None = None


def _merge_stats(count: np.ndarray, mean: np.ndarray, m2: np.ndarray, states: np.ndarray, axes: tuple[int, ...]):
    """Welford/Chan update of (count, mean, m2) with a new block of states (NaN entries skipped)."""
    n_b = (~np.isnan(states)).sum(axis=axes)
    mean_b = np.divide(np.nansum(states, axis=axes), n_b, out=np.zeros(n_b.shape), where=n_b > 0)
    m2_b = np.nansum((states - np.expand_dims(mean_b, axes)) ** 2, axis=axes)
    n = count + n_b
    share = np.divide(n_b, n, out=np.zeros(n.shape), where=n > 0)  # n_b / n
    d = mean_b - mean
    return n, mean + d * share, m2 + m2_b + d**2 * count * share


@dataclass(frozen=True, eq=False)
class _RandomSearch:
    """Shared by every method: α (a number, an array per run, or a schedule α(t)) and ν."""

    lr: float | np.ndarray | Callable[[int], Any] = 0.02
    noise: float | np.ndarray = 0.03

    def __post_init__(self) -> None:
        if not callable(self.lr):  # a schedule is checked where it is evaluated
            positive("lr", self.lr)
        positive("noise", self.noise)

    @property
    def rollouts_per_step(self) -> int:
        """2N: one evaluation per perturbed policy."""
        return 2 * self.directions

    def init(self, params: Any, seed: int) -> SearchState:
        """The state before the first iteration: t = 0."""
        return SearchState(0, int(seed))

    def _lr_at(self, t: int, shape: tuple[int, ...]) -> np.ndarray:
        lr = np.asarray(self.lr(t) if callable(self.lr) else self.lr, dtype=float)
        name = f"lr({t})" if callable(self.lr) else "lr"
        positive(name, lr)
        broadcasts_to(name, lr, shape)
        return lr

    def _perturb(self, params: Any, state: SearchState):
        """Draw δ_1..δ_N ~ N(0, I) with params' shape; return (θ, δ, stacked θ ± ν·δ, rng)."""
        theta = np.asarray(finite("params", params), dtype=float)
        broadcasts_to("noise", self.noise, theta.shape)
        rng = np.random.default_rng([state.seed, state.t])
        deltas = rng.standard_normal((self.directions,) + theta.shape)
        policies = np.concatenate([theta + self.noise * deltas, theta - self.noise * deltas])
        return theta, deltas, policies, rng

    def _rewards(self, out: Any, theta: np.ndarray, t: int) -> np.ndarray:
        """Check evaluate's rewards: shape (2N, *batch), batch a leading part of params.shape, finite."""
        rewards = np.asarray(out, dtype=float)
        k = self.rollouts_per_step
        batch = rewards.shape[1:]
        if rewards.ndim < 1 or rewards.shape[0] != k or len(batch) >= theta.ndim or batch != theta.shape[: len(batch)]:
            raise ValueError(
                f"evaluate must return rewards of shape ({k}, *batch) with batch a leading part of params' "
                f"shape {theta.shape}, got shape {rewards.shape}"
            )
        return finite(f"rewards at iteration {t}", rewards)


@dataclass(frozen=True, eq=False)
class FiniteDifference(_RandomSearch):
    """The slides' finite differences: one random δW ~ N(0, ν²I) with W's shape per step,

        loss:    W ← W − α·(G(W + δW) − G(W − δW))·δW        (``maximize=True``: W ← W + α·(...)·δW)

    ``evaluate`` gets (2, *W.shape) = [W + δW, W − δW]. E[(Gp − Gn)·δW] ≈ 2ν²·∇G for small ν.
    """

    lr: float | np.ndarray | Callable[[int], Any] = 1.0
    noise: float | np.ndarray = 0.01
    maximize: bool = False
    directions: ClassVar[int] = 1

    def step(self, params: Any, evaluate: Evaluate, state: SearchState) -> tuple[np.ndarray, SearchState]:
        """One finite-difference step; inputs untouched."""
        W, deltas, policies, rng = self._perturb(params, state)
        G = self._rewards(evaluate(policies, rng), W, state.t)
        delta_W = self.noise * deltas[0]
        W_new = finite_difference_update(W, delta_W, G[0], G[1], self._lr_at(state.t, W.shape), maximize=self.maximize)
        return W_new, state._replace(t=state.t + 1)


def _first(out: Any) -> Any:
    """The rewards of an evaluation that returned (rewards, states) or the rewards alone."""
    return out[0] if isinstance(out, tuple) else out


@dataclass(frozen=True, eq=False)
class BRS(_RandomSearch):
    """Basic random search (Mania et al. 2018, Algorithm 1), maximising a reward r:

        δ_1..δ_N ~ N(0, I),     θ ← θ + α/N · Σ_k [r(θ + νδ_k) − r(θ − νδ_k)]·δ_k
    """

    directions: int = 8

    def __post_init__(self) -> None:
        super().__post_init__()
        positive_int("directions", self.directions)

    def step(self, params: Any, evaluate: Evaluate, state: SearchState) -> tuple[np.ndarray, SearchState]:
        """One iteration: 2N rollouts in one ``evaluate`` call, then the update; inputs untouched."""
        N = self.directions
        theta, deltas, policies, rng = self._perturb(params, state)
        r = self._rewards(_first(evaluate(policies, rng)), theta, state.t)
        theta_new = brs_update(theta, deltas, r[:N], r[N:], self._lr_at(state.t, theta.shape))
        return theta_new, state._replace(t=state.t + 1)


@dataclass(frozen=True, eq=False)
class ARS(_RandomSearch):
    """Augmented random search (Mania et al. 2018, Algorithm 2), maximising a reward r:

        V1:  π±(x) = (M ± νδ_k)·x                       V2:  π±(x) = (M ± νδ_k)·diag(Σ)^(−1/2)·(x − μ)
        rank directions by max(r+, r−), keep the top b (V1-t/V2-t: b < N; V1/V2: b = N, ``top=None``)
        M ← M + α/(b·σ_R) · Σ_{k≤b} [r(π₍ₖ₎,+) − r(π₍ₖ₎,−)]·δ₍ₖ₎,   σ_R = std of the 2b rewards used
        V2: μ, Σ ← mean and diagonal covariance of every state seen so far (μ₀ = 0, Σ₀ = I)

    ``normalize=True`` is V2. A state component that never varied gets σ = ∞ (its input is ignored), as
    in the reference code.
    """

    directions: int = 8
    top: int | None = None
    normalize: bool = False

    def __post_init__(self) -> None:
        super().__post_init__()
        positive_int("directions", self.directions)
        if self.top is not None:
            positive_int("top", self.top)
            in_interval("top", self.top, 1, self.directions)

    @property
    def b(self) -> int:
        """The number of directions kept: ``top``, or N."""
        return self.directions if self.top is None else self.top

    @property
    def version(self) -> str:
        """'V1', 'V1-t', 'V2' or 'V2-t', the paper's names."""
        return ("V2" if self.normalize else "V1") + ("-t" if self.b < self.directions else "")

    def init(self, params: Any, seed: int) -> SearchState:
        """t = 0; for V2, no state seen yet (count 0, μ₀ = 0, Σ₀ = I), one entry per state component."""
        if not self.normalize:
            return super().init(params, seed)
        zeros = np.zeros(np.shape(params)[-1:])
        return SearchState(0, int(seed), zeros, zeros, zeros)

    def normalization(self, state: SearchState) -> tuple[np.ndarray, np.ndarray]:
        """(μ, σ) for V2's policies: σ = √diag(Σ) = √(m2/count), Σ₀ = I before any state was seen."""
        var = np.divide(state.m2, state.count, out=np.ones_like(state.m2), where=state.count > 0)
        std = np.sqrt(var, out=np.full_like(var, np.inf), where=var > 0)
        return state.mean, std

    def step(self, params: Any, evaluate: Evaluate, state: SearchState) -> tuple[np.ndarray, SearchState]:
        """One iteration: 2N rollouts in one ``evaluate`` call, the update, and for V2 the new statistics."""
        N = self.directions
        M, deltas, policies, rng = self._perturb(params, state)
        if not self.normalize:
            r = self._rewards(_first(evaluate(policies, rng)), M, state.t)
            M_new = ars_update(M, deltas, r[:N], r[N:], self._lr_at(state.t, M.shape), self.b)
            return M_new, state._replace(t=state.t + 1)
        mean, std = self.normalization(state)
        out = evaluate(policies, rng, mean=mean, std=std)
        if not (isinstance(out, tuple) and len(out) == 2):
            raise ValueError("ARS V2 (normalize=True) needs evaluate to return (rewards, states)")
        r = self._rewards(out[0], M, state.t)
        states = np.asarray(out[1], dtype=float)
        batch = r.ndim - 1
        if states.shape[: 1 + batch] != r.shape or states.shape[-1] != M.shape[-1]:
            raise ValueError(
                f"states must have shape {r.shape} + (..., {M.shape[-1]}) for rewards of shape {r.shape}, "
                f"got shape {states.shape}"
            )
        axes = (0,) + tuple(range(1 + batch, states.ndim - 1))
        count, mean, m2 = _merge_stats(state.count, state.mean, state.m2, states, axes)
        M_new = ars_update(M, deltas, r[:N], r[N:], self._lr_at(state.t, M.shape), self.b)
        return M_new, state._replace(t=state.t + 1, count=count, mean=mean, m2=m2)


class SearchRun(NamedTuple):
    """``trajectory`` (T + 1, *params.shape); ``rollouts`` (T + 1,) evaluations used so far; ``reward``
    (T, *batch) the mean reward of each iteration's 2N rollouts (NaN once a run has diverged);
    ``diverged_at`` (*batch) the iteration at which a run got a non-finite reward, −1 if it never did;
    for ARS V2 ``mean``/``std`` (T + 1, *batch, n), the normalisation each iterate is used with (else None)."""

    trajectory: np.ndarray
    rollouts: np.ndarray
    reward: np.ndarray
    diverged_at: np.ndarray
    mean: np.ndarray | None
    std: np.ndarray | None


def _along(mask: np.ndarray, ndim: int) -> np.ndarray:
    """A batch mask (*batch) shaped (1, *batch, 1, ...) to select runs in an array of ``ndim`` axes."""
    return mask.reshape((1,) + mask.shape + (1,) * (ndim - 1 - mask.ndim))


def search(method: _RandomSearch, params: Any, evaluate: Evaluate, iterations: int, seed: int) -> SearchRun:
    """Run ``iterations`` steps of ``method`` from ``params``: the loop over iterations.

    A run whose rollouts return a non-finite reward (a policy so unstable that its cost overflowed)
    stops there: it keeps its parameters from then on (its rewards are replaced by equal ones, so the
    step does not move it) and ``diverged_at`` records the iteration; the other runs of the batch go on.
    """
    positive_int("iterations", iterations)
    state = method.init(params, seed)
    rewards: list[np.ndarray] = []
    diverged_at = None

    def guarded(policies, rng, **normalization):
        nonlocal diverged_at
        out = evaluate(policies, rng, **normalization)
        r = np.asarray(_first(out), dtype=float)
        if diverged_at is None:
            diverged_at = np.full(r.shape[1:], -1)
        diverged_at = np.where((diverged_at < 0) & ~np.isfinite(r).all(axis=0), len(rewards), diverged_at)
        stopped = diverged_at >= 0
        r = np.where(stopped, 0.0, r)
        rewards.append(np.where(stopped, np.nan, r.mean(axis=0)))
        if not isinstance(out, tuple):
            return r
        states = np.asarray(out[1], dtype=float)
        return r, np.where(_along(stopped, states.ndim), np.nan, states)

    normalized = isinstance(method, ARS) and method.normalize
    trajectory = [np.asarray(params, dtype=float)]
    stats = [method.normalization(state)] if normalized else []
    for _ in range(iterations):
        theta, state = method.step(trajectory[-1], guarded, state)
        trajectory.append(theta)
        if normalized:
            stats.append(method.normalization(state))
    rollouts = method.rollouts_per_step * np.arange(iterations + 1)
    run = SearchRun(np.stack(trajectory), rollouts, np.stack(rewards), diverged_at, None, None)
    if not normalized:
        return run
    batch = diverged_at.shape
    means = np.stack([np.broadcast_to(m, batch + m.shape[-1:]) for m, _ in stats])
    stds = np.stack([np.broadcast_to(s, batch + s.shape[-1:]) for _, s in stats])
    return run._replace(mean=means, std=stds)


def rollouts_to_reach(values: Any, rollouts: Any, thresholds: Any) -> np.ndarray:
    """The first number of rollouts at which ``values`` (T + 1, *batch) falls strictly below each
    threshold, shape (len(thresholds), *batch); ∞ where it never does. Threshold ∞ = "becomes finite"."""
    values = np.asarray(values, dtype=float)
    thresholds = np.asarray(thresholds, dtype=float)
    below = values[None] < thresholds.reshape((-1,) + (1,) * values.ndim)
    first = np.argmax(below, axis=1)
    return np.where(below.any(axis=1), np.asarray(rollouts, dtype=float)[first], np.inf)
