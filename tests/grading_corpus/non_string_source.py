"""A notebook whose (ungraded) cell holds a number among its source lines: not valid nbformat, so one
"unreadable" row for the notebook, and the grading of everyone else goes on."""

NOTEBOOK = "05_momentum"
CELLS = {}


def edit(nb):
    nb["cells"][0]["source"] = ["# Exercise\n", 42, None]
    return nb


EXPECT = {}
WHOLE = "unreadable"
IN_MESSAGE = {"*": "not a valid notebook"}
