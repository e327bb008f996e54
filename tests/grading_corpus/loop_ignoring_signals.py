"""An infinite loop that ignores SIGINT, SIGTERM and the per-case SIGALRM: the child is SIGKILLed."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "mse_grad": """
import signal
for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM):
    signal.signal(sig, signal.SIG_IGN)

def mse_grad(theta, X, y):
    while True:
        pass
""",
}
EXPECT = {"mse_grad": "zero"}
STATUS = {"mse_grad": "timeout"}
FLAGS = {"mse_grad": "crashed"}
