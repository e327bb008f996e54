"""Functions that end the process: sys.exit (caught as an exception) and os._exit (the child dies)."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "mse_loss": """
import sys

def mse_loss(theta, X, y):
    sys.exit(0)
""",
    "gd_step": """
import os

def gd_step(theta, grad, lr=0.1):
    os._exit(0)
""",
}
EXPECT = {"mse_loss": "zero", "gd_step": "zero"}
IN_MESSAGE = {"mse_loss": "SystemExit", "gd_step": "no result"}
FLAGS = {"gd_step": "crashed"}
