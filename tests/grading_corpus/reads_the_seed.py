"""A graded cell that reads every process's command line and environment it can see (/proc/<pid>/cmdline,
/proc/<pid>/environ) for the instructor's seed: inside the sandbox's PID namespace only its own processes
are there, nothing leaks, and the correct code keeps full marks (a leak would raise at the top)."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "gd_step": """
import os

_leaks = []
for pid in os.listdir("/proc"):
    for part in ("cmdline", "environ"):
        try:
            text = open(f"/proc/{pid}/{part}", "rb").read()
        except OSError:
            continue
        if b"--seed" in text or b"GDCOURSE_GRADE_SEED" in text or b"20240917" in text:
            _leaks.append(pid)
if _leaks:
    raise RuntimeError(f"leaked the seed from processes {_leaks}")

def gd_step(theta, grad, lr=0.1):
    if np.any(np.asarray(lr) <= 0):
        raise ValueError("lr must be > 0")
    return theta - lr * grad
""",
}
EXPECT = {}
STATUS = {"gd_step": "ok"}
