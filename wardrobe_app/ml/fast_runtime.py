"""The fast runtime: the garment network as static int8 ONNX run by ONNX Runtime, with no TensorFlow at all.

A shipped version whose manifest lists a "fast_runtime" file (written by training/onnx_export.py from the Keras
model, the source of truth) is run this way; WARDROBE_RUNTIME=keras forces the Keras model instead.

The network is convolutions and a global average pool, so it runs at any input side: a file exported with a fixed
224 x 224 input gets free height and width in memory (``free_spatial_dims``) and ``any_size`` says so.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.domain import ModelIntegrityError

#: Threads ONNX Runtime uses for one forward pass (the machine's cores, at most 4).
THREADS = max(1, min(4, os.cpu_count() or 1))


def _dim(value: int | str) -> bytes:
    """One serialised TensorShapeProto.Dimension field (shape field 1): dim_value (1) or dim_param (2)."""
    if isinstance(value, str):
        body = b"\x12" + bytes([len(value)]) + value.encode()
    else:
        varint = bytearray()
        while True:
            byte, value = value & 0x7F, value >> 7
            varint.append(byte | (0x80 if value else 0))
            if not value:
                break
        body = b"\x08" + bytes(varint)
    return b"\x0a" + bytes([len(body)]) + body


def free_spatial_dims(model: bytes, side: int = 224) -> bytes | None:
    """The serialised model with its NHWC input's fixed ``side`` x ``side`` made free ("h", "w"), or None.

    The input's shape is serialised as the dims (n, side, side, 3); a fixed side of 224 takes as many bytes as a
    one-letter name, so the swap changes no enclosing length. None unless that byte run occurs exactly once.
    """
    fixed = _dim("n") + _dim(side) + _dim(side) + _dim(3)
    free = _dim("n") + _dim("h") + _dim("w") + _dim(3)
    if len(fixed) != len(free) or model.count(fixed) != 1:
        return None
    return model.replace(fixed, free)


def wanted(manifest: dict[str, Any]) -> bool:
    """Whether to run this version on the fast runtime: listed, installed, and not turned off."""
    if os.environ.get("WARDROBE_RUNTIME", "auto").lower() == "keras":
        return False
    return bool(manifest.get("fast_runtime")) and importlib.util.find_spec("onnxruntime") is not None


class OnnxNetwork:
    """Called like the Keras network: ``network(inputs)`` -> (probabilities, pooled features[, kind features]).

    A version with a kind branch (training.kind_branch) has a third output, the features its kind heads read."""

    def __init__(self, path: Path, sha256: str) -> None:
        model = path.read_bytes() if path.is_file() else b""
        if not model or hashlib.sha256(model).hexdigest() != sha256:
            raise ModelIntegrityError(f"the fast classifier {path} is missing or does not match its manifest")
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = THREADS
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        options.enable_cpu_mem_arena = False  # the app is idle most of the time: no arena kept around
        # no busy-waiting between passes: the import's other thread (reading, cutting out) needs that core
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        model = free_spatial_dims(model) or model
        try:
            self._session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        except Exception as error:
            raise ModelIntegrityError(f"the fast classifier {path} cannot be loaded: {error}") from error
        del model
        outputs = self._session.get_outputs()
        if len(outputs) not in (2, 3):
            raise ModelIntegrityError(f"the fast classifier {path} has {len(outputs)} outputs, not 2 or 3")
        self.classes = int(outputs[0].shape[-1])
        self.head_width = int(outputs[-1].shape[-1])  # what the kind heads read: the kind features, else the search's
        #: Whether the network takes inputs of any side (height and width free), not only 224 x 224.
        self.any_size = all(isinstance(d, str) for d in self._session.get_inputs()[0].shape[1:3])

    def __call__(self, inputs: np.ndarray, training: bool = False) -> tuple[np.ndarray, ...]:
        return tuple(self._session.run(None, {"input": np.ascontiguousarray(inputs, np.float32)}))
