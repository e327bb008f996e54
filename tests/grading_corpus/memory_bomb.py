"""Memory bombs: one giant array, and a list that grows until the address-space cap stops it."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "mse_loss": """
def mse_loss(theta, X, y):
    waste = np.ones((100_000, 100_000))
    return waste.sum()
""",
    "gd_step": """
def gd_step(theta, grad, lr=0.1):
    hoard = []
    while True:
        hoard.append(np.empty(25_000_000))  # 200 MB more address space each time
""",
}
EXPECT = {"mse_loss": "zero", "gd_step": "zero"}
IN_MESSAGE = {"mse_loss": "MemoryError", "gd_step": "MemoryError"}
