#!/usr/bin/env python3
"""How often the PyTorch anchor's memory_demo (../shared/anchors/torch_seed_workloads.py) gets all 8
steps right, over torch.manual_seed(1..20). Run by hand with Debian's PyTorch, from the repository root:
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/pytorch/anchor_memory_seeds.py [epochs=250]
"""
import importlib.util, os, random, sys
import torch

here = os.path.dirname(os.path.abspath(__file__))
anchor = os.path.join(here, "..", "..", "..", "shared", "anchors", "torch_seed_workloads.py")
spec = importlib.util.spec_from_file_location("anchor", anchor)
workloads = importlib.util.module_from_spec(spec)
spec.loader.exec_module(workloads)
torch.set_num_threads(1)
epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 250
solved = 0
for seed in range(1, 21):
    torch.manual_seed(seed)
    random.seed(seed)
    result = workloads.memory_demo(epochs)
    solved += result["accuracy"] == 1.0
    print(seed, result["accuracy"], flush=True)
print(f"solved {solved} / 20 in {epochs} epochs")
