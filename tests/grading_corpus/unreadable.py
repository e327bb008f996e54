"""A file that is not a notebook (truncated JSON): every function scores 0, "unreadable"."""

NOTEBOOK = "05_momentum"
CELLS = {}


def edit(nb):
    return '{"cells": [{"cell_type": "code", "source": "def momentum_step('


EXPECT = {"ewma": "zero", "momentum_step": "zero", "nesterov_step": "zero", "momentum_to_pytorch": "zero"}
STATUS = dict.fromkeys(EXPECT, "unreadable")
