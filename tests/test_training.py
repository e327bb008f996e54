"""The training loops: iterates worked out by hand, stopping rules, batched = separate runs, mini-batches."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from gdcourse.models import LinearRegression, LogisticRegression
from gdcourse.objectives import Quadratic, quadratic
from gdcourse.optimizers import GD, Adam, Momentum
from gdcourse.schedules import BoldDriver, TimeDecay
from gdcourse.training import Run, minimize, sweep_lr, train

# f(x) = x², f'(x) = 2x: GD with step α multiplies x by (1 − 2α); stable iff α < 2/L = 1
SQUARE = Quadratic([[2.0]], start=(10.0,), bounds=((-11.0, 11.0),))


def no_warnings(call, *args, **kwargs):
    """Run ``call`` with every warning turned into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return call(*args, **kwargs)


def test_gd_on_a_quadratic_gives_the_hand_computed_iterates_and_history():
    run = minimize(SQUARE, [10.0], GD(lr=0.1), steps=3)
    # x ← x − 0.1·2x = 0.8x
    np.testing.assert_allclose(run.trajectory[:, 0], [10.0, 8.0, 6.4, 5.12])
    np.testing.assert_allclose(run.losses, [100.0, 64.0, 40.96, 26.2144])
    assert list(run.history.columns) == ["step", "epoch", "lr", "loss", "grad_norm"]
    np.testing.assert_array_equal(run.history.step, [0, 1, 2, 3])
    np.testing.assert_allclose(run.history.grad_norm, [20.0, 16.0, 12.8, 10.24])
    np.testing.assert_allclose(run.history.lr, 0.1)
    assert run.status == "max_steps" and run.stopped_at == 3
    assert run.message == "max_steps: budget of 3 steps used up, loss 26.21"
    np.testing.assert_allclose(run.final, [5.12])


def test_divergence_is_caught_at_the_hand_computed_step_without_warnings():
    # α = 1.5 > 2/L = 1: x ← (1 − 3)x = −2x, loss 100·4^k; 4^9 = 262144 < 1e6 < 4^10 = 1048576,
    # so the loss first exceeds 1e6 × the initial loss at step 10
    run = no_warnings(minimize, SQUARE, [10.0], GD(lr=1.5), steps=100)
    assert run.status == "diverged" and run.stopped_at == 10
    assert run.message == "diverged at step 10: loss 1e+08 exceeded 1e+06 × the initial loss"
    # frozen at its last acceptable point x_9 = 10·(−2)^9 = −5120
    assert run.trajectory.shape == (11, 1)
    np.testing.assert_allclose(run.trajectory[-2:, 0], [-5120.0, -5120.0])
    assert run.history.step.max() == 9 and np.isfinite(run.history.loss).all()


def test_an_overflowing_step_is_caught_without_warnings_and_never_reaches_the_kernel():
    # one step of α = 1e300 sends x to about −2e301, whose square overflows to inf
    run = no_warnings(minimize, SQUARE, [10.0], Adam(lr=1e300), steps=5)
    assert run.status == "diverged" and run.stopped_at == 1
    assert run.message == "diverged at step 1: loss inf or its gradient is not finite"
    np.testing.assert_allclose(run.final, [10.0])
    # here the step itself overflows: 1e307 · f'(1e3) = 2e310
    run = no_warnings(minimize, SQUARE, [1e3], GD(lr=1e307), steps=5)
    assert run.status == "diverged" and run.stopped_at == 1
    np.testing.assert_allclose(run.final, [1e3])


def test_convergence_on_gradient_norm_at_the_hand_computed_step():
    # α = 0.25: x_k = 10·0.5^k, |f'(x_k)| = 20·0.5^k < 1e-3 first at k = 15 (2^15 = 32768 > 20000 > 2^14)
    run = minimize(SQUARE, [10.0], GD(lr=0.25), steps=100, tol=1e-3)
    assert run.status == "converged" and run.stopped_at == 15
    assert run.message == "converged at step 15: gradient norm 0.00061 < tol 0.001"
    assert run.trajectory.shape == (16, 1) and run.history.step.max() == 15


def test_convergence_on_loss_change_at_the_hand_computed_step():
    # loss_k = 100·0.25^k, loss_{k−1} − loss_k = 75·0.25^(k−1): 1.1e-6 at k = 14, 2.8e-7 at k = 15
    run = minimize(SQUARE, [10.0], GD(lr=0.25), steps=100, loss_tol=1e-6)
    assert run.status == "converged" and run.stopped_at == 15
    assert run.message == "converged at step 15: |Δloss| 2.8e-07 < loss_tol 1e-06"


