#!/usr/bin/python3
"""PyTorch parity fixtures for LstmLab (llm.c / micrograd style: PyTorch writes a state, the C# tests compare).

How to run (by hand, from the repository root; the tests never call Python):

    sudo apt-get install -y python3-torch       # Debian's PyTorch (and NumPy); no pip, no network at run time
    /usr/bin/python3 tools/pytorch/make_fixtures.py

Use Debian's /usr/bin/python3 (a pyenv or venv python3 will not see python3-torch). The script writes
tests/LstmLab.Tests/Fixtures/pytorch/*.json (7 to 32 KB each), read by tests/LstmLab.Tests/Parity; a new case
needs a test there too (FixtureInventoryTests fails otherwise). It is deterministic: every case seeds
torch.manual_seed and its own torch.Generator, so re-running rewrites the same bytes.

Everything is float32. Each case is also re-run in float64, and the script refuses to write a fixture whose
float32 numbers are not within a quarter of the tests' tolerance of the float64 ones: a C# mismatch then
points at the engine, not at an ill-conditioned fixture. Two self-checks run first: the hand-written cell
against nn.LSTM, and torch.optim.Adam with the epsilon schedule (see run_adam) against Keras's Adam formula.

Mapping from Keras's layout (what LstmLab stores) to PyTorch's nn.LSTM / nn.Linear:
    weight_ih_l0 = kernelᵀ            kernel           [features, 4u]
    weight_hh_l0 = recurrent_kernelᵀ  recurrent_kernel [u, 4u]
    bias_ih_l0   = bias               bias             [4u]
    bias_hh_l0   = 0, frozen          (Keras has one bias; the sum bias_ih + bias_hh is what matters)
    Linear.weight = dense kernelᵀ, Linear.bias = dense bias
The gate order i, f, g(c), o is the same in both. PyTorch's nn.LSTM only has the logistic sigmoid, so the
hard-sigmoid cases (Keras 2 and Keras 3 definitions) use a hand-written cell, itself checked here against
nn.LSTM with the sigmoid.

Losses are computed explicitly, as Keras defines them and LstmLab implements them (never BCEWithLogits or
F.cross_entropy, which would skip Keras's clipping):
    mean_squared_error        mean over all elements of (p − y)²
    binary_crossentropy       mean over all elements of −[y log p + (1−y) log(1−p)], p clipped to [1e-7, 1−1e-7]
    categorical_crossentropy  per row −Σ y log clip(p/Σp, 1e-7, 1−1e-7), mean over rows (rows = samples,
                              or samples × timesteps for sequence outputs)

Fixture format (JSON): {"name", "description", "generator", "torch_version", "config": {...},
"tensors": {name: {"shape": [...], "data": [row-major float32 values]}}, "scalars": {name: value}}.
Tensor names: "x", "y", "lstm/kernel", "lstm/recurrent_kernel", "lstm/bias", "dense/kernel", "dense/bias"
(Keras layout), "lstm_output", "output", "grad/<weight name>", "grad/x", "state/h0", "state/c0",
"state/hT", "state/cT"; Adam cases prefix the values after step k with "step<k>/".
"""

import json
import math
import os
import sys

import numpy as np
import torch

EPSILON = 1e-7          # Keras backend.epsilon(), the clipping fuzz factor
ADAM_EPSILON = 1e-7     # Keras >= 2.3 Adam epsilon
BETA1, BETA2 = 0.9, 0.999
RTOL, ATOL = 1e-5, 1e-6  # the C# tests' rule: |actual − expected| <= max(RTOL·|expected|, ATOL)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_DIR = os.path.join(ROOT, "tests", "LstmLab.Tests", "Fixtures", "pytorch")

LOSS_NAMES = {"mse": "mean_squared_error", "bce": "binary_crossentropy", "cce": "categorical_crossentropy"}


# --------------------------------------------------------------------------------------------- model


