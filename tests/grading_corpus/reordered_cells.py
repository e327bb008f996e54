"""Cells in reverse order, check cells moved to the top: graded cells are found by id, correct code keeps
full marks."""

NOTEBOOK = "07_adam"
CELLS = {}


def edit(nb):
    nb["cells"] = nb["cells"][::-1]
    return nb


EXPECT = {}
