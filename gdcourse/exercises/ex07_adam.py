"""Exercises 07 · Adam: the references (gdcourse's kernels), case generators and known mistakes of
``solutions/07_adam.ipynb``, the one place to change when an exercise of that notebook changes."""

from __future__ import annotations

import numpy as np

from .. import _validate, optimizers
from ..grading.trusted_functions import TrustedFunction
from ._kit import Case, _column, _n, _sizes, _u, exercise, mistake

NOTEBOOK = "07_adam"


def _adam_step(params, grad, m, v, t, lr=optimizers.Adam.lr, beta1=optimizers.Adam.beta1,
               beta2=optimizers.Adam.beta2, eps=optimizers.Adam.eps):  # fmt: skip
    new, state = optimizers.Adam(lr, beta1, beta2, eps).step(params, grad, optimizers.AdamState(t - 1, m, v))
    return new, state.m, state.v


def _adam_cases(rng: np.random.Generator) -> list[Case]:
    d, K, _ = _sizes(rng)
    p, g, m, v = _n(rng, d), _n(rng, d), _n(rng, d), rng.uniform(0.1, 2.0, d)
    zero = np.zeros(d)
    t = int(rng.integers(2, 6))
    hyper = (_u(rng, 0.01, 0.05), _u(rng, 0.7, 0.85), _u(rng, 0.85, 0.95), _u(rng, 0.005, 0.02))
    batch = (_column(rng, K, 0.001, 0.05), _column(rng, K, 0.8, 0.95))
    return [
        Case("first step from zero state (t = 1), default hyper-parameters", (p, g, zero, zero, 1)),
        Case(f"t = {t}, hyper-parameters {hyper}", (p, g, m, v, t, *hyper)),
        Case("a late step, t = 60, m and v ≠ 0", (p, g, m, v, 60, *hyper)),
        Case("t = 1, eps = 0.1 and a small gradient: where ε sits matters",
             (p, 0.01 * g, zero, zero, 1, 0.001, 0.9, 0.999, 0.1)),
        Case(f"K = {K} runs, lr and beta1 of shape ({K}, 1)",
             (_n(rng, K, d), _n(rng, K, d), _n(rng, K, d), rng.uniform(0.1, 2, (K, d)), t, *batch)),
        Case("beta1 = 1 must raise ValueError", (p, g, m, v, t, 0.01, 1.0)),
        Case("beta2 = -0.5 must raise ValueError", (p, g, m, v, t, 0.01, 0.9, -0.5)),
        Case("eps = 0 must raise ValueError", (p, g, m, v, t, 0.01, 0.9, 0.999, 0.0)),
    ]


def _adam_run(grad, theta0, steps, lr=optimizers.Adam.lr, beta1=optimizers.Adam.beta1, beta2=optimizers.Adam.beta2,
              eps=optimizers.Adam.eps):  # fmt: skip
    """``steps`` Adam steps from the zero state with gdcourse's kernel; the iterates θ0 … θ_steps."""
    _validate.nonnegative("steps", steps)
    kernel = optimizers.Adam(lr, beta1, beta2, eps)
    theta = np.asarray(theta0, dtype=float)
    state, iterates = kernel.init(theta), [theta]
    for _ in range(steps):
        theta, state = kernel.step(theta, grad(theta), state)
        iterates.append(theta)
    return np.stack(iterates)


def _run_cases(rng: np.random.Generator) -> list[Case]:
    d, K, _ = _sizes(rng)
    lam, b = np.round(rng.uniform(0.5, 4.0, d), 2), np.round(_n(rng, d), 2)
    bowl = TrustedFunction("quadratic_grad", A=np.diag(lam), b=b)
    ravine = TrustedFunction("quadratic_grad", A=np.diag([0.01, 1.0]), b=np.array([1.0, -1.0]))
    steps, lr = int(rng.integers(5, 12)), _u(rng, 0.05, 0.3)
    return [
        Case(f"a {d}-d bowl, {steps} steps, lr = {lr}, default betas", (bowl, _n(rng, d), steps, lr)),
        Case("the ravine of lectures 05–07 (κ = 100, minimum at (1, −1)), 30 steps from (−5, −2)",
             (ravine, np.array([-5.0, -2.0]), 30, 0.1, 0.9, 0.999)),
        Case(f"K = {K} runs at once: θ0 of shape ({K}, {d}), lr of shape ({K}, 1)",
             (bowl, _n(rng, K, d), steps, _column(rng, K, 0.01, 0.3))),
        Case("steps = 1 from the zero state: bias correction at t = 1", (bowl, _n(rng, d), 1, lr, 0.8, 0.9, 0.1)),
        Case("steps = 0 returns θ0 alone", (bowl, _n(rng, d), 0, lr)),
        Case("steps = -1 must raise ValueError", (bowl, _n(rng, d), -1, lr)),
        Case("beta2 = 1 must raise ValueError", (bowl, _n(rng, d), steps, lr, 0.9, 1.0)),
    ]


# --------------------------------------------------------------------------- known mistakes

