"""gdcourse.envs: Riccati and Lyapunov against hand-worked and Monte-Carlo values, the Bellman equation,
batched = looped rollouts, one cart-pole step by hand, and the validation messages."""

import numpy as np
import pytest

from gdcourse import envs

PHI = (1 + np.sqrt(5)) / 2
SCALAR = envs.LQR(A=[[1.0]], B=[[1.0]], Q=[[1.0]], R=[[1.0]], horizon=10)


def test_scalar_riccati_by_hand():
    # a = b = q = r = 1: p = 1 + p − p²/(1 + p)  ⇔  p² − p − 1 = 0  ⇒  p = φ;  k = −p/(1 + p) = −1/φ
    sol = envs.lqr_optimal_gain(SCALAR)
    assert sol.P[0, 0] == pytest.approx(PHI, rel=1e-12)
    assert sol.K[0, 0] == pytest.approx(-1 / PHI, rel=1e-12)
    assert sol.J == pytest.approx(PHI, rel=1e-12)


def test_scalar_lyapunov_cost_by_hand():
    # a = 0.5, q = 3, r = 1, k = 0.25: L = 0.75, Σ = 1/(1 − L²) = 16/7, J = (q + r·k²)·Σ = 3.0625·16/7 = 7
    system = envs.LQR(A=[[0.5]], B=[[1.0]], Q=[[3.0]], R=[[1.0]])
    assert envs.lqr_cost([[0.25]], system=system) == pytest.approx(7.0, rel=1e-12)
    # the optimal gain of the golden-ratio system costs φ: L = 1/φ², J = (1 + 1/φ²)/(1 − 1/φ⁴) = φ
    assert envs.lqr_cost([[-1 / PHI]], system=SCALAR) == pytest.approx(PHI, rel=1e-12)
    # |L| ≥ 1: no stationary state, J = ∞;  k = −1.5: L = −0.5, J = (1 + 2.25)/(1 − 0.25) = 13/3
    costs = envs.lqr_cost([[[0.0]], [[-2.0]], [[-1.5]]], system=SCALAR)
    np.testing.assert_allclose(costs, [np.inf, np.inf, 13 / 3], rtol=1e-12)


def test_dean_instance_optimum():
    sol = envs.lqr_optimal_gain()
    assert sol.J == pytest.approx(0.1373, abs=5e-5)
    assert sol.J == pytest.approx(np.trace(sol.P), rel=1e-15)
    assert float(envs.lqr_cost(sol.K)) == pytest.approx(sol.J, rel=1e-10)  # Lyapunov route = Riccati route
    assert envs.lqr_relative_cost(sol.K) == pytest.approx(0.0, abs=1e-10)
    assert envs.lqr_cost(np.zeros((3, 3))) == np.inf  # A alone is unstable (spectral radius ≈ 1.024)
    assert envs.lqr_cost(1e200 * np.eye(3)) == np.inf  # no overflow warning on the way


def test_riccati_solution_satisfies_the_riccati_and_bellman_equations():
    system = envs.LQR()
    A, B, Q, R = system.A, system.B, system.Q, system.R
    K, P, J = envs.lqr_optimal_gain(system)
    residual = Q + A.T @ P @ A - A.T @ P @ B @ np.linalg.inv(R + B.T @ P @ B) @ B.T @ P @ A - P
    assert np.max(np.abs(residual)) < 1e-10
    # Bellman: xᵀPx + J = min_u { xᵀQx + uᵀRu + E[x'ᵀPx'] },  E[x'ᵀPx'] = (Ax + Bu)ᵀP(Ax + Bu) + tr(P)
    rng = np.random.default_rng(0)

    def rhs(x, u):
        x_next = A @ x + B @ u
        return x @ Q @ x + u @ R @ u + x_next @ P @ x_next + np.trace(P)

    for x in rng.standard_normal((5, 3)):
        u_star = K @ x
        assert x @ P @ x + J == pytest.approx(rhs(x, u_star), rel=1e-10)
        for du in 0.01 * rng.standard_normal((5, 3)):
            assert rhs(x, u_star + du) > rhs(x, u_star)


def test_lyapunov_cost_matches_a_long_monte_carlo_average():
    system = envs.LQR(horizon=2000)
    K = envs.lqr_optimal_gain().K
    K_fast = -0.5 * system.A  # closed loop 0.5·A: a stabilising gain with a larger input cost
    mean, std = np.array([1.0, -2.0, 0.5]), np.array([2.0, 1.0, 3.0])  # an affine (V2-style) policy
    for gain, kw in [(K, {}), (K_fast, {}), (K * std, dict(mean=mean, std=std))]:
        rollout = envs.lqr_rollout(np.broadcast_to(gain, (100, 3, 3)), 0, system=system, **kw)
        per_step = -rollout.reward.mean() / system.horizon
        assert per_step == pytest.approx(float(envs.lqr_cost(gain, system=system, **kw)), rel=0.03)
    assert envs.lqr_cost(K * std, mean=mean, std=std) > envs.lqr_cost(K) * 1.02  # the offset costs


def test_lqr_reward_by_hand():
    # scalar, K = [[-0.5]]: x0 = 2, w = (1, 0): x = 2, 1 + 1 = 2; u = −1, −1; reward = −(4 + 1 + 4 + 1) = −10
    out = envs.lqr_simulate([[-0.5]], [2.0], [[1.0], [0.0]], system=SCALAR)
    assert out.reward == pytest.approx(-10.0)
    np.testing.assert_allclose(out.states, [[2.0], [2.0]])