class Model:
    """LSTM (Keras weight layout as the leaves that get gradients) followed by a Dense head."""

    def __init__(self, cfg, weights, dtype):
        self.cfg = cfg
        self.dtype = dtype
        f, u, d = cfg["features"], cfg["units"], cfg["dense_units"]
        self.lstm = torch.nn.LSTM(f, u, batch_first=True).to(dtype)
        self.dense = torch.nn.Linear(u, d).to(dtype)
        with torch.no_grad():
            self.lstm.weight_ih_l0.copy_(weights["lstm/kernel"].T)
            self.lstm.weight_hh_l0.copy_(weights["lstm/recurrent_kernel"].T)
            self.lstm.bias_ih_l0.copy_(weights["lstm/bias"])
            self.lstm.bias_hh_l0.zero_()
            self.dense.weight.copy_(weights["dense/kernel"].T)
            self.dense.bias.copy_(weights["dense/bias"])
        self.lstm.bias_hh_l0.requires_grad_(False)

    def parameters(self):
        """The trained tensors, one per Keras weight (bias_hh stays 0)."""
        return [self.lstm.weight_ih_l0, self.lstm.weight_hh_l0, self.lstm.bias_ih_l0, self.dense.weight, self.dense.bias]

    def keras_weights(self):
        """name -> tensor in Keras layout (detached copies)."""
        return {
            "lstm/kernel": self.lstm.weight_ih_l0.detach().T.clone(),
            "lstm/recurrent_kernel": self.lstm.weight_hh_l0.detach().T.clone(),
            "lstm/bias": self.lstm.bias_ih_l0.detach().clone(),
            "dense/kernel": self.dense.weight.detach().T.clone(),
            "dense/bias": self.dense.bias.detach().clone(),
        }

    def keras_grads(self):
        return {
            "grad/lstm/kernel": self.lstm.weight_ih_l0.grad.T.clone(),
            "grad/lstm/recurrent_kernel": self.lstm.weight_hh_l0.grad.T.clone(),
            "grad/lstm/bias": self.lstm.bias_ih_l0.grad.clone(),
            "grad/dense/kernel": self.dense.weight.grad.T.clone(),
            "grad/dense/bias": self.dense.bias.grad.clone(),
        }

    def zero_grad(self):
        for p in self.parameters():
            p.grad = None

    def forward(self, x, state=None):
        """x (B, T, F) -> (lstm output, model output, (h_T, c_T) each (B, u))."""
        slope = self.cfg.get("hard_sigmoid_slope")
        if slope is None:
            if state is None:
                seq, (h, c) = self.lstm(x)
            else:
                seq, (h, c) = self.lstm(x, (state[0].unsqueeze(0), state[1].unsqueeze(0)))
            h, c = h.squeeze(0), c.squeeze(0)
        else:
            seq, (h, c) = manual_lstm(self.lstm, x, state, lambda z: torch.clamp(slope * z + 0.5, 0.0, 1.0))
        lstm_out = seq if self.cfg["return_sequences"] else seq[:, -1, :]
        z = self.dense(lstm_out)
        act = self.cfg["activation"]
        if act == "sigmoid":
            out = torch.sigmoid(z)
        elif act == "softmax":
            out = torch.softmax(z, dim=-1)
        else:
            out = z
        return lstm_out, out, (h, c)


def manual_lstm(lstm, x, state, gate):
    """The Keras cell written out, on nn.LSTM's parameters, with any gate (recurrent) activation."""
    b, t, _ = x.shape
    u = lstm.hidden_size
    h = x.new_zeros(b, u) if state is None else state[0]
    c = x.new_zeros(b, u) if state is None else state[1]
    outs = []
    for s in range(t):
        z = x[:, s, :] @ lstm.weight_ih_l0.T + h @ lstm.weight_hh_l0.T + lstm.bias_ih_l0 + lstm.bias_hh_l0
        i, f, g, o = z.split(u, dim=1)
        i, f, g, o = gate(i), gate(f), torch.tanh(g), gate(o)
        c = f * c + i * g
        h = o * torch.tanh(c)
        outs.append(h)
    return torch.stack(outs, dim=1), (h, c)


def keras_loss(name, p, y):
    """The loss as Keras defines it (see the module docstring); p is the model's output (probabilities for bce/cce)."""
    if name == "mse":
        return ((p - y) ** 2).mean()
    if name == "bce":
        pc = p.clamp(EPSILON, 1 - EPSILON)
        return (-(y * torch.log(pc) + (1 - y) * torch.log(1 - pc))).mean()
    if name == "cce":
        q = (p / p.sum(dim=-1, keepdim=True)).clamp(EPSILON, 1 - EPSILON)
        return (-(y * torch.log(q)).sum(dim=-1)).mean()
    raise ValueError(name)


