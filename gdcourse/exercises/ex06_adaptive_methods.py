"""Exercises 06 · Adaptive methods: the references (gdcourse's kernels), case generators and known mistakes of
``solutions/06_adaptive_methods.ipynb``, the one place to change when an exercise of that notebook changes."""

from __future__ import annotations

import numpy as np

from .. import optimizers
from ._kit import Case, _column, _n, _sizes, _u, exercise, mistake

NOTEBOOK = "06_adaptive_methods"


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


# --------------------------------------------------------------------------- known mistakes

def _adadelta_step(params, grad, Eg2, Edx2, rho=optimizers.Adadelta.rho, eps=optimizers.Adadelta.eps):
    new, state = optimizers.Adadelta(1.0, rho, eps).step(params, grad, optimizers.AdadeltaState(0, Eg2, Edx2))
    return new, state.Eg2, state.Edx2


def _adadelta_cases(rng: np.random.Generator) -> list[Case]:
    d, K, _ = _sizes(rng)
    p, g = _n(rng, d), _n(rng, d)
    Eg2, Edx2 = rng.uniform(0.1, 2.0, d), rng.uniform(0.001, 0.1, d)
    rho, eps = _u(rng, 0.8, 0.95), _u(rng, 1e-4, 1e-2)
    zero = np.zeros(d)
    return [
        Case("first step from zero averages, default rho and eps", (p, g, zero, zero)),
        Case(f"averages > 0, rho = {rho}, eps = {eps}", (p, g, Eg2, Edx2, rho, eps)),
        Case("eps = 0.1: ε sits inside both roots", (p, 0.1 * g, Eg2, Edx2, rho, 0.1)),
        Case("gradients and E[g²] of a loss scaled by 100",
             (p, 100 * g, 1e4 * Eg2, Edx2, rho, eps)),
        Case(f"K = {K} runs, rho of shape ({K}, 1)",
             (_n(rng, K, d), _n(rng, K, d), rng.uniform(0.1, 2, (K, d)), rng.uniform(0.001, 0.1, (K, d)),
              _column(rng, K, 0.8, 0.99))),
        Case("rho = 1 must raise ValueError", (p, g, Eg2, Edx2, 1.0, eps)),
        Case("eps = 0 must raise ValueError", (p, g, Eg2, Edx2, rho, 0.0)),
    ]


