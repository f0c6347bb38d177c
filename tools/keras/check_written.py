"""Checks model files LstmLab wrote against what Keras's loaders read, with h5py and numpy only (no Keras here).

Usage (run by hand):  /usr/bin/python3 tools/keras/check_written.py MODEL.keras|MODEL.h5 [X.json PREDICTIONS.json]

It follows the steps of Keras 3's loaders as they are in keras/src (checked at keras 3.16.0):
- .h5, legacy_h5_format.load_model_from_hdf5: root attrs model_config (JSON; Sequential; legacy layer configs
  without "module"), keras_version, backend; model_weights@layer_names; per layer group @weight_names and its
  datasets (load_weights_from_hdf5_group: the layers with weights, in order); training_config (JSON with
  optimizer_config, loss and the key loss_weights, which compile_args_from_training_config indexes).
- .keras, saving_lib.load_model: zip entries metadata.json, config.json, model.weights.h5; every layer config has
  module, class_name, config, registered_name; H5IOStore.get("layers/<snake class>[_n]") finds "vars" (an LSTM's
  under its "cell"), with as many datasets as the layer has variables (Layer._check_load_own_variables).
Then it runs keras_reference.py's numpy forward pass on the weights it read and, given X.json and LstmLab's
predictions ({"predictions": ...} from `lstmlab model predict --json`), prints the largest difference.
"""
import io, json, sys, zipfile
import h5py
import numpy as np
import keras_reference as ref

LAYERS_WITH_WEIGHTS = {"LSTM": 3, "GRU": 3, "SimpleRNN": 3, "Bidirectional": 6, "Dense": 2, "Masking": 0, "Dropout": 0, "RepeatVector": 0}
SNAKE = {"LSTM": "lstm", "GRU": "gru", "SimpleRNN": "simple_rnn", "Bidirectional": "bidirectional", "Dense": "dense",
         "Masking": "masking", "Dropout": "dropout", "RepeatVector": "repeat_vector"}
RECURRENT = ("LSTM", "GRU", "SimpleRNN")


def check_bidirectional(layer, keras3):
    """Keras 3 serializes layer (the forward layer) and backward_layer (go_backwards flipped); Keras 2 only layer."""
    cfg = layer["config"]
    if cfg.get("merge_mode") not in ("concat", "sum", "mul", "ave"):
        fail(f"Bidirectional merge_mode {cfg.get('merge_mode')!r}")
    inner = cfg["layer"]
    if inner["class_name"] not in RECURRENT:
        fail(f"Bidirectional wraps {inner['class_name']}")
    if keras3:
        back = cfg.get("backward_layer")
        if back is None or back["class_name"] != inner["class_name"] or back["config"]["go_backwards"] == inner["config"]["go_backwards"]:
            fail("Keras 3 Bidirectional needs backward_layer of the same class with go_backwards flipped")
        for key in ("module", "class_name", "config", "registered_name"):
            if key not in inner or key not in back:
                fail(f"Bidirectional's inner layer config lacks {key}")
    elif "backward_layer" in cfg:
        fail("Keras 2.2.4's Bidirectional takes no backward_layer")


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def check_h5(path):
    with h5py.File(path, "r") as f:
        for key in ("model_config", "keras_version", "backend"):
            if key not in f.attrs:
                fail(f"root attribute {key} missing")
        cfg = json.loads(f.attrs["model_config"])
        version = f.attrs["keras_version"]
        if cfg["class_name"] != "Sequential":
            fail("not Sequential")
        layers = cfg["config"]["layers"]
        if any("module" in l for l in layers):
            fail("legacy h5 layer configs must not carry 'module' (Sequential.from_config would take the new path)")
        if layers[0]["class_name"] != "InputLayer" or "batch_input_shape" not in layers[0]["config"]:
            fail("first layer must be an InputLayer with batch_input_shape")
        body = layers[1:]
        for l in body:
            if l["class_name"] == "Bidirectional":
                check_bidirectional(l, keras3=False)
        mw = f["model_weights"]
        names = [n.decode() if hasattr(n, "decode") else n for n in mw.attrs["layer_names"]]
        with_weights = []
        for n in names:
            g = mw[n]
            wn = [x.decode() if hasattr(x, "decode") else x for x in g.attrs.get("weight_names", [])]
            if wn:
                with_weights.append([np.asarray(g[x], dtype=np.float64) for x in wn])
        expected = [l for l in body if LAYERS_WITH_WEIGHTS[l["class_name"]] > 0]
        if len(expected) != len(with_weights):
            fail(f"{len(expected)} layers with weights in the config, {len(with_weights)} in model_weights")
        it = iter(with_weights)
        model = [(l["class_name"], l["config"], next(it) if LAYERS_WITH_WEIGHTS[l["class_name"]] else []) for l in body]
        if "training_config" in f.attrs:
            tc = json.loads(f.attrs["training_config"])
            for key in ("optimizer_config", "loss", "loss_weights"):
                if key not in tc:
                    fail(f"training_config lacks {key}")
            oc = tc["optimizer_config"]["config"]
            if "lr" not in oc or "learning_rate" in oc or "name" in oc:
                fail("a Keras 2 optimizer config has Keras 2.2.4's keys: lr, no learning_rate, no name")
            if "optimizer_weights" in f:
                og = f["optimizer_weights"]
                for x in og.attrs["weight_names"]:
                    og[x.decode() if hasattr(x, "decode") else x]
        print(f"ok: {path}: Keras {version} legacy h5, {len(body)} layers, weights {[w.shape for ws in with_weights for w in ws]}")
        return model, int(str(version).split(".")[0]), layers[0]["config"]["batch_input_shape"]


