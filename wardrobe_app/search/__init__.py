"""Visual similarity search: item embeddings (CNN + colour) and an exact nearest-neighbour index."""

from wardrobe_app.search.embedding import (
    DEFAULT_COLOUR_WEIGHT,
    EmbeddingSpec,
    cnn_part,
    colour_part,
    combine,
    combine_many,
)
from wardrobe_app.search.index import Neighbour, VectorIndex

__all__ = [
    "DEFAULT_COLOUR_WEIGHT",
    "EmbeddingSpec",
    "Neighbour",
    "VectorIndex",
    "cnn_part",
    "colour_part",
    "combine",
    "combine_many",
]
