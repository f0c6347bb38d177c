"""Keras's recurrent / Dense / Masking / Dropout / RepeatVector forward pass in numpy, from the weights in a Keras file
read with h5py.

Used by the fixture scripts in this folder (run by hand, outputs committed); tests never call Python.
The formulas are Keras 3's (keras/src/layers/rnn/lstm.py, gru.py, simple_rnn.py, bidirectional.py, rnn.py):
    LSTM (gates i, f, c, o in one fused kernel): z = x·W + h·U + b; c' = σ(z_f)·c + σ(z_i)·tanh(z_c); h' = σ(z_o)·tanh(c')
    GRU (gates z, r, h): reset_after: x̂ = x·W + b[0], ĥ = h·U + b[1], hh = act(x̂_h + r·ĥ_h);
                         else x̂ = x·W + b, hh = act(x̂_h + (r·h)·U_h); z, r = σ(x̂ + ĥ) on their blocks; h' = z·h + (1 − z)·hh
    SimpleRNN: h' = act(x·W + h·U + b)
with σ the recurrent activation: sigmoid, Keras 2's hard_sigmoid clip(0.2x + 0.5, 0, 1) or Keras 3's
clip(x/6 + 0.5, 0, 1). A masked step (all features equal to mask_value) keeps the states and repeats the output, or
outputs zeros where zero_output_for_mask (which Keras 3 and tf.keras force on a Bidirectional returning sequences).
go_backwards reads the sequence from its end and returns the outputs in that (processing) order; Bidirectional flips
the backward layer's sequence back and merges (concat, sum, mul, ave). Dropout is the identity at inference.
"""
import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def recurrent(name, keras_major):
    if name == "sigmoid":
        return sigmoid
    if name == "hard_sigmoid":
        slope = 0.2 if keras_major < 3 else 1.0 / 6.0
        return lambda x: np.clip(slope * x + 0.5, 0.0, 1.0)
    raise ValueError(name)


ACTIVATIONS = {
    "linear": lambda x: x,
    "tanh": np.tanh,
    "sigmoid": sigmoid,
    "relu": lambda x: np.maximum(x, 0.0),
    "softmax": lambda x: np.exp(x - x.max(-1, keepdims=True)) / np.exp(x - x.max(-1, keepdims=True)).sum(-1, keepdims=True),
}


def lstm_cell(w, gate):
    kernel, recurrent_kernel, bias = w
    units = recurrent_kernel.shape[0]

    def step(x, states):
        h, c = states
        z = x @ kernel + h @ recurrent_kernel + bias
        i, f, g, o = (z[:, k * units:(k + 1) * units] for k in range(4))
        c = gate(f) * c + gate(i) * np.tanh(g)
        return [gate(o) * np.tanh(c), c]
    return step, units, 2


def gru_cell(w, gate, act, reset_after):
    kernel, recurrent_kernel, bias = w
    units = recurrent_kernel.shape[0]

    def step(x, states):
        (h,) = states
        if reset_after:
            xp, hp = x @ kernel + bias[0], h @ recurrent_kernel + bias[1]
        else:
            xp, hp = x @ kernel + bias, h @ recurrent_kernel[:, :2 * units]
        z = gate(xp[:, :units] + hp[:, :units])
        r = gate(xp[:, units:2 * units] + hp[:, units:2 * units])
        if reset_after:
            hh = act(xp[:, 2 * units:] + r * hp[:, 2 * units:])
        else:
            hh = act(xp[:, 2 * units:] + (r * h) @ recurrent_kernel[:, 2 * units:])
        return [z * h + (1 - z) * hh]
    return step, units, 1


def simple_rnn_cell(w, act):
    kernel, recurrent_kernel, bias = w
    return (lambda x, states: [act(x @ kernel + states[0] @ recurrent_kernel + bias)]), recurrent_kernel.shape[0], 1


def cell_of(cls, cfg, w, keras_major):
    gate = recurrent(cfg.get("recurrent_activation", "sigmoid"), keras_major)
    if cls == "LSTM":
        return lstm_cell(w, gate)
    if cls == "GRU":
        return gru_cell(w, gate, ACTIVATIONS[cfg.get("activation", "tanh")], cfg.get("reset_after", keras_major >= 3))
    if cls == "SimpleRNN":
        return simple_rnn_cell(w, ACTIVATIONS[cfg.get("activation", "tanh")])
    raise ValueError(cls)


def rnn(cell, x, mask, go_backwards, return_sequences, zero_output=False):
    """Keras's RNN loop: x (B, T, F); mask (B, T) or None. Returns the output (processing order) and the final states."""
    step, units, count = cell
    batch, steps, _ = x.shape
    states = [np.zeros((batch, units)) for _ in range(count)]
    outputs = []
    order = range(steps - 1, -1, -1) if go_backwards else range(steps)
    for t in order:
        new = step(x[:, t, :], states)
        out = new[0]
        if mask is not None:
            keep = mask[:, t:t + 1]
            new = [keep * n + (1 - keep) * s for n, s in zip(new, states)]
            out = keep * out if zero_output else new[0]
        states = new
        outputs.append(out)
    return (np.stack(outputs, axis=1) if return_sequences else states[0]), states


def masking(x, mask_value):
    mask = np.any(x != mask_value, axis=-1).astype(np.float64)
    return x * mask[..., None], mask


def merge(mode, a, b):
    return {"concat": lambda: np.concatenate([a, b], axis=-1), "sum": lambda: a + b, "mul": lambda: a * b, "ave": lambda: (a + b) / 2}[mode]()


def run(layers, x, keras_major, zero_output_in_bidirectional=True):
    """layers: list of (class_name, config, [weights as float64 arrays])."""
    h, mask = x.astype(np.float64), None
    for cls, cfg, w in layers:
        if cls == "Masking":
            h, mask = masking(h, cfg.get("mask_value", 0.0))
        elif cls in ("LSTM", "GRU", "SimpleRNN"):
            rs = cfg.get("return_sequences", False)
            h, _ = rnn(cell_of(cls, cfg, w, keras_major), h, mask, cfg.get("go_backwards", False), rs)
            if not rs:
                mask = None
        elif cls == "Bidirectional":
            inner = cfg["layer"]
            icls, icfg = inner["class_name"], inner["config"]
            rs = icfg.get("return_sequences", False)
            zero = rs and zero_output_in_bidirectional
            yf, _ = rnn(cell_of(icls, icfg, w[:3], keras_major), h, mask, icfg.get("go_backwards", False), rs, zero)
            yb, _ = rnn(cell_of(icls, icfg, w[3:], keras_major), h, mask, not icfg.get("go_backwards", False), rs, zero)
            if rs:
                yb = yb[:, ::-1, :]
            h = merge(cfg.get("merge_mode", "concat"), yf, yb)
            if not rs:
                mask = None
        elif cls == "Dropout":
            pass
        elif cls == "RepeatVector":
            h = np.repeat(h[:, None, :], cfg["n"], axis=1)
            mask = None
        elif cls == "Dense":
            h = ACTIVATIONS[cfg.get("activation", "linear")](h @ w[0] + w[1])
        else:
            raise ValueError(cls)
    return h
