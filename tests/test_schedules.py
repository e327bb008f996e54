"""Schedules: values at chosen steps worked out by hand, vectorization, broadcasting, validation."""

import math
import re

import numpy as np
import pytest

from gdcourse.schedules import (
    SCHEDULES,
    BoldDriver,
    Constant,
    CosineAnnealing,
    CosineWarmRestarts,
    ExponentialDecay,
    GeometricDecay,
    InverseSqrtDecay,
    OneCycle,
    Staircase,
    StepDecay,
    TimeDecay,
    TimeDecayRecursive,
    Triangular,
    per_epoch,
)

HAND = [
    # (schedule, steps, expected values worked out from the formula)
    (Constant(0.3), [0, 7, 1000], [0.3, 0.3, 0.3]),
    # 0.5/(1 + 1·n)
    (TimeDecay(0.5, 1.0), [0, 1, 3], [0.5, 0.25, 0.125]),
    # 1.0 · 0.5^floor((1 + n)/10): the first drop at n = 9, the second at n = 19
    (StepDecay(1.0, 0.5, 10), [0, 8, 9, 18, 19], [1.0, 1.0, 0.5, 0.5, 0.25]),
    # 1.0 · 0.1^floor(n/10): drops at n = 10, 20
    (Staircase(1.0, 0.1, 10), [0, 9, 10, 19, 25], [1.0, 1.0, 0.1, 0.1, 0.01]),
    # 2 · e^(−ln2 · n) = 2 · 2^(−n)
    (ExponentialDecay(2.0, math.log(2)), [0, 1, 3], [2.0, 1.0, 0.25]),
    # 1 · 0.95^n
    (GeometricDecay(1.0, 0.95), [0, 1, 2], [1.0, 0.95, 0.9025]),
    # 0.3 · 2 / √(n + 1)
    (InverseSqrtDecay(0.3, 2.0), [0, 3, 8], [0.6, 0.3, 0.2]),
    # 0.2 + ½·0.8·(1 + cos(π n/6)): cos(π/3) = 0.5, cos(π/2) = 0, held at lr_min after n = 6
    (CosineAnnealing(1.0, 6, 0.2), [0, 2, 3, 6, 20], [1.0, 0.8, 0.6, 0.2, 0.2]),
    # rises 0.1 → 0.5 over 4 steps, falls back over 4, repeats
    (Triangular(0.1, 0.5, 4), [0, 2, 4, 6, 8, 12], [0.1, 0.3, 0.5, 0.3, 0.1, 0.5]),
    # SGDR with T_0 = 10, mult = 2: cycles [0, 10), [10, 30), [30, 70); halfway points 5, 20, 50
    (CosineWarmRestarts(1.0, 10, 2), [0, 5, 10, 20, 30, 50, 70], [1.0, 0.5, 1.0, 0.5, 1.0, 0.5, 1.0]),
    # mult = 1: restarts every 4 steps
    (CosineWarmRestarts(1.0, 4, 1, 0.2), [0, 2, 4, 6, 8], [1.0, 0.6, 1.0, 0.6, 1.0]),
    # total 22, pct 0.5 → peak p = 10; start 1/25 = 0.04, end 0.04/1e4 at n = 21; midpoints n = 5, 15.5
    (OneCycle(1.0, 22, 0.5), [0, 5, 10, 21, 30], [0.04, 0.52, 1.0, 4e-6, 4e-6]),
]


@pytest.mark.parametrize("schedule, steps, expected", HAND, ids=[type(h[0]).__name__ for h in HAND])
def test_values_by_hand(schedule, steps, expected):
    got = [schedule(n) for n in steps]
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


def test_recursive_time_decay_equals_the_recursion_step_by_step():
    schedule = TimeDecayRecursive(lr0=0.8, decay=0.3)
    eta, expected = 0.8, []
    for n in range(40):
        expected.append(eta)
        eta = eta / (1 + 0.3 * n)  # η(n+1) = η(n)/(1 + d·n)
    np.testing.assert_allclose(schedule(np.arange(40)), expected, rtol=1e-12)
    # first values by hand: 0.8, 0.8/1, 0.8/1.3, 0.8/(1.3·1.6)
    np.testing.assert_allclose(schedule(np.array([0, 1, 2, 3])), [0.8, 0.8, 0.8 / 1.3, 0.8 / 2.08])


def test_recursive_time_decay_broadcasts_array_decay_and_any_n_shape():
    decay = np.array([[0.0], [0.5], [1.0]])
    out = TimeDecayRecursive(1.0, decay)(np.array([0, 3, 1]))
    # d = 0.5: 1, 1/(1·1.5·2) = 1/3, 1; d = 1: 1/(1·2·3) = 1/6
    np.testing.assert_allclose(out, [[1, 1, 1], [1, 1 / 3, 1], [1, 1 / 6, 1]])
    assert TimeDecayRecursive(1.0, 0.5)(np.zeros((2, 0), dtype=int)).shape == (2, 0)


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_vectorized_call_equals_scalar_calls(name):
    schedule = SCHEDULES[name]()
    steps = np.arange(0, 168, 7)
    vector = schedule(steps)
    assert vector.shape == steps.shape
    np.testing.assert_allclose(vector, [schedule(int(n)) for n in steps], rtol=1e-12)
    np.testing.assert_allclose(schedule(steps.reshape(2, 3, 4)), vector.reshape(2, 3, 4), rtol=1e-12)


