"""Data sets: determinism, sizes, columns, dtypes, ranges, and the property each lecture relies on."""

import numpy as np
import pandas as pd
import pytest

import gdcourse as gc

GENERATORS = {
    "classification_table": lambda seed: gc.classification_table(seed=seed),
    "linear_regression_data": lambda seed: gc.linear_regression_data(seed=seed),
    "badly_scaled_regression": lambda seed: gc.badly_scaled_regression(seed=seed),
    "two_moons": lambda seed: gc.two_moons(seed=seed),
    "sparse_features": lambda seed: gc.sparse_features(seed=seed),
}


@pytest.mark.parametrize("make", GENERATORS.values(), ids=GENERATORS.keys())
def test_same_seed_same_frame_other_seed_other_frame(make):
    a, b, c = make(0), make(0), make(1)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs == b.attrs
    assert a.shape == c.shape and list(a.columns) == list(c.columns)
    assert not a.equals(c)
    assert list(a.columns)[-1] == "y"


def fit_logistic_newton(X, y, steps=12):
    """Newton's method on the cross-entropy: H = (1/m) X̃ᵀ diag(a(1 − a)) X̃ with X̃ = [X, 1]."""
    model = gc.LogisticRegression(X.shape[1])
    Xt = np.column_stack([X, np.ones(len(X))])
    theta = np.zeros(model.n_params)
    for _ in range(steps):
        a = model.predict_proba(theta, X)
        H = Xt.T @ (Xt * (a * (1 - a))[:, None]) / len(X)
        theta = theta - np.linalg.solve(H, model.grad(theta, X, y))
    return model, theta


def test_classification_table_shape_columns_dtypes_ranges():
    df = gc.classification_table()
    assert len(df) == 1153
    assert list(df.columns) == ["X1", "X2", "y"]
    assert df.dtypes.to_dict() == {"X1": np.float64, "X2": np.float64, "y": np.int64}
    X = df[["X1", "X2"]].to_numpy()
    assert np.all((X > 0) & (X < 1))
    assert set(df["y"]) == {0, 1}
    assert 0.45 < df["y"].mean() < 0.55
    assert df.attrs == {"w": (14.4, 9.6), "b": -12.0}


@pytest.mark.parametrize("seed", [0, 1])
def test_classification_table_is_linearly_separable_with_overlap(seed):
    X, y = gc.xy(gc.classification_table(seed))
    model, theta = fit_logistic_newton(X, y)
    np.testing.assert_allclose(np.abs(model.grad(theta, X, y)), 0, atol=1e-10)  # converged
    assert 0.86 <= model.accuracy(theta, X, y) <= 0.94  # about 90 %, never 100 %
    np.testing.assert_allclose(theta, [14.4, 9.6, -12.0], atol=2.5)  # near the generating logit
    assert model.accuracy(np.array([14.4, 9.6, -12.0]), X, y) < 0.95


def test_linear_regression_data_recovers_true_parameters():
    df = gc.linear_regression_data()
    assert df.shape == (200, 3) and list(df.columns) == ["x1", "x2", "y"]
    assert (df.dtypes == np.float64).all()
    assert df.attrs == {"w": (2.0, -3.0), "b": 1.0, "noise": 0.5}
    X, y = gc.xy(df)
    theta = gc.LinearRegression(2).closed_form(X, y)
    np.testing.assert_allclose(theta, [2.0, -3.0, 1.0], atol=0.15)  # 4 standard errors of 0.5/√200
    exact = gc.linear_regression_data(50, seed=3, w=(1.0, 2.0, 3.0), b=-1.0, noise=0.0)
    assert list(exact.columns) == ["x1", "x2", "x3", "y"]
    np.testing.assert_allclose(gc.LinearRegression(3).closed_form(*gc.xy(exact)), [1, 2, 3, -1], atol=1e-12)


