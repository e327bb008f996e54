"""A stub that looks for the official solution notebooks (the repository's solutions/, any folder named
solutions it can reach) and execs the solution's cell to pass: inside the sandbox there is no such path,
so the stub stays a stub (zero, not-implemented)."""

from pathlib import Path

NOTEBOOK = "07_adam"
_ROOT = str(Path(__file__).resolve().parents[2])
_STEAL = """
import json, os

def _solutions():
    seen = [os.path.join(%r, "solutions")]
    for top, dirs, files in os.walk("/"):
        dirs[:] = [d for d in dirs if os.path.join(top, d) not in ("/proc", "/sys", "/dev", "/usr")]
        if top.count(os.sep) > 4:
            dirs[:] = []
        seen += [os.path.join(top, d) for d in dirs if d == "solutions"]
    return seen

for folder in _solutions():
    try:
        nb = json.load(open(os.path.join(folder, "07_adam.ipynb")))
    except OSError:
        continue
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("gdcourse", {}).get("exercise") in ("adam_step", "adam_run"):
            exec("".join(cell["source"]))
""" % _ROOT
CELLS = {
    "adam_step": _STEAL + """
if "adam_step" not in dir():
    def adam_step(params, grad, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        raise NotImplementedError
""",
}
EXPECT = {"adam_step": "zero"}
STATUS = {"adam_step": "not-implemented"}
