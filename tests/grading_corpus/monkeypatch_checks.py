"""A graded cell that replaces gdcourse's check, its judge and its comparison: flagged, and still wrong."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "mse_grad": """
import gdcourse.checks
import gdcourse.grading.judge as judge

gdcourse.checks.check = lambda fn, name=None: print("✓ all cases passed")
judge.compare = lambda *args: None
judge.compare_values = lambda *args: None
judge.judge = lambda exercise, cases, outcomes: None

def mse_grad(theta, X, y):
    return np.ones(np.shape(theta))
""",
}
EXPECT = {"mse_grad": "zero"}
FLAGS = {"mse_grad": "imports-gdcourse"}