MISTAKES = (
    mistake("adagrad_step", "abs", "AdaGrad accumulates squares g², not absolute values |g|", """
        def adagrad_step(params, grad, G, lr=0.01, eps=1e-10):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0):
                raise ValueError("lr and eps must be > 0")
            G = G + np.abs(grad)
            return params - lr * grad / (np.sqrt(G) + eps), G
        """),
    mistake("adagrad_step", "eps-inside", "ε goes outside the root here: √G + ε, not √(G + ε)", """
        def adagrad_step(params, grad, G, lr=0.01, eps=1e-10):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0):
                raise ValueError("lr and eps must be > 0")
            G = G + grad**2
            return params - lr * grad / np.sqrt(G + eps), G
        """),
    mistake("adagrad_step", "no-accumulation", "G is a running SUM: G ← G + g², not G = g² (that forgets the past)", """
        def adagrad_step(params, grad, G, lr=0.01, eps=1e-10):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0):
                raise ValueError("lr and eps must be > 0")
            G = grad**2
            return params - lr * grad / (np.sqrt(G) + eps), G
        """),
    mistake("adagrad_step", "old-G", "add g² to G first, then divide by the NEW √G", """
        def adagrad_step(params, grad, G, lr=0.01, eps=1e-10):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0):
                raise ValueError("lr and eps must be > 0")
            new_params = params - lr * grad / (np.sqrt(G) + eps)
            return new_params, G + grad**2
        """),
    mistake("adagrad_step", "no-sqrt", "divide by the ROOT √G + ε, not by G", """
        def adagrad_step(params, grad, G, lr=0.01, eps=1e-10):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0):
                raise ValueError("lr and eps must be > 0")
            G = G + grad**2
            return params - lr * grad / (G + eps), G
        """),
    mistake("adagrad_step", "no-validation", "α and ε must be > 0: raise ValueError otherwise", """
        def adagrad_step(params, grad, G, lr=0.01, eps=1e-10):
            G = G + grad**2
            return params - lr * grad / (np.sqrt(G) + eps), G
        """),
    mistake("rmsprop_step", "beta-swapped", "β and 1 − β are swapped: s ← β·s + (1 − β)·g²", """
        def rmsprop_step(params, grad, s, lr=0.001, beta=0.9, eps=1e-8):
            if (np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0)
                    or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1))):
                raise ValueError("lr, eps must be > 0 and beta in [0, 1)")
            s = (1 - beta) * s + beta * grad**2
            return params - lr * grad / (np.sqrt(s) + eps), s
        """),
    mistake("rmsprop_step", "abs", "RMSProp averages squares g², not absolute values |g|", """
        def rmsprop_step(params, grad, s, lr=0.001, beta=0.9, eps=1e-8):
            if (np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0)
                    or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1))):
                raise ValueError("lr, eps must be > 0 and beta in [0, 1)")
            s = beta * s + (1 - beta) * np.abs(grad)
            return params - lr * grad / (np.sqrt(s) + eps), s
        """),
    mistake("rmsprop_step", "eps-inside", "ε goes outside the root here: √s + ε, not √(s + ε)", """
        def rmsprop_step(params, grad, s, lr=0.001, beta=0.9, eps=1e-8):
            if (np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0)
                    or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1))):
                raise ValueError("lr, eps must be > 0 and beta in [0, 1)")
            s = beta * s + (1 - beta) * grad**2
            return params - lr * grad / np.sqrt(s + eps), s
        """),
    mistake("rmsprop_step", "old-s", "update s first, then divide by the NEW √s", """
        def rmsprop_step(params, grad, s, lr=0.001, beta=0.9, eps=1e-8):
            if (np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0)
                    or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1))):
                raise ValueError("lr, eps must be > 0 and beta in [0, 1)")
            new_params = params - lr * grad / (np.sqrt(s) + eps)
            return new_params, beta * s + (1 - beta) * grad**2
        """),
    mistake("rmsprop_step", "no-validation", "β must be in [0, 1), α and ε > 0: raise ValueError otherwise", """
        def rmsprop_step(params, grad, s, lr=0.001, beta=0.9, eps=1e-8):
            s = beta * s + (1 - beta) * grad**2
            return params - lr * grad / (np.sqrt(s) + eps), s
        """),
    mistake("adadelta_step", "old-Eg2", "update E[g²] first, then divide by √(E[g²] + ε) with the NEW average", """
        def adadelta_step(params, grad, Eg2, Edx2, rho=0.9, eps=1e-6):
            if np.any((np.asarray(rho) < 0) | (np.asarray(rho) >= 1)) or np.any(np.asarray(eps) <= 0):
                raise ValueError("rho in [0, 1), eps > 0")
            dx = -np.sqrt(Edx2 + eps) / np.sqrt(Eg2 + eps) * grad
            Eg2 = rho * Eg2 + (1 - rho) * grad**2
            return params + dx, Eg2, rho * Edx2 + (1 - rho) * dx**2
        """),
    mistake("adadelta_step", "eps-outside", "Adadelta keeps ε inside both roots: √(E[Δθ²] + ε)/√(E[g²] + ε)", """
        def adadelta_step(params, grad, Eg2, Edx2, rho=0.9, eps=1e-6):
            if np.any((np.asarray(rho) < 0) | (np.asarray(rho) >= 1)) or np.any(np.asarray(eps) <= 0):
                raise ValueError("rho in [0, 1), eps > 0")
            Eg2 = rho * Eg2 + (1 - rho) * grad**2
            dx = -(np.sqrt(Edx2) + eps) / (np.sqrt(Eg2) + eps) * grad
            return params + dx, Eg2, rho * Edx2 + (1 - rho) * dx**2
        """),
    mistake("adadelta_step", "dx-squared-of-grad",
            "E[Δθ²] averages the squared STEPS Δθ², not the squared gradients", """
        def adadelta_step(params, grad, Eg2, Edx2, rho=0.9, eps=1e-6):
            if np.any((np.asarray(rho) < 0) | (np.asarray(rho) >= 1)) or np.any(np.asarray(eps) <= 0):
                raise ValueError("rho in [0, 1), eps > 0")
            Eg2 = rho * Eg2 + (1 - rho) * grad**2
            dx = -np.sqrt(Edx2 + eps) / np.sqrt(Eg2 + eps) * grad
            return params + dx, Eg2, rho * Edx2 + (1 - rho) * grad**2
        """),
    mistake("adadelta_step", "no-validation", "rho must be in [0, 1) and eps > 0: raise ValueError otherwise", """
        def adadelta_step(params, grad, Eg2, Edx2, rho=0.9, eps=1e-6):
            Eg2 = rho * Eg2 + (1 - rho) * grad**2
            dx = -np.sqrt(Edx2 + eps) / np.sqrt(Eg2 + eps) * grad
            return params + dx, Eg2, rho * Edx2 + (1 - rho) * dx**2
        """),
)


EXERCISES = tuple(
    exercise(*entry, notebook=NOTEBOOK, mistakes=MISTAKES)
    for entry in (
        (_adagrad_step, "params grad G lr eps", "params G", lambda rng: _accumulator_cases(rng, beta=False)),
        (_rmsprop_step, "params grad s lr beta eps", "params s", lambda rng: _accumulator_cases(rng, beta=True)),
        (_adadelta_step, "params grad Eg2 Edx2 rho eps", "params Eg2 Edx2", _adadelta_cases),
    )
)
