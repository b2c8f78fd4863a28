"""The fast runtime: the garment network as static int8 ONNX run by ONNX Runtime, with no TensorFlow at all.

A shipped version whose manifest lists a "fast_runtime" file (written by training/onnx_export.py from the Keras
model, the source of truth) is run this way; WARDROBE_RUNTIME=keras forces the Keras model instead.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.domain import ModelIntegrityError
from wardrobe_app.ml.vgg_weights import sha256_of

#: Threads ONNX Runtime uses for one forward pass (the machine's cores, at most 4).
THREADS = max(1, min(4, os.cpu_count() or 1))


def wanted(manifest: dict[str, Any]) -> bool:
    """Whether to run this version on the fast runtime: listed, installed, and not turned off."""
    if os.environ.get("WARDROBE_RUNTIME", "auto").lower() == "keras":
        return False
    return bool(manifest.get("fast_runtime")) and importlib.util.find_spec("onnxruntime") is not None


class OnnxNetwork:
    """Called like the Keras network: ``network(inputs)`` -> (probabilities, pooled features[, kind features]).

    A version with a kind branch (training.kind_branch) has a third output, the features its kind heads read."""

    def __init__(self, path: Path, sha256: str) -> None:
        if not path.is_file() or sha256_of(path) != sha256:
            raise ModelIntegrityError(f"the fast classifier {path} is missing or does not match its manifest")
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = THREADS
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        options.enable_cpu_mem_arena = False  # the app is idle most of the time: no arena kept around
        # no busy-waiting between passes: the import's other thread (reading, cutting out) needs that core
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as error:
            raise ModelIntegrityError(f"the fast classifier {path} cannot be loaded: {error}") from error
        outputs = self._session.get_outputs()
        if len(outputs) not in (2, 3):
            raise ModelIntegrityError(f"the fast classifier {path} has {len(outputs)} outputs, not 2 or 3")
        self.classes = int(outputs[0].shape[-1])
        self.head_width = int(outputs[-1].shape[-1])  # what the kind heads read: the kind features, else the search's

    def __call__(self, inputs: np.ndarray, training: bool = False) -> tuple[np.ndarray, ...]:
        return tuple(self._session.run(None, {"input": np.ascontiguousarray(inputs, np.float32)}))
