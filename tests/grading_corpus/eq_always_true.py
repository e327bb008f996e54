"""Objects whose == is always True (and an ndarray subclass that claims equality): never compared as such."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "mse_loss": """
class Anything:
    def __eq__(self, other):
        return True
    __hash__ = object.__hash__
    def __array__(self, dtype=None, copy=None):
        raise TypeError("no")

def mse_loss(theta, X, y):
    return Anything()
""",
    "mse_grad": """
class Agreeable(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(self), dtype=bool)
    def __array_finalize__(self, obj):
        pass

def mse_grad(theta, X, y):
    return np.zeros(np.shape(theta)).view(Agreeable)
""",
}
EXPECT = {"mse_loss": "zero", "mse_grad": "less"}
IN_MESSAGE = {"mse_loss": "object of type Anything"}
