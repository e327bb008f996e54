"""Tests of gdcourse.optimizers: hand-worked first steps, purity, batching, schedules, messages, properties.

Expected values are written as the arithmetic of each kernel's equation on small hand-chosen
numbers (non-default hyper-parameters throughout, to catch hard-coded defaults).
"""

from __future__ import annotations

import numpy as np
import pytest

from gdcourse import _blocks, _compiled
from gdcourse import optimizers as opt

THETA0 = np.array([1.0, -2.0])
G1 = np.array([0.5, -1.0])
G2 = np.array([0.25, 2.0])


def run(kernel, params, grads):
    """Apply ``kernel`` to the given gradient sequence; return the list of parameters and the last state."""
    state = kernel.init(params)
    path = [np.asarray(params, dtype=float)]
    for g in grads:
        params, state = kernel.step(params, g, state)
        path.append(params)
    return path, state


def run_on(kernel, grad_fn, x0, steps):
    """Run ``kernel`` on an objective given by its gradient; return the path, shape (steps + 1, ...)."""
    x, state = np.asarray(x0, dtype=float), kernel.init(x0)
    path = [x]
    for _ in range(steps):
        x, state = kernel.step(x, grad_fn(x), state)
        path.append(x)
    return np.array(path)


def quad_grad(x):
    """∇ of f(x) = ½(x1² + 10·x2²), applied along the last axis."""
    return x * np.array([1.0, 10.0])


# ----------------------------------------------------------------------------- hand-worked first steps


def test_gd_by_hand():
    (_, t1, t2), state = run(opt.GD(lr=0.3), THETA0, [G1, G2])
    np.testing.assert_allclose(t1, [1 - 0.3 * 0.5, -2 + 0.3 * 1.0])  # [0.85, -1.7]
    np.testing.assert_allclose(t2, [0.85 - 0.3 * 0.25, -1.7 - 0.3 * 2.0])  # [0.775, -2.3]
    assert state.t == 2


def test_momentum_ema_by_hand():
    (_, t1, t2), state = run(opt.Momentum(lr=0.5, beta=0.8), THETA0, [G1, G2])
    # V1 = 0.2·g1 = [0.1, -0.2];  W1 = W0 - 0.5·V1
    np.testing.assert_allclose(t1, [0.95, -1.9])
    # V2 = 0.8·[0.1, -0.2] + 0.2·[0.25, 2] = [0.13, 0.24];  W2 = W1 - 0.5·V2
    np.testing.assert_allclose(state.v, [0.13, 0.24])
    np.testing.assert_allclose(t2, [0.95 - 0.065, -1.9 - 0.12])


def test_classical_momentum_by_hand():
    (_, t1, t2), state = run(opt.ClassicalMomentum(lr=0.5, momentum=0.8), THETA0, [G1, G2])
    # v1 = 0.5·g1 = [0.25, -0.5];  θ1 = θ0 - v1
    np.testing.assert_allclose(t1, [0.75, -1.5])
    # v2 = 0.8·[0.25, -0.5] + 0.5·[0.25, 2] = [0.325, 0.6]
    np.testing.assert_allclose(state.v, [0.325, 0.6])
    np.testing.assert_allclose(t2, [0.75 - 0.325, -1.5 - 0.6])


def test_nesterov_by_hand():
    (_, t1, t2), state = run(opt.Nesterov(lr=0.5, momentum=0.8), THETA0, [G1, G2])
    # v1 = g1;  θ1 = θ0 - 0.5·(g1 + 0.8·g1) = θ0 - 0.9·g1
    np.testing.assert_allclose(t1, [1 - 0.45, -2 + 0.9])
    # v2 = 0.8·[0.5, -1] + [0.25, 2] = [0.65, 1.2];  θ2 = θ1 - 0.5·([0.25, 2] + 0.8·[0.65, 1.2])
    np.testing.assert_allclose(state.v, [0.65, 1.2])
    np.testing.assert_allclose(t2, [0.55 - 0.5 * 0.77, -1.1 - 0.5 * 2.96])


def test_adagrad_by_hand():
    g2 = np.array([1.2, 0.0])
    (_, t1, t2), state = run(opt.AdaGrad(lr=0.4, eps=0.1), THETA0, [G1, g2])
    # G1 = [0.25, 1], √G1 = [0.5, 1]
    np.testing.assert_allclose(t1, [1 - 0.4 * 0.5 / 0.6, -2 + 0.4 * 1.0 / 1.1])
    # G2 = [0.25 + 1.44, 1 + 0] = [1.69, 1], √G2 = [1.3, 1]; the second weight has g = 0, no move
    np.testing.assert_allclose(state.G, [1.69, 1.0])
    np.testing.assert_allclose(t2, [t1[0] - 0.4 * 1.2 / 1.4, t1[1]])


def test_adagrad_initial_accumulator_by_hand():
    (_, t1), state = run(opt.AdaGrad(lr=0.4, eps=0.1, initial_accumulator=0.75), np.array([2.0]), [np.array([0.5])])
    # G = 0.75 + 0.25 = 1;  θ1 = 2 - 0.4·0.5/(1 + 0.1)
    np.testing.assert_allclose(state.G, [1.0])
    np.testing.assert_allclose(t1, [2 - 0.2 / 1.1])


def test_adadelta_by_hand():
    (_, t1, t2), state = run(opt.Adadelta(lr=0.5, rho=0.5, eps=0.01), THETA0, [G1, G2])
    # step 1: E[g²] = 0.5·[0.25, 1] = [0.125, 0.5];  Δθ = -(√(0 + 0.01)/√(E[g²] + 0.01))·g
    dx1 = -np.array([0.1 / np.sqrt(0.135) * 0.5, 0.1 / np.sqrt(0.51) * -1.0])
    np.testing.assert_allclose(t1, THETA0 + 0.5 * dx1)
    # step 2: E[g²] = 0.5·[0.125, 0.5] + 0.5·[0.0625, 4] = [0.09375, 2.25];  E[Δθ²] = 0.5·Δθ1²
    edx2 = 0.5 * dx1**2
    dx2 = -np.sqrt(edx2 + 0.01) / np.sqrt(np.array([0.09375, 2.25]) + 0.01) * G2
    np.testing.assert_allclose(state.Eg2, [0.09375, 2.25])
    np.testing.assert_allclose(state.Edx2, 0.5 * edx2 + 0.5 * dx2**2)
    np.testing.assert_allclose(t2, t1 + 0.5 * dx2)


def test_rmsprop_by_hand():
    (_, t1, t2), state = run(opt.RMSProp(lr=0.1, beta=0.75, eps=0.05), THETA0, [G1, G2])
    # s1 = 0.25·[0.25, 1] = [0.0625, 0.25], √s1 = [0.25, 0.5]
    np.testing.assert_allclose(t1, [1 - 0.1 * 0.5 / 0.3, -2 + 0.1 * 1.0 / 0.55])
    # s2 = 0.75·s1 + 0.25·[0.0625, 4] = [0.0625, 1.1875]
    np.testing.assert_allclose(state.s, [0.0625, 1.1875])
    np.testing.assert_allclose(t2, [t1[0] - 0.1 * 0.25 / 0.3, t1[1] - 0.1 * 2.0 / (np.sqrt(1.1875) + 0.05)])


