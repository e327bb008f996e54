"""A function that passes check() by looking up the visible cases' answers: hidden cases expose it.

The table is built here, from the visible cases, as a student would copy them out of check()'s output.
"""

import numpy as np

from gdcourse.checks import EXERCISES, VISIBLE_SEED
from gdcourse.grading.judge import expected

NOTEBOOK = "02_batch_gradient_descent"


def _table() -> dict:
    exercise = EXERCISES["mse_grad"]
    table = {}
    for case in exercise.cases(np.random.default_rng(VISIBLE_SEED)):
        key = repr([np.round(np.asarray(a), 6).tolist() for a in case.args])
        table[key] = expected(exercise, case).value.tolist()
    return table


CELLS = {
    "mse_grad": f"""
ANSWERS = {_table()!r}

def mse_grad(theta, X, y):
    key = repr([np.round(np.asarray(a), 6).tolist() for a in (theta, X, y)])
    return np.array(ANSWERS.get(key, np.zeros(np.shape(theta)).tolist()))
""",
}
EXPECT = {"mse_grad": "less"}
