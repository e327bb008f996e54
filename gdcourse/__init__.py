"""gdcourse: the helper package behind the gradient-descent course.

Data flows one way through it (nothing lower imports anything higher)::

    objectives, data, models, batching   losses and gradients (vectorized over points and examples)
    optimizers, schedules                the update kernels and the learning rate over time (pure)
    training                             the loop: batches -> grad -> step -> history, divergence/convergence
    seeds                                the same mini-batch training over several shuffle seeds, in one call
    theory                               closed forms on quadratics: stability edges, optimal (alpha, beta)
    compare, boundaries                  the optimizer bake-off (lecture 7), decision boundaries (lecture 10)
    plots, widgets, quiz                 pictures, the sliders over them, the Reflect quizzes
    ars, envs                            derivative-free search and the environments it is tested on
    checks, mistakes, grading            exercise checks, known mistakes, the instructor's grader
    calls                                counting the calls a computation makes (the interpreter's cost, no clock)

Every module is an attribute (``gdcourse.plots``); the public names of the computing modules (ars,
batching, data, envs, models, objectives, optimizers, schedules, theory, training) are also importable
from ``gdcourse`` itself, e.g. ``gdcourse.Adam``.
"""

from . import (
    ars,
    batching,
    boundaries,
    calls,
    checks,
    compare,
    data,
    envs,
    mistakes,
    models,
    objectives,
    optimizers,
    plots,
    quiz,
    schedules,
    seeds,
    theory,
    training,
    widgets,
)
from .ars import *  # noqa: F401,F403
from .batching import *  # noqa: F401,F403
from .data import *  # noqa: F401,F403
from .envs import *  # noqa: F401,F403
from .models import *  # noqa: F401,F403
from .objectives import *  # noqa: F401,F403
from .optimizers import *  # noqa: F401,F403
from .schedules import *  # noqa: F401,F403
from .theory import *  # noqa: F401,F403
from .training import *  # noqa: F401,F403

__version__ = "0.1.0"
