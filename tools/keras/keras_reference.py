"""Keras's LSTM / Dense / Masking forward pass in numpy, from the weights in a Keras file read with h5py.

Used by the fixture scripts in this folder (run by hand, outputs committed); tests never call Python.
The formulas are Keras's (keras/src/layers/rnn/lstm.py, gates i, f, c, o in one fused kernel):
    z = x·W + h·U + b;  i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o)
    c' = f·c + i·g;  h' = o·tanh(c')
with σ the recurrent activation: sigmoid, Keras 2's hard_sigmoid clip(0.2x + 0.5, 0, 1) or Keras 3's
clip(x/6 + 0.5, 0, 1). A masked step (all features equal to mask_value) keeps h and c and repeats the output.
"""
import numpy as np


def recurrent(name, keras_major):
    if name == "sigmoid":
        return lambda x: 1.0 / (1.0 + np.exp(-x))
    if name == "hard_sigmoid":
        slope = 0.2 if keras_major < 3 else 1.0 / 6.0
        return lambda x: np.clip(slope * x + 0.5, 0.0, 1.0)
    raise ValueError(name)


ACTIVATIONS = {
    "linear": lambda x: x,
    "tanh": np.tanh,
    "sigmoid": lambda x: 1.0 / (1.0 + np.exp(-x)),
    "relu": lambda x: np.maximum(x, 0.0),
    "softmax": lambda x: np.exp(x - x.max(-1, keepdims=True)) / np.exp(x - x.max(-1, keepdims=True)).sum(-1, keepdims=True),
}


def lstm(x, mask, kernel, recurrent_kernel, bias, gate, return_sequences, h0=None, c0=None):
    """x (B, T, F) float64; mask (B, T) of 0/1 or None. Returns output and final (h, c)."""
    batch, steps, _ = x.shape
    units = recurrent_kernel.shape[0]
    h = np.zeros((batch, units)) if h0 is None else h0.copy()
    c = np.zeros((batch, units)) if c0 is None else c0.copy()
    outputs = []
    for t in range(steps):
        z = x[:, t, :] @ kernel + h @ recurrent_kernel + bias
        i, f, g, o = (z[:, k * units:(k + 1) * units] for k in range(4))
        c_new = gate(f) * c + gate(i) * np.tanh(g)
        h_new = gate(o) * np.tanh(c_new)
        if mask is not None:
            keep = mask[:, t:t + 1]
            c_new = keep * c_new + (1 - keep) * c
            h_new = keep * h_new + (1 - keep) * h
        h, c = h_new, c_new
        outputs.append(h)
    out = np.stack(outputs, axis=1) if return_sequences else h
    return out, h, c


def masking(x, mask_value):
    mask = np.any(x != mask_value, axis=-1).astype(np.float64)
    return x * mask[..., None], mask


def run(layers, x, keras_major):
    """layers: list of (class_name, config, [weights as float64 arrays])."""
    h, mask = x.astype(np.float64), None
    for cls, cfg, w in layers:
        if cls == "Masking":
            h, mask = masking(h, cfg.get("mask_value", 0.0))
        elif cls == "LSTM":
            rs = cfg.get("return_sequences", False)
            h, _, _ = lstm(h, mask, w[0], w[1], w[2], recurrent(cfg.get("recurrent_activation", "sigmoid"), keras_major), rs)
            if not rs:
                mask = None
        elif cls == "Dense":
            h = ACTIVATIONS[cfg.get("activation", "linear")](h @ w[0] + w[1])
        else:
            raise ValueError(cls)
    return h