def test_rmsprop_centered_by_hand():
    (_, t1, t2), state = run(opt.RMSProp(lr=0.1, beta=0.75, eps=0.05, centered=True), THETA0, [G1, G2])
    # m1 = 0.25·g1 = [0.125, -0.25];  s1 - m1² = [0.0625 - 0.015625, 0.25 - 0.0625]
    np.testing.assert_allclose(t1, THETA0 - 0.1 * G1 / (np.sqrt([0.046875, 0.1875]) + 0.05))
    # m2 = 0.75·m1 + 0.25·g2 = [0.15625, 0.3125];  s2 - m2² = [0.0625 - 0.0244140625, 1.1875 - 0.09765625]
    np.testing.assert_allclose(state.m, [0.15625, 0.3125])
    np.testing.assert_allclose(t2, t1 - 0.1 * G2 / (np.sqrt([0.0380859375, 1.08984375]) + 0.05))


ADAM_HYPER = dict(lr=0.02, beta1=0.8, beta2=0.888, eps=0.01)
# t = 1: m = 0.2·g1 = [0.1, -0.2], v = 0.112·g1² = [0.028, 0.112], m̂ = g1, v̂ = g1²
# t = 2: m = 0.8·m + 0.2·g2 = [0.13, 0.24], v = 0.888·v + 0.112·g2² = [0.031864, 0.547456]
#        1 - 0.8² = 0.36, 1 - 0.888² = 0.211456
M2, V2 = np.array([0.13, 0.24]), np.array([0.031864, 0.547456])


def test_adam_by_hand():
    (_, t1, t2), state = run(opt.Adam(**ADAM_HYPER), THETA0, [G1, G2])
    np.testing.assert_allclose(t1, [1 - 0.02 * 0.5 / 0.51, -2 + 0.02 * 1.0 / 1.01])
    np.testing.assert_allclose(state.m, M2)
    np.testing.assert_allclose(state.v, V2)
    assert state.t == 2
    np.testing.assert_allclose(t2, t1 - 0.02 * (M2 / 0.36) / (np.sqrt(V2 / 0.211456) + 0.01))


def test_adam_first_step_is_lr_times_sign():
    g = np.random.default_rng(0).normal(size=(4, 3))
    new, state = opt.Adam(lr=0.05).step(np.zeros((4, 3)), g, opt.Adam(lr=0.05).init(np.zeros((4, 3))))
    assert state.t == 1
    np.testing.assert_allclose(new, -0.05 * np.sign(g), rtol=1e-6)


def test_amsgrad_by_hand():
    g2 = np.array([0.25, 0.1])
    (_, t1, t2), state = run(opt.AMSGrad(**ADAM_HYPER), THETA0, [G1, g2])
    np.testing.assert_allclose(t1, [1 - 0.02 * 0.5 / 0.51, -2 + 0.02 * 1.0 / 1.01])
    # v2 = 0.888·[0.028, 0.112] + 0.112·[0.0625, 0.01] = [0.031864, 0.100576]: the second fell,
    # so v_max = [0.031864, 0.112];  m2 = [0.13, 0.8·(-0.2) + 0.2·0.1] = [0.13, -0.14]
    np.testing.assert_allclose(state.v, [0.031864, 0.100576])
    np.testing.assert_allclose(state.v_max, [0.031864, 0.112])
    m_hat = np.array([0.13, -0.14]) / 0.36
    np.testing.assert_allclose(t2, t1 - 0.02 * m_hat / (np.sqrt(np.array([0.031864, 0.112]) / 0.211456) + 0.01))


def test_adamw_by_hand():
    (_, t1, t2), _ = run(opt.AdamW(**ADAM_HYPER, weight_decay=0.5), THETA0, [G1, G2])
    np.testing.assert_allclose(t1, THETA0 - 0.02 * (np.array([0.5 / 0.51, -1.0 / 1.01]) + 0.5 * THETA0))
    adam_dir = (M2 / 0.36) / (np.sqrt(V2 / 0.211456) + 0.01)
    np.testing.assert_allclose(t2, t1 - 0.02 * (adam_dir + 0.5 * t1))


def test_nadam_by_hand():
    (_, t1, t2), _ = run(opt.NAdam(**ADAM_HYPER), THETA0, [G1, G2])
    # t = 1: θ ← θ - 0.02/(|g| + 0.01)·(0.8·g + 0.2·g/0.2)
    np.testing.assert_allclose(t1, THETA0 - 0.02 / (np.abs(G1) + 0.01) * (0.8 * G1 + G1))
    # t = 2: θ ← θ - 0.02/(√v̂ + 0.01)·(0.8·m̂ + 0.2·g2/0.36)
    nesterov = 0.8 * M2 / 0.36 + 0.2 * G2 / 0.36
    np.testing.assert_allclose(t2, t1 - 0.02 / (np.sqrt(V2 / 0.211456) + 0.01) * nesterov)


def test_adamax_by_hand():
    (_, t1, t2), state = run(opt.AdaMax(**ADAM_HYPER), THETA0, [G1, G2])
    # t = 1: m = [0.1, -0.2], u = max(0, |g1| + 0.01) = [0.51, 1.01];  θ ← θ - (0.02/0.2)·m/u
    np.testing.assert_allclose(t1, THETA0 - 0.1 * np.array([0.1 / 0.51, -0.2 / 1.01]))
    # t = 2: u = max(0.888·[0.51, 1.01], [0.26, 2.01]) = [0.45288, 2.01] (one of each branch)
    np.testing.assert_allclose(state.u, [0.45288, 2.01])
    np.testing.assert_allclose(t2, t1 - (0.02 / 0.36) * np.array([0.13 / 0.45288, 0.24 / 2.01]))


def test_adamax_zero_gradient_is_finite():
    new, state = opt.AdaMax().step(np.ones(2), np.zeros(2), opt.AdaMax().init(np.ones(2)))
    np.testing.assert_array_equal(new, [1.0, 1.0])
    np.testing.assert_allclose(state.u, [1e-8, 1e-8])


def test_rprop_by_hand():
    kernel = opt.Rprop(lr=0.1, etaplus=1.5, etaminus=0.25, step_min=0.03, step_max=0.2)
    grads = [np.array([1.0, -2.0, 3.0]), np.array([2.0, 1.0, 0.5]), np.array([1.0, 1.0, -0.5])]
    (_, t1, t2, t3), state = run(kernel, np.zeros(3), grads)
    # step 1: no previous gradient, Δ = 0.1 everywhere, θ ← -sign(g)·0.1
    np.testing.assert_allclose(t1, [-0.1, 0.1, -0.1])
    # step 2: signs agree, flip, agree -> Δ = [0.15, max(0.025, 0.03), 0.15]; the flipped weight does not move
    np.testing.assert_allclose(t2, [-0.25, 0.1, -0.25])
    # step 3: g·g_prev = [2, 0 (zeroed), -0.25] -> Δ = [min(0.225, 0.2), 0.03, 0.0375]; weight 3 flips, no move
    np.testing.assert_allclose(t3, [-0.45, 0.07, -0.25])
    np.testing.assert_allclose(state.step_size, [0.2, 0.03, 0.0375])
    np.testing.assert_allclose(state.prev_grad, [1.0, 1.0, 0.0])


def test_hypergradient_by_hand():
    grads = [G1, G2, np.array([0.5, 0.5])]
    (_, t1, t2, t3), state = run(opt.HypergradientSGD(lr=0.1, hyper_lr=0.02), THETA0, grads)
    np.testing.assert_allclose(t1, [0.95, -1.9])  # α1 = 0.1 + 0.02·0
    # α2 = 0.1 + 0.02·(0.25·0.5 + 2·(-1)) = 0.1 - 0.0375 = 0.0625
    np.testing.assert_allclose(t2, [0.95 - 0.0625 * 0.25, -1.9 - 0.0625 * 2.0])
    # α3 = 0.0625 + 0.02·(0.5·0.25 + 0.5·2) = 0.085
    np.testing.assert_allclose(t3, [0.934375 - 0.085 * 0.5, -2.025 - 0.085 * 0.5])
    np.testing.assert_allclose(state.lr, 0.085)


