"""gdcourse.compare: unroll on streams and online losses, the bumpy bowl, models as objectives, the bake-off.

Expected values are worked out by hand from the equations in the docstrings.
"""

import numpy as np
import pandas as pd
import pytest

from gdcourse import GD, OPTIMIZERS, HypergradientSGD, LinearRegression, Momentum
from gdcourse import compare as C

# --------------------------------------------------------------------------- unroll


def test_unroll_gd_on_a_stream_by_hand():
    # θ1 = 1 − 0.5·2 = 0, θ2 = 0 − 0.5·(−4) = 2
    out = C.unroll(GD(lr=0.5), np.array([1.0]), np.array([2.0, -4.0]), 2)
    np.testing.assert_allclose(out.params[:, 0], [1.0, 0.0, 2.0])
    np.testing.assert_array_equal(out.states.t, [0, 1, 2])


def test_unroll_momentum_velocity_is_the_ewma_of_the_stream():
    # V ← 0.5·V + 0.5·x: 0 → 2 → 1 → 1.5 for the stream 4, 0, 2
    out = C.unroll(Momentum(lr=1.0, beta=0.5), np.zeros(1), np.array([4.0, 0.0, 2.0]), 3)
    np.testing.assert_allclose(out.states.v[:, 0], [0.0, 2.0, 1.0, 1.5])


def test_unroll_batched_betas_and_a_scalar_stream():
    betas = np.array([[0.0], [0.5]])  # two runs; each g_t is broadcast to θ's shape (2, 1)
    out = C.unroll(Momentum(lr=1.0, beta=betas), np.zeros((2, 1)), np.array([4.0, 2.0]), 2)
    assert out.params.shape == (3, 2, 1)
    assert out.states.v.shape == (3, 2, 1)
    # β = 0: V is the last value (4, then 2); β = 0.5: 2, then 0.5·2 + 0.5·2 = 2
    np.testing.assert_allclose(out.states.v[1:, :, 0], [[4.0, 2.0], [2.0, 2.0]])


def test_unroll_online_gradient_and_projection():
    # f_t(θ) = −3θ (gradient −3 whatever t): GD with α = 1 wants to go to 3, 6, ...; the box [−1, 1] stops it at 1
    seen = []

    def grad(t, x):
        seen.append(t)
        return np.full_like(x, -3.0)

    out = C.unroll(GD(lr=1.0), np.array([0.0]), grad, 3, bounds=(-1.0, 1.0))
    np.testing.assert_allclose(out.params[:, 0], [0.0, 1.0, 1.0, 1.0])
    assert seen == [0, 1, 2]


def test_unroll_does_not_mutate_its_inputs():
    x0, stream = np.array([1.0, 2.0]), np.array([[1.0, 1.0], [2.0, 2.0]])
    C.unroll(Momentum(lr=0.1, beta=0.9), x0, stream, 2)
    np.testing.assert_array_equal(x0, [1.0, 2.0])
    np.testing.assert_array_equal(stream, [[1.0, 1.0], [2.0, 2.0]])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(grad=np.array([1.0]), steps=2),
         "grad must hold at least steps = 2 gradients on its first axis, got shape (1,)"),
        (dict(grad=np.array([1.0, 2.0]), steps=0), "steps must be an integer >= 1, got 0"),
        (dict(grad=np.array([1.0, np.nan]), steps=2), "grad must be finite, got nan at index (1,)"),
        (dict(grad=np.array([1.0]), steps=1, bounds=(1.0, -1.0)),
         "bounds must be (lo, hi) with lo < hi, got (1.0, -1.0)"),
    ],
)
def test_unroll_messages(kwargs, message):
    with pytest.raises(ValueError) as err:
        C.unroll(GD(lr=0.1), np.zeros(1), **kwargs)
    assert str(err.value) == message


# --------------------------------------------------------------------------- the bumpy bowl


def test_bumpy_values_by_hand():
    f = C.bumpy
    assert f(np.array([0.0])) == 0.0
    # ½(π/4)² + 1·(1 − cos π) = π²/32 + 2
    np.testing.assert_allclose(f(np.array([np.pi / 4])), np.pi**2 / 32 + 2)
    # f′(π/8) = π/8 + 4·sin(π/2) = π/8 + 4;  f″(0) = 1 + 16
    np.testing.assert_allclose(f.grad(np.array([np.pi / 8])), [np.pi / 8 + 4])
    np.testing.assert_allclose(f.hessian(np.array([0.0])), [[17.0]])


