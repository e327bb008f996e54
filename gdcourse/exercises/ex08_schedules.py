"""Exercises 08 · Learning-rate schedules: the references (gdcourse's kernels), case generators and known mistakes of
``solutions/08_schedules.ipynb``, the one place to change when an exercise of that notebook changes."""

from __future__ import annotations

import numpy as np

from .. import schedules
from ._kit import Case, exercise, mistake, _u, _column

NOTEBOOK = "08_schedules"


def _time_decay(lr0, decay, n):
    return schedules.TimeDecay(lr0, decay)(n)


def _step_decay(lr0, drop, every, n):
    return schedules.StepDecay(lr0, drop, every)(n)


def _exponential_decay(lr0, rate, n):
    return schedules.ExponentialDecay(lr0, rate)(n)


def _schedule_cases(rng: np.random.Generator, kind: str) -> list[Case]:
    """Cases for a schedule f(lr0, <hyper...>, n); ``kind`` picks the hyper-parameters."""
    K = int(rng.integers(2, 5))
    lr0 = _u(rng, 0.05, 1.0)
    if kind == "step":
        every = int(rng.integers(3, 7))
        hyper, batch, bad = (_u(rng, 0.2, 0.8), every), (_column(rng, K, 0.2, 0.8), every), ((1.5, every), "drop = 1.5")
        n = np.arange(3 * every + 2)
    else:
        hyper, batch = (_u(rng, 0.05, 0.5),), (_column(rng, K, 0.01, 1.0),)
        bad, n = ((-0.1,), "a negative " + ("decay" if kind == "time" else "rate")), np.arange(12)
    return [
        Case("n = 0: the initial rate", (lr0, *hyper, 0)),
        Case(f"n = 0 … {n[-1]}, hyper-parameters {hyper}", (lr0, *hyper, n)),
        Case(f"K = {K} schedules at once: shape ({K}, 1) against n of shape ({len(n)},)", (lr0, *batch, n)),
        Case("a (2, 3) array of steps", (lr0, *hyper, np.array([[0, 7, 30], [1, 2, 1000]]))),
        Case(f"{bad[1]} must raise ValueError", (lr0, *bad[0], n)),
        Case("lr0 = 0 must raise ValueError", (0.0, *hyper, n)),
        Case("a negative step n = -1 must raise ValueError", (lr0, *hyper, -1)),
    ]


# --------------------------------------------------------------------------- known mistakes

MISTAKES = (
    mistake("time_decay", "exponential", "that is exponential decay α0·e^(−d·n); time decay is α0/(1 + d·n)", """
        def time_decay(lr0, decay, n):
            if np.any(np.asarray(lr0) <= 0) or np.any(np.asarray(decay) < 0) or np.any(np.asarray(n) < 0):
                raise ValueError("lr0 > 0, decay >= 0, n >= 0")
            return lr0 * np.exp(-decay * np.asarray(n))
        """),
    mistake("time_decay", "power", "α0/(1 + d)ⁿ decays geometrically; time decay divides by (1 + d·n)", """
        def time_decay(lr0, decay, n):
            if np.any(np.asarray(lr0) <= 0) or np.any(np.asarray(decay) < 0) or np.any(np.asarray(n) < 0):
                raise ValueError("lr0 > 0, decay >= 0, n >= 0")
            return lr0 / (1 + decay) ** np.asarray(n)
        """),
    mistake("time_decay", "off-by-one", "off by one step: n counts from 0, so α(0) = α0 (use 1 + d·n, not 1 + d·(n + 1))", """
        def time_decay(lr0, decay, n):
            if np.any(np.asarray(lr0) <= 0) or np.any(np.asarray(decay) < 0) or np.any(np.asarray(n) < 0):
                raise ValueError("lr0 > 0, decay >= 0, n >= 0")
            return lr0 / (1 + decay * (np.asarray(n) + 1))
        """),
    mistake("time_decay", "no-validation", "α0 must be > 0, d >= 0 and n >= 0: raise ValueError otherwise", """
        def time_decay(lr0, decay, n):
            return lr0 / (1 + decay * np.asarray(n))
        """),
    mistake("step_decay", "staircase", "off by one epoch: the lecture's step decay uses floor((1 + n)/r), so the first drop is at n = r − 1", """
        def step_decay(lr0, drop, every, n):
            if np.any(np.asarray(lr0) <= 0) or np.any((np.asarray(drop) <= 0) | (np.asarray(drop) > 1)) or np.any(np.asarray(every) <= 0) or np.any(np.asarray(n) < 0):
                raise ValueError("bad hyper-parameter")
            return lr0 * drop ** np.floor(np.asarray(n) / every)
        """),
    mistake("step_decay", "no-floor", "step decay drops in steps: floor((1 + n)/r), without the floor it decays smoothly", """
        def step_decay(lr0, drop, every, n):
            if np.any(np.asarray(lr0) <= 0) or np.any((np.asarray(drop) <= 0) | (np.asarray(drop) > 1)) or np.any(np.asarray(every) <= 0) or np.any(np.asarray(n) < 0):
                raise ValueError("bad hyper-parameter")
            return lr0 * drop ** ((1 + np.asarray(n)) / every)
        """),
    mistake("step_decay", "no-validation", "drop must be in (0, 1], α0 and r > 0, n >= 0: raise ValueError otherwise", """
        def step_decay(lr0, drop, every, n):
            return lr0 * drop ** np.floor((1 + np.asarray(n)) / every)
        """),
    mistake("exponential_decay", "growth", "e^(+d·n) grows: exponential decay is α0·e^(−d·n)", """
        def exponential_decay(lr0, rate, n):
            if np.any(np.asarray(lr0) <= 0) or np.any(np.asarray(rate) < 0) or np.any(np.asarray(n) < 0):
                raise ValueError("bad hyper-parameter")
            return lr0 * np.exp(rate * np.asarray(n))
        """),
    mistake("exponential_decay", "no-validation", "α0 must be > 0, d >= 0 and n >= 0: raise ValueError otherwise", """
        def exponential_decay(lr0, rate, n):
            return lr0 * np.exp(-rate * np.asarray(n))
        """),
)


EXERCISES = tuple(
    exercise(*entry, notebook=NOTEBOOK, mistakes=MISTAKES)
    for entry in (
        (_time_decay, "lr0 decay n", "lr", lambda rng: _schedule_cases(rng, "time")),
        (_step_decay, "lr0 drop every n", "lr", lambda rng: _schedule_cases(rng, "step")),
        (_exponential_decay, "lr0 rate n", "lr", lambda rng: _schedule_cases(rng, "exp")),
    )
)