MISTAKES = (
    mistake("adam_step", "no-bias-correction", "no bias correction: divide m by (1 − β1ᵗ) and v by (1 − β2ᵗ)", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if (np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0)
                    or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1))
                    or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1))):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            return params - lr * m / (np.sqrt(v) + eps), m, v
        """),
    mistake("adam_step", "t-minus-one",
            "the bias correction uses the step number t itself (t = 1 on the first step), not t − 1", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if (np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0)
                    or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1))
                    or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1))):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m_hat = m / (1 - beta1 ** (t - 1))
            v_hat = v / (1 - beta2 ** (t - 1))
            return params - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
        """),
    mistake("adam_step", "t-plus-one", "t is already the new step number: the bias correction uses βᵗ, not βᵗ⁺¹", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if (np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0)
                    or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1))
                    or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1))):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m_hat = m / (1 - beta1 ** (t + 1))
            v_hat = v / (1 - beta2 ** (t + 1))
            return params - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
        """),
    mistake("adam_step", "beta1-swapped", "β1 and 1 − β1 are swapped: m ← β1·m + (1 − β1)·g", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if (np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0)
                    or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1))
                    or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1))):
                raise ValueError("bad hyper-parameter")
            m = (1 - beta1) * m + beta1 * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            return params - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
        """),
    mistake("adam_step", "abs-g", "v averages squares g², not absolute values |g|", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if (np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0)
                    or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1))
                    or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1))):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * np.abs(grad)
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            return params - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
        """),
    mistake("adam_step", "eps-inside", "ε goes outside the root: √v̂ + ε, not √(v̂ + ε)", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if (np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0)
                    or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1))
                    or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1))):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            return params - lr * m_hat / np.sqrt(v_hat + eps), m, v
        """),
    mistake("adam_step", "returns-m-hat", "return the raw moments m and v; m̂ and v̂ are recomputed at every step", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if (np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0)
                    or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1))
                    or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1))):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m = m / (1 - beta1**t)
            v = v / (1 - beta2**t)
            return params - lr * m / (np.sqrt(v) + eps), m, v
        """),
    mistake("adam_step", "beta1-for-v", "v has its own rate: v ← β2·v + (1 − β2)·g², not β1", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if (np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0)
                    or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1))
                    or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1))):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta1 * v + (1 - beta1) * grad**2
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta1**t)
            return params - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
        """),
    mistake("adam_step", "no-validation", "β1, β2 must be in [0, 1), α and ε > 0: raise ValueError otherwise", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            return params - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
        """),
    mistake("adam_run", "t-from-zero", "t counts steps from 1: the first bias correction divides by 1 − β¹", """
        def adam_run(grad, theta0, steps, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if steps < 0 or np.any(np.asarray(lr) <= 0) or not (0 <= beta1 < 1 and 0 <= beta2 < 1) or eps <= 0:
                raise ValueError("bad hyper-parameter")
            theta = np.asarray(theta0, dtype=float)
            m = v = np.zeros_like(theta)
            out = [theta]
            for t in range(steps):
                g = grad(theta)
                m, v = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g**2
                theta = theta - lr * (m / (1 - beta1 ** (t + 2))) / (np.sqrt(v / (1 - beta2 ** (t + 2))) + eps)
                out.append(theta)
            return np.array(out)
        """),
    mistake("adam_run", "state-reset", "m and v carry over from step to step: start them at 0 once, before the loop",
            """
        def adam_run(grad, theta0, steps, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if steps < 0 or np.any(np.asarray(lr) <= 0) or not (0 <= beta1 < 1 and 0 <= beta2 < 1) or eps <= 0:
                raise ValueError("bad hyper-parameter")
            theta = np.asarray(theta0, dtype=float)
            m = v = np.zeros_like(theta)
            out = [theta]
            for t in range(1, steps + 1):
                g = grad(theta)
                m, v = (1 - beta1) * g, (1 - beta2) * g**2
                theta = theta - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
                out.append(theta)
            return np.array(out)
        """),
    mistake("adam_run", "stale-gradient", "evaluate the gradient at the CURRENT θ on every step", """
        def adam_run(grad, theta0, steps, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if steps < 0 or np.any(np.asarray(lr) <= 0) or not (0 <= beta1 < 1 and 0 <= beta2 < 1) or eps <= 0:
                raise ValueError("bad hyper-parameter")
            theta = np.asarray(theta0, dtype=float)
            m = v = np.zeros_like(theta)
            out = [theta]
            g = grad(theta)
            for t in range(1, steps + 1):
                m, v = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g**2
                theta = theta - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
                out.append(theta)
            return np.array(out)
        """),
)


EXERCISES = tuple(
    exercise(*entry, notebook=NOTEBOOK, mistakes=MISTAKES)
    for entry in (
        (_adam_step, "params grad m v t lr beta1 beta2 eps", "params m v", _adam_cases),
        (_adam_run, "grad theta0 steps lr beta1 beta2 eps", "iterates", _run_cases),
    )
)
