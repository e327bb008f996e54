"""Right numbers, wrong types: float32, a list, and a tuple of the wrong length."""

NOTEBOOK = "07_adam"
CELLS = {
    "adam_step": """
def adam_step(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    new = params - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    return new.astype(np.float32), m.tolist(), v
""",
    "adam_run": """
def adam_run(grad, theta0, steps, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return theta0, theta0
""",
}
EXPECT = {"adam_step": "zero", "adam_run": "zero"}
IN_MESSAGE = {"adam_step": "dtype float32", "adam_run": "is a tuple of 2 values, expected an array"}
