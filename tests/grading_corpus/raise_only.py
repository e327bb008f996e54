"""Cells that only raise ValueError (they "pass" every bad-argument case and nothing else): the
must-raise cases count only once every value case passes, so both score 0."""

NOTEBOOK = "07_adam"
CELLS = {
    "adam_step": """
def adam_step(params, grad, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    raise ValueError("todo")
""",
    "adam_run": """
raise_it = ValueError

def adam_run(grad, theta0, steps, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    raise raise_it("todo")
""",
}
EXPECT = {"adam_step": "zero", "adam_run": "zero"}
STATUS = {"adam_step": "failed", "adam_run": "failed"}
IN_MESSAGE = {"adam_step": "count only once all", "adam_run": "count only once all"}
