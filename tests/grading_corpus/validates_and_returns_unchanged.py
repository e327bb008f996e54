"""Cells that validate their hyper-parameters exactly as asked and then return an input unchanged: they
pass every bad-argument case but no value case, so they earn nothing (the old grader gave 1.14/2)."""

NOTEBOOK = "07_adam"
_VALIDATE = """
    if np.any(np.asarray(lr) <= 0):
        raise ValueError(f"lr must be > 0, got {lr}")
    if np.any(np.asarray(eps) <= 0):
        raise ValueError(f"eps must be > 0, got {eps}")
    for name, beta in (("beta1", beta1), ("beta2", beta2)):
        if np.any((np.asarray(beta) < 0) | (np.asarray(beta) >= 1)):
            raise ValueError(f"{name} must be in [0, 1), got {beta}")
"""
CELLS = {
    "adam_step": """
def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):""" + _VALIDATE + """
    return params, m, v
""",
    "adam_run": """
def adam_run(grad, theta0, steps, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):""" + _VALIDATE + """
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    return theta0
""",
}
EXPECT = {"adam_step": "zero", "adam_run": "zero"}
STATUS = {"adam_step": "failed", "adam_run": "failed"}
IN_MESSAGE = {"adam_step": "count only once all", "adam_run": "count only once all"}
