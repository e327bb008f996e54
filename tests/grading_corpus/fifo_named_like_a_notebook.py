"""A FIFO named like a notebook (reading it would block forever): refused without being opened, one row."""

import os

NOTEBOOK = "04_learning_rate"
CELLS = {}
EXPECT = {}
WHOLE = "refused"
IN_MESSAGE = {"*": "FIFO"}


def make(target, solution):
    os.mkfifo(target)
