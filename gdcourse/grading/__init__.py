"""The instructor's grader: student cells run in a bubblewrap sandbox and are judged outside it.

``notebook`` reads graded and setup cells (by id, else by exercise metadata) from files it refuses to
follow or block on, ``sandbox`` runs one graded function in a sandboxed child (``child``, the harness),
``channel`` reads and checks what the child reports, ``judge`` compares it with the reference kernels and
scores it, ``grader`` grades folders of submissions into a CSV and a gradebook, ``generate`` builds
exercises/ from solutions/, ``cli`` is ``gdcourse-grade``.
"""
