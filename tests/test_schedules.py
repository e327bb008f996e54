"""Schedules: values at chosen steps worked out by hand, vectorization, broadcasting, validation,
the framework table, edge cases (zero, huge or small-dtype step numbers) and, when torch is importable,
torch.optim.lr_scheduler's own numbers."""

import math
import re
import tracemalloc
import warnings

import numpy as np
import pytest

from gdcourse.schedules import (
    FRAMEWORK_NAMES,
    SCHEDULES,
    BoldDriver,
    Constant,
    CosineAnnealing,
    CosineWarmRestarts,
    ExponentialDecay,
    GeometricDecay,
    InverseSqrtDecay,
    LinearWarmup,
    MultiStep,
    OneCycle,
    PolynomialDecay,
    ReduceOnPlateau,
    Staircase,
    StepDecay,
    TimeDecay,
    TimeDecayRecursive,
    Triangular,
    _log_divisor,
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
    # three phases, total 44, pct 0.25: 0.04 → 1 over 0..10, 1 → 0.04 over 10..20, 0.04 → 4e-6 over 20..43
    (OneCycle(1.0, 44, 0.25, three_phase=True), [0, 5, 10, 15, 20, 43, 50], [0.04, 0.52, 1, 0.52, 0.04, 4e-6, 4e-6]),
    # linear, total 12, pct 0.5, η_0 = η_end = 0.1: 0.1 → 1 over 0..5 (+0.18 a step), 1 → 0.1 over 5..11 (−0.15)
    (OneCycle(1.0, 12, 0.5, 10.0, 1.0, anneal="linear"), [0, 1, 5, 8, 11], [0.1, 0.28, 1.0, 0.55, 0.1]),
    # 0.3 · 2 / √(1 + 0.5·n)
    (InverseSqrtDecay(0.3, 2.0, decay=0.5), [0, 6, 16], [0.6, 0.3, 0.2]),
    # periodic (torch): back up after T = 6, η_max again at 2T
    (CosineAnnealing(1.0, 6, 0.2, periodic=True), [0, 3, 6, 9, 12], [1.0, 0.6, 0.2, 0.6, 1.0]),
    # up 2 steps (+0.2 each), down 4 (−0.1 each): period 6
    (Triangular(0.1, 0.5, 2, step_size_down=4), [0, 1, 2, 3, 5, 6, 8], [0.1, 0.3, 0.5, 0.4, 0.2, 0.1, 0.5]),
    # triangular2: peak 0.5, then 0.1 + 0.4/2 = 0.3 at n = 6, 0.1 + 0.4/4 = 0.2 at n = 10; n = 5: 0.1 + 0.4·½·½
    (Triangular(0.1, 0.5, 2, mode="triangular2"), [0, 2, 5, 6, 10], [0.1, 0.5, 0.2, 0.3, 0.2]),
    # exp_range, γ = 0.5: height h·γⁿ = ½·½, 1·¼, ½·⅛
    (Triangular(0.1, 0.5, 2, mode="exp_range", gamma=0.5), [0, 1, 2, 3], [0.1, 0.2, 0.2, 0.125]),
    # 1.0 · 0.5^(number of milestones 2, 5 that are <= n)
    (MultiStep(1.0, (2, 5), 0.5), [0, 1, 2, 4, 5, 9], [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]),
    # 0.6 · (0.25 + 0.75·min(n, 4)/4)
    (LinearWarmup(0.6, 0.25, 1.0, 4), [0, 2, 4, 9], [0.15, 0.375, 0.6, 0.6]),
    # (1 − min(n, 4)/4)²: reaches 0 at n = 4 and stays
    (PolynomialDecay(1.0, 4, 2.0), [0, 1, 2, 4, 6], [1.0, 0.5625, 0.25, 0.0, 0.0]),
    # 0.8·(1 − n/4) + 0.2
    (PolynomialDecay(1.0, 4, 1.0, lr_end=0.2), [0, 2, 8], [1.0, 0.6, 0.2]),
]


HAND_IDS = [f"{type(schedule).__name__}-{i}" for i, (schedule, *_) in enumerate(HAND)]


@pytest.mark.parametrize("schedule, steps, expected", HAND, ids=HAND_IDS)
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


