"""A graded cell deleted (0, "missing") and another one's id changed, as when the cell was copied into a
new one: found by its exercise metadata, so its correct code keeps full marks."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {}


def edit(nb):
    nb["cells"] = [c for c in nb["cells"] if c["id"] != "graded-mse_loss"]
    for cell in nb["cells"]:
        if cell["id"] == "graded-gd_step":
            cell["id"] = "a-copy-of-gd_step"
    return nb


EXPECT = {"mse_loss": "zero"}
STATUS = {"mse_loss": "missing", "gd_step": "ok"}