def test_badly_scaled_regression_and_standardize():
    df = gc.badly_scaled_regression()
    X, y = gc.xy(df)
    assert abs(X[:, 1].mean() - 500) < 25 and abs(X[:, 1].std() / 100 - 1) < 0.15
    assert abs(X[:, 0].std() - 1) < 0.15
    assert df.attrs["w"] == (2.0, 0.03)
    s = gc.standardize(X)
    np.testing.assert_allclose(s.Z.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(s.Z.std(axis=0), 1, rtol=1e-12)
    np.testing.assert_allclose(s.Z * s.std + s.mean, X)
    # curvature of J = ½ mean((Xw + b − y)²): eigenvalues of [X, 1]ᵀ[X, 1]/m before and after
    def cond(F):
        design = np.column_stack([F, np.ones(len(F))])
        ev = np.linalg.eigvalsh(design.T @ design / len(F))
        return ev[-1] / ev[0]
    assert cond(X) > 1e5 and cond(s.Z) < 1.5
    # new rows are transformed with the training statistics
    np.testing.assert_allclose(gc.standardize([[0.0, 600.0]], s.mean, s.std).Z,
                               [(np.array([0.0, 600.0]) - s.mean) / s.std])


def test_standardize_hand_worked():
    s = gc.standardize([[1.0, 10.0], [3.0, 10.0 + 4.0]])
    np.testing.assert_array_equal(s.mean, [2.0, 12.0])
    np.testing.assert_array_equal(s.std, [1.0, 2.0])
    np.testing.assert_array_equal(s.Z, [[-1.0, -1.0], [1.0, 1.0]])


def test_two_moons_geometry():
    df = gc.two_moons()
    assert df.shape == (300, 3) and list(df.columns) == ["x1", "x2", "y"]
    assert df.dtypes.to_dict() == {"x1": np.float64, "x2": np.float64, "y": np.int64}
    assert (df["y"] == 0).sum() == 150
    assert not df["y"].is_monotonic_increasing  # rows shuffled
    clean = gc.two_moons(n=7, noise=0.0, seed=1)
    assert (clean["y"] == 0).sum() == 3 and (clean["y"] == 1).sum() == 4
    upper, lower = clean[clean["y"] == 0], clean[clean["y"] == 1]
    np.testing.assert_allclose(upper["x1"] ** 2 + upper["x2"] ** 2, 1.0)
    assert (upper["x2"] >= -1e-12).all()
    np.testing.assert_allclose((lower["x1"] - 1) ** 2 + (lower["x2"] - 0.5) ** 2, 1.0)
    assert (lower["x2"] <= 0.5 + 1e-12).all()
    noisy = gc.two_moons(n=2000, noise=0.2, seed=0)
    r = np.hypot(noisy.loc[noisy.y == 0, "x1"], noisy.loc[noisy.y == 0, "x2"])
    assert 0.15 < np.std(r - 1) < 0.25


def test_sparse_features_frequencies_and_weights():
    df = gc.sparse_features()
    assert df.shape == (1000, 21) and list(df.columns)[:2] == ["x1", "x2"] and list(df.columns)[-2] == "x20"
    X, y = gc.xy(df)
    assert set(np.unique(X)) == {0.0, 1.0}
    p = np.array(df.attrs["p"])
    assert p[0] == 0.5 and p[-1] == pytest.approx(0.01)
    np.testing.assert_allclose(p[1:] / p[:-1], (0.01 / 0.5) ** (1 / 19))  # geometric
    freq = X.mean(axis=0)
    assert abs(freq[0] - 0.5) < 0.06 and freq[-1] < 0.03
    w = np.array(df.attrs["w"])
    np.testing.assert_allclose(np.abs(w) * np.sqrt(p), 0.5)  # each feature adds variance w²p = 1/4
    exact = gc.sparse_features(n=500, d=5, seed=2, p_min=0.1, noise=0.0)
    np.testing.assert_allclose(
        gc.LinearRegression(5).closed_form(*gc.xy(exact)), list(exact.attrs["w"]) + [0.5], atol=1e-10
    )


def test_adagrad_beats_gradient_descent_on_sparse_features():
    X, y = gc.xy(gc.sparse_features())
    model = gc.LinearRegression(X.shape[1])
    J_star = model.loss(model.closed_form(X, y), X, y)
    Xt = np.column_stack([X, np.ones(len(X))])
    L = np.linalg.eigvalsh(Xt.T @ Xt / len(X))[-1]  # GD is stable for α < 2/L
    excess = {}
    for name, opt in [
        ("gd", gc.GD(lr=np.array([[0.5], [1.0], [1.9]]) / L)),
        ("adagrad", gc.AdaGrad(lr=np.array([[0.3], [1.0], [3.0]]))),
    ]:
        theta = np.zeros((3, model.n_params))  # three learning rates in one batched run
        state = opt.init(theta)
        for _ in range(100):
            theta, state = opt.step(theta, model.grad(theta, X, y), state)
        excess[name] = (model.loss(theta, X, y) - J_star).min()
    assert excess["adagrad"] < 0.01 * excess["gd"]


def test_xy_splits_features_and_target():
    X, y = gc.xy(pd.DataFrame({"a": [1, 2], "b": [3.0, 4.0], "y": [0, 1]}))
    np.testing.assert_array_equal(X, [[1.0, 3.0], [2.0, 4.0]])
    assert X.dtype == np.float64
    np.testing.assert_array_equal(y, [0, 1])
    X, y = gc.xy(pd.DataFrame({"t": [5.0], "f": [1.0]}), target="t")
    np.testing.assert_array_equal(X, [[1.0]])


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: gc.linear_regression_data(n=0), r"n must be an integer >= 1, got 0"),
        (lambda: gc.linear_regression_data(noise=-1.0), r"noise must be in \[0, inf\), got -1\.0"),
        (lambda: gc.linear_regression_data(scale=(1.0, 0.0)), r"scale must be in \(0, inf\), got 0\.0 at index \(1,\)"),
        (lambda: gc.linear_regression_data(scale=(1.0, 2.0, 3.0)),
         r"scale of shape \(3,\) does not broadcast against w of shape \(2,\)"),
        (lambda: gc.linear_regression_data(w=[[1.0]]), r"w must be a 1-D sequence of weights, got shape \(1, 1\)"),
        (lambda: gc.linear_regression_data(b=np.nan), r"b must be finite"),
        (lambda: gc.two_moons(n=1), r"n must be an integer >= 2, got 1"),
        (lambda: gc.two_moons(noise=-0.1), r"noise must be in \[0, inf\), got -0\.1"),
        (lambda: gc.sparse_features(p_max=1.5), r"p_max must be in \(0, 1\], got 1\.5"),
        (lambda: gc.sparse_features(p_min=0.6), r"p_min must be in \(0, 0\.5\], got 0\.6"),
        (lambda: gc.sparse_features(d=0), r"d must be an integer >= 1, got 0"),
        (lambda: gc.standardize([1.0, 2.0]), r"X must be a 2-D array \(rows × features\), got shape \(2,\)"),
        (lambda: gc.standardize([[1.0, 5.0], [2.0, 5.0]]),
         r"std must be > 0 in every column, got 0\.0 in column 1 \(a constant feature\)"),
        (lambda: gc.standardize([[1.0, 5.0]], mean=[1.0, 2.0, 3.0]), r"mean of shape \(3,\) does not broadcast"),
        (lambda: gc.xy(pd.DataFrame({"a": [1]})), r"target must be a column of df \['a'\], got 'y'"),
    ],
)
def test_validation_messages(call, message):
    with pytest.raises(ValueError, match=message):
        call()