# --------------------------------------------------------------------------------------------- data


def make_weights(cfg, gen):
    """Random Keras-layout weights, float64 master copies (rounded to float32 before any use)."""
    f, u, d = cfg["features"], cfg["units"], cfg["dense_units"]

    def uniform(*shape, scale):
        return (torch.rand(*shape, generator=gen, dtype=torch.float64) * 2 - 1) * scale

    bias = uniform(4 * u, scale=0.3)
    bias[u:2 * u] += 1.0  # unit_forget_bias, as Keras initialises it (plus noise so every block differs)
    return {
        "lstm/kernel": uniform(f, 4 * u, scale=0.6),
        "lstm/recurrent_kernel": uniform(u, 4 * u, scale=0.5),
        "lstm/bias": bias,
        "dense/kernel": uniform(u, d, scale=0.8),
        "dense/bias": uniform(d, scale=0.3),
    }


def make_x(cfg, gen):
    return torch.randn(cfg["batch"], cfg["timesteps"], cfg["features"], generator=gen, dtype=torch.float64)


def make_y(cfg, gen):
    b, d = cfg["batch"], cfg["dense_units"]
    shape = (b, cfg["timesteps"], d) if cfg["return_sequences"] else (b, d)
    loss = cfg["loss"]
    if loss == "mse":
        return torch.randn(*shape, generator=gen, dtype=torch.float64)
    if loss == "bce":
        return (torch.rand(*shape, generator=gen, dtype=torch.float64) < 0.5).to(torch.float64)
    rows = int(np.prod(shape[:-1]))
    classes = torch.randint(0, d, (rows,), generator=gen)
    return torch.nn.functional.one_hot(classes, d).to(torch.float64).reshape(shape)


def to32_64(t):
    """Round a float64 master copy to float32; return (float32, the same values in float64)."""
    t32 = t.to(torch.float32)
    return t32, t32.to(torch.float64)


# --------------------------------------------------------------------------------------------- runs
# Each run function takes float64 master data, runs at one dtype and returns a dict of results.


def run_gradients(cfg, weights, x, y, x_prev, dtype):
    """Forward + backward of one batch; with x_prev, first a stateful warm-up batch (no gradient) whose
    final state, detached, is the initial state of the measured batch."""
    model = Model(cfg, {k: v.to(dtype) for k, v in weights.items()}, dtype)
    res = {}
    state = None
    if x_prev is not None:
        with torch.no_grad():
            _, _, state = model.forward(x_prev.to(dtype))
        res["state/h0"], res["state/c0"] = state[0].clone(), state[1].clone()
    xt = x.to(dtype).clone().requires_grad_(True)
    lstm_out, out, (h, c) = model.forward(xt, state)
    loss = keras_loss(cfg["loss"], out, y.to(dtype))
    model.zero_grad()
    loss.backward()
    res.update({"lstm_output": lstm_out.detach(), "output": out.detach(), "loss": loss.detach()})
    res.update(model.keras_grads())
    res["grad/x"] = xt.grad.clone()
    if x_prev is not None:
        res["state/hT"], res["state/cT"] = h.detach().clone(), c.detach().clone()
    return res


