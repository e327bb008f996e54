"""The update kernels: pure ``init(params) -> state`` and ``step(params, grad, state) -> (params, state)``.

Every kernel is a frozen dataclass of hyper-parameters. Each hyper-parameter is a number or an
array that broadcasts against ``params`` without enlarging it, so ``params`` of shape ``(K, d)``
with ``lr`` (or ``beta``) of shape ``(K, 1)`` is K runs in one call. ``lr`` may also be a
schedule, any callable ``lr(n)``, evaluated at ``n = state.t`` (the number of steps already
taken, so the first step uses ``lr(0)``). States are immutable ``NamedTuple``s whose first field
is ``t``; inputs are never written to; everything is float64.

The docstring of each kernel is its equation, with g = ∇J(θ) the gradient at the current
parameters; its public ``update(θ, g, α, state)`` is the same lines in the same order. ``step`` is
the same for every kernel (the base class ``Optimizer``): it checks the inputs, takes α from
``lr_at(state)``, applies torch.optim's gradient options (``maximize``, L2 ``weight_decay``) and calls
``update``. On large params ``update`` is traced and run without an array per line (``_blocks``: on blocks of
the flattened arrays, or as one compiled loop when numba is installed), with bitwise the same numbers. The
options carry torch.optim's names and numbers; ``Kernel.torch_defaults()`` is the kernel with torch's default
hyper-parameters.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass
from typing import Any, ClassVar, NamedTuple

import numpy as np

from . import _blocks, _compiled, _validate

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
    "NAdamState",
    "RMSPropMomentumState",
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

BLOCKED_FROM = 1 << 19
"""Params of at least this many elements (4 MB per array) are updated by ``_blocks`` in blocks of the flattened
arrays; below, the whole arrays stay in the cache anyway and one pass per line costs less than the blocks' Python
overhead (measured with benchmarks/kernel_throughput.py)."""

COMPILED_FROM = 1 << 14
"""With numba installed (``gdcourse[fast]``), params of at least this many elements are updated by one compiled loop
(``_compiled``) instead: from here it beats numpy (Adam: 2.4× whole arrays at 10⁵ parameters, 3.3× numpy blocks
at 10⁶, benchmarks/kernel_throughput.py); below, tracing the body (~60 µs) costs more than it saves."""


def _option(default: Any) -> Any:
    """A field for one of torch.optim's options (``weight_decay``, ``maximize``, ...): a hyper-parameter that a
    kernel's label may leave out while it has its default (``metadata["option"]``)."""
    return dataclasses.field(default=default, metadata={"option": True})


