"""A submitted notebook that is a symbolic link to the solution notebook: refused, one row, zero."""

NOTEBOOK = "08_schedules"
CELLS = {}
EXPECT = {}
WHOLE = "refused"
IN_MESSAGE = {"*": "symbolic link"}


def make(target, solution):
    target.symlink_to(solution)