def run_adam(cfg, weights, xs, y_list, dtype):
    """len(xs) training steps, one per batch, as Keras's train_on_batch: the loss is taken before the update.
    Stateful: each batch starts from the previous batch's final state, detached (computed with the weights
    before that batch's update, as in Keras)."""
    model = Model(cfg, {k: v.to(dtype) for k, v in weights.items()}, dtype)
    lr = cfg["learning_rate"]
    opt = torch.optim.Adam(model.parameters(), lr=lr, betas=(BETA1, BETA2), eps=ADAM_EPSILON)
    res = {}
    state = None
    for step, (x, y) in enumerate(zip(xs, y_list), start=1):
        # PyTorch's Adam:  p -= lr/(1−β1^t) · m / (√v/√(1−β2^t) + eps_torch)
        #                    = lr·√(1−β2^t)/(1−β1^t) · m / (√v + eps_torch·√(1−β2^t)).
        # Keras's Adam:    p -= α_t · m / (√v + ε),  α_t = lr·√(1−β2^t)/(1−β1^t).
        # So eps_torch = ε / √(1−β2^t) makes the two updates the same, step by step.
        for group in opt.param_groups:
            group["eps"] = ADAM_EPSILON / math.sqrt(1 - BETA2 ** step)
        _, out, (h, c) = model.forward(x.to(dtype), state)
        loss = keras_loss(cfg["loss"], out, y.to(dtype))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if cfg["stateful"]:
            state = (h.detach(), c.detach())
            res[f"step{step}/state/h"], res[f"step{step}/state/c"] = state[0].clone(), state[1].clone()
        res[f"step{step}/loss"] = loss.detach()
        for name, value in model.keras_weights().items():
            res[f"step{step}/{name}"] = value
    return res


# --------------------------------------------------------------------------------------------- output


def check_conditioning(name, r32, r64):
    """Refuses fixtures whose float32 values are not within a quarter of the tests' tolerance of float64."""
    worst, where = 0.0, ""
    for key, v32 in r32.items():
        a = v32.to(torch.float64).flatten()
        e = r64[key].flatten()
        ratio = ((a - e).abs() / torch.clamp(RTOL * e.abs(), min=ATOL)).max().item()
        if ratio > worst:
            worst, where = ratio, key
    print(f"  {name}: float32 vs float64 uses {worst:.3f} of the tolerance (worst: {where})")
    if worst > 0.25:
        sys.exit(f"{name}: float32 results are too far from float64 ({worst:.2f} of the tolerance at {where}); "
                 "change the seed or the weight scales.")


def number(v):
    """Shortest text that reads back as the same float32."""
    s = str(np.float32(v))  # NumPy prints the shortest string that round-trips the float32
    if s in ("nan", "inf", "-inf"):
        raise ValueError("non-finite value in a fixture")
    return s


def tensor_json(t):
    t = t.detach().to(torch.float32).contiguous()
    data = ",".join(number(v) for v in t.flatten().tolist())
    return '{"shape": [' + ", ".join(str(d) for d in t.shape) + '], "data": [' + data + "]}"


def write_fixture(name, description, cfg, tensors, scalars):
    lines = ["{"]
    lines.append(f'  "name": {json.dumps(name)},')
    lines.append(f'  "description": {json.dumps(description, ensure_ascii=False)},')
    lines.append('  "generator": "tools/pytorch/make_fixtures.py",')
    lines.append(f'  "torch_version": {json.dumps(torch.__version__)},')
    lines.append(f'  "config": {json.dumps(cfg)},')
    lines.append('  "tensors": {')
    items = list(tensors.items())
    for k, (key, t) in enumerate(items):
        lines.append(f"    {json.dumps(key)}: {tensor_json(t)}" + ("," if k < len(items) - 1 else ""))
    lines.append("  },")
    lines.append('  "scalars": {' + ", ".join(f"{json.dumps(k)}: {number(v.item())}" for k, v in scalars.items()) + "}")
    lines.append("}")
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, name + ".json")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")
    print(f"  wrote {os.path.relpath(path, ROOT)} ({os.path.getsize(path)} bytes)")


def split_results(res):
    tensors = {k: v for k, v in res.items() if v.dim() > 0}
    scalars = {k: v for k, v in res.items() if v.dim() == 0}
    return tensors, scalars


def config(batch, timesteps, features, units, dense_units, activation, loss, return_sequences,
           stateful=False, recurrent_activation="sigmoid", **extra):
    cfg = {"batch": batch, "timesteps": timesteps, "features": features, "units": units,
           "return_sequences": return_sequences, "stateful": stateful,
           "recurrent_activation": recurrent_activation, "dense_units": dense_units,
           "activation": activation, "loss": loss}
    if recurrent_activation == "hard_sigmoid_keras2":
        cfg["hard_sigmoid_slope"] = 0.2
    elif recurrent_activation == "hard_sigmoid_keras3":
        cfg["hard_sigmoid_slope"] = 1.0 / 6.0
    cfg.update(extra)
    return cfg


