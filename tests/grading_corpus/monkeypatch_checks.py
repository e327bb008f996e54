"""A graded cell that replaces gdcourse's check, its judge and its comparison: gdcourse cannot be
imported inside the sandbox (cell-error), it is flagged, and the wrong code would score nothing anyway."""

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
STATUS = {"mse_grad": "cell-error"}
FLAGS = {"mse_grad": "imports-gdcourse"}
