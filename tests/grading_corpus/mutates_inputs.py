"""Right values, but the inputs are changed in place (the gradient is scaled, theta updated with -=)."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "gd_step": """
def gd_step(theta, grad, lr=0.1):
    if np.any(np.asarray(lr) <= 0):
        raise ValueError("lr must be > 0")
    grad *= lr
    return theta - grad
""",
}
EXPECT = {"gd_step": "less"}
FLAGS = {"gd_step": "mutates-inputs"}
IN_MESSAGE = {"gd_step": "changed the input `grad` in place"}