def public_config(cfg):
    c = {k: v for k, v in cfg.items() if k != "hard_sigmoid_slope"}
    c["loss"] = LOSS_NAMES[cfg["loss"]]
    return c


def gradient_case(name, description, seed, cfg, stateful_warmup=False):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    w64 = {k: to32_64(v)[1] for k, v in make_weights(cfg, gen).items()}
    x_prev = to32_64(make_x(cfg, gen))[1] if stateful_warmup else None
    x = to32_64(make_x(cfg, gen))[1]
    y = to32_64(make_y(cfg, gen))[1]
    r32 = run_gradients(cfg, w64, x, y, x_prev, torch.float32)
    r64 = run_gradients(cfg, w64, x, y, x_prev, torch.float64)
    check_conditioning(name, r32, r64)
    tensors = {"x": x} if x_prev is None else {"x_prev": x_prev, "x": x}
    tensors["y"] = y
    tensors.update(w64)
    t, s = split_results(r32)
    tensors.update(t)
    write_fixture(name, description, public_config(cfg), tensors, s)


def adam_case(name, description, seed, cfg, batches):
    """batches = number of distinct batches (1: the same fixed batch at every step)."""
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    w64 = {k: to32_64(v)[1] for k, v in make_weights(cfg, gen).items()}
    xs = [to32_64(make_x(cfg, gen))[1] for _ in range(batches)]
    ys = [to32_64(make_y(cfg, gen))[1] for _ in range(batches)]
    steps = cfg["steps"]
    xs_run = xs if batches == steps else [xs[0]] * steps
    ys_run = ys if batches == steps else [ys[0]] * steps
    r32 = run_adam(cfg, w64, xs_run, ys_run, torch.float32)
    r64 = run_adam(cfg, w64, xs_run, ys_run, torch.float64)
    check_conditioning(name, r32, r64)
    tensors = {}
    if batches == 1:
        tensors["x"], tensors["y"] = xs[0], ys[0]
    else:
        for k in range(batches):
            tensors[f"x{k + 1}"], tensors[f"y{k + 1}"] = xs[k], ys[k]
    tensors.update(w64)
    t, s = split_results(r32)
    tensors.update(t)
    write_fixture(name, description, public_config(cfg), tensors, s)


def self_check_manual_cell():
    """The hand-written cell used for hard sigmoids must agree with nn.LSTM when given the sigmoid."""
    cfg = config(2, 3, 4, 5, 6, "linear", "mse", True)
    gen = torch.Generator().manual_seed(99)
    w = make_weights(cfg, gen)
    model = Model(cfg, w, torch.float64)
    x = make_x(cfg, gen)
    state = (torch.randn(2, 5, generator=gen, dtype=torch.float64), torch.randn(2, 5, generator=gen, dtype=torch.float64))
    seq_a, (h_a, c_a) = manual_lstm(model.lstm, x, state, torch.sigmoid)
    seq_b, (h_b, c_b) = model.lstm(x, (state[0].unsqueeze(0), state[1].unsqueeze(0)))
    err = max((seq_a - seq_b).abs().max().item(), (h_a - h_b[0]).abs().max().item(), (c_a - c_b[0]).abs().max().item())
    if err > 1e-12:
        sys.exit(f"the hand-written LSTM cell disagrees with nn.LSTM by {err}")


def self_check_adam_epsilon():
    """torch.optim.Adam with eps_t = ε/√(1−β2^t) must take Keras's steps (written out here), in float64."""
    gen = torch.Generator().manual_seed(98)
    p_torch = torch.randn(50, generator=gen, dtype=torch.float64).requires_grad_(True)
    p_keras = p_torch.detach().clone()
    m, v = torch.zeros_like(p_keras), torch.zeros_like(p_keras)
    opt = torch.optim.Adam([p_torch], lr=0.01, betas=(BETA1, BETA2), eps=ADAM_EPSILON)
    for t in range(1, 4):
        g = torch.randn(50, generator=gen, dtype=torch.float64) * torch.logspace(-8, 0, 50, dtype=torch.float64)
        opt.param_groups[0]["eps"] = ADAM_EPSILON / math.sqrt(1 - BETA2 ** t)
        p_torch.grad = g.clone()
        opt.step()
        alpha = 0.01 * math.sqrt(1 - BETA2 ** t) / (1 - BETA1 ** t)
        m = BETA1 * m + (1 - BETA1) * g
        v = BETA2 * v + (1 - BETA2) * g * g
        p_keras -= alpha * m / (v.sqrt() + ADAM_EPSILON)
    err = (p_torch.detach() - p_keras).abs().max().item()
    if err > 1e-14:
        sys.exit(f"torch.optim.Adam with the epsilon schedule disagrees with Keras's formula by {err}")


