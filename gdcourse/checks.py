"""Exercise checks: ``check(adam_step)`` runs seeded cases against gdcourse's own kernels.

Each graded function of ``exercises/`` has an entry in ``EXERCISES``: its signature, a reference with
the same signature that calls the course's kernels (never a copy of them), and a case generator
``cases(rng)`` that draws shapes and values from a seed: batched leading axes with K learning rates,
boundary values, non-default hyper-parameters, and the bad hyper-parameters that must raise ValueError.
The notebook uses ``VISIBLE_SEED``; the instructor's grader draws the same kinds of cases from a seed the
student does not know, so hard-coding the visible answers does not pay.

A failure raises ``CheckFailed`` naming the case, the element, what was returned and what was expected,
and the known mistake (``gdcourse.mistakes``) that returns exactly the same thing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import ars, batching, models, optimizers, schedules, theory
from .grading.judge import Case, Exercise, judge, run_here

__all__ = ["CheckFailed", "check", "EXERCISES", "VISIBLE_SEED"]

VISIBLE_SEED = 0
"""The seed of the cases ``check`` shows; the grader refuses to use it."""


class CheckFailed(AssertionError):
    """A graded function returned something other than the reference on a case (the message says what)."""


def check(fn: Callable, name: str | None = None) -> None:
    """Run the visible cases of exercise ``name`` (default: ``fn.__name__``) on ``fn``.

    Prints one line when every case passes; raises ``CheckFailed`` otherwise (once, "not implemented
    yet", while the stub still raises NotImplementedError).
    """
    name = name or getattr(fn, "__name__", "")
    if name not in EXERCISES:
        raise ValueError(f"no exercise named {name!r}; the exercises are {', '.join(sorted(EXERCISES))}")
    exercise = EXERCISES[name]
    cases = exercise.cases(np.random.default_rng(VISIBLE_SEED))
    verdict = judge(exercise, cases, [run_here(fn, case, exercise.arg_names) for case in cases])
    if verdict.failures:
        raise CheckFailed(verdict.summary())
    print(verdict.summary())


# --------------------------------------------------------------------------- case helpers


def _u(rng: np.random.Generator, low: float, high: float) -> float:
    """A readable random hyper-parameter (3 significant digits) in [low, high]."""
    return float(f"{rng.uniform(low, high):.3g}")


def _n(rng: np.random.Generator, *shape: int) -> np.ndarray:
    return rng.standard_normal(shape)


def _sizes(rng: np.random.Generator) -> tuple[int, int, int]:
    """d (parameters or features), K (runs), m (examples)."""
    return int(rng.integers(2, 5)), int(rng.integers(2, 5)), int(rng.integers(5, 9))


def _column(rng: np.random.Generator, K: int, low: float, high: float) -> np.ndarray:
    """K hyper-parameter values as a column (K, 1): one per run of a batch."""
    return np.round(rng.uniform(low, high, size=(K, 1)), 3)


# --------------------------------------------------------------------------- 02 batch gradient descent


def _mse_loss(theta, X, y):
    return models.LinearRegression(np.shape(X)[1]).loss(theta, X, y)


def _mse_grad(theta, X, y):
    return models.LinearRegression(np.shape(X)[1]).grad(theta, X, y)


def _regression_cases(rng: np.random.Generator) -> list[Case]:
    d, K, m = _sizes(rng)
    X, y, theta = _n(rng, m, d), _n(rng, m), _n(rng, d + 1)
    w, b = _n(rng, d), _u(rng, -1, 1)
    return [
        Case(f"one run: theta {theta.shape}, X {X.shape}", (theta, X, y)),
        Case(f"K = {K} runs at once: theta ({K}, {d + 1})", (_n(rng, K, d + 1), X, y)),
        Case(f"two leading axes: theta (2, {K}, {d + 1})", (_n(rng, 2, K, d + 1), X, y)),
        Case("a single example (m = 1)", (theta, X[:1], y[:1])),
        Case("a single feature (d = 1)", (_n(rng, 2), X[:, :1], y)),
        Case("a perfect fit: every residual is 0", (np.append(w, b), X, X @ w + b)),
    ]


def _gd_step(theta, grad, lr=optimizers.GD.lr):
    return optimizers.GD(lr).step(theta, grad, optimizers.GDState(0))[0]


def _gd_step_cases(rng: np.random.Generator) -> list[Case]:
    d, K, _ = _sizes(rng)
    theta, grad, lr = _n(rng, d), _n(rng, d), _u(rng, 0.2, 0.9)
    lrs = _column(rng, K, 0.01, 1.0)
    bad = lrs.copy()
    bad[-1] = -bad[-1]
    return [
        Case("default lr", (theta, grad)),
        Case(f"lr = {lr}", (theta, grad, lr)),
        Case(f"K = {K} runs, lr of shape ({K}, 1)", (_n(rng, K, d), _n(rng, K, d), lrs)),
        Case("a zero gradient does not move", (theta, np.zeros(d), lr)),
        Case("lr = -0.1 must raise ValueError", (theta, grad, -0.1)),
        Case("lr = 0 must raise ValueError", (theta, grad, 0.0)),
        Case(f"one negative lr among K = {K} runs must raise ValueError", (_n(rng, K, d), _n(rng, K, d), bad)),
    ]


# --------------------------------------------------------------------------- 03 mini-batches


def _n_batches(m, batch_size, drop_last=False):
    return batching.n_batches(m, batch_size, drop_last)


def _n_batches_cases(rng: np.random.Generator) -> list[Case]:
    b = int(rng.integers(2, 6))
    m = b * int(rng.integers(2, 6))
    return [
        Case(f"m = {m + 1}, batch_size = {b}: a partial last batch", (m + 1, b)),
        Case(f"m = {m}, batch_size = {b}: divides exactly", (m, b)),
        Case(f"m = {m + 1}, batch_size = {b}, drop_last=True", (m + 1, b, True)),
        Case(f"m = {m}, batch_size = {b}, drop_last=True", (m, b, True)),
        Case(f"batch_size = m = {m}: batch gradient descent", (m, m)),
        Case(f"batch_size = 1: stochastic, m = {m} iterations", (m, 1)),
        Case(f"batch_size = {m + 1} > m must raise ValueError", (m, m + 1)),
        Case("batch_size = 0 must raise ValueError", (m, 0)),
    ]


def _epoch_batches(m, batch_size, epoch=0, seed=0, drop_last=False):
    return batching.epoch_batches(m, batch_size, epoch=epoch, seed=seed, drop_last=drop_last)


def _epoch_batches_cases(rng: np.random.Generator) -> list[Case]:
    b = int(rng.integers(2, 5))
    m = b * int(rng.integers(2, 5)) + int(rng.integers(1, b))  # never a multiple of b
    seed, epoch = int(rng.integers(0, 1000)), int(rng.integers(2, 9))
    return [
        Case(f"m = {m}, batch_size = {b}, default epoch and seed", (m, b)),
        Case(f"epoch = {epoch}, seed = {seed}: a new order", (m, b, epoch, seed)),
        Case(f"m = {m - m % b} divisible by batch_size = {b}", (m - m % b, b, 1, seed)),
        Case("drop_last=True drops the partial batch", (m, b, epoch, seed, True)),
        Case(f"batch_size = m = {m}: one batch", (m, m, 0, seed)),
        Case("batch_size = 1: one row per batch", (m, 1, 1, seed)),
        Case(f"batch_size = {m + 1} > m must raise ValueError", (m, m + 1)),
    ]


def _minibatch_grad(theta, X, y, index):
    return _mse_grad(theta, np.asarray(X)[index], np.asarray(y)[index])


def _minibatch_grad_cases(rng: np.random.Generator) -> list[Case]:
    d, K, m = _sizes(rng)
    m += 4
    X, y = _n(rng, m, d), _n(rng, m)
    perm = rng.permutation(m)
    return [
        Case(f"a batch of 3 of m = {m} rows", (_n(rng, d + 1), X, y, perm[:3])),
        Case(f"K = {K} runs on one batch", (_n(rng, K, d + 1), X, y, perm[3:7])),
        Case("a batch of one row (stochastic)", (_n(rng, d + 1), X, y, perm[-1:])),
        Case("the whole data set as one batch", (_n(rng, d + 1), X, y, perm)),
    ]


# --------------------------------------------------------------------------- 04 learning rate


def _eigvalsh(A: Any) -> np.ndarray:
    return np.linalg.eigvalsh(np.asarray(A, dtype=float))


def _max_stable_lr(A):
    return theory.gd_max_stable_lr(_eigvalsh(A)[..., -1])


def _gd_rate(lr, A):
    return theory.gd_rate(np.asarray(lr, dtype=float)[..., None], _eigvalsh(A), axis=-1)


def _optimal_lr(A):
    lam = _eigvalsh(A)
    return tuple(theory.gd_optimal(lam[..., 0], lam[..., -1]))


def _spd(rng: np.random.Generator, d: int, *batch: int) -> np.ndarray:
    """A full symmetric positive definite matrix (QQᵀ + 0.1·I)."""
    Q = _n(rng, *batch, d, d)
    return Q @ np.swapaxes(Q, -1, -2) + 0.1 * np.eye(d)


def _quadratics(rng: np.random.Generator) -> tuple[int, int, np.ndarray, np.ndarray]:
    d, K, _ = _sizes(rng)
    lam = rng.permutation(np.round(rng.uniform(0.5, 5.0, size=d + 1), 2))  # largest not last on the diagonal
    return d, K, np.diag(lam), _spd(rng, d)


def _matrix_cases(rng: np.random.Generator) -> list[Case]:
    """Shared by max_stable_lr and optimal_lr: functions of A alone."""
    d, K, diag, A = _quadratics(rng)
    return [
        Case(f"a diagonal A = diag({np.diag(diag).tolist()})", (diag,)),
        Case(f"a full symmetric positive definite {d}×{d} A", (A,)),
        Case(f"K = {K} matrices at once: A ({K}, {d}, {d})", (_spd(rng, d, K),)),
        Case("a 1×1 matrix", (np.array([[_u(rng, 0.5, 4)]]),)),
        Case("eigenvalues from 0.01 to 100", (np.diag([100.0, 0.01, 1.0]),)),
        Case("A = c·I: κ = 1", (_u(rng, 0.5, 4) * np.eye(d),)),
        Case("a negative definite A must raise ValueError", (-A,)),
    ]


def _gd_rate_cases(rng: np.random.Generator) -> list[Case]:
    d, K, diag, A = _quadratics(rng)
    L = float(np.linalg.eigvalsh(A)[-1])
    return [
        Case("a small lr on a diagonal A", (_u(rng, 0.01, 0.1), diag)),
        Case(f"lr = 1/L on a full {d}×{d} A", (1 / L, A)),
        Case(f"K = {K} learning rates on one A: lr of shape ({K},)", (np.round(rng.uniform(0.01, 3 / L, K), 4), A)),
        Case(f"one lr on K = {K} matrices: A ({K}, {d}, {d})", (0.05, _spd(rng, d, K))),
        Case("lr = 3/L: too large, rate > 1", (3 / L, A)),
        Case("lr = 0: rate 1, nothing moves", (0.0, A)),
        Case("lr = -0.1 must raise ValueError", (-0.1, A)),
    ]


# --------------------------------------------------------------------------- 05 momentum


def _momentum_init(params):
    return optimizers.Momentum().init(params).v


def _momentum_init_cases(rng: np.random.Generator) -> list[Case]:
    d, K, _ = _sizes(rng)
    return [
        Case(f"params of shape ({d},)", (_n(rng, d),)),
        Case(f"K = {K} runs: params ({K}, {d})", (_n(rng, K, d),)),
        Case("a single number", (_u(rng, -2, 2),)),
        Case("integer params still give a float velocity", (np.arange(d),)),
    ]


def _momentum_step(params, grad, v, lr=optimizers.Momentum.lr, beta=optimizers.Momentum.beta):
    new, state = optimizers.Momentum(lr, beta).step(params, grad, optimizers.MomentumState(0, v))
    return new, state.v


def _momentum_step_cases(rng: np.random.Generator) -> list[Case]:
    d, K, _ = _sizes(rng)
    p, g, v = _n(rng, d), _n(rng, d), _n(rng, d)
    lr, beta = _u(rng, 0.05, 0.5), _u(rng, 0.6, 0.95)
    return [
        Case("from rest (v = 0), default lr and beta", (p, g, np.zeros(d))),
        Case(f"v ≠ 0, lr = {lr}, beta = {beta}", (p, g, v, lr, beta)),
        Case("beta = 0 is plain gradient descent", (p, g, v, lr, 0.0)),
        Case(f"K = {K} runs, lr and beta of shape ({K}, 1)",
             (_n(rng, K, d), _n(rng, K, d), _n(rng, K, d), _column(rng, K, 0.01, 0.5), _column(rng, K, 0.6, 0.99))),
        Case("beta = 1 must raise ValueError", (p, g, v, lr, 1.0)),
        Case("beta = -0.1 must raise ValueError", (p, g, v, lr, -0.1)),
        Case("lr = -0.01 must raise ValueError", (p, g, v, -0.01, beta)),
    ]


# --------------------------------------------------------------------------- 06 adaptive methods


def _adagrad_step(params, grad, G, lr=optimizers.AdaGrad.lr, eps=optimizers.AdaGrad.eps):
    new, state = optimizers.AdaGrad(lr, eps).step(params, grad, optimizers.AdaGradState(0, G))
    return new, state.G


def _rmsprop_step(params, grad, s, lr=optimizers.RMSProp.lr, beta=optimizers.RMSProp.beta, eps=optimizers.RMSProp.eps):
    new, state = optimizers.RMSProp(lr, beta, eps).step(params, grad, optimizers.RMSPropState(0, s, np.zeros_like(s)))
    return new, state.s


def _accumulator_cases(rng: np.random.Generator, beta: bool) -> list[Case]:
    """Shared by AdaGrad (state G) and RMSProp (state s, with β)."""
    d, K, _ = _sizes(rng)
    p, g, acc = _n(rng, d), _n(rng, d), rng.uniform(0.1, 2.0, d)
    lr, eps, b = _u(rng, 0.01, 0.3), _u(rng, 1e-4, 1e-3), _u(rng, 0.6, 0.95)
    hyper = (lr, b, eps) if beta else (lr, eps)
    with_eps = (lambda e: (lr, b, e)) if beta else (lambda e: (lr, e))
    g0 = g.copy()
    g0[0] = 0.0
    cases = [
        Case("first step from a zero accumulator, default hyper-parameters", (p, g, np.zeros(d))),
        Case(f"accumulator > 0, hyper-parameters {hyper}", (p, g, acc, *hyper)),
        Case("eps = 0.1 and a small gradient: where ε sits matters", (p, 0.01 * g, np.zeros(d), *with_eps(0.1))),
        Case(f"K = {K} runs, lr of shape ({K}, 1)",
             (_n(rng, K, d), _n(rng, K, d), rng.uniform(0.1, 2.0, (K, d)), _column(rng, K, 0.01, 0.3))),
        Case("a zero gradient component with a zero accumulator does not move", (p, g0, np.zeros(d), *hyper)),
        Case("eps = 0 must raise ValueError", (p, g, acc, *with_eps(0.0))),
        Case("lr = -0.01 must raise ValueError", (p, g, acc, -0.01)),
    ]
    if beta:
        cases.insert(5, Case("beta = 0: s is the latest g²", (p, g, acc, lr, 0.0)))
        cases.append(Case("beta = 1 must raise ValueError", (p, g, acc, lr, 1.0)))
    return cases


# --------------------------------------------------------------------------- 07 Adam


def _adam_step(params, grad, m, v, t, lr=optimizers.Adam.lr, beta1=optimizers.Adam.beta1,
               beta2=optimizers.Adam.beta2, eps=optimizers.Adam.eps):  # fmt: skip
    new, state = optimizers.Adam(lr, beta1, beta2, eps).step(params, grad, optimizers.AdamState(t - 1, m, v))
    return new, state.m, state.v


def _adamw_step(params, grad, m, v, t, lr=optimizers.AdamW.lr, beta1=optimizers.AdamW.beta1,
                beta2=optimizers.AdamW.beta2, eps=optimizers.AdamW.eps,
                weight_decay=optimizers.AdamW.weight_decay):  # fmt: skip
    kernel = optimizers.AdamW(lr, beta1, beta2, eps, weight_decay)
    new, state = kernel.step(params, grad, optimizers.AdamState(t - 1, m, v))
    return new, state.m, state.v


def _adam_cases(rng: np.random.Generator, decay: bool) -> list[Case]:
    """Shared by Adam and AdamW (one more hyper-parameter, weight_decay)."""
    d, K, _ = _sizes(rng)
    p, g, m, v = _n(rng, d), _n(rng, d), _n(rng, d), rng.uniform(0.1, 2.0, d)
    zero = np.zeros(d)
    t = int(rng.integers(2, 6))
    wd = (_u(rng, 0.05, 0.3),) if decay else ()
    hyper = (_u(rng, 0.01, 0.05), _u(rng, 0.7, 0.85), _u(rng, 0.85, 0.95), _u(rng, 0.005, 0.02), *wd)
    batch = (_column(rng, K, 0.001, 0.05), _column(rng, K, 0.8, 0.95))
    cases = [
        Case("first step from zero state (t = 1), default hyper-parameters", (p, g, zero, zero, 1)),
        Case(f"t = {t}, hyper-parameters {hyper}", (p, g, m, v, t, *hyper)),
        Case("a late step, t = 60, m and v ≠ 0", (p, g, m, v, 60, *hyper)),
        Case("t = 1, eps = 0.1 and a small gradient: where ε sits matters",
             (p, 0.01 * g, zero, zero, 1, 0.001, 0.9, 0.999, 0.1, *wd)),
        Case(f"K = {K} runs, lr and beta1 of shape ({K}, 1)",
             (_n(rng, K, d), _n(rng, K, d), _n(rng, K, d), rng.uniform(0.1, 2, (K, d)), t, *batch)),
        Case("beta1 = 1 must raise ValueError", (p, g, m, v, t, 0.01, 1.0)),
        Case("beta2 = -0.5 must raise ValueError", (p, g, m, v, t, 0.01, 0.9, -0.5)),
        Case("eps = 0 must raise ValueError", (p, g, m, v, t, 0.01, 0.9, 0.999, 0.0)),
    ]
    if decay:
        cases.insert(4, Case("weight_decay = 0 is Adam", (p, g, m, v, t, *hyper[:4], 0.0)))
        cases.append(Case("weight_decay = -0.01 must raise ValueError", (p, g, m, v, t, *hyper[:4], -0.01)))
    return cases


# --------------------------------------------------------------------------- 08 schedules


def _time_decay(lr0, decay, n):
    return schedules.TimeDecay(lr0, decay)(n)


def _step_decay(lr0, drop, every, n):
    return schedules.StepDecay(lr0, drop, every)(n)


def _exponential_decay(lr0, rate, n):
    return schedules.ExponentialDecay(lr0, rate)(n)


def _schedule_cases(rng: np.random.Generator, kind: str) -> list[Case]:
    """Cases for a schedule f(lr0, <hyper...>, n); ``kind`` picks the hyper-parameters."""
    K = int(rng.integers(2, 5))
    lr0 = _u(rng, 0.05, 1.0)
    if kind == "step":
        every = int(rng.integers(3, 7))
        hyper, batch, bad = (_u(rng, 0.2, 0.8), every), (_column(rng, K, 0.2, 0.8), every), ((1.5, every), "drop = 1.5")
        n = np.arange(3 * every + 2)
    else:
        hyper, batch = (_u(rng, 0.05, 0.5),), (_column(rng, K, 0.01, 1.0),)
        bad, n = ((-0.1,), "a negative " + ("decay" if kind == "time" else "rate")), np.arange(12)
    return [
        Case("n = 0: the initial rate", (lr0, *hyper, 0)),
        Case(f"n = 0 … {n[-1]}, hyper-parameters {hyper}", (lr0, *hyper, n)),
        Case(f"K = {K} schedules at once: shape ({K}, 1) against n of shape ({len(n)},)", (lr0, *batch, n)),
        Case("a (2, 3) array of steps", (lr0, *hyper, np.array([[0, 7, 30], [1, 2, 1000]]))),
        Case(f"{bad[1]} must raise ValueError", (lr0, *bad[0], n)),
        Case("lr0 = 0 must raise ValueError", (0.0, *hyper, n)),
        Case("a negative step n = -1 must raise ValueError", (lr0, *hyper, -1)),
    ]


# --------------------------------------------------------------------------- 09 augmented random search


def _brs_update(theta, deltas, r_plus, r_minus, lr):
    return ars.brs_update(theta, deltas, r_plus, r_minus, lr)


def _ars_update(M, deltas, r_plus, r_minus, lr, top):
    return ars.ars_update(M, deltas, r_plus, r_minus, lr, top)


def _search_cases(rng: np.random.Generator, top: bool) -> list[Case]:
    """Shared by BRS (θ ← θ + α/N Σ ...) and ARS (top b directions, σ_R)."""
    N, S, p, n = int(rng.integers(6, 10)), int(rng.integers(2, 4)), int(rng.integers(2, 4)), int(rng.integers(2, 4))
    b = int(rng.integers(2, N - 2))
    lr = _u(rng, 0.01, 0.1)
    M, deltas = _n(rng, p, n), _n(rng, N, p, n)
    rp, rm = _n(rng, N), _n(rng, N)

    def case(name: str, *args: Any, k: int = b) -> Case:
        return Case(name + (f", top b = {k}" if top else ""), args + ((k,) if top else ()))

    cases = [
        case(f"N = {N} directions, M of shape ({p}, {n})", M, deltas, rp, rm, lr),
        case(f"rewards of very different scales, lr = {lr}", M, deltas, 50 * rp + 100, 50 * rm + 100, lr),
        case(f"S = {S} runs at once: M ({S}, {n}), rewards ({N}, {S}), lr ({S}, 1)",
             _n(rng, S, n), _n(rng, N, S, n), _n(rng, N, S), _n(rng, N, S), _column(rng, S, 0.01, 0.1)),
        case("a vector of parameters", M[0], deltas[:, 0], rp, rm, lr),
    ]
    if top:
        same = np.full(N, _u(rng, -2, 2))
        cases += [
            case("top b = N: every direction", M, deltas, rp, rm, lr, k=N),
            case("top b = 1: the single best direction", M, deltas, rp, rm, lr, k=1),
            case("all rewards equal: σ_R = 0, M does not move", M, deltas, same, same, lr),
            Case("top = 0 must raise ValueError", (M, deltas, rp, rm, lr, 0)),
            Case(f"top = N + 1 = {N + 1} must raise ValueError", (M, deltas, rp, rm, lr, N + 1)),
        ]
    return cases + [Case(f"lr = {-lr} must raise ValueError", (M, deltas, rp, rm, -lr) + ((b,) if top else ()))]


# --------------------------------------------------------------------------- the registry


def _exercise(reference: Callable, notebook: str, arg_names: str, outputs: str, cases: Callable) -> Exercise:
    name = reference.__name__.lstrip("_")
    return Exercise(name, notebook, tuple(arg_names.split()), tuple(outputs.split()), reference, cases)


EXERCISES: dict[str, Exercise] = {
    e.name: e
    for e in (
        _exercise(_mse_loss, "02_batch_gradient_descent", "theta X y", "J", _regression_cases),
        _exercise(_mse_grad, "02_batch_gradient_descent", "theta X y", "grad", _regression_cases),
        _exercise(_gd_step, "02_batch_gradient_descent", "theta grad lr", "theta", _gd_step_cases),
        _exercise(_n_batches, "03_stochastic_minibatch", "m batch_size drop_last", "n", _n_batches_cases),
        _exercise(_epoch_batches, "03_stochastic_minibatch", "m batch_size epoch seed drop_last", "batches",
                  _epoch_batches_cases),
        _exercise(_minibatch_grad, "03_stochastic_minibatch", "theta X y index", "grad", _minibatch_grad_cases),
        _exercise(_max_stable_lr, "04_learning_rate", "A", "lr_max", _matrix_cases),
        _exercise(_gd_rate, "04_learning_rate", "lr A", "rate", _gd_rate_cases),
        _exercise(_optimal_lr, "04_learning_rate", "A", "lr rate", _matrix_cases),
        _exercise(_momentum_init, "05_momentum", "params", "v", _momentum_init_cases),
        _exercise(_momentum_step, "05_momentum", "params grad v lr beta", "params v", _momentum_step_cases),
        _exercise(_adagrad_step, "06_adaptive_methods", "params grad G lr eps", "params G",
                  lambda rng: _accumulator_cases(rng, beta=False)),
        _exercise(_rmsprop_step, "06_adaptive_methods", "params grad s lr beta eps", "params s",
                  lambda rng: _accumulator_cases(rng, beta=True)),
        _exercise(_adam_step, "07_adam", "params grad m v t lr beta1 beta2 eps", "params m v",
                  lambda rng: _adam_cases(rng, decay=False)),
        _exercise(_adamw_step, "07_adam", "params grad m v t lr beta1 beta2 eps weight_decay", "params m v",
                  lambda rng: _adam_cases(rng, decay=True)),
        _exercise(_time_decay, "08_schedules", "lr0 decay n", "lr", lambda rng: _schedule_cases(rng, "time")),
        _exercise(_step_decay, "08_schedules", "lr0 drop every n", "lr", lambda rng: _schedule_cases(rng, "step")),
        _exercise(_exponential_decay, "08_schedules", "lr0 rate n", "lr", lambda rng: _schedule_cases(rng, "exp")),
        _exercise(_brs_update, "09_augmented_random_search", "theta deltas r_plus r_minus lr", "theta",
                  lambda rng: _search_cases(rng, top=False)),
        _exercise(_ars_update, "09_augmented_random_search", "M deltas r_plus r_minus lr top", "M",
                  lambda rng: _search_cases(rng, top=True)),
    )
}
"""Every graded function by name: its notebook, signature, reference and case generator."""
