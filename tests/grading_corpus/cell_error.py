"""The graded cell itself raises at top level (a name from another cell): status cell-error."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "mse_loss": """
scale = helper_from_another_cell(2)

def mse_loss(theta, X, y):
    return 0.0
""",
}
EXPECT = {"mse_loss": "zero"}
STATUS = {"mse_loss": "cell-error"}
IN_MESSAGE = {"mse_loss": "NameError"}
