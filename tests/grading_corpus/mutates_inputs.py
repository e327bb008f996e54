"""Right values, but the inputs are changed in place: the gradient scaled by lr, and the targets zeroed
after patching np.array_equal (the child compares with its own reference to it)."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "gd_step": """
def gd_step(theta, grad, lr=0.1):
    if np.any(np.asarray(lr) <= 0):
        raise ValueError("lr must be > 0")
    grad *= lr
    return theta - grad
""",
    "mse_grad": """
np.array_equal = lambda *args, **kwargs: True

def mse_grad(theta, X, y):
    r = theta[..., :-1] @ X.T + theta[..., -1:] - y
    m = len(y)
    y[...] = 0.0
    return np.concatenate([r @ X / m, r.sum(axis=-1, keepdims=True) / m], axis=-1)
""",
}
EXPECT = {"gd_step": "less", "mse_grad": "zero"}
FLAGS = {"gd_step": "mutates-inputs", "mse_grad": "mutates-inputs"}
IN_MESSAGE = {"gd_step": "changed the input `grad` in place", "mse_grad": "changed the input `y` in place"}
