"""Objectives: hand-worked values, gradients and Hessians against finite differences, minima, shapes."""

import dataclasses

import numpy as np
import pytest

import gdcourse as gc
from gdcourse.objectives import OBJECTIVES

ALL = list(OBJECTIVES.values())
IDS = list(OBJECTIVES)
H = 1e-6


def central_grad(f, x):
    """Central differences (f(x + h e_i) − f(x − h e_i)) / 2h for every coordinate i, batched."""
    d = x.shape[-1]
    E = np.eye(d) * H  # (d, d): row i is h e_i
    xp = x[..., None, :] + E  # (..., d, d)
    xm = x[..., None, :] - E
    return (f(xp) - f(xm)) / (2 * H)


def random_points(f, shape, seed):
    """Points drawn uniformly in the objective's plotting window."""
    rng = np.random.default_rng(seed)
    lo, hi = np.array(f.bounds).T
    return lo + (hi - lo) * rng.random(shape + (f.dim,))


def test_registry_names_and_count():
    assert IDS == ["square", "double_well", "ravine", "rosenbrock", "beale", "himmelblau", "saddle", "plateau", "wavy"]
    for name, f in OBJECTIVES.items():
        assert f.name == name
        assert getattr(gc, name) is f


@pytest.mark.parametrize("f", ALL, ids=IDS)
def test_gradient_matches_central_differences(f):
    x = random_points(f, (3, 4), seed=1)
    g = f.grad(x)
    assert g.shape == x.shape
    np.testing.assert_allclose(g, central_grad(f, x), rtol=1e-6, atol=1e-5 * (1 + np.abs(g).max()))


@pytest.mark.parametrize("f", ALL, ids=IDS)
def test_hessian_matches_differences_of_gradient(f):
    x = random_points(f, (5,), seed=2)
    Hx = f.hessian(x)
    assert Hx.shape == (5, f.dim, f.dim)
    fd = np.stack([central_grad(lambda p: f.grad(p)[..., i], x) for i in range(f.dim)], axis=-2)
    np.testing.assert_allclose(Hx, fd, rtol=1e-5, atol=1e-4 * (1 + np.abs(Hx).max()))
    np.testing.assert_allclose(Hx, np.swapaxes(Hx, -1, -2))


@pytest.mark.parametrize("f", ALL, ids=IDS)
def test_value_shapes_and_batch_equals_single_calls(f):
    x = random_points(f, (2, 3), seed=3)
    fx = f(x)
    assert fx.shape == (2, 3)
    assert f(x[1, 2]).shape == ()
    assert f(x[1, 2]) == pytest.approx(fx[1, 2], rel=1e-14)
    np.testing.assert_allclose(f.grad(x[0, 1]), f.grad(x)[0, 1], rtol=1e-14)


@pytest.mark.parametrize("f", ALL, ids=IDS)
def test_minima_are_stationary_minima_with_value_f_min(f):
    assert f.minima.ndim == 2 and f.minima.shape[1] == f.dim
    for m in f.minima:
        assert np.abs(f.grad(m)).max() < 1e-9
        assert np.all(np.linalg.eigvalsh(f.hessian(m)) > 0)
        lo, hi = np.array(f.bounds).T
        assert np.all((lo < m) & (m < hi))
    if len(f.minima):
        assert f(f.minima).min() == pytest.approx(f.f_min, abs=1e-12)


@pytest.mark.parametrize("f", ALL, ids=IDS)
def test_start_is_inside_window_and_not_a_minimum(f):
    lo, hi = np.array(f.bounds).T
    assert f.start.shape == (f.dim,)
    assert np.all((lo < f.start) & (f.start < hi))
    assert np.abs(f.grad(f.start)).max() > 1e-3
    assert f(f.start) > f.f_min


