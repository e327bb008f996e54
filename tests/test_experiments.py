"""gdcourse.experiments: multi-seed summaries and SGD over the tilted wells, checked against hand loops."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gdcourse.batching import epoch_batches
from gdcourse.experiments import TiltedWells, final_losses_over_seeds, median_spread, sgd_over_seeds


def test_median_spread_gives_median_min_max_per_column():
    table = pd.DataFrame({"a": [3.0, 1.0, 2.0], "b": [10.0, 30.0, 20.0]})
    out = median_spread(table)
    assert out.loc["a"].tolist() == [2.0, 1.0, 3.0] and out.loc["b"].tolist() == [20.0, 10.0, 30.0]
    with pytest.raises(ValueError, match="table must be a non-empty DataFrame"):
        median_spread(pd.DataFrame())


def test_tilted_wells_shape_minima_and_centred_data():
    wells = TiltedWells(tilt=3.0, spread=10.0, m=50, seed=1)
    lo, barrier, hi = wells.critical_points
    np.testing.assert_allclose(wells.grad(wells.critical_points), 0.0, atol=1e-9)
    assert lo < barrier < hi and wells(lo) < wells(hi) < wells(barrier)  # the left minimum is the deeper one
    assert abs(wells.x.sum()) < 1e-9 and wells.x.shape == (50,)
    np.testing.assert_allclose(wells(np.array([1.0])), 1 - 8 + 3)
    np.testing.assert_allclose(wells.grad(np.array([1.0])), 4 - 16 + 3)


@pytest.mark.parametrize("kwargs, message", [
    (dict(tilt=0.0), "tilt must be in"), (dict(tilt=20.0), "tilt must be in"),
    (dict(spread=-1.0), "spread must be >= 0"), (dict(m=0), "m must be"),
])
def test_tilted_wells_rejects_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TiltedWells(**kwargs)


def test_batch_noise_is_the_batch_mean_of_x_in_the_shuffled_order():
    wells = TiltedWells(m=10, spread=1.0)
    noise = wells.batch_noise(batch_size=4, epochs=2, seed=3)
    expected = [wells.x[b].mean() for e in range(2) for b in epoch_batches(10, 4, epoch=e, seed=3)]
    np.testing.assert_allclose(noise, expected)
    np.testing.assert_allclose(wells.batch_noise(batch_size=10, epochs=3, seed=0), 0.0, atol=1e-12)


def test_sgd_over_seeds_matches_a_hand_loop_per_seed_and_rate():
    wells = TiltedWells(m=8, spread=2.0)
    paths = sgd_over_seeds(wells, 2.5, [0.01, 0.02], batch_size=3, epochs=2, seeds=[0, 5])
    assert paths.shape == (2 * 3 + 1, 2, 2)
    for s, seed in enumerate([0, 5]):
        for k, lr in enumerate([0.01, 0.02]):
            theta = 2.5
            for g in wells.batch_noise(3, 2, seed):
                theta = theta - lr * (wells.grad(theta) + g)
            np.testing.assert_allclose(paths[-1, s, k], theta)


def test_full_batch_sgd_is_deterministic_and_stays_in_the_local_well():
    wells = TiltedWells()
    paths = sgd_over_seeds(wells, 2.5, [0.01], batch_size=wells.m, epochs=200, seeds=[0, 1, 2])
    np.testing.assert_allclose(paths[-1], wells.critical_points[2], atol=1e-6)


def test_sgd_over_seeds_says_where_a_run_diverges():
    with pytest.raises(ValueError, match=r"diverged at step \d+: seed 0, lr 1"):
        sgd_over_seeds(TiltedWells(), 2.5, [1.0], batch_size=1, epochs=1, seeds=[0])


def test_final_losses_over_seeds_is_one_batched_train_per_seed_with_nan_for_diverged():
    import gdcourse as gc

    X, y = gc.xy(gc.linear_regression_data(n=40, seed=0))
    model = gc.LinearRegression(n_features=2)
    lrs = [0.01, 0.1, 5.0]  # 5.0 is far past 2/L: it diverges
    table = final_losses_over_seeds(model, X, y, lambda a: gc.GD(lr=a), lrs, batch_size=8, epochs=3, seeds=[0, 2],
                                    theta0=np.zeros(3))
    assert table.shape == (2, 3) and table.index.tolist() == [0, 2] and table.columns.tolist() == lrs
    for seed in (0, 2):
        one = gc.train(model, X, y, gc.GD(lr=0.1), batch_size=8, epochs=3, seed=seed, theta0=np.zeros(3))
        np.testing.assert_allclose(table.loc[seed, 0.1], one.losses[-1])
    assert table[5.0].isna().all() and table[[0.01, 0.1]].notna().all().all()
    assert table.loc[0, 0.1] != table.loc[2, 0.1]  # the seed changes the shuffle
