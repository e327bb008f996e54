"""Models: hand-worked losses and gradients, finite differences on batched θ, shapes, validation."""

import numpy as np
import pytest

import gdcourse as gc

H = 1e-6
MODELS = [
    gc.LinearRegression(3),
    gc.LogisticRegression(3),
    gc.TwoLayerNet(n_in=3, n_hidden=4, activation="tanh"),
    gc.TwoLayerNet(n_in=3, n_hidden=4, activation="relu"),
    gc.TwoLayerNet(n_in=3, n_hidden=4, activation="sigmoid"),
]
IDS = ["linear", "logistic", "net-tanh", "net-relu", "net-sigmoid"]


def problem(seed=0, m=11, n=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, n))
    y = (rng.random(m) < 0.5).astype(float)
    return X, y


def central_grad(loss, theta):
    """(J(θ + h e_p) − J(θ − h e_p)) / 2h for every parameter p, for a batch of θ at once."""
    E = np.eye(theta.shape[-1]) * H
    return (loss(theta[..., None, :] + E) - loss(theta[..., None, :] - E)) / (2 * H)


@pytest.mark.parametrize("model", MODELS, ids=IDS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_matches_central_differences_on_batched_theta(model, seed):
    X, y = problem(seed)
    theta = np.random.default_rng(seed + 10).normal(size=(3, model.n_params))
    g = model.grad(theta, X, y)
    assert g.shape == (3, model.n_params)
    np.testing.assert_allclose(g, central_grad(lambda t: model.loss(t, X, y), theta), rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_batched_call_equals_separate_calls(model):
    X, y = problem(3)
    theta = model.init_params(seed=4, shape=(2, 3))
    assert theta.shape == (2, 3, model.n_params)
    J, g = model.loss(theta, X, y), model.grad(theta, X, y)
    assert J.shape == (2, 3) and g.shape == theta.shape
    for i, j in [(0, 0), (1, 2)]:
        assert model.loss(theta[i, j], X, y) == pytest.approx(J[i, j], rel=1e-13)
        np.testing.assert_allclose(model.grad(theta[i, j], X, y), g[i, j], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_unpack_gives_views_and_pack_inverts_it(model):
    theta = np.arange(2 * model.n_params, dtype=float).reshape(2, model.n_params)
    parts = model.unpack(theta)
    assert list(parts) == list(model.layout)
    for name, part in parts.items():
        assert part.shape == (2,) + model.layout[name]
        assert np.shares_memory(part, theta)
    np.testing.assert_array_equal(model.pack(**parts), theta)


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_inputs_are_not_mutated(model):
    X, y = problem(5)
    theta = model.init_params(seed=1)
    copies = X.copy(), y.copy(), theta.copy()
    model.loss(theta, X, y), model.grad(theta, X, y)
    for before, after in zip(copies, (X, y, theta)):
        np.testing.assert_array_equal(before, after)


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_init_params_is_seeded(model):
    a, b, c = model.init_params(0, shape=(4,)), model.init_params(0, shape=(4,)), model.init_params(1, shape=(4,))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert model.init_params().shape == (model.n_params,)


def test_linear_regression_hand_worked():
    model = gc.LinearRegression(2)
    X, y = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1.0, 2.0])
    theta = model.pack(w=[1.0, 0.0], b=1.0)
    np.testing.assert_array_equal(theta, [1.0, 0.0, 1.0])
    np.testing.assert_array_equal(model.predict(theta, X), [2.0, 4.0])  # residuals 1, 2
    assert model.loss(theta, X, y) == (0.5 * 1 + 0.5 * 4) / 2
    # ∂J/∂w = (1·[1, 2] + 2·[3, 4]) / 2,  ∂J/∂b = (1 + 2) / 2
    np.testing.assert_array_equal(model.grad(theta, X, y), [3.5, 5.0, 1.5])


def test_linear_regression_closed_form_recovers_exact_weights():
    model = gc.LinearRegression(2)
    X = np.random.default_rng(0).normal(size=(20, 2))
    y = 2.0 * X[:, 0] - 3.0 * X[:, 1] + 1.0
    theta = model.closed_form(X, y)
    np.testing.assert_allclose(theta, [2.0, -3.0, 1.0], atol=1e-12)
    assert model.loss(theta, X, y) < 1e-25
    np.testing.assert_allclose(model.grad(theta, X, y), 0.0, atol=1e-12)


def test_logistic_regression_hand_worked():
    model = gc.LogisticRegression(2)
    X, y = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1.0, 0.0])
    theta = np.zeros(3)  # a = σ(0) = 1/2 on every row
    assert model.loss(theta, X, y) == pytest.approx(np.log(2), rel=1e-15)
    np.testing.assert_array_equal(model.predict_proba(theta, X), [0.5, 0.5])
    # a − y = [−1/2, 1/2]: ∂J/∂w = (−[1, 2] + [3, 4]) / 4, ∂J/∂b = 0
    np.testing.assert_array_equal(model.grad(theta, X, y), [0.5, 0.5, 0.0])
    theta = model.pack(w=[1.0, -1.0], b=0.5)  # z = [−0.5, −0.5]
    np.testing.assert_array_equal(model.predict(theta, X), [0, 0])
    assert model.accuracy(theta, X, y) == 0.5
    assert model.loss(theta, X, y) == pytest.approx((np.log1p(np.exp(0.5)) + np.log1p(np.exp(-0.5))) / 2)


