"""Test functions for gradient descent, with analytic gradients, Hessians and known minima.

Every objective is a frozen dataclass, callable on points of shape ``(..., d)``:

* ``f(x)`` has shape ``(...)``, ``f.grad(x)`` the shape of ``x``, ``f.hessian(x)`` shape ``(..., d, d)``;
* ``f.name``, ``f.formula``, ``f.dim``, ``f.minima`` (array ``(m, d)``, empty when there is no
  minimum), ``f.f_min``, ``f.start`` (the customary start point) and ``f.bounds`` (the plotting window,
  ``((x_lo, x_hi), (y_lo, y_hi))`` in 2-D, ``((lo, hi),)`` in 1-D).

All arrays are computed on whole batches of points at once: K start points of shape ``(K, d)`` are one
call. A 1-D objective takes points of shape ``(..., 1)``: write ``square([3.0])``, not ``square(3.0)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike

from . import _validate

__all__ = [
    "Objective",
    "Quadratic",
    "quadratic",
    "Rosenbrock",
    "Beale",
    "Himmelblau",
    "Saddle",
    "Plateau",
    "Wavy",
    "Bumpy",
    "DoubleWell",
    "square",
    "double_well",
    "ravine",
    "rosenbrock",
    "beale",
    "himmelblau",
    "saddle",
    "plateau",
    "wavy",
    "bumpy",
    "OBJECTIVES",
]

Bounds = tuple[tuple[float, float], ...]


def _frozen(values: ArrayLike) -> np.ndarray:
    """A read-only float array (objectives are immutable, so are their attributes)."""
    arr = np.array(values, dtype=float)
    arr.flags.writeable = False
    return arr


@dataclass(frozen=True, eq=False, kw_only=True)
class Objective:
    """A test function f: R^d -> R on batches of points ``x`` of shape ``(..., d)``.

    Subclasses implement ``_f``, ``_grad`` and ``_hessian`` on validated float arrays and set
    the class attributes ``minima`` (shape ``(m, d)``) and ``f_min``.
    """

    name: str
    formula: str
    start: ArrayLike  # stored as a read-only float array of shape (d,)
    bounds: Bounds

    minima: ClassVar[np.ndarray]
    f_min: ClassVar[float]

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _frozen(self.start))
        object.__setattr__(self, "bounds", tuple((float(lo), float(hi)) for lo, hi in self.bounds))
        if self.start.shape != (self.dim,):
            raise ValueError(f"start must have shape ({self.dim},) to match bounds, got shape {self.start.shape}")
        for lo, hi in self.bounds:
            if not lo < hi:
                raise ValueError(f"bounds must be (lo, hi) pairs with lo < hi, got {self.bounds}")

    @property
    def dim(self) -> int:
        """Number of coordinates d of a point."""
        return len(self.bounds)

    def _points(self, x) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        if x.ndim == 0 or x.shape[-1] != self.dim:
            raise ValueError(
                f"{self.name} takes points of shape (..., {self.dim}) (last axis = dim = {self.dim}), "
                f"got shape {x.shape}"
            )
        return x

    def __call__(self, x) -> np.ndarray:
        """f(x), shape ``x.shape[:-1]``."""
        return self._f(self._points(x))

    def grad(self, x) -> np.ndarray:
        """∇f(x), the shape of ``x``."""
        return self._grad(self._points(x))

    def hessian(self, x) -> np.ndarray:
        """∇²f(x), shape ``x.shape[:-1] + (d, d)``."""
        return self._hessian(self._points(x))

    def _f(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _grad(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _hessian(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError


def _hess2(fxx, fxy, fyy) -> np.ndarray:
    """Stack the entries of a symmetric 2 × 2 Hessian into shape (..., 2, 2)."""
    return np.stack([np.stack([fxx, fxy], axis=-1), np.stack([fxy, fyy], axis=-1)], axis=-2)


@dataclass(frozen=True, eq=False)
class Quadratic(Objective):
    """The quadratic  f(x) = ½ xᵀAx − bᵀx  with A symmetric positive definite.

    ∇f(x) = Ax − b,  ∇²f = A,  minimizer x* = A⁻¹b,  f* = −½ bᵀx*.
    Its eigenvalues μ = λ_min ≤ … ≤ L = λ_max fix everything gradient descent does on it:
    the condition number κ = L/μ, the stability edge α < 2/L, the best step 2/(μ + L).

    ``start`` and ``bounds`` default to x* + (−5, −2) and x* + ((−6, 6), (−4, 4)) in 2-D and must
    be given in any other dimension.
    """

    A: ArrayLike
    b: ArrayLike | None = None
    name: str = field(default="quadratic", kw_only=True)
    formula: str = field(default="½ xᵀAx − bᵀx", kw_only=True)
    start: ArrayLike | None = field(default=None, kw_only=True)
    bounds: Bounds | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        A = np.array(self.A, dtype=float)
        if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0:
            raise ValueError(f"A must be a square (d, d) matrix, got shape {A.shape}")
        if not np.allclose(A, A.T, rtol=1e-12, atol=1e-12):
            raise ValueError("A must be symmetric, got A != Aᵀ")
        eigenvalues = np.linalg.eigvalsh(A)
        if eigenvalues[0] <= 0:
            raise ValueError(f"A must be positive definite, got eigenvalues {eigenvalues}")
        d = A.shape[0]
        b = np.zeros(d) if self.b is None else _validate.finite("b", np.array(self.b, dtype=float))
        if b.shape != (d,):
            raise ValueError(f"b must have shape ({d},) to match A, got shape {b.shape}")
        object.__setattr__(self, "A", _frozen(A))
        object.__setattr__(self, "b", _frozen(b))
        if self.start is None or self.bounds is None:
            if d != 2:
                raise ValueError(f"start and bounds must be given for a quadratic in d = {d} (defaults exist in 2-D)")
            (x1, x2) = self.minima[0]
            if self.start is None:
                object.__setattr__(self, "start", (x1 - 5, x2 - 2))
            if self.bounds is None:
                object.__setattr__(self, "bounds", ((x1 - 6, x1 + 6), (x2 - 4, x2 + 4)))
        super().__post_init__()

    @property
    def eigenvalues(self) -> np.ndarray:
        """Eigenvalues of A in ascending order, μ = λ_min first and L = λ_max last."""
        return np.linalg.eigvalsh(self.A)

    @property
    def minima(self) -> np.ndarray:  # type: ignore[override]
        """The minimizer x* = A⁻¹b, shape (1, d)."""
        return np.linalg.solve(self.A, self.b)[None, :]

    @property
    def f_min(self) -> float:  # type: ignore[override]
        """f* = −½ bᵀx*."""
        return float(-0.5 * self.b @ self.minima[0])

    @property
    def mu(self) -> float:
        """Smallest eigenvalue μ of A (strong convexity)."""
        return float(self.eigenvalues[0])

    @property
    def L(self) -> float:
        """Largest eigenvalue L of A (smoothness)."""
        return float(self.eigenvalues[-1])

    @property
    def kappa(self) -> float:
        """Condition number κ = L/μ."""
        return self.L / self.mu

    def _f(self, x):
        return 0.5 * np.einsum("...i,ij,...j->...", x, self.A, x) - x @ self.b

    def _grad(self, x):
        return x @ self.A - self.b  # A symmetric: xᵀA = (Ax)ᵀ

    def _hessian(self, x):
        return np.broadcast_to(self.A, x.shape + (self.dim,)).copy()


def quadratic(kappa: float = 10.0, L: float = 1.0, angle: float = 0.0, minimum: ArrayLike = (0.0, 0.0)) -> Quadratic:
    """The ravine  f(x) = ½(μx₁² + Lx₂²),  μ = L/κ, rotated by ``angle`` (radians).

    A = R diag(μ, L) Rᵀ with R the rotation by ``angle``: the shallow direction (eigenvalue μ) is
    (cos angle, sin angle). Minimum 0 at the origin; start (−5, −2), window ((−6, 6), (−4, 4)).
    ``angle = π/4`` gives the rotated ellipse on which per-coordinate methods lose their advantage.
    ``minimum = x*`` moves the whole picture: f(x) = ½(x − x*)ᵀA(x − x*) − ½x*ᵀAx*, i.e. ½xᵀAx − bᵀx with
    b = Ax*, start x* + (−5, −2); off the origin, weight decay no longer pulls towards the answer.
    """
    _validate.in_interval("kappa", kappa, 1.0, np.inf, high_closed=False)
    _validate.positive("L", L)
    _validate.finite("angle", angle)
    c, s = np.cos(angle), np.sin(angle)
    R = np.array([[c, -s], [s, c]])
    A = R @ np.diag([L / kappa, L]) @ R.T
    A = 0.5 * (A + A.T)  # exactly symmetric despite rounding
    formula = "½(μx₁² + Lx₂²), μ = L/κ" if angle == 0 else "½(μu₁² + Lu₂²), u = Rᵀx rotated"
    x_star = _validate.finite("minimum", np.array(minimum, dtype=float))
    if x_star.shape != (2,):
        raise ValueError(f"minimum must be a point (x₁, x₂), got shape {x_star.shape}")
    if x_star.any():
        formula += f", minimum at ({x_star[0]:g}, {x_star[1]:g})"
    return Quadratic(A, A @ x_star, name="ravine", formula=formula)


@dataclass(frozen=True, eq=False, kw_only=True)
class DoubleWell(Objective):
    """The double well  f(x) = x⁴ − 8x²  (1-D).

    f′(x) = 4x³ − 16x,  f″(x) = 12x² − 16. Minima x = ±2 with f = −16 and f″(±2) = 32, so gradient
    descent near a minimum is stable only for α < 2/32 = 1/16; a local maximum at x = 0.
    """

    name: str = "double_well"
    formula: str = "θ⁴ − 8θ²"
    start: ArrayLike = (0.5,)
    bounds: Bounds = ((-3.0, 3.0),)

    minima: ClassVar[np.ndarray] = _frozen([[-2.0], [2.0]])
    f_min: ClassVar[float] = -16.0

    def _f(self, x):
        x = x[..., 0]
        return x**4 - 8 * x**2

    def _grad(self, x):
        return 4 * x**3 - 16 * x

    def _hessian(self, x):
        return (12 * x**2 - 16)[..., None]


@dataclass(frozen=True, eq=False, kw_only=True)
class Rosenbrock(Objective):
    """Rosenbrock's banana valley  f(x, y) = (1 − x)² + 100(y − x²)².

    ∂f/∂x = −2(1 − x) − 400x(y − x²),  ∂f/∂y = 200(y − x²).
    Minimum (1, 1), f = 0, at the end of a long curved flat valley; start (−1.2, 1).
    """

    name: str = "rosenbrock"
    formula: str = "(1 − x)² + 100(y − x²)²"
    start: ArrayLike = (-1.2, 1.0)
    bounds: Bounds = ((-2.0, 2.0), (-1.0, 3.0))

    minima: ClassVar[np.ndarray] = _frozen([[1.0, 1.0]])
    f_min: ClassVar[float] = 0.0

    def _f(self, p):
        x, y = p[..., 0], p[..., 1]
        return (1 - x) ** 2 + 100 * (y - x**2) ** 2

    def _grad(self, p):
        x, y = p[..., 0], p[..., 1]
        return np.stack([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)], axis=-1)

    def _hessian(self, p):
        x, y = p[..., 0], p[..., 1]
        return _hess2(2 - 400 * (y - x**2) + 800 * x**2, -400 * x, np.full_like(x, 200.0))


@dataclass(frozen=True, eq=False, kw_only=True)
class Beale(Objective):
    """Beale's function  f(x, y) = Σᵢ rᵢ²,  rᵢ = cᵢ − x + x yⁱ,  c = (1.5, 2.25, 2.625), i = 1, 2, 3.

    ∇f = 2 Σᵢ rᵢ ∇rᵢ with ∇rᵢ = (yⁱ − 1, i x yⁱ⁻¹). Minimum (3, 0.5), f = 0; start (3, 4) on the
    grid [−4.5, 4.5]², where the gradient is huge next to flat regions.
    """

    name: str = "beale"
    formula: str = "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²"
    start: ArrayLike = (3.0, 4.0)
    bounds: Bounds = ((-4.5, 4.5), (-4.5, 4.5))

    minima: ClassVar[np.ndarray] = _frozen([[3.0, 0.5]])
    f_min: ClassVar[float] = 0.0
    c: ClassVar[np.ndarray] = _frozen([1.5, 2.25, 2.625])
    i: ClassVar[np.ndarray] = _frozen([1.0, 2.0, 3.0])

    def _parts(self, p):
        """Residuals rᵢ and their gradients, each with a trailing axis i of size 3."""
        x, y = p[..., 0, None], p[..., 1, None]
        r = self.c - x + x * y**self.i
        return x, y, r, y**self.i - 1, self.i * x * y ** (self.i - 1)

    def _f(self, p):
        return np.sum(self._parts(p)[2] ** 2, axis=-1)

    def _grad(self, p):
        _, _, r, rx, ry = self._parts(p)
        return 2 * np.stack([np.sum(r * rx, axis=-1), np.sum(r * ry, axis=-1)], axis=-1)

    def _hessian(self, p):
        x, y, r, rx, ry = self._parts(p)
        rxy = self.i * y ** (self.i - 1)
        ryy = self.i * (self.i - 1) * x * y ** np.maximum(self.i - 2, 0)
        return 2 * _hess2(
            np.sum(rx * rx, axis=-1),
            np.sum(rx * ry + r * rxy, axis=-1),
            np.sum(ry * ry + r * ryy, axis=-1),
        )


@dataclass(frozen=True, eq=False, kw_only=True)
class Himmelblau(Objective):
    """Himmelblau's function  f(x, y) = (x² + y − 11)² + (x + y² − 7)².

    ∂f/∂x = 4x(x² + y − 11) + 2(x + y² − 7),  ∂f/∂y = 2(x² + y − 11) + 4y(x + y² − 7).
    Four minima with f = 0: (3, 2), (−2.805118, 3.131313), (−3.779310, −3.283186),
    (3.584428, −1.848127); which one a method reaches depends on the start and the method.
    """

    name: str = "himmelblau"
    formula: str = "(x² + y − 11)² + (x + y² − 7)²"
    start: ArrayLike = (0.0, 0.0)
    bounds: Bounds = ((-5.0, 5.0), (-5.0, 5.0))

    minima: ClassVar[np.ndarray] = _frozen(
        [
            [3.0, 2.0],
            [-2.805118086952745, 3.131312518250573],
            [-3.779310253377747, -3.283185991286169],
            [3.5844283403304917, -1.8481265269644034],
        ]
    )
    f_min: ClassVar[float] = 0.0

    def _f(self, p):
        x, y = p[..., 0], p[..., 1]
        return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2

    def _grad(self, p):
        x, y = p[..., 0], p[..., 1]
        u, v = x**2 + y - 11, x + y**2 - 7
        return np.stack([4 * x * u + 2 * v, 2 * u + 4 * y * v], axis=-1)

    def _hessian(self, p):
        x, y = p[..., 0], p[..., 1]
        return _hess2(12 * x**2 + 4 * y - 42, 4 * (x + y), 12 * y**2 + 4 * x - 26)


@dataclass(frozen=True, eq=False, kw_only=True)
class Saddle(Objective):
    """The saddle  f(x, y) = x² − y²:  ∇f = (2x, −2y),  ∇²f = diag(2, −2).

    No minimum (f → −∞ along y); the origin is a saddle point where ∇f = 0. From the start
    (−1, 0.001) gradient descent first slides towards the saddle (x shrinks by 1 − 2α per step)
    and escapes only slowly (y grows by 1 + 2α per step, from 0.001).
    """

    name: str = "saddle"
    formula: str = "x² − y²"
    start: ArrayLike = (-1.0, 1e-3)
    bounds: Bounds = ((-1.5, 1.5), (-1.5, 1.5))

    minima: ClassVar[np.ndarray] = _frozen(np.empty((0, 2)))
    f_min: ClassVar[float] = -np.inf

    def _f(self, p):
        return p[..., 0] ** 2 - p[..., 1] ** 2

    def _grad(self, p):
        return p * np.array([2.0, -2.0])

    def _hessian(self, p):
        return np.broadcast_to(np.diag([2.0, -2.0]), p.shape + (2,)).copy()


@dataclass(frozen=True, eq=False, kw_only=True)
class Plateau(Objective):
    """A plateau around a basin  f(x) = 1 − exp(−‖x‖²/2).

    ∇f(x) = x·exp(−‖x‖²/2),  ∇²f = exp(−‖x‖²/2)(I − xxᵀ). Minimum 0 at the origin. For ‖x‖ > 3 the
    function is almost flat (f > 0.98, ‖∇f‖ < 0.034): from the start (3, 1.5), where ‖∇f‖ ≈ 0.012,
    plain gradient descent crawls across the plateau before it drops into the basin, while methods
    that normalise the gradient (RMSProp, Adam) cross it at their own step size.
    """

    name: str = "plateau"
    formula: str = "1 − exp(−(x² + y²)/2)"
    start: ArrayLike = (3.0, 1.5)
    bounds: Bounds = ((-4.0, 4.0), (-4.0, 4.0))

    minima: ClassVar[np.ndarray] = _frozen([[0.0, 0.0]])
    f_min: ClassVar[float] = 0.0

    def _f(self, x):
        return 1 - np.exp(-0.5 * np.sum(x**2, axis=-1))

    def _grad(self, x):
        return x * np.exp(-0.5 * np.sum(x**2, axis=-1, keepdims=True))

    def _hessian(self, x):
        g = np.exp(-0.5 * np.sum(x**2, axis=-1))[..., None, None]
        return g * (np.eye(self.dim) - x[..., :, None] * x[..., None, :])


@dataclass(frozen=True, eq=False, kw_only=True)
class Wavy(Objective):
    """The wavy function  f(x) = x·cos(cx),  c = 0.15π  (1-D, d2l's non-convex example).

    f′(x) = cos(cx) − cx·sin(cx),  f″(x) = −2c·sin(cx) − c²x·cos(cx). Unbounded below overall;
    ``minima`` lists its three local minima inside the window [−15, 15] and ``f_min`` the lowest of
    them. From x = 10 with α = 2 gradient descent stops in a local minimum.
    """

    name: str = "wavy"
    formula: str = "x·cos(0.15πx)"
    start: ArrayLike = (10.0,)
    bounds: Bounds = ((-15.0, 15.0),)

    minima: ClassVar[np.ndarray] = _frozen([[-13.660371004955635], [-1.8256845786723397], [7.269388146311475]])
    f_min: ClassVar[float] = -13.49846961129805
    c: ClassVar[float] = 0.15 * np.pi

    def _f(self, x):
        return x[..., 0] * np.cos(self.c * x[..., 0])

    def _grad(self, x):
        return np.cos(self.c * x) - self.c * x * np.sin(self.c * x)

    def _hessian(self, x):
        c = self.c
        return (-2 * c * np.sin(c * x) - c**2 * x * np.cos(c * x))[..., None]


@dataclass(frozen=True, eq=False, kw_only=True)
class Bumpy(Objective):
    """A bowl with ripples  f(x) = ½x² + a·(1 − cos(kx))  (1-D).

    f′(x) = x + a·k·sin(kx),  f″(x) = 1 + a·k²·cos(kx). Global minimum 0 at x = 0. Where a·k² > 1
    the ripples add local minima near the multiples of 2π/k (while |x| < a·k): with a = 1, k = 4
    near ±1.48 and ±2.94. Plain descent from the start 4.5 stops in the first of them it meets;
    momentum can carry enough speed to roll over the bumps into the bowl's bottom.
    """

    a: float = 1.0
    k: float = 4.0
    name: str = "bumpy"
    formula: str = "½x² + a(1 − cos kx)"
    start: np.ndarray = (4.5,)
    bounds: tuple[tuple[float, float], ...] = ((-5.0, 5.0),)

    minima: ClassVar[np.ndarray] = np.zeros((1, 1))
    f_min: ClassVar[float] = 0.0

    def __post_init__(self) -> None:
        _validate.positive("a", self.a)
        _validate.positive("k", self.k)
        super().__post_init__()

    def _f(self, x):
        x = x[..., 0]
        return 0.5 * x**2 + self.a * (1 - np.cos(self.k * x))

    def _grad(self, x):
        return x + self.a * self.k * np.sin(self.k * x)

    def _hessian(self, x):
        return (1 + self.a * self.k**2 * np.cos(self.k * x))[..., None]


square = Quadratic([[2.0]], name="square", formula="θ²", start=(10.0,), bounds=((-11.0, 11.0),))
double_well = DoubleWell()
ravine = quadratic()
rosenbrock = Rosenbrock()
beale = Beale()
himmelblau = Himmelblau()
saddle = Saddle()
plateau = Plateau()
wavy = Wavy()
bumpy = Bumpy()

OBJECTIVES: dict[str, Objective] = {
    f.name: f for f in (square, double_well, ravine, rosenbrock, beale, himmelblau, saddle, plateau, wavy)
}
