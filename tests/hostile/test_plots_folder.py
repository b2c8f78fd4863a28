"""`wardrobe stats --png DIR` into a folder that already holds the person's own files of the plots' names."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tests.hostile.conftest import CliRun
from wardrobe_app.domain import WardrobeError
from wardrobe_app.services.stats import closet_stats
from wardrobe_app.services.stats_plots import FIGURES, PLOT_MARK, write_plots
from wardrobe_app.services.wardrobe import Wardrobe


def test_a_persons_own_file_named_like_a_plot_is_never_replaced(
    small_closet: Wardrobe, run: CliRun, tmp_path: Path
) -> None:
    """Before: ``stats --png ~/Pictures`` wrote over ~/Pictures/colours.png, a file Wardrobe never made."""
    pictures = tmp_path / "Pictures"
    pictures.mkdir()
    (pictures / "colours.png").write_bytes(b"the person's own palette")
    (pictures / "holiday.jpg").write_bytes(b"a photo")
    code, _out, err = run("stats", "--png", str(pictures))
    assert code == 1 and "colours.png" in err and "Traceback" not in err
    assert (pictures / "colours.png").read_bytes() == b"the person's own palette"
    assert sorted(p.name for p in pictures.iterdir()) == ["colours.png", "holiday.jpg"]  # nothing half-written


def test_a_link_named_like_a_plot_is_not_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim.png"
    victim.write_bytes(b"elsewhere")
    plots = tmp_path / "plots"
    plots.mkdir()
    (plots / "wears.png").symlink_to(victim)
    with pytest.raises(WardrobeError, match=r"wears\.png"):
        write_plots(closet_stats([], []), plots)
    assert victim.read_bytes() == b"elsewhere"


def test_the_plots_of_an_earlier_run_are_replaced(small_closet: Wardrobe, run: CliRun, tmp_path: Path) -> None:
    plots = tmp_path / "plots"
    assert run("stats", "--png", str(plots))[0] == 0
    first = {p.name: p.stat().st_mtime_ns for p in plots.iterdir()}
    for path in plots.iterdir():
        path.write_bytes(path.read_bytes())  # the same plots, touched
    assert run("stats", "--png", str(plots))[0] == 0
    assert sorted(p.name for p in plots.iterdir()) == sorted(first)


def test_the_plots_of_the_version_before_the_mark_are_replaced(
    small_closet: Wardrobe, run: CliRun, tmp_path: Path
) -> None:
    """Before: a weekly ``stats --png ~/closet-stats`` refused the plots the previous version wrote there (plain
    matplotlib PNGs, no Wardrobe mark), saying Wardrobe had not written them."""
    plots = tmp_path / "closet-stats"
    plots.mkdir()
    stats = closet_stats([], [])
    for name, draw in FIGURES.items():
        draw(stats).savefig(plots / f"{name}.png")  # as the previous version saved them
    code, _out, err = run("stats", "--png", str(plots))
    assert code == 0, err
    for path in plots.iterdir():
        with Image.open(path) as image:
            assert image.info.get("Software") == PLOT_MARK


def test_the_refusal_names_the_file_that_is_not_a_plot(tmp_path: Path) -> None:
    plots = tmp_path / "plots"
    plots.mkdir()
    Image.new("RGB", (4, 4)).save(plots / "colours.png")  # a PNG, but not a plot
    with pytest.raises(WardrobeError) as refused:
        write_plots(closet_stats([], []), plots)
    message = str(refused.value)
    assert "colours.png" in message and "not a Wardrobe plot" in message and "move it" in message
    assert "did not write" not in message
