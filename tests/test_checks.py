"""check(): the verdicts a student reads, the reference adapters (hand-worked values), the case generators
and the list of known mistakes."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from gdcourse.checks import EXERCISES, VISIBLE_SEED, CheckFailed, check
from gdcourse.grading.judge import expected, run_here
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


def test_a_failure_names_the_case_the_element_got_expected_and_the_mistake():
    def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad**2
        return params - lr * m / (np.sqrt(v) + eps), m, v

    with pytest.raises(CheckFailed) as failed:
        check(adam_step)
    message = str(failed.value)
    assert message.startswith("adam_step: ") and "cases passed; case 'first step from zero state (t = 1)" in message
    assert "`params[0]` is " in message and " where it should be " in message
    assert message.endswith(" — no bias correction: divide m by (1 − β1ᵗ) and v by (1 − β2ᵗ)")


def test_diagnosing_runs_the_known_mistakes_without_showing_their_warnings(monkeypatch):
    """A mistake that warns on a degenerate case (np.std of no rewards) must not print into the student's cell."""
    from dataclasses import replace

    from gdcourse.grading import judge

    exercise = EXERCISES["ars_update"]
    case = next(c for c in exercise.cases(np.random.default_rng(VISIBLE_SEED)) if "top = 0" in c.name)
    warns = replace(for_exercise("ars_update")[0], code=(
        "def ars_update(M, deltas, r_plus, r_minus, lr, top):\n"
        "    return M + lr * np.std(np.asarray(r_plus)[:top], axis=0)\n"))
    monkeypatch.setattr(judge._mistakes, "for_exercise", lambda name: [warns])
    got = run_here(lambda M, deltas, r_plus, r_minus, lr, top: M, case, exercise.arg_names)
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        judge.diagnose(exercise, case, expected(exercise, case), got)
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
    assert "not implemented yet" not in str(failed.value) and "raised NotImplementedError: drop_last" in str(failed.value)


# --------------------------------------------------------------------------- the references, by hand


def test_adam_reference_uses_t_as_the_new_step_number():
    g = np.array([0.5, -2.0])
    p, m, v = _ref("adam_step")(np.ones(2), g, np.zeros(2), np.zeros(2), 1, 0.1)
    # t = 1 from the zero state: m̂ = g, v̂ = g², step α·g/(|g| + ε)
    np.testing.assert_allclose(p, [0.9, 1.1], rtol=1e-7)
    np.testing.assert_allclose(m, 0.1 * g) and np.testing.assert_allclose(v, 0.001 * g**2)
    # t = 2, β1 = β2 = 0.5: m = 0.25 + 1 = 1.25, v = 0.5 + 2 = 2.5, m̂ = 5/3, v̂ = 10/3
    p, m, v = _ref("adam_step")(np.array([1.0]), np.array([2.0]), np.array([0.5]), np.array([1.0]), 2, 0.1, 0.5, 0.5, 1e-12)
    np.testing.assert_allclose([p[0], m[0], v[0]], [1 - 0.1 * (5 / 3) / math.sqrt(10 / 3), 1.25, 2.5], rtol=1e-9)


def test_adamw_reference_decays_the_weights_outside_the_gradient():
    # t = 1 from zero: m̂/(√v̂ + ε) ≈ 1, decay λθ = 0.5·2 = 1, so θ = 2 − 0.1·2 = 1.8
    p, m, v = _ref("adamw_step")(np.array([2.0]), np.array([1.0]), np.zeros(1), np.zeros(1), 1, 0.1, 0.9, 0.999, 1e-12, 0.5)
    np.testing.assert_allclose(p, [1.8], rtol=1e-9)
    np.testing.assert_allclose([m[0], v[0]], [0.1, 0.001], rtol=1e-12)


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
    assert _ref("momentum_init")(np.arange(3)).dtype == np.float64


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
    np.testing.assert_allclose(_ref("step_decay")(1.0, 0.5, 10, np.array([0, 8, 9, 19])), [1, 1, 0.5, 0.25])
    np.testing.assert_allclose(_ref("exponential_decay")(2.0, math.log(2), np.array([0, 1, 3])), [2, 1, 0.25])


def test_search_references_by_hand():
    # BRS: 0 + 1/2·((1 − 0)·1 + (0 − 1)·(−1)) = 1
    assert _ref("brs_update")(np.zeros(1), np.array([[1.0], [-1.0]]), np.array([1.0, 0.0]), np.array([0.0, 1.0]), 1.0)[0] == 1.0
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


BATCHED = set(EXERCISES) - {"n_batches", "epoch_batches", "max_stable_lr", "optimal_lr"}


@pytest.mark.parametrize("name", sorted(BATCHED))
def test_cases_include_a_batch_of_runs_and_a_non_default_hyper_parameter(name):
    names = [c.name for c in EXERCISES[name].cases(np.random.default_rng(VISIBLE_SEED))]
    assert any(n.startswith(("K = ", "S = ", "one lr on K")) for n in names), names


def test_every_case_passes_through_the_json_codec_unchanged():
    for ex in EXERCISES.values():
        for case in ex.cases(np.random.default_rng(VISIBLE_SEED)):
            assert run_here(lambda *args: args, case, ex.arg_names).kind == "value"


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
