"""Garment classifier: VGG16 training, evaluation, shipped-model registry, inference (TensorFlow lazily)."""

import os

# TensorFlow's C++ start-up chatter is noise on a user's terminal; real errors still show.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
