"""Cells that validate their hyper-parameters exactly as asked and then return the inputs unchanged:
they pass every bad-argument case but no value case, so they earn nothing (the old grader gave 1.14/2)."""

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
    "adamw_step": """
def adamw_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):"""
    + _VALIDATE + """
    if np.any(np.asarray(weight_decay) < 0):
        raise ValueError(f"weight_decay must be >= 0, got {weight_decay}")
    return params, m, v
""",
}
EXPECT = {"adam_step": "zero", "adamw_step": "zero"}
STATUS = {"adam_step": "failed", "adamw_step": "failed"}