# ------------------------------------------------------------------------ every kernel: purity, batching, schedules

KERNELS = {
    "GD": lambda lr, h: opt.GD(lr=lr),
    "Momentum": lambda lr, h: opt.Momentum(lr=lr, beta=h(0.7)),
    "ClassicalMomentum": lambda lr, h: opt.ClassicalMomentum(lr=lr, momentum=h(0.7)),
    "Nesterov": lambda lr, h: opt.Nesterov(lr=lr, momentum=h(0.7)),
    "AdaGrad": lambda lr, h: opt.AdaGrad(lr=lr, eps=h(0.01), initial_accumulator=0.1),
    "Adadelta": lambda lr, h: opt.Adadelta(lr=lr, rho=h(0.7)),
    "RMSProp": lambda lr, h: opt.RMSProp(lr=lr, beta=h(0.7), centered=True),
    "Adam": lambda lr, h: opt.Adam(lr=lr, beta1=h(0.7), beta2=0.95),
    "AdaMax": lambda lr, h: opt.AdaMax(lr=lr, beta1=0.8, beta2=h(0.9)),
    "NAdam": lambda lr, h: opt.NAdam(lr=lr, beta1=h(0.7)),
    "AMSGrad": lambda lr, h: opt.AMSGrad(lr=lr, beta2=h(0.9)),
    "AdamW": lambda lr, h: opt.AdamW(lr=lr, weight_decay=h(0.3)),
    "Rprop": lambda lr, h: opt.Rprop(lr=lr, etaplus=1 + h(0.7)),
    "HypergradientSGD": lambda lr, h: opt.HypergradientSGD(lr=lr, hyper_lr=h(0.01), param_ndim=1),
}
SCHEDULABLE = [name for name in KERNELS if name not in ("Rprop", "HypergradientSGD")]


def test_registry_lists_every_kernel_in_teaching_order():
    assert list(opt.OPTIMIZERS) == list(KERNELS)
    assert all(opt.OPTIMIZERS[name].__name__ == name for name in KERNELS)
    assert all(name in opt.__all__ for name in KERNELS)


def _grads(shape, n, seed=1):
    return list(np.random.default_rng(seed).normal(size=(n, *shape)))


@pytest.mark.parametrize("name", KERNELS)
def test_inputs_are_not_mutated_and_state_is_returned(name):
    kernel = KERNELS[name](0.05, lambda x: x)
    params = np.array([[1.0, -2.0, 0.5], [0.3, 0.0, -1.0]])
    g1, g2 = _grads(params.shape, 2)
    state0 = kernel.init(params)
    p1, state1 = kernel.step(params, g1, state0)
    saved = [params.copy(), g2.copy(), p1.copy()] + [np.array(x, copy=True) for x in state1]
    p2, state2 = kernel.step(p1, g2, state1)
    for before, after in zip(saved, [params, g2, p1, *state1]):
        np.testing.assert_array_equal(before, after)
    assert state2 is not state1 and type(state2) is type(state1)
    assert state2._fields[0] == "t" and (state0.t, state1.t, state2.t) == (0, 1, 2)
    assert p2.dtype == np.float64 and p2.shape == params.shape
    assert not np.shares_memory(p2, p1)


