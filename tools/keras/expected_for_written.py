"""Predictions of model files LstmLab wrote, computed from what h5py reads in them (check_written.py's Keras-loader
checks first), for the tests that read those files back (Fixtures/keras/written/).

Run by hand from the repository root after writing the files with the commands in README.md (and, for the
new-layers files, in make_new_layer_models.py):
    /usr/bin/python3 tools/keras/expected_for_written.py
"""
import json, os, sys
import numpy as np
sys.argv = sys.argv[:1]
import check_written
import keras_reference as ref

DIR = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "LstmLab.Tests", "Fixtures", "keras", "written")
rng = np.random.default_rng(12)
out = {}
for name, shape in (("echo-k3.keras", (3, 6, 6)), ("mem-k2.h5", (2, 4, 5)), ("new-layers-k3.keras", (3, 5, 3)), ("new-layers-k2.h5", (3, 4, 2))):
    path = os.path.join(DIR, name)
    model, major, _ = check_written.check_keras(path) if name.endswith(".keras") else check_written.check_h5(path)
    x = rng.uniform(0, 1, size=shape).round(3)
    if name.startswith("echo"):
        x[0, :2, :] = -1.0     # pre-padding, masked
        x[1, 3, :] = -1.0      # a masked step inside
    if name.startswith("new-layers-k3"):
        x[0, 1:3, :] = -1.0    # masked steps inside
        x[2, 0, :] = -1.0      # a leading one
    out[name] = {"x": x.tolist(), "predictions": ref.run(model, x, major).tolist()}
with open(os.path.join(DIR, "expected.json"), "w") as fh:
    json.dump(out, fh, indent=1)
print("wrote expected.json")
