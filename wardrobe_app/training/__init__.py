"""Training the models the app runs: the garment classifier, its fast export, the outfit ranker's pretraining.

The only package besides ``wardrobe_app.ml`` that imports TensorFlow; the app itself never imports it.
"""