LRS = np.array([0.05, 0.2, 0.9, 1.1, 2.5])  # the ravine has L = 1: GD diverges for α > 2/L = 2


@pytest.mark.parametrize("make", [GD, lambda lr: Momentum(lr=lr, beta=0.9), lambda lr: Adam(lr=lr)],
                         ids=["GD", "Momentum", "Adam"])
def test_a_batched_run_equals_k_single_runs(make):
    f = quadratic(kappa=10.0)
    batched = no_warnings(minimize, f, f.start, make(LRS[:, None]), steps=400, tol=1e-5)
    assert batched.trajectory.shape[1:] == (5, 2)
    for k, lr in enumerate(LRS):
        single = no_warnings(minimize, f, f.start, make(float(lr)), steps=400, tol=1e-5)
        assert batched.status[k] == single.status and batched.stopped_at[k] == single.stopped_at
        assert batched.message[k] == single.message
        T = single.trajectory.shape[0]
        np.testing.assert_array_equal(batched.trajectory[:T, k], single.trajectory)
        np.testing.assert_array_equal(batched.trajectory[T - 1 :, k],
                                      np.broadcast_to(single.final, (batched.trajectory.shape[0] - T + 1, 2)))
        rows = batched.history[batched.history.run == k].drop(columns="run").reset_index(drop=True)
        pd.testing.assert_frame_equal(rows, single.history)


def test_each_run_stops_on_its_own_and_the_loop_ends_when_all_have_stopped():
    run = minimize(SQUARE, [10.0], GD(lr=np.array([[0.25], [0.5], [1.5]])), steps=1000, tol=1e-3)
    # α = 0.5 lands on 0 in one step; α = 0.25 converges at 15 (above); α = 1.5 diverges at 10
    np.testing.assert_array_equal(run.status, ["converged", "converged", "diverged"])
    np.testing.assert_array_equal(run.stopped_at, [15, 1, 10])
    assert run.trajectory.shape == (16, 3, 1)
    assert run.history.groupby("run").size().tolist() == [16, 2, 10]


def test_a_schedule_as_lr_is_used_step_by_step():
    # α_n = 0.25/(1 + n): x1 = 10(1 − 0.5) = 5, x2 = 5(1 − 0.25) = 3.75, x3 = 3.75(1 − 1/6)
    run = minimize(SQUARE, [10.0], GD(lr=TimeDecay(0.25, 1.0)), steps=3)
    np.testing.assert_allclose(run.trajectory[:, 0], [10.0, 5.0, 3.75, 3.125])
    np.testing.assert_allclose(run.history.lr, [0.25, 0.125, 0.25 / 3, 0.0625])


def test_sweep_lr_tabulates_k_learning_rates_from_one_batched_run():
    table = no_warnings(sweep_lr, SQUARE, [10.0], GD, [0.25, 0.5, 0.99, 1.01], steps=2000, tol=1e-6)
    assert list(table.columns) == ["lr", "status", "stopped_at", "final_loss"]
    assert table.status.tolist() == ["converged", "converged", "converged", "diverged"]
    # |f'| = 20·0.5^k < 1e-6 at k = 25; α = 0.5 hits 0 at once; 20·0.98^k < 1e-6 at k = 833;
    # α = 1.01: loss 100·1.0404^k > 1e8 first at k = 349 (ln 1e6 / ln 1.0404 = 348.8)
    assert table.stopped_at.tolist() == [25, 1, 833, 349]


RUN_MESSAGES = [
    (dict(steps=0), "steps must be an integer >= 1, got 0"),
    (dict(steps=5, tol=-1.0), "tol must be in (0, inf), got -1.0"),
    (dict(steps=5, loss_tol=0.0), "loss_tol must be in (0, inf), got 0.0"),
    (dict(steps=5, max_loss_ratio=1.0), "max_loss_ratio must be in (1, inf), got 1.0"),
]


