"""gdcourse.ars: the update equations on hand-worked cases, the signs, σ_R scaling, top-b selection,
V2's running statistics, batched = looped, schedules, purity and the validation messages."""

import numpy as np
import pytest

from gdcourse import ars
from gdcourse.schedules import TimeDecay

# ------------------------------------------------------------------------------ the update equations


def test_finite_difference_update_by_hand():
    # W = (1, 2), δW = (0.1, −0.1), Gp = 5, Gn = 3, α = 0.5: α·(Gp − Gn)·δW = 0.5·2·(0.1, −0.1) = (0.1, −0.1)
    args = ([1.0, 2.0], [0.1, -0.1], 5.0, 3.0, 0.5)
    np.testing.assert_allclose(ars.finite_difference_update(*args), [0.9, 2.1])  # loss: descend
    np.testing.assert_allclose(ars.finite_difference_update(*args, maximize=True), [1.1, 1.9])  # slides' sign


def test_brs_update_by_hand():
    # θ = (1, 1), δ1 = (1, 0), δ2 = (0, 1), r+ = (3, 1), r− = (1, 3), α = 0.5, N = 2:
    # θ + α/N·[(3 − 1)·δ1 + (1 − 3)·δ2] = (1, 1) + 0.25·(2, −2) = (1.5, 0.5)
    new = ars.brs_update([1.0, 1.0], [[1.0, 0.0], [0.0, 1.0]], [3.0, 1.0], [1.0, 3.0], 0.5)
    np.testing.assert_allclose(new, [1.5, 0.5])


# δ1 = (1, 0), δ2 = (0, 1), δ3 = (1, 1); r+ = (3, 1, 0.5), r− = (1, 3, 0): max(r+, r−) = (3, 3, 0.5), so the
# top b = 2 are δ1 and δ2. The 2b rewards used are {3, 1, 1, 3}: mean 2, σ_R = 1. With α = 0.5:
# M + α/(b·σ_R)·[(3 − 1)·δ1 + (1 − 3)·δ2] = 0 + 0.25·(2, −2) = (0.5, −0.5). (δ3 would have added 0.125·(1, 1).)
DELTAS = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
R_PLUS, R_MINUS = np.array([3.0, 1.0, 0.5]), np.array([1.0, 3.0, 0.0])


def test_ars_update_by_hand():
    np.testing.assert_allclose(ars.ars_update(np.zeros(2), DELTAS, R_PLUS, R_MINUS, 0.5, top=2), [0.5, -0.5])


def test_ars_update_with_every_direction_by_hand():
    # b = 3: rewards {3, 1, 0.5, 1, 3, 0}: mean 17/12, Σ(r − mean)² = 197/24, σ_R = √(197/144) = √197/12;
    # step = 0.5/(3·σ_R)·[2·δ1 − 2·δ2 + 0.5·δ3] = (2/√197)·(2.5, −1.5)
    expected = 2 / np.sqrt(197) * np.array([2.5, -1.5])
    np.testing.assert_allclose(ars.ars_update(np.zeros(2), DELTAS, R_PLUS, R_MINUS, 0.5, top=3), expected)


def test_ars_step_is_invariant_to_scaling_and_shifting_the_rewards():
    rng = np.random.default_rng(3)
    M, deltas = rng.standard_normal((2, 3)), rng.standard_normal((6, 2, 3))
    r_plus, r_minus = rng.standard_normal(6), rng.standard_normal(6)
    base = ars.ars_update(M, deltas, r_plus, r_minus, 0.1, top=4)
    for c, shift in [(1000.0, 0.0), (1e-3, 0.0), (7.0, -50.0)]:
        scaled = ars.ars_update(M, deltas, c * r_plus + shift, c * r_minus + shift, 0.1, top=4)
        np.testing.assert_allclose(scaled, base)
    # BRS has no σ_R: scaling the rewards by c scales its step by c
    brs = ars.brs_update(M, deltas, r_plus, r_minus, 0.1) - M
    np.testing.assert_allclose(ars.brs_update(M, deltas, 10 * r_plus, 10 * r_minus, 0.1) - M, 10 * brs)


