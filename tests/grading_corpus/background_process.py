"""A graded cell that starts a background process and forks: the whole process group is killed, the
grader does not wait for it, and the right answer still gets full marks."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "gd_step": """
import os
import subprocess

subprocess.Popen(["sleep", "300"])
if os.fork() == 0:
    import time
    time.sleep(300)

def gd_step(theta, grad, lr=0.1):
    if np.any(np.asarray(lr) <= 0):
        raise ValueError("lr must be > 0")
    return theta - lr * grad
""",
}
EXPECT = {}
