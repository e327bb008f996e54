"""The update kernels: pure ``init(params) -> state`` and ``step(params, grad, state) -> (params, state)``.

Every kernel is a frozen dataclass of hyper-parameters. Each hyper-parameter is a number or an
array that broadcasts against ``params`` without enlarging it, so ``params`` of shape ``(K, d)``
with ``lr`` (or ``beta``) of shape ``(K, 1)`` is K runs in one call. ``lr`` may also be a
schedule, any callable ``lr(n)``, evaluated at ``n = state.t`` (the number of steps already
taken, so the first step uses ``lr(0)``). States are immutable ``NamedTuple``s whose first field
is ``t``; inputs are never written to; everything is float64.

The docstring of each kernel is its equation, with g = ∇J(θ) the gradient at the current
parameters; its ``step`` is the same lines in the same order.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from . import _validate

__all__ = [
    "Optimizer",
    "GD",
    "GDState",
    "Momentum",
    "ClassicalMomentum",
    "Nesterov",
    "MomentumState",
    "AdaGrad",
    "AdaGradState",
    "Adadelta",
    "AdadeltaState",
    "RMSProp",
    "RMSPropState",
    "Adam",
    "AdamState",
    "AMSGrad",
    "AMSGradState",
    "AdamW",
    "NAdam",
    "AdaMax",
    "AdaMaxState",
    "Rprop",
    "RpropState",
    "HypergradientSGD",
    "HypergradientState",
    "OPTIMIZERS",
]

Schedule = Callable[[Any], Any]
"""Type of a learning rate given as a function of the step index n = 0, 1, 2, ... (any callable, e.g.
the classes of ``gdcourse.schedules``). Not exported: ``gdcourse.Schedule`` is that module's base class."""

Array = np.ndarray
Hyper = float | np.ndarray


@dataclass(frozen=True, eq=False)
class Optimizer(ABC):
    """Base of every kernel: ``init(params) -> state``, ``step(params, grad, state) -> (params, state)``.

    Holds what every kernel shares: hyper-parameter checks, α at step t, the input check of a step.
    """

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, (list, tuple, np.ndarray)):
                frozen = np.array(value, dtype=np.float64)  # a private, read-only copy
                frozen.setflags(write=False)
                object.__setattr__(self, field.name, frozen)
        if not callable(self.lr):  # a schedule is checked where it is evaluated
            _validate.positive("lr", self.lr)
        self._check_hyper()

    def _check_hyper(self) -> None:
        """Validate the kernel's own hyper-parameters (called once, by ``__post_init__``)."""

    @abstractmethod
    def init(self, params: Any) -> NamedTuple:
        """The state before the first step (``t = 0``, zero accumulators)."""

    @abstractmethod
    def step(self, params: Any, grad: Any, state: Any) -> tuple[np.ndarray, Any]:
        """One update: return the new parameters and the new state (inputs untouched)."""

    def _lr_at(self, t: int, shape: tuple[int, ...]) -> np.ndarray:
        """α at step ``t``: the constant, the array, or the schedule evaluated at ``lr(t)``."""
        if not callable(self.lr):
            return np.asarray(self.lr)
        lr = np.asarray(self.lr(t), dtype=np.float64)
        _validate.positive(f"lr({t})", lr)
        _validate.broadcasts_to(f"lr({t})", lr, shape)
        return lr

    def _check(self, params: Any, grad: Any) -> tuple[np.ndarray, np.ndarray]:
        """The input check of every step; returns float64 views ``(θ, g)``."""
        p = np.asarray(_validate.finite("params", params), dtype=np.float64)
        _validate.same_shape("grad", grad, "params", p)
        g = np.asarray(_validate.finite("grad", grad), dtype=np.float64)
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, np.ndarray):
                _validate.broadcasts_to(field.name, value, p.shape)
        return p, g

    def _no_schedule(self, role: str) -> None:
        if callable(self.lr):
            raise ValueError(
                f"lr of {type(self).__name__} is {role} and must be a number or an array, "
                f"got the callable {self.lr!r}"
            )


def _zero_state(state_class: type, params: Any) -> Any:
    """``state_class(t=0, ...)`` with every array field zeros of the shape of params."""
    zeros = np.zeros(np.shape(params))
    return state_class(0, *(zeros,) * (len(state_class._fields) - 1))


# --------------------------------------------------------------------------- plain gradient descent


class GDState(NamedTuple):
    """Plain gradient descent keeps only the step count t."""

    t: int