def test_ars_update_ignores_directions_outside_the_top_b():
    other_plus, other_minus = R_PLUS.copy(), R_MINUS.copy()
    other_plus[2], other_minus[2] = -40.0, 2.9  # still ranked last: max = 2.9 < 3
    np.testing.assert_allclose(
        ars.ars_update(np.zeros(2), DELTAS, other_plus, other_minus, 0.5, top=2),
        ars.ars_update(np.zeros(2), DELTAS, R_PLUS, R_MINUS, 0.5, top=2),
    )
    # ...and ranks by max(r+, r−), not by r+: raising r−[2] to 4 puts δ3 first
    other_minus[2] = 4.0  # used: {0.5, 4, 3, 1} (δ3 and δ1): mean 2.125, σ_R = 1.3865
    sigma = np.std([0.5, 4.0, 3.0, 1.0])
    expected = 0.5 / (2 * sigma) * ((0.5 - 4.0) * DELTAS[2] + (3.0 - 1.0) * DELTAS[0])
    np.testing.assert_allclose(ars.ars_update(np.zeros(2), DELTAS, R_PLUS, other_minus, 0.5, top=2), expected)


def test_ars_update_with_equal_rewards_does_not_move():
    same = np.full(3, 7.0)
    np.testing.assert_array_equal(ars.ars_update(np.ones(2), DELTAS, same, same, 0.5, top=2), np.ones(2))


# ------------------------------------------------------------------------------------------ the signs

C = np.array([1.0, -2.0, 0.5])


def loss(W, rng):
    """G(W) = ‖W − c‖², a loss: smaller is better."""
    return np.sum((W - C) ** 2, axis=-1)


def reward(W, rng):
    return -loss(W, rng)


def test_finite_differences_descend_a_loss_and_the_slides_sign_climbs_it():
    W0 = np.zeros(3)
    down = ars.search(ars.FiniteDifference(lr=2.0, noise=0.1), W0, loss, 200, seed=0)
    up = ars.search(ars.FiniteDifference(lr=2.0, noise=0.1, maximize=True), W0, loss, 200, seed=0)
    G0 = loss(W0, None)  # 5.25
    assert loss(down.trajectory[-1], None) < 1e-3 * G0
    assert loss(up.trajectory[-1], None) > 10 * G0


@pytest.mark.parametrize("method", [ars.BRS(lr=0.1, noise=0.1), ars.ARS(lr=0.05, noise=0.1, top=4)])
def test_brs_and_ars_ascend_a_reward(method):
    run = ars.search(method, np.zeros(3), reward, 150, seed=1)
    assert np.linalg.norm(run.trajectory[-1] - C) < 0.1 * np.linalg.norm(C)
    assert run.reward[-1] > run.reward[0]


# ------------------------------------------------------------------------------- step = the algorithm


class Recorder:
    """An evaluation function that remembers what it was called with."""

    def __init__(self, fn):
        self.fn, self.calls = fn, []

    def __call__(self, policies, rng, **normalization):
        out = self.fn(policies, rng, **normalization)
        self.calls.append((policies.copy(), normalization, out))
        return out


def test_batched_ars_step_equals_the_algorithm_box_run_by_run():
    # S = 4 runs of a 2×3 policy in one call; the expected update is written as the paper's loop
    targets = np.arange(24.0).reshape(4, 2, 3) / 10

    def rewards(policies, rng):
        return -np.sum((policies - targets) ** 2, axis=(-2, -1)) + rng.standard_normal(policies.shape[:2])

    method, N, b, nu, alpha = ars.ARS(lr=0.3, noise=0.2, directions=5, top=2), 5, 2, 0.2, 0.3
    M = np.random.default_rng(0).standard_normal((4, 2, 3))
    ev = Recorder(rewards)
    new, state = method.step(M, ev, method.init(M, seed=11))
    (policies, _, r), = ev.calls
    assert policies.shape == (2 * N, 4, 2, 3) and r.shape == (2 * N, 4)
    for s in range(4):
        deltas = [(policies[k, s] - M[s]) / nu for k in range(N)]
        for k in range(N):
            np.testing.assert_allclose(policies[N + k, s], M[s] - nu * deltas[k])
        ranked = sorted(range(N), key=lambda k: -max(r[k, s], r[N + k, s]))[:b]
        used = [r[k, s] for k in ranked] + [r[N + k, s] for k in ranked]
        sigma = np.std(used)
        expected = M[s] + alpha / (b * sigma) * sum((r[k, s] - r[N + k, s]) * deltas[k] for k in ranked)
        np.testing.assert_allclose(new[s], expected)
    assert state.t == 1


def test_brs_step_uses_all_directions_without_sigma_r():
    M = np.array([0.5, -0.5])
    ev = Recorder(lambda P, rng: -np.sum((P - 1) ** 2, axis=-1))
    new, _ = ars.BRS(lr=0.1, noise=0.3, directions=3).step(M, ev, ars.BRS().init(M, seed=2))
    (policies, _, r), = ev.calls
    deltas = (policies[:3] - M) / 0.3
    np.testing.assert_allclose(new, M + 0.1 / 3 * ((r[:3] - r[3:])[:, None] * deltas).sum(axis=0))


