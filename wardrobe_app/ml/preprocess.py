"""Turn a photo into the network's input exactly as in training: whole photo, resized, Keras 'caffe' VGG16."""

from __future__ import annotations

import cv2
import numpy as np

#: Side of the square network input.
INPUT_SIZE = 224
#: ImageNet channel means in BGR order (keras.applications.vgg16.preprocess_input, mode 'caffe').
CAFFE_MEAN_BGR = np.array((103.939, 116.779, 123.68), np.float32)
#: Grey the background is painted with when a model was trained on cut-outs.
PLAIN_BACKGROUND = (235, 235, 235)
#: Margin kept around the garment's bounding box when the network reads it, a share of its width and height each side.
FRAME_MARGIN = 0.15
#: A garment spanning at least this share of the photo's width or height is read in the whole photo.
FRAME_BELOW = 0.6
#: Human-readable description written into the manifest.
PREPROCESSING = (
    "RGB uint8 photo (EXIF-oriented) -> whole photo resized to 224x224 without keeping the aspect ratio "
    "(cv2 INTER_AREA) -> RGB->BGR -> subtract ImageNet means (103.939, 116.779, 123.68); Keras VGG16 'caffe'"
)


def check_rgb(image: np.ndarray) -> np.ndarray:
    """Validate an RGB uint8 HxWx3 image (grey or RGBA are converted)."""
    array = np.asarray(image)
    if array.ndim == 2:
        array = np.repeat(array[:, :, None], 3, axis=2)
    if array.ndim != 3 or array.shape[2] not in (3, 4) or min(array.shape[:2]) < 1:
        raise ValueError(f"expected an RGB image HxWx3, got shape {array.shape}")
    if array.shape[2] == 4:
        array = array[:, :, :3]
    if array.dtype != np.uint8:
        array = np.clip(array, 0, 255).astype(np.uint8)
    return array


def on_plain_background(rgb: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    """The garment cut out with its mask (0/255) and put on a plain light grey background."""
    if mask is None:
        return rgb
    if mask.shape[:2] != rgb.shape[:2]:
        raise ValueError(f"mask shape {mask.shape} does not match image shape {rgb.shape}")
    keep = (mask >= 128)[:, :, None]
    return np.where(keep, rgb, np.array(PLAIN_BACKGROUND, np.uint8)).astype(np.uint8)


def resize_square(rgb: np.ndarray, size: int = INPUT_SIZE) -> np.ndarray:
    """Resize the whole photo to size x size (aspect not kept), uint8 RGB."""
    interpolation = cv2.INTER_AREA if min(rgb.shape[:2]) >= size else cv2.INTER_LINEAR
    return cv2.resize(rgb, (size, size), interpolation=interpolation)


def caffe(rgb224: np.ndarray) -> np.ndarray:
    """Keras VGG16 'caffe' preprocessing in numpy: RGB->BGR, minus ImageNet means, float32."""
    return rgb224[..., ::-1].astype(np.float32) - CAFFE_MEAN_BGR


def frame_garment(rgb: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    """The part of the photo the network reads. A garment small in the photo (its bounding box, from the cut-out
    mask 0/255, spans less than FRAME_BELOW of the width and of the height) is framed: the box grown by FRAME_MARGIN
    of its width and height on each side, then widened or heightened to the photo's own aspect (the network squeezes
    every input to a square, so the garment keeps the proportions training photos gave it), shifted and clipped to
    lie inside the photo. Otherwise, and without a mask or with an empty one, the whole photo.

    A garment photographed from afar (a child's top on a wide floor) is then read as if from close by. Validation
    photos with the garment pasted at half its size onto its own background: top-1 0.589 -> 0.672, group 0.710 ->
    0.774. The photos as taken (validation, test, clothing-extra) read exactly as before, and so do shop product
    photos (the garment spans most of the frame). benchmarks/garment_framing.py.
    """
    if mask is None:
        return rgb
    if mask.shape[:2] != rgb.shape[:2]:
        raise ValueError(f"mask shape {mask.shape} does not match image shape {rgb.shape}")
    points = cv2.findNonZero((mask >= 128).astype(np.uint8))
    if points is None:
        return rgb
    x, y, w, h = cv2.boundingRect(points)
    height, width = rgb.shape[:2]
    if max(w / width, h / height) >= FRAME_BELOW:
        return rgb  # near enough: the photo as the network was trained on it
    crop_w, crop_h = w * (1.0 + 2.0 * FRAME_MARGIN), h * (1.0 + 2.0 * FRAME_MARGIN)
    if crop_w * height < crop_h * width:  # narrower than the photo: widen to its aspect
        crop_w = crop_h * width / height
    else:
        crop_h = crop_w * height / width
    crop_w, crop_h = min(float(width), crop_w), min(float(height), crop_h)
    side_w, side_h = max(1, round(crop_w)), max(1, round(crop_h))  # rounded once: the frame keeps its size
    x0 = min(max(0, round(x + w / 2.0 - crop_w / 2.0)), width - side_w)
    y0 = min(max(0, round(y + h / 2.0 - crop_h / 2.0)), height - side_h)
    return rgb[y0 : y0 + side_h, x0 : x0 + side_w]


def network_input(
    image: np.ndarray, mask: np.ndarray | None = None, cutout: bool = False, size: int = INPUT_SIZE
) -> np.ndarray:
    """One photo as a (size, size, 3) float32 network input. With the garment's mask the network reads the garment
    framed (``frame_garment``), and a cut-out model reads it on a plain background."""
    rgb = check_rgb(image)
    if cutout:
        rgb = on_plain_background(rgb, mask)
    return caffe(resize_square(frame_garment(rgb, mask), size))


def augment(rgb: np.ndarray, rng: np.random.Generator, flip: bool | None = None) -> np.ndarray:
    """A training view: optional mirror, random crop of 75-100 % of the area, small scale and rotation.

    Colours are left untouched (a red shirt stays red).
    """
    height, width = rgb.shape[:2]
    if flip is None:
        flip = bool(rng.random() < 0.5)
    if flip:
        rgb = rgb[:, ::-1]
    area = rng.uniform(0.75, 1.0)
    aspect = np.exp(rng.uniform(np.log(0.9), np.log(1.1)))
    crop_w = min(width, round(width * np.sqrt(area * aspect)))
    crop_h = min(height, round(height * np.sqrt(area / aspect)))
    x0 = int(rng.integers(0, width - crop_w + 1))
    y0 = int(rng.integers(0, height - crop_h + 1))
    crop = np.ascontiguousarray(rgb[y0 : y0 + crop_h, x0 : x0 + crop_w])
    angle = rng.uniform(-10.0, 10.0)
    scale = rng.uniform(0.95, 1.1)
    centre = (crop_w / 2.0, crop_h / 2.0)
    matrix = cv2.getRotationMatrix2D(centre, angle, scale)
    return cv2.warpAffine(crop, matrix, (crop_w, crop_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT_101)