@dataclass(frozen=True, eq=False)
class Optimizer(ABC):
    """Base of every kernel: ``init(params) -> state``, ``step(params, grad, state) -> (params, state)``.

    ``step`` does the plumbing once for every kernel: it checks θ, g and the state, evaluates α
    (``lr_at``), applies torch.optim's two gradient options (``maximize``: g ← −g; ``weight_decay`` λ,
    L2: g ← g + λ·θ, on the kernels that have it) and then calls the kernel's ``update(θ, g, α, state)``,
    whose body is the equations of its docstring. Large params (``COMPILED_FROM`` elements with numba,
    ``BLOCKED_FROM`` without) run the same body traced (``_traced``): same numbers, a fraction of the memory
    traffic.
    """

    _: KW_ONLY
    maximize: bool = _option(False)

    elementwise: ClassVar[bool] = True
    """Every line acts coordinate by coordinate (so large params may be updated in blocks)."""
    run_fields: ClassVar[tuple[str, ...]] = ()
    """State fields with one value per run (shape broadcasting to params) instead of the shape of params."""
    torch_options: ClassVar[dict[str, Any] | None] = None
    """torch.optim's defaults where they differ from the course's (None: no torch.optim counterpart)."""

    def __post_init__(self) -> None:
        _validate.freeze_arrays(self)
        if not callable(self.lr):  # a schedule is checked where it is evaluated
            _validate.positive("lr", self.lr)
        for field in dataclasses.fields(self):
            if field.type == "bool":
                _check_bool(field.name, getattr(self, field.name))
        if hasattr(self, "weight_decay"):
            _validate.nonnegative("weight_decay", self.weight_decay)
        self._check_hyper()

    def _check_hyper(self) -> None:
        """Validate the kernel's own hyper-parameters (called once, by ``__post_init__``)."""

    @classmethod
    def torch_defaults(cls, **overrides: Any) -> Optimizer:
        """This kernel with torch.optim's default hyper-parameters (then ``overrides``), for a side-by-side
        comparison with PyTorch; ``cls()`` keeps the course's defaults, which the lectures rely on."""
        if cls.torch_options is None:
            raise ValueError(f"{cls.__name__} has no torch.optim counterpart, so no torch defaults")
        return cls(**{**cls.torch_options, **overrides})

    @abstractmethod
    def init(self, params: Any) -> NamedTuple:
        """The state before the first step (``t = 0``, zero accumulators)."""

    @abstractmethod
    def update(self, θ: np.ndarray, g: np.ndarray, α: Any, state: Any) -> tuple[np.ndarray, Any]:
        """The kernel's equations, line by line: new θ and new state from θ, g, α and the state."""

    def lr_at(self, state: Any) -> Any:
        """α of the next step from ``state``: the constant, the array, or the schedule's ``lr(state.t)``."""
        return self.lr(state.t) if callable(self.lr) else self.lr

    def runs_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        """The shape of the runs' parameters: params of ``shape`` broadcast against the array hyper-parameters
        (and a schedule's lr(0)). One start point of shape (d,) with ``lr`` of shape (K, 1) is K runs."""
        shapes = [value.shape for _, value in self._array_hypers]
        if callable(self.lr):
            shapes.append(np.shape(self.lr(0)))
        try:
            return np.broadcast_shapes(tuple(shape), *shapes)
        except ValueError:
            return tuple(shape)  # step names the hyper-parameter that does not broadcast

    def step(self, params: Any, grad: Any, state: Any, *, lr: Any = None) -> tuple[np.ndarray, Any]:
        """One update: return the new parameters and the new state (inputs untouched).

        ``lr`` replaces ``lr_at(state)`` for this step (a controller such as the bold driver sets α)."""
        θ, g = self._check(params, grad)
        self._check_state(state, θ.shape)
        α = self.lr_at(state) if lr is None and not callable(self.lr) else self._check_lr(lr, state, θ.shape)
        large = θ.size >= (COMPILED_FROM if _compiled.AVAILABLE else BLOCKED_FROM)
        if large and self.elementwise and self._scalar_hypers(α):
            return self._traced(θ, g, α, state)
        _check_finite(θ, g)
        return self._update(θ, g, α, state)

    def _update(self, θ: np.ndarray, g: np.ndarray, α: Any, state: Any) -> tuple[np.ndarray, Any]:
        """torch.optim's gradient options (g ← −g when maximizing; g ← g + λ·θ, L2), then the equations."""
        if self.maximize:
            g = -g
        if self._decays:
            g = g + self._l2_decay() * θ
        return self.update(θ, g, α, state)

    @functools.cached_property
    def _decays(self) -> bool:
        """Is there an L2 weight decay to add to g (λ ≠ 0 somewhere)?"""
        return bool(np.any(self._l2_decay() != 0))

    def _l2_decay(self) -> Any:
        """λ of the L2 weight decay added to the gradient (0: the kernel has none)."""
        return getattr(self, "weight_decay", 0.0)

    def _check(self, params: Any, grad: Any) -> tuple[np.ndarray, np.ndarray]:
        """Shapes and dtypes of a step's inputs; returns float64 views ``(θ, g)`` (finiteness: ``step``)."""
        θ = np.asarray(_validate.real_array("params", params), dtype=np.float64)
        _validate.same_shape("grad", grad, "params", θ)
        g = np.asarray(_validate.real_array("grad", grad), dtype=np.float64)
        for name, value in self._array_hypers:
            _validate.broadcasts_to(name, value, θ.shape)
        return θ, g

    @functools.cached_property
    def _array_hypers(self) -> tuple[tuple[str, np.ndarray], ...]:
        """The hyper-parameters given as arrays (one value per run), by name."""
        fields = ((f.name, getattr(self, f.name)) for f in dataclasses.fields(self))
        return tuple((name, value) for name, value in fields if isinstance(value, np.ndarray))

    def _check_state(self, state: Any, shape: tuple[int, ...]) -> None:
        """The state must be this kernel's (its ``init`` type), at a step t >= 0, with arrays of the shape
        of params (one value per run for ``run_fields``)."""
        expected = self._state_type
        if type(state) is not expected:
            raise ValueError(f"state must be the {expected.__name__} of {type(self).__name__}.init(params), "
                             f"got {type(state).__name__}")
        t = state.t
        if isinstance(t, (bool, np.bool_)) or not isinstance(t, (int, np.integer)) or t < 0:
            raise ValueError(f"state.t must be an integer >= 0 (steps taken), got {t!r}")
        for name, value in zip(state._fields[1:], state[1:]):
            if name in self.run_fields:
                _validate.broadcasts_to(f"state.{name}", value, shape)
            elif np.shape(value) != shape:
                raise ValueError(f"state.{name} must have the shape of params {shape}, got shape {np.shape(value)}")

    @functools.cached_property
    def _state_type(self) -> type:
        """The type of ``init``'s state (read once per class from ``init``'s annotation)."""
        return _init_returns(type(self))

    def _check_lr(self, lr: Any, state: Any, shape: tuple[int, ...]) -> np.ndarray:
        """α of this step from a schedule (or ``lr`` given to ``step``): >= 0 (0 is a legal step that does
        not move) and broadcasting against params."""
        name = "lr" if lr is not None else f"lr({state.t})"
        α = np.asarray(_validate.nonnegative(name, self.lr_at(state) if lr is None else lr), dtype=np.float64)
        _validate.broadcasts_to(name, α, shape)
        return α

    def _scalar_hypers(self, α: Any) -> bool:
        """Every hyper-parameter and α is one number (then the flattened params can be cut in blocks)."""
        return np.size(α) == 1 and all(value.size == 1 for _, value in self._array_hypers)

    def _traced(self, θ: np.ndarray, g: np.ndarray, α: Any, state: Any) -> tuple[np.ndarray, Any]:
        """``_update`` traced on stand-ins for θ, g and the state's arrays, then run without an array per line
        (``_blocks.Program.run``: one compiled loop, or blocks of the flattened arrays), with bitwise the numbers
        of the whole arrays. Fields of one value per run enter the trace as numbers; a field that ``update``
        returns unchanged (RMSProp's m when not centered) is returned as it is, not copied."""
        is_array = [np.shape(value) == θ.shape for value in state[1:]]

        def body(θ: Any, g: Any, *arrays: Any) -> list[Any]:
            given = iter(arrays)
            fields = (next(given) if array else value for value, array in zip(state[1:], is_array))
            new_θ, new = self._update(θ, g, α, type(state)(state.t, *fields))
            return [new_θ, *new]

        def check(θ_block: np.ndarray, g_block: np.ndarray) -> None:
            _check_finite(θ_block, g_block, θ, g)

        inputs = [θ, g, *(value for value, array in zip(state[1:], is_array) if array)]
        new_θ, t, *new = _blocks.Program.trace(body, len(inputs)).run(inputs, check)
        return new_θ, type(state)(t, *new)

    def _no_schedule(self, role: str) -> None:
        if callable(self.lr):
            raise ValueError(
                f"lr of {type(self).__name__} is {role} and must be a number or an array, "
                f"got the callable {self.lr!r}"
            )