@dataclass(frozen=True, eq=False)
class GD(Optimizer):
    """Gradient descent: θ ← θ − α·g.

    (Cauchy 1847; every course: d2l 12.3, DLS C2W2, Ruder §2.1.)
    """

    lr: Hyper | Schedule = 0.1

    def init(self, params: Any) -> GDState:
        return GDState(t=0)

    def step(self, params: Any, grad: Any, state: GDState) -> tuple[np.ndarray, GDState]:
        p, g = self._check(params, grad)
        lr = self._lr_at(state.t, p.shape)
        return p - lr * g, GDState(t=state.t + 1)


# --------------------------------------------------------------------------- momentum family


class MomentumState(NamedTuple):
    """Step count t and the velocity v (shape of params, starts at 0)."""

    t: int
    v: np.ndarray


@dataclass(frozen=True, eq=False)
class _Velocity(Optimizer):
    """Kernels whose state is one velocity v of the shape of params, starting at 0."""

    def init(self, params: Any) -> MomentumState:
        return _zero_state(MomentumState, params)


@dataclass(frozen=True, eq=False)
class _HeavyBall(_Velocity):
    """The hyper-parameters of ClassicalMomentum and Nesterov: η (lr) and γ (momentum)."""

    lr: Hyper | Schedule = 0.01
    momentum: Hyper = 0.9

    def _check_hyper(self) -> None:
        _validate.unit_interval("momentum", self.momentum)


@dataclass(frozen=True, eq=False)
class Momentum(_Velocity):
    """Momentum, exponential-moving-average ("damped") form of the lecture slides and DLS C2W2:

        V ← β·V + (1 − β)·g
        W ← W − α·V

    V is an average of gradients (gradient units). Same path as ``ClassicalMomentum`` with
    η = α·(1 − β), γ = β, whose velocity is v = α·V; β = 0 is plain gradient descent.
    """

    lr: Hyper | Schedule = 0.01
    beta: Hyper = 0.9

    def _check_hyper(self) -> None:
        _validate.unit_interval("beta", self.beta)

    def step(self, params: Any, grad: Any, state: MomentumState) -> tuple[np.ndarray, MomentumState]:
        p, g = self._check(params, grad)
        lr = self._lr_at(state.t, p.shape)
        v = self.beta * state.v + (1 - self.beta) * g
        return p - lr * v, MomentumState(t=state.t + 1, v=v)


@dataclass(frozen=True, eq=False)
class ClassicalMomentum(_HeavyBall):
    """Classical (heavy-ball) momentum, the form of Ruder §4.1 and Wikipedia (η inside the velocity):

        v ← γ·v + η·g
        θ ← θ − v

    v is a step (parameter units). Relations, exact while η is constant:
    - torch.optim.SGD(lr, momentum=μ) runs b ← μ·b + g, p ← p − lr·b: with v = lr·b this is the
      same path for η = lr, γ = μ (also d2l's and Distill's undamped form v ← βv + g, w ← w − ηv);
    - the EMA form ``Momentum(α, β)``: same path for η = α·(1 − β), γ = β (v = α·V).
    Under a schedule η_t the forms differ: here η_t scales only the newest gradient, in torch
    lr_t scales the whole accumulated velocity.
    """

    def step(self, params: Any, grad: Any, state: MomentumState) -> tuple[np.ndarray, MomentumState]:
        p, g = self._check(params, grad)
        lr = self._lr_at(state.t, p.shape)
        v = self.momentum * state.v + lr * g
        return p - v, MomentumState(t=state.t + 1, v=v)


@dataclass(frozen=True, eq=False)
class Nesterov(_HeavyBall):
    """Nesterov's accelerated gradient, in the form that needs only the gradient at the current point
    (Sutskever et al. 2013, §3; torch.optim.SGD(nesterov=True)):

        v ← γ·v + g
        θ ← θ − η·(g + γ·v)

    The textbook form (Ruder §4.2) evaluates the gradient at the look-ahead point θ − γv:

        v ← γ·v + η·∇J(θ − γ·v)
        θ ← θ − v

    Change of variables: write φ = θ − γ·v (the look-ahead point) and b = v/η. Substituting gives
    b ← γ·b + ∇J(φ), φ ← φ − η·(∇J(φ) + γ·b), which is this kernel with params = φ and
    state.v = b. From zero velocity both start at the same point and the parameters here are
    the look-ahead points of the textbook iteration.
    """

    def step(self, params: Any, grad: Any, state: MomentumState) -> tuple[np.ndarray, MomentumState]:
        p, g = self._check(params, grad)
        lr = self._lr_at(state.t, p.shape)
        v = self.momentum * state.v + g
        return p - lr * (g + self.momentum * v), MomentumState(t=state.t + 1, v=v)


