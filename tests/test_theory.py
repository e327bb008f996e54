"""Tests of gdcourse.theory: Distill's check numbers, hand-worked rates, the grid optimum, measured decay."""

from __future__ import annotations

import numpy as np
import pytest

from gdcourse import optimizers as opt
from gdcourse import theory

# ----------------------------------------------------------------------------- gradient descent


def test_gd_rate_by_hand():
    np.testing.assert_allclose(theory.gd_rate(0.5, [1.0, 3.0, 4.0, 0.0]), [0.5, 0.5, 1.0, 1.0])
    assert theory.gd_rate(0.5, [1.0, 3.0, 4.5], axis=-1) == pytest.approx(1.25)
    assert theory.gd_max_stable_lr(4.0) == pytest.approx(0.5)


def test_gd_rate_is_the_measured_contraction():
    lam, lrs = 2.0, np.array([[0.1], [0.6], [0.95]])
    x, state, kernel = np.ones((3, 1)), opt.GD().init(None), opt.GD(lr=lrs)
    for _ in range(10):
        x, state = kernel.step(x, lam * x, state)
    np.testing.assert_allclose(np.abs(x), theory.gd_rate(lrs, lam) ** 10, rtol=1e-12)


def test_gd_optimal_by_hand():
    lr, rate = theory.gd_optimal(0.01, 1.0)
    assert lr == pytest.approx(2 / 1.01)
    assert rate == pytest.approx(99 / 101)  # κ = 100
    # at α* the slowest and the fastest direction contract equally
    np.testing.assert_allclose(theory.gd_rate(lr, [0.01, 1.0]), [rate, rate])


# ----------------------------------------------------------------------------- heavy-ball momentum


def test_distill_check_numbers():
    lr, beta, rate = theory.momentum_optimal(0.01, 1.0)
    assert round(float(lr), 3) == 3.306 and lr == pytest.approx((2 / 1.1) ** 2)
    assert round(float(beta), 3) == 0.669 and beta == pytest.approx((9 / 11) ** 2)
    assert round(float(rate), 4) == 0.8182 and rate == pytest.approx(9 / 11)


@pytest.mark.parametrize(
    "lr, beta, lam, rate",
    [
        (0.19, 0.04, 1.0, 0.8),  # roots 0.8, 0.05: sum 1 + 0.04 - 0.19 = 0.85, product 0.04
        (0.9, 0.1, 2.0, 0.5),  # roots -0.5, -0.2: sum 1.1 - 1.8 = -0.7, product 0.1
        (0.5, 0.25, 1.0, 0.5),  # T = 0.75, T² = 0.5625 < 1 = 4β: complex, √0.25
        (0.3, 0.0, 2.0, 0.4),  # β = 0 is gradient descent: |1 - 0.6|
        (1.0, 0.5, 3.0, 1.0),  # αλ = 2 + 2β: roots -1 and -0.5, the stability edge
    ],
)
def test_momentum_rate_by_hand(lr, beta, lam, rate):
    assert theory.momentum_rate(lr, beta, lam) == pytest.approx(rate)


def test_momentum_rate_is_the_spectral_radius_of_the_iteration_matrix():
    rng = np.random.default_rng(0)
    lr, beta, lam = rng.uniform(0, 4, 500), rng.uniform(0, 0.99, 500), rng.uniform(0.1, 1.5, 500)
    R = np.stack([np.stack([beta, lam], -1), np.stack([-lr * beta, 1 - lr * lam], -1)], -2)  # (500, 2, 2)
    radius = np.abs(np.linalg.eigvals(R)).max(axis=-1)
    np.testing.assert_allclose(theory.momentum_rate(lr, beta, lam), radius, rtol=1e-6)


def test_complex_region_rate_is_sqrt_beta_not_two_sqrt_beta():
    betas = np.array([0.3, 0.6, 0.9])
    lr = 1.0  # αλ = 1: T = β, D = β² - 4β < 0 for every β in (0, 1)
    np.testing.assert_allclose(theory.momentum_rate(lr, betas, 1.0), np.sqrt(betas))
    assert np.all(2 * np.sqrt(betas) > 1)  # Distill's 2√β would call these runs divergent


def test_vectorized_over_a_grid_and_over_eigenvalues():
    alphas, betas = np.linspace(0, 4, 7), np.linspace(0, 0.9, 5)
    grid = theory.momentum_rate(alphas[:, None], betas[None, :], 1.0)
    assert grid.shape == (7, 5)
    spectrum = np.array([0.01, 0.3, 1.0])
    worst = theory.momentum_rate(alphas[:, None, None], betas[None, :, None], spectrum, axis=-1)
    separate = np.max([theory.momentum_rate(alphas[:, None], betas[None, :], lam) for lam in spectrum], axis=0)
    assert worst.shape == (7, 5)
    np.testing.assert_array_equal(worst, separate)


def test_stability_edge():
    assert theory.momentum_stable(1.0, 0.5, 2.9) and not theory.momentum_stable(1.0, 0.5, 3.1)
    assert not theory.momentum_stable(0.0, 0.5, 1.0)
    assert not theory.momentum_stable(1.0, 0.5, [0.5, 3.1], axis=-1)
    # the edge agrees with rate < 1 everywhere off the boundary
    alpha_lam, betas = np.linspace(0.01, 4, 157)[:, None], np.linspace(0, 0.98, 50)[None, :]
    off_edge = np.abs(alpha_lam - (2 + 2 * betas)) > 1e-6
    stable = theory.momentum_stable(alpha_lam, betas, 1.0)
    np.testing.assert_array_equal(stable[off_edge], (theory.momentum_rate(alpha_lam, betas, 1.0) < 1)[off_edge])


