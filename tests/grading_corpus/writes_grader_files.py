"""A graded cell that tries to write into every folder of the grader it can find (solutions/ and its
setup cells, the gdcourse package, the gradebook, other students' folders): inside the sandbox none is
reachable, so nothing is written and the correct code keeps full marks (any success raises at the top).
The test checks the solutions the run graded against are unchanged byte for byte."""

from pathlib import Path

NOTEBOOK = "02_batch_gradient_descent"
_ROOT = str(Path(__file__).resolve().parents[2])
CELLS = {
    "gd_step": """
import os

_targets = [os.path.join(%r, sub) for sub in ("solutions", "gdcourse", "gdcourse/grading", "tests")]
for top, dirs, files in os.walk("/"):
    dirs[:] = [d for d in dirs if os.path.join(top, d) not in ("/proc", "/sys", "/dev", "/usr", "/tmp")]
    if top.count(os.sep) > 5:
        dirs[:] = []
    _targets += [top for name in files if name.endswith((".ipynb", ".csv")) or name == "child.py"]
_written = []
for folder in sorted(set(_targets)):
    for name in ("pwned.txt", "02_batch_gradient_descent.ipynb", "grades.csv", "child.py"):
        path = os.path.join(folder, name)
        try:
            with open(path, "r+" if os.path.exists(path) else "x") as f:
                _written.append(path)
        except OSError:
            pass
if _written:
    raise RuntimeError(f"could write {_written[:3]}")

def gd_step(theta, grad, lr=0.1):
    if np.any(np.asarray(lr) <= 0):
        raise ValueError("lr must be > 0")
    return theta - lr * grad
""" % _ROOT,
}
EXPECT = {}
STATUS = {"gd_step": "ok"}
