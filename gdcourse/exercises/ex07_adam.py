"""Exercises 07 · Adam: the references (gdcourse's kernels), case generators and known mistakes of
``solutions/07_adam.ipynb``, the one place to change when an exercise of that notebook changes."""

from __future__ import annotations

import numpy as np

from .. import optimizers
from ._kit import Case, exercise, mistake, _u, _n, _sizes, _column

NOTEBOOK = "07_adam"


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


# --------------------------------------------------------------------------- known mistakes

MISTAKES = (
    mistake("adam_step", "no-bias-correction", "no bias correction: divide m by (1 − β1ᵗ) and v by (1 − β2ᵗ)", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            return params - lr * m / (np.sqrt(v) + eps), m, v
        """),
    mistake("adam_step", "t-minus-one", "the bias correction uses the step number t itself (t = 1 on the first step), not t − 1", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m_hat = m / (1 - beta1 ** (t - 1))
            v_hat = v / (1 - beta2 ** (t - 1))
            return params - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
        """),
    mistake("adam_step", "t-plus-one", "t is already the new step number: the bias correction uses βᵗ, not βᵗ⁺¹", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m_hat = m / (1 - beta1 ** (t + 1))
            v_hat = v / (1 - beta2 ** (t + 1))
            return params - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
        """),
    mistake("adam_step", "beta1-swapped", "β1 and 1 − β1 are swapped: m ← β1·m + (1 − β1)·g", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
                raise ValueError("bad hyper-parameter")
            m = (1 - beta1) * m + beta1 * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            return params - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
        """),
    mistake("adam_step", "abs-g", "v averages squares g², not absolute values |g|", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * np.abs(grad)
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            return params - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
        """),
    mistake("adam_step", "eps-inside", "ε goes outside the root: √v̂ + ε, not √(v̂ + ε)", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            return params - lr * m_hat / np.sqrt(v_hat + eps), m, v
        """),
    mistake("adam_step", "returns-m-hat", "return the raw moments m and v; m̂ and v̂ are recomputed at every step", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m = m / (1 - beta1**t)
            v = v / (1 - beta2**t)
            return params - lr * m / (np.sqrt(v) + eps), m, v
        """),
    mistake("adam_step", "beta1-for-v", "v has its own rate: v ← β2·v + (1 − β2)·g², not β1", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
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
    mistake("adamw_step", "l2-in-gradient", "that is Adam with an L2 penalty (λθ added to g); AdamW decays θ directly: θ ← θ − α(m̂/(√v̂ + ε) + λθ)", """
        def adamw_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any(np.asarray(weight_decay) < 0) or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
                raise ValueError("bad hyper-parameter")
            grad = grad + weight_decay * params
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            return params - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
        """),
    mistake("adamw_step", "decay-without-lr", "the decay is scaled by α too: θ ← θ − α·(m̂/(√v̂ + ε) + λ·θ)", """
        def adamw_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any(np.asarray(weight_decay) < 0) or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            return params - lr * m_hat / (np.sqrt(v_hat) + eps) - weight_decay * params, m, v
        """),
    mistake("adamw_step", "decay-sign", "weight decay pulls θ toward 0: subtract α·λ·θ, do not add it", """
        def adamw_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any(np.asarray(weight_decay) < 0) or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            return params - lr * (m_hat / (np.sqrt(v_hat) + eps) - weight_decay * params), m, v
        """),
    mistake("adamw_step", "no-validation", "weight_decay must be >= 0 (and β1, β2 in [0, 1), α, ε > 0): raise ValueError otherwise", """
        def adamw_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            return params - lr * (m_hat / (np.sqrt(v_hat) + eps) + weight_decay * params), m, v
        """),
)


EXERCISES = tuple(
    exercise(*entry, notebook=NOTEBOOK, mistakes=MISTAKES)
    for entry in (
        (_adam_step, "params grad m v t lr beta1 beta2 eps", "params m v", lambda rng: _adam_cases(rng, decay=False)),
        (_adamw_step, "params grad m v t lr beta1 beta2 eps weight_decay", "params m v", lambda rng: _adam_cases(rng, decay=True)),
    )
)