def _check_finite(θ: np.ndarray, g: np.ndarray, whole_θ: Any = None, whole_g: Any = None) -> None:
    """Every element of θ and g (a block of ``whole_θ`` and ``whole_g``) is finite; the message names the first
    bad element's index in the whole array."""
    if not np.isfinite(θ.sum() + g.sum()):  # a nan or ±inf anywhere makes the sum nan or ±inf (one read, no write)
        _validate.finite("params", θ if whole_θ is None else whole_θ)
        _validate.finite("grad", g if whole_g is None else whole_g)


@functools.cache
def _init_returns(cls: type) -> type:
    return typing.get_type_hints(cls.init)["return"]


def _check_bool(name: str, value: Any) -> None:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")


def _zero_state(state_class: type, params: Any) -> Any:
    """``state_class(t=0, ...)`` with every array field its own zeros of the shape of params."""
    shape = np.shape(params)
    return state_class(0, *(np.zeros(shape) for _ in state_class._fields[1:]))


# --------------------------------------------------------------------------- plain gradient descent


class GDState(NamedTuple):
    """Plain gradient descent keeps only the step count t."""

    t: int


@dataclass(frozen=True, eq=False)
class GD(Optimizer):
    """Gradient descent: θ ← θ − α·g.

    (Cauchy 1847; every course: d2l 12.3, DLS C2W2, Ruder §2.1.) torch.optim.SGD(lr) with momentum 0;
    ``weight_decay`` λ adds λ·θ to g (L2) as torch does. Course default α = 0.1 (torch: 1e-3).
    """

    lr: Hyper | Schedule = 0.1
    weight_decay: Hyper = _option(0.0)

    torch_options: ClassVar[dict[str, Any]] = {"lr": 1e-3}

    def init(self, params: Any) -> GDState:
        return GDState(t=0)

    def update(self, θ: Array, g: Array, α: Any, state: GDState) -> tuple[Array, GDState]:
        return θ - α * g, GDState(t=state.t + 1)


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
    """The hyper-parameters of ClassicalMomentum and Nesterov: η (lr), γ (momentum) and torch's L2
    ``weight_decay`` λ (g ← g + λ·θ). Course defaults η = 0.01, γ = 0.9 (torch.optim.SGD: 1e-3 and 0)."""

    lr: Hyper | Schedule = 0.01
    momentum: Hyper = 0.9
    weight_decay: Hyper = _option(0.0)

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

    def update(self, θ: Array, g: Array, α: Any, state: MomentumState) -> tuple[Array, MomentumState]:
        V = self.beta * state.v + (1 - self.beta) * g
        W = θ - α * V
        return W, MomentumState(t=state.t + 1, v=V)