def test_per_example_logistic_gradient_is_x_times_a_minus_y():
    model = gc.LogisticRegression(3)
    x, y = np.array([[0.2, -1.0, 3.0]]), np.array([1.0])
    theta = np.array([0.1, 0.2, 0.3, -0.4])
    a = 1 / (1 + np.exp(-(0.02 - 0.2 + 0.9 - 0.4)))
    np.testing.assert_allclose(model.grad(theta, x, y), np.append(x[0] * (a - 1), a - 1), rtol=1e-14)


def test_cross_entropy_is_stable_for_huge_logits():
    model = gc.LogisticRegression(1)
    X = np.array([[1.0], [-1.0]])
    theta = np.array([1000.0, 0.0])  # z = ±1000
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # underflow to 0 is harmless
        assert model.loss(theta, X, np.array([0.0, 1.0])) == 1000.0  # −log(1 − σ(1000)) = 1000
        assert model.loss(theta, X, np.array([1.0, 0.0])) == 0.0
        np.testing.assert_array_equal(model.grad(theta, X, np.array([1.0, 0.0])), [0.0, 0.0])
        np.testing.assert_array_equal(gc.sigmoid([-800.0, 0.0, 800.0]), [0.0, 0.5, 1.0])


@pytest.mark.parametrize(
    "activation, X, expected_z2",
    [
        ("tanh", [[0.5, 0.5]], 0.5),  # Z1 = 0.5 − 0.5 = 0, tanh 0 = 0, z2 = 2·0 + 0.5
        ("relu", [[2.0, 1.0]], 2.5),  # Z1 = 1, relu 1 = 1, z2 = 2·1 + 0.5
        ("relu", [[1.0, 2.0]], 0.5),  # Z1 = −1, relu = 0
        ("sigmoid", [[0.5, 0.5]], 1.5),  # σ(0) = 1/2, z2 = 2·½ + 0.5
    ],
)
def test_two_layer_forward_hand_worked(activation, X, expected_z2):
    net = gc.TwoLayerNet(n_in=2, n_hidden=1, activation=activation)
    theta = net.pack(W1=[[1.0, -1.0]], b1=[0.0], W2=[[2.0]], b2=[0.5])
    out = net.forward(theta, X)
    assert out["z2"][0] == expected_z2
    assert out["a2"][0] == pytest.approx(1 / (1 + np.exp(-expected_z2)))
    assert out["Z1"].shape == out["A1"].shape == (1, 1)


def test_two_layer_net_shapes_and_init_scale():
    net = gc.TwoLayerNet()
    assert net.n_params == 8 * 2 + 8 + 8 + 1
    assert net.layout == {"W1": (8, 2), "b1": (8,), "W2": (1, 8), "b2": (1,)}
    wide = gc.TwoLayerNet(n_in=4, n_hidden=4000)
    p = wide.unpack(wide.init_params(seed=0))
    assert np.std(p["W1"]) == pytest.approx(1 / np.sqrt(4), rel=0.05)
    assert np.std(p["W2"]) == pytest.approx(1 / np.sqrt(4000), rel=0.05)
    assert not p["b1"].any() and not p["b2"].any()
    relu = gc.TwoLayerNet(n_in=4, n_hidden=4000, activation="relu")
    assert np.std(relu.unpack(relu.init_params(seed=0))["W1"]) == pytest.approx(np.sqrt(2 / 4), rel=0.05)