@pytest.mark.parametrize("name", KERNELS)
def test_batched_call_equals_separate_calls(name):
    lrs, hs = np.array([0.01, 0.05, 0.2]), np.array([0.05, 0.5, 0.9])
    params = np.array([[1.0, -2.0], [0.5, 3.0], [-1.0, 0.25]])
    grads = _grads(params.shape, 4, seed=2)
    batched = KERNELS[name](lrs[:, None], lambda x: hs[:, None])
    (*_, together), _ = run(batched, params, grads)
    for k in range(3):
        single = KERNELS[name](lrs[k], lambda x: hs[k])
        (*_, alone), _ = run(single, params[k], [g[k] for g in grads])
        np.testing.assert_allclose(together[k], alone, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("name", KERNELS)
def test_any_params_shape(name):
    kernel = KERNELS[name](0.05, lambda x: x)
    for shape in [(), (3,), (2, 3, 4)]:
        params = np.ones(shape)
        if name == "HypergradientSGD" and shape == ():
            kernel = opt.HypergradientSGD(lr=0.05)
        new, state = kernel.step(params, np.full(shape, 0.5), kernel.init(params))
        assert new.shape == shape and np.all(new < 1.0)


def test_integer_and_float32_inputs_give_float64():
    new, state = opt.Adam(lr=0.5).step(np.array([1, 2], dtype=np.int64), np.array([1, -1]), opt.Adam().init([1, 2]))
    assert new.dtype == np.float64 and state.m.dtype == np.float64
    np.testing.assert_allclose(new, [0.5, 2.5], rtol=1e-7)
    new32, _ = opt.GD(lr=0.1).step(np.ones(2, dtype=np.float32), np.ones(2, dtype=np.float32), opt.GD().init(None))
    assert new32.dtype == np.float64


class RecordingSchedule:
    """lr(n) = 0.4/(n + 1), remembering every n it is asked for."""

    def __init__(self):
        self.calls = []

    def __call__(self, n):
        self.calls.append(n)
        return 0.4 / (n + 1)


def test_schedule_is_evaluated_at_t_by_hand():
    schedule = RecordingSchedule()
    (_, t1, t2, t3), _ = run(opt.GD(lr=schedule), np.array([1.0]), [np.array([1.0])] * 3)
    assert schedule.calls == [0, 1, 2]
    np.testing.assert_allclose([t1[0], t2[0], t3[0]], [1 - 0.4, 0.6 - 0.2, 0.4 - 0.4 / 3])


@pytest.mark.parametrize("name", SCHEDULABLE)
def test_schedule_equals_the_constant_of_each_step(name):
    schedule = RecordingSchedule()
    params = np.array([[1.0, -2.0], [0.5, 3.0]])
    grads = _grads(params.shape, 3, seed=3)
    (*_, scheduled), _ = run(KERNELS[name](schedule, lambda x: x), params, grads)
    assert schedule.calls == [0, 1, 2]
    p, state = params, KERNELS[name](0.4, lambda x: x).init(params)
    for n, g in enumerate(grads):
        p, state = KERNELS[name](0.4 / (n + 1), lambda x: x).step(p, g, state)
    np.testing.assert_allclose(scheduled, p, rtol=1e-14)


def test_schedule_value_is_validated_when_evaluated():
    kernel = opt.Momentum(lr=lambda n: 0.1 - 0.2 * n)
    params, state = kernel.step(np.ones(2), np.ones(2), kernel.init(np.ones(2)))
    with pytest.raises(ValueError, match=r"lr\(1\) must be in \[0, inf\), got -0\.1"):
        kernel.step(params, np.ones(2), state)


def test_schedule_array_value_must_broadcast():
    kernel = opt.GD(lr=lambda n: np.full(3, 0.1))
    with pytest.raises(ValueError,
                       match=r"lr\(0\) of shape \(3,\) does not broadcast against params of shape \(5, 2\)"):
        kernel.step(np.ones((5, 2)), np.ones((5, 2)), kernel.init(None))


@pytest.mark.parametrize("cls, role", [(opt.Rprop, "initial step"), (opt.HypergradientSGD, "initial rate")])
def test_kernels_whose_lr_is_an_initial_value_reject_a_schedule(cls, role):
    with pytest.raises(ValueError, match=f"lr of {cls.__name__} is the {role}.*must be a number or an array"):
        cls(lr=lambda n: 0.1)


# ----------------------------------------------------------------------------- validation messages

NUM = r"(\.0)?"  # _validate prints bounds as floats (0.0) and integer values as integers (0)

BAD_HYPER = [
    (opt.GD, dict(lr=0), rf"lr must be in \(0{NUM}, inf\), got 0"),
    (opt.GD, dict(lr=-0.1), rf"lr must be in \(0{NUM}, inf\), got -0\.1"),
    (opt.Momentum, dict(beta=1.0), rf"beta must be in \[0{NUM}, 1{NUM}\), got 1\.0"),
    (opt.Momentum, dict(beta=-0.1), rf"beta must be in \[0{NUM}, 1{NUM}\), got -0\.1"),
    (opt.Momentum, dict(beta=np.array([[0.5], [1.5]])), r"beta must be in .*, got 1\.5 at index \(1, 0\)"),
    (opt.RMSProp, dict(beta=1.0), r"beta must be in \[0(\.0)?, 1(\.0)?\), got 1\.0"),
    (opt.ClassicalMomentum, dict(momentum=1.0), r"momentum must be in \[0(\.0)?, 1(\.0)?\), got 1\.0"),
    (opt.Nesterov, dict(momentum=-0.1), r"momentum must be in \[0(\.0)?, 1(\.0)?\), got -0\.1"),
    (opt.Adam, dict(eps=0), rf"eps must be in \(0{NUM}, inf\), got 0"),
    (opt.Adam, dict(beta1=1.0), r"beta1 must be in \[0(\.0)?, 1(\.0)?\), got 1\.0"),
    (opt.AMSGrad, dict(beta2=-0.1), r"beta2 must be in \[0(\.0)?, 1(\.0)?\), got -0\.1"),
    (opt.AdamW, dict(weight_decay=-0.1), rf"weight_decay must be in \[0{NUM}, inf\), got -0\.1"),
    (opt.AdaGrad, dict(eps=0), rf"eps must be in \(0{NUM}, inf\), got 0"),
    (opt.AdaGrad, dict(initial_accumulator=-1.0), r"initial_accumulator must be in \[0(\.0)?, inf\), got -1\.0"),
    (opt.Adadelta, dict(rho=1.0), r"rho must be in \[0(\.0)?, 1(\.0)?\), got 1\.0"),
    (opt.Adadelta, dict(eps=-1e-6), r"eps must be in \(0(\.0)?, inf\), got -1e-06"),
    (opt.RMSProp, dict(eps=0), rf"eps must be in \(0{NUM}, inf\), got 0"),
    (opt.AdaMax, dict(lr=0), rf"lr must be in \(0{NUM}, inf\), got 0"),
    (opt.Rprop, dict(etaminus=1.0), r"etaminus must be in \(0(\.0)?, 1(\.0)?\), got 1\.0"),
    (opt.Rprop, dict(etaminus=0.0), r"etaminus must be in \(0(\.0)?, 1(\.0)?\), got 0\.0"),
    (opt.Rprop, dict(etaplus=1.0), r"etaplus must be in \(1(\.0)?, inf\), got 1\.0"),
    (opt.Rprop, dict(step_min=0.0), r"step_min must be in \(0(\.0)?, inf\), got 0\.0"),
    (opt.Rprop, dict(step_min=2.0, step_max=1.0), r"step_max - step_min must be in \[0(\.0)?, inf\), got -1\.0"),
    (opt.HypergradientSGD, dict(hyper_lr=-1e-4), r"hyper_lr must be in \[0(\.0)?, inf\), got -0\.0001"),
    (opt.HypergradientSGD, dict(param_ndim=0), r"param_ndim must be an integer >= 1, got 0"),
]


@pytest.mark.parametrize("cls, kwargs, message", BAD_HYPER, ids=[f"{c.__name__}-{k}" for c, k, _ in BAD_HYPER])
def test_bad_hyper_parameters_are_rejected(cls, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cls(**kwargs)


BAD_STEP = [
    ("wrong grad shape", opt.GD(), np.ones((5, 2)), np.ones((2, 5)),
     r"grad must have the shape of params \(5, 2\), got shape \(2, 5\)"),
    ("nan grad", opt.Adam(), np.ones((5, 2)), np.where(np.arange(10).reshape(5, 2) == 3, np.nan, 1.0),
     r"grad must be finite, got nan at index \(1, 1\)"),
    ("inf grad", opt.Rprop(), np.ones(3), np.array([1.0, 1.0, -np.inf]),
     r"grad must be finite, got -inf at index \(2,\)"),
    ("nan params", opt.GD(), np.array([1.0, np.nan]), np.ones(2), r"params must be finite, got nan at index \(1,\)"),
    ("inf params", opt.Adam(), np.array([[1.0], [np.inf]]), np.ones((2, 1)),
     r"params must be finite, got inf at index \(1, 0\)"),
    ("lr (3,) vs params (5, 2)", opt.GD(lr=np.full(3, 0.1)), np.ones((5, 2)), np.ones((5, 2)),
     r"lr of shape \(3,\) does not broadcast against params of shape \(5, 2\)"),
    ("beta (5, 2, 1) enlarges params (5, 2)", opt.Momentum(beta=np.full((5, 2, 1), 0.5)),
     np.ones((5, 2)), np.ones((5, 2)),
     r"beta of shape \(5, 2, 1\) does not broadcast against params of shape \(5, 2\)"),
]


@pytest.mark.parametrize("label, kernel, params, grad, message", BAD_STEP, ids=[b[0] for b in BAD_STEP])
def test_bad_step_inputs_are_rejected(label, kernel, params, grad, message):
    with pytest.raises(ValueError, match=message):
        kernel.step(params, grad, kernel.init(params))


def test_hypergradient_lr_must_fit_the_runs():
    kernel = opt.HypergradientSGD(lr=np.full((3, 2), 0.1), param_ndim=1)
    with pytest.raises(ValueError, match=r"lr of shape \(3, 2\) does not broadcast against the runs of shape \(3, 1\)"):
        kernel.init(np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"param_ndim must be in \[1, 1\] for params with 1 axes, got 3"):
        opt.HypergradientSGD(param_ndim=3).init(np.ones(4))


def test_hyper_parameter_arrays_are_private_copies():
    lrs = np.array([[0.1], [0.2]])
    kernel = opt.GD(lr=lrs)
    lrs[0, 0] = 5.0
    np.testing.assert_array_equal(kernel.lr, [[0.1], [0.2]])
    assert not kernel.lr.flags.writeable


# ----------------------------------------------------------------------------- properties


def test_momentum_with_beta_zero_is_gd():
    x0 = np.array([3.0, -1.0])
    np.testing.assert_allclose(
        run_on(opt.Momentum(lr=0.15, beta=0.0), quad_grad, x0, 20), run_on(opt.GD(lr=0.15), quad_grad, x0, 20),
        rtol=1e-15
    )


def test_ema_and_classical_momentum_trace_the_same_path():
    """Momentum(α, β) ≡ ClassicalMomentum(η = α(1 − β), γ = β) over 50 steps (v = α·V)."""
    x0 = np.array([3.0, -1.0])
    ema = run_on(opt.Momentum(lr=0.4, beta=0.75), quad_grad, x0, 50)
    classical = run_on(opt.ClassicalMomentum(lr=0.4 * (1 - 0.75), momentum=0.75), quad_grad, x0, 50)
    np.testing.assert_allclose(ema, classical, rtol=1e-12, atol=1e-15)
    assert np.abs(ema[-1]).max() < 1e-2  # and the path goes somewhere: it converges
    # the same step size without the conversion is a different path
    assert not np.allclose(ema, run_on(opt.ClassicalMomentum(lr=0.4, momentum=0.75), quad_grad, x0, 50))


def torch_sgd_momentum(lr, mu, x0, steps, grad_fn):
    """torch.optim.SGD(momentum=μ, dampening=0) written out: b ← μ·b + g ; p ← p − lr_n·b."""
    p, b, path = np.asarray(x0, dtype=float), 0.0, [np.asarray(x0, dtype=float)]
    for n in range(steps):
        b = mu * b + grad_fn(p)
        p = p - lr(n) * b
        path.append(p)
    return np.array(path)


def test_classical_momentum_is_torch_sgd_with_lr_eta():
    x0 = np.array([3.0, -1.0])
    ours = run_on(opt.ClassicalMomentum(lr=0.05, momentum=0.8), quad_grad, x0, 40)
    np.testing.assert_allclose(ours, torch_sgd_momentum(lambda n: 0.05, 0.8, x0, 40, quad_grad), rtol=1e-12)
    # under a schedule the two forms part: η_n scales only the newest gradient here, all of b in torch
    decay = RecordingSchedule()
    scheduled = run_on(opt.ClassicalMomentum(lr=decay, momentum=0.8), quad_grad, x0, 5)
    torch_path = torch_sgd_momentum(lambda n: 0.4 / (n + 1), 0.8, x0, 5, quad_grad)
    np.testing.assert_allclose(scheduled[1], torch_path[1])  # first step: b = v/lr_0, identical
    assert np.abs(scheduled[2] - torch_path[2]).max() > 1e-3


def nesterov_lookahead(lr, gamma, x0, steps, grad_fn):
    """Textbook NAG: v ← γ·v + η·∇J(θ − γ·v) ; θ ← θ − v. Returns the θ and v of every step."""
    theta, v = np.asarray(x0, dtype=float), np.zeros(np.shape(x0))
    thetas, vs = [theta], [v]
    for _ in range(steps):
        v = gamma * v + lr * grad_fn(theta - gamma * v)
        theta = theta - v
        thetas.append(theta)
        vs.append(v)
    return np.array(thetas), np.array(vs)


def test_nesterov_is_the_lookahead_form_after_the_change_of_variables():
    """The kernel's parameters are the look-ahead points φ = θ − γ·v; its velocity is b = v/η."""
    x0, eta, gamma = np.array([3.0, -1.0]), 0.05, 0.8
    kernel = opt.Nesterov(lr=eta, momentum=gamma)
    x, state = x0, kernel.init(x0)
    path, velocities = [x], [state.v]
    for _ in range(60):
        x, state = kernel.step(x, quad_grad(x), state)
        path.append(x)
        velocities.append(state.v)
    thetas, vs = nesterov_lookahead(eta, gamma, x0, 60, quad_grad)
    np.testing.assert_allclose(np.array(path), thetas - gamma * vs, rtol=1e-11, atol=1e-14)
    np.testing.assert_allclose(eta * np.array(velocities), vs, rtol=1e-11, atol=1e-14)
    # and it is not heavy-ball momentum: same η, γ, another path
    assert not np.allclose(path, run_on(opt.ClassicalMomentum(lr=eta, momentum=gamma), quad_grad, x0, 60))


def test_rprop_only_sees_the_sign_of_the_gradient():
    kernel = opt.Rprop(lr=0.05)
    x0 = np.array([3.0, -1.0])
    np.testing.assert_array_equal(
        run_on(kernel, quad_grad, x0, 30), run_on(kernel, lambda x: 1000.0 * quad_grad(x), x0, 30)
    )


def test_adagrad_effective_rate_never_increases():
    kernel = opt.AdaGrad(lr=0.3, eps=1e-3)
    x, state = np.zeros(4), kernel.init(np.zeros(4))
    rates = [0.3 / (np.sqrt(state.G) + 1e-3)]
    for g in _grads((4,), 25, seed=4):
        x, state = kernel.step(x, g, state)
        rates.append(0.3 / (np.sqrt(state.G) + 1e-3))
    assert np.all(np.diff(np.array(rates), axis=0) <= 0)
    assert np.all(rates[-1] < rates[1])


def test_hypergradient_with_zero_hyper_lr_is_gd():
    x0 = np.array([3.0, -1.0])
    np.testing.assert_allclose(
        run_on(opt.HypergradientSGD(lr=0.15, hyper_lr=0.0), quad_grad, x0, 20),
        run_on(opt.GD(lr=0.15), quad_grad, x0, 20),
        rtol=1e-15,
    )


def test_hypergradient_learns_one_rate_per_run():
    kernel = opt.HypergradientSGD(lr=np.array([[0.01], [0.05]]), hyper_lr=1e-3, param_ndim=1)
    x0 = np.array([[3.0, -1.0], [3.0, -1.0]])
    x, state = x0, kernel.init(x0)
    assert state.lr.shape == (2, 1)
    for _ in range(30):
        x, state = kernel.step(x, quad_grad(x), state)
    # on a quadratic whose gradients keep pointing the same way, the rates grow
    assert state.lr.shape == (2, 1) and np.all(state.lr > [[0.01], [0.05]])


def test_hypergradient_lr_per_run_without_param_ndim_says_how_to_fix_it():
    kernel = opt.HypergradientSGD(lr=np.full((3, 1), 0.1))
    with pytest.raises(ValueError,
                       match=r"runs of shape \(1, 1\).*set param_ndim=1 for one run per row of params \(3, 2\)"):
        kernel.init(np.ones((3, 2)))


def test_rmsprop_centered_must_be_a_bool():
    with pytest.raises(ValueError, match=r"centered must be True or False, got 'no'"):
        opt.RMSProp(centered="no")


def test_every_state_documents_its_fields():
    for cls in (opt.GDState, opt.MomentumState, opt.AdaGradState, opt.AdadeltaState, opt.RMSPropState, opt.AdamState,
                opt.AMSGradState, opt.AdaMaxState, opt.RpropState, opt.HypergradientState):
        assert cls.__doc__ and not cls.__doc__.startswith(cls.__name__ + "("), cls.__name__


def test_rprop_clips_the_step_size_also_when_the_signs_neither_agree_nor_flip():
    # torch's iRprop⁻ clamps Δ after every update, factor 1 included: Δ0 = 0.5 > step_max = 0.2 moves 0.2
    kernel = opt.Rprop(lr=0.5, step_min=0.01, step_max=0.2)
    (_, t1), state = run(kernel, np.zeros(2), [np.array([1.0, -3.0])])
    np.testing.assert_allclose(t1, [-0.2, 0.2])
    np.testing.assert_allclose(state.step_size, [0.2, 0.2])


# ----------------------------------------------------------------------------- torch.optim's options, by hand


def test_weight_decay_adds_lambda_theta_to_the_gradient_by_hand():
    (_, t1), _ = run(opt.GD(lr=0.3, weight_decay=0.1), THETA0, [G1])
    # g + λθ = [0.5 + 0.1, −1 − 0.2] = [0.6, −1.2];  θ1 = θ0 − 0.3·[0.6, −1.2]
    np.testing.assert_allclose(t1, [0.82, -1.64])
    (_, t1), state = run(opt.Nesterov(lr=0.5, momentum=0.8, weight_decay=0.5), THETA0, [G1])
    # g + λθ = [1, −2];  v1 = [1, −2];  θ1 = θ0 − 0.5·(1 + 0.8)·[1, −2]
    np.testing.assert_allclose(state.v, [1.0, -2.0])
    np.testing.assert_allclose(t1, [0.1, -0.2])


L2_KERNELS = {
    "GD": lambda **k: opt.GD(lr=0.1, **k),
    "ClassicalMomentum": lambda **k: opt.ClassicalMomentum(lr=0.1, momentum=0.7, dampening=0.2, **k),
    "Nesterov": lambda **k: opt.Nesterov(lr=0.1, momentum=0.7, **k),
    "AdaGrad": lambda **k: opt.AdaGrad(lr=0.1, lr_decay=0.3, **k),
    "Adadelta": lambda **k: opt.Adadelta(lr=0.9, rho=0.8, **k),
    "RMSProp": lambda **k: opt.RMSProp(lr=0.01, beta=0.8, momentum=0.5, **k),
    "Adam": lambda **k: opt.Adam(lr=0.01, **k),
    "AMSGrad": lambda **k: opt.AMSGrad(lr=0.01, **k),
    "NAdam": lambda **k: opt.NAdam(lr=0.01, momentum_decay=0.004, **k),
    "AdaMax": lambda **k: opt.AdaMax(lr=0.01, **k),
}


@pytest.mark.parametrize("name", L2_KERNELS)
def test_l2_weight_decay_is_the_kernel_on_g_plus_lambda_theta(name):
    make, lam = L2_KERNELS[name], 0.3
    decayed, plain = make(weight_decay=lam), make()
    x, y = THETA0.copy(), THETA0.copy()
    s, r = decayed.init(x), plain.init(y)
    for g in (G1, G2, G1):
        x, s = decayed.step(x, g, s)
        y, r = plain.step(y, g + lam * y, r)
    np.testing.assert_array_equal(x, y)
    assert not np.allclose(x, run(make(), THETA0, [G1, G2, G1])[0][-1])  # the decay changed the path


@pytest.mark.parametrize("name", list(opt.OPTIMIZERS))
def test_maximize_is_the_kernel_on_minus_g(name):
    cls = opt.OPTIMIZERS[name]
    extra = {"param_ndim": 1} if name == "HypergradientSGD" else {}
    up, down = cls(maximize=True, **extra), cls(**extra)
    x, y = THETA0.copy(), THETA0.copy()
    s, r = up.init(x), down.init(y)
    for g in (G1, G2, G1):
        x, s = up.step(x, g, s)
        y, r = down.step(y, -g, r)
    np.testing.assert_array_equal(x, y)


def test_sgd_dampening_by_hand_skips_the_first_step_as_torch():
    (_, t1, t2), state = run(opt.ClassicalMomentum(lr=0.5, momentum=0.8, dampening=0.5), THETA0, [G1, G2])
    # v1 = 0.5·g1 (no dampening at the first step) = [0.25, −0.5]
    np.testing.assert_allclose(t1, [0.75, -1.5])
    # v2 = 0.8·v1 + (1 − 0.5)·0.5·g2 = [0.2, −0.4] + [0.0625, 0.5] = [0.2625, 0.1]
    np.testing.assert_allclose(state.v, [0.2625, 0.1])
    np.testing.assert_allclose(t2, [0.4875, -1.6])


def test_rmsprop_momentum_by_hand():
    (_, t1, t2), state = run(opt.RMSProp(lr=0.1, beta=0.5, eps=1e-12, momentum=0.9), THETA0, [G1, G2])
    # s1 = 0.5·g1² = [0.125, 0.5];  b1 = g1/√s1 = [√2, −√2];  θ1 = θ0 − 0.1·b1
    b1 = np.array([np.sqrt(2), -np.sqrt(2)])
    np.testing.assert_allclose(t1, THETA0 - 0.1 * b1)
    # s2 = 0.5·s1 + 0.5·g2² = [0.09375, 2.25];  b2 = 0.9·b1 + g2/√s2
    b2 = 0.9 * b1 + np.array([0.25 / np.sqrt(0.09375), 2 / 1.5])
    np.testing.assert_allclose(state.b, b2)
    np.testing.assert_allclose(t2, t1 - 0.1 * b2)
    assert type(state) is opt.RMSPropMomentumState and type(opt.RMSProp().init(THETA0)) is opt.RMSPropState


def test_adagrad_lr_decay_by_hand():
    (_, t1, t2), _ = run(opt.AdaGrad(lr=0.5, lr_decay=1.0), THETA0, [G1, G2])
    # step 1: α = 0.5/(1 + 0·1);  G = [0.25, 1];  θ1 = θ0 − 0.5·g1/√G = θ0 − 0.5·sign(g1)
    np.testing.assert_allclose(t1, [0.5, -1.5])
    # step 2: α = 0.5/(1 + 1·1) = 0.25;  G = [0.3125, 5]
    np.testing.assert_allclose(t2, t1 - 0.25 * np.array([0.25 / np.sqrt(0.3125), 2 / np.sqrt(5)]))


def test_adam_coupled_and_decoupled_weight_decay_by_hand():
    # L2: g + λθ = [0.5 + 0.5, −1 − 1] = [1, −2];  first step −α·sign(g + λθ)
    (_, t1), _ = run(opt.Adam(lr=0.1, eps=1e-12, weight_decay=0.5), THETA0, [G1])
    np.testing.assert_allclose(t1, [0.9, -1.9])
    # decoupled (AdamW): θ1 = θ0 − α·(sign(g) + λ·θ0) = [1 − 0.1·1.5, −2 − 0.1·(−1 − 1)]
    (_, t1), _ = run(opt.Adam(lr=0.1, eps=1e-12, weight_decay=0.5, decoupled_weight_decay=True), THETA0, [G1])
    np.testing.assert_allclose(t1, [0.85, -1.8])
    (_, w1), _ = run(opt.AdamW(lr=0.1, eps=1e-12, weight_decay=0.5), THETA0, [G1])
    np.testing.assert_array_equal(w1, t1)


def test_adam_amsgrad_switch_is_amsgrad():
    path, state = run(opt.Adam(lr=0.1, beta2=0.5, amsgrad=True), THETA0, [G2, G1, G1])
    same, _ = run(opt.AMSGrad(lr=0.1, beta2=0.5), THETA0, [G2, G1, G1])
    plain, _ = run(opt.Adam(lr=0.1, beta2=0.5), THETA0, [G2, G1, G1])
    np.testing.assert_array_equal(path, same)
    assert type(state) is opt.AMSGradState and not np.allclose(path[-1], plain[-1])


def test_nadam_momentum_decay_first_step_by_hand():
    psi, lr = 0.04, 0.1
    (_, t1), state = run(opt.NAdam(lr=lr, eps=1e-12, momentum_decay=psi), THETA0, [G1])
    mu1, mu2 = 0.9 * (1 - 0.5 * 0.96**psi), 0.9 * (1 - 0.5 * 0.96 ** (2 * psi))
    # m = 0.1·g, v̂ = g²: θ1 = θ0 − α(1 − μ1)/(1 − μ1)·sign(g) − α·μ2/(1 − μ1μ2)·0.1·sign(g)
    np.testing.assert_allclose(t1, THETA0 - lr * np.sign(G1) * (1 + 0.1 * mu2 / (1 - mu1 * mu2)))
    np.testing.assert_allclose(state.mu_product, mu1)
    assert type(opt.NAdam().init(THETA0)) is opt.AdamState  # the course's constant-β1 form by default


def test_torch_defaults_are_torch_s_and_the_course_defaults_stay():
    assert (opt.RMSProp.torch_defaults().lr, opt.RMSProp.torch_defaults().beta) == (0.01, 0.99)
    assert (opt.RMSProp().lr, opt.RMSProp().beta) == (0.001, 0.9)
    nadam = opt.NAdam.torch_defaults(weight_decay=0.1)
    assert (nadam.lr, nadam.momentum_decay, nadam.weight_decay) == (2e-3, 4e-3, 0.1)
    assert (opt.GD.torch_defaults().lr, opt.ClassicalMomentum.torch_defaults().momentum) == (1e-3, 0.0)
    with pytest.raises(ValueError, match="Momentum has no torch.optim counterpart"):
        opt.Momentum.torch_defaults()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"cls": opt.ClassicalMomentum, "dampening": 1.5}, r"dampening must be in \[0, 1\], got 1.5"),
        ({"cls": opt.AdaGrad, "lr_decay": -1.0}, r"lr_decay must be in \[0, inf\), got -1.0"),
        ({"cls": opt.RMSProp, "momentum": 1.0}, r"momentum must be in \[0, 1\), got 1.0"),
        ({"cls": opt.Adam, "weight_decay": -0.1}, r"weight_decay must be in \[0, inf\), got -0.1"),
        ({"cls": opt.Adam, "amsgrad": 1}, r"amsgrad must be True or False, got 1"),
        ({"cls": opt.GD, "maximize": "yes"}, r"maximize must be True or False, got 'yes'"),
        ({"cls": opt.NAdam, "momentum_decay": -1.0}, r"momentum_decay must be in \[0, inf\), got -1.0"),
    ],
)
def test_option_validation_messages(kwargs, message):
    cls = kwargs.pop("cls")
    with pytest.raises(ValueError, match=message):
        cls(**kwargs)


