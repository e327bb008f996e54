"""Forged lines on the result channel (found through /proc/self/fd): text that is not JSON, JSON that is
not an object, an int64 overflow (10**30) and an impossible case. Written at the top of the cell, the cell
is malformed (zero); written during a call, that case is malformed. The grader never raises, never hangs."""

NOTEBOOK = "02_batch_gradient_descent"
_FORGE = """
import json, os

def _forge():
    bad = ["not json at all", "[1, 2, 3]", "10" + "0" * 30,
           json.dumps({"event": "case", "index": 0, "kind": "value", "after": [None, None, None],
                       "value": {"__ndarray__": [10**30], "dtype": "int64", "shape": [1]}}),
           json.dumps({"event": "case", "index": 99, "kind": "value", "value": 1.0})]
    for fd in range(3, 64):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:"):
                os.write(fd, ("\\n".join(bad) + "\\n").encode())
        except OSError:
            pass
"""
CELLS = {
    "gd_step": _FORGE + """
_forge()

def gd_step(theta, grad, lr=0.1):
    if np.any(np.asarray(lr) <= 0):
        raise ValueError("lr must be > 0")
    return theta - lr * grad
""",
    "mse_loss": _FORGE + """
_forged = []

def mse_loss(theta, X, y):
    if not _forged:
        _forged.append(_forge())
    w, b = theta[..., :-1], theta[..., -1:]
    return np.mean(0.5 * (w @ X.T + b - y) ** 2, axis=-1)
""",
}
EXPECT = {"gd_step": "zero", "mse_loss": "less"}
STATUS = {"gd_step": "malformed", "mse_loss": "malformed"}
FLAGS = {"mse_loss": "malformed"}
IN_MESSAGE = {"gd_step": "malformed result", "mse_loss": "malformed result"}
