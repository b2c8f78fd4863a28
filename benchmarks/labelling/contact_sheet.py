"""Write numbered contact sheets of a photo folder so a person can label garments by eye."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

DEFAULT_OUT = Path("/work/cache/labels")
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png"}


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    """Return a large TrueType font if one is installed, else Pillow's default at that size."""
    for name in ("DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _thumb(path: Path, cell: int) -> Image.Image:
    """Load one photo, fit it into a square cell on a grey background."""
    with Image.open(path) as raw:
        img = ImageOps.exif_transpose(raw).convert("RGB")
    img.thumbnail((cell, cell))
    canvas = Image.new("RGB", (cell, cell), (128, 128, 128))
    canvas.paste(img, ((cell - img.width) // 2, (cell - img.height) // 2))
    return canvas


def write_sheets(
    files: list[Path], prefix: str, out_dir: Path, cols: int, rows: int, cell: int
) -> list[tuple[str, int, str]]:
    """Write sheets for ``files``; return (sheet name, index, file name) rows for the manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    font = _font(cell // 6)
    per_sheet = cols * rows
    manifest: list[tuple[str, int, str]] = []
    for start in range(0, len(files), per_sheet):
        chunk = files[start : start + per_sheet]
        sheet_no = start // per_sheet + 1
        name = f"{prefix}_{sheet_no:03d}.png"
        sheet = Image.new("RGB", (cols * cell, rows * cell), (255, 255, 255))
        draw = ImageDraw.Draw(sheet)
        for i, path in enumerate(chunk):
            x, y = (i % cols) * cell, (i // cols) * cell
            sheet.paste(_thumb(path, cell - 4), (x + 2, y + 2))
            index = start + i
            label = str(index)
            box = draw.textbbox((x + 6, y + 4), label, font=font)
            draw.rectangle((box[0] - 3, box[1] - 3, box[2] + 3, box[3] + 3), fill=(255, 255, 0))
            draw.text((x + 6, y + 4), label, fill=(200, 0, 0), font=font)
            manifest.append((name, index, path.name))
        sheet.save(out_dir / name)
    return manifest


def main() -> None:
    """Parse arguments, write the sheets and a manifest CSV mapping index to file name."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path, help="folder of photos")
    parser.add_argument("--prefix", help="sheet file prefix (default: split_class)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--cols", type=int, default=4)
    parser.add_argument("--rows", type=int, default=3)
    parser.add_argument("--cell", type=int, default=300, help="thumbnail size in pixels")
    args = parser.parse_args()
    files = sorted(p for p in args.folder.iterdir() if p.suffix.lower() in PHOTO_SUFFIXES)
    prefix = args.prefix or f"{args.folder.parent.name}_{args.folder.name}"
    manifest = write_sheets(files, prefix, args.out, args.cols, args.rows, args.cell)
    with open(args.out / f"{prefix}_manifest.csv", "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["sheet", "index", "file"])
        writer.writerows(manifest)
    print(f"{len(files)} photos -> {len(manifest) and manifest[-1][0]} in {args.out}")


if __name__ == "__main__":
    main()
