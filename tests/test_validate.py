"""The shared argument checks: each message names the parameter, the value and the valid range."""

import numpy as np
import pytest

from gdcourse import _validate as v


@pytest.mark.parametrize(
    "check, value, message",
    [
        (v.positive, -0.1, "lr must be in (0, inf), got -0.1"),
        (v.positive, 0, "lr must be in (0, inf), got 0"),
        (v.positive, np.inf, "lr must be in (0, inf), got inf"),
        (v.nonnegative, -1e-3, "lr must be in [0, inf), got -0.001"),
        (v.unit_interval, 1.0, "lr must be in [0, 1), got 1.0"),
        (v.unit_interval, np.nan, "lr must be in [0, 1), got nan"),
    ],
)
def test_scalar_messages(check, value, message):
    with pytest.raises(ValueError) as info:
        check("lr", value)
    assert str(info.value) == message


def test_array_message_names_the_first_bad_index():
    lrs = np.array([[0.1], [0.2], [-0.3]])
    with pytest.raises(ValueError, match=r"^lr must be in \(0, inf\), got -0\.3 at index \(2, 0\)$"):
        v.positive("lr", lrs)


def test_valid_values_are_returned_unchanged():
    lrs = np.array([0.1, 0.5])
    assert v.positive("lr", lrs) is lrs
    assert v.unit_interval("beta", 0.0) == 0.0
    assert v.in_interval("p", 1.0, 0.0, 1.0) == 1.0


def test_in_interval_respects_open_and_closed_ends():
    with pytest.raises(ValueError, match=r"must be in \(0, 1\], got 0"):
        v.in_interval("p", 0, 0.0, 1.0, low_closed=False)
    with pytest.raises(ValueError, match=r"must be in \[0.5, 2\), got 2"):
        v.in_interval("p", 2, 0.5, 2.0, high_closed=False)


def test_finite_names_nan_and_its_index():
    with pytest.raises(ValueError, match=r"^grad must be finite, got nan at index \(1,\)$"):
        v.finite("grad", [1.0, np.nan])
    with pytest.raises(ValueError, match="grad must be an array of numbers, got dtype <U1"):
        v.finite("grad", ["a"])


def test_shapes():
    v.same_shape("grad", np.zeros((2, 3)), "params", np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"grad must have the shape of params \(2, 3\), got shape \(3, 2\)"):
        v.same_shape("grad", np.zeros((3, 2)), "params", np.ones((2, 3)))
    v.broadcasts_to("lr", np.ones((5, 1)), (5, 2))
    with pytest.raises(ValueError, match=r"lr of shape \(3,\) does not broadcast against params of shape \(5, 2\)"):
        v.broadcasts_to("lr", np.ones(3), (5, 2))
    with pytest.raises(ValueError, match="does not broadcast"):  # would enlarge params
        v.broadcasts_to("lr", np.ones((4, 5, 1)), (5, 2))


@pytest.mark.parametrize("value", [0, -3, 2.5, True, "4"])
def test_positive_int_rejects(value):
    with pytest.raises(ValueError, match=rf"^n must be an integer >= 1, got {value!r}$".replace("(", r"\(")):
        v.positive_int("n", value)
