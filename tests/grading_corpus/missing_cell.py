"""A graded cell deleted and another one's id changed (copied into a new cell): both score 0, "missing"."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {}


def edit(nb):
    nb["cells"] = [c for c in nb["cells"] if c["id"] != "graded-mse_loss"]
    for cell in nb["cells"]:
        if cell["id"] == "graded-gd_step":
            cell["id"] = "a-copy-of-gd_step"
    return nb


EXPECT = {"mse_loss": "zero", "gd_step": "zero"}
STATUS = {"mse_loss": "missing", "gd_step": "missing"}
