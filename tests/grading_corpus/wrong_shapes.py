"""Right numbers, wrong shapes: a flattened batch, and an extra axis."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "mse_grad": """
def mse_grad(theta, X, y):
    r = theta[..., :-1] @ X.T + theta[..., -1:] - y
    m = len(y)
    return np.concatenate([r @ X / m, r.sum(axis=-1, keepdims=True) / m], axis=-1).ravel()
""",
    "mse_loss": """
def mse_loss(theta, X, y):
    r = theta[..., :-1] @ X.T + theta[..., -1:] - y
    return np.mean(0.5 * r**2, axis=-1, keepdims=True)
""",
}
EXPECT = {"mse_grad": "less", "mse_loss": "zero"}
IN_MESSAGE = {"mse_grad": "has shape", "mse_loss": "has shape"}