@pytest.mark.parametrize("kwargs, message", RUN_MESSAGES, ids=[m[1].split(" must")[0] for m in RUN_MESSAGES])
def test_minimize_validation_messages(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        minimize(SQUARE, [10.0], GD(lr=0.1), **kwargs)


def test_minimize_rejects_a_non_finite_start():
    with pytest.raises(ValueError, match=re.escape("x0 must be finite, got nan at index (0,)")):
        minimize(SQUARE, [np.nan], GD(lr=0.1), steps=5)


# --------------------------------------------------------------------------- train on a model


def linear_data(m=200, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, 2))
    return X, X @ np.array([2.0, -1.0]) + 0.5 + 0.1 * rng.standard_normal(m)


def test_full_batch_training_reaches_the_closed_form_solution():
    X, y = linear_data()
    model = LinearRegression(n_features=2)
    run = no_warnings(train, model, X, y, GD(lr=0.5), epochs=2000, tol=1e-10)
    assert run.status == "converged"
    np.testing.assert_allclose(run.final, model.closed_form(X, y), atol=1e-9)
    assert run.message.startswith(f"converged at step {run.stopped_at}: gradient norm ")
    # full batch: one step per epoch
    assert (run.history.groupby("epoch").size() == 1).all()


def test_epochs_and_iterations_as_the_lectures_count_them():
    # m = 1,153 rows in mini-batches of 128: 9 full batches and one of 1 row, 10 iterations per epoch
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(1153, 2))
    y = (X[:, 0] + X[:, 1] > 1).astype(float)
    run = train(LogisticRegression(n_features=2), X, y, GD(lr=0.5), batch_size=128, epochs=3)
    history = run.history
    assert len(history) == 30 and history.step.tolist() == list(range(1, 31))
    assert history.groupby("epoch").size().tolist() == [10, 10, 10]
    assert history.groupby("epoch").iteration.nunique().tolist() == [10, 10, 10]
    assert run.trajectory.shape == (31, 3) and run.status == "max_steps" and run.stopped_at == 30
    assert run.message == "max_steps: budget of 3 epochs (30 steps) used up, loss " + f"{run.losses[-1]:.4g}"
    per_epoch = train(LogisticRegression(n_features=2), X, y, GD(lr=0.5), batch_size=128, epochs=3, record="epoch")
    assert per_epoch.history.step.tolist() == [10, 20, 30]
    np.testing.assert_allclose(per_epoch.history.loss, history.loss.iloc[[9, 19, 29]])
    np.testing.assert_allclose(per_epoch.history.batch_loss, history.groupby("epoch").batch_loss.mean())


def test_training_is_deterministic_from_the_seed():
    X, y = linear_data()
    model = LinearRegression(n_features=2)
    a, b = (train(model, X, y, GD(lr=0.1), batch_size=16, epochs=2, seed=3) for _ in range(2))
    c = train(model, X, y, GD(lr=0.1), batch_size=16, epochs=2, seed=4)
    np.testing.assert_array_equal(a.trajectory, b.trajectory)
    pd.testing.assert_frame_equal(a.history, b.history)
    assert not np.array_equal(a.trajectory, c.trajectory)


def test_batched_training_equals_k_single_trainings_and_stops_each_run():
    X, y = linear_data()
    model = LinearRegression(n_features=2)
    lrs = np.array([0.05, 0.5, 4.0])  # the last diverges
    batched = no_warnings(train, model, X, y, GD(lr=lrs[:, None]), batch_size=50, epochs=20, tol=1e-3)
    assert batched.status[2] == "diverged"
    for k, lr in enumerate(lrs):
        single = no_warnings(train, model, X, y, GD(lr=float(lr)), batch_size=50, epochs=20, tol=1e-3)
        assert ((batched.status[k], batched.stopped_at[k], batched.message[k])
                == (single.status, single.stopped_at, single.message))
        # the model's matrix products may round the last bit differently for a (K, P) batch
        np.testing.assert_allclose(batched.trajectory[: single.trajectory.shape[0], k], single.trajectory,
                                   rtol=1e-12, atol=1e-15)


