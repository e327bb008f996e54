"""The function raises on every call (an IndexError from a wrong axis)."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "mse_grad": """
def mse_grad(theta, X, y):
    r = theta[..., :-1] @ X.T + theta[..., -1:] - y
    return np.concatenate([r @ X, r.sum(axis=3)], axis=-1) / len(y)
""",
}
EXPECT = {"mse_grad": "zero"}
STATUS = {"mse_grad": "failed"}
IN_MESSAGE = {"mse_grad": "raised AxisError"}
