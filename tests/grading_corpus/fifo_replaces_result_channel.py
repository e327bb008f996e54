"""A graded cell that replaces the old result file with a FIFO (and makes FIFOs of everything it can
name in its working folder): results travel on a pipe the grader owns, so nothing blocks and the right
answer keeps full marks."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "gd_step": """
import os

for name in ("result.jsonl", "job.json", "stdout", "stderr"):
    try:
        if os.path.exists(name):
            os.remove(name)
        os.mkfifo(name)
    except OSError:
        pass

def gd_step(theta, grad, lr=0.1):
    if np.any(np.asarray(lr) <= 0):
        raise ValueError("lr must be > 0")
    return theta - lr * grad
""",
}
EXPECT = {}
