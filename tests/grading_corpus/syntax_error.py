"""A syntax error in one graded cell: that function scores 0, the others are untouched."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "gd_step": "def gd_step(theta, grad, lr=0.1)\n    return theta - lr * grad\n",
}
EXPECT = {"gd_step": "zero"}
STATUS = {"gd_step": "syntax-error"}
IN_MESSAGE = {"gd_step": "SyntaxError"}