def test_hand_worked_values():
    assert gc.square([3.0]) == 9.0
    np.testing.assert_array_equal(gc.square.grad([3.0]), [6.0])
    assert gc.double_well([0.5]) == 0.0625 - 2
    np.testing.assert_array_equal(gc.double_well.grad([0.5]), [0.5 - 8])
    # Rosenbrock at (−1.2, 1): 2.2² + 100·(1 − 1.44)² = 4.84 + 19.36
    assert gc.rosenbrock([-1.2, 1.0]) == pytest.approx(24.2, rel=1e-14)
    # ∂f/∂x = −2·2.2 − 400·(−1.2)·(−0.44) = −4.4 − 211.2,  ∂f/∂y = 200·(−0.44)
    np.testing.assert_allclose(gc.rosenbrock.grad([-1.2, 1.0]), [-215.6, -88.0], rtol=1e-14)
    assert gc.beale([0.0, 0.0]) == 1.5**2 + 2.25**2 + 2.625**2
    # at (1, 1) the residuals are c_i: ∇f = 2 Σ c_i (0, i) = (0, 2(1.5 + 4.5 + 7.875))
    np.testing.assert_allclose(gc.beale.grad([1.0, 1.0]), [0.0, 27.75])
    assert gc.himmelblau([0.0, 0.0]) == 121 + 49
    np.testing.assert_array_equal(gc.himmelblau.grad([0.0, 0.0]), [-14.0, -22.0])
    assert gc.saddle([1.0, 2.0]) == -3.0
    np.testing.assert_array_equal(gc.saddle.grad([1.0, 2.0]), [2.0, -4.0])
    assert gc.plateau([np.sqrt(2), 0.0]) == pytest.approx(1 - np.exp(-1))
    np.testing.assert_allclose(gc.plateau.grad([1.0, 1.0]), [np.exp(-1), np.exp(-1)])
    # wavy at 10: cos(1.5π) = 0, sin(1.5π) = −1 → f = 0, f′ = 0.15π·10
    assert gc.wavy([10.0]) == pytest.approx(0.0, abs=1e-13)
    np.testing.assert_allclose(gc.wavy.grad([10.0]), [1.5 * np.pi])


def test_double_well_curvature_sets_the_stability_edge():
    np.testing.assert_array_equal(gc.double_well.hessian([[2.0], [-2.0]]), [[[32.0]], [[32.0]]])
    assert gc.double_well.f_min == -16.0
    assert gc.double_well.hessian([0.0])[0, 0] == -16.0  # the local maximum


def test_himmelblau_has_four_minima_to_six_digits():
    m = gc.himmelblau.minima
    assert m.shape == (4, 2)
    np.testing.assert_allclose(
        m, [[3, 2], [-2.805118, 3.131313], [-3.779310, -3.283186], [3.584428, -1.848127]], atol=1e-6
    )
    assert np.all(gc.himmelblau(m) < 1e-25)


def test_saddle_has_no_minimum():
    assert gc.saddle.minima.shape == (0, 2)
    assert gc.saddle.f_min == -np.inf
    np.testing.assert_array_equal(gc.saddle.grad([0.0, 0.0]), [0.0, 0.0])
    assert sorted(np.linalg.eigvalsh(gc.saddle.hessian([0.3, -0.2]))) == [-2.0, 2.0]


def test_plateau_gradient_is_tiny_at_start():
    g = np.linalg.norm(gc.plateau.grad(gc.plateau.start))
    # ‖x‖ e^{−‖x‖²/2} at ‖x‖² = 11.25
    assert g == pytest.approx(np.sqrt(11.25) * np.exp(-5.625))
    assert 0.01 < g < 0.013


def test_ravine_eigenvalues_and_condition_number():
    f = gc.quadratic(kappa=10.0, L=1.0)
    assert (f.mu, f.L, f.kappa) == (0.1, 1.0, 10.0)
    np.testing.assert_array_equal(f.eigenvalues, [0.1, 1.0])
    assert f([-5.0, -2.0]) == pytest.approx(0.5 * (0.1 * 25 + 4))
    np.testing.assert_array_equal(f.hessian(np.zeros((3, 2))), np.broadcast_to(np.diag([0.1, 1.0]), (3, 2, 2)))
    assert gc.ravine.kappa == pytest.approx(10.0)
    np.testing.assert_array_equal(f.start, [-5.0, -2.0])


def test_ravine_matches_d2l_ellipses():
    x = np.random.default_rng(0).normal(size=(6, 2))
    x1, x2 = x[:, 0], x[:, 1]
    # d2l's ill-conditioned ellipse 0.1 x1² + 2 x2² = ½(0.2 x1² + 4 x2²): μ = 0.2, L = 4, κ = 20
    np.testing.assert_allclose(gc.quadratic(kappa=20, L=4)(x), 0.1 * x1**2 + 2 * x2**2, rtol=1e-13)
    # rotated: 0.1(x1 + x2)² + 2(x1 − x2)² has eigenvalues 0.4 along (1, 1), 8 along (1, −1)
    rot = gc.quadratic(kappa=20, L=8, angle=np.pi / 4)
    np.testing.assert_allclose(rot(x), 0.1 * (x1 + x2) ** 2 + 2 * (x1 - x2) ** 2, rtol=1e-12)
    np.testing.assert_allclose(rot.eigenvalues, [0.4, 8.0], rtol=1e-12)