@dataclass(frozen=True, eq=False)
class ClassicalMomentum(_HeavyBall):
    """Classical (heavy-ball) momentum, the form of Ruder §4.1 and Wikipedia (η inside the velocity):

        v ← γ·v + (1 − τ)·η·g        (τ = ``dampening``, 0 by default; torch skips it at the first step)
        θ ← θ − v

    v is a step (parameter units). Relations, exact while η is constant:
    - torch.optim.SGD(lr, momentum=μ, dampening=τ) runs b ← μ·b + (1 − τ)·g (b ← g at the first step),
      p ← p − lr·b: with v = lr·b this is the same path for η = lr, γ = μ (also d2l's and Distill's
      undamped form v ← βv + g, w ← w − ηv);
    - the EMA form ``Momentum(α, β)``: same path for η = α·(1 − β), γ = β (v = α·V).
    Under a schedule η_t the forms differ: here η_t scales only the newest gradient, in torch
    lr_t scales the whole accumulated velocity.
    """

    dampening: Hyper = _option(0.0)

    torch_options: ClassVar[dict[str, Any]] = {"lr": 1e-3, "momentum": 0.0}

    def _check_hyper(self) -> None:
        super()._check_hyper()
        _validate.in_interval("dampening", self.dampening, 0.0, 1.0)

    def update(self, θ: Array, g: Array, α: Any, state: MomentumState) -> tuple[Array, MomentumState]:
        τ = self.dampening if state.t > 0 else 0.0
        v = self.momentum * state.v + (1 - τ) * α * g
        θ = θ - v
        return θ, MomentumState(t=state.t + 1, v=v)


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
    the look-ahead points of the textbook iteration. (torch's nesterov=True needs momentum > 0 and
    no dampening, so ``torch_defaults()`` keeps γ = 0.9 and sets only torch's lr 1e-3.)
    """

    torch_options: ClassVar[dict[str, Any]] = {"lr": 1e-3}

    def update(self, θ: Array, g: Array, α: Any, state: MomentumState) -> tuple[Array, MomentumState]:
        v = self.momentum * state.v + g
        θ = θ - α * (g + self.momentum * v)
        return θ, MomentumState(t=state.t + 1, v=v)


# --------------------------------------------------------------------------- per-coordinate rates


class AdaGradState(NamedTuple):
    """Step count t and the running sum of squared gradients G."""

    t: int
    G: np.ndarray


@dataclass(frozen=True, eq=False)
class AdaGrad(Optimizer):
    """AdaGrad (Duchi, Hazan & Singer 2011; Ruder §4.3), ε outside the root as in torch:

        α ← α / (1 + t·lr_decay)      (torch's ``lr_decay``, 0 by default: α unchanged)
        G ← G + g²
        θ ← θ − α·g / (√G + ε)

    G starts at ``initial_accumulator``; the effective rate α/(√G + ε) never increases. ``weight_decay``
    λ adds λ·θ to g (L2, torch.optim.Adagrad). The course's defaults are torch's.
    """

    lr: Hyper | Schedule = 0.01
    eps: Hyper = 1e-10
    initial_accumulator: Hyper = 0.0
    lr_decay: Hyper = _option(0.0)
    weight_decay: Hyper = _option(0.0)

    torch_options: ClassVar[dict[str, Any]] = {}

    def _check_hyper(self) -> None:
        _validate.positive("eps", self.eps)
        _validate.nonnegative("initial_accumulator", self.initial_accumulator)
        _validate.nonnegative("lr_decay", self.lr_decay)

    def init(self, params: Any) -> AdaGradState:
        return AdaGradState(t=0, G=np.zeros(np.shape(params)) + self.initial_accumulator)

    def update(self, θ: Array, g: Array, α: Any, state: AdaGradState) -> tuple[Array, AdaGradState]:
        α = α / (1 + state.t * self.lr_decay)
        G = state.G + g**2
        θ = θ - α * g / (np.sqrt(G) + self.eps)
        return θ, AdaGradState(t=state.t + 1, G=G)


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

    lr = 1 is the paper (no learning rate); torch.optim.Adadelta adds the same factor lr, and
    ``weight_decay`` λ (g ← g + λ·θ). The course's defaults are torch's.
    """

    lr: Hyper | Schedule = 1.0
    rho: Hyper = 0.9
    eps: Hyper = 1e-6
    weight_decay: Hyper = _option(0.0)

    torch_options: ClassVar[dict[str, Any]] = {}

    def _check_hyper(self) -> None:
        _validate.unit_interval("rho", self.rho)
        _validate.positive("eps", self.eps)

    def init(self, params: Any) -> AdadeltaState:
        return _zero_state(AdadeltaState, params)

    def update(self, θ: Array, g: Array, α: Any, state: AdadeltaState) -> tuple[Array, AdadeltaState]:
        Eg2 = self.rho * state.Eg2 + (1 - self.rho) * g**2
        dx = -(np.sqrt(state.Edx2 + self.eps) / np.sqrt(Eg2 + self.eps)) * g
        Edx2 = self.rho * state.Edx2 + (1 - self.rho) * dx**2
        θ = θ + α * dx
        return θ, AdadeltaState(t=state.t + 1, Eg2=Eg2, Edx2=Edx2)


class RMSPropState(NamedTuple):
    """Step count t, the average of g² (s) and, when centered, the average of g (m)."""

    t: int
    s: np.ndarray
    m: np.ndarray


class RMSPropMomentumState(NamedTuple):
    """RMSProp's t, s, m and the momentum buffer b of torch's ``momentum`` option."""

    t: int
    s: np.ndarray
    m: np.ndarray
    b: np.ndarray


@dataclass(frozen=True, eq=False)
class RMSProp(Optimizer):
    """RMSProp (Hinton, Coursera lecture 6e; Ruder §4.5), ε outside the root as in torch:

        s ← β·s + (1 − β)·g²
        θ ← θ − α·g / (√s + ε)

    centered (Graves 2013): also m ← β·m + (1 − β)·g, and the denominator is √(s − m²) + ε.
    ``momentum`` μ > 0 (torch.optim.RMSprop): b ← μ·b + g/(√s + ε), θ ← θ − α·b. ``weight_decay`` λ:
    g ← g + λ·θ. torch calls β ``alpha`` and defaults it to 0.99 and α to 0.01; the lectures use
    β = 0.9 and α = 0.001 (``torch_defaults()`` gives torch's).
    """

    lr: Hyper | Schedule = 0.001
    beta: Hyper = 0.9
    eps: Hyper = 1e-8
    centered: bool = False
    momentum: Hyper = _option(0.0)
    weight_decay: Hyper = _option(0.0)

    torch_options: ClassVar[dict[str, Any]] = {"lr": 0.01, "beta": 0.99}

    def _check_hyper(self) -> None:
        _validate.unit_interval("beta", self.beta)
        _validate.positive("eps", self.eps)
        _validate.unit_interval("momentum", self.momentum)

    @functools.cached_property
    def _state_type(self) -> type:
        return RMSPropMomentumState if np.any(self.momentum != 0) else RMSPropState

    def init(self, params: Any) -> RMSPropState | RMSPropMomentumState:
        return _zero_state(self._state_type, params)

    def update(self, θ: Array, g: Array, α: Any, state: Any) -> tuple[Array, Any]:
        s = self.beta * state.s + (1 - self.beta) * g**2
        if self.centered:
            m = self.beta * state.m + (1 - self.beta) * g
            # s − m² >= 0 exactly (a weighted variance); the max only removes rounding below 0
            denom = np.sqrt(np.maximum(s - m**2, 0.0)) + self.eps
        else:
            m = state.m
            denom = np.sqrt(s) + self.eps
        if type(state) is RMSPropState:
            return θ - α * g / denom, RMSPropState(t=state.t + 1, s=s, m=m)
        b = self.momentum * state.b + g / denom
        return θ - α * b, RMSPropMomentumState(t=state.t + 1, s=s, m=m, b=b)


# --------------------------------------------------------------------------- the Adam family


class AdamState(NamedTuple):
    """Step count t and the moment estimates m (of g) and v (of g²), before bias correction."""

    t: int
    m: np.ndarray
    v: np.ndarray


class AMSGradState(NamedTuple):
    """Adam's t, m, v and v_max, the running maximum of v."""

    t: int
    m: np.ndarray
    v: np.ndarray
    v_max: np.ndarray


@dataclass(frozen=True, eq=False)
class _Moments(Optimizer):
    """The hyper-parameters of the Adam family: α, β1, β2, ε and torch's L2 ``weight_decay`` λ (g ← g + λθ)."""

    lr: Hyper | Schedule = 1e-3
    beta1: Hyper = 0.9
    beta2: Hyper = 0.999
    eps: Hyper = 1e-8
    weight_decay: Hyper = _option(0.0)

    torch_options: ClassVar[dict[str, Any]] = {}

    def _check_hyper(self) -> None:
        _validate.unit_interval("beta1", self.beta1)
        _validate.unit_interval("beta2", self.beta2)
        _validate.positive("eps", self.eps)


@dataclass(frozen=True, eq=False)
class Adam(_Moments):
    """Adam (Kingma & Ba 2015, Algorithm 1), ε outside the root:

        t ← t + 1
        m ← β1·m + (1 − β1)·g
        v ← β2·v + (1 − β2)·g²
        m̂ ← m / (1 − β1ᵗ)
        v̂ ← v / (1 − β2ᵗ)
        θ ← θ − α·m̂ / (√v̂ + ε)

    At t = 1 from the zero state m̂ = g and v̂ = g², so the first step is α·g/(|g| + ε) ≈ α·sign(g).
    α is the step's own (``lr_at`` of the state before the step, t steps taken: a schedule's first α is
    lr(0)); the bias correction counts this step, t + 1. torch.optim.Adam's switches: ``amsgrad``
    (AMSGrad: v_max ← max(v_max, v) and v̂ ← v_max / (1 − β2ᵗ)) and ``decoupled_weight_decay`` (AdamW: the
    last line becomes θ ← θ − α·(m̂/(√v̂ + ε) + λ·θ); otherwise λ is L2, g ← g + λ·θ). The defaults are
    torch's.
    """

    amsgrad: bool = _option(False)
    decoupled_weight_decay: bool = _option(False)

    @functools.cached_property
    def _state_type(self) -> type:
        return AMSGradState if self.amsgrad else AdamState

    def _l2_decay(self) -> Any:
        return 0.0 if self.decoupled_weight_decay else self.weight_decay

    def init(self, params: Any) -> AdamState | AMSGradState:
        return _zero_state(self._state_type, params)

    def update(self, θ: Array, g: Array, α: Any, state: Any) -> tuple[Array, Any]:
        t = state.t + 1
        m = self.beta1 * state.m + (1 - self.beta1) * g
        v = self.beta2 * state.v + (1 - self.beta2) * g**2
        m_hat = m / (1 - self.beta1**t)
        v_max = np.maximum(state.v_max, v) if self.amsgrad else v
        v_hat = v_max / (1 - self.beta2**t)
        if self.decoupled_weight_decay:  # AdamW
            θ = θ - α * (m_hat / (np.sqrt(v_hat) + self.eps) + self.weight_decay * θ)
        else:
            θ = θ - α * m_hat / (np.sqrt(v_hat) + self.eps)
        return θ, (AMSGradState(t, m, v, v_max) if self.amsgrad else AdamState(t, m, v))


@dataclass(frozen=True, eq=False)
class AMSGrad(Adam):
    """AMSGrad (Reddi, Kale & Kumar 2018), as torch.optim.Adam(amsgrad=True):

        t, m, v, m̂ as in Adam
        v_max ← max(v_max, v)
        θ ← θ − α·m̂ / (√(v_max / (1 − β2ᵗ)) + ε)

    The denominator never shrinks, which repairs Adam's counter-example of the paper.
    """

    amsgrad: bool = _option(True)


@dataclass(frozen=True, eq=False)
class AdamW(Adam):
    """AdamW (Loshchilov & Hutter 2019, Algorithm 2), decoupled weight decay λ:

        t, m, v, m̂, v̂ as in Adam
        θ ← θ − α·(m̂ / (√v̂ + ε) + λ·θ)

    The decay acts on θ directly, not through g (torch.optim.AdamW, schedule multiplier 1): Adam with
    ``decoupled_weight_decay=True`` and λ = 0.01 (torch's default).
    """

    weight_decay: Hyper = 0.01
    decoupled_weight_decay: bool = _option(True)


class NAdamState(NamedTuple):
    """Adam's t, m, v and the product μ_1·…·μ_t of torch's momentum schedule (one per run, starts at 1)."""

    t: int
    m: np.ndarray
    v: np.ndarray
    mu_product: np.ndarray


@dataclass(frozen=True, eq=False)
class NAdam(_Moments):
    """NAdam (Dozat 2016), in the form of Ruder §4.9 (``momentum_decay=None``, the course's, constant β1):

        t ← t + 1
        m ← β1·m + (1 − β1)·g
        v ← β2·v + (1 − β2)·g²
        m̂ ← m / (1 − β1ᵗ)
        v̂ ← v / (1 − β2ᵗ)
        θ ← θ − α/(√v̂ + ε)·(β1·m̂ + (1 − β1)·g/(1 − β1ᵗ))

    With ``momentum_decay`` ψ (torch.optim.NAdam, default 4e-3 in ``torch_defaults()``) β1 becomes the
    schedule μ_t = β1·(1 − ½·0.96^(t·ψ)) and the last two lines are

        Πμ ← Πμ·μ_t
        θ ← θ − α·(1 − μ_t)/(1 − Πμ)·g/(√v̂ + ε)
              − α·μ_{t+1}/(1 − Πμ·μ_{t+1})·m/(√v̂ + ε)

    Course default α = 1e-3 (torch: 2e-3).
    """

    momentum_decay: Hyper | None = _option(None)

    run_fields: ClassVar[tuple[str, ...]] = ("mu_product",)
    torch_options: ClassVar[dict[str, Any]] = {"lr": 2e-3, "momentum_decay": 4e-3}

    def _check_hyper(self) -> None:
        super()._check_hyper()
        if self.momentum_decay is not None:
            _validate.nonnegative("momentum_decay", self.momentum_decay)

    @functools.cached_property
    def _state_type(self) -> type:
        return AdamState if self.momentum_decay is None else NAdamState

    def init(self, params: Any) -> AdamState | NAdamState:
        if self.momentum_decay is None:
            return _zero_state(AdamState, params)
        zeros = _zero_state(AdamState, params)
        return NAdamState(0, zeros.m, zeros.v, np.ones(np.shape(self.beta1 * self.momentum_decay)))

    def _mu(self, t: int) -> Any:
        """torch's momentum schedule μ_t = β1·(1 − ½·0.96^(t·ψ))."""
        return self.beta1 * (1.0 - 0.5 * 0.96 ** (t * self.momentum_decay))

    def update(self, θ: Array, g: Array, α: Any, state: Any) -> tuple[Array, Any]:
        t = state.t + 1
        m = self.beta1 * state.m + (1 - self.beta1) * g
        v = self.beta2 * state.v + (1 - self.beta2) * g**2
        if self.momentum_decay is None:
            m_hat = m / (1 - self.beta1**t)
            v_hat = v / (1 - self.beta2**t)
            nesterov = self.beta1 * m_hat + (1 - self.beta1) * g / (1 - self.beta1**t)
            θ = θ - α / (np.sqrt(v_hat) + self.eps) * nesterov
            return θ, AdamState(t=t, m=m, v=v)
        mu, mu_next = self._mu(t), self._mu(t + 1)
        mu_product = state.mu_product * mu
        denom = np.sqrt(v / (1 - self.beta2**t)) + self.eps
        θ = θ - α * (1 - mu) / (1 - mu_product) * g / denom - α * mu_next / (1 - mu_product * mu_next) * m / denom
        return θ, NAdamState(t, m, v, mu_product)


class AdaMaxState(NamedTuple):
    """Step count t, the first moment m and the infinity-norm estimate u."""

    t: int
    m: np.ndarray
    u: np.ndarray


@dataclass(frozen=True, eq=False)
class AdaMax(_Moments):
    """AdaMax (Kingma & Ba 2015, Algorithm 2), the infinity-norm Adam:

        t ← t + 1
        m ← β1·m + (1 − β1)·g
        u ← max(β2·u, |g| + ε)
        θ ← θ − (α / (1 − β1ᵗ))·m / u

    The paper's u ← max(β2·u, |g|) divides by 0 while g = 0; ε is added to |g| as in
    torch.optim.Adamax (also its L2 ``weight_decay``; the defaults are torch's). Ruder's overview (§4.7)
    writes the recursion on v(t−1): an erratum, it is u(t−1).
    """

    lr: Hyper | Schedule = 2e-3

    def init(self, params: Any) -> AdaMaxState:
        return _zero_state(AdaMaxState, params)

    def update(self, θ: Array, g: Array, α: Any, state: AdaMaxState) -> tuple[Array, AdaMaxState]:
        t = state.t + 1
        m = self.beta1 * state.m + (1 - self.beta1) * g
        u = np.maximum(self.beta2 * state.u, np.abs(g) + self.eps)
        θ = θ - (α / (1 - self.beta1**t)) * m / u
        return θ, AdaMaxState(t=t, m=m, u=u)


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

    Δ starts at ``lr`` (Δ0), hence lr is a number or an array, never a schedule, and α is not used by
    the lines. Because the gradient is zeroed after a sign flip, the next step sees g·g_prev = 0 and
    neither grows nor shrinks Δ (older descriptions without the zeroing also step back: that is Rprop⁺).
    The defaults are torch's.
    """

    lr: Hyper = 0.01
    etaplus: Hyper = 1.2
    etaminus: Hyper = 0.5
    step_min: Hyper = 1e-6
    step_max: Hyper = 50.0

    torch_options: ClassVar[dict[str, Any]] = {}

    def _check_hyper(self) -> None:
        self._no_schedule("the initial step Δ0")
        _validate.in_interval("etaminus", self.etaminus, 0.0, 1.0, low_closed=False, high_closed=False)
        _validate.in_interval("etaplus", self.etaplus, 1.0, np.inf, low_closed=False, high_closed=False)
        _validate.positive("step_min", self.step_min)
        _validate.nonnegative("step_max - step_min", np.subtract(self.step_max, self.step_min))

    def init(self, params: Any) -> RpropState:
        _validate.broadcasts_to("lr", self.lr, np.shape(params))
        return RpropState(t=0, prev_grad=np.zeros(np.shape(params)), step_size=np.zeros(np.shape(params)) + self.lr)

    def update(self, θ: Array, g: Array, α: Any, state: RpropState) -> tuple[Array, RpropState]:
        agree = np.sign(g * state.prev_grad)
        factor = np.where(agree > 0, self.etaplus, np.where(agree < 0, self.etaminus, 1.0))
        step_size = np.clip(state.step_size * factor, self.step_min, self.step_max)
        g = np.where(agree < 0, 0.0, g)
        θ = θ - np.sign(g) * step_size
        return θ, RpropState(t=state.t + 1, prev_grad=g, step_size=step_size)


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

    α starts at ``lr`` (α0, a number or an array, not a schedule) and lives in the state (``lr_at``
    reads it there); β is ``hyper_lr`` (β = 0 is plain gradient descent). The dot product sums over
    the trailing ``param_ndim`` axes of params (None: all axes, one run); with params (K, d) and
    ``param_ndim=1`` the state's α has shape (K, 1): K runs learning K rates in one call.
    """

    lr: Hyper = 0.01
    hyper_lr: Hyper = 1e-4
    param_ndim: int | None = None

    elementwise: ClassVar[bool] = False
    run_fields: ClassVar[tuple[str, ...]] = ("lr",)

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

    def lr_at(self, state: HypergradientState) -> np.ndarray:
        return state.lr

    def update(self, θ: Array, g: Array, α: Any, state: HypergradientState) -> tuple[Array, HypergradientState]:
        α = α + self.hyper_lr * np.sum(g * state.prev_grad, axis=self._axes(θ.ndim), keepdims=True)
        θ = θ - α * g
        return θ, HypergradientState(t=state.t + 1, lr=α, prev_grad=g.copy())  # a copy: the caller may reuse g


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
