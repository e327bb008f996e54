"""Functions passed to a student's function as data survive the grader's codec and compute what they say."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import gdcourse.grading.child as child
from gdcourse.grading.trusted_functions import TrustedFunction


def test_polynomial_and_its_derivative_by_hand():
    f = TrustedFunction("polynomial", coeffs=[1.0, 0.0, -8.0, 0.0, 0.0])  # θ⁴ − 8θ²
    df = TrustedFunction("polynomial_derivative", coeffs=[1.0, 0.0, -8.0, 0.0, 0.0])  # 4θ³ − 16θ
    assert f(2.0) == pytest.approx(16 - 32)
    np.testing.assert_allclose(df(np.array([1.0, 2.0])), [4 - 16, 32 - 32])


def test_polynomial_sum_is_separable_and_batched():
    f = TrustedFunction("polynomial_sum", coeffs=[1.0, 0.0, -8.0, 0.0, 0.0])  # Σ θᵢ⁴ − 8θᵢ²
    assert f(np.array([2.0, 1.0])) == pytest.approx((16 - 32) + (1 - 8))
    np.testing.assert_allclose(f(np.array([[0.0, 0.0], [1.0, -1.0]])), [0.0, -14.0])


def test_quadratic_loss_and_grad_batched():
    A, b = np.array([[2.0, 0.0], [0.0, 4.0]]), np.array([1.0, -1.0])
    J, dJ = TrustedFunction("quadratic_loss", A=A, b=b), TrustedFunction("quadratic_grad", A=A, b=b)
    theta = np.array([[1.0, -1.0], [2.0, 0.0]])  # two runs
    np.testing.assert_allclose(J(theta), [0.0, 0.5 * (2 * 1 + 4 * 1)])
    np.testing.assert_allclose(dJ(theta), [[0.0, 0.0], [2.0, 4.0]])


def test_unknown_kind_is_refused_by_name():
    with pytest.raises(ValueError, match="kind must be one of .* got 'exec'"):
        TrustedFunction("exec", code=1.0)


def test_codec_round_trip_rebuilds_the_function_and_strings():
    df = TrustedFunction("polynomial_derivative", coeffs=[1.0, 0.0, 3.0])
    back = child.decode(json.loads(json.dumps(child.encode((df, "adam")))))
    assert back[1] == "adam" and type(back[0]) is TrustedFunction and back[0].kind == df.kind
    assert back[0](2.0) == pytest.approx(df(2.0)) == pytest.approx(4.0)
    assert child.encode("x" * (child.MAX_STRING + 1)) == {"__object__": f"str of {child.MAX_STRING + 1} characters"}


def test_child_run_as_a_script_decodes_a_function(tmp_path: Path):
    """As the grader runs it (``python -I child.py``), the child loads trusted_functions.py by path."""
    code = (
        "import runpy, json, sys; ns = runpy.run_path(sys.argv[1]);"
        "f = ns['decode'](json.loads(sys.argv[2])); print(f(3.0))"
    )
    arg = json.dumps(child.encode(TrustedFunction("polynomial_derivative", coeffs=[1.0, 0.0, 0.0])))
    out = subprocess.run([sys.executable, "-I", "-c", code, child.__file__, arg], capture_output=True, text=True,
                         cwd=tmp_path, check=True)
    assert float(out.stdout) == pytest.approx(6.0)
