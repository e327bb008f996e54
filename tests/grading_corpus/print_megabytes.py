"""Megabytes of printing: through print() (caught by the output cap), and straight to file descriptor 1,
which leads nowhere (/dev/null): harmless, the correct function keeps its marks."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "mse_loss": """
def mse_loss(theta, X, y):
    print("debug " * 1_000_000)
    r = theta[..., :-1] @ X.T + theta[..., -1:] - y
    return np.mean(0.5 * r**2, axis=-1)
""",
    "gd_step": """
import os

def gd_step(theta, grad, lr=0.1):
    if np.any(np.asarray(lr) <= 0):
        raise ValueError("lr must be > 0")
    for _ in range(100):
        os.write(1, b"x" * 1_000_000)
    return theta - lr * grad
""",
}
EXPECT = {"mse_loss": "zero"}
FLAGS = {"mse_loss": "output-limit"}
IN_MESSAGE = {"mse_loss": "output limit"}