# --------------------------------------------------------------------------- per-coordinate rates


class AdaGradState(NamedTuple):
    """Step count t and the running sum of squared gradients G."""

    t: int
    G: np.ndarray


@dataclass(frozen=True, eq=False)
class AdaGrad(Optimizer):
    """AdaGrad (Duchi, Hazan & Singer 2011; Ruder §4.3), ε outside the root as in torch:

        G ← G + g²
        θ ← θ − α·g / (√G + ε)

    G starts at ``initial_accumulator``; the effective rate α/(√G + ε) never increases.
    """

    lr: Hyper | Schedule = 0.01
    eps: Hyper = 1e-10
    initial_accumulator: Hyper = 0.0

    def _check_hyper(self) -> None:
        _validate.positive("eps", self.eps)
        _validate.nonnegative("initial_accumulator", self.initial_accumulator)

    def init(self, params: Any) -> AdaGradState:
        return AdaGradState(t=0, G=np.zeros(np.shape(params)) + self.initial_accumulator)

    def step(self, params: Any, grad: Any, state: AdaGradState) -> tuple[np.ndarray, AdaGradState]:
        p, g = self._check(params, grad)
        lr = self._lr_at(state.t, p.shape)
        G = state.G + g**2
        return p - lr * g / (np.sqrt(G) + self.eps), AdaGradState(t=state.t + 1, G=G)


class AdadeltaState(NamedTuple):
    """Step count t and the running averages E[g²] and E[Δθ²]."""

    t: int
    Eg2: np.ndarray
    Edx2: np.ndarray


@dataclass(frozen=True, eq=False)
class Adadelta(Optimizer):
    """Adadelta (Zeiler 2012, Algorithm 1), ε inside both roots:

        E[g²]  ← ρ·E[g²] + (1 − ρ)·g²
        Δθ     ← −(√(E[Δθ²] + ε) / √(E[g²] + ε))·g
        E[Δθ²] ← ρ·E[Δθ²] + (1 − ρ)·Δθ²
        θ      ← θ + lr·Δθ

    lr = 1 is the paper (no learning rate); torch.optim.Adadelta adds the same factor lr.
    """

    lr: Hyper | Schedule = 1.0
    rho: Hyper = 0.9
    eps: Hyper = 1e-6

    def _check_hyper(self) -> None:
        _validate.unit_interval("rho", self.rho)
        _validate.positive("eps", self.eps)

    def init(self, params: Any) -> AdadeltaState:
        return _zero_state(AdadeltaState, params)

    def step(self, params: Any, grad: Any, state: AdadeltaState) -> tuple[np.ndarray, AdadeltaState]:
        p, g = self._check(params, grad)
        lr = self._lr_at(state.t, p.shape)
        Eg2 = self.rho * state.Eg2 + (1 - self.rho) * g**2
        dx = -(np.sqrt(state.Edx2 + self.eps) / np.sqrt(Eg2 + self.eps)) * g
        Edx2 = self.rho * state.Edx2 + (1 - self.rho) * dx**2
        return p + lr * dx, AdadeltaState(t=state.t + 1, Eg2=Eg2, Edx2=Edx2)


class RMSPropState(NamedTuple):
    """Step count t, the average of g² (s) and, when centered, the average of g (m)."""

    t: int
    s: np.ndarray
    m: np.ndarray


