"""Classify photos and evaluate the garment classifier on a folder-per-class dataset (no closet needed)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from wardrobe_app.domain import WardrobeError

if TYPE_CHECKING:
    from wardrobe_app.ml.classifier import Classification
    from wardrobe_app.ml.evaluate import EvalReport

BATCH = 16


@dataclass(frozen=True)
class PhotoVerdict:
    """What the classifier says of one photo, or why the photo could not be read."""

    path: str
    classification: Classification | None = None
    error: str | None = None

    def to_json(self) -> dict[str, object]:
        c = self.classification
        if c is None:
            return {"path": self.path, "error": self.error}
        return {
            "path": self.path,
            "category": c.category,
            "group": c.group.value,
            "confidence": round(float(c.confidence), 4),
            "needs_review": bool(c.needs_review),
            "top3": [[name, round(float(p), 4)] for name, p in c.top3],
        }


def classify_photos(
    paths: Sequence[str | Path], progress: Callable[[int, int, str], None] | None = None
) -> list[PhotoVerdict]:
    """Classify photos in batches, each garment framed by its cut-out as an import does; unreadable files come back
    with their error, the rest are classified."""
    from wardrobe_app.ml.classifier import load_classifier
    from wardrobe_app.vision.loading import load_photo
    from wardrobe_app.vision.segment import cut_out

    classifier = load_classifier()
    verdicts: dict[int, PhotoVerdict] = {}
    for start in range(0, len(paths), BATCH):
        chunk = list(enumerate(paths[start : start + BATCH], start))
        readable: list[tuple[int, str]] = []
        images, masks = [], []
        for index, path in chunk:
            try:
                loaded = load_photo(Path(path))
                mask = cut_out(loaded.rgb, loaded.alpha).mask  # the garment framed, as an import reads it
                images.append(loaded.rgb)
                masks.append(mask)
                readable.append((index, str(path)))
            except WardrobeError as exc:
                verdicts[index] = PhotoVerdict(str(path), error=getattr(exc, "reason", None) or str(exc))
        if images:
            results = classifier.classify(images, masks=masks, batch_size=BATCH)
            for (index, path), result in zip(readable, results, strict=True):
                verdicts[index] = PhotoVerdict(path, classification=result)
        if progress is not None:
            progress(min(start + BATCH, len(paths)), len(paths), str(chunk[-1][1]))
    return [verdicts[i] for i in range(len(paths))]


def evaluate_dataset(dataset_dir: Path, progress: Callable[[int, int], None] | None = None) -> EvalReport:
    """Accuracy, group accuracy, per-class figures and confusion matrix on ``dataset_dir/<class>/*``."""
    from wardrobe_app.ml.classifier import load_classifier
    from wardrobe_app.ml.evaluate import evaluate_folder

    try:
        is_folder = Path(dataset_dir).is_dir()
    except (OSError, ValueError) as exc:  # a name too long, a folder that may not be entered
        raise WardrobeError(f"{dataset_dir}: cannot be read ({getattr(exc, 'strerror', None) or exc})") from exc
    if not is_folder:
        raise WardrobeError(f"{dataset_dir} is not a folder (expected one sub-folder of photos per class)")
    return evaluate_folder(Path(dataset_dir), load_classifier(), progress=progress)