def test_scalar_step_gives_a_number():
    value = TimeDecay(0.5, 1.0)(np.int64(1))
    assert np.ndim(value) == 0 and float(value) == 0.25


BROADCAST = [
    (TimeDecay, dict(lr0=0.5), "decay", [0.1, 1.0, 3.0]),
    (TimeDecayRecursive, dict(lr0=0.5), "decay", [0.1, 1.0, 3.0]),
    (StepDecay, dict(lr0=1.0, drop=0.5), "every", [2, 3, 10]),
    (Staircase, dict(lr0=1.0, every=3), "factor", [0.1, 0.5, 1.0]),
    (ExponentialDecay, dict(lr0=1.0), "rate", [0.0, 0.1, 1.0]),
    (GeometricDecay, dict(lr0=1.0), "base", [0.5, 0.9, 0.99]),
    (InverseSqrtDecay, dict(lr0=1.0), "k", [0.5, 1.0, 2.0]),
    (CosineAnnealing, dict(lr_max=1.0), "total", [5, 10, 20]),
    (CosineWarmRestarts, dict(lr_max=1.0, period=3), "mult", [1.0, 2.0, 3.0]),
    (Triangular, dict(base_lr=0.1, max_lr=1.0), "step_size", [2, 3, 5]),
    (OneCycle, dict(max_lr=1.0, total=20), "pct_start", [0.25, 0.3, 0.5]),
]


@pytest.mark.parametrize("cls, fixed, name, values", BROADCAST, ids=[b[0].__name__ for b in BROADCAST])
def test_array_hyperparameters_give_k_schedules_in_one_call(cls, fixed, name, values):
    steps = np.arange(25)
    batched = cls(**fixed, **{name: np.array(values)[:, None]})(steps)
    assert batched.shape == (3, 25)
    for row, value in zip(batched, values):
        np.testing.assert_allclose(row, cls(**fixed, **{name: value})(steps), rtol=1e-12)


def test_schedule_shape_lr_per_run_against_one_step():
    # the kernel convention: lr of shape (K, 1) evaluated at an int step broadcasts against params (K, d)
    lr = TimeDecay(lr0=np.array([[0.1], [0.2]]), decay=1.0)(1)
    np.testing.assert_allclose(lr, [[0.05], [0.1]])


def test_sgdr_restarts_exactly_at_the_cumulative_periods():
    for period, mult in [(4, 1), (4, 3), (5, 2), (2, 2)]:
        schedule = CosineWarmRestarts(1.0, period, mult, lr_min=0.0)
        boundaries, length, start = [], period, 0
        while start + length <= 2000:  # T_0, T_0 + T_0·mult, ...
            start += length
            boundaries.append(start)
            length *= mult
        values = schedule(np.arange(2001))
        restarts = np.flatnonzero(np.diff(values) > 0) + 1
        np.testing.assert_array_equal(restarts, boundaries)
        np.testing.assert_allclose(values[boundaries], 1.0)


def test_one_cycle_peak_and_end_as_torch_defines_them():
    schedule = OneCycle(max_lr=0.5, total=1000)
    values = schedule(np.arange(1000))
    assert int(np.argmax(values)) == 299  # pct_start·total − 1
    assert values[299] == pytest.approx(0.5)
    assert values[0] == pytest.approx(0.5 / 25)
    assert values[-1] == pytest.approx(0.5 / (25 * 1e4))
    assert np.all(np.diff(values[:300]) > 0) and np.all(np.diff(values[299:]) < 0)


def test_per_epoch_holds_the_epoch_value_for_every_step_of_the_epoch():
    step_schedule = per_epoch(Staircase(1.0, 0.1, every=2), steps_per_epoch=10)
    # epochs 0, 1 → 1.0 (steps 0..19); epoch 2 → 0.1 (steps 20..29); epoch 4 → 0.01
    np.testing.assert_allclose(step_schedule(np.array([0, 9, 19, 20, 29, 40])), [1, 1, 1, 0.1, 0.1, 0.01])
    assert step_schedule(25) == pytest.approx(0.1)


def test_bold_driver_accepts_and_rejects_a_hand_made_loss_sequence():
    driver = BoldDriver(lr0=0.1)
    state = driver.init()
    # loss falls 1.0 → 0.9: accept, α = 0.1·1.05
    accept, state = driver.update(state, 1.0, 0.9)
    assert accept and state.lr == pytest.approx(0.105)
    # rises 0.9 → 0.93 (3.3 % < 4 %): accept, α unchanged
    accept, state = driver.update(state, 0.9, 0.93)
    assert accept and state.lr == pytest.approx(0.105)
    # rises 0.93 → 1.0 (7.5 % > 4 %): reject, α = 0.105·0.7
    accept, state = driver.update(state, 0.93, 1.0)
    assert not accept and state.lr == pytest.approx(0.0735)
    # non-finite loss after the step: reject
    accept, state = driver.update(state, 0.93, np.inf)
    assert not accept and state.lr == pytest.approx(0.0735 * 0.7)


