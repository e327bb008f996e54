"""NaN and inf where numbers belong."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "mse_loss": """
def mse_loss(theta, X, y):
    return np.full(theta.shape[:-1], np.nan)
""",
    "mse_grad": """
def mse_grad(theta, X, y):
    return np.full(theta.shape, np.inf)
""",
}
EXPECT = {"mse_loss": "zero", "mse_grad": "zero"}
IN_MESSAGE = {"mse_loss": "is nan where it should be", "mse_grad": "is inf where it should be"}
