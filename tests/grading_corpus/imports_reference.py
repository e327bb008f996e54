"""Calling the course's reference kernels instead of writing them: correct values, flagged for the
instructor (directly, and hidden behind __import__). Importing the package is slow, so the score is
not asserted: only the flag is."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "gd_step": """
from gdcourse.optimizers import GD, GDState

def gd_step(theta, grad, lr=0.1):
    return GD(lr).step(theta, grad, GDState(0))[0]
""",
    "mse_grad": """
models = __import__("gd" + "course.models", fromlist=["LinearRegression"])

def mse_grad(theta, X, y):
    return models.LinearRegression(X.shape[1]).grad(theta, X, y)
""",
}
EXPECT = {"gd_step": "any", "mse_grad": "any"}
FLAGS = {"gd_step": "imports-gdcourse", "mse_grad": "imports-gdcourse"}
