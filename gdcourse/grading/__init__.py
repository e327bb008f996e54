"""The instructor's grader: student cells run in a capped child process and are judged outside it.

``notebook`` reads graded and setup cells by id, ``sandbox`` runs one graded function in a child process,
``judge`` compares what came back with the reference kernels, ``grader`` grades folders of submissions
into a CSV and a gradebook, ``generate`` builds exercises/ from solutions/, ``cli`` is ``gdcourse-grade``.
"""