def check_keras(path):
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        for n in ("metadata.json", "config.json", "model.weights.h5"):
            if n not in names:
                fail(f"{n} missing from the zip")
        meta = json.loads(z.read("metadata.json"))
        cfg = json.loads(z.read("config.json"))
        h5 = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
    for key in ("module", "class_name", "config", "registered_name"):
        if key not in cfg:
            fail(f"config.json lacks {key}")
    layers = cfg["config"]["layers"]
    for l in layers:
        for key in ("module", "class_name", "config", "registered_name"):
            if key not in l:
                fail(f"layer config lacks {key}: {l}")
    if layers[0]["class_name"] != "InputLayer" or "batch_shape" not in layers[0]["config"]:
        fail("first layer must be an InputLayer with batch_shape")
    used, model = {}, []
    for l in layers[1:]:
        cls = l["class_name"]
        snake = SNAKE[cls]
        k = used.get(snake, -1) + 1
        used[snake] = k
        group = f"layers/{snake}" if k == 0 else f"layers/{snake}_{k}"
        if cls == "Bidirectional":
            check_bidirectional(l, keras3=True)
            subs = [f"{group}/forward_layer/cell", f"{group}/backward_layer/cell"]
        else:
            subs = [f"{group}/cell" if cls in RECURRENT else group]
        n = LAYERS_WITH_WEIGHTS[cls] // len(subs)
        weights = []
        for sub in subs if n else []:
            if sub not in h5 or "vars" not in h5[sub]:
                fail(f"{sub}/vars missing")
            vars_ = h5[sub]["vars"]
            if len(vars_.keys()) != n:
                fail(f"{sub}/vars has {len(vars_.keys())} datasets, the layer has {n} variables")
            weights += [np.asarray(vars_[str(i)], dtype=np.float64) for i in range(n)]
        model.append((cls, l["config"], weights))
    if "compile_config" in cfg and "optimizer/vars" in h5:
        print(f"  optimizer vars: {len(h5['optimizer/vars'].keys())} (iterations {int(h5['optimizer/vars/0'][()])})")
    print(f"ok: {path}: Keras {meta['keras_version']} .keras, {len(model)} layers")
    return model, int(meta["keras_version"].split(".")[0]), layers[0]["config"]["batch_shape"]


def main():
    path = sys.argv[1]
    model, major, shape = check_keras(path) if path.endswith(".keras") else check_h5(path)
    if len(sys.argv) > 3:
        x = np.array(json.load(open(sys.argv[2])), dtype=np.float64)
        theirs = np.array(json.load(open(sys.argv[3]))["predictions"], dtype=np.float64)
        ours = ref.run(model, x, major)
        print(f"  numpy forward pass vs LstmLab's predictions: largest difference {np.max(np.abs(ours - theirs)):.3e}")
    return model, major


if __name__ == "__main__":
    main()
