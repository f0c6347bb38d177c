"""Makes the Keras fixtures of tests/LstmLab.Tests/Fixtures/keras from the files Keras wrote (../shared/keras-files).

Run by hand from the repository root:  /usr/bin/python3 tools/keras/make_fixtures.py
- keras2.2.4-lstm10-dense1.h5: a byte copy of the Keras 2.2.4 full model (29 KB).
- keras3-lstm100-dense1.weights.h5: derived from keras3-stacked-lstm100x3-dense1.weights.h5 by keeping Keras's
  layers/lstm and layers/dense (an LSTM(100) on 1 feature feeding a Dense(1): shapes fit) and their Adam variables
  (optimizer/vars 0, 1, 2..7, 20..23 renumbered 0..11), with h5py as Keras itself writes, same groups and dtypes.
- keras3-bidirectional-lstm64.weights.h5: derived from keras3-bidirectional-lstm-dense.weights.h5 by keeping Keras's
  layers/bidirectional (Bidirectional(LSTM(64, return_sequences=True)) on 1 feature, concat: its next layer's kernel
  is (128, 128)), every group below it as Keras wrote it, and its Adam variables (optimizer/vars 0, then 1..12: m and
  v of its six weights side by side; that Keras writes no learning-rate variable).
- expected.json: predictions of both models for fixed inputs by keras_reference.py (numpy, float64), and the first
  values of each weight and moment as read by h5py, so that the C# reader is checked against an independent read.
"""
import json, os, shutil
import h5py
import numpy as np
import keras_reference as ref

SRC = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "keras-files")
if not os.path.isdir(SRC):
    SRC = "/work/shared/keras-files"
DST = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "LstmLab.Tests", "Fixtures", "keras")
os.makedirs(DST, exist_ok=True)
out = {}

# Keras 2.2.4 full model.
k2 = os.path.join(DST, "keras2.2.4-lstm10-dense1.h5")
shutil.copyfile(os.path.join(SRC, "keras2.2.4-lstm10-dense1.h5"), k2)
with h5py.File(k2, "r") as f:
    cfg = json.loads(f.attrs["model_config"])
    mw = f["model_weights"]
    layers = []
    for lc in cfg["config"]["layers"]:
        name = lc["config"]["name"]
        g = mw[name]
        names = [n.decode() if hasattr(n, "decode") else n for n in g.attrs["weight_names"]]
        layers.append((lc["class_name"], lc["config"], [np.asarray(g[n], dtype=np.float64) for n in names]))
    x = np.array([[[0.1]], [[-0.5]], [[0.9]]])
    out["keras2"] = {
        "x": x.tolist(),
        "predictions": ref.run(layers, x, 2).tolist(),
        "predictions_if_keras3_hard_sigmoid": ref.run(layers, x, 3).tolist(),
        "lstm_kernel_first": float(layers[0][2][0][0, 0]),
        "iterations": int(f["optimizer_weights/Adam/iterations:0"][()]),
        "adam_m_lstm_kernel_first": float(f["optimizer_weights/training/Adam/Variable:0"][0, 0]),
        "adam_v_lstm_kernel_first": float(f["optimizer_weights/training/Adam/Variable_5:0"][0, 0]),
    }

# Keras 3 weights, derived.
k3 = os.path.join(DST, "keras3-lstm100-dense1.weights.h5")
with h5py.File(os.path.join(SRC, "keras3-stacked-lstm100x3-dense1.weights.h5"), "r") as src, h5py.File(k3, "w") as dst:
    for path in ["layers/lstm/cell/vars/0", "layers/lstm/cell/vars/1", "layers/lstm/cell/vars/2", "layers/dense/vars/0", "layers/dense/vars/1"]:
        dst.create_dataset(path, data=src[path][()])
    dst.create_group("layers/lstm/vars")
    dst.create_group("vars")
    for new, old in enumerate([0, 1, 2, 3, 4, 5, 6, 7, 20, 21, 22, 23]):
        dst.create_dataset(f"optimizer/vars/{new}", data=src[f"optimizer/vars/{old}"][()])
with h5py.File(k3, "r") as f:
    w = [np.asarray(f[p], dtype=np.float64) for p in ["layers/lstm/cell/vars/0", "layers/lstm/cell/vars/1", "layers/lstm/cell/vars/2", "layers/dense/vars/0", "layers/dense/vars/1"]]
    layers = [("LSTM", {"recurrent_activation": "sigmoid"}, w[:3]), ("Dense", {"activation": "linear"}, w[3:])]
    x = np.array([[[0.2], [0.4], [0.1], [0.3], [0.5]], [[0.9], [0.8], [0.7], [0.75], [0.6]]])
    out["keras3"] = {
        "x": x.tolist(),
        "predictions": ref.run(layers, x, 3).tolist(),
        "iterations": int(f["optimizer/vars/0"][()]),
        "adam_m_lstm_kernel_first": float(f["optimizer/vars/2"][0, 0]),
        "adam_v_dense_bias": float(f["optimizer/vars/11"][0]),
    }

# Keras 3 Bidirectional weights, derived.
kb = os.path.join(DST, "keras3-bidirectional-lstm64.weights.h5")
with h5py.File(os.path.join(SRC, "keras3-bidirectional-lstm-dense.weights.h5"), "r") as src, h5py.File(kb, "w") as dst:
    groups, datasets = [], []
    src["layers/bidirectional"].visititems(lambda n, o: (datasets if isinstance(o, h5py.Dataset) else groups).append(n))
    for g in groups:
        dst.require_group(f"layers/bidirectional/{g}")
    for d in datasets:
        dst.create_dataset(f"layers/bidirectional/{d}", data=src[f"layers/bidirectional/{d}"][()])
    dst.create_group("vars")
    for i in range(13):
        dst.create_dataset(f"optimizer/vars/{i}", data=src[f"optimizer/vars/{i}"][()])
with h5py.File(kb, "r") as f:
    w = [np.asarray(f[f"layers/bidirectional/{d}_layer/cell/vars/{i}"], dtype=np.float64) for d in ("forward", "backward") for i in range(3)]
    inner = {"class_name": "LSTM", "config": {"return_sequences": True, "recurrent_activation": "sigmoid"}}
    x = np.array([[[0.2], [0.4], [0.1], [0.3]], [[0.9], [0.8], [0.7], [0.75]]])
    out["keras3_bidirectional"] = {
        "x": x.tolist(),
        "predictions": ref.run([("Bidirectional", {"merge_mode": "concat", "layer": inner}, w)], x, 3).tolist(),
        "iterations": int(f["optimizer/vars/0"][()]),
        "adam_m_forward_kernel_first": float(f["optimizer/vars/1"][0, 0]),
        "adam_v_forward_kernel_first": float(f["optimizer/vars/2"][0, 0]),
        "adam_m_backward_kernel_first": float(f["optimizer/vars/7"][0, 0]),
        "adam_v_backward_bias_last": float(f["optimizer/vars/12"][-1]),
    }

with open(os.path.join(DST, "expected.json"), "w") as fh:
    json.dump(out, fh, indent=1)
print("wrote", sorted(os.listdir(DST)))
