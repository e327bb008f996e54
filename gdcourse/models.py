"""Models with vectorized loss and gradient on flat parameter vectors.

Parameters are one flat vector θ per run, shape ``(..., P)``; leading axes are independent runs, so K
parameter vectors are evaluated in one call. ``model.unpack(theta)`` names the parts (views, not
copies) and ``model.pack(**parts)`` builds θ from them. Every model has

* ``n_params`` (P), ``unpack``, ``pack``, ``init_params(seed=0, shape=())``;
* ``loss(theta, X, y)``: the cost J = (1/m) Σᵢ ℓᵢ over the m rows of X, shape ``theta.shape[:-1]``;
* ``grad(theta, X, y)``: ∇_θ J, the shape of ``theta``.

``X`` is an (m, n) array (or DataFrame) of features, ``y`` a length-m array of targets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from . import _validate

__all__ = ["Model", "LinearRegression", "LogisticRegression", "TwoLayerNet", "ModelObjective", "sigmoid"]


def sigmoid(z: ArrayLike) -> np.ndarray:
    """σ(z) = 1 / (1 + e^(−z)), computed as exp(−log(1 + e^(−z))) so that no e^(±z) overflows."""
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))


def _cross_entropy(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """J = (1/m) Σ −[y log a + (1 − y) log(1 − a)],  a = σ(z), on the logits z (shape (..., m)).

    log a = −log(1 + e^(−z)) and log(1 − a) = −log(1 + e^(z)), so no log(0) ever occurs.
    """
    return np.mean(y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z), axis=-1)


@dataclass(frozen=True)
class Model:
    """Base of the models: the flat-vector layout, unpack/pack and the argument checks.

    Subclasses define ``layout`` (the named parts and their shapes, in the order they sit in θ).
    """

    @property
    def layout(self) -> dict[str, tuple[int, ...]]:
        raise NotImplementedError

    @cached_property
    def _slices(self) -> tuple[tuple[str, tuple[int, ...], slice], ...]:
        """(name, shape, slice of θ) per part, computed once (models are frozen)."""
        parts, start = [], 0
        for name, shape in self.layout.items():
            size = int(np.prod(shape))
            parts.append((name, tuple(shape), slice(start, start + size)))
            start += size
        return tuple(parts)

    @cached_property
    def n_params(self) -> int:
        """P, the length of one flat parameter vector θ."""
        return self._slices[-1][2].stop if self._slices else 0

    def unpack(self, theta: ArrayLike) -> dict[str, np.ndarray]:
        """The named parts of θ (views), each of shape ``theta.shape[:-1] + part_shape``."""
        theta = self._theta(theta)
        batch = theta.shape[:-1]
        return {name: theta[..., part].reshape(batch + shape) for name, shape, part in self._slices}

    def init_params(self, seed: int = 0, shape: tuple[int, ...] = ()) -> np.ndarray:
        """Starting θ, shape ``shape + (P,)`` (K independent starts for ``shape=(K,)``)."""
        raise NotImplementedError

    def loss(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        """J = (1/m) Σ ℓ over the rows of X, shape ``theta.shape[:-1]``."""
        raise NotImplementedError

    def grad(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        """∇_θ J, the shape of ``theta``."""
        raise NotImplementedError

    def pack(self, **parts: ArrayLike) -> np.ndarray:
        """θ from its named parts (each of shape ``batch + part_shape``), the inverse of ``unpack``."""
        if set(parts) != set(self.layout):
            raise ValueError(f"pack needs exactly the parts {list(self.layout)}, got {list(parts)}")
        arrays = {name: np.asarray(parts[name], dtype=float) for name in self.layout}
        name0, shape0 = next(iter(self.layout.items()))
        batch = arrays[name0].shape[: arrays[name0].ndim - len(shape0)]
        for name, shape in self.layout.items():
            if arrays[name].shape != batch + shape:
                raise ValueError(f"{name} must have shape {batch + shape}, got shape {arrays[name].shape}")
        return np.concatenate([arrays[name].reshape(batch + (-1,)) for name in self.layout], axis=-1)

    def _theta(self, theta: ArrayLike) -> np.ndarray:
        theta = np.asarray(theta, dtype=float)
        if theta.ndim == 0 or theta.shape[-1] != self.n_params:
            raise ValueError(
                f"theta must have shape (..., {self.n_params}) (last axis = n_params of {self}), "
                f"got shape {theta.shape}"
            )
        return theta

    def _X(self, X: ArrayLike, n_features: int) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != n_features or X.shape[0] == 0:
            raise ValueError(f"X must be a 2-D array of shape (m, {n_features}) with m >= 1, got shape {X.shape}")
        return X

    def _y(self, y: ArrayLike, m: int, labels: bool) -> np.ndarray:
        y = np.asarray(y, dtype=float)
        if y.shape != (m,):
            raise ValueError(f"y must be a 1-D array of length m = {m} (one target per row of X), got shape {y.shape}")
        if labels:
            _validate.in_interval("y", y, 0.0, 1.0)
        return y


@dataclass(frozen=True)
class _BinaryClassifier(Model):
    """Shared by the classifiers: a = σ(z) on the logits z, the cross-entropy J, predictions, accuracy."""

    def logits(self, theta: ArrayLike, X: ArrayLike) -> np.ndarray:
        raise NotImplementedError

    def predict_proba(self, theta: ArrayLike, X: ArrayLike) -> np.ndarray:
        """a = σ(z), the predicted probability of y = 1, shape ``theta.shape[:-1] + (m,)``."""
        return sigmoid(self.logits(theta, X))

    def predict(self, theta: ArrayLike, X: ArrayLike) -> np.ndarray:
        """The class 1 if a ≥ 0.5 (z ≥ 0) else 0, as integers."""
        return (self.logits(theta, X) >= 0).astype(int)

    def accuracy(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        """Fraction of rows with predict = y, shape ``theta.shape[:-1]``."""
        y_hat = self.predict(theta, X)
        return np.mean(y_hat == self._y(y, y_hat.shape[-1], labels=True), axis=-1)

    def loss(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        """J = (1/m) Σ −[y log a + (1 − y) log(1 − a)]."""
        z = self.logits(theta, X)
        return _cross_entropy(z, self._y(y, z.shape[-1], labels=True))


@dataclass(frozen=True)
class _Affine(Model):
    """θ = [w, b] and the affine map Xw + b shared by linear and logistic regression."""

    n_features: int

    def __post_init__(self) -> None:
        _validate.positive_int("n_features", self.n_features)

    @property
    def layout(self) -> dict[str, tuple[int, ...]]:
        return {"w": (self.n_features,), "b": ()}

    def init_params(self, seed: int = 0, shape: tuple[int, ...] = ()) -> np.ndarray:
        """Small random start, w, b ~ N(0, 0.01²), shape ``shape + (P,)`` (``np.zeros`` is the other)."""
        return 0.01 * np.random.default_rng(seed).standard_normal(tuple(shape) + (self.n_params,))

    def _affine(self, theta: ArrayLike, X: ArrayLike) -> np.ndarray:
        """Xw + b, shape ``theta.shape[:-1] + (m,)``."""
        p = self.unpack(theta)
        return p["w"] @ self._X(X, self.n_features).T + p["b"][..., None]

    def _grad_from_residual(self, r: np.ndarray, X: np.ndarray) -> np.ndarray:
        """[(1/m) Σ x·r, (1/m) Σ r] for the per-row residual r (ŷ − y or a − y)."""
        return self.pack(w=r @ X / X.shape[0], b=r.mean(axis=-1))


@dataclass(frozen=True)
class LinearRegression(_Affine):
    """Linear regression with the squared error.

    θ = [w, b];  ŷ = Xw + b;  ℓ = ½(ŷ − y)²;  J = (1/m) Σ ℓ;
    ∂J/∂w = (1/m) Σ x(ŷ − y),  ∂J/∂b = (1/m) Σ (ŷ − y).
    """

    def predict(self, theta: ArrayLike, X: ArrayLike) -> np.ndarray:
        """ŷ = Xw + b, shape ``theta.shape[:-1] + (m,)``."""
        return self._affine(theta, X)

    def loss(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        """J = (1/m) Σ ½(ŷ − y)²."""
        y_hat = self.predict(theta, X)
        return np.mean(0.5 * (y_hat - self._y(y, y_hat.shape[-1], labels=False)) ** 2, axis=-1)

    def grad(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        """[∂J/∂w, ∂J/∂b] = [(1/m) Σ x(ŷ − y), (1/m) Σ (ŷ − y)]."""
        X = self._X(X, self.n_features)
        return self._grad_from_residual(self.predict(theta, X) - self._y(y, X.shape[0], labels=False), X)

    def closed_form(self, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        """The least-squares θ* = argmin J (``np.linalg.lstsq`` on [X, 1]), for comparison with GD."""
        X = self._X(X, self.n_features)
        y = self._y(y, X.shape[0], labels=False)
        return np.linalg.lstsq(np.column_stack([X, np.ones(len(X))]), y, rcond=None)[0]


@dataclass(frozen=True)
class LogisticRegression(_Affine, _BinaryClassifier):
    """Logistic regression: the perceptron with a sigmoid and the cross-entropy loss.

    z = wᵀx + b;  a = σ(z);  ℓ = −[y log a + (1 − y) log(1 − a)];  J = (1/m) Σ ℓ;
    ∂ℓ/∂w = x·(a − y),  ∂ℓ/∂b = a − y  (averaged over the m rows for ∇J).
    """

    def logits(self, theta: ArrayLike, X: ArrayLike) -> np.ndarray:
        """z = wᵀx + b for every row x of X, shape ``theta.shape[:-1] + (m,)``."""
        return self._affine(theta, X)

    def grad(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        """[∂J/∂w, ∂J/∂b] = [(1/m) Σ x·(a − y), (1/m) Σ (a − y)]."""
        X = self._X(X, self.n_features)
        return self._grad_from_residual(self.predict_proba(theta, X) - self._y(y, X.shape[0], labels=True), X)


_ACTIVATIONS = {
    # name: (g(z), g'(z) written with z and a = g(z))
    "tanh": (np.tanh, lambda z, a: 1 - a**2),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z, a: (z > 0).astype(float)),
    "sigmoid": (sigmoid, lambda z, a: a * (1 - a)),
}


@dataclass(frozen=True)
class TwoLayerNet(_BinaryClassifier):
    """A two-layer network for binary classification (the capstone on two moons).

    Forward, for the m rows of X at once:  Z1 = X W1ᵀ + b1,  A1 = g(Z1),  z2 = A1 W2ᵀ + b2,  a2 = σ(z2);
    J = (1/m) Σ −[y log a2 + (1 − y) log(1 − a2)].
    Backward:  dz2 = (a2 − y)/m,  dW2 = dz2ᵀ A1,  db2 = Σ dz2,  dZ1 = (dz2 W2) ⊙ g′(Z1),
    dW1 = dZ1ᵀ X,  db1 = Σ dZ1.
    Shapes per run: W1 (n_hidden, n_in), b1 (n_hidden,), W2 (1, n_hidden), b2 (1,).
    """

    n_in: int = 2
    n_hidden: int = 8
    activation: str = "tanh"

    def __post_init__(self) -> None:
        _validate.positive_int("n_in", self.n_in)
        _validate.positive_int("n_hidden", self.n_hidden)
        if self.activation not in _ACTIVATIONS:
            raise ValueError(f"activation must be one of {list(_ACTIVATIONS)}, got {self.activation!r}")

    @property
    def layout(self) -> dict[str, tuple[int, ...]]:
        return {"W1": (self.n_hidden, self.n_in), "b1": (self.n_hidden,), "W2": (1, self.n_hidden), "b2": (1,)}

    def init_params(self, seed: int = 0, shape: tuple[int, ...] = ()) -> np.ndarray:
        """Scaled random weights, zero biases: W1 ~ N(0, s²/n_in), W2 ~ N(0, 1/n_hidden).

        s² = 2 for ReLU (He et al. 2015), 1 for tanh and sigmoid (Glorot-style fan-in scaling).
        """
        rng = np.random.default_rng(seed)
        shape = tuple(shape)
        gain = 2.0 if self.activation == "relu" else 1.0
        return self.pack(
            W1=rng.standard_normal(shape + (self.n_hidden, self.n_in)) * np.sqrt(gain / self.n_in),
            b1=np.zeros(shape + (self.n_hidden,)),
            W2=rng.standard_normal(shape + (1, self.n_hidden)) / np.sqrt(self.n_hidden),
            b2=np.zeros(shape + (1,)),
        )

    def forward(self, theta: ArrayLike, X: ArrayLike) -> dict[str, np.ndarray]:
        """Z1, A1 (shape (..., m, n_hidden)), z2 and a2 (shape (..., m)) for every row of X."""
        p = self.unpack(theta)
        X = self._X(X, self.n_in)
        g = _ACTIVATIONS[self.activation][0]
        Z1 = X @ np.swapaxes(p["W1"], -1, -2) + p["b1"][..., None, :]
        A1 = g(Z1)
        z2 = (A1 @ np.swapaxes(p["W2"], -1, -2))[..., 0] + p["b2"]
        return {"Z1": Z1, "A1": A1, "z2": z2, "a2": sigmoid(z2)}

    def logits(self, theta: ArrayLike, X: ArrayLike) -> np.ndarray:
        """z2, the output layer's pre-activation, shape ``theta.shape[:-1] + (m,)``."""
        return self.forward(theta, X)["z2"]

    def grad(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        """Backpropagation: [dW1, db1, dW2, db2] flattened into the shape of θ."""
        X = self._X(X, self.n_in)
        y = self._y(y, X.shape[0], labels=True)
        p = self.unpack(theta)
        c = self.forward(theta, X)
        dz2 = (c["a2"] - y) / X.shape[0]  # (..., m)
        dW2 = dz2[..., None, :] @ c["A1"]  # (..., 1, h)
        db2 = dz2.sum(axis=-1, keepdims=True)  # (..., 1)
        dZ1 = dz2[..., :, None] * p["W2"] * _ACTIVATIONS[self.activation][1](c["Z1"], c["A1"])  # (..., m, h)
        dW1 = np.swapaxes(dZ1, -1, -2) @ X  # (..., h, n_in)
        db1 = dZ1.sum(axis=-2)  # (..., h)
        return self.pack(W1=dW1, b1=db1, W2=dW2, b2=db2)


@dataclass(frozen=True, eq=False)
class ModelObjective:
    """A model on a fixed data set as an objective of θ: J(θ) = model.loss(θ, X, y) (the full-batch
    cost), ∇J(θ) = model.grad(θ, X, y). θ of shape (..., P) is a batch of parameter vectors."""

    model: Any
    X: np.ndarray
    y: np.ndarray
    name: str = "model"

    def __call__(self, theta: Any) -> np.ndarray:
        return self.model.loss(theta, self.X, self.y)

    def grad(self, theta: Any) -> np.ndarray:
        return self.model.grad(theta, self.X, self.y)
