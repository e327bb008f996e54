"""The graded cell never finishes executing (a loop outside the function)."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "mse_loss": """
while True:
    pass

def mse_loss(theta, X, y):
    return 0.0
""",
}
EXPECT = {"mse_loss": "zero"}
STATUS = {"mse_loss": "timeout"}
