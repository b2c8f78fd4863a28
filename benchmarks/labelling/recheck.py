"""Re-label a random sample of garment_kinds.csv blind, then report self-agreement.

Step 1 ``sheets``: draw N labelled photos (fixed seed), write them shuffled onto fresh contact
sheets with new index numbers and no labels, plus a key file kept apart from the sheets.
Step 2: the labeller views the sheets and writes ``recheck_codes.txt`` (same code letters as
build_csv.py). Step 3 ``compare``: print agreement overall and per kind, and the disagreements.
Step 4 ``grouped``: write sheets grouped by the original label, for a second look.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

from benchmarks.labelling.build_csv import CODES, read_codes
from benchmarks.labelling.contact_sheet import write_sheets

DATA = Path("/work/shared/datasets/clothing-small")
SHEETS = Path("/work/cache/labels")
CSV_PATH = Path("assets/labels/garment_kinds.csv")


def _rows(csv_path: Path) -> list[dict[str, str]]:
    with open(csv_path, newline="") as fh:
        return list(csv.DictReader(fh))


def _path(row: dict[str, str]) -> Path:
    return DATA / row["split"] / row["class"] / row["file"]


def make_blind(csv_path: Path, n: int, seed: int, out: Path) -> None:
    """Sample ``n`` rows, shuffle them and write unlabelled sheets plus a key CSV."""
    rows = _rows(csv_path)
    sample = random.Random(seed).sample(rows, n)
    manifest = write_sheets([_path(r) for r in sample], "recheck", out, 4, 4, 300)
    with open(out / "recheck_key.csv", "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["sheet", "index", "split", "class", "file", "kind"])
        for (sheet, index, _name), row in zip(manifest, sample, strict=True):
            writer.writerow([sheet, index, row["split"], row["class"], row["file"], row["kind"]])
    print(f"{n} photos on {manifest[-1][0]} and before, key in {out / 'recheck_key.csv'}")


def compare(out: Path) -> None:
    """Compare the blind re-labels with the original labels and print the agreement."""
    with open(out / "recheck_key.csv", newline="") as fh:
        key = list(csv.DictReader(fh))
    codes = read_codes(out / "recheck_codes.txt")
    letters = "".join(codes[k] for k in sorted(codes))
    if len(letters) != len(key):
        raise SystemExit(f"{len(letters)} codes for {len(key)} photos")
    agree = 0
    per_kind: dict[str, list[int]] = {}
    for row, letter in zip(key, letters, strict=True):
        again = CODES[row["class"]][letter]
        hit = again == row["kind"]
        agree += hit
        per_kind.setdefault(f"{row['class']}/{row['kind']}", [0, 0])
        per_kind[f"{row['class']}/{row['kind']}"][0] += hit
        per_kind[f"{row['class']}/{row['kind']}"][1] += 1
        if not hit:
            print(
                f"  #{row['index']} {row['split']}/{row['class']}/{row['file']}: first {row['kind']!r}, blind {again!r}"
            )
    print(f"self-agreement {agree}/{len(key)} = {agree / len(key):.3f}")
    for kind, (hits, total) in sorted(per_kind.items()):
        print(f"  {kind:22s} {hits}/{total}")


def grouped(out: Path) -> None:
    """Write the sampled photos on sheets grouped by their original label."""
    with open(out / "recheck_key.csv", newline="") as fh:
        key = sorted(csv.DictReader(fh), key=lambda r: (r["class"], r["kind"]))
    manifest = write_sheets([_path(r) for r in key], "grouped", out, 4, 4, 300)
    for (sheet, index, _name), row in zip(manifest, key, strict=True):
        print(f"{sheet} #{index}: {row['class']}/{row['kind']}")


def main() -> None:
    """Dispatch the three steps."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("step", choices=["sheets", "compare", "grouped"])
    parser.add_argument("-n", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--csv", type=Path, default=CSV_PATH)
    parser.add_argument("--out", type=Path, default=SHEETS)
    args = parser.parse_args()
    if args.step == "sheets":
        make_blind(args.csv, args.n, args.seed, args.out)
    elif args.step == "compare":
        compare(args.out)
    else:
        grouped(args.out)


if __name__ == "__main__":
    main()