PARITY = [  # (gdcourse kernel, torch.optim class name, its arguments): the same numbers
    (lambda: opt.GD(lr=0.05, weight_decay=0.1, maximize=True), "SGD", dict(lr=0.05, weight_decay=0.1, maximize=True)),
    (lambda: opt.ClassicalMomentum(lr=0.02, momentum=0.8, dampening=0.3, weight_decay=0.1), "SGD",
     dict(lr=0.02, momentum=0.8, dampening=0.3, weight_decay=0.1)),
    (lambda: opt.Nesterov(lr=0.02, momentum=0.8, weight_decay=0.1), "SGD",
     dict(lr=0.02, momentum=0.8, nesterov=True, weight_decay=0.1)),
    (lambda: opt.AdaGrad(lr=0.1, lr_decay=0.05, weight_decay=0.1, initial_accumulator=0.2), "Adagrad",
     dict(lr=0.1, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.2)),
    (lambda: opt.Adadelta(lr=0.5, rho=0.8, weight_decay=0.1), "Adadelta", dict(lr=0.5, rho=0.8, weight_decay=0.1)),
    (lambda: opt.RMSProp(lr=0.01, beta=0.95, momentum=0.7, centered=True, weight_decay=0.1), "RMSprop",
     dict(lr=0.01, alpha=0.95, momentum=0.7, centered=True, weight_decay=0.1)),
    (lambda: opt.Adam(lr=0.01, weight_decay=0.1, amsgrad=True), "Adam", dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
    (lambda: opt.Adam(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True), "Adam",
     dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    (lambda: opt.AdamW(lr=0.01, amsgrad=True), "AdamW", dict(lr=0.01, amsgrad=True)),
    (lambda: opt.NAdam.torch_defaults(weight_decay=0.1), "NAdam", dict(weight_decay=0.1)),
    (lambda: opt.AdaMax(lr=0.01, weight_decay=0.1), "Adamax", dict(lr=0.01, weight_decay=0.1)),
    (lambda: opt.Rprop(lr=0.01, maximize=True), "Rprop", dict(lr=0.01, maximize=True)),
    (lambda: opt.RMSProp.torch_defaults(), "RMSprop", {}),
]


@pytest.mark.parametrize("make, torch_name, torch_kwargs", PARITY)
def test_torch_parity_of_every_option_over_100_steps(make, torch_name, torch_kwargs):
    torch = pytest.importorskip("torch")  # not a course dependency: the test runs where torch is installed

    def grad(x):
        return x * np.array([1.0, 10.0, 0.5]) + np.sin(3 * x)

    kernel, x = make(), np.array([1.0, -2.0, 0.5])
    state = kernel.init(x)
    p = torch.nn.Parameter(torch.tensor(x.copy(), dtype=torch.float64))
    reference = getattr(torch.optim, torch_name)([p], **torch_kwargs)
    for _ in range(100):
        x, state = kernel.step(x, grad(x), state)
        p.grad = torch.tensor(grad(p.detach().numpy().copy()))
        reference.step()
        np.testing.assert_allclose(x, p.detach().numpy(), rtol=1e-10, atol=1e-12)


# ----------------------------------------------------------------------------- blocks, states, edge cases


def run_large_steps_as(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``step`` run params of any size as ``path``: "whole" arrays (numpy, line by line), numpy "blocks", or one
    "compiled" loop (numba: skipped where it is not installed; `make venv` installs it)."""
    if path == "compiled":
        pytest.importorskip("numba")
    monkeypatch.setattr(_compiled, "AVAILABLE", path == "compiled")
    monkeypatch.setattr(opt, "COMPILED_FROM", 1)
    monkeypatch.setattr(opt, "BLOCKED_FROM", 1 if path == "blocks" else 10**12)


def bits(value):
    """A float array's bit patterns (so that −0.0 ≠ 0.0 and NaNs compare by payload), anything else as it is."""
    array = np.asarray(value)
    return array.view(np.uint64) if array.dtype == np.float64 else array


LARGE_STEP_KERNELS = {
    **{name: (lambda cls=cls: cls(**({"param_ndim": 1} if cls is opt.HypergradientSGD else {})))
       for name, cls in opt.OPTIMIZERS.items()},
    "GD maximize, L2": lambda: opt.GD(lr=0.05, maximize=True, weight_decay=0.1),
    "GD schedule": lambda: opt.GD(lr=lambda n: 0.1 / (1 + n)),
    "ClassicalMomentum dampening": lambda: opt.ClassicalMomentum(dampening=0.3, weight_decay=0.01),
    "Nesterov L2": lambda: opt.Nesterov(weight_decay=0.1, maximize=True),
    "AdaGrad lr_decay": lambda: opt.AdaGrad(lr_decay=0.01, weight_decay=0.1, initial_accumulator=0.1),
    "RMSProp centered": lambda: opt.RMSProp(centered=True),
    "RMSProp centered momentum": lambda: opt.RMSProp(centered=True, momentum=0.9, weight_decay=0.1),
    "Adam amsgrad L2": lambda: opt.Adam(amsgrad=True, weight_decay=0.1),
    "Adam decoupled": lambda: opt.Adam(decoupled_weight_decay=True, weight_decay=0.1),
    "Adam (1, 1) hyper-parameters": lambda: opt.Adam(lr=np.array([[1e-2]]), beta1=np.array([[0.8]])),
    "NAdam momentum_decay": lambda: opt.NAdam(momentum_decay=4e-3, weight_decay=0.1),
    "Rprop bounds": lambda: opt.Rprop(step_min=1e-3, step_max=0.05),
}


@pytest.mark.parametrize("path", ["blocks", "compiled"])
@pytest.mark.parametrize("name", list(LARGE_STEP_KERNELS))
def test_large_steps_give_bitwise_the_numbers_of_whole_arrays(name, path, monkeypatch):
    rng = np.random.default_rng(0)
    shape = (3, _blocks.BLOCK + 7)  # several blocks, the last one short
    x0 = rng.standard_normal(shape)
    grads = [np.sin(x0 + i) for i in range(3)]
    grads[1][0, :50] = 0.0  # zero gradients: Rprop's sign 0, AdaGrad's sum unchanged
    grads[2][1, :50] = -grads[1][1, :50]  # sign flips
    kernel, paths = LARGE_STEP_KERNELS[name](), []
    for how in ("whole", path):
        run_large_steps_as(how, monkeypatch)
        x, state = x0.copy(), kernel.init(x0)
        for g in grads:
            x, state = kernel.step(x, g, state)
        paths.append((x, state))
    (a, sa), (b, sb) = paths
    np.testing.assert_array_equal(bits(a), bits(b))
    for fa, fb in zip(sa, sb):
        np.testing.assert_array_equal(bits(fa), bits(fb))


SPECIAL = np.array([-np.inf, -1.5, -1e-310, -0.0, 0.0, 1e-310, 0.5, 2.0, 1e300, np.inf, np.nan])


@pytest.mark.parametrize("func", list(_compiled.SCALAR), ids=lambda f: f.__name__)
def test_each_function_compiles_to_the_float64_loop_of_numpy(func, monkeypatch):
    """Bitwise on ±0, subnormals, ±inf and NaN, with every pair (and triple) of them."""
    run_large_steps_as("compiled", monkeypatch)
    n_args = {np.where: 3, np.clip: 3}.get(func) or func.nin
    grid = np.meshgrid(*[SPECIAL] * n_args)
    args = [a.ravel() for a in grid]

    def body(*stand_ins):
        if func is np.where:
            return [np.where(stand_ins[0] > stand_ins[1], stand_ins[1], stand_ins[2])]
        return [func(*stand_ins[:n_args])]

    inputs = args + [args[0]] * (2 - n_args)  # the loop reads θ and g: at least two inputs
    program = _blocks.Program.trace(body, len(inputs))
    assert _compiled.loop(program) is not None
    with np.errstate(all="ignore"):
        (got,) = program.run(inputs, check=lambda θ, g: None)
        expected = body(*args)[0]
    np.testing.assert_array_equal(bits(got), bits(expected))


def test_a_body_calling_a_function_outside_the_compiled_ones_runs_in_blocks(monkeypatch):
    class TanhGD(opt.GD):
        def update(self, θ, g, α, state):
            return θ - α * np.tanh(g), opt.GDState(t=state.t + 1)

    x, g = np.linspace(-1, 1, 3 * _blocks.BLOCK + 5), np.linspace(3, -3, 3 * _blocks.BLOCK + 5)
    steps = []
    for path in ("whole", "compiled"):
        run_large_steps_as(path, monkeypatch)
        steps.append(TanhGD().step(x, g, TanhGD().init(x))[0])
    program = _blocks.Program.trace(lambda θ, g: [θ - np.tanh(g)], 2)
    assert _compiled.loop(program) is None  # so Program.run took the blocks
    np.testing.assert_array_equal(bits(steps[0]), bits(steps[1]))


@pytest.mark.parametrize("path", ["blocks", "compiled"])
def test_a_non_finite_element_in_a_large_grad_is_named_with_its_index(path, monkeypatch):
    run_large_steps_as(path, monkeypatch)
    kernel, x = opt.Adam(), np.zeros(3 * _blocks.BLOCK)
    g = np.zeros_like(x)
    g[2 * _blocks.BLOCK + 5] = np.nan
    with pytest.raises(ValueError, match=rf"grad must be finite, got nan at index \({2 * _blocks.BLOCK + 5},\)"):
        kernel.step(x, g, kernel.init(x))
    x[7] = -np.inf
    with pytest.raises(ValueError, match=r"params must be finite, got -inf at index \(7,\)"):
        kernel.step(x, g, kernel.init(x))


@pytest.mark.parametrize("name", list(opt.OPTIMIZERS))
def test_every_state_field_is_its_own_array(name):
    state = opt.OPTIMIZERS[name](**({"param_ndim": 1} if name == "HypergradientSGD" else {})).init(np.zeros((2, 3)))
    arrays = [v for v in state[1:] if isinstance(v, np.ndarray)]
    for i, a in enumerate(arrays):
        for b in arrays[i + 1:]:
            assert not np.shares_memory(a, b)


def test_hypergradient_keeps_a_copy_of_the_grad_not_the_callers_buffer():
    kernel, x = opt.HypergradientSGD(lr=0.1, hyper_lr=0.5), np.array([1.0, 2.0])
    buffer = np.array([1.0, 1.0])
    x, state = kernel.step(x, buffer, kernel.init(x))
    buffer[:] = -7.0  # a loop that reuses its gradient buffer
    np.testing.assert_array_equal(state.prev_grad, [1.0, 1.0])


@pytest.mark.parametrize("name", ["GD", "Momentum", "Nesterov", "AdaGrad", "Adadelta", "RMSProp", "Adam", "AMSGrad",
                                  "AdamW", "NAdam", "AdaMax"])
def test_a_schedule_value_of_zero_is_a_step_that_does_not_move(name):
    kernel = opt.OPTIMIZERS[name](lr=lambda n: 0.0 if n else 0.1)
    x, state = kernel.step(THETA0, G1, kernel.init(THETA0))
    if name == "AdamW":  # decoupled decay scales with α, so α = 0 stops it too
        pass
    y, state = kernel.step(x, G2, state)
    np.testing.assert_array_equal(y, x)
    assert state.t == 2


@pytest.mark.parametrize(
    "state, message",
    [
        (opt.GDState(t=0), r"state must be the AdamState of Adam.init\(params\), got GDState"),
        (None, r"state must be the AdamState of Adam.init\(params\), got NoneType"),
        (opt.AdamState(0, np.zeros((2, 2)), np.zeros((2, 2))),
         r"state.m must have the shape of params \(2,\), got shape \(2, 2\)"),
        (opt.AdamState(-1, np.zeros(2), np.zeros(2)), r"state.t must be an integer >= 0 \(steps taken\), got -1"),
        (opt.AdamState(0.5, np.zeros(2), np.zeros(2)), r"state.t must be an integer >= 0 \(steps taken\), got 0.5"),
    ],
)
def test_a_state_that_is_not_this_kernels_is_named(state, message):
    with pytest.raises(ValueError, match=message):
        opt.Adam().step(THETA0, G1, state)


@pytest.mark.parametrize("lr", ["0.1", 0.1 + 1j, np.array([0.1 + 0j]), [[0.1, 0.2], [0.3]]])
def test_a_string_complex_or_ragged_lr_is_rejected_at_construction(lr):
    with pytest.raises(ValueError, match="lr must be a"):
        opt.GD(lr=lr)


def test_complex_grads_and_params_are_rejected():
    kernel = opt.GD()
    with pytest.raises(ValueError, match=r"grad must be an array of real numbers, got complex"):
        kernel.step(THETA0, G1 + 1j, kernel.init(THETA0))
    with pytest.raises(ValueError, match=r"params must be an array of real numbers, got complex"):
        kernel.step(THETA0 + 0j, G1, kernel.init(THETA0))


def test_rprop_lr_that_does_not_broadcast_and_ragged_lists_are_named():
    with pytest.raises(ValueError, match=r"lr of shape \(3,\) does not broadcast against params of shape \(2,\)"):
        opt.Rprop(lr=np.ones(3)).init(np.zeros(2))
    with pytest.raises(ValueError, match=r"lr must be a number or a rectangular array of real numbers"):
        opt.Rprop(lr=[[0.1, 0.2], [0.3]])
    with pytest.raises(ValueError, match=r"params must be a rectangular array of numbers"):
        opt.Rprop().step([[1.0, 2.0], [3.0]], [[1.0, 2.0], [3.0]], opt.Rprop().init(np.zeros(2)))