@dataclass(frozen=True, eq=False)
class RMSProp(Optimizer):
    """RMSProp (Hinton, Coursera lecture 6e; Ruder §4.5), ε outside the root as in torch:

        s ← β·s + (1 − β)·g²
        θ ← θ − α·g / (√s + ε)

    centered (Graves 2013): also m ← β·m + (1 − β)·g, and the denominator is √(s − m²) + ε.
    (torch.optim.RMSprop calls β ``alpha`` and defaults it to 0.99; the lectures use 0.9.)
    """

    lr: Hyper | Schedule = 0.001
    beta: Hyper = 0.9
    eps: Hyper = 1e-8
    centered: bool = False

    def _check_hyper(self) -> None:
        _validate.unit_interval("beta", self.beta)
        _validate.positive("eps", self.eps)
        if not isinstance(self.centered, (bool, np.bool_)):
            raise ValueError(f"centered must be True or False, got {self.centered!r}")

    def init(self, params: Any) -> RMSPropState:
        return _zero_state(RMSPropState, params)

    def step(self, params: Any, grad: Any, state: RMSPropState) -> tuple[np.ndarray, RMSPropState]:
        p, g = self._check(params, grad)
        lr = self._lr_at(state.t, p.shape)
        s = self.beta * state.s + (1 - self.beta) * g**2
        if self.centered:
            m = self.beta * state.m + (1 - self.beta) * g
            # s − m² >= 0 exactly (a weighted variance); the max only removes rounding below 0
            denom = np.sqrt(np.maximum(s - m**2, 0.0)) + self.eps
        else:
            m = state.m
            denom = np.sqrt(s) + self.eps
        return p - lr * g / denom, RMSPropState(t=state.t + 1, s=s, m=m)


# --------------------------------------------------------------------------- the Adam family


class AdamState(NamedTuple):
    """Step count t and the moment estimates m (of g) and v (of g²), before bias correction."""

    t: int
    m: np.ndarray
    v: np.ndarray


@dataclass(frozen=True, eq=False)
class Adam(Optimizer):
    """Adam (Kingma & Ba 2015, Algorithm 1), ε outside the root:

        t ← t + 1
        m ← β1·m + (1 − β1)·g
        v ← β2·v + (1 − β2)·g²
        m̂ ← m / (1 − β1ᵗ)
        v̂ ← v / (1 − β2ᵗ)
        θ ← θ − α·m̂ / (√v̂ + ε)

    At t = 1 from the zero state m̂ = g and v̂ = g², so the first step is α·g/(|g| + ε) ≈ α·sign(g).
    """

    lr: Hyper | Schedule = 1e-3
    beta1: Hyper = 0.9
    beta2: Hyper = 0.999
    eps: Hyper = 1e-8

    def _check_hyper(self) -> None:
        _validate.unit_interval("beta1", self.beta1)
        _validate.unit_interval("beta2", self.beta2)
        _validate.positive("eps", self.eps)

    def init(self, params: Any) -> AdamState:
        return _zero_state(AdamState, params)

    def _moments(self, g: np.ndarray, state: Any) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The first five lines of Algorithm 1: t, m, v, m̂, v̂."""
        t = state.t + 1
        m = self.beta1 * state.m + (1 - self.beta1) * g
        v = self.beta2 * state.v + (1 - self.beta2) * g**2
        m_hat = m / (1 - self.beta1**t)
        v_hat = v / (1 - self.beta2**t)
        return t, m, v, m_hat, v_hat

    def step(self, params: Any, grad: Any, state: AdamState) -> tuple[np.ndarray, AdamState]:
        p, g = self._check(params, grad)
        lr = self._lr_at(state.t, p.shape)
        t, m, v, m_hat, v_hat = self._moments(g, state)
        return p - lr * m_hat / (np.sqrt(v_hat) + self.eps), AdamState(t=t, m=m, v=v)


class AMSGradState(NamedTuple):
    """Adam's t, m, v and v_max, the running maximum of v."""

    t: int
    m: np.ndarray
    v: np.ndarray
    v_max: np.ndarray


@dataclass(frozen=True, eq=False)
class AMSGrad(Adam):
    """AMSGrad (Reddi, Kale & Kumar 2018), as torch.optim.Adam(amsgrad=True):

        t, m, v, m̂ as in Adam
        v_max ← max(v_max, v)
        θ ← θ − α·m̂ / (√(v_max / (1 − β2ᵗ)) + ε)

    The denominator never shrinks, which repairs Adam's counter-example of the paper.
    """

    def init(self, params: Any) -> AMSGradState:
        return _zero_state(AMSGradState, params)

    def step(self, params: Any, grad: Any, state: AMSGradState) -> tuple[np.ndarray, AMSGradState]:
        p, g = self._check(params, grad)
        lr = self._lr_at(state.t, p.shape)
        t, m, v, m_hat, _ = self._moments(g, state)
        v_max = np.maximum(state.v_max, v)
        new = p - lr * m_hat / (np.sqrt(v_max / (1 - self.beta2**t)) + self.eps)
        return new, AMSGradState(t=t, m=m, v=v, v_max=v_max)