def test_bold_driver_rejects_a_step_that_raises_the_loss():
    # rows x = 1 and x = −1 with y = 0: J(w, b) = ½(w² + b²), ∇J = (w, b), so GD maps θ to (1 − α)θ
    X, y = np.array([[1.0], [-1.0]]), np.zeros(2)
    run = train(LinearRegression(n_features=1), X, y, GD(lr=1.0), epochs=4, theta0=[1.0, 0.0],
                controller=BoldDriver(lr0=3.0))
    # α = 3: θ → −2θ, J 0.5 → 2.0 (+300 %): reject, α = 2.1;  α = 2.1: J → 0.605 (+21 %): reject, α = 1.47;
    # α = 1.47: w → −0.47, J → 0.110: accept, α = 1.5435;  then w → −0.47·(1 − 1.5435) = 0.255445: accept
    np.testing.assert_allclose(run.trajectory[:, 0], [1.0, 1.0, 1.0, -0.47, 0.255445])
    assert run.history.accepted.tolist() == [False, False, True, True]
    np.testing.assert_allclose(run.history.lr, [3.0, 2.1, 1.47, 1.5435])
    # one α0 per run: K runs of the controller from one θ0, the second identical to the run above
    both = train(LinearRegression(n_features=1), X, y, GD(lr=1.0), epochs=4, theta0=[1.0, 0.0],
                 controller=BoldDriver(lr0=np.array([0.5, 3.0])))
    np.testing.assert_allclose(both.trajectory[:, 1], run.trajectory)
    # α0 = 0.5 always falls: w ← (1 − α)w, α ← 1.05α: 0.5, 0.5·0.475, then ·(1 − 0.55125), ·(1 − 0.5788125)
    np.testing.assert_allclose(both.trajectory[:, 0, 0], [1.0, 0.5, 0.2375, 0.106578125, 0.106578125 * 0.4211875])


def test_train_validation_messages():
    X, y = linear_data()
    model = LinearRegression(n_features=2)
    with pytest.raises(ValueError, match=re.escape("epochs must be an integer >= 1, got 0")):
        train(model, X, y, GD(), epochs=0)
    with pytest.raises(ValueError, match=re.escape("record must be 'step' or 'epoch', got 'batch'")):
        train(model, X, y, GD(), epochs=1, record="batch")
    with pytest.raises(ValueError, match=re.escape("batch_size must be an integer >= 1, got 0")):
        train(model, X, y, GD(), epochs=1, batch_size=0)


def test_run_is_frozen():
    run = minimize(SQUARE, [10.0], GD(lr=0.1), steps=1)
    assert isinstance(run, Run)
    with pytest.raises(AttributeError):
        run.status = "converged"


# --------------------------------------------------------------------------- review additions

# rows x = 1 and x = −1 with y = 0: J(w, b) = ½(w² + b²), ∇J = (w, b); from θ0 = (1, 0), J(θ0) = ½
TWO_ROWS = (np.array([[1.0], [-1.0]]), np.zeros(2))


def test_a_loss_starting_near_zero_is_not_an_explosion():
    # wavy at x = 10: f = 10·cos(1.5π) ≈ −1.8e-15; the first step of α = 2 reaches f(0.575) ≈ 0.55, a rise,
    # not a divergence: d2l's lesson is that this run settles in the local minimum near −1.8257
    from gdcourse.objectives import wavy

    run = no_warnings(minimize, wavy, wavy.start, GD(lr=2.0), steps=300)
    assert run.status == "max_steps"
    np.testing.assert_allclose(run.final, wavy.minima[1], atol=1e-3)


def test_divergence_limit_has_a_floor_of_one_times_the_ratio():
    # x0 = 0.01, α = 1.5: x_k = 0.01·(−2)^k, loss 1e-4·4^k; limit 1e6·max(1e-4, 1) = 1e6:
    # 4^16 = 4.3e9 < 1e10 < 4^17 = 1.7e10, so the loss first exceeds it at step 17
    run = no_warnings(minimize, SQUARE, [0.01], GD(lr=1.5), steps=100)
    assert run.status == "diverged" and run.stopped_at == 17
    assert run.message == "diverged at step 17: loss 1.7e+06 exceeded 1e+06 × max(|initial loss|, 1)"