@pytest.mark.parametrize("decay", [0.0, 1e-12, 1e-6, 1e-3, 0.3, 2.0, 50.0])
def test_recursive_time_decay_closed_form_equals_the_sum_of_logs(decay):
    # L(n) = Σ_{k<n} log1p(d·k) summed term by term, against the closed form past the 64-term table
    n = np.arange(3000)
    direct = np.concatenate([[0.0], np.cumsum(np.log1p(decay * n[:-1]))])
    np.testing.assert_allclose(_log_divisor(np.asarray(decay), n.astype(float)), direct, rtol=1e-12, atol=1e-13)


def test_recursive_time_decay_at_four_billion_steps_is_closed_form():
    # before: a table of n = 4e9 entries (~30 GiB). d = 1e-20: L = d·n(n − 1)/2 − O(d²n³) = 0.08 − 1e-11
    tracemalloc.start()
    value = TimeDecayRecursive(0.1, 1e-20)(np.int64(4_000_000_000))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 1_000_000
    assert value == pytest.approx(0.1 * math.exp(-0.08), rel=1e-9)


def test_small_integer_dtypes_do_not_wrap():
    # before: 1 + int8(127) wrapped to −128: StepDecay gave 0.5^−13, InverseSqrtDecay nan
    assert StepDecay(1.0, 0.5, 10)(np.int8(127)) == 0.5**12
    assert InverseSqrtDecay(1.0)(np.int8(127)) == pytest.approx(1 / math.sqrt(128), rel=1e-15)
    assert TimeDecay(1.0, 1.0)(np.uint8(255)) == 1 / 256
    np.testing.assert_allclose(StepDecay(1.0, 0.5, 2)(np.array([126, 127], dtype=np.int8)), [0.5**63, 0.5**64])
    assert per_epoch(TimeDecay(1.0, 1.0), 2)(np.int8(127)) == 1 / 64


def test_step_numbers_up_to_uint64_max_and_beyond_by_name():
    big = np.iinfo(np.uint64).max
    assert TimeDecay(1.0, 1.0)(np.uint64(big)) == pytest.approx(1 / 2.0**64)
    assert StepDecay(1.0, 0.5, 10)(np.int64(np.iinfo(np.int64).max)) == 0.0  # 0.5^(9.2e17) underflows
    with pytest.raises(ValueError, match=re.escape("n must be an integer in [0, 2**64), got 18446744073709551616")):
        TimeDecay()(2**64)


EVERY_SCHEDULE = [SCHEDULES[name]() for name in sorted(SCHEDULES)] + [h[0] for h in HAND] + [
    TimeDecayRecursive(0.1, 1e-20), ExponentialDecay(0.1, 1e-9), CosineWarmRestarts(0.1, 3, 1.5, 0.01)]


