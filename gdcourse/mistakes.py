"""The known mistakes: plausible wrong implementations of each graded function, with a one-line diagnosis.

``check`` and the grader run the entries of an exercise on the case a student failed; when one returns
exactly what the student returned (same values, same exception, same inputs changed in place), its
diagnosis is printed. The same list is the CI corpus: every entry must get less than full marks, with its
own diagnosis in the message, and every exercise must have at least one entry.

Each entry's ``code`` is a whole graded cell (numpy is ``np``, as in the notebooks' setup cell).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

__all__ = ["Mistake", "MISTAKES", "for_exercise"]


@dataclass(frozen=True)
class Mistake:
    """One wrong implementation of ``exercise``: a short ``name``, the ``diagnosis`` a student reads."""

    exercise: str
    name: str
    diagnosis: str
    code: str


def _m(exercise: str, name: str, diagnosis: str, code: str) -> Mistake:
    return Mistake(exercise, name, diagnosis, textwrap.dedent(code).strip() + "\n")


MISTAKES: tuple[Mistake, ...] = (
    # ----------------------------------------------------------------- 02 batch gradient descent
    _m("mse_loss", "no-half", "your J is twice too large: ℓ = ½(ŷ − y)², did you forget the ½?", """
        def mse_loss(theta, X, y):
            y_hat = theta[..., :-1] @ X.T + theta[..., -1:]
            return np.mean((y_hat - y) ** 2, axis=-1)
        """),
    _m("mse_loss", "sum", "J averages over the m examples: (1/m)·Σ, not Σ", """
        def mse_loss(theta, X, y):
            y_hat = theta[..., :-1] @ X.T + theta[..., -1:]
            return np.sum(0.5 * (y_hat - y) ** 2, axis=-1)
        """),
    _m("mse_loss", "no-bias", "ŷ = Xw + b: the last entry of θ is the bias b, did you leave it out?", """
        def mse_loss(theta, X, y):
            y_hat = theta[..., :-1] @ X.T
            return np.mean(0.5 * (y_hat - y) ** 2, axis=-1)
        """),
    _m("mse_loss", "mean-all-axes", "np.mean without axis=-1 averages the K runs together: keep one J per run", """
        def mse_loss(theta, X, y):
            y_hat = theta[..., :-1] @ X.T + theta[..., -1:]
            return np.mean(0.5 * (y_hat - y) ** 2)
        """),
    _m("mse_grad", "no-1/m", "the gradient of J = (1/m)Σℓ is an average: divide by m", """
        def mse_grad(theta, X, y):
            r = theta[..., :-1] @ X.T + theta[..., -1:] - y
            return np.concatenate([r @ X, r.sum(axis=-1, keepdims=True)], axis=-1)
        """),
    _m("mse_grad", "sign", "your gradient points downhill: the residual is ŷ − y, not y − ŷ", """
        def mse_grad(theta, X, y):
            r = y - (theta[..., :-1] @ X.T + theta[..., -1:])
            m = len(y)
            return np.concatenate([r @ X / m, r.sum(axis=-1, keepdims=True) / m], axis=-1)
        """),
    _m("mse_grad", "factor-2", "your gradient is twice too large: the ½ in ℓ = ½(ŷ − y)² cancels the 2", """
        def mse_grad(theta, X, y):
            r = theta[..., :-1] @ X.T + theta[..., -1:] - y
            m = len(y)
            return np.concatenate([2 * r @ X / m, 2 * r.sum(axis=-1, keepdims=True) / m], axis=-1)
        """),
    _m("mse_grad", "no-bias-grad", "∂J/∂b = (1/m)Σ(ŷ − y) is the last entry: it is not 0", """
        def mse_grad(theta, X, y):
            r = theta[..., :-1] @ X.T + theta[..., -1:] - y
            return np.concatenate([r @ X / len(y), np.zeros_like(theta[..., -1:])], axis=-1)
        """),
    _m("mse_grad", "bias-in-w", "the features get ∂J/∂w = (1/m)Σx(ŷ − y); the bias is the LAST entry of θ, not the first", """
        def mse_grad(theta, X, y):
            r = theta[..., 1:] @ X.T + theta[..., :1] - y
            m = len(y)
            return np.concatenate([r.sum(axis=-1, keepdims=True) / m, r @ X / m], axis=-1)
        """),
    _m("gd_step", "uphill", "your update moves uphill: θ ← θ − α·g, check the sign", """
        def gd_step(theta, grad, lr=0.1):
            if np.any(np.asarray(lr) <= 0):
                raise ValueError(f"lr must be > 0, got {lr}")
            return theta + lr * grad
        """),
    _m("gd_step", "in-place", "you changed theta in place (theta -= ...): return a new array", """
        def gd_step(theta, grad, lr=0.1):
            if np.any(np.asarray(lr) <= 0):
                raise ValueError(f"lr must be > 0, got {lr}")
            theta -= lr * grad
            return theta
        """),
    _m("gd_step", "scalar-check", "lr may be an array with one rate per run: check every element (np.any)", """
        def gd_step(theta, grad, lr=0.1):
            if np.ndim(lr) == 0 and lr <= 0:
                raise ValueError(f"lr must be > 0, got {lr}")
            return theta - lr * grad
        """),
    _m("gd_step", "no-validation", "a learning rate α <= 0 must raise ValueError", """
        def gd_step(theta, grad, lr=0.1):
            return theta - lr * grad
        """),
    # ----------------------------------------------------------------- 03 mini-batches
    _m("n_batches", "floor", "the last partial batch is an iteration too: ⌈m / batch_size⌉ unless drop_last", """
        def n_batches(m, batch_size, drop_last=False):
            if not 1 <= batch_size <= m:
                raise ValueError(f"batch_size must be in [1, {m}], got {batch_size}")
            return m // batch_size
        """),
    _m("n_batches", "plus-one", "m // batch_size + 1 counts an empty batch when batch_size divides m", """
        def n_batches(m, batch_size, drop_last=False):
            if not 1 <= batch_size <= m:
                raise ValueError(f"batch_size must be in [1, {m}], got {batch_size}")
            return m // batch_size if drop_last else m // batch_size + 1
        """),
    _m("n_batches", "no-validation", "batch_size must be in [1, m]: raise ValueError otherwise", """
        def n_batches(m, batch_size, drop_last=False):
            return m // batch_size if drop_last else -(-m // batch_size)
        """),
    _m("epoch_batches", "drop-partial", "the last partial batch is dropped only when drop_last=True", """
        def epoch_batches(m, batch_size, epoch=0, seed=0, drop_last=False):
            if not 1 <= batch_size <= m:
                raise ValueError(f"batch_size must be in [1, {m}], got {batch_size}")
            order = np.random.default_rng((seed, epoch)).permutation(m)
            return [order[i:i + batch_size] for i in range(0, m - batch_size + 1, batch_size)]
        """),
    _m("epoch_batches", "no-shuffle", "the rows are not shuffled: take them in the order of the permutation", """
        def epoch_batches(m, batch_size, epoch=0, seed=0, drop_last=False):
            if not 1 <= batch_size <= m:
                raise ValueError(f"batch_size must be in [1, {m}], got {batch_size}")
            k = m // batch_size if drop_last else -(-m // batch_size)
            return [np.arange(m)[i * batch_size:(i + 1) * batch_size] for i in range(k)]
        """),
    _m("epoch_batches", "same-order-every-epoch", "every epoch gets the same order: seed the permutation with (seed, epoch)", """
        def epoch_batches(m, batch_size, epoch=0, seed=0, drop_last=False):
            if not 1 <= batch_size <= m:
                raise ValueError(f"batch_size must be in [1, {m}], got {batch_size}")
            order = np.random.default_rng(seed).permutation(m)
            k = m // batch_size if drop_last else -(-m // batch_size)
            return [order[i * batch_size:(i + 1) * batch_size] for i in range(k)]
        """),
    _m("epoch_batches", "overlap", "consecutive batches overlap: batch i is order[i·b : (i + 1)·b]", """
        def epoch_batches(m, batch_size, epoch=0, seed=0, drop_last=False):
            if not 1 <= batch_size <= m:
                raise ValueError(f"batch_size must be in [1, {m}], got {batch_size}")
            order = np.random.default_rng((seed, epoch)).permutation(m)
            k = m // batch_size if drop_last else -(-m // batch_size)
            return [order[i * batch_size:(i + 1) * batch_size + 1] for i in range(k)]
        """),
    _m("minibatch_grad", "divide-by-m", "a mini-batch gradient averages over the batch: divide by len(index), not m", """
        def minibatch_grad(theta, X, y, index):
            Xb, yb = X[index], y[index]
            r = theta[..., :-1] @ Xb.T + theta[..., -1:] - yb
            m = len(y)
            return np.concatenate([r @ Xb / m, r.sum(axis=-1, keepdims=True) / m], axis=-1)
        """),
    _m("minibatch_grad", "full-batch", "use only the rows in index: X[index], y[index]", """
        def minibatch_grad(theta, X, y, index):
            r = theta[..., :-1] @ X.T + theta[..., -1:] - y
            m = len(y)
            return np.concatenate([r @ X / m, r.sum(axis=-1, keepdims=True) / m], axis=-1)
        """),
    # ----------------------------------------------------------------- 04 learning rate
    _m("max_stable_lr", "one-over-L", "the stability edge is α < 2/L, not 1/L (1/L is only the safe side)", """
        def max_stable_lr(A):
            L = np.linalg.eigvalsh(A)[..., -1]
            if np.any(L <= 0):
                raise ValueError("A must be positive definite")
            return 1 / L
        """),
    _m("max_stable_lr", "smallest-eigenvalue", "the largest eigenvalue L decides stability: eigvalsh sorts ascending, take [..., -1]", """
        def max_stable_lr(A):
            lam = np.linalg.eigvalsh(A)
            if np.any(lam[..., -1] <= 0):
                raise ValueError("A must be positive definite")
            return 2 / lam[..., 0]
        """),
    _m("max_stable_lr", "diagonal", "L is the largest eigenvalue, not the largest entry of A (they agree only for diagonal A)", """
        def max_stable_lr(A):
            L = np.max(np.abs(A), axis=(-2, -1))
            if np.any(np.linalg.eigvalsh(A)[..., -1] <= 0):
                raise ValueError("A must be positive definite")
            return 2 / L
        """),
    _m("max_stable_lr", "no-validation", "a matrix with no positive eigenvalue has no stable α: raise ValueError", """
        def max_stable_lr(A):
            return 2 / np.linalg.eigvalsh(A)[..., -1]
        """),
    _m("gd_rate", "no-abs", "the rate is |1 − αλ|: a step that overshoots (1 − αλ < 0) also counts", """
        def gd_rate(lr, A):
            if np.any(np.asarray(lr) < 0):
                raise ValueError(f"lr must be >= 0, got {lr}")
            lam = np.linalg.eigvalsh(A)
            return np.max(1 - np.asarray(lr)[..., None] * lam, axis=-1)
        """),
    _m("gd_rate", "only-L", "the rate is the max of |1 − αλ| over ALL eigenvalues: the smallest λ is often the slowest", """
        def gd_rate(lr, A):
            if np.any(np.asarray(lr) < 0):
                raise ValueError(f"lr must be >= 0, got {lr}")
            L = np.linalg.eigvalsh(A)[..., -1]
            return np.abs(1 - np.asarray(lr) * L)
        """),
    _m("gd_rate", "no-validation", "a negative learning rate must raise ValueError", """
        def gd_rate(lr, A):
            lam = np.linalg.eigvalsh(A)
            return np.max(np.abs(1 - np.asarray(lr)[..., None] * lam), axis=-1)
        """),
    _m("optimal_lr", "edge", "2/L is the stability edge, not the best step: α* = 2/(μ + L)", """
        def optimal_lr(A):
            lam = np.linalg.eigvalsh(A)
            mu, L = lam[..., 0], lam[..., -1]
            if np.any(mu <= 0):
                raise ValueError("A must be positive definite")
            return 2 / L, (L / mu - 1) / (L / mu + 1)
        """),
    _m("optimal_lr", "no-two", "α* = 2/(μ + L): did you forget the 2?", """
        def optimal_lr(A):
            lam = np.linalg.eigvalsh(A)
            mu, L = lam[..., 0], lam[..., -1]
            if np.any(mu <= 0):
                raise ValueError("A must be positive definite")
            return 1 / (mu + L), (L / mu - 1) / (L / mu + 1)
        """),
    _m("optimal_lr", "sqrt-kappa", "(√κ − 1)/(√κ + 1) is momentum's rate; gradient descent reaches (κ − 1)/(κ + 1)", """
        def optimal_lr(A):
            lam = np.linalg.eigvalsh(A)
            mu, L = lam[..., 0], lam[..., -1]
            if np.any(mu <= 0):
                raise ValueError("A must be positive definite")
            k = np.sqrt(L / mu)
            return 2 / (mu + L), (k - 1) / (k + 1)
        """),
    _m("optimal_lr", "no-validation", "without a positive smallest eigenvalue there is no optimum: raise ValueError", """
        def optimal_lr(A):
            lam = np.linalg.eigvalsh(A)
            mu, L = lam[..., 0], lam[..., -1]
            return 2 / (mu + L), (L / mu - 1) / (L / mu + 1)
        """),
    # ----------------------------------------------------------------- 05 momentum
    _m("momentum_init", "zeros-like", "np.zeros_like keeps an integer dtype: the velocity must be float zeros", """
        def momentum_init(params):
            return np.zeros_like(params)
        """),
    _m("momentum_init", "len", "the velocity has the shape of params (all axes), not len(params)", """
        def momentum_init(params):
            return np.zeros(len(params))
        """),
    _m("momentum_step", "beta-swapped", "β and 1 − β are swapped: V ← β·V + (1 − β)·g", """
        def momentum_step(params, grad, v, lr=0.01, beta=0.9):
            if np.any(np.asarray(lr) <= 0) or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("lr must be > 0 and beta in [0, 1)")
            v = (1 - beta) * v + beta * grad
            return params - lr * v, v
        """),
    _m("momentum_step", "undamped", "that is the undamped form v ← βv + g: this course averages, V ← βV + (1 − β)g", """
        def momentum_step(params, grad, v, lr=0.01, beta=0.9):
            if np.any(np.asarray(lr) <= 0) or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("lr must be > 0 and beta in [0, 1)")
            v = beta * v + grad
            return params - lr * v, v
        """),
    _m("momentum_step", "old-velocity", "update V first, then step with the NEW V", """
        def momentum_step(params, grad, v, lr=0.01, beta=0.9):
            if np.any(np.asarray(lr) <= 0) or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("lr must be > 0 and beta in [0, 1)")
            new_params = params - lr * v
            return new_params, beta * v + (1 - beta) * grad
        """),
    _m("momentum_step", "lr-inside", "α goes in the step W ← W − αV, not inside the velocity (that is Ruder's form)", """
        def momentum_step(params, grad, v, lr=0.01, beta=0.9):
            if np.any(np.asarray(lr) <= 0) or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("lr must be > 0 and beta in [0, 1)")
            v = beta * v + lr * grad
            return params - v, v
        """),
    _m("momentum_step", "uphill", "your update moves uphill: W ← W − αV, check the sign", """
        def momentum_step(params, grad, v, lr=0.01, beta=0.9):
            if np.any(np.asarray(lr) <= 0) or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("lr must be > 0 and beta in [0, 1)")
            v = beta * v + (1 - beta) * grad
            return params + lr * v, v
        """),
    _m("momentum_step", "in-place", "you changed v in place (v *= beta): the caller's velocity must stay as it was", """
        def momentum_step(params, grad, v, lr=0.01, beta=0.9):
            if np.any(np.asarray(lr) <= 0) or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("lr must be > 0 and beta in [0, 1)")
            v *= beta
            v += (1 - beta) * grad
            return params - lr * v, v
        """),
    _m("momentum_step", "no-validation", "β must be in [0, 1) and α > 0: raise ValueError otherwise", """
        def momentum_step(params, grad, v, lr=0.01, beta=0.9):
            v = beta * v + (1 - beta) * grad
            return params - lr * v, v
        """),
    # ----------------------------------------------------------------- 06 adaptive methods
    _m("adagrad_step", "abs", "AdaGrad accumulates squares g², not absolute values |g|", """
        def adagrad_step(params, grad, G, lr=0.01, eps=1e-10):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0):
                raise ValueError("lr and eps must be > 0")
            G = G + np.abs(grad)
            return params - lr * grad / (np.sqrt(G) + eps), G
        """),
    _m("adagrad_step", "eps-inside", "ε goes outside the root here: √G + ε, not √(G + ε)", """
        def adagrad_step(params, grad, G, lr=0.01, eps=1e-10):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0):
                raise ValueError("lr and eps must be > 0")
            G = G + grad**2
            return params - lr * grad / np.sqrt(G + eps), G
        """),
    _m("adagrad_step", "no-accumulation", "G is a running SUM: G ← G + g², not G = g² (that forgets the past)", """
        def adagrad_step(params, grad, G, lr=0.01, eps=1e-10):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0):
                raise ValueError("lr and eps must be > 0")
            G = grad**2
            return params - lr * grad / (np.sqrt(G) + eps), G
        """),
    _m("adagrad_step", "old-G", "add g² to G first, then divide by the NEW √G", """
        def adagrad_step(params, grad, G, lr=0.01, eps=1e-10):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0):
                raise ValueError("lr and eps must be > 0")
            new_params = params - lr * grad / (np.sqrt(G) + eps)
            return new_params, G + grad**2
        """),
    _m("adagrad_step", "no-sqrt", "divide by the ROOT √G + ε, not by G", """
        def adagrad_step(params, grad, G, lr=0.01, eps=1e-10):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0):
                raise ValueError("lr and eps must be > 0")
            G = G + grad**2
            return params - lr * grad / (G + eps), G
        """),
    _m("adagrad_step", "no-validation", "α and ε must be > 0: raise ValueError otherwise", """
        def adagrad_step(params, grad, G, lr=0.01, eps=1e-10):
            G = G + grad**2
            return params - lr * grad / (np.sqrt(G) + eps), G
        """),
    _m("rmsprop_step", "beta-swapped", "β and 1 − β are swapped: s ← β·s + (1 − β)·g²", """
        def rmsprop_step(params, grad, s, lr=0.001, beta=0.9, eps=1e-8):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("lr, eps must be > 0 and beta in [0, 1)")
            s = (1 - beta) * s + beta * grad**2
            return params - lr * grad / (np.sqrt(s) + eps), s
        """),
    _m("rmsprop_step", "abs", "RMSProp averages squares g², not absolute values |g|", """
        def rmsprop_step(params, grad, s, lr=0.001, beta=0.9, eps=1e-8):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("lr, eps must be > 0 and beta in [0, 1)")
            s = beta * s + (1 - beta) * np.abs(grad)
            return params - lr * grad / (np.sqrt(s) + eps), s
        """),
    _m("rmsprop_step", "eps-inside", "ε goes outside the root here: √s + ε, not √(s + ε)", """
        def rmsprop_step(params, grad, s, lr=0.001, beta=0.9, eps=1e-8):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("lr, eps must be > 0 and beta in [0, 1)")
            s = beta * s + (1 - beta) * grad**2
            return params - lr * grad / np.sqrt(s + eps), s
        """),
    _m("rmsprop_step", "old-s", "update s first, then divide by the NEW √s", """
        def rmsprop_step(params, grad, s, lr=0.001, beta=0.9, eps=1e-8):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
                raise ValueError("lr, eps must be > 0 and beta in [0, 1)")
            new_params = params - lr * grad / (np.sqrt(s) + eps)
            return new_params, beta * s + (1 - beta) * grad**2
        """),
    _m("rmsprop_step", "no-validation", "β must be in [0, 1), α and ε > 0: raise ValueError otherwise", """
        def rmsprop_step(params, grad, s, lr=0.001, beta=0.9, eps=1e-8):
            s = beta * s + (1 - beta) * grad**2
            return params - lr * grad / (np.sqrt(s) + eps), s
        """),
    # ----------------------------------------------------------------- 07 Adam
    _m("adam_step", "no-bias-correction", "no bias correction: divide m by (1 − β1ᵗ) and v by (1 − β2ᵗ)", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            return params - lr * m / (np.sqrt(v) + eps), m, v
        """),
    _m("adam_step", "t-minus-one", "the bias correction uses the step number t itself (t = 1 on the first step), not t − 1", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m_hat = m / (1 - beta1 ** (t - 1))
            v_hat = v / (1 - beta2 ** (t - 1))
            return params - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
        """),
    _m("adam_step", "t-plus-one", "t is already the new step number: the bias correction uses βᵗ, not βᵗ⁺¹", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m_hat = m / (1 - beta1 ** (t + 1))
            v_hat = v / (1 - beta2 ** (t + 1))
            return params - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
        """),
    _m("adam_step", "beta1-swapped", "β1 and 1 − β1 are swapped: m ← β1·m + (1 − β1)·g", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
                raise ValueError("bad hyper-parameter")
            m = (1 - beta1) * m + beta1 * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            return params - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
        """),
    _m("adam_step", "abs-g", "v averages squares g², not absolute values |g|", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * np.abs(grad)
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            return params - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
        """),
    _m("adam_step", "eps-inside", "ε goes outside the root: √v̂ + ε, not √(v̂ + ε)", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            return params - lr * m_hat / np.sqrt(v_hat + eps), m, v
        """),
    _m("adam_step", "returns-m-hat", "return the raw moments m and v; m̂ and v̂ are recomputed at every step", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m = m / (1 - beta1**t)
            v = v / (1 - beta2**t)
            return params - lr * m / (np.sqrt(v) + eps), m, v
        """),
    _m("adam_step", "beta1-for-v", "v has its own rate: v ← β2·v + (1 − β2)·g², not β1", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta1 * v + (1 - beta1) * grad**2
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta1**t)
            return params - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
        """),
    _m("adam_step", "no-validation", "β1, β2 must be in [0, 1), α and ε > 0: raise ValueError otherwise", """
        def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            return params - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
        """),
    _m("adamw_step", "l2-in-gradient", "that is Adam with an L2 penalty (λθ added to g); AdamW decays θ directly: θ ← θ − α(m̂/(√v̂ + ε) + λθ)", """
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
    _m("adamw_step", "decay-without-lr", "the decay is scaled by α too: θ ← θ − α·(m̂/(√v̂ + ε) + λ·θ)", """
        def adamw_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any(np.asarray(weight_decay) < 0) or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            return params - lr * m_hat / (np.sqrt(v_hat) + eps) - weight_decay * params, m, v
        """),
    _m("adamw_step", "decay-sign", "weight decay pulls θ toward 0: subtract α·λ·θ, do not add it", """
        def adamw_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
            if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any(np.asarray(weight_decay) < 0) or np.any((np.asarray(beta1) < 0) | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
                raise ValueError("bad hyper-parameter")
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            return params - lr * (m_hat / (np.sqrt(v_hat) + eps) - weight_decay * params), m, v
        """),
    _m("adamw_step", "no-validation", "weight_decay must be >= 0 (and β1, β2 in [0, 1), α, ε > 0): raise ValueError otherwise", """
        def adamw_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad**2
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            return params - lr * (m_hat / (np.sqrt(v_hat) + eps) + weight_decay * params), m, v
        """),
    # ----------------------------------------------------------------- 08 schedules
    _m("time_decay", "exponential", "that is exponential decay α0·e^(−d·n); time decay is α0/(1 + d·n)", """
        def time_decay(lr0, decay, n):
            if np.any(np.asarray(lr0) <= 0) or np.any(np.asarray(decay) < 0) or np.any(np.asarray(n) < 0):
                raise ValueError("lr0 > 0, decay >= 0, n >= 0")
            return lr0 * np.exp(-decay * np.asarray(n))
        """),
    _m("time_decay", "power", "α0/(1 + d)ⁿ decays geometrically; time decay divides by (1 + d·n)", """
        def time_decay(lr0, decay, n):
            if np.any(np.asarray(lr0) <= 0) or np.any(np.asarray(decay) < 0) or np.any(np.asarray(n) < 0):
                raise ValueError("lr0 > 0, decay >= 0, n >= 0")
            return lr0 / (1 + decay) ** np.asarray(n)
        """),
    _m("time_decay", "off-by-one", "off by one step: n counts from 0, so α(0) = α0 (use 1 + d·n, not 1 + d·(n + 1))", """
        def time_decay(lr0, decay, n):
            if np.any(np.asarray(lr0) <= 0) or np.any(np.asarray(decay) < 0) or np.any(np.asarray(n) < 0):
                raise ValueError("lr0 > 0, decay >= 0, n >= 0")
            return lr0 / (1 + decay * (np.asarray(n) + 1))
        """),
    _m("time_decay", "no-validation", "α0 must be > 0, d >= 0 and n >= 0: raise ValueError otherwise", """
        def time_decay(lr0, decay, n):
            return lr0 / (1 + decay * np.asarray(n))
        """),
    _m("step_decay", "staircase", "off by one epoch: the lecture's step decay uses floor((1 + n)/r), so the first drop is at n = r − 1", """
        def step_decay(lr0, drop, every, n):
            if np.any(np.asarray(lr0) <= 0) or np.any((np.asarray(drop) <= 0) | (np.asarray(drop) > 1)) or np.any(np.asarray(every) <= 0) or np.any(np.asarray(n) < 0):
                raise ValueError("bad hyper-parameter")
            return lr0 * drop ** np.floor(np.asarray(n) / every)
        """),
    _m("step_decay", "no-floor", "step decay drops in steps: floor((1 + n)/r), without the floor it decays smoothly", """
        def step_decay(lr0, drop, every, n):
            if np.any(np.asarray(lr0) <= 0) or np.any((np.asarray(drop) <= 0) | (np.asarray(drop) > 1)) or np.any(np.asarray(every) <= 0) or np.any(np.asarray(n) < 0):
                raise ValueError("bad hyper-parameter")
            return lr0 * drop ** ((1 + np.asarray(n)) / every)
        """),
    _m("step_decay", "no-validation", "drop must be in (0, 1], α0 and r > 0, n >= 0: raise ValueError otherwise", """
        def step_decay(lr0, drop, every, n):
            return lr0 * drop ** np.floor((1 + np.asarray(n)) / every)
        """),
    _m("exponential_decay", "growth", "e^(+d·n) grows: exponential decay is α0·e^(−d·n)", """
        def exponential_decay(lr0, rate, n):
            if np.any(np.asarray(lr0) <= 0) or np.any(np.asarray(rate) < 0) or np.any(np.asarray(n) < 0):
                raise ValueError("bad hyper-parameter")
            return lr0 * np.exp(rate * np.asarray(n))
        """),
    _m("exponential_decay", "no-validation", "α0 must be > 0, d >= 0 and n >= 0: raise ValueError otherwise", """
        def exponential_decay(lr0, rate, n):
            return lr0 * np.exp(-rate * np.asarray(n))
        """),
    # ----------------------------------------------------------------- 09 augmented random search
    _m("brs_update", "no-1/N", "BRS averages the N differences: multiply by α/N", """
        def brs_update(theta, deltas, r_plus, r_minus, lr):
            if np.any(np.asarray(lr) <= 0):
                raise ValueError(f"lr must be > 0, got {lr}")
            w = (r_plus - r_minus).reshape(r_plus.shape + (1,) * (deltas.ndim - r_plus.ndim))
            return theta + lr * np.sum(w * deltas, axis=0)
        """),
    _m("brs_update", "descends", "rewards are maximised: step along (r+ − r−)·δ, not (r− − r+)·δ", """
        def brs_update(theta, deltas, r_plus, r_minus, lr):
            if np.any(np.asarray(lr) <= 0):
                raise ValueError(f"lr must be > 0, got {lr}")
            w = (r_minus - r_plus).reshape(r_plus.shape + (1,) * (deltas.ndim - r_plus.ndim))
            return theta + lr / len(r_plus) * np.sum(w * deltas, axis=0)
        """),
    _m("brs_update", "one-sided", "use both rewards of each direction: (r+ − r−)·δ, not r+·δ", """
        def brs_update(theta, deltas, r_plus, r_minus, lr):
            if np.any(np.asarray(lr) <= 0):
                raise ValueError(f"lr must be > 0, got {lr}")
            w = r_plus.reshape(r_plus.shape + (1,) * (deltas.ndim - r_plus.ndim))
            return theta + lr / len(r_plus) * np.sum(w * deltas, axis=0)
        """),
    _m("brs_update", "no-validation", "a learning rate α <= 0 must raise ValueError", """
        def brs_update(theta, deltas, r_plus, r_minus, lr):
            w = (r_plus - r_minus).reshape(r_plus.shape + (1,) * (deltas.ndim - r_plus.ndim))
            return theta + lr / len(r_plus) * np.sum(w * deltas, axis=0)
        """),
    _m("ars_update", "no-sigma", "ARS divides by σ_R, the standard deviation of the 2b rewards used: α/(b·σ_R)", """
        def ars_update(M, deltas, r_plus, r_minus, lr, top):
            if np.any(np.asarray(lr) <= 0) or not 1 <= top <= len(r_plus):
                raise ValueError("lr must be > 0 and top in [1, N]")
            order = np.argsort(-np.maximum(r_plus, r_minus), axis=0, kind="stable")[:top]
            rp, rm = np.take_along_axis(r_plus, order, 0), np.take_along_axis(r_minus, order, 0)
            d = np.take_along_axis(deltas, order.reshape(order.shape + (1,) * (deltas.ndim - order.ndim)), 0)
            w = (rp - rm).reshape(rp.shape + (1,) * (d.ndim - rp.ndim))
            return M + lr / top * np.sum(w * d, axis=0)
        """),
    _m("ars_update", "sigma-zero", "when the 2b rewards are all equal σ_R = 0: every difference is 0, so M must not move (no 0/0)", """
        def ars_update(M, deltas, r_plus, r_minus, lr, top):
            if np.any(np.asarray(lr) <= 0) or not 1 <= top <= len(r_plus):
                raise ValueError("lr must be > 0 and top in [1, N]")
            order = np.argsort(-np.maximum(r_plus, r_minus), axis=0, kind="stable")[:top]
            rp, rm = np.take_along_axis(r_plus, order, 0), np.take_along_axis(r_minus, order, 0)
            d = np.take_along_axis(deltas, order.reshape(order.shape + (1,) * (deltas.ndim - order.ndim)), 0)
            sigma = np.std(np.concatenate([rp, rm]), axis=0)
            w = ((rp - rm) / sigma).reshape(rp.shape + (1,) * (d.ndim - rp.ndim))
            return M + lr / top * np.sum(w * d, axis=0)
        """),
    _m("ars_update", "sigma-all", "σ_R is the std of the 2b rewards of the top b directions, not of all 2N", """
        def ars_update(M, deltas, r_plus, r_minus, lr, top):
            if np.any(np.asarray(lr) <= 0) or not 1 <= top <= len(r_plus):
                raise ValueError("lr must be > 0 and top in [1, N]")
            order = np.argsort(-np.maximum(r_plus, r_minus), axis=0, kind="stable")[:top]
            rp, rm = np.take_along_axis(r_plus, order, 0), np.take_along_axis(r_minus, order, 0)
            d = np.take_along_axis(deltas, order.reshape(order.shape + (1,) * (deltas.ndim - order.ndim)), 0)
            sigma = np.std(np.concatenate([r_plus, r_minus]), axis=0)
            w = ((rp - rm) / sigma).reshape(rp.shape + (1,) * (d.ndim - rp.ndim))
            return M + lr / top * np.sum(w * d, axis=0)
        """),
    _m("ars_update", "divide-by-N", "average over the b directions used: α/(b·σ_R), not α/(N·σ_R)", """
        def ars_update(M, deltas, r_plus, r_minus, lr, top):
            if np.any(np.asarray(lr) <= 0) or not 1 <= top <= len(r_plus):
                raise ValueError("lr must be > 0 and top in [1, N]")
            order = np.argsort(-np.maximum(r_plus, r_minus), axis=0, kind="stable")[:top]
            rp, rm = np.take_along_axis(r_plus, order, 0), np.take_along_axis(r_minus, order, 0)
            d = np.take_along_axis(deltas, order.reshape(order.shape + (1,) * (deltas.ndim - order.ndim)), 0)
            sigma = np.std(np.concatenate([rp, rm]), axis=0)
            w = np.divide(rp - rm, sigma, out=np.zeros_like(rp), where=sigma > 0)
            return M + lr / len(r_plus) * np.sum(w.reshape(w.shape + (1,) * (d.ndim - w.ndim)) * d, axis=0)
        """),
    _m("ars_update", "rank-by-r-plus", "rank directions by max(r+, r−), the better of the two rewards, not by r+ alone", """
        def ars_update(M, deltas, r_plus, r_minus, lr, top):
            if np.any(np.asarray(lr) <= 0) or not 1 <= top <= len(r_plus):
                raise ValueError("lr must be > 0 and top in [1, N]")
            order = np.argsort(-r_plus, axis=0, kind="stable")[:top]
            rp, rm = np.take_along_axis(r_plus, order, 0), np.take_along_axis(r_minus, order, 0)
            d = np.take_along_axis(deltas, order.reshape(order.shape + (1,) * (deltas.ndim - order.ndim)), 0)
            sigma = np.std(np.concatenate([rp, rm]), axis=0)
            w = np.divide(rp - rm, sigma, out=np.zeros_like(rp), where=sigma > 0)
            return M + lr / top * np.sum(w.reshape(w.shape + (1,) * (d.ndim - w.ndim)) * d, axis=0)
        """),
    _m("ars_update", "worst-directions", "keep the b BEST directions (largest max(r+, r−)): sort in decreasing order", """
        def ars_update(M, deltas, r_plus, r_minus, lr, top):
            if np.any(np.asarray(lr) <= 0) or not 1 <= top <= len(r_plus):
                raise ValueError("lr must be > 0 and top in [1, N]")
            order = np.argsort(np.maximum(r_plus, r_minus), axis=0, kind="stable")[:top]
            rp, rm = np.take_along_axis(r_plus, order, 0), np.take_along_axis(r_minus, order, 0)
            d = np.take_along_axis(deltas, order.reshape(order.shape + (1,) * (deltas.ndim - order.ndim)), 0)
            sigma = np.std(np.concatenate([rp, rm]), axis=0)
            w = np.divide(rp - rm, sigma, out=np.zeros_like(rp), where=sigma > 0)
            return M + lr / top * np.sum(w.reshape(w.shape + (1,) * (d.ndim - w.ndim)) * d, axis=0)
        """),
    _m("ars_update", "no-validation", "α must be > 0 and top in [1, N], N the number of directions: raise ValueError otherwise", """
        def ars_update(M, deltas, r_plus, r_minus, lr, top):
            step = lr / top
            order = np.argsort(-np.maximum(r_plus, r_minus), axis=0, kind="stable")[:top]
            rp, rm = np.take_along_axis(r_plus, order, 0), np.take_along_axis(r_minus, order, 0)
            d = np.take_along_axis(deltas, order.reshape(order.shape + (1,) * (deltas.ndim - order.ndim)), 0)
            sigma = np.std(np.concatenate([rp, rm]), axis=0)
            w = np.divide(rp - rm, sigma, out=np.zeros_like(rp), where=sigma > 0)
            return M + step * np.sum(w.reshape(w.shape + (1,) * (d.ndim - w.ndim)) * d, axis=0)
        """),
)
"""Every known mistake, grouped by exercise in the order of the notebooks."""


def for_exercise(exercise: str) -> tuple[Mistake, ...]:
    """The known mistakes of one graded function, in the order they are tried."""
    return tuple(m for m in MISTAKES if m.exercise == exercise)
