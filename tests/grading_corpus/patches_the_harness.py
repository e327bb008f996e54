"""A graded cell that tries to turn off the mutates-inputs flag and forge what the harness reports: it
patches the helpers of `__main__` (now its own namespace, not the harness's), replaces json's encoder and
json.dumps, and purges sys.modules; then its function changes its input in place. The grader judges the
change itself from the arguments after the call: flagged, and those cases fail."""

NOTEBOOK = "02_batch_gradient_descent"
CELLS = {
    "gd_step": """
import json, json.encoder, sys
import __main__

class _Never:
    def __init__(self, value):
        pass
    def changed(self, value):
        return False

__main__._Snapshot = _Never
__main__.encode = lambda value, depth=0: {"__object__": "forged"}
__main__.emit = lambda **event: None
json.encoder.c_make_encoder = None
json.encoder.encode_basestring_ascii = lambda s: '"forged"'
json.dumps = lambda *args, **kwargs: '{"event": "done"}'
json.JSONEncoder.encode = lambda self, o: '{"event": "done"}'
for name in [m for m in sys.modules if m.startswith(("gdcourse", "trusted"))]:
    del sys.modules[name]

def gd_step(theta, grad, lr=0.1):
    if np.any(np.asarray(lr) <= 0):
        raise ValueError("lr must be > 0")
    theta -= lr * grad
    return theta
""",
}
EXPECT = {"gd_step": "less"}
FLAGS = {"gd_step": "mutates-inputs"}
IN_MESSAGE = {"gd_step": "in place"}