def test_batched_training_freezes_each_diverged_run_without_warnings():
    X, y = TWO_ROWS
    # GD maps θ to (1 − α)θ. α = 0.5 halves w; α = 5: w_k = (−4)^k, J = ½·16^k > 1e6 first at k = 6
    # (16^5 ≈ 1.05e6 < 2e6 < 16^6); α = 1e300: w = −1e300, J = ½·1e600 overflows at step 1
    run = no_warnings(train, LinearRegression(n_features=1), X, y, GD(lr=np.array([[0.5], [5.0], [1e300]])),
                      epochs=10, theta0=[1.0, 0.0])
    np.testing.assert_array_equal(run.status, ["max_steps", "diverged", "diverged"])
    np.testing.assert_array_equal(run.stopped_at, [10, 6, 1])
    assert run.message[1] == "diverged at step 6: loss 8.4e+06 exceeded 1e+06 × max(|initial loss|, 1)"
    assert run.message[2] == "diverged at step 1: loss inf or its gradient is not finite"
    np.testing.assert_allclose(run.trajectory[:, 0, 0], 0.5 ** np.arange(11))
    np.testing.assert_allclose(run.trajectory[5:, 1, 0], -1024.0)  # frozen at w_5 = (−4)^5
    np.testing.assert_allclose(run.trajectory[:, 2], np.broadcast_to([1.0, 0.0], (11, 2)))  # frozen at θ0
    assert np.isfinite(run.losses).all()
    # here the step itself overflows: 1e308 · ∂J/∂w = 1e308 · 1e3
    run = no_warnings(train, LinearRegression(n_features=1), X, y, GD(lr=1e308), epochs=3, theta0=[1e3, 0.0])
    assert run.status == "diverged" and run.stopped_at == 1
    np.testing.assert_allclose(run.final, [1e3, 0.0])


def test_train_uses_a_schedule_step_by_step():
    X, y = TWO_ROWS
    # α_s = 0.5/(1 + s): w ← (1 − α)w: 1 → 0.5 → 0.375 → 0.3125
    run = train(LinearRegression(n_features=1), X, y, GD(lr=TimeDecay(0.5, 1.0)), epochs=3, theta0=[1.0, 0.0])
    np.testing.assert_allclose(run.history.lr, [0.5, 0.25, 0.5 / 3])
    np.testing.assert_allclose(run.trajectory[:, 0], [1.0, 0.5, 0.375, 0.3125])


def test_train_converges_on_loss_change_at_the_hand_computed_epoch():
    X, y = TWO_ROWS
    # α = 0.5: J_k = ½·0.25^k, J_{k−1} − J_k = 0.375·0.25^(k−1): 3.7e-4 at k = 6, 9.2e-5 < 1e-4 at k = 7
    run = train(LinearRegression(n_features=1), X, y, GD(lr=0.5), epochs=50, theta0=[1.0, 0.0], loss_tol=1e-4)
    assert run.status == "converged" and run.stopped_at == 7
    assert run.message == "converged at step 7: |Δloss| 9.2e-05 < loss_tol 0.0001"


def test_a_rejected_step_leaves_the_kernel_state_as_it_was():
    X, y = TWO_ROWS
    # Adam's first step from the zero state is α·g/(|g| + ε) ≈ α·sign(g) (b has g = 0 and stays 0).
    # α = 3: w → −2, J 0.5 → 2: reject, α = 2.1; the state is still the zero state (t = 0), so again a
    # first step: w → −1.1, J → 0.605: reject, α = 1.47; w → −0.47, J → 0.11045: accept, α = 1.5435,
    # t = 1, m = 0.1, v = 0.001. Step 4 at t = 2: m = 0.09 − 0.047, v = 0.000999 + 0.001·0.2209,
    # w → −0.47 − 1.5435·(0.043/0.19)/√(0.0012199/0.001999) = −0.917, J 0.42 > 1.04·0.11045: reject.
    run = train(LinearRegression(n_features=1), X, y, Adam(), epochs=4, theta0=[1.0, 0.0],
                controller=BoldDriver(lr0=3.0))
    assert run.history.accepted.tolist() == [False, False, True, False]
    np.testing.assert_allclose(run.history.lr, [3.0, 2.1, 1.47, 1.5435])
    np.testing.assert_allclose(run.trajectory[:, 0], [1.0, 1.0, 1.0, -0.47, -0.47], rtol=1e-7)


def test_train_rejects_mismatched_or_non_finite_data():
    X, y = linear_data()
    model = LinearRegression(n_features=2)
    message = "X must have shape (m, n) and y shape (m,), got X (200, 2) and y (150,)"
    with pytest.raises(ValueError, match=re.escape(message)):
        train(model, X, y[:150], GD(), epochs=1)
    with pytest.raises(ValueError, match=re.escape("X must be finite, got nan at index (3, 1)")):
        train(model, np.where(np.arange(400).reshape(200, 2) == 7, np.nan, X), y, GD(), epochs=1)
    with pytest.raises(ValueError, match=re.escape("y must be finite, got inf at index (5,)")):
        train(model, X, np.where(np.arange(200) == 5, np.inf, y), GD(), epochs=1)


