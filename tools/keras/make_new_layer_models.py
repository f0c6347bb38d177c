"""Writes two LstmLab model files (.json) with every layer LstmLab maps to Keras besides LSTM/Dense/Masking (GRU in both
reset_after forms, SimpleRNN, Bidirectional with each kind of recurrent layer, Dropout, RepeatVector, go_backwards),
with seeded uniform weights, for `lstmlab model convert` to turn into Keras files (the fixtures of
KerasFilesWrittenByLstmLabTests). Run by hand from the repository root:

    /usr/bin/python3 tools/keras/make_new_layer_models.py
    lstmlab model convert tests/LstmLab.Tests/Fixtures/keras/written/new-layers-k3.json tests/LstmLab.Tests/Fixtures/keras/written/new-layers-k3.keras
    lstmlab model convert tests/LstmLab.Tests/Fixtures/keras/written/new-layers-k2.json tests/LstmLab.Tests/Fixtures/keras/written/new-layers-k2.h5
    /usr/bin/python3 tools/keras/expected_for_written.py

The .json files are inputs of the convert step only; the tests read the Keras files LstmLab wrote.
"""
import json, os
import numpy as np

DIR = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "LstmLab.Tests", "Fixtures", "keras", "written")
rng = np.random.default_rng(1216)


def weights(shapes):
    return {name: {"shape": list(shape), "values": rng.uniform(-0.8, 0.8, size=shape).astype(np.float32).ravel().tolist()} for name, shape in shapes}


def recurrent_config(units, **options):
    config = {"units": units, "return_sequences": False, "stateful": False, "go_backwards": False, "dropout": 0.0, "recurrent_dropout": 0.0}
    config.update(options)
    return config


def recurrent_shapes(cls, f, u, reset_after=True):
    gates = {"LSTM": 4, "GRU": 3, "SimpleRNN": 1}[cls]
    bias = (2, gates * u) if cls == "GRU" and reset_after else (gates * u,)
    return [("kernel", (f, gates * u)), ("recurrent_kernel", (u, gates * u)), ("bias", bias)]


def layer(cls, name, config, shapes=()):
    return {"class_name": cls, "name": name, "config": config, "weights": weights(shapes)}


def bidirectional(name, inner_cls, inner_config, f, merge, zero_output):
    u = inner_config["units"]
    prefix = inner_cls.lower()
    shapes = recurrent_shapes(inner_cls, f, u, inner_config.get("reset_after", True))
    return layer("Bidirectional", name, {"merge_mode": merge, "zero_output_for_mask": zero_output,
                                         "layer": {"class_name": inner_cls, "config": inner_config}},
                 [(f"forward_{prefix}/{n}", s) for n, s in shapes] + [(f"backward_{prefix}/{n}", s) for n, s in shapes])


def model(timesteps, features, layers, optimizer):
    return {"format": "lstmlab.sequential/2", "input": {"features": features, "sequence": True, "timesteps": timesteps, "batch_size": None},
            "seed": 1216, "layers": layers,
            "compile": {"loss": "mean_squared_error", "optimizer": optimizer, "metrics": []}}


# Keras 3: masking into a Bidirectional GRU returning sequences (zeros at masked steps, as Keras 3), Dropout,
# a SimpleRNN going backwards, a Bidirectional LSTM (ave) with Keras 3's hard_sigmoid, RepeatVector, GRU, Dense.
k3 = model(5, 3, [
    layer("Masking", "masking", {"mask_value": -1.0}),
    bidirectional("bidirectional", "GRU", dict(recurrent_config(4, return_sequences=True), reset_after=True, recurrent_activation="sigmoid", activation="tanh"), 3, "concat", True),
    layer("Dropout", "dropout", {"rate": 0.3}),
    layer("SimpleRNN", "simple_rnn", dict(recurrent_config(3, return_sequences=True, go_backwards=True), activation="relu"), recurrent_shapes("SimpleRNN", 8, 3)),
    bidirectional("bidirectional_1", "LSTM", dict(recurrent_config(2), recurrent_activation="hard_sigmoid_keras3", unit_forget_bias=True), 3, "ave", True),
    layer("RepeatVector", "repeat_vector", {"n": 2}),
    layer("GRU", "gru", dict(recurrent_config(2, return_sequences=True), reset_after=True, recurrent_activation="sigmoid", activation="tanh"), recurrent_shapes("GRU", 2, 2)),
    layer("Dense", "dense", {"units": 1, "activation": "linear"}, [("kernel", (2, 1)), ("bias", (1,))]),
], {"name": "rmsprop", "learning_rate": 0.002, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-7, "centered": False})

# Keras 2: GRU with reset_after = false and Keras 2's hard_sigmoid inside a Bidirectional (mul), a Bidirectional
# SimpleRNN (sum), an LSTM going backwards, Dense softmax.
k2 = model(4, 2, [
    bidirectional("bidirectional", "GRU", dict(recurrent_config(3, return_sequences=True), reset_after=False, recurrent_activation="hard_sigmoid_keras2", activation="tanh"), 2, "mul", True),
    bidirectional("bidirectional_1", "SimpleRNN", dict(recurrent_config(3, return_sequences=True), activation="tanh"), 3, "sum", True),
    layer("LSTM", "lstm", dict(recurrent_config(3, go_backwards=True), recurrent_activation="sigmoid", unit_forget_bias=True), recurrent_shapes("LSTM", 3, 3)),
    layer("Dense", "dense", {"units": 2, "activation": "softmax"}, [("kernel", (3, 2)), ("bias", (2,))]),
], {"name": "adam", "learning_rate": 0.005, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "clipnorm": 1.0})

for name, m in (("new-layers-k3.json", k3), ("new-layers-k2.json", k2)):
    with open(os.path.join(DIR, name), "w") as fh:
        json.dump(m, fh)
print("wrote new-layers-k3.json, new-layers-k2.json")
