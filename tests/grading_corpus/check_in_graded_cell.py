"""Correct functions followed by check(...) in the same graded cell (as students leave them): check is a
no-op inside the grader, full marks."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "gd_step": """
def gd_step(theta, grad, lr=0.1):
    if np.any(np.asarray(lr) <= 0):
        raise ValueError("lr must be > 0")
    return theta - lr * grad

check(gd_step)
""",
    "mse_loss": """
def mse_loss(theta, X, y):
    w, b = theta[..., :-1], theta[..., -1:]
    return np.mean(0.5 * (w @ X.T + b - y) ** 2, axis=-1)

print(check(mse_loss, "mse_loss"))
""",
}
EXPECT = {}
STATUS = {"gd_step": "ok", "mse_loss": "ok"}