@pytest.mark.parametrize("alpha_lam, beta", [(0.04, 0.64), (0.25, 0.25), (1.0, 0.0), (2.25, 0.25)])
def test_critical_damping_gives_a_double_root(alpha_lam, beta):
    crit = theory.momentum_critical_beta(alpha_lam, 1.0)
    assert crit == pytest.approx(beta)  # (1 - √(αλ))² by hand
    T = 1 + crit - alpha_lam  # trace of R; its determinant is β
    assert T**2 - 4 * crit == pytest.approx(0.0, abs=1e-12)
    assert theory.momentum_rate(alpha_lam, crit, 1.0) == pytest.approx(abs(1 - np.sqrt(alpha_lam)))


def test_optimal_pair_is_the_best_cell_of_a_fine_grid():
    mu, L = 0.01, 1.0
    best = theory.momentum_optimal(mu, L)
    alphas, betas = np.linspace(2.5, 4.0, 601), np.linspace(0.5, 0.85, 701)  # steps 0.0025 and 0.0005
    rates = theory.momentum_rate(alphas[:, None, None], betas[None, :, None], [mu, L], axis=-1)
    i, j = np.unravel_index(np.argmin(rates), rates.shape)
    assert rates.min() >= best.rate - 1e-12  # nothing on the grid beats the closed form
    assert rates.min() == pytest.approx(best.rate, abs=2e-3)
    assert abs(alphas[i] - best.lr) <= 0.01 and abs(betas[j] - best.beta) <= 0.002
    assert theory.momentum_rate(best.lr, best.beta, [mu, L], axis=-1) == pytest.approx(best.rate)


def _measured_rate(kernel, lam, x0, steps=400):
    """(‖(x_T, x_T−1)‖ / ‖(x_T/2, x_T/2−1)‖)^(2/T) for the 1-D quadratic ½λx², batched on axis 0."""
    x, state, path = x0, kernel.init(x0), [x0]
    for _ in range(steps):
        x, state = kernel.step(x, lam * x, state)
        path.append(x)
    path = np.array(path)[..., 0]  # (steps + 1, K)
    half = steps // 2
    late = np.hypot(path[steps], path[steps - 1])
    early = np.hypot(path[half], path[half - 1])
    return (late / early) ** (1 / (steps - half))


PAIRS = np.array([[0.5, 0.25], [0.19, 0.04], [1.8, 0.1], [0.1, 0.81], [3.0, 0.7], [0.02, 0.5]])


def test_rate_matches_the_decay_of_classical_momentum():
    lam, lr, beta = 1.0, PAIRS[:, :1], PAIRS[:, 1:]
    measured = _measured_rate(opt.ClassicalMomentum(lr=lr, momentum=beta), lam, np.ones((len(PAIRS), 1)))
    predicted = theory.momentum_rate(lr[:, 0], beta[:, 0], lam)
    np.testing.assert_allclose(measured, predicted, rtol=5e-3)
    complex_roots = (1 + beta[:, 0] - lr[:, 0] * lam) ** 2 < 4 * beta[:, 0]
    assert complex_roots.sum() == 3
    np.testing.assert_allclose(measured[complex_roots], np.sqrt(beta[complex_roots, 0]), rtol=5e-3)


def test_ema_momentum_uses_lr_times_one_minus_beta():
    lam, alpha_ema, beta = 2.0, np.array([[0.5], [1.0], [4.0]]), np.array([[0.5], [0.9], [0.75]])
    measured = _measured_rate(opt.Momentum(lr=alpha_ema, beta=beta), lam, np.ones((3, 1)))
    np.testing.assert_allclose(measured, theory.momentum_rate(alpha_ema * (1 - beta), beta, lam)[:, 0], rtol=5e-3)


# ----------------------------------------------------------------------------- messages

BAD = [
    (lambda: theory.momentum_rate(0.1, 1.0, 1.0), r"beta must be in \[0(\.0)?, 1(\.0)?\), got 1\.0"),
    (lambda: theory.momentum_rate(-0.1, 0.5, 1.0), r"lr must be in \[0(\.0)?, inf\), got -0\.1"),
    (lambda: theory.momentum_rate(0.1, 0.5, np.nan), r"lam must be finite, got nan"),
    (lambda: theory.momentum_stable(0.1, -0.1, 1.0), r"beta must be in \[0(\.0)?, 1(\.0)?\), got -0\.1"),
    (lambda: theory.gd_rate(-1.0, 1.0), r"lr must be in \[0(\.0)?, inf\), got -1\.0"),
    (lambda: theory.gd_max_stable_lr(0.0), r"L must be in \(0(\.0)?, inf\), got 0\.0"),
    (lambda: theory.gd_optimal(2.0, 1.0), r"L - mu must be in \[0(\.0)?, inf\), got -1\.0"),
    (lambda: theory.momentum_optimal(0.0, 1.0), r"mu must be in \(0(\.0)?, inf\), got 0\.0"),
    (lambda: theory.momentum_critical_beta(2.0, 2.0), r"lr\*lam must be in \[0(\.0)?, 4(\.0)?\), got 4\.0"),
]


@pytest.mark.parametrize("call, message", BAD, ids=[b[1].split(" ")[0] for b in BAD])
def test_bad_arguments_are_rejected(call, message):
    with pytest.raises(ValueError, match=message):
        call()