def test_bumpy_gradient_and_hessian_match_central_differences():
    f, h = C.Bumpy(a=0.5, k=3.0), 1e-6
    x = np.random.default_rng(0).uniform(-5, 5, size=(50, 1))
    np.testing.assert_allclose(f.grad(x)[:, 0], (f(x + h) - f(x - h)) / (2 * h), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(f.hessian(x)[:, 0, 0], (f.grad(x + h) - f.grad(x - h))[:, 0] / (2 * h),
                               rtol=1e-6, atol=1e-5)


def test_bumpy_traps_plain_descent_but_not_momentum():
    f = C.bumpy
    x_gd = C.unroll(GD(lr=0.01), f.start, lambda t, x: f.grad(x), 2000).params[-1]
    assert 2.5 < x_gd[0] < 3.2  # the ripple minimum near 2·(2π/k) = π (at ≈ 2.94), not the bottom 0
    assert abs(f.grad(x_gd)[0]) < 1e-8 and f.hessian(x_gd)[0, 0] > 0
    x_mom = C.unroll(Momentum(lr=0.03, beta=0.95), f.start, lambda t, x: f.grad(x), 2000).params[-1]
    assert abs(x_mom[0]) < 1e-3


def test_bumpy_rejects_bad_shape_parameters():
    with pytest.raises(ValueError, match=r"a must be in \(0, inf\), got -1.0"):
        C.Bumpy(a=-1.0)


# --------------------------------------------------------------------------- models as objectives


def test_model_objective_by_hand():
    X, y = np.array([[1.0], [2.0]]), np.array([1.0, 2.0])
    J = C.ModelObjective(LinearRegression(1), X, y)
    theta = np.array([[1.0, 0.0], [0.0, 0.0]])  # two parameter vectors [w, b]
    # θ = (1, 0) fits exactly; θ = (0, 0): J = ½·(½·1 + ½·4) = 1.25, ∇J = (½(−1 − 4), ½(−1 − 2))
    np.testing.assert_allclose(J(theta), [0.0, 1.25])
    np.testing.assert_allclose(J.grad(theta), [[0.0, 0.0], [-2.5, -1.5]])


# --------------------------------------------------------------------------- the bake-off


class Scripted:
    """A stub objective: gradient −1 everywhere, so GD with α = 1 visits θ = 0, 1, 2, ...; f is given."""

    def __init__(self, f):
        self.f = f

    def __call__(self, x):
        return self.f(x[..., 0])

    def grad(self, x):
        return -np.ones_like(x)


def test_kernels_cover_every_optimizer_and_batch_over_lr():
    makers = C.kernels()
    assert list(makers) == list(OPTIMIZERS)
    lrs = np.array([[0.1], [0.2]])
    hyper = makers["HypergradientSGD"](lrs)
    assert isinstance(hyper, HypergradientSGD) and hyper.param_ndim == 1
    assert hyper.init(np.zeros((2, 3))).lr.shape == (2, 1)  # one learned α per run


def test_bakeoff_steps_to_target_on_the_square_by_hand():
    # f = x², ∇f = 2x, GD: x_k = (1 − 2α)^k. α = 0.5 lands on 0 at step 1; α = 0.25: f = 0.25^k <= 1e-4
    # first at k = 7 (0.25^6 = 2.4e-4); α = 1.5: x_k = (−2)^k, never (f = 4^k passes 1e6·f(x0) at k = 10).
    from gdcourse import square

    problem = C.Problem("square", square, np.array([1.0]), 1e-4, 20)
    table = C.bakeoff([problem], [0.25, 0.5, 1.5], makers={"GD": GD})
    assert list(table.columns) == ["problem", "optimizer", "lr", "reached_at", "final_loss", "status"]
    np.testing.assert_array_equal(table["reached_at"], [7.0, 1.0, np.nan])
    assert table["status"].tolist() == ["max_steps", "max_steps", "diverged"]
    np.testing.assert_allclose(table["final_loss"][:2], [0.25**20, 0.0])


def test_bakeoff_passing_through_the_target_is_not_reaching_it():
    passing = Scripted(lambda x: (x - 3.0) ** 2)  # 9, 4, 1, 0, 1, 4: below 0.5 only at step 3
    landing = Scripted(lambda x: np.maximum(3.0 - x, 0.0) ** 2)  # 9, 4, 1, 0, 0, 0: from step 3 on
    problems = [C.Problem("passing", passing, np.zeros(1), 0.5, 5), C.Problem("landing", landing, np.zeros(1), 0.5, 5)]
    table = C.bakeoff(problems, [1.0], makers={"GD": GD})
    np.testing.assert_array_equal(table["reached_at"], [np.nan, 3.0])


@pytest.mark.parametrize("lrs, message",
                         [([], "got shape (0,)"), ([0.1, -1.0], "lrs must be in (0, inf), got -1.0 at index (1,)")])
def test_bakeoff_rejects_bad_lrs(lrs, message):
    with pytest.raises(ValueError) as err:
        C.bakeoff([], lrs, makers={"GD": GD})
    assert message in str(err.value)


def test_summarize_best_lr_range_and_decades():
    table = pd.DataFrame(
        {
            "problem": ["p"] * 4 + ["q"] * 3,
            "optimizer": ["A"] * 4 + ["B"] * 3,
            "lr": [0.001, 0.01, 0.1, 1.0, 0.01, 0.1, 1.0],
            "reached_at": [np.nan, 9.0, 5.0, 5.0, np.nan, np.nan, np.nan],
            "final_loss": [1.0, 0.1, 0.02, 0.01, 0.5, 0.001, 0.3],
            "status": ["max_steps"] * 5 + ["diverged", "max_steps"],
        }
    )
    out = C.summarize(table)
    assert list(out.index) == [("p", "A"), ("q", "B")]
    a, b = out.loc[("p", "A")], out.loc[("q", "B")]
    # A: the fewest steps is 5, at 0.1 and 1.0; the tie goes to the lower final loss (1.0); range 0.01 … 1
    assert (a["best_lr"], a["steps"], a["final_loss"]) == (1.0, 5.0, 0.01)
    assert (a["lr_low"], a["lr_high"], a["decades"]) == (0.01, 1.0, 2.0)
    # B never reaches: the lowest final loss of a run that did not diverge (0.3 at α = 1, not 0.001 at 0.1)
    assert (b["best_lr"], b["final_loss"]) == (1.0, 0.3)
    assert np.isnan(b["steps"]) and np.isnan(b["decades"])