@dataclass(frozen=True, eq=False)
class AdamW(Adam):
    """AdamW (Loshchilov & Hutter 2019, Algorithm 2), decoupled weight decay λ:

        t, m, v, m̂, v̂ as in Adam
        θ ← θ − α·(m̂ / (√v̂ + ε) + λ·θ)

    The decay acts on θ directly, not through g (torch.optim.AdamW, schedule multiplier 1).
    """

    weight_decay: Hyper = 0.01

    def _check_hyper(self) -> None:
        super()._check_hyper()
        _validate.nonnegative("weight_decay", self.weight_decay)

    def step(self, params: Any, grad: Any, state: AdamState) -> tuple[np.ndarray, AdamState]:
        p, g = self._check(params, grad)
        lr = self._lr_at(state.t, p.shape)
        t, m, v, m_hat, v_hat = self._moments(g, state)
        new = p - lr * (m_hat / (np.sqrt(v_hat) + self.eps) + self.weight_decay * p)
        return new, AdamState(t=t, m=m, v=v)


@dataclass(frozen=True, eq=False)
class NAdam(Adam):
    """NAdam (Dozat 2016), in the form of Ruder §4.9:

        t, m, v, m̂, v̂ as in Adam
        θ ← θ − α/(√v̂ + ε)·(β1·m̂ + (1 − β1)·g/(1 − β1ᵗ))

    (torch.optim.NAdam also decays β1 over time with ``momentum_decay``; this is the plain form.)
    """

    def step(self, params: Any, grad: Any, state: AdamState) -> tuple[np.ndarray, AdamState]:
        p, g = self._check(params, grad)
        lr = self._lr_at(state.t, p.shape)
        t, m, v, m_hat, v_hat = self._moments(g, state)
        nesterov = self.beta1 * m_hat + (1 - self.beta1) * g / (1 - self.beta1**t)
        return p - lr / (np.sqrt(v_hat) + self.eps) * nesterov, AdamState(t=t, m=m, v=v)


class AdaMaxState(NamedTuple):
    """Step count t, the first moment m and the infinity-norm estimate u."""

    t: int
    m: np.ndarray
    u: np.ndarray


@dataclass(frozen=True, eq=False)
class AdaMax(Adam):
    """AdaMax (Kingma & Ba 2015, Algorithm 2), the infinity-norm Adam:

        t ← t + 1
        m ← β1·m + (1 − β1)·g
        u ← max(β2·u, |g| + ε)
        θ ← θ − (α / (1 − β1ᵗ))·m / u

    The paper's u ← max(β2·u, |g|) divides by 0 while g = 0; ε is added to |g| as in
    torch.optim.Adamax. Ruder's overview (§4.7) writes the recursion on v(t−1): an erratum, it
    is u(t−1).
    """

    lr: Hyper | Schedule = 2e-3

    def init(self, params: Any) -> AdaMaxState:
        return _zero_state(AdaMaxState, params)

    def step(self, params: Any, grad: Any, state: AdaMaxState) -> tuple[np.ndarray, AdaMaxState]:
        p, g = self._check(params, grad)
        lr = self._lr_at(state.t, p.shape)
        t = state.t + 1
        m = self.beta1 * state.m + (1 - self.beta1) * g
        u = np.maximum(self.beta2 * state.u, np.abs(g) + self.eps)
        return p - (lr / (1 - self.beta1**t)) * m / u, AdaMaxState(t=t, m=m, u=u)


# --------------------------------------------------------------------------- sign-based and learned rates


class RpropState(NamedTuple):
    """Step count t, the previous (possibly zeroed) gradient and the per-weight step sizes Δ."""

    t: int
    prev_grad: np.ndarray
    step_size: np.ndarray


