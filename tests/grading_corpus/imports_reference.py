"""Calling the course's reference kernels instead of writing them: inside the sandbox gdcourse cannot be
imported at all, by any name (a plain import, __import__ of a built-up name, importlib, runpy on the
package's path), so each attempt is an ImportError the student sees, and the plain import is also
flagged for the instructor from the source."""

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
    "mse_loss": """
import importlib, sys

for name in list(sys.modules):  # purge: the old child reported gdcourse through sys.modules
    if "course" in name:
        del sys.modules[name]
try:
    ref = importlib.import_module("".join(["gd", "course", ".models"]))
except ImportError:
    ref = None

def mse_loss(theta, X, y):
    return ref.LinearRegression(X.shape[1]).loss(theta, X, y)
""",
}
EXPECT = {"gd_step": "zero", "mse_grad": "zero", "mse_loss": "zero"}
STATUS = {"gd_step": "cell-error", "mse_grad": "cell-error", "mse_loss": "failed"}
FLAGS = {"gd_step": "imports-gdcourse"}
IN_MESSAGE = {"gd_step": "No module named 'gdcourse'", "mse_grad": "No module named 'gdcourse'",
              "mse_loss": "AttributeError"}
