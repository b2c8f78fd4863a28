"""Garment classifier: VGG16 training, evaluation, shipped-model registry, inference (TensorFlow lazily)."""
