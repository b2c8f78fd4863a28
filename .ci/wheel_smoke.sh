#!/usr/bin/env bash
# The wheel as a user gets it: built from this tree, installed (not editable) into a fresh venv, run from another
# folder. It must open a closet, import a photo and classify it with the shipped model, and suggest outfits.
# Nothing is downloaded: the wheel is built with the test venv's setuptools (--no-build-isolation), and the fresh
# venv borrows the test venv's installed dependencies through a .pth file (it gets no copy of wardrobe_app, and
# the test venv's editable install is not activated there). Usage: .ci/wheel_smoke.sh [PYTHON] (default .venv/bin/python)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="$(cd "$ROOT" && python_arg="${1:-.venv/bin/python}" && echo "$(cd "$(dirname "$python_arg")" && pwd)/$(basename "$python_arg")")"  # not realpath: a venv's python is a link
WORK="$(mktemp -d "${TMPDIR:-/tmp}/wardrobe-wheel.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
fail() { echo "wheel smoke test FAILED: $*" >&2; exit 1; }
started=$(date +%s)

# 1. the wheel, with the migrations, assets and models in it
"$PY" -m pip wheel --no-build-isolation --no-deps --no-index --quiet --wheel-dir "$WORK/dist" "$ROOT" \
    >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; fail "building the wheel"; }
rm -rf "$ROOT/build"  # setuptools' staging folder (ignored by git)
WHEEL="$(ls "$WORK"/dist/wardrobe-*.whl)"
"$PY" - "$WHEEL" <<'PYCHECK' || fail "the wheel lacks shipped files or is too big"
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
needed = ["wardrobe_app/_data/migrations/env.py", "wardrobe_app/_data/assets/expert/occasions.json",
          "wardrobe_app/_data/models/outfit_ranker/v1/ranker.npz", "wardrobe_app/_data/assets/linux/wardrobe.desktop"]
missing = [n for n in needed if n not in names]
manifests = [n for n in names if n.startswith("wardrobe_app/_data/models/garment_classifier/") and n.endswith("/manifest.json")]
size = sum(i.compress_size for i in zipfile.ZipFile(sys.argv[1]).infolist()) / 2**20
print(f"wheel: {len(names)} files, {size:.1f} MiB, classifier {', '.join(m.split('/')[-2] for m in manifests)}")
sys.exit(1 if missing or len(manifests) != 1 or size > 120 else 0)
PYCHECK

# 2. a fresh venv holding only the wheel; dependencies borrowed from the test venv (nothing downloaded)
"$PY" -m venv --without-pip "$WORK/venv"
VPY="$WORK/venv/bin/python"
deps="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
own="$("$VPY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
echo "$deps" >"$own/zz_borrowed_dependencies.pth"
"$PY" -m pip --python "$VPY" install --no-deps --no-index --quiet "$WHEEL" >"$WORK/install.log" 2>&1 \
    || { cat "$WORK/install.log" >&2; fail "installing the wheel"; }

# 3. run from another folder: the installed package, its shipped files, a closet, a photo, a suggestion
mkdir "$WORK/elsewhere" && cd "$WORK/elsewhere"
unset WARDROBE_CLASSIFIER WARDROBE_MODELS_DIR WARDROBE_RUNTIME WARDROBE_DATA_DIR PYTHONPATH
"$VPY" - "$WORK" <<'PYPHOTOS' || fail "the installed package is not the one running"
import sys
from pathlib import Path
import numpy as np
from PIL import Image, ImageDraw
import wardrobe_app
from wardrobe_app.resources import shipped_dir
work = Path(sys.argv[1])
for what in (Path(wardrobe_app.__file__), shipped_dir("models"), shipped_dir("migrations"), shipped_dir("assets")):
    assert str(what).startswith(str(work / "venv")), f"{what} is not from the installed wheel"
shapes = {  # colour, polygon: a t-shirt, trousers, a shoe, another top
    "tee.jpg": ((200, 40, 40), [(60, 60), (110, 40), (146, 40), (196, 60), (230, 110), (196, 126), (190, 230), (66, 230), (60, 126), (26, 110)]),
    "trousers.jpg": ((40, 60, 170), [(80, 20), (176, 20), (196, 236), (140, 236), (128, 100), (116, 236), (60, 236)]),
    "shoe.jpg": ((50, 50, 50), [(30, 150), (120, 140), (200, 170), (230, 200), (226, 222), (30, 222)]),
    "shirt.jpg": ((230, 230, 240), [(60, 60), (110, 40), (146, 40), (196, 60), (230, 110), (196, 126), (190, 230), (66, 230), (60, 126), (26, 110)]),
}
rng = np.random.default_rng(0)
for name, (colour, polygon) in shapes.items():
    image = Image.new("RGB", (256, 256), (236, 232, 224))
    ImageDraw.Draw(image).polygon(polygon, fill=colour, outline=(20, 20, 20))
    noisy = np.clip(np.asarray(image, np.int16) + rng.integers(-6, 7, (256, 256, 3)), 0, 255).astype(np.uint8)
    Image.fromarray(noisy).save(work / name, quality=92)
print("installed at", Path(wardrobe_app.__file__).parent)
PYPHOTOS
W=("$WORK/venv/bin/wardrobe" --data-dir "$WORK/closet")
added="$("${W[@]}" add "$WORK/tee.jpg" --json 2>"$WORK/add.err")" || { cat "$WORK/add.err" >&2; fail "wardrobe add"; }
"$VPY" -c 'import json, sys; item = json.loads(sys.argv[1]); assert item["category"] and item["confidence"] is not None, item; print("classified:", item["category"], item["confidence"])' "$added" \
    || fail "the photo was not classified by the shipped model ($(cat "$WORK/add.err"))"
"${W[@]}" add "$WORK/trousers.jpg" --category jeans >/dev/null 2>&1 || fail "wardrobe add --category jeans"
"${W[@]}" add "$WORK/shoe.jpg" --category sneakers >/dev/null 2>&1 || fail "wardrobe add --category sneakers"
"${W[@]}" add "$WORK/shirt.jpg" --category t-shirt >/dev/null 2>&1 || fail "wardrobe add --category t-shirt"
suggested="$("${W[@]}" suggest --occasion casual --top 3 --json)" || fail "wardrobe suggest"
"$VPY" -c 'import json, sys; found = json.loads(sys.argv[1]); assert found, "no outfit"; print("suggested:", len(found), "outfits")' "$suggested" \
    || fail "no outfit suggested"
echo "wheel smoke test passed in $(( $(date +%s) - started )) s"