def test_general_quadratic_minimizer():
    f = gc.Quadratic([[2.0, 0.0], [0.0, 4.0]], [2.0, 4.0])
    np.testing.assert_allclose(f.minima, [[1.0, 1.0]])
    assert f.f_min == pytest.approx(-3.0)  # ½(2 + 4) − (2 + 4)
    np.testing.assert_allclose(f.start, [-4.0, -1.0])
    assert f.bounds == ((-5.0, 7.0), (-3.0, 5.0))
    np.testing.assert_allclose(f.grad([1.0, 1.0]), [0.0, 0.0])
    f3 = gc.Quadratic(np.eye(3), start=(1, 1, 1), bounds=((-2, 2),) * 3)
    assert f3.dim == 3 and f3([1.0, 2.0, 2.0]) == 4.5
    assert gc.square.kappa == 1.0 and gc.square.L == 2.0


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: gc.rosenbrock(np.zeros(3)), r"rosenbrock takes points of shape \(\.\.\., 2\) .*got shape \(3,\)"),
        (lambda: gc.himmelblau.grad(np.zeros((4, 1))), r"himmelblau takes points of shape \(\.\.\., 2\)"),
        (lambda: gc.square(3.0), r"square takes points of shape \(\.\.\., 1\) .*got shape \(\)"),
        (lambda: gc.wavy.hessian(np.zeros((2, 2))), r"wavy takes points of shape \(\.\.\., 1\)"),
        (lambda: gc.quadratic(kappa=0.5), r"kappa must be in \[1, inf\), got 0\.5"),
        (lambda: gc.quadratic(L=-1.0), r"L must be in \(0, inf\), got -1\.0"),
        (lambda: gc.quadratic(angle=np.nan), r"angle must be finite"),
        (lambda: gc.Quadratic([[1.0, 2.0], [0.0, 1.0]]), r"A must be symmetric"),
        (lambda: gc.Quadratic([[1.0, 0.0], [0.0, -1.0]]), r"A must be positive definite, got eigenvalues"),
        (lambda: gc.Quadratic(np.ones(3)), r"A must be a square \(d, d\) matrix, got shape \(3,\)"),
        (lambda: gc.Quadratic(np.eye(2), [1.0, 2.0, 3.0]), r"b must have shape \(2,\) to match A, got shape \(3,\)"),
        (lambda: gc.Quadratic(np.eye(3)), r"start and bounds must be given for a quadratic in d = 3"),
        (lambda: gc.Rosenbrock(start=(0.0,)), r"start must have shape \(2,\) to match bounds, got shape \(1,\)"),
        (lambda: gc.Saddle(bounds=((1, -1), (0, 1))), r"bounds must be \(lo, hi\) pairs with lo < hi"),
    ],
)
def test_validation_messages(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_objectives_are_immutable_and_do_not_mutate_inputs():
    with pytest.raises(dataclasses.FrozenInstanceError):
        gc.rosenbrock.name = "other"
    with pytest.raises(ValueError, match="read-only"):
        gc.rosenbrock.start[0] = 0.0
    with pytest.raises(ValueError, match="read-only"):
        gc.ravine.A[0, 0] = 5.0
    x = np.array([[0.5, -0.3], [1.0, 2.0]])
    before = x.copy()
    for f in (gc.rosenbrock, gc.beale, gc.himmelblau, gc.saddle, gc.plateau, gc.ravine):
        f(x), f.grad(x), f.hessian(x)
    np.testing.assert_array_equal(x, before)


def test_replace_gives_a_new_start():
    f = dataclasses.replace(gc.rosenbrock, start=(0.0, 0.0))
    np.testing.assert_array_equal(f.start, [0.0, 0.0])
    np.testing.assert_array_equal(gc.rosenbrock.start, [-1.2, 1.0])


def test_ravine_minimum_off_the_origin():
    f = gc.quadratic(kappa=100.0, angle=np.pi / 4, minimum=(2.0, -1.0))
    np.testing.assert_allclose(f.minima, [[2.0, -1.0]], atol=1e-12)
    np.testing.assert_allclose(f.start, [-3.0, -3.0], atol=1e-12)  # x* + (−5, −2), the same picture moved
    centred = gc.quadratic(kappa=100.0, angle=np.pi / 4)
    x = np.random.default_rng(1).normal(size=(5, 2))
    np.testing.assert_allclose(f(x + [2.0, -1.0]) - f.f_min, centred(x), atol=1e-12)
    assert "minimum at (2, -1)" in f.formula and gc.quadratic().formula == "½(μx₁² + Lx₂²), μ = L/κ"
    with pytest.raises(ValueError, match="minimum"):
        gc.quadratic(minimum=(1.0, 2.0, 3.0))
