"""count_calls counts exactly the calls a function makes, and leaves any profiler as it found it."""

import sys

import numpy as np
import pytest

from gdcourse.calls import count_calls


def _leaf(x):
    return x


def _loop(n):
    total = 0
    for i in range(n):
        total += _leaf(i)
    return total


def test_counts_each_python_and_c_call_once():
    assert count_calls(_loop, 4) == (6, 5)  # _loop, then _leaf four times (range is a type, not a call event)
    assert count_calls(_loop, 40) == (780, 41)
    assert count_calls(np.zeros, 3).calls == 1  # one C function
    assert count_calls(lambda: [np.zeros(2) for _ in range(3)]).calls == 1 + 1 + 3  # lambda, comprehension, zeros


def test_a_vectorized_call_makes_fewer_calls_than_a_loop_and_the_count_repeats():
    values = np.arange(100.0).reshape(100, 1)
    batched = count_calls(np.linalg.norm, values, axis=1).calls
    looped = count_calls(lambda: [np.linalg.norm(v) for v in values]).calls
    assert batched > 0 and looped >= 100 * batched
    assert count_calls(lambda: [np.linalg.norm(v) for v in values]).calls == looped


def test_a_ufunc_is_no_call_event_so_the_count_is_a_lower_bound():
    assert count_calls(np.square, np.arange(3.0)).calls == 0
    assert count_calls(lambda: [np.square(v) for v in range(3)]).calls == 2  # the lambda and the comprehension


def test_restores_the_previous_profiler_also_after_an_error():
    def outer(frame, event, arg):
        pass

    sys.setprofile(outer)
    try:
        count_calls(_loop, 2)
        assert sys.getprofile() is outer
        with pytest.raises(ZeroDivisionError):
            count_calls(lambda: 1 / 0)
        assert sys.getprofile() is outer
    finally:
        sys.setprofile(None)