def test_step_is_pure_and_seeded():
    method = ars.ARS(lr=0.1, noise=0.1, directions=4, top=2)
    M = np.ones((2, 3))
    state = method.init(M, seed=5)
    first = method.step(M, reward, state)
    again = method.step(M, reward, state)
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(M, np.ones((2, 3)))  # input untouched
    assert state.t == 0 and first[1].t == 1
    other = method.step(M, reward, method.init(M, seed=6))[0]
    assert not np.allclose(other, first[0])


def test_schedule_is_evaluated_at_the_iteration_index():
    schedule = TimeDecay(lr0=0.4, decay=0.5)  # α(3) = 0.4/(1 + 1.5) = 0.16
    state = ars.SearchState(t=3, seed=0)
    M = np.zeros(3)
    np.testing.assert_allclose(
        ars.ARS(lr=schedule, directions=4).step(M, reward, state)[0],
        ars.ARS(lr=0.16, directions=4).step(M, reward, state)[0],
    )


def test_array_step_sizes_run_one_search_per_value():
    lr = np.array([0.01, 0.1])[:, None]
    both = ars.search(ars.ARS(lr=lr, noise=0.1, directions=4), np.zeros((2, 3)), reward, 30, seed=0)
    assert both.trajectory.shape == (31, 2, 3) and both.reward.shape == (30, 2)
    assert np.linalg.norm(both.trajectory[-1, 1] - C) < np.linalg.norm(both.trajectory[-1, 0] - C)


# --------------------------------------------------------------------------------- V2 normalisation


def test_v2_statistics_are_the_mean_and_variance_of_every_state_seen():
    n = 3

    def rollout(policies, rng, mean, std):
        states = rng.normal(5.0, [1.0, 2.0, 0.5], size=policies.shape[:2] + (7, n))  # (2N, S, H, n)
        states[0, 0, 4:] = np.nan  # an episode that ended early
        return -np.sum(policies**2, axis=(-2, -1)), states

    method = ars.ARS(lr=0.1, noise=0.1, directions=3, normalize=True)
    M = np.zeros((2, 1, n))  # S = 2 runs, policies 1×3
    ev = Recorder(rollout)
    state = method.init(M, seed=0)
    for _ in range(3):
        M, state = method.step(M, ev, state)
    seen = np.concatenate([np.moveaxis(out[1], 1, 0).reshape(2, -1, n) for _, _, out in ev.calls], axis=1)
    for s in range(2):
        rows = seen[s][~np.isnan(seen[s]).any(axis=1)]
        assert rows.shape == ((6 * 7 - (3 if s == 0 else 0)) * 3, n)
        np.testing.assert_allclose(state.mean[s], np.mean(rows, axis=0))
        np.testing.assert_allclose(state.m2[s] / state.count[s], np.var(rows, axis=0))
    # the policies of iteration 0 use μ0 = 0, Σ0 = I; those of iteration 1 the statistics of iteration 0
    np.testing.assert_array_equal(ev.calls[0][1]["mean"], np.zeros(n))
    np.testing.assert_array_equal(ev.calls[0][1]["std"], np.ones(n))
    first = np.moveaxis(ev.calls[0][2][1], 1, 0).reshape(2, -1, n)
    np.testing.assert_allclose(ev.calls[1][1]["std"], np.nanstd(first, axis=1))
    assert method.version == "V2"


def test_v2_ignores_a_state_component_that_never_varied():
    state = ars.SearchState(1, 0, np.full(2, 10.0), np.array([1.0, 3.0]), np.array([0.0, 40.0]))
    mean, std = ars.ARS(normalize=True).normalization(state)
    np.testing.assert_array_equal(mean, [1.0, 3.0])
    np.testing.assert_array_equal(std, [np.inf, 2.0])


def test_version_names():
    assert [ars.ARS(top=t, normalize=v).version for v in (False, True) for t in (None, 8, 4)] == [
        "V1", "V1", "V1-t", "V2", "V2", "V2-t"]


# ------------------------------------------------------------------------------------- run helpers


def test_rollouts_to_reach():
    values = np.array([[np.inf, np.inf], [3.0, np.inf], [0.4, 2.0], [0.1, 0.3]])
    got = ars.rollouts_to_reach(values, [0, 16, 32, 48], [np.inf, 0.5, 0.2])
    np.testing.assert_array_equal(got, [[16, 32], [32, 48], [48, np.inf]])