def test_bold_driver_vectorized_over_runs_and_negative_losses():
    driver = BoldDriver(lr0=np.array([0.1, 0.2, 0.4, 1.0]))
    state = driver.init((4,))
    before = np.array([1.0, -16.0, -16.0, 2.0])
    after = np.array([0.5, -15.5, -15.0, np.nan])  # −16 → −15.5 rises 0.5 <= 0.04·16; −15 rises 1.0 > 0.64
    accept, state = driver.update(state, before, after)
    np.testing.assert_array_equal(accept, [True, True, False, False])
    np.testing.assert_allclose(state.lr, [0.105, 0.2, 0.28, 0.7])
    # a scalar α0 spread over runs
    np.testing.assert_allclose(BoldDriver(0.3).init((2, 1)).lr, [[0.3], [0.3]])


def test_schedule_objects_are_frozen():
    schedule = TimeDecay(0.5, 1.0)
    with pytest.raises(AttributeError):
        schedule.lr0 = 1.0


MESSAGES = [
    (lambda: Constant(0.0), "lr must be in (0, inf), got 0.0"),
    (lambda: TimeDecay(-0.1, 1.0), "lr0 must be in (0, inf), got -0.1"),
    (lambda: TimeDecay(0.1, -1.0), "decay must be in [0, inf), got -1.0"),
    (lambda: TimeDecayRecursive(0.1, np.array([0.5, -2.0])), "decay must be in [0, inf), got -2.0 at index (1,)"),
    (lambda: StepDecay(0.1, 1.5, 10), "drop must be in (0, 1], got 1.5"),
    (lambda: StepDecay(0.1, 0.5, 0), "every must be in (0, inf), got 0"),
    (lambda: Staircase(0.1, 0.0, 10), "factor must be in (0, 1], got 0.0"),
    (lambda: ExponentialDecay(0.1, -0.5), "rate must be in [0, inf), got -0.5"),
    (lambda: GeometricDecay(0.1, 1.2), "base must be in (0, 1], got 1.2"),
    (lambda: InverseSqrtDecay(0.1, 0.0), "k must be in (0, inf), got 0.0"),
    (lambda: CosineAnnealing(0.1, 0), "total must be in (0, inf), got 0"),
    (lambda: CosineAnnealing(0.1, 10, 0.5), "lr_max - lr_min must be in [0, inf), got -0.4"),
    (lambda: CosineWarmRestarts(0.1, 10, 0.5), "mult must be in [1, inf), got 0.5"),
    (lambda: CosineWarmRestarts(0.1, -3), "period must be in (0, inf), got -3"),
    (lambda: Triangular(0.5, 0.1, 4), "max_lr - base_lr must be in [0, inf), got -0.4"),
    (lambda: Triangular(0.1, 0.5, 0), "step_size must be in (0, inf), got 0"),
    (lambda: OneCycle(0.1, 100, pct_start=1.0), "pct_start must be in (0, 1), got 1.0"),
    (lambda: OneCycle(0.1, 3, pct_start=0.25), "pct_start * total must be in (1, inf), got 0.75"),
    (lambda: OneCycle(0.1, 100, div_factor=0), "div_factor must be in (0, inf), got 0"),
    (lambda: OneCycle(0.1, 100, final_div_factor=-1), "final_div_factor must be in (0, inf), got -1"),
    (lambda: per_epoch(Constant(0.1), 0), "steps_per_epoch must be an integer >= 1, got 0"),
    (lambda: per_epoch(0.1, 10), "schedule must be a schedule (a function of the epoch), got 0.1"),
    (lambda: BoldDriver(0.1, grow=0.9), "grow must be in [1, inf), got 0.9"),
    (lambda: BoldDriver(0.1, shrink=1.0), "shrink must be in (0, 1), got 1.0"),
    (lambda: BoldDriver(0.1, tolerance=-0.01), "tolerance must be in [0, inf), got -0.01"),
    (lambda: TimeDecay(0.1, 1.0)(-1), "n must be in [0, inf), got -1"),
    (lambda: TimeDecay(0.1, 1.0)(1.5), "n must be an integer or an array of integers >= 0, got 1.5"),
]


@pytest.mark.parametrize("make, message", MESSAGES, ids=[m[1].split(" must")[0] for m in MESSAGES])
def test_validation_messages(make, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        make()


def test_array_hyperparameters_are_private_read_only_copies():
    decay, lr0 = np.array([[0.5], [1.0]]), np.array([0.1, 0.2, 0.4])
    schedule, driver = TimeDecay(lr0=0.5, decay=decay), BoldDriver(lr0=lr0)
    decay[0, 0], lr0[0] = 100.0, 9.0  # the caller reuses its arrays
    np.testing.assert_allclose(schedule(1), [[0.5 / 1.5], [0.25]])
    np.testing.assert_allclose(driver.init((3,)).lr, [0.1, 0.2, 0.4])
    assert not schedule.decay.flags.writeable and not driver.lr0.flags.writeable