@dataclass(frozen=True, eq=False)
class Rprop(Optimizer):
    """Rprop (Riedmiller & Braun 1993), the iRprop⁻ variant of torch.optim.Rprop (torch >= 1.12).

    Only the sign of g is used. Per weight, with g_prev the stored gradient:

        Δ ← clip(η+·Δ, Δmin, Δmax)   if g·g_prev > 0
        Δ ← clip(η−·Δ, Δmin, Δmax)   if g·g_prev < 0, and then g ← 0 (no step for that weight)
        Δ ← clip(Δ, Δmin, Δmax)      if g·g_prev = 0
        θ ← θ − sign(g)·Δ ;  g_prev ← g

    Δ starts at ``lr`` (Δ0), hence lr is a number or an array, never a schedule. Because the
    gradient is zeroed after a sign flip, the next step sees g·g_prev = 0 and neither grows
    nor shrinks Δ (older descriptions without the zeroing also step back: that is Rprop⁺).
    """

    lr: Hyper = 0.01
    etaplus: Hyper = 1.2
    etaminus: Hyper = 0.5
    step_min: Hyper = 1e-6
    step_max: Hyper = 50.0

    def _check_hyper(self) -> None:
        self._no_schedule("the initial step Δ0")
        _validate.in_interval("etaminus", self.etaminus, 0.0, 1.0, low_closed=False, high_closed=False)
        _validate.in_interval("etaplus", self.etaplus, 1.0, np.inf, low_closed=False, high_closed=False)
        _validate.positive("step_min", self.step_min)
        _validate.nonnegative("step_max - step_min", np.subtract(self.step_max, self.step_min))

    def init(self, params: Any) -> RpropState:
        zeros = np.zeros(np.shape(params))
        return RpropState(t=0, prev_grad=zeros, step_size=zeros + self.lr)

    def step(self, params: Any, grad: Any, state: RpropState) -> tuple[np.ndarray, RpropState]:
        p, g = self._check(params, grad)
        agree = np.sign(g * state.prev_grad)
        factor = np.where(agree > 0, self.etaplus, np.where(agree < 0, self.etaminus, 1.0))
        step_size = np.clip(state.step_size * factor, self.step_min, self.step_max)
        g = np.where(agree < 0, 0.0, g)
        new = p - np.sign(g) * step_size
        return new, RpropState(t=state.t + 1, prev_grad=g, step_size=step_size)


class HypergradientState(NamedTuple):
    """Step count t, the learned rate α (one per run) and the previous gradient."""

    t: int
    lr: np.ndarray
    prev_grad: np.ndarray


@dataclass(frozen=True, eq=False)
class HypergradientSGD(Optimizer):
    """SGD with hypergradient descent, SGD-HD (Baydin et al. 2018, Algorithm 2): the learning rate
    is learned online by gradient descent on itself.

        α ← α + β·(g · g_prev)
        θ ← θ − α·g ;  g_prev ← g

    α starts at ``lr`` (α0, a number or an array, not a schedule) and lives in the state; β is
    ``hyper_lr`` (β = 0 is plain gradient descent). The dot product sums over the trailing
    ``param_ndim`` axes of params (None: all axes, one run); with params (K, d) and
    ``param_ndim=1`` the state's α has shape (K, 1): K runs learning K rates in one call.
    """

    lr: Hyper = 0.01
    hyper_lr: Hyper = 1e-4
    param_ndim: int | None = None

    def _check_hyper(self) -> None:
        self._no_schedule("the initial rate α0")
        _validate.nonnegative("hyper_lr", self.hyper_lr)
        if self.param_ndim is not None:
            _validate.positive_int("param_ndim", self.param_ndim)

    def _axes(self, ndim: int) -> tuple[int, ...]:
        k = ndim if self.param_ndim is None else self.param_ndim
        if k > ndim:
            raise ValueError(f"param_ndim must be in [1, {ndim}] for params with {ndim} axes, got {k}")
        return tuple(range(ndim - k, ndim))

    def init(self, params: Any) -> HypergradientState:
        p = np.asarray(params, dtype=np.float64)
        runs = np.sum(np.zeros(p.shape), axis=self._axes(p.ndim), keepdims=True)
        try:
            _validate.broadcasts_to("lr", self.lr, runs.shape, target="the runs")
        except ValueError as error:
            if self.param_ndim is not None:
                raise
            raise ValueError(f"{error}. With param_ndim=None all of params is one run: "
                             f"set param_ndim=1 for one run per row of params {p.shape}") from None
        return HypergradientState(t=0, lr=runs + self.lr, prev_grad=np.zeros(p.shape))

    def step(self, params: Any, grad: Any, state: HypergradientState) -> tuple[np.ndarray, HypergradientState]:
        p, g = self._check(params, grad)
        lr = state.lr + self.hyper_lr * np.sum(g * state.prev_grad, axis=self._axes(p.ndim), keepdims=True)
        return p - lr * g, HypergradientState(t=state.t + 1, lr=lr, prev_grad=g)


OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.__name__: cls
    for cls in (
        GD,
        Momentum,
        ClassicalMomentum,
        Nesterov,
        AdaGrad,
        Adadelta,
        RMSProp,
        Adam,
        AdaMax,
        NAdam,
        AMSGrad,
        AdamW,
        Rprop,
        HypergradientSGD,
    )
}
"""Every kernel by name, in the order the lectures teach them (the notebooks' bake-off)."""