def test_a_diverging_run_stops_and_the_others_go_on():
    def cliff(W, rng, **normalization):
        """Reward Σ W, but −inf (an overflow) once any entry passes 1."""
        r = np.where(np.abs(W).max(axis=-1) > 1, -np.inf, W.sum(axis=-1))
        return (r, np.where(np.isfinite(r)[..., None], W, np.inf)[..., None, :]) if normalization else r

    lr = np.array([0.01, 0.5])[:, None]
    for method in (ars.ARS(lr=lr, noise=0.05, directions=4), ars.ARS(lr=lr, noise=0.05, directions=4, normalize=True)):
        run = ars.search(method, np.zeros((2, 3)), cliff, 20, seed=0)
        k = run.diverged_at[1]
        assert run.diverged_at[0] == -1 and 0 < k < 20
        np.testing.assert_array_equal(run.trajectory[k:, 1], np.broadcast_to(run.trajectory[k, 1], (21 - k, 3)))
        assert np.isnan(run.reward[k:, 1]).all() and np.isfinite(run.reward[:, 0]).all()
        assert run.trajectory[-1, 0].sum() > run.trajectory[0, 0].sum()
        if run.std is not None:
            assert np.isfinite(run.std).all() and np.isfinite(run.mean).all()


def test_search_counts_rollouts():
    run = ars.search(ars.ARS(directions=5), np.zeros(3), reward, 4, seed=0)
    np.testing.assert_array_equal(run.rollouts, [0, 10, 20, 30, 40])
    assert run.mean is None and run.std is None and run.diverged_at == -1


# -------------------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: ars.ARS(lr=-0.1), "lr must be in (0, inf), got -0.1"),
        (lambda: ars.ARS(noise=0), "noise must be in (0, inf), got 0"),
        (lambda: ars.BRS(directions=0), "directions must be an integer >= 1, got 0"),
        (lambda: ars.ARS(directions=8, top=9), "top must be in [1, 8], got 9"),
        (lambda: ars.ARS(top=2.5), "top must be an integer >= 1, got 2.5"),
        (lambda: ars.FiniteDifference(noise=-1.0), "noise must be in (0, inf), got -1.0"),
        (lambda: ars.search(ars.ARS(), np.zeros(3), reward, 0, seed=0), "iterations must be an integer >= 1, got 0"),
    ],
)
def test_bad_hyper_parameters_raise(make, message):
    with pytest.raises(ValueError) as err:
        make()
    assert str(err.value) == message


def test_bad_evaluations_raise():
    method, M = ars.ARS(directions=4), np.zeros((2, 3))
    state = method.init(M, seed=0)
    with pytest.raises(ValueError, match=r"evaluate must return rewards of shape \(8, \*batch\).*got shape \(4,\)"):
        method.step(M, lambda P, rng: np.zeros(4), state)
    with pytest.raises(ValueError, match=r"rewards at iteration 0 must be finite, got -inf at index \(3,\)"):
        method.step(M, lambda P, rng: np.where(np.arange(8) == 3, -np.inf, 0.0), state)
    with pytest.raises(ValueError, match="needs evaluate to return \\(rewards, states\\)"):
        ars.ARS(normalize=True).step(M, lambda P, rng, mean, std: np.zeros(16), ars.ARS(normalize=True).init(M, 0))
    with pytest.raises(ValueError, match=r"lr of shape \(4, 1\) does not broadcast against params of shape \(2, 3\)"):
        ars.ARS(lr=np.ones((4, 1))).step(M, reward, state)


# ------------------------------------------------------------------------ the updates check their input

