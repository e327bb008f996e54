"""A graded cell that writes garbage, impossible events and a malformed array into the child's result
file before the real results: the grader skips what it cannot read and still finishes."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "gd_step": """
import json

with open("result.jsonl", "a") as out:
    out.write("not json at all\\n[1, 2, 3]\\n")
    out.write(json.dumps({"event": "case", "index": 99, "kind": "value", "value": 1.0}) + "\\n")
    out.write(json.dumps({"event": "case", "index": 0, "kind": "value",
                          "value": {"__ndarray__": "x", "dtype": "object", "shape": [1]}}) + "\\n")

def gd_step(theta, grad, lr=0.1):
    if np.any(np.asarray(lr) <= 0):
        raise ValueError("lr must be > 0")
    return theta - lr * grad
""",
}
EXPECT = {"gd_step": "less"}
IN_MESSAGE = {"gd_step": "unreadable result"}
