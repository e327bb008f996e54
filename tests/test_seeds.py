"""train_seeds: run s is exactly train(..., seed=s), divergence included; median_spread summarises over seeds."""

import numpy as np
import pytest

import gdcourse as gc
from gdcourse.seeds import median_spread, train_seeds


def _problem():
    X, y = gc.xy(gc.linear_regression_data(n=60, seed=0, w=(2.0,), b=1.0, noise=1.0))
    return gc.LinearRegression(n_features=1), X, y


def test_each_seed_is_the_training_of_that_seed():
    model, X, y = _problem()
    lrs = np.array([[0.05], [0.2]])
    runs = train_seeds(model, X, y, gc.Momentum(lr=lrs, beta=0.9), seeds=[0, 3, 7], epochs=3, batch_size=8,
                       theta0=np.zeros(2))
    assert runs.trajectory.shape == (3 * 8 + 1, 3, 2, 2) and runs.losses.shape == (25, 3, 2)
    for k, seed in enumerate([0, 3, 7]):
        one = gc.train(model, X, y, gc.Momentum(lr=lrs, beta=0.9), epochs=3, batch_size=8, seed=seed,
                       theta0=np.zeros(2))
        np.testing.assert_allclose(runs.trajectory[:, k], one.trajectory, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(runs.losses[:, k], one.losses, rtol=1e-12)


def test_different_seeds_give_different_paths_and_the_loss_can_be_skipped():
    model, X, y = _problem()
    runs = train_seeds(model, X, y, gc.GD(0.1), seeds=[0, 1], epochs=1, batch_size=5, theta0=np.zeros(2))
    assert not np.allclose(runs.trajectory[-1, 0], runs.trajectory[-1, 1])
    quiet = train_seeds(model, X, y, gc.GD(0.1), seeds=[0, 1], epochs=1, batch_size=5, theta0=np.zeros(2),
                        record_loss=False)
    assert quiet.losses is None
    np.testing.assert_array_equal(quiet.trajectory, runs.trajectory)


def test_a_diverging_run_stops_where_train_stops_it_and_the_others_run_on():
    model, X, y = _problem()
    lrs = np.array([[0.05], [3.0]])  # 3.0 is far past the stability edge: J explodes within a few steps
    runs = train_seeds(model, X, y, gc.GD(lr=lrs), seeds=[0, 4], epochs=3, batch_size=8, theta0=np.zeros(2))
    for k, seed in enumerate([0, 4]):
        one = gc.train(model, X, y, gc.GD(lr=lrs), epochs=3, batch_size=8, seed=seed, theta0=np.zeros(2))
        assert one.status.tolist() == ["max_steps", "diverged"]
        assert runs.diverged_at[k].tolist() == [-1, one.stopped_at[1]]
        np.testing.assert_allclose(runs.trajectory[:, k], one.trajectory, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(runs.losses[:, k], one.losses, rtol=1e-12)
    assert np.isfinite(runs.losses).all()  # the diverged run stays at its last acceptable point
    quiet = train_seeds(model, X, y, gc.GD(lr=lrs), seeds=[0, 4], epochs=3, batch_size=8, theta0=np.zeros(2),
                        record_loss=False)  # J(θ_s) unchecked: the bad θ_s is caught by its batch loss, kept
    np.testing.assert_array_equal(quiet.diverged_at, runs.diverged_at)
    for k, step in enumerate(runs.diverged_at[:, 1]):
        np.testing.assert_array_equal(quiet.trajectory[:step, k], runs.trajectory[:step, k])
        assert (quiet.trajectory[step:, k, 1] == quiet.trajectory[step, k, 1]).all()  # stays at θ_s


@pytest.mark.parametrize("seeds, word", [([], "non-empty"), ([1, 1], "distinct"), ([-1], ">= 0"), ([0.5], "integers")])
def test_bad_seeds_are_named(seeds, word):
    model, X, y = _problem()
    with pytest.raises(ValueError, match="seeds") as err:
        train_seeds(model, X, y, gc.GD(0.1), seeds=seeds, epochs=1, batch_size=5, theta0=np.zeros(2))
    assert word in str(err.value)


def test_median_spread_over_the_seed_axis():
    values = np.array([[1.0, 10.0], [3.0, 30.0], [2.0, 20.0]])  # 3 seeds × 2 rows
    table = median_spread(values, ["a", "b"])
    assert table.loc["a"].tolist() == [2.0, 1.0, 3.0] and table.loc["b"].tolist() == [20.0, 10.0, 30.0]
    with pytest.raises(ValueError, match="3 rows"):
        median_spread(values, ["a", "b", "c"])
