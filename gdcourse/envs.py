"""Environments for derivative-free search, in numpy, vectorized over a batch of linear policies.

A policy is a gain matrix K of shape (m, n) acting on the state x ∈ Rⁿ; a batch of policies is an array
of shape (..., m, n) and every function returns one result per policy, shape (...). ARS V2 (lecture 09)
normalises states before the gain, so every policy also takes an optional ``mean`` μ and ``std`` σ:

    u = K·diag(σ)⁻¹·(x − μ)        (μ = 0, σ = 1 when omitted: u = K·x)

``*_simulate`` runs the dynamics from given initial states (and disturbances): deterministic, for tests
and pictures. ``*_rollout(K, rng)`` draws those from a seed or ``np.random.Generator`` and simulates:
its signature is the ``evaluate(policies, rng, mean=, std=)`` that ``gdcourse.ars`` expects.

- LQR: the linear-quadratic regulator of Dean et al. (2017) used in Mania, Guy & Recht (2018),
  x(t+1) = A·x(t) + B·u(t) + w(t), w ~ N(0, I), reward −Σₜ [xᵀQx + uᵀRu]; with the exact average cost
  J(K) (Lyapunov equation) and the optimum J* (Riccati equation), so progress is measured without noise.
- Cart-pole: Barto, Sutton & Anderson (1983), with the constants and Euler step of the classic gym
  ``CartPole``; reward = number of steps the pole stays balanced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

from ._validate import positive, positive_int

__all__ = [
    "Rollout",
    "LQR",
    "LQRSolution",
    "lqr_simulate",
    "lqr_rollout",
    "lqr_optimal_gain",
    "lqr_cost",
    "lqr_relative_cost",
    "CartPole",
    "cartpole_simulate",
    "cartpole_rollout",
]


class Rollout(NamedTuple):
    """One rollout per policy: ``reward`` shape (...), ``states`` the states the policy saw,
    shape (..., H, n), NaN after an episode ended (ARS V2 builds its statistics from them)."""

    reward: np.ndarray
    states: np.ndarray


def _policy_input(K: np.ndarray, x: np.ndarray, mean: Any, std: Any) -> np.ndarray:
    """u = K·diag(σ)⁻¹·(x − μ), batched: K (..., m, n), x (..., n) -> (..., m)."""
    z = x if mean is None else x - mean
    z = z if std is None else z / std
    return np.einsum("...ij,...j->...i", K, z)


def _affine(K: np.ndarray, mean: Any, std: Any) -> tuple[np.ndarray, np.ndarray]:
    """(K', c) with K·diag(σ)⁻¹·(x − μ) = K'·x + c: K' = K·diag(σ)⁻¹, c = −K'·μ (0 when μ is omitted)."""
    if std is not None:
        K = K / np.asarray(std, dtype=float)[..., None, :]
    if mean is None:
        return K, np.zeros(K.shape[:-1])
    return K, -np.einsum("...ij,...j->...i", K, np.asarray(mean, dtype=float))


def _gains(K: Any, shape: tuple[int, int], name: str = "K") -> np.ndarray:
    K = np.asarray(K, dtype=float)
    if K.ndim < 2 or K.shape[-2:] != shape:
        raise ValueError(f"{name} must have shape (..., {shape[0]}, {shape[1]}), got shape {K.shape}")
    return K


# ----------------------------------------------------------------------------------------------- LQR


def _frozen(values: Any) -> np.ndarray:
    arr = np.array(values, dtype=float)
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class LQR:
    """x(t+1) = A·x(t) + B·u(t) + w(t), w(t) ~ N(0, I), cost xᵀQx + uᵀRu, ``horizon`` steps per rollout.

    The defaults are the instance of Dean et al. (2017) in Mania, Guy & Recht (2018, section 4.3):
    A slightly unstable (spectral radius ≈ 1.024), B = I, Q = 10⁻³·I, R = I, 300 steps.
    """

    A: np.ndarray = field(default_factory=lambda: _frozen([[1.01, 0.01, 0], [0.01, 1.01, 0.01], [0, 0.01, 1.01]]))
    B: np.ndarray = field(default_factory=lambda: _frozen(np.eye(3)))
    Q: np.ndarray = field(default_factory=lambda: _frozen(1e-3 * np.eye(3)))
    R: np.ndarray = field(default_factory=lambda: _frozen(np.eye(3)))
    horizon: int = 300

    def __post_init__(self) -> None:
        for name in ("A", "B", "Q", "R"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        n, m = self.B.shape
        for name, shape in (("A", (n, n)), ("Q", (n, n)), ("R", (m, m))):
            if getattr(self, name).shape != shape:
                raise ValueError(f"{name} must have shape {shape} (B is {n}×{m}), got {getattr(self, name).shape}")
        positive_int("horizon", self.horizon)

    @property
    def gain_shape(self) -> tuple[int, int]:
        """(m, n): u = K·x with x ∈ Rⁿ, u ∈ Rᵐ."""
        n, m = self.B.shape
        return m, n


_DEFAULT_LQR = LQR()  # the system of every function called without one (immutable, so built once)


def _linear_scan(L: np.ndarray, a: np.ndarray) -> None:
    """In place: a(t) ← Σ_{s ≤ t} L^(t−s)·a(s) along the last axis (time), i.e. x(t + 1) = L·x(t) + a(t + 1)
    from x(0) = a(0), for L (..., n, n) and a (..., n, H).

    Hillis–Steele scan: after the pass with P = L^(2^k), each a(t) holds the sum of its last 2^(k+1) terms;
    ⌈log₂ H⌉ passes of (n×n)·(n×H) products replace H sequential steps (the same sums, in another order).
    """
    P, shift = L, 1
    while shift < a.shape[-1]:
        a[..., shift:] += P @ a[..., :-shift]  # the product is computed before a is updated
        P, shift = P @ P, 2 * shift


def lqr_simulate(
    K: Any, x0: Any, noise: Any, *, mean: Any = None, std: Any = None, system: LQR | None = None
) -> Rollout:
    """Roll out u = K·diag(σ)⁻¹·(x − μ) from ``x0`` (..., n) under disturbances ``noise`` (..., H, n).

    x(t+1) = A·x(t) + B·u(t) + w(t),   reward = −Σ_{t<H} [x(t)ᵀQx(t) + u(t)ᵀRu(t)].
    Written u = K'·x + c (K' = K·diag(σ)⁻¹, c = −K'·μ), the loop is x(t+1) = L·x(t) + B·c + w(t) with
    L = A + B·K', solved for all t at once by ``_linear_scan``. Every leading axis broadcasts (K, x0 and
    noise); an unstable gain may overflow to reward −inf.
    """
    system = system or _DEFAULT_LQR
    K, c = _affine(_gains(K, system.gain_shape), mean, std)
    L = system.A + system.B @ K
    noise = np.asarray(noise, dtype=float)
    x0 = np.asarray(x0, dtype=float)
    # time last: a(0) = x(0), a(t + 1) = B·c + w(t) (the last disturbance moves no state the reward sees)
    a = np.empty(np.broadcast_shapes(L.shape[:-1], x0.shape, noise.shape[:-2] + noise.shape[-1:]) + noise.shape[-2:-1])
    a[..., 0] = x0
    a[..., 1:] = np.swapaxes(noise[..., :-1, :], -1, -2) + system.B @ c[..., None]
    with np.errstate(over="ignore", invalid="ignore"):
        _linear_scan(L, a)
        u = K @ a + c[..., None]  # the inputs u(t), as columns
        cost = np.sum((system.Q @ a) * a, axis=(-2, -1)) + np.sum((system.R @ u) * u, axis=(-2, -1))
    return Rollout(-np.where(np.isnan(cost), np.inf, cost), np.swapaxes(a, -1, -2))


def lqr_rollout(
    K: Any, rng: Any, *, mean: Any = None, std: Any = None, system: LQR | None = None
) -> Rollout:
    """One rollout per gain in ``K`` (..., m, n): x(0) ~ N(0, I), w(t) ~ N(0, I), drawn from ``rng``
    (a seed or a ``np.random.Generator``), independent for every policy; see ``lqr_simulate``."""
    system = system or _DEFAULT_LQR
    K = _gains(K, system.gain_shape)
    rng = np.random.default_rng(rng)
    n = system.A.shape[0]
    x0 = rng.standard_normal(K.shape[:-2] + (n,))
    noise = rng.standard_normal((system.horizon,) + K.shape[:-2] + (n,))  # drawn time first: no copy below
    return lqr_simulate(K, x0, np.moveaxis(noise, 0, -2), mean=mean, std=std, system=system)


class LQRSolution(NamedTuple):
    """The optimal gain ``K`` (u = K·x), the Riccati solution ``P`` and the optimal average cost ``J``."""

    K: np.ndarray
    P: np.ndarray
    J: float


def lqr_optimal_gain(system: LQR | None = None, *, tol: float = 1e-14, max_iter: int = 100_000) -> LQRSolution:
    """Iterate the discrete Riccati equation from P = Q until P stops changing (relative ``tol``):

        P ← Q + AᵀPA − AᵀPB(R + BᵀPB)⁻¹BᵀPA,     K* = −(R + BᵀPB)⁻¹BᵀPA,     J* = tr(P)

    (J* = tr(P·W) with W = I the covariance of w: the average cost per step of u = K*·x.)
    """
    system = system or _DEFAULT_LQR
    positive("tol", tol)
    positive_int("max_iter", max_iter)
    A, B, Q, R = system.A, system.B, system.Q, system.R
    P = Q
    for _ in range(max_iter):
        P_next = Q + A.T @ P @ A - A.T @ P @ B @ np.linalg.solve(R + B.T @ P @ B, B.T @ P @ A)
        converged = np.max(np.abs(P_next - P)) <= tol * np.max(np.abs(P_next))
        P = P_next
        if converged:
            K = -np.linalg.solve(R + B.T @ P @ B, B.T @ P @ A)
            return LQRSolution(K, P, float(np.trace(P)))
    raise ValueError(f"the Riccati iteration did not converge in max_iter = {max_iter} iterations")


def lqr_cost(K: Any, *, mean: Any = None, std: Any = None, system: LQR | None = None) -> np.ndarray:
    """Exact average cost per step J(K) = lim (1/H)·E Σₜ [xᵀQx + uᵀRu] of u = K·diag(σ)⁻¹·(x − μ), shape (...).

    With L = A + B·K' (K' = K·diag(σ)⁻¹) stable, the state covariance Σ solves the Lyapunov equation
    Σ = L·Σ·Lᵀ + I, i.e. vec(Σ) = (I − L ⊗ L)⁻¹·vec(I); the mean solves x̄ = L·x̄ + B·c (c = −K'μ), and

        J = tr((Q + K'ᵀRK')·Σ) + x̄ᵀQx̄ + ūᵀRū,    ū = K'x̄ + c.

    J = ∞ when L is not stable (spectral radius ≥ 1): the state then grows without bound.
    """
    system = system or _DEFAULT_LQR
    K, c = _affine(_gains(K, system.gain_shape), mean, std)
    A, B, Q, R = system.A, system.B, system.Q, system.R
    n = A.shape[0]
    with np.errstate(over="ignore", invalid="ignore"):
        stable = np.max(np.abs(np.linalg.eigvals(A + B @ K)), axis=-1) < 1
    # unstable entries get K = 0, c = 0 and L = 0: the algebra stays finite and regular, and J = ∞ below
    K = np.where(stable[..., None, None], K, 0.0)
    c = np.where(stable[..., None], c, 0.0)
    L = np.where(stable[..., None, None], A + B @ K, 0.0)
    kron = np.einsum("...ij,...kl->...ikjl", L, L).reshape(L.shape[:-2] + (n * n, n * n))
    vec_I = np.broadcast_to(np.eye(n).reshape(n * n, 1), L.shape[:-2] + (n * n, 1))
    sigma = np.linalg.solve(np.eye(n * n) - kron, vec_I).reshape(L.shape[:-2] + (n, n))
    x_bar = np.linalg.solve(np.eye(n) - L, (B @ c[..., None]))[..., 0]
    u_bar = np.einsum("...ij,...j->...i", K, x_bar) + c
    J = (
        np.einsum("...ij,...ji->...", Q + np.swapaxes(K, -1, -2) @ R @ K, sigma)
        + np.einsum("...i,ij,...j->...", x_bar, Q, x_bar)
        + np.einsum("...i,ij,...j->...", u_bar, R, u_bar)
    )
    return np.where(stable, J, np.inf)


@lru_cache(maxsize=16)
def _optimal_cost(system: LQR) -> float:
    """J* of ``system``, solved once per system: an LQR is immutable (frozen, read-only arrays), so is its J*."""
    return lqr_optimal_gain(system).J


def lqr_relative_cost(K: Any, *, mean: Any = None, std: Any = None, system: LQR | None = None) -> np.ndarray:
    """(J(K) − J*)/J*: 0 at the optimum, ∞ for a gain that does not stabilise the system.

    J* is solved by ``lqr_optimal_gain`` once per system and kept: its Riccati iteration (~10 ms) costs
    more than J(K) of every iterate of a whole search.
    """
    J_star = _optimal_cost(system or _DEFAULT_LQR)
    return (lqr_cost(K, mean=mean, std=std, system=system) - J_star) / J_star


# ------------------------------------------------------------------------------------------ cart-pole


@dataclass(frozen=True, eq=False)
class CartPole:
    """Cart-pole of Barto, Sutton & Anderson (1983) with the classic gym constants (Euler step τ).

    θ̈ = [g·sinθ − cosθ·(F + mₚl·θ̇²·sinθ)/M] / [l·(4/3 − mₚcos²θ/M)],
    ẍ = (F + mₚl·θ̇²·sinθ)/M − mₚl·θ̈·cosθ/M,     M = m_c + mₚ,   F = ±force.
    The episode ends when |x| > 2.4 or |θ| > 12°, or after ``horizon`` steps.
    """

    gravity: float = 9.8
    masscart: float = 1.0
    masspole: float = 0.1
    length: float = 0.5  # half the pole's length
    force: float = 10.0
    tau: float = 0.02
    theta_threshold: float = 12 * 2 * np.pi / 360
    x_threshold: float = 2.4
    horizon: int = 200

    def __post_init__(self) -> None:
        for name in ("gravity", "masscart", "masspole", "length", "force", "tau", "theta_threshold", "x_threshold"):
            positive(name, getattr(self, name))
        positive_int("horizon", self.horizon)


def cartpole_simulate(
    K: Any, x0: Any, *, mean: Any = None, std: Any = None, system: CartPole | None = None
) -> Rollout:
    """Balance the pole with the bang-bang linear policy F = +force if K·diag(σ)⁻¹·(x − μ) > 0 else −force.

    K has shape (..., 1, 4) and x0 (..., 4), state x = (cart position, cart velocity, pole angle, pole
    angular velocity). Reward = number of steps after which the cart and the pole are still within the
    thresholds (at most ``horizon``).
    """
    cp = system or CartPole()
    K = _gains(K, (1, 4))
    x = np.broadcast_to(np.asarray(x0, dtype=float), np.broadcast_shapes(K.shape[:-2], np.shape(x0)[:-1]) + (4,))
    total_mass = cp.masscart + cp.masspole
    polemass_length = cp.masspole * cp.length
    alive = np.ones(x.shape[:-1], dtype=bool)
    reward = np.zeros(x.shape[:-1])
    states = []
    for _ in range(cp.horizon):
        states.append(np.where(alive[..., None], x, np.nan))
        F = np.where(_policy_input(K, x, mean, std)[..., 0] > 0, cp.force, -cp.force)
        pos, vel, theta, omega = np.moveaxis(x, -1, 0)
        sin, cos = np.sin(theta), np.cos(theta)
        temp = (F + polemass_length * omega**2 * sin) / total_mass
        theta_acc = (cp.gravity * sin - cos * temp) / (cp.length * (4 / 3 - cp.masspole * cos**2 / total_mass))
        x_acc = temp - polemass_length * theta_acc * cos / total_mass
        stepped = np.stack(
            [pos + cp.tau * vel, vel + cp.tau * x_acc, theta + cp.tau * omega, omega + cp.tau * theta_acc], axis=-1
        )
        x = np.where(alive[..., None], stepped, x)
        alive &= (np.abs(x[..., 0]) <= cp.x_threshold) & (np.abs(x[..., 2]) <= cp.theta_threshold)
        reward += alive
    return Rollout(reward, np.stack(states, axis=-2))


def cartpole_rollout(
    K: Any, rng: Any, *, mean: Any = None, std: Any = None, system: CartPole | None = None
) -> Rollout:
    """One episode per gain in ``K`` (..., 1, 4), each state entry starting uniform in [−0.05, 0.05]
    (as gym), drawn from ``rng`` (a seed or a ``np.random.Generator``); see ``cartpole_simulate``."""
    K = _gains(K, (1, 4))
    x0 = np.random.default_rng(rng).uniform(-0.05, 0.05, K.shape[:-2] + (4,))
    return cartpole_simulate(K, x0, mean=mean, std=std, system=system)
