"""A graded cell that patches numpy's comparisons and assert helpers before returning wrong values."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "gd_step": """
import numpy.testing

np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.broadcast_shapes(np.shape(a), np.shape(b)), dtype=bool)
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
numpy.testing.assert_array_equal = lambda *args, **kwargs: None

def gd_step(theta, grad, lr=0.1):
    return theta + lr * grad
""",
}
EXPECT = {"gd_step": "less"}
IN_MESSAGE = {"gd_step": "your update moves uphill"}
