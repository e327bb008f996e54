"""A file that is not a notebook (truncated JSON): one row for the notebook, 0 points, "unreadable"."""

NOTEBOOK = "05_momentum"
CELLS = {}


def edit(nb):
    return '{"cells": [{"cell_type": "code", "source": "def momentum_step('


EXPECT = {}
WHOLE = "unreadable"
