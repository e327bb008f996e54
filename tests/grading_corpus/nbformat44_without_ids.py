"""A correct notebook saved as nbformat 4.4, which has no cell ids: every graded cell is found by the
exercise metadata it still carries, full marks."""

NOTEBOOK = "07_adam"
CELLS = {}


def edit(nb):
    nb["nbformat_minor"] = 4
    for cell in nb["cells"]:
        cell.pop("id", None)
    return nb


EXPECT = {}
STATUS = {"adam_step": "ok", "adam_run": "ok"}