M2, D3 = np.zeros(2), np.eye(3)[:, :2]  # M (2,), N = 3 directions of shape (2,)
R3 = np.array([1.0, 2.0, 3.0])


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: ars.ars_update(M2, D3, R3, R3, -0.1, 2), "lr must be in (0, inf), got -0.1"),
        (lambda: ars.brs_update(M2, D3, R3, R3, 0), "lr must be in (0, inf), got 0"),
        (lambda: ars.finite_difference_update(M2, M2, 1.0, 0.0, np.nan), "lr must be in (0, inf), got nan"),
        (lambda: ars.brs_update(np.zeros((2, 2)), np.zeros((3, 2, 2)), np.ones((3, 2)), np.ones((3, 2)),
                                np.array([[0.1], [-0.05]])), "lr must be in (0, inf), got -0.05 at index (1, 0)"),
        (lambda: ars.ars_update(np.zeros((2, 2)), np.zeros((3, 2, 2)), np.ones((3, 2)), np.ones((3, 2)),
                                np.ones((3, 1)), 1),
         "lr of shape (3, 1) does not broadcast against M of shape (2, 2); give one value per run on the "
         "leading axes, e.g. shape (2, 1)"),
        (lambda: ars.ars_update(M2, D3, R3, R3, 0.1, 0), "top must be an integer >= 1, got 0"),
        (lambda: ars.ars_update(M2, D3, R3, R3, 0.1, 2.0), "top must be an integer >= 1, got 2.0"),
        (lambda: ars.ars_update(M2, D3, R3, R3, 0.1, 4), "top must be in [1, 3], got 4"),
        (lambda: ars.ars_update(M2, D3, R3, R3[:2], 0.1, 2),
         "r_minus must have the shape of r_plus (3,), got shape (2,)"),
        (lambda: ars.brs_update(M2, D3[:2], R3, R3, 0.1),
         "r_plus must have shape (N, *batch) with N = 2 as in deltas and batch a leading part of theta's shape (2,), "
         "got shape (3,)"),
        (lambda: ars.brs_update(np.zeros((2, 2)), np.zeros((3, 2, 2)), np.ones((3, 1)), np.ones((3, 1)), 0.1),
         "r_plus must have shape (N, *batch) with N = 3 as in deltas and batch a leading part of theta's shape "
         "(2, 2), got shape (3, 1)"),
        (lambda: ars.ars_update(M2, D3[:, :1], R3, R3, 0.1, 2),
         "deltas must have shape (N, *M.shape) with M of shape (2,), got shape (3, 1)"),
        (lambda: ars.brs_update(M2, M2, R3[:2], R3[:2], 0.1),
         "deltas must have shape (N, *theta.shape) with theta of shape (2,), got shape (2,)"),
        (lambda: ars.ars_update(M2, D3, [1.0, np.nan, 3.0], R3, 0.1, 2),
         "r_plus must be finite, got nan at index (1,)"),
        (lambda: ars.brs_update(M2, D3, R3, [1.0, 2.0, -np.inf], 0.1),
         "r_minus must be finite, got -inf at index (2,)"),
        (lambda: ars.finite_difference_update(M2, np.ones(3), 1.0, 0.0, 0.1),
         "delta_W must have the shape of W (2,), got shape (3,)"),
        (lambda: ars.finite_difference_update(M2, M2, np.inf, 0.0, 0.1), "G_plus must be finite, got inf"),
        (lambda: ars.finite_difference_update(M2, M2, [1.0, 2.0], [0.0, 0.0], 0.1),
         "G_plus must have shape (*batch) with batch a leading part of W's shape (2,), got shape (2,)"),
    ],
)
def test_updates_reject_bad_input_naming_parameter_value_and_range(call, message):
    with pytest.raises(ValueError) as err:
        call()
    assert str(err.value) == message


def test_updates_take_batched_runs_with_one_lr_per_run():
    # S = 3 runs of M (3, 2) at once, lr (3, 1): the same as three calls of one run with a scalar lr
    rng = np.random.default_rng(7)
    S, N, b = 3, 5, 2
    M, deltas = rng.standard_normal((S, 2)), rng.standard_normal((N, S, 2))
    r_plus, r_minus = rng.standard_normal((N, S)), rng.standard_normal((N, S))
    lr = np.array([[0.1], [0.2], [0.3]])
    ars_all = ars.ars_update(M, deltas, r_plus, r_minus, lr, b)
    brs_all = ars.brs_update(M, deltas, r_plus, r_minus, lr)
    fd_all = ars.finite_difference_update(M, deltas[0], r_plus[0], r_minus[0], lr)
    for s in range(S):
        args = (M[s], deltas[:, s], r_plus[:, s], r_minus[:, s], lr[s, 0])
        np.testing.assert_allclose(ars_all[s], ars.ars_update(*args, b))
        np.testing.assert_allclose(brs_all[s], ars.brs_update(*args))
        fd = ars.finite_difference_update(M[s], deltas[0, s], r_plus[0, s], r_minus[0, s], lr[s, 0])
        np.testing.assert_allclose(fd_all[s], fd)
    # W (2,) with G scalar and lists for arrays: W − α·(Gp − Gn)·δW = (1, 2) − 0.5·2·(1, 1)
    np.testing.assert_allclose(ars.finite_difference_update([1, 2], [1, 1], 3, 1, 0.5), [0.0, 1.0])


def test_ars_update_takes_finite_rewards_beyond_1e154_and_does_not_move():
    # an unstable rollout's cost squared overflows: σ_R = ∞, so M stays (what search relies on)
    huge = np.array([-1e200, -3e200, -2e200])
    with np.errstate(all="raise"):
        np.testing.assert_array_equal(ars.ars_update(np.ones(2), DELTAS, huge, 2 * huge, 0.5, top=2), np.ones(2))