@pytest.mark.parametrize("schedule", EVERY_SCHEDULE, ids=[type(s).__name__ for s in EVERY_SCHEDULE])
def test_every_schedule_gives_a_finite_nonnegative_rate_at_any_step_without_warnings(schedule):
    steps = [np.int8(127), np.uint8(255), 0, 1, 99, 100, 10**6, 2**53 + 1, np.iinfo(np.int64).max,
             np.uint64(np.iinfo(np.uint64).max)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = np.array([schedule(n) for n in steps])
        momentum = [schedule.momentum(n) for n in steps] if hasattr(schedule, "momentum") else [0.5]
    assert np.all(np.isfinite(values)) and np.all(values >= 0)
    assert np.all((np.array(momentum) >= 0) & (np.array(momentum) < 1))


def test_schedules_reaching_zero_return_an_exact_zero_step():
    # α = 0 is a legal step (no move): cosine from n = total on, polynomial likewise, underflow of fast decays
    np.testing.assert_array_equal(CosineAnnealing(0.1, 10)(np.arange(10, 15)), 0.0)
    assert PolynomialDecay(0.1, 10)(10) == 0.0
    assert ExponentialDecay(0.1, 1.0)(800) == 0.0  # e^(−800) < smallest double
    assert TimeDecayRecursive(0.1, 1.0)(200) == 0.0  # 0.1/199!
    assert LinearWarmup(0.1, 1.0, 0.0, 5)(7) == 0.0


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_lecture_factories_reject_total_zero_by_name(name):
    # before: ZeroDivisionError from 10 / total inside the factory
    with pytest.raises(ValueError, match=re.escape("total must be in (0, inf), got 0")):
        SCHEDULES[name](0.1, 0)
    with pytest.raises(ValueError, match=re.escape("lr0 must be in (0, inf), got -1")):
        SCHEDULES[name](-1, 100)


def test_cyclic_momentum_by_hand():
    # Triangular: β = 0.9 − 0.1·h; h = 0, ½, 1, ¾ (down over 4 steps), 0
    cyclic = Triangular(0.1, 0.5, 2, step_size_down=4, base_momentum=0.8, max_momentum=0.9)
    np.testing.assert_allclose(cyclic.momentum(np.array([0, 1, 2, 3, 6])), [0.9, 0.85, 0.8, 0.825, 0.9])
    # OneCycle: 0.95 → 0.85 while α rises (n = 0..10), back to 0.95 while it falls (midpoint n = 5: 0.9)
    np.testing.assert_allclose(OneCycle(1.0, 22, 0.5).momentum(np.array([0, 5, 10, 21, 30])),
                               [0.95, 0.9, 0.85, 0.95, 0.95])
    # three phases: down, up, then stays at max_momentum
    np.testing.assert_allclose(OneCycle(1.0, 44, 0.25, three_phase=True).momentum(np.array([0, 10, 20, 31, 43])),
                               [0.95, 0.85, 0.95, 0.95, 0.95])
    assert np.ndim(cyclic.momentum(3)) == 0


def test_reduce_on_plateau_by_hand():
    # rel threshold 0.1: J improves only below 0.9·J*. patience 1: α halves at the 2nd bad epoch in a row.
    plateau = ReduceOnPlateau(1.0, factor=0.5, patience=1, threshold=0.1, cooldown=1, min_lr=0.2)
    state, lrs = plateau.init(), []
    for loss in [1.0, 0.95, 0.95, 0.8, 0.79, 0.79, 0.79, 0.79, 0.79, 0.79, 0.79]:
        state = plateau.update(state, loss)
        lrs.append(float(state.lr))
    # 1.0 best; 0.95 bad 1; 0.95 bad 2 > 1: α 0.5, cooldown 1; 0.8 < 0.9·1: best 0.8 (cooldown ends);
    # 0.79 bad 1; 0.79 bad 2: α 0.25, cooldown 1; 0.79 bad → cooldown resets it; bad 1; bad 2: α 0.2 (floor)
    assert lrs == [1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2, 0.2, 0.2]
    assert float(state.best) == 0.8


def test_reduce_on_plateau_vectorized_over_runs():
    plateau = ReduceOnPlateau(np.array([1.0, 2.0]), factor=0.1, patience=0, threshold=0.0, mode="max")
    state = plateau.init((2,))
    state = plateau.update(state, np.array([0.5, 0.5]))  # both improve on −inf
    state = plateau.update(state, np.array([0.6, np.nan]))  # run 1 improves; nan never does: α 2 → 0.2
    np.testing.assert_allclose(state.lr, [1.0, 0.2])
    np.testing.assert_allclose(state.best, [0.6, 0.5])


# Each row of FRAMEWORK_NAMES, proved on steps 0..39: (our schedule, {framework: its formula of n}),
# the formulas written from the frameworks' documentation (checked against torch 2.13 numbers).
g = math.exp(-0.2)


def _sgdr_fraction(n):
    """T_cur/T_i of SGDR with T_0 = 4, mult = 2, by hand: restarts at 4, 12, 28."""
    return np.select([n < 4, n < 12, n < 28], [n / 4, (n - 4) / 8, (n - 12) / 16], (n - 28) / 32)


FRAMEWORK_PROOFS = {
    "ExponentialDecay(lr0, rate=d)": (ExponentialDecay(0.5, 0.2), {
        "pytorch": lambda n: 0.5 * g**n, "keras": lambda n: 0.5 * g ** (n / 1)}),
    "GeometricDecay(lr0, base=γ)": (GeometricDecay(0.5, 0.9), {
        "pytorch": lambda n: 0.5 * 0.9**n, "keras": lambda n: 0.5 * 0.9 ** (n / 1)}),
    "Staircase(lr0, factor=γ, every=r)": (Staircase(0.5, 0.3, 7), {
        "pytorch": lambda n: 0.5 * 0.3 ** (n // 7), "keras": lambda n: 0.5 * 0.3 ** np.floor(n / 7)}),
    "StepDecay(lr0, drop=γ, every=r)": (StepDecay(0.5, 0.3, 7), {"pytorch": lambda n: 0.5 * 0.3 ** ((n + 1) // 7)}),
    "MultiStep(lr0, milestones, factor=γ)": (MultiStep(0.5, (5, 12), 0.3), {
        "pytorch": lambda n: 0.5 * 0.3 ** ((n >= 5).astype(int) + (n >= 12)),
        "keras": lambda n: np.select([n <= 4, n <= 11], [0.5, 0.15], 0.045)}),
    "TimeDecay(lr0, decay=d)": (TimeDecay(0.5, 0.3), {
        "pytorch": lambda n: 0.5 / (1 + 0.3 * n), "keras": lambda n: 0.5 / (1 + 1.5 * n / 5)}),  # decay_steps 5
    "InverseSqrtDecay(lr0, k, decay=d)": (InverseSqrtDecay(0.5, 2.0, 0.25), {
        "pytorch": lambda n: 0.5 * 2 / np.sqrt(1 + n / 4)}),
    "LinearWarmup(lr0, start_factor, end_factor, total=T)": (LinearWarmup(0.5, 0.25, 0.9, 8), {
        "pytorch": lambda n: 0.5 * (0.25 + 0.65 * np.minimum(n, 8) / 8)}),
    "PolynomialDecay(lr0, total=T, power=p, lr_end)": (PolynomialDecay(0.5, 20, 2.0), {
        "pytorch": lambda n: 0.5 * (1 - np.minimum(n, 20) / 20) ** 2,
        "keras": lambda n: (0.5 - 0) * (1 - np.minimum(n, 20) / 20) ** 2 + 0}),
    "CosineAnnealing(lr_max, total=T, lr_min, periodic=True)": (CosineAnnealing(0.5, 10, 0.05, periodic=True), {
        "pytorch": lambda n: 0.05 + 0.45 * (1 + np.cos(np.pi * n / 10)) / 2}),
    "CosineAnnealing(lr_max, total=T, lr_min)": (CosineAnnealing(0.5, 10, 0.05), {
        "keras": lambda n: 0.5 * ((1 - 0.1) * 0.5 * (1 + np.cos(np.pi * np.minimum(n, 10) / 10)) + 0.1)}),
    "CosineWarmRestarts(lr_max, period=T0, mult, lr_min)": (CosineWarmRestarts(0.5, 4, 2, 0.05), {
        "pytorch": lambda n: 0.05 + 0.45 * (1 + np.cos(np.pi * _sgdr_fraction(n))) / 2,
        "keras": lambda n: 0.5 * (0.9 * 0.5 * (1 + np.cos(np.pi * _sgdr_fraction(n))) + 0.1)}),
    "Triangular(base_lr, max_lr, step_size, step_size_down, mode, gamma)": (Triangular(0.1, 0.5, 3, 5), {
        # torch's CyclicLR: x = 1 + n/8 − cycle, scale x/(3/8) while x <= 3/8, (x − 1)/(3/8 − 1) after
        "pytorch": lambda n: 0.1 + 0.4 * (lambda x: np.where(x <= 3 / 8, x / (3 / 8), (x - 1) / (3 / 8 - 1)))(
            1 + n / 8 - np.floor(1 + n / 8))}),
    "OneCycle(max_lr, total, pct_start, div_factor, final_div_factor, three_phase, anneal)": (
        OneCycle(1.0, 12, 0.5, 10.0, 1.0, anneal="linear"), {
            "pytorch": lambda n: np.where(n <= 5, 0.1 + 0.9 * n / 5, 1.0 - 0.9 * (np.minimum(n, 11) - 5) / 6)}),
}


def _plateau_proof():
    # torch's ReduceLROnPlateau(factor=0.5, patience=2) on losses that stall: lr as torch prints it (torch 2.13)
    plateau, state, lrs = ReduceOnPlateau(1.0, factor=0.5, patience=2), None, []
    state = plateau.init()
    for loss in [1.0, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8]:
        state = plateau.update(state, loss)
        lrs.append(float(state.lr))
    return np.array(lrs), np.array([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25])


@pytest.mark.parametrize("row", FRAMEWORK_NAMES, ids=[r.course.split("(")[0] + ("-periodic" if "periodic" in r.course
                                                                                else "") for r in FRAMEWORK_NAMES])
def test_every_framework_row_is_proved_on_forty_steps(row):
    import gdcourse.schedules

    assert hasattr(gdcourse.schedules, row.course.split("(")[0])
    named = {fw for fw in ("pytorch", "keras") if not getattr(row, fw).startswith("none")}
    if row.course.startswith("ReduceOnPlateau"):
        assert named == {"pytorch"}
        ours, torch_values = _plateau_proof()
        np.testing.assert_allclose(ours, torch_values)
        return
    ours, formulas = FRAMEWORK_PROOFS[row.course]
    assert set(formulas) == named  # a row naming a framework must prove it, and only those
    n = np.arange(40)
    for formula in formulas.values():
        np.testing.assert_allclose(ours(n), formula(n), rtol=1e-12, atol=1e-15)


def test_matches_torch_lr_scheduler_when_torch_is_importable():
    torch = pytest.importorskip("torch")
    from torch.optim import lr_scheduler as S

    def torch_run(make, steps=60, metrics=None):
        params = [torch.zeros(1, requires_grad=True)]
        opt = torch.optim.SGD(params, lr=0.5, momentum=0.9)
        scheduler, lrs, momenta = make(opt), [], []
        for n in range(steps):
            lrs.append(opt.param_groups[0]["lr"])
            momenta.append(opt.param_groups[0]["momentum"])
            opt.step()
            scheduler.step() if metrics is None else scheduler.step(metrics[n])
        return np.array(lrs), np.array(momenta)

    n = np.arange(60)
    pairs = [
        (MultiStep(0.5, (5, 12, 30), 0.3), lambda o: S.MultiStepLR(o, [5, 12, 30], 0.3)),
        (LinearWarmup(0.5, 0.25, 0.9, 8), lambda o: S.LinearLR(o, 0.25, 0.9, 8)),
        (PolynomialDecay(0.5, 20, 2.0), lambda o: S.PolynomialLR(o, 20, 2.0)),
        (GeometricDecay(0.5, 0.9), lambda o: S.ExponentialLR(o, 0.9)),
        (Staircase(0.5, 0.3, 7), lambda o: S.StepLR(o, 7, 0.3)),
        (CosineAnnealing(0.5, 10, 0.05, periodic=True), lambda o: S.CosineAnnealingLR(o, 10, 0.05)),
        (CosineWarmRestarts(0.5, 4, 2, 0.05), lambda o: S.CosineAnnealingWarmRestarts(o, 4, 2, 0.05)),
    ]
    for mode, gamma in [("triangular", 1.0), ("triangular2", 1.0), ("exp_range", 0.97)]:
        pairs.append((Triangular(0.5 / 5, 0.5, 3, 5, mode, gamma, 0.8, 0.95),
                      lambda o, m=mode, gm=gamma: S.CyclicLR(o, 0.1, 0.5, 3, 5, m, gm, base_momentum=0.8,
                                                             max_momentum=0.95)))
    for three in (False, True):
        for anneal in ("cos", "linear"):
            pairs.append((OneCycle(0.5, 60, 0.3, three_phase=three, anneal=anneal),
                          lambda o, t=three, a=anneal: S.OneCycleLR(o, 0.5, total_steps=60, pct_start=0.3,
                                                                    anneal_strategy=a, three_phase=t)))
    for ours, make in pairs:
        lrs, momenta = torch_run(make)
        np.testing.assert_allclose(ours(n), lrs, rtol=1e-9, err_msg=repr(ours))
        if hasattr(ours, "momentum"):
            np.testing.assert_allclose(ours.momentum(n), momenta, rtol=1e-9, err_msg=repr(ours))
    noisy = 0.4 + 0.1 * np.random.default_rng(0).random(35)
    losses = np.concatenate([np.linspace(1, 0.5, 10), np.full(15, 0.5), noisy])
    for kwargs in [{}, dict(patience=2, cooldown=3, factor=0.5), dict(patience=1, threshold=0.01, threshold_mode="abs",
                                                                      min_lr=0.02, factor=0.5)]:
        plateau, lrs = ReduceOnPlateau(0.5, **kwargs), []
        state = plateau.init()
        for loss in losses:
            lrs.append(float(state.lr))
            state = plateau.update(state, loss)
        np.testing.assert_allclose(lrs, torch_run(lambda o: S.ReduceLROnPlateau(o, **kwargs), metrics=losses)[0])


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
    (MultiStep, dict(lr0=1.0, milestones=(3, 7)), "factor", [0.1, 0.5, 0.9]),
    (LinearWarmup, dict(lr0=1.0, total=6), "start_factor", [0.1, 0.5, 1.0]),
    (PolynomialDecay, dict(lr0=1.0, total=20), "power", [0.5, 1.0, 2.0]),
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
    (lambda: InverseSqrtDecay(0.1, 1.0, -1.0), "decay must be in [0, inf), got -1.0"),
    (lambda: CosineAnnealing(0.1, 10, periodic="yes"), "periodic must be True or False, got 'yes'"),
    (lambda: Triangular(0.1, 0.5, 4, step_size_down=0), "step_size_down must be in (0, inf), got 0"),
    (lambda: Triangular(0.1, 0.5, 4, mode="cosine"),
     "mode must be one of 'triangular', 'triangular2', 'exp_range', got 'cosine'"),
    (lambda: Triangular(0.1, 0.5, 4, gamma=1.5), "gamma must be in (0, 1], got 1.5"),
    (lambda: Triangular(0.1, 0.5, 4, base_momentum=0.75, max_momentum=0.5),
     "max_momentum - base_momentum must be in [0, inf), got -0.25"),
    (lambda: OneCycle(0.1, 100, max_momentum=1.0), "max_momentum must be in [0, 1), got 1.0"),
    (lambda: OneCycle(0.1, 100, pct_start=0.6, three_phase=True),
     "pct_start (three_phase) must be in (0, 0.5], got 0.6"),
    (lambda: OneCycle(0.1, 100, anneal="cosine"), "anneal must be one of 'cos', 'linear', got 'cosine'"),
    (lambda: OneCycle(0.1, 100, three_phase=1), "three_phase must be True or False, got 1"),
    (lambda: MultiStep(0.1, (5, 3)), "milestones must be increasing integers >= 0, got [5, 3]"),
    (lambda: MultiStep(0.1, (2.5,)), "milestones must be increasing integers >= 0, got [2.5]"),
    (lambda: MultiStep(0.1, ()), "milestones must be increasing integers >= 0, got []"),
    (lambda: MultiStep(0.1, (5,), factor=2.0), "factor must be in (0, 1], got 2.0"),
    (lambda: LinearWarmup(0.1, start_factor=0.0), "start_factor must be in (0, 1], got 0.0"),
    (lambda: LinearWarmup(0.1, end_factor=1.5), "end_factor must be in [0, 1], got 1.5"),
    (lambda: LinearWarmup(0.1, total=0), "total must be in (0, inf), got 0"),
    (lambda: PolynomialDecay(0.1, 10, power=0.0), "power must be in (0, inf), got 0.0"),
    (lambda: PolynomialDecay(0.1, 10, lr_end=0.2), "lr0 - lr_end must be in [0, inf), got -0.1"),
    (lambda: ReduceOnPlateau(0.1, factor=1.0), "factor must be in [0, 1), got 1.0"),
    (lambda: ReduceOnPlateau(0.1, patience=-1), "patience must be an integer >= 0, got -1"),
    (lambda: ReduceOnPlateau(0.1, cooldown=1.5), "cooldown must be an integer >= 0, got 1.5"),
    (lambda: ReduceOnPlateau(0.1, threshold_mode="pct"), "threshold_mode must be one of 'rel', 'abs', got 'pct'"),
    (lambda: ReduceOnPlateau(0.1, mode="auto"), "mode must be one of 'min', 'max', got 'auto'"),
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


def test_repr_shows_the_options_only_when_changed():
    # lecture 08 prints the lecture's schedules: the options added for torch stay out of sight at their defaults
    assert repr(CosineAnnealing(0.3, 40)) == "CosineAnnealing(lr_max=0.3, total=40, lr_min=0.0)"
    periodic = CosineAnnealing(0.3, 40, periodic=True)
    assert repr(periodic) == "CosineAnnealing(lr_max=0.3, total=40, lr_min=0.0, periodic=True)"
    assert repr(Triangular(0.03, 0.3, 5.0, mode="exp_range", gamma=0.9)) == (
        "Triangular(base_lr=0.03, max_lr=0.3, step_size=5.0, mode='exp_range', gamma=0.9)")
    assert repr(InverseSqrtDecay(0.3)) == "InverseSqrtDecay(lr0=0.3, k=1.0)"
    assert repr(TimeDecay(0.3, 1.0)) == "TimeDecay(lr0=0.3, decay=1.0)"
