"""Turn per-sheet label codes (typed while viewing contact sheets) into garment_kinds.csv."""

from __future__ import annotations

import argparse
import csv
import shutil
from pathlib import Path

SHEETS = Path("/work/cache/labels")
CODES = {
    "shoes": {
        "S": "sneakers",
        "B": "boots",
        "H": "heels",
        "F": "flats",
        "D": "sandals",
        "L": "slippers",
        "O": "formal shoes",
        "U": "unsure",
        "N": "not_shoes",
    },
    "pants": {
        "J": "jeans",
        "T": "trousers",
        "G": "leggings",
        "W": "sweatpants",
        "U": "unsure",
        "N": "not_pants",
    },
}
SPLITS = ("train", "validation", "test")


def read_codes(path: Path) -> dict[str, str]:
    """Read a codes file: lines ``<sheet no> <one code letter per photo>``; return sheet -> codes."""
    codes: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            sheet, letters = line.split(None, 1)
            codes[sheet.zfill(3)] = letters.replace(" ", "")
    return codes


def build(sheets: Path) -> list[tuple[str, str, str, str]]:
    """Collect every labelled photo as (split, class, file, kind), in split/class/index order."""
    rows: list[tuple[str, str, str, str]] = []
    for split in SPLITS:
        for cls, table in CODES.items():
            prefix = f"{split}_{cls}"
            codes_path = sheets / f"{prefix}_codes.txt"
            manifest_path = sheets / f"{prefix}_manifest.csv"
            if not codes_path.exists() or not manifest_path.exists():
                continue
            codes = read_codes(codes_path)
            by_sheet: dict[str, list[str]] = {}
            with open(manifest_path, newline="") as fh:
                for rec in csv.DictReader(fh):
                    sheet_no = rec["sheet"].rsplit("_", 1)[1].split(".")[0]
                    by_sheet.setdefault(sheet_no, []).append(rec["file"])
            for sheet_no, files in sorted(by_sheet.items()):
                letters = codes.get(sheet_no)
                if letters is None:
                    continue
                if len(letters) != len(files):
                    raise SystemExit(f"{prefix} sheet {sheet_no}: {len(letters)} codes for {len(files)} photos")
                for name, letter in zip(files, letters, strict=True):
                    rows.append((split, cls, name, table[letter]))
    return rows


def main() -> None:
    """Write the CSV into the repo and a copy into the shared cache."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sheets", type=Path, default=SHEETS)
    parser.add_argument("--out", type=Path, default=Path("assets/labels/garment_kinds.csv"))
    args = parser.parse_args()
    rows = build(args.sheets)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["split", "class", "file", "kind"])
        writer.writerows(rows)
    shutil.copyfile(args.out, args.sheets / "garment_kinds.csv")
    counts: dict[tuple[str, str], int] = {}
    for _split, cls, _name, kind in rows:
        counts[(cls, kind)] = counts.get((cls, kind), 0) + 1
    print(f"{len(rows)} labels")
    for (cls, kind), n in sorted(counts.items()):
        print(f"  {cls:6s} {kind:14s} {n}")


if __name__ == "__main__":
    main()
