"""Cells that only raise ValueError (they "pass" every bad-argument case and nothing else): the
must-raise cases count only once every value case passes, so both score 0."""

NOTEBOOK = "07_adam"
CELLS = {
    "adam_step": """
def adam_step(params, grad, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    raise ValueError("todo")
""",
    "adamw_step": """
raise_it = ValueError

def adamw_step(params, grad, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
    raise raise_it("todo")
""",
}
EXPECT = {"adam_step": "zero", "adamw_step": "zero"}
STATUS = {"adam_step": "failed", "adamw_step": "failed"}
IN_MESSAGE = {"adam_step": "count only once all"}