def test_two_layer_net_learns_two_moons_with_gradient_descent():
    df = gc.two_moons(n=200, noise=0.1, seed=0)
    X, y = df[["x1", "x2"]].to_numpy(), df["y"].to_numpy()
    net = gc.TwoLayerNet(n_hidden=8)
    theta = net.init_params(seed=0, shape=(2,))  # two runs in one array
    J0 = net.loss(theta, X, y)
    for _ in range(2000):
        theta = theta - 1.0 * net.grad(theta, X, y)
    assert np.all(net.loss(theta, X, y) < 0.2 * J0)
    assert np.all(net.accuracy(theta, X, y) >= 0.97)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda m: m.loss(np.zeros(4), np.zeros((2, 2)), np.zeros(2)),
         r"theta must have shape \(\.\.\., 3\) .*LinearRegression\(n_features=2\).*got shape \(4,\)"),
        (lambda m: m.grad(np.zeros(()), np.zeros((2, 2)), np.zeros(2)), r"theta must have shape \(\.\.\., 3\)"),
        (lambda m: m.loss(np.zeros(3), np.zeros(2), np.zeros(2)),
         r"X must be a 2-D array of shape \(m, 2\) with m >= 1, got shape \(2,\)"),
        (lambda m: m.grad(np.zeros(3), np.zeros((2, 3)), np.zeros(2)),
         r"X must be a 2-D array of shape \(m, 2\).*got shape \(2, 3\)"),
        (lambda m: m.loss(np.zeros(3), np.zeros((0, 2)), np.zeros(0)), r"with m >= 1, got shape \(0, 2\)"),
        (lambda m: m.loss(np.zeros(3), np.zeros((2, 2)), np.zeros(3)),
         r"y must be a 1-D array of length m = 2 \(one target per row of X\), got shape \(3,\)"),
        (lambda m: m.grad(np.zeros(3), np.zeros((2, 2)), np.zeros((2, 1))), r"y must be a 1-D array of length m = 2"),
        (lambda m: m.pack(w=[1.0, 2.0]), r"pack needs exactly the parts \['w', 'b'\], got \['w'\]"),
        (lambda m: m.pack(w=[1.0, 2.0, 3.0], b=0.0), r"w must have shape \(2,\), got shape \(3,\)"),
    ],
)
def test_linear_regression_validation_messages(call, message):
    with pytest.raises(ValueError, match=message):
        call(gc.LinearRegression(2))


def test_classifier_validation_messages():
    X = np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"y must be in \[0, 1\], got 2\.0 at index \(1,\)"):
        gc.LogisticRegression(2).loss(np.zeros(3), X, [0.0, 2.0, 1.0])
    with pytest.raises(ValueError, match=r"y must be in \[0, 1\], got -1\.0"):
        gc.TwoLayerNet().grad(np.zeros(33), X, [0.0, 1.0, -1.0])
    with pytest.raises(ValueError, match=r"theta must have shape \(\.\.\., 33\)"):
        gc.TwoLayerNet().accuracy(np.zeros(32), X, [0, 1, 1])
    with pytest.raises(ValueError, match=r"activation must be one of \['tanh', 'relu', 'sigmoid'\], got 'elu'"):
        gc.TwoLayerNet(activation="elu")
    with pytest.raises(ValueError, match=r"n_hidden must be an integer >= 1, got 0"):
        gc.TwoLayerNet(n_hidden=0)
    with pytest.raises(ValueError, match=r"n_features must be an integer >= 1, got 2\.0"):
        gc.LogisticRegression(2.0)


def test_n_params_is_the_layout_size_computed_once():
    # W1 (4, 3) + b1 (4,) + W2 (1, 4) + b2 (1,) = 12 + 4 + 4 + 1;  w (5,) + b () = 6
    net, linear = gc.TwoLayerNet(n_in=3, n_hidden=4), gc.LinearRegression(5)
    assert (net.n_params, linear.n_params) == (21, 6)
    # cached on the frozen model: train() asks for it several times per step
    assert vars(net)["n_params"] == 21 and vars(linear)["n_params"] == 6