def test_batched_lqr_rollouts_equal_a_loop_of_single_rollouts():
    rng = np.random.default_rng(1)
    K = 0.05 * rng.standard_normal((4, 3, 3)) + envs.lqr_optimal_gain().K
    x0, noise = rng.standard_normal((4, 3)), rng.standard_normal((4, 50, 3))
    mean, std = rng.standard_normal(3), rng.uniform(0.5, 2, 3)
    batched = envs.lqr_simulate(K, x0, noise, mean=mean, std=std)
    assert batched.reward.shape == (4,) and batched.states.shape == (4, 50, 3)
    for p in range(4):
        single = envs.lqr_simulate(K[p], x0[p], noise[p], mean=mean, std=std)
        assert single.reward == pytest.approx(batched.reward[p], rel=1e-12)
        np.testing.assert_allclose(single.states, batched.states[p], rtol=1e-12)


def test_lqr_rollout_is_seeded_and_batches_have_independent_noise():
    K = np.zeros((2, 3, 3))
    a, b = envs.lqr_rollout(K, 7), envs.lqr_rollout(K, 7)
    np.testing.assert_array_equal(a.reward, b.reward)
    assert a.reward[0] != a.reward[1]


def test_unstable_rollouts_give_minus_infinity_without_warnings():
    out = envs.lqr_rollout(np.broadcast_to(10 * np.eye(3), (2, 3, 3)), 0)  # closed loop ≈ 11·I
    np.testing.assert_array_equal(out.reward, [-np.inf, -np.inf])


def test_cartpole_one_step_by_hand():
    # x0 = (0.01, 0, 0, 0), K = (1, 0, 0, 0): K·x > 0, F = +10. With θ = 0 (sin 0, cos 1), M = 1.1, mₚl = 0.05:
    # temp = 10/1.1 = 100/11; θ̈ = −temp/(0.5·(4/3 − 0.1/1.1)) = −(100/11)/(41/66) = −600/41;
    # ẍ = 100/11 + 0.05·(600/41)/1.1 = 400/41. One Euler step of τ = 0.02: v = 8/41, ω = −12/41.
    out = envs.cartpole_simulate([[1.0, 0, 0, 0]], [0.01, 0, 0, 0], system=envs.CartPole(horizon=2))
    np.testing.assert_allclose(out.states[1], [0.01, 8 / 41, 0.0, -12 / 41], rtol=1e-12)
    assert out.reward == 2.0


def test_cartpole_reward_counts_the_steps_balanced():
    # always pushing left (K = 0: K·x = 0 is not > 0): the pole falls to the right within a few steps
    out = envs.cartpole_simulate(np.zeros((1, 4)), np.zeros(4))
    steps = int(out.reward)
    assert 5 < steps < 20
    seen = ~np.isnan(out.states[:, 0])
    assert seen.sum() == steps + 1 and seen[: steps + 1].all()  # the state that failed was seen, then none
    last = out.states[steps]
    assert abs(last[2]) <= 12 * np.pi / 180 and abs(last[0]) <= 2.4
    # a gain that pushes toward the side the pole leans to balances it for the whole horizon
    balanced = envs.cartpole_rollout(np.broadcast_to([[0.0, 0.0, 1.0, 1.0]], (8, 1, 4)), 3)
    np.testing.assert_array_equal(balanced.reward, np.full(8, 200.0))


def test_batched_cartpole_equals_a_loop_of_single_episodes():
    rng = np.random.default_rng(2)
    K = rng.standard_normal((6, 1, 4))
    x0 = rng.uniform(-0.05, 0.05, (6, 4))
    batched = envs.cartpole_simulate(K, x0)
    for p in range(6):
        single = envs.cartpole_simulate(K[p], x0[p])
        assert single.reward == batched.reward[p]
        np.testing.assert_array_equal(single.states, batched.states[p])


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: envs.LQR(horizon=0), "horizon must be an integer >= 1, got 0"),
        (lambda: envs.LQR(A=np.eye(2)), "A must have shape (3, 3) (B is 3×3), got (2, 2)"),
        (lambda: envs.lqr_cost(np.zeros((3, 2))), "K must have shape (..., 3, 3), got shape (3, 2)"),
        (lambda: envs.cartpole_rollout(np.zeros(4), 0), "K must have shape (..., 1, 4), got shape (4,)"),
        (lambda: envs.CartPole(tau=0.0), "tau must be in (0, inf), got 0.0"),
    ],
)
def test_validation_messages(make, message):
    with pytest.raises(ValueError) as err:
        make()
    assert str(err.value) == message


def test_lqr_states_follow_the_recurrence_step_by_step_over_a_full_horizon():
    # the scan in lqr_simulate against x(t+1) = A·x(t) + B·u(t) + w(t) written out, 300 steps, with μ and σ
    rng = np.random.default_rng(3)
    K = envs.lqr_optimal_gain().K + 0.1 * rng.standard_normal((2, 3, 3))
    x0, noise = rng.standard_normal((2, 3)), rng.standard_normal((2, 300, 3))
    mean, std = rng.standard_normal(3), rng.uniform(0.5, 2.0, 3)
    out = envs.lqr_simulate(K, x0, noise, mean=mean, std=std)
    system = envs.LQR()
    for p in range(2):
        x, reward = x0[p], 0.0
        for t in range(300):
            np.testing.assert_allclose(out.states[p, t], x, rtol=1e-9, atol=1e-12)
            u = K[p] @ ((x - mean) / std)
            reward -= x @ system.Q @ x + u @ system.R @ u
            x = system.A @ x + system.B @ u + noise[p, t]
        assert out.reward[p] == pytest.approx(reward, rel=1e-10)
