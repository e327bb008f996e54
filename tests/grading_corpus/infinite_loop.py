"""An infinite loop in the function: every case times out, the other functions are graded normally."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "gd_step": """
def gd_step(theta, grad, lr=0.1):
    while True:
        theta = theta - lr * grad
""",
}
EXPECT = {"gd_step": "zero"}
FLAGS = {"gd_step": "timeout"}
IN_MESSAGE = {"gd_step": "timed out"}
