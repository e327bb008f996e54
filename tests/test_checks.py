"""check(): the verdicts a student reads, the reference adapters (hand-worked values), the case generators
and the list of known mistakes."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from gdcourse.checks import EXERCISES, VISIBLE_SEED, CheckFailed, check
from gdcourse.grading.judge import expected, judge, run_here
from gdcourse.grading.trusted_functions import TrustedFunction
from gdcourse.mistakes import MISTAKES, for_exercise


def _ref(name: str):
    return EXERCISES[name].reference


# --------------------------------------------------------------------------- what a student reads


def test_a_pass_prints_one_line(capsys):
    check(_ref("adam_step"), "adam_step")
    n = len(EXERCISES["adam_step"].cases(np.random.default_rng(VISIBLE_SEED)))
    assert capsys.readouterr().out == f"✓ adam_step: {n}/{n} cases passed\n"


def test_a_stub_says_not_implemented_yet_once():
    def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        raise NotImplementedError("adam_step")

    with pytest.raises(CheckFailed) as failed:
        check(adam_step)
    assert str(failed.value) == "adam_step: not implemented yet"


def test_a_failure_names_the_case_the_element_got_expected_the_mistake_and_every_failed_case():
    def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad**2
        return params - lr * m / (np.sqrt(v) + eps), m, v

    with pytest.raises(CheckFailed) as failed:
        check(adam_step)
    message = str(failed.value)
    assert message.startswith("adam_step: 0/8 cases passed; case '")
    assert "`params[0]` is " in message and " where it should be " in message
    assert " — no bias correction: divide m by (1 − β1ᵗ) and v by (1 − β2ᵗ). The 8 failed cases: " in message
    for case in EXERCISES["adam_step"].cases(np.random.default_rng(VISIBLE_SEED)):
        assert f"'{case.name}'" in message


def test_diagnosing_runs_the_known_mistakes_without_showing_their_warnings():
    """A mistake that warns on a degenerate case (np.std of no rewards) must not print into the student's cell."""
    from dataclasses import replace

    exercise = EXERCISES["ars_update"]
    warns = replace(for_exercise("ars_update")[0], code=(
        "def ars_update(M, deltas, r_plus, r_minus, lr, top):\n"
        "    return M + lr * np.std(np.asarray(r_plus)[:top], axis=0)\n"))
    exercise = replace(exercise, mistakes=(warns,))
    cases = exercise.cases(np.random.default_rng(VISIBLE_SEED))
    outcomes = [run_here(lambda M, deltas, r_plus, r_minus, lr, top: M, c, exercise.arg_names) for c in cases]
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        judge(exercise, cases, outcomes)
    assert [str(w.message) for w in shown] == []


def test_changing_an_input_in_place_fails_even_with_the_right_values():
    def gd_step(theta, grad, lr=0.1):
        if np.any(np.asarray(lr) <= 0):
            raise ValueError("lr")
        theta -= lr * grad
        return theta

    with pytest.raises(CheckFailed, match=r"changed the input `theta` in place"):
        check(gd_step)


def test_an_object_that_equals_everything_is_not_an_array():
    class Anything:
        def __eq__(self, other):
            return True

    with pytest.raises(CheckFailed, match="is an object of type Anything, expected an array of shape"):
        check(lambda theta, grad, lr=0.1: Anything(), "gd_step")


def test_a_missing_validation_is_named():
    with pytest.raises(CheckFailed, match="must raise ValueError"):
        check(lambda theta, grad, lr=0.1: theta - lr * grad, "gd_step")


def test_an_unknown_exercise_is_a_value_error():
    with pytest.raises(ValueError, match="no exercise named 'gd_stpe'"):
        check(lambda: None, "gd_stpe")


