"""Batching: counts of epochs and iterations, per-epoch reshuffling from the seed, validation."""

import numpy as np
import pytest

import gdcourse as gc


@pytest.mark.parametrize(
    "n, batch_size, keep, drop",
    [(1153, 128, 10, 9), (10, 3, 4, 3), (10, 5, 2, 2), (10, 10, 1, 1), (10, 1, 10, 10), (7, 6, 2, 1)],
)
def test_n_batches(n, batch_size, keep, drop):
    assert gc.n_batches(n, batch_size) == keep
    assert gc.n_batches(n, batch_size, drop_last=True) == drop


def test_lecture_table_in_minibatches_of_128():
    df = gc.classification_table()
    batches = gc.epoch_batches(len(df), 128)
    assert [len(b) for b in batches] == [128] * 9 + [1]
    np.testing.assert_array_equal(np.sort(np.concatenate(batches)), np.arange(1153))  # every row once
    dropped = gc.epoch_batches(len(df), 128, drop_last=True)
    assert [len(b) for b in dropped] == [128] * 9
    assert len(np.unique(np.concatenate(dropped))) == 1152
    assert df.iloc[batches[0]].shape == (128, 3)


def test_epoch_k_order_is_default_rng_of_seed_and_k():
    for epoch in (0, 3):
        order = np.random.default_rng((7, epoch)).permutation(10)
        batches = gc.epoch_batches(10, 4, epoch=epoch, seed=7)
        np.testing.assert_array_equal(np.concatenate(batches), order)
        assert [len(b) for b in batches] == [4, 4, 2]


def test_epoch_order_does_not_depend_on_earlier_epochs():
    long = [b for b in gc.minibatches(20, 6, epochs=5, seed=3) if b.epoch == 3]
    short = [b for b in gc.minibatches(20, 6, epochs=4, seed=3) if b.epoch == 3]
    alone = gc.epoch_batches(20, 6, epoch=3, seed=3)
    for a, b, c in zip(long, short, alone):
        np.testing.assert_array_equal(a.index, b.index)
        np.testing.assert_array_equal(a.index, c)


def test_epochs_are_reshuffled_and_seeds_differ():
    first, second = gc.epoch_batches(50, 50, epoch=0), gc.epoch_batches(50, 50, epoch=1)
    assert not np.array_equal(first[0], second[0])
    assert not np.array_equal(gc.epoch_batches(50, 50, seed=0)[0], gc.epoch_batches(50, 50, seed=1)[0])
    np.testing.assert_array_equal(gc.epoch_batches(50, 7, seed=2)[3], gc.epoch_batches(50, 7, seed=2)[3])


def test_minibatches_count_epochs_iterations_and_steps():
    batches = list(gc.minibatches(10, 4, epochs=3, seed=0))
    assert len(batches) == 3 * 3
    assert [(b.epoch, b.iteration, b.step) for b in batches] == [
        (e, i, 3 * e + i) for e in range(3) for i in range(3)
    ]
    assert [len(b.index) for b in batches] == [4, 4, 2] * 3
    dropped = list(gc.minibatches(10, 4, epochs=2, drop_last=True))
    assert [(b.epoch, b.iteration, b.step, len(b.index)) for b in dropped] == [
        (0, 0, 0, 4), (0, 1, 1, 4), (1, 0, 2, 4), (1, 1, 3, 4)
    ]


def test_batches_cover_an_arange_matrix_exactly_once_per_epoch():
    X = np.arange(26.0).reshape(13, 2)  # any row/column mix-up changes the sums
    batches = list(gc.minibatches(13, 5, epochs=2, seed=4))
    for epoch in (0, 1):
        rows = np.concatenate([X[b.index] for b in batches if b.epoch == epoch])
        np.testing.assert_array_equal(rows.sum(axis=0), X.sum(axis=0))
        np.testing.assert_array_equal(np.sort(rows[:, 0]), X[:, 0])


def test_no_shuffle_keeps_the_table_order():
    batches = gc.epoch_batches(7, 3, shuffle=False)
    assert [b.tolist() for b in batches] == [[0, 1, 2], [3, 4, 5], [6]]
    later = gc.epoch_batches(7, 3, epoch=5, shuffle=False)
    assert [b.tolist() for b in later] == [[0, 1, 2], [3, 4, 5], [6]]


def test_full_batch_and_stochastic():
    full = list(gc.full_batches(6, epochs=3))
    assert [(b.epoch, b.iteration, b.step) for b in full] == [(0, 0, 0), (1, 0, 1), (2, 0, 2)]
    for b in full:
        np.testing.assert_array_equal(b.index, np.arange(6))
    sgd = list(gc.stochastic_batches(6, epochs=2, seed=1))
    assert len(sgd) == 12 and all(len(b.index) == 1 for b in sgd)
    assert [b.step for b in sgd] == list(range(12))
    assert [b.iteration for b in sgd] == list(range(6)) * 2
    epoch1 = np.concatenate([b.index for b in sgd if b.epoch == 1])
    np.testing.assert_array_equal(epoch1, np.random.default_rng((1, 1)).permutation(6))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: gc.n_batches(10, 0), r"batch_size must be an integer >= 1, got 0"),
        (lambda: gc.n_batches(10, 11), r"batch_size must be in \[1, n_examples\] = \[1, 10\], got 11"),
        (lambda: gc.epoch_batches(10, 2.5), r"batch_size must be an integer >= 1, got 2\.5"),
        (lambda: gc.epoch_batches(0, 1), r"n_examples must be an integer >= 1, got 0"),
        (lambda: gc.epoch_batches(10, 2, epoch=-1), r"epoch must be an integer >= 0, got -1"),
        (lambda: gc.epoch_batches(10, 2, seed=-3), r"seed must be an integer >= 0, got -3"),
        (lambda: gc.minibatches(10, 2, epochs=0), r"epochs must be an integer >= 1, got 0"),
        (lambda: gc.minibatches(10, 20, epochs=1), r"batch_size must be in \[1, n_examples\] = \[1, 10\], got 20"),
        (lambda: gc.minibatches(10, 2, epochs=1, seed=1.5), r"seed must be an integer >= 0, got 1\.5"),
        (lambda: gc.stochastic_batches(10, epochs=-2), r"epochs must be an integer >= 1, got -2"),
    ],
)
def test_validation_messages_are_raised_at_the_call(call, message):
    with pytest.raises(ValueError, match=message):
        call()  # no next(): generators must check their arguments before the first batch
