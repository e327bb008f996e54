"""The check cells are edited to print a pass, and the checks import redefined: wrong code still fails."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "mse_grad": """
def mse_grad(theta, X, y):
    return np.zeros(np.shape(theta))
""",
}


def edit(nb):
    for cell in nb["cells"]:
        if "check" in cell["metadata"].get("gdcourse", {}):
            cell["source"] = 'print("✓ all cases passed")'
        if cell["id"] == "check-import":
            cell["source"] = "check = lambda fn: print('✓')"
    return nb


EXPECT = {"mse_grad": "less"}
