"""Expected values for LstmLab's RMSprop, Adagrad and Keras gradient clipping.

Run by hand (tests never call Python):
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/optimizers/make_optimizer_fixtures.py
writes tests/LstmLab.Tests/Fixtures/optimizers/optimizers.json.

The reference is float64 numpy written from the formulas of Keras 3 and TensorFlow, not from LstmLab's
code: keras/src/optimizers/rmsprop.py and adagrad.py (epsilon inside the square root, Adagrad's
accumulator starting at initial_accumulator_value), and for clipping base_optimizer.py's _clip_by_norm
(g * c / max(||g||, c) per variable), clip_by_global_norm (every g * c / max(global norm, c)) and
ops.clip(g, -c, c). (PyTorch is not installed on the machine the fixtures were made on.)
Every case: two parameters of shapes (3, 2) and (4,), five steps of random gradients (scaled so that
clipping at 1.0 is active), the values after every step.
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "LstmLab.Tests", "Fixtures", "optimizers", "optimizers.json")
SHAPES = [(3, 2), (4,)]
STEPS = 5


def draws(seed):
    rng = np.random.RandomState(seed)
    start = [rng.uniform(-1, 1, size=s) for s in SHAPES]
    grads = [[rng.uniform(-2, 2, size=s) for s in SHAPES] for _ in range(STEPS)]
    return start, grads


def case(name, source, start, grads, after, settings):
    return {
        "name": name,
        "source": source,
        "settings": settings,
        "shapes": [list(s) for s in SHAPES],
        "start": [v.ravel().tolist() for v in start],
        "gradients": [[g.ravel().tolist() for g in step] for step in grads],
        "after": after,
    }


def numpy_rmsprop(name, seed, lr, rho, eps):
    start, grads = draws(seed)
    theta = [v.copy() for v in start]
    vel = [np.zeros_like(v) for v in start]
    after = []
    for step in grads:
        for i, g in enumerate(step):
            vel[i] = rho * vel[i] + (1 - rho) * g * g
            theta[i] = theta[i] - lr * g / np.sqrt(vel[i] + eps)
        after.append([t.ravel().tolist() for t in theta])
    return case(name, "numpy (Keras 3 rmsprop.py formula)", start, grads, after,
                {"optimizer": "rmsprop", "learning_rate": lr, "rho": rho, "epsilon": eps, "momentum": 0.0, "centered": False})


def numpy_adagrad(name, seed, lr, initial, eps):
    start, grads = draws(seed)
    theta = [v.copy() for v in start]
    acc = [np.full_like(v, initial) for v in start]
    after = []
    for step in grads:
        for i, g in enumerate(step):
            acc[i] = acc[i] + g * g
            theta[i] = theta[i] - lr * g / np.sqrt(acc[i] + eps)
        after.append([t.ravel().tolist() for t in theta])
    return case(name, "numpy (Keras 3 adagrad.py formula)", start, grads, after,
                {"optimizer": "adagrad", "learning_rate": lr, "initial_accumulator_value": initial, "epsilon": eps})


def numpy_rmsprop_full(name, seed, lr, rho, eps, momentum, centered):
    start, grads = draws(seed)
    theta = [v.copy() for v in start]
    vel = [np.zeros_like(v) for v in start]
    mom = [np.zeros_like(v) for v in start]
    avg = [np.zeros_like(v) for v in start]
    after = []
    for step in grads:
        for i, g in enumerate(step):
            vel[i] = rho * vel[i] + (1 - rho) * g * g
            if centered:
                avg[i] = rho * avg[i] + (1 - rho) * g
                denominator = vel[i] - avg[i] ** 2 + eps
            else:
                denominator = vel[i] + eps
            increment = lr * g / np.sqrt(denominator)
            if momentum > 0:
                mom[i] = momentum * mom[i] + increment
                theta[i] = theta[i] - mom[i]
            else:
                theta[i] = theta[i] - increment
        after.append([t.ravel().tolist() for t in theta])
    return case(name, "numpy (Keras 3 rmsprop.py formula)", start, grads, after,
                {"optimizer": "rmsprop", "learning_rate": lr, "rho": rho, "epsilon": eps, "momentum": momentum, "centered": centered})


def numpy_sgd_clipped(name, seed, lr, clip, kind):
    start, grads = draws(seed)
    theta = [v.copy() for v in start]
    after = []
    for step in grads:
        if kind == "clipnorm":
            step = [g * clip / max(np.sqrt((g * g).sum()), clip) for g in step]
        elif kind == "global_clipnorm":
            norm = np.sqrt(sum((g * g).sum() for g in step))
            step = [g * clip / max(norm, clip) for g in step]
        else:
            step = [np.clip(g, -clip, clip) for g in step]
        for i, g in enumerate(step):
            theta[i] = theta[i] - lr * g
        after.append([t.ravel().tolist() for t in theta])
    return case(name, "numpy (Keras 3 base_optimizer.py clipping)", start, grads, after,
                {"optimizer": "sgd", "learning_rate": lr, kind: clip})


cases = [
    numpy_rmsprop("rmsprop_keras_defaults", 1, 0.01, 0.9, 1e-7),
    numpy_rmsprop_full("rmsprop_momentum", 2, 0.01, 0.9, 1e-7, 0.9, False),
    numpy_rmsprop_full("rmsprop_momentum_centered", 3, 0.01, 0.8, 1e-7, 0.9, True),
    numpy_adagrad("adagrad_keras_defaults", 4, 0.05, 0.1, 1e-7),
    numpy_adagrad("adagrad_no_initial", 5, 0.05, 0.0, 1e-7),
    numpy_sgd_clipped("sgd_clipnorm", 6, 0.1, 1.0, "clipnorm"),
    numpy_sgd_clipped("sgd_global_clipnorm", 7, 0.1, 1.0, "global_clipnorm"),
    numpy_sgd_clipped("sgd_clipvalue", 8, 0.1, 0.5, "clipvalue"),
]

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"generator": "tools/optimizers/make_optimizer_fixtures.py", "numpy": np.__version__, "cases": cases}, f, indent=1)
print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)}")
