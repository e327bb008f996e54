"""Every check cell deleted, and one function wrong: the grader does not need check cells."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "mse_loss": """
def mse_loss(theta, X, y):
    r = theta[..., :-1] @ X.T + theta[..., -1:] - y
    return np.mean(r**2, axis=-1)
""",
}


def edit(nb):
    nb["cells"] = [c for c in nb["cells"] if "check" not in c["metadata"].get("gdcourse", {})]
    return nb


EXPECT = {"mse_loss": "less"}
IN_MESSAGE = {"mse_loss": "did you forget the ½?"}