@pytest.mark.parametrize("name", list(__import__("gdcourse").OPTIMIZERS))
def test_a_diverging_sweep_of_200_learning_rates_is_one_call_without_warnings(name):
    import gdcourse

    cls = gdcourse.OPTIMIZERS[name]
    kernel = cls(lr=np.geomspace(1e-4, 1e4, 200)[:, None], **({"param_ndim": 1} if name == "HypergradientSGD" else {}))
    f = quadratic(kappa=10.0)
    run = no_warnings(minimize, f, f.start, kernel, steps=100)
    assert run.trajectory.shape[1:] == (200, 2) and np.isfinite(run.trajectory).all()
    assert np.isfinite(run.losses).all() and run.history.run.nunique() == 200


# --------------------------------------------------------------------------- edge cases found by fuzzing


@pytest.mark.parametrize("name", ["AdaGrad", "Adadelta", "RMSProp", "Adam", "AMSGrad", "AdamW", "NAdam"])
def test_an_overflowing_g_squared_ends_the_run_as_diverged_at_step_1_without_warnings(name):
    import gdcourse as gc

    # ∇f at (1e60, 1e60) is about 4e182: g² overflows, the state becomes inf and θ would never move again
    run = no_warnings(minimize, gc.rosenbrock, [1e60, 1e60], getattr(gc, name)(), 10, loss_tol=1e-3)
    assert (run.status, run.stopped_at) == ("diverged", 1)
    assert "the optimizer's state is not finite" in run.message
    np.testing.assert_array_equal(run.final, [1e60, 1e60])


def test_sweep_lr_marks_an_overflowing_state_diverged_not_converged():
    import gdcourse as gc

    table = no_warnings(sweep_lr, gc.rosenbrock, [1e60, 1e60], Adam, [1e-3, 1e-2, 1e-1], 20, tol=1e-6)
    assert list(table["status"]) == ["diverged"] * 3 and list(table["stopped_at"]) == [1] * 3


def test_a_schedule_that_reaches_zero_is_a_legal_step_in_minimize_and_train():
    schedule = lambda n: max(0.0, 0.1 - 0.05 * n)  # noqa: E731 (0.1, 0.05, then 0 from step 2 on)
    run = no_warnings(minimize, SQUARE, [10.0], GD(lr=schedule), steps=4)
    np.testing.assert_allclose(run.trajectory[:, 0], [10.0, 8.0, 7.2, 7.2, 7.2])
    assert run.status == "max_steps"
    X, y = np.array([[1.0], [2.0]]), np.array([1.0, 2.0])
    trained = no_warnings(train, LinearRegression(1), X, y, GD(lr=schedule), epochs=4, theta0=np.zeros(2))
    assert trained.status == "max_steps"
    np.testing.assert_array_equal(trained.trajectory[2], trained.trajectory[4])


def test_train_rejects_a_negative_seed_by_name():
    X, y = np.array([[1.0], [2.0]]), np.array([1.0, 2.0])
    with pytest.raises(ValueError, match=r"^seed must be an integer >= 0, got -1$"):
        train(LinearRegression(1), X, y, GD(), epochs=1, seed=-1)


def test_train_on_huge_features_stops_without_a_runtime_warning():
    # at θ0 = 0 the loss (~1e10) is finite but the gradient (~1e155) squared for its norm overflows
    X = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]]) * 1e150
    y = np.array([1e5, 0.0, 2e5])
    run = no_warnings(train, LinearRegression(2), X, y, GD(lr=1e-3), epochs=3, theta0=np.zeros(3))
    assert (run.status, run.stopped_at) == ("diverged", 1)


def test_the_bold_driver_does_not_rebuild_the_kernel(monkeypatch):
    import dataclasses

    def forbidden(*args, **kwargs):
        raise AssertionError("the kernel was rebuilt")

    monkeypatch.setattr(dataclasses, "replace", forbidden)
    X, y = np.array([[1.0], [2.0], [3.0]]), np.array([1.0, 2.0, 3.0])
    run = train(LinearRegression(1), X, y, GD(), epochs=5, theta0=np.zeros(2), controller=BoldDriver(lr0=0.1))
    assert len(run.history) == 5 and run.history["accepted"].all()
