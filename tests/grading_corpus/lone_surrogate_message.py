"""Exception messages holding a lone surrogate ("\ud800"), which UTF-8 cannot encode: the CSV is still
written whole, and the message shows U+FFFD in its place."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "mse_loss": """
def mse_loss(theta, X, y):
    raise RuntimeError("broken \\ud800 here")
""",
    "gd_step": """
raise RuntimeError("at the top \\udcff too")
""",
}
EXPECT = {"mse_loss": "zero", "gd_step": "zero"}
STATUS = {"gd_step": "cell-error"}
IN_MESSAGE = {"mse_loss": "broken \ufffd here", "gd_step": "at the top \ufffd too"}