def test_the_student_only_partly_done_is_not_called_not_implemented():
    def n_batches(m, batch_size, drop_last=False):
        if drop_last:
            raise NotImplementedError("drop_last")
        if not 1 <= batch_size <= m:
            raise ValueError("batch_size")
        return -(-m // batch_size)

    with pytest.raises(CheckFailed) as failed:
        check(n_batches)
    message = str(failed.value)
    assert "not implemented yet" not in message and "raised NotImplementedError: drop_last" in message


# --------------------------------------------------------------------------- the references, by hand


def test_adam_reference_uses_t_as_the_new_step_number():
    g = np.array([0.5, -2.0])
    p, m, v = _ref("adam_step")(np.ones(2), g, np.zeros(2), np.zeros(2), 1, 0.1)
    # t = 1 from the zero state: m̂ = g, v̂ = g², step α·g/(|g| + ε)
    np.testing.assert_allclose(p, [0.9, 1.1], rtol=1e-7)
    np.testing.assert_allclose(m, 0.1 * g) and np.testing.assert_allclose(v, 0.001 * g**2)
    # t = 2, β1 = β2 = 0.5: m = 0.25 + 1 = 1.25, v = 0.5 + 2 = 2.5, m̂ = 5/3, v̂ = 10/3
    p, m, v = _ref("adam_step")(np.array([1.0]), np.array([2.0]), np.array([0.5]), np.array([1.0]),
                                2, 0.1, 0.5, 0.5, 1e-12)
    np.testing.assert_allclose([p[0], m[0], v[0]], [1 - 0.1 * (5 / 3) / math.sqrt(10 / 3), 1.25, 2.5], rtol=1e-9)


def test_adam_run_reference_carries_the_state_and_counts_t_from_one():
    # from θ0 = 1 with ∇J = θ: t = 1 moves by α (m̂/√v̂ = 1); t = 2 by α·m̂₂/√v̂₂ with the carried m, v
    path = _ref("adam_run")(lambda th: th, np.array([1.0]), 2, 0.1, 0.5, 0.5, 1e-12)
    g2 = 0.9
    m2, v2 = 0.5 * 0.5 + 0.5 * g2, 0.5 * 0.5 + 0.5 * g2**2
    np.testing.assert_allclose(path[:, 0], [1.0, 0.9, 0.9 - 0.1 * (m2 / 0.75) / math.sqrt(v2 / 0.75)], rtol=1e-9)


def test_momentum_adagrad_rmsprop_references_by_hand():
    # V = 0.5·1 + 0.5·2 = 1.5, W = 1 − 0.5·1.5 = 0.25
    np.testing.assert_allclose(_ref("momentum_step")(np.array([1.0]), np.array([2.0]), np.array([1.0]), 0.5, 0.5),
                               ([0.25], [1.5]))
    # G = 16 + 9 = 25, θ = 1 − 0.5·3/5 = 0.7
    np.testing.assert_allclose(_ref("adagrad_step")(np.array([1.0]), np.array([3.0]), np.array([16.0]), 0.5, 1e-12),
                               ([0.7], [25.0]), rtol=1e-9)
    # s = 0.5·2 + 0.5·4 = 3, θ = 1 − 0.1·2/√3
    np.testing.assert_allclose(_ref("rmsprop_step")(np.array([1.0]), np.array([2.0]), np.array([2.0]), 0.1, 0.5, 1e-12),
                               ([1 - 0.2 / math.sqrt(3)], [3.0]), rtol=1e-9)
    # Nesterov: v = 0.5·1 + 2 = 2.5, θ = 1 − 0.1·(2 + 0.5·2.5) = 0.675
    np.testing.assert_allclose(_ref("nesterov_step")(np.array([1.0]), np.array([2.0]), np.array([1.0]), 0.1, 0.5),
                               ([0.675], [2.5]))
    # Adadelta from zero, ρ = 0.5, ε = 1: E[g²] = 2, Δθ = −√1/√3·2, E[Δθ²] = 0.5·4/3
    p, Eg2, Edx2 = _ref("adadelta_step")(np.array([0.0]), np.array([2.0]), np.zeros(1), np.zeros(1), 0.5, 1.0)
    np.testing.assert_allclose([p[0], Eg2[0], Edx2[0]], [-2 / math.sqrt(3), 2.0, 2 / 3], rtol=1e-12)
    # EWMA of (2, 2, 5) at β = 0.5: v = 1, 1.5, 3.25; corrected 2, 2, 3.25/0.875
    np.testing.assert_allclose(_ref("ewma")(np.array([2.0, 2.0, 5.0]), 0.5), [2.0, 2.0, 3.25 / 0.875])
    assert _ref("momentum_to_pytorch")(0.01, 0.9) == pytest.approx((0.001, 0.9))
    assert _ref("momentum_to_pytorch")(0.001, 0.9, True) == pytest.approx((0.01, 0.9))


def test_regression_references_by_hand():
    X, y, theta = np.array([[1.0], [2.0]]), np.array([1.0, 1.0]), np.array([1.0, 0.0])
    # ŷ = [1, 2], residuals [0, 1]: J = (0 + ½)/2, ∇J = [(0·1 + 1·2)/2, (0 + 1)/2]
    assert _ref("mse_loss")(theta, X, y) == pytest.approx(0.25)
    np.testing.assert_allclose(_ref("mse_grad")(theta, X, y), [1.0, 0.5])
    np.testing.assert_allclose(_ref("minibatch_grad")(theta, X, y, np.array([1])), [2.0, 1.0])
    np.testing.assert_allclose(_ref("gd_step")(np.array([1.0, 2.0]), np.array([1.0, -1.0]), 0.5), [0.5, 2.5])


def test_minibatch_references_by_hand():
    assert (_ref("n_batches")(10, 3), _ref("n_batches")(10, 3, True), _ref("n_batches")(9, 3)) == (4, 3, 3)
    batches = _ref("epoch_batches")(10, 3, 2, 5)
    assert [len(b) for b in batches] == [3, 3, 3, 1]
    assert sorted(np.concatenate(batches).tolist()) == list(range(10))
    np.testing.assert_array_equal(np.concatenate(batches), np.random.default_rng((5, 2)).permutation(10))
    assert [len(b) for b in _ref("epoch_batches")(10, 3, drop_last=True)] == [3, 3, 3]


def test_learning_rate_references_by_hand():
    A = np.diag([1.0, 4.0])
    assert _ref("max_stable_lr")(A) == pytest.approx(0.5)
    assert _ref("gd_rate")(0.25, A) == pytest.approx(0.75)  # max(|1 − 0.25|, |1 − 1|)
    np.testing.assert_allclose(_ref("gd_rate")(np.array([0.25, 0.6]), A), [0.75, 1.4])
    np.testing.assert_allclose(_ref("optimal_lr")(A), (0.4, 0.6))  # 2/(1 + 4), (4 − 1)/(4 + 1)


def test_schedule_references_by_hand():
    np.testing.assert_allclose(_ref("time_decay")(0.5, 1.0, np.array([0, 1, 3])), [0.5, 0.25, 0.125])
    np.testing.assert_allclose(_ref("step_lr")(1.0, 0.5, 10, np.array([0, 9, 10, 19, 20])), [1, 1, 0.5, 0.5, 0.25])


def test_train_sgd_reference_by_hand():
    # one feature, m = 2 rows, batch_size 1, 1 epoch: order (0, 1) or (1, 0) from default_rng((seed, 0));
    # update t = 0 at α0, t = 1 at α0·γ (step_size 1)
    X, y = np.array([[1.0], [2.0]]), np.array([1.0, 0.0])
    order = np.random.default_rng((7, 0)).permutation(2)
    theta = np.zeros(2)
    for t, i in enumerate(order):
        r = theta[0] * X[i, 0] + theta[1] - y[i]
        theta = theta - 0.5 * 0.1**t * np.array([r * X[i, 0], r])
    out = _ref("train_sgd")(np.zeros(2), X, y, 1, 1, 0.5, 0.1, 1, 7)
    np.testing.assert_allclose(out, [[0.0, 0.0], theta])


def test_descent_loop_references_by_hand():
    # f = θ², f′ = 2θ, α = 0.25: θ halves each step; tol 0.3 stops after the move 0.5 → 0.25 (0.25 < 0.3)
    path = _ref("gradient_descent")(lambda th: 2 * th, 2.0, 0.25, 10, 0.3)
    np.testing.assert_allclose(path, [2.0, 1.0, 0.5, 0.25])
    assert _ref("first_within")(path, 0.0, 0.5) == 2 and _ref("first_within")(path, 0.0, 0.1) == -1
    # logistic at θ = 0: a = ½, ∇J = [mean x(½ − y), mean(½ − y)]
    X, y = np.array([[1.0], [3.0]]), np.array([1.0, 0.0])
    np.testing.assert_allclose(_ref("logistic_grad")(np.zeros(2), X, y), [(-0.5 + 1.5) / 2, 0.0])


def test_range_test_central_difference_and_welford_references_by_hand():
    J, dJ = (lambda th: 0.5 * np.sum(th**2, axis=-1)), (lambda th: th)
    # θ ← (1 − α)θ: decreases for α < 2, equal at 2, grows beyond; the largest decreasing rate of the grid is 1.5
    assert _ref("lr_range_test")(J, dJ, np.array([1.0]), np.array([0.5, 1.5, 2.0, 3.0]), 3) == 1.5
    assert _ref("lr_range_test")(J, dJ, np.array([1.0]), np.array([2.0, 3.0]), 3) == 0.0
    cube = _ref("central_difference")(lambda th: np.sum(th**3, axis=-1), np.array([1.0, 2.0]), 0.1)
    np.testing.assert_allclose(cube, [3.01, 12.01])  # central difference of θ³: 3θ² + h²
    n, mean, m2 = _ref("welford_update")(2, np.array([1.0]), np.array([2.0]), np.array([4.0]))
    # states 0, 2, then 4: mean 2, Σ(x − 2)² = 4 + 0 + 4 = 8
    assert n == 3 and mean[0] == pytest.approx(2.0) and m2[0] == pytest.approx(8.0)


def test_search_references_by_hand():
    # BRS: 0 + 1/2·((1 − 0)·1 + (0 − 1)·(−1)) = 1
    brs = _ref("brs_update")(np.zeros(1), np.array([[1.0], [-1.0]]), np.array([1.0, 0.0]), np.array([0.0, 1.0]), 1.0)
    assert brs[0] == 1.0
    # ARS, top 1: direction 0 (max reward 3), σ_R = std(3, 1) = 1, so 0 + 0.5/(1·1)·(3 − 1)·1 = 1
    out = _ref("ars_update")(np.zeros(1), np.array([[1.0], [2.0]]), np.array([3.0, 0.0]), np.array([1.0, 0.0]), 0.5, 1)
    assert out[0] == pytest.approx(1.0)


# --------------------------------------------------------------------------- the case generators


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_cases_are_seeded_and_another_seed_draws_other_inputs(name):
    ex = EXERCISES[name]

    def inputs(seed):
        return [repr([np.asarray(a).tolist() for a in c.args]) for c in ex.cases(np.random.default_rng(seed))]

    assert inputs(3) == inputs(3)
    assert [c.name for c in ex.cases(np.random.default_rng(3))] != [] and inputs(3) != inputs(4)


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_reference_raises_value_error_exactly_on_the_cases_that_say_so_and_never_mutates(name):
    ex = EXERCISES[name]
    for seed in (VISIBLE_SEED, 11):
        for case in ex.cases(np.random.default_rng(seed)):
            outcome = expected(ex, case)
            assert outcome.kind in ("value", "exception") and not outcome.mutated
            raises = outcome.kind == "exception"
            assert raises == ("must raise ValueError" in case.name), (case.name, outcome)
            assert not raises or outcome.error == "ValueError"


BATCHED = set(EXERCISES) - {"n_batches", "epoch_batches", "max_stable_lr", "optimal_lr", "gradient_descent",
                            "first_within", "lr_range_test", "train_sgd", "central_difference", "welford_update",
                            "choose_config"}


@pytest.mark.parametrize("name", sorted(BATCHED))
def test_cases_include_a_batch_of_runs_and_a_non_default_hyper_parameter(name):
    names = [c.name for c in EXERCISES[name].cases(np.random.default_rng(VISIBLE_SEED))]
    assert any(n.startswith(("K = ", "S = ", "one lr on K")) for n in names), names


@pytest.mark.parametrize("name", sorted(set(EXERCISES) - BATCHED))
def test_the_unbatched_exercises_still_vary_their_inputs(name):
    """Loops and one-run functions: several shapes or hyper-parameters, and a bad argument."""
    cases = EXERCISES[name].cases(np.random.default_rng(VISIBLE_SEED))
    assert len(cases) >= 4 and any("must raise ValueError" in c.name for c in cases)


def test_every_case_passes_through_the_json_codec_unchanged():
    """A student's function receives what the case holds: every argument survives the codec's round trip, a
    trusted function as the same kind and parameters. (It cannot travel back as a result: the grader's
    schema refuses a function where a value belongs, so the echo returns its kind and parameters.)"""

    def echo(*args):
        return [[a.kind, *a.params.values()] if isinstance(a, TrustedFunction) else a for a in args]

    for ex in EXERCISES.values():
        for case in ex.cases(np.random.default_rng(VISIBLE_SEED)):
            got = run_here(echo, case, ex.arg_names)
            assert got.kind == "value", (ex.name, case.name, got.message)
            np.testing.assert_equal(got.value, echo(*case.args), err_msg=f"{ex.name}: {case.name}")


# --------------------------------------------------------------------------- the known mistakes


def test_every_exercise_has_known_mistakes_and_every_mistake_an_exercise():
    assert len(MISTAKES) >= 30
    assert {m.exercise for m in MISTAKES} == set(EXERCISES)
    for name in EXERCISES:
        names = [m.name for m in for_exercise(name)]
        assert names and len(names) == len(set(names)), name


def test_every_mistake_is_a_function_definition_of_its_exercise():
    for m in MISTAKES:
        namespace = {"np": np}
        exec(m.code, namespace)
        assert callable(namespace[m.exercise]) and m.diagnosis and "gdcourse" not in m.code


# --------------------------------------------------------------------------- diagnosing what is not on the list


def _unknown(name: str, code: str) -> str:
    """The verdict on ``code`` with the exercise's known mistakes removed: only the generic diagnoses can speak."""
    from dataclasses import replace

    namespace = {"np": np}
    exec(code, namespace)
    exercise = replace(EXERCISES[name], mistakes=())
    cases = exercise.cases(np.random.default_rng(VISIBLE_SEED))
    verdict = judge(exercise, cases, [run_here(namespace[name], c, exercise.arg_names) for c in cases])
    assert verdict.failures
    return verdict.summary()


VALIDATE_MOMENTUM = """
def momentum_step(params, grad, v, lr=0.01, beta=0.9):
    if np.any(np.asarray(lr) <= 0) or np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
        raise ValueError("lr > 0, beta in [0, 1)")
"""
VALIDATE_ADAM = """
def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta1) < 0)
            | (np.asarray(beta1) >= 1)) or np.any((np.asarray(beta2) < 0) | (np.asarray(beta2) >= 1)):
        raise ValueError("bad hyper-parameter")
"""


def test_the_sign_of_an_update_is_diagnosed():
    message = _unknown("momentum_step", VALIDATE_MOMENTUM + """
    v = beta * v + (1 - beta) * grad
    return params + lr * v, v
""")
    assert "your step of `params` goes the wrong way: it is minus the expected change of `params`" in message


def test_the_sign_of_the_whole_result_is_diagnosed():
    message = _unknown("mse_loss", """
def mse_loss(theta, X, y):
    return -np.mean(0.5 * (theta[..., :-1] @ X.T + theta[..., -1:] - y) ** 2, axis=-1)
""")
    assert "your result is minus the expected one: check the sign" in message


def test_the_sign_of_one_output_is_diagnosed():
    message = _unknown("momentum_step", VALIDATE_MOMENTUM + """
    v = beta * v + (1 - beta) * grad
    return params - lr * v, -v
""")
    assert "`v` has the wrong sign, the other outputs are right" in message


def test_the_sign_of_one_entry_is_diagnosed():
    message = _unknown("mse_grad", """
def mse_grad(theta, X, y):
    r = theta[..., :-1] @ X.T + theta[..., -1:] - y
    return np.concatenate([r @ X / len(y), -r.sum(axis=-1, keepdims=True) / len(y)], axis=-1)
""")
    assert "the last entry of `grad` (grad[..., -1]) has the wrong sign, the others are right" in message


def test_a_factor_equal_to_a_bias_correction_is_named():
    message = _unknown("adam_step", VALIDATE_ADAM + """
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    return params - lr * m / (np.sqrt(v / (1 - beta2**t)) + eps), m, v
""")
    assert "your change of `params` is (1 − β1ᵗ) × the expected one" in message and "too many" in message


def test_a_factor_equal_to_the_learning_rate_is_named():
    message = _unknown("gd_step", """
def gd_step(theta, grad, lr=0.1):
    if np.any(np.asarray(lr) <= 0):
        raise ValueError("lr")
    return theta - lr * lr * grad
""")
    assert "your change of `theta` is α × the expected one" in message and "a factor α too many" in message


def test_a_factor_m_over_batch_size_is_named():
    message = _unknown("minibatch_grad", """
def minibatch_grad(theta, X, y, index):
    r = theta[..., :-1] @ X[index].T + theta[..., -1:] - y[index]
    return np.concatenate([r @ X[index], r.sum(axis=-1, keepdims=True)], axis=-1) / len(y)
""")
    assert "`grad` is the expected one divided by m/|B| (examples over batch size)" in message


def test_an_unnamed_constant_factor_is_given_as_a_number():
    message = _unknown("mse_loss", """
def mse_loss(theta, X, y):
    return np.mean(0.3 * (theta[..., :-1] @ X.T + theta[..., -1:] - y) ** 2, axis=-1)
""")
    assert "on this case `J` is 0.6 × the expected one in every element: a constant factor is wrong" in message


def test_a_step_counter_off_by_one_is_diagnosed():
    message = _unknown("adam_step", VALIDATE_ADAM + """
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    m_hat, v_hat = m / (1 - beta1 ** (t + 1)), v / (1 - beta2 ** (t + 1))
    return params - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
""")
    assert "your result is the expected one for t = 2 instead of t = 1: the counter `t` is off by one (one too high)" \
        in message


def test_eps_inside_the_root_is_diagnosed():
    message = _unknown("rmsprop_step", """
def rmsprop_step(params, grad, s, lr=0.01, beta=0.9, eps=1e-8):
    if np.any(np.asarray(lr) <= 0) or np.any(np.asarray(eps) <= 0) or np.any((np.asarray(beta) < 0)
            | (np.asarray(beta) >= 1)):
        raise ValueError("bad hyper-parameter")
    s = beta * s + (1 - beta) * grad**2
    return params - lr * grad / np.sqrt(s + eps), s
""")
    assert "ε sits inside the square root, √(x + ε); the lecture's update adds it outside, √x + ε" in message


def test_an_ignored_hyper_parameter_is_diagnosed():
    message = _unknown("gd_step", """
def gd_step(theta, grad, lr=0.1):
    if np.any(np.asarray(lr) <= 0):
        raise ValueError("lr")
    return theta - 0.1 * grad
""")
    assert "your result is what its default α = 0.1 gives, whatever `lr` is passed" in message
    assert "is `lr` ignored somewhere?" in message


def test_two_swapped_hyper_parameters_are_diagnosed():
    message = _unknown("adam_step", VALIDATE_ADAM + """
    m = beta2 * m + (1 - beta2) * grad
    v = beta1 * v + (1 - beta1) * grad**2
    m_hat, v_hat = m / (1 - beta2**t), v / (1 - beta1**t)
    return params - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
""")
    assert "your result is the expected one with `beta1` and `beta2` exchanged: are β1 and β2 swapped?" in message


def test_a_float32_result_is_diagnosed():
    message = _unknown("momentum_step", VALIDATE_MOMENTUM + """
    v = beta * v + (1 - beta) * grad
    return (params - lr * v).astype(np.float32), v
""")
    assert "has dtype float32" in message
    assert "your result is float32 (the values are right to about 7 digits)" in message


def test_failing_only_with_several_runs_is_diagnosed():
    message = _unknown("mse_grad", """
def mse_grad(theta, X, y):
    r = theta[:-1] @ X.T + theta[-1] - y
    return np.concatenate([r @ X / len(y), [r.sum() / len(y)]])
""")
    assert "only the cases with several runs at once fail" in message
    assert "The 2 failed cases: 'K = 3 runs at once: theta (3, 5)'; 'two leading axes: theta (2, 3, 5)'" in message


def test_a_transformation_that_a_passed_case_contradicts_is_not_named():
    """A momentum undamped only from rest (v = 0) passes 'v ≠ 0': neither 'undamped' nor '1/(1 − β)' is said."""
    code = VALIDATE_MOMENTUM + """
    v = grad if not np.any(v) else beta * v + (1 - beta) * grad
    return params - lr * v, v
"""
    namespace = {"np": np}
    exec(code, namespace)
    with pytest.raises(CheckFailed) as failed:
        check(namespace["momentum_step"])
    message = str(failed.value)
    assert message.startswith("momentum_step: 6/7 cases passed; case 'from rest (v = 0), default lr and beta'")
    assert " — " not in message and "undamped" not in message
    assert " — " not in _unknown("momentum_step", code)


def test_a_transformation_that_fits_only_a_minority_of_the_failed_cases_is_not_named():
    """Stepping by the raw gradient (v ignored) equals 'a factor (1 − β) missing' only from rest: 1 of 3 cases."""
    message = _unknown("momentum_step", VALIDATE_MOMENTUM + """
    v = beta * v + (1 - beta) * grad
    return params - lr * grad, v
""")
    assert message.startswith("momentum_step: 4/7 cases passed") and " — " not in message


def test_a_named_factor_gamma_is_found_for_a_schedule():
    message = _unknown("step_lr", """
def step_lr(lr0, gamma, step_size, n):
    if np.any(np.asarray(n) < 0) or np.any(np.asarray(lr0) <= 0) or np.any(np.asarray(step_size) <= 0) \\
            or np.any((np.asarray(gamma) <= 0) | (np.asarray(gamma) > 1)):
        raise ValueError("bad hyper-parameter")
    return lr0 * gamma ** (np.asarray(n) // step_size + 1)
""")
    assert "`lr` is γ × the expected one (γ = " in message and "a factor γ too many" in message


def test_the_failed_case_shown_is_one_whose_name_says_what_it_tests():
    message = _unknown("momentum_step", VALIDATE_MOMENTUM + """
    if not np.any(v) or np.all(np.asarray(beta) == 0):
        return params, v
    v = beta * v + (1 - beta) * grad
    return params - lr * v, v
""")
    assert message.startswith("momentum_step: 5/7 cases passed; case 'beta = 0 is plain gradient descent'")
    assert ("The 2 failed cases: 'from rest (v = 0), default lr and beta'; 'beta = 0 is plain gradient descent'"
            in message)


def test_an_error_in_the_students_code_shows_the_line_of_their_cell(tmp_path):
    cell = tmp_path / "cell.py"
    cell.write_text("def gd_step(theta, grad, lr=0.1):\n    step = lr * grad\n    return theta - step[7]\n")
    namespace = {"np": np}
    exec(compile(cell.read_text(), str(cell), "exec"), namespace)
    with pytest.raises(CheckFailed) as failed:
        check(namespace["gd_step"])
    assert "raised IndexError: index 7 is out of bounds for axis 0 with size 4 (line 3 of your cell: " \
           "`return theta - step[7]`)" in str(failed.value)


def test_jupyter_shows_the_verdict_without_a_traceback():
    with pytest.raises(CheckFailed) as failed:
        check(lambda theta, grad, lr=0.1: theta, "gd_step")
    assert failed.value._render_traceback_() == [f"CheckFailed: {failed.value}"]


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_the_known_mistakes_of_an_exercise_are_told_apart_by_its_visible_cases(name):
    """Two known mistakes that return the same on every case would make one of the diagnoses unreachable."""
    from itertools import combinations

    from gdcourse.grading.judge import _same, mistake_function

    ex = EXERCISES[name]
    cases = ex.cases(np.random.default_rng(VISIBLE_SEED))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runs = {m.name: [run_here(mistake_function(m), c, ex.arg_names) for c in cases] for m in ex.mistakes}
    for a, b in combinations(runs, 2):
        assert not all(_same(ex, x, y) for x, y in zip(runs[a], runs[b])), (a, b)


# --------------------------------------------------------------------------- the capstone, judged on a hidden split


def test_the_capstone_is_judged_by_the_hidden_loss_of_the_chosen_configuration():
    from gdcourse.exercises import ex10_capstone as capstone

    ex = EXERCISES["choose_config"]
    case = ex.cases(np.random.default_rng(VISIBLE_SEED))[0]
    want = expected(ex, case).value
    lrs = case.args[4]
    assert capstone.accept(case, want, want) is None
    # another configuration within the threshold passes too: graded by what it achieves, not by matching
    losses = {(name, float(lr)): capstone.hidden_loss(case, name, lr) for name in ("gd", "adam") for lr in lrs}
    best = capstone.hidden_loss(case, *want)
    threshold = best + 0.02 + 0.05 * best
    others = [c for c, J in losses.items() if c != want and J <= threshold]
    worse = [c for c, J in losses.items() if J > threshold]
    assert others and worse
    assert capstone.accept(case, want, others[0]) is None
    assert "above the threshold" in capstone.accept(case, want, worse[0])
    assert capstone.accept(case, want, ("sgd", float(lrs[0]))) == "the optimizer must be 'gd' or 'adam', got 'sgd'"
    assert capstone.accept(case, want, ("adam", 0.0123)) == "lr must be one of the grid `lrs`, got 0.0123"
    assert capstone.accept(case, want, 0.01) == "return a pair (optimizer, lr) such as ('adam', 0.01)"


def test_the_hidden_split_never_reaches_the_students_function():
    ex = EXERCISES["choose_config"]
    for case in ex.cases(np.random.default_rng(VISIBLE_SEED)):
        hidden = case.hidden
        assert hidden is None or not any(np.shares_memory(h, a) or (np.shape(h) == np.shape(a) and np.array_equal(h, a))
                                         for h in hidden for a in case.args if isinstance(a, np.ndarray))


def test_the_diagnosis_is_worded_with_the_values_of_the_case_it_shows():
    """Off by one in `steps`: the sentence names the steps of the shown case, not those of another case."""
    message = _unknown("gradient_descent", """
def gradient_descent(grad, theta0, lr, steps, tol=0.0):
    if lr <= 0 or steps < 0 or tol < 0:
        raise ValueError("bad argument")
    out = [np.asarray(theta0, dtype=float)]
    for _ in range(steps + 1):
        out.append(out[-1] - lr * grad(out[-1]))
        if np.max(np.abs(out[-1] - out[-2])) < tol:
            break
    return np.array(out)
""")
    shown = message.split("; case '", 1)[1].split("': ", 1)[0]
    case = next(c for c in EXERCISES["gradient_descent"].cases(np.random.default_rng(VISIBLE_SEED)) if c.name == shown)
    steps = case.args[3]
    assert f"for steps = {steps + 1} instead of steps = {steps}: the counter `steps` is off by one" in message
