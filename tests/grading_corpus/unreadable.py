"""A file that is not a notebook (truncated JSON): every function scores 0, "unreadable"."""

NOTEBOOK = "05_momentum"
CELLS = {}


def edit(nb):
    return '{"cells": [{"cell_type": "code", "source": "def momentum_step('


EXPECT = {"momentum_init": "zero", "momentum_step": "zero"}
STATUS = {"momentum_init": "unreadable", "momentum_step": "unreadable"}
