#!/usr/bin/python3
"""Writes the two checkpoint pickles of tests/core/methyl/cpgpt/data (Debian's python3-torch 1.13).

Both are the `data.pkl` of a torch.save checkpoint that holds the shared fixture's tiny CpGPT state dict
(../shared/fixtures/cpgpt/tiny_model/model.ckpt) under `state_dict`. The test puts each next to the fixture's
storages (`model/data/<n>`, byte-identical, which this script checks) to get a whole checkpoint, so no weights
are stored in the repository:

* foreign_hparams.pkl: `hyper_parameters` holds what a real Lightning/Hydra checkpoint holds there: functools
  partials of optimizer and scheduler classes, OmegaConf DictConfig/ListConfig objects with their metadata and
  nodes, a set, a pathlib path, an enum. The classes live in stand-in modules named like the real ones
  (omegaconf, schedulefree), so the pickle names exactly the globals a real file names, without needing those
  packages. A loader must skip them without constructing anything.
* malicious.pkl: `hyper_parameters` holds an object whose unpickling calls os.system (posix.system) - the
  classic pickle attack. A loader must refuse the file. (Loading it in Python *would* run `echo` of a harmless
  string; never torch.load it.)

Usage: /usr/bin/python3 tools/cpgpt/make_test_pickles.py [SHARED_DIR]   (default: ../shared)
Deterministic: rerunning it rewrites identical files.
"""
import enum
import functools
import io
import os
import pathlib
import sys
import types
import zipfile

import torch

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared"
FIXTURE = SHARED / "fixtures/cpgpt/tiny_model/model.ckpt"
OUT = ROOT / "tests/core/methyl/cpgpt/data"


def stand_in(module_name, class_name, base=object):
    """A class pickled as `module_name.class_name`, registered so pickle can find it by name."""
    parts = module_name.split(".")
    for i in range(1, len(parts) + 1):
        name = ".".join(parts[:i])
        sys.modules.setdefault(name, types.ModuleType(name))
    cls = type(class_name, (base,), {"__module__": module_name, "__qualname__": class_name})
    setattr(sys.modules[module_name], class_name, cls)
    return cls


AdamWScheduleFree = stand_in("schedulefree.adamw_schedulefree", "AdamWScheduleFree")
ContainerMetadata = stand_in("omegaconf.base", "ContainerMetadata")
AnyNode = stand_in("omegaconf.nodes", "AnyNode")
DictConfig = stand_in("omegaconf.dictconfig", "DictConfig")
ListConfig = stand_in("omegaconf.listconfig", "ListConfig")


class Stage(enum.Enum):
    FIT = "fit"


Stage.__module__ = "lightning.pytorch.trainer.states"
sys.modules.setdefault("lightning", types.ModuleType("lightning"))
sys.modules.setdefault("lightning.pytorch", types.ModuleType("lightning.pytorch"))
sys.modules.setdefault("lightning.pytorch.trainer", types.ModuleType("lightning.pytorch.trainer"))
sys.modules.setdefault("lightning.pytorch.trainer.states", types.ModuleType("lightning.pytorch.trainer.states"))
sys.modules["lightning.pytorch.trainer.states"].Stage = Stage


def omega_dict(content):
    node = DictConfig()
    meta = ContainerMetadata()
    meta.__dict__.update({"ref_type": object, "object_type": dict, "optional": True, "key": None, "flags": {}})
    wrapped = {}
    for key, value in content.items():
        leaf = AnyNode()
        leaf.__dict__.update({"_val": value, "_metadata": meta, "_parent": node})
        wrapped[key] = leaf
    node.__dict__.update({"_metadata": meta, "_parent": None, "_content": wrapped, "_flags_cache": None})
    return node


def foreign_hparams():
    betas = ListConfig()
    betas.__dict__.update({"_content": [0.9, 0.95], "_metadata": ContainerMetadata()})
    return {
        "optimizer": functools.partial(AdamWScheduleFree, lr=1e-4, weight_decay=0.1, betas=betas, warmup_steps=0),
        "scheduler": functools.partial(torch.optim.lr_scheduler.ConstantLR, factor=1.0, total_iters=1),
        "training": omega_dict({"binarize_input": False, "generative_splits": 2, "reconstruct_mode": "all"}),
        "compile": False,
        "seed": 42,
        "tags": {"cpgpt", "tiny"},
        "frozen": frozenset({"a"}),
        "paths": pathlib.PurePosixPath("/data/cpgpt"),
        "stage": Stage.FIT,
        "blob": b"\x00\x01bytes",
    }


class RunsCode:
    def __reduce__(self):
        return (os.system, ("echo this pickle would run code when torch.load-ed",))


def data_pkl(hyper_parameters):
    original = torch.load(FIXTURE, map_location="cpu")
    checkpoint = {key: original[key] for key in original if key not in ("hyper_parameters", "state_dict")}
    checkpoint["hyper_parameters"] = hyper_parameters
    checkpoint["state_dict"] = original["state_dict"]
    buffer = io.BytesIO()
    torch.save(checkpoint, buffer)  # zip named "archive" in memory; storages are numbered as in the fixture
    written = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    fixture = zipfile.ZipFile(FIXTURE)
    root = written.namelist()[0].split("/")[0]
    for name in fixture.namelist():
        if "/data/" in name:
            mine = root + "/data/" + name.split("/data/")[1]
            assert written.read(mine) == fixture.read(name), f"storage {name} differs: cannot reuse the fixture's"
    return written.read(root + "/data.pkl")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "foreign_hparams.pkl").write_bytes(data_pkl(foreign_hparams()))
    (OUT / "malicious.pkl").write_bytes(data_pkl({"optimizer": RunsCode(), "seed": 1}))
    print("wrote", OUT / "foreign_hparams.pkl", "and", OUT / "malicious.pkl")


if __name__ == "__main__":
    main()