def main():
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    self_check_manual_cell()
    self_check_adam_epsilon()
    print(f"torch {torch.__version__}; writing to {os.path.relpath(OUT_DIR, ROOT)}")

    # Shapes are all different (B 2, T 3, F 4, u 5, Dense 6/1/2) so that a swapped axis cannot pass.
    gradient_case("lstm_last_dense_linear_mse", "LSTM (last output) -> Dense linear, MSE: forward, loss, every gradient.",
                  101, config(2, 3, 4, 5, 6, "linear", "mse", False))
    gradient_case("lstm_last_dense_sigmoid_bce", "LSTM (last output) -> Dense sigmoid (1 unit), binary crossentropy with Keras clipping.",
                  102, config(2, 3, 4, 5, 1, "sigmoid", "bce", False))
    gradient_case("lstm_last_dense_softmax_cce", "LSTM (last output) -> Dense softmax, categorical crossentropy (p/Σp, clipped).",
                  103, config(2, 3, 4, 5, 6, "softmax", "cce", False))
    gradient_case("lstm_seq_dense_linear_mse", "LSTM return_sequences -> Dense linear at every step, MSE over all elements.",
                  104, config(2, 3, 4, 5, 6, "linear", "mse", True))
    gradient_case("lstm_seq_dense_sigmoid_bce", "LSTM return_sequences -> Dense sigmoid (2 units) at every step, binary crossentropy.",
                  105, config(2, 3, 4, 5, 2, "sigmoid", "bce", True))
    gradient_case("lstm_seq_dense_softmax_cce", "LSTM return_sequences -> Dense softmax at every step, categorical crossentropy (mean over samples × steps).",
                  106, config(2, 3, 4, 5, 6, "softmax", "cce", True))
    gradient_case("lstm_hard_sigmoid_keras2_mse", "LSTM with Keras 2's hard_sigmoid gates (clip(0.2x + 0.5, 0, 1)), return_sequences -> Dense linear, MSE.",
                  107, config(2, 3, 4, 5, 6, "linear", "mse", True, recurrent_activation="hard_sigmoid_keras2"))
    gradient_case("lstm_hard_sigmoid_keras3_mse", "LSTM with Keras 3's hard_sigmoid gates (clip(x/6 + 0.5, 0, 1)), last output -> Dense linear, MSE.",
                  108, config(2, 3, 4, 5, 6, "linear", "mse", False, recurrent_activation="hard_sigmoid_keras3"))
    # u = 10 also runs the 8-wide vector path of the gate kernels plus a scalar remainder.
    gradient_case("lstm_stateful_two_batches",
                  "Stateful LSTM (batch 3, u 10): batch x_prev is run first (no gradient); its final state, detached, is the "
                  "initial state (state/h0, state/c0) of batch x, whose outputs, loss, gradients and final state are given.",
                  109, config(3, 4, 2, 10, 3, "linear", "mse", False, stateful=True), stateful_warmup=True)

    adam_case("adam_three_steps",
              "Three Adam steps (Keras formula, lr 0.01, β1 0.9, β2 0.999, ε 1e-7) on one fixed batch: the loss at each step "
              "(before its update) and every weight after it.",
              201, config(2, 3, 4, 5, 6, "softmax", "cce", False, learning_rate=0.01, steps=3), batches=1)
    adam_case("adam_stateful_three_batches",
              "Stateful LSTM trained with Adam on three consecutive batches (x1, x2, x3): each batch starts from the previous "
              "batch's final state, detached; loss, weights and carried state after each step.",
              202, config(3, 4, 2, 10, 3, "linear", "mse", True, stateful=True, learning_rate=0.01, steps=3), batches=3)


if __name__ == "__main__":
    main()
