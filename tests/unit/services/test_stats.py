"""Closet statistics on a known diary: wears, most/least worn, cost per wear, colour mix, categories, plots."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from wardrobe_app.domain import Colour, Group, Item
from wardrobe_app.services.stats import closet_stats
from wardrobe_app.services.stats_plots import write_plots


def item(
    item_id: int, category: str, group: Group, colours: list[tuple[str, str, float]], price: float | None = None
) -> Item:
    return Item(
        id=item_id,
        photo_path=f"/p/{item_id}.jpg",
        cutout_path=None,
        thumb_path=None,
        mask_path=None,
        content_hash=str(item_id),
        category=category,
        group=group,
        price=price,
        colours=tuple(Colour(n, h, (0.0, 0.0, 0.0), s) for n, h, s in colours),
    )


CLOSET = [
    item(1, "shirt", Group.TOP, [("white", "#f0f0f0", 0.75), ("navy", "#1b2a4a", 0.25)], price=40.0),
    item(2, "t-shirt", Group.TOP, [("red", "#c03030", 1.0)], price=10.0),
    item(3, "jeans", Group.MIDDLE, [("navy", "#1b2a4a", 0.5), ("blue", "#3050c0", 0.5)], price=90.0),
    item(4, "sneakers", Group.BOTTOM, [("white", "#ffffff", 1.0)]),
    item(5, "trousers", Group.MIDDLE, [("black", "#101010", 1.0)], price=120.0),  # never worn
]
D1, D2, D3 = date(2026, 1, 1), date(2026, 1, 5), date(2026, 2, 1)
LOG = [  # (entry, item, day, occasion)
    (1, 1, D1, "work"),
    (1, 3, D1, "work"),
    (1, 4, D1, "work"),
    (2, 2, D2, "casual"),
    (2, 3, D2, "casual"),
    (2, 4, D2, "casual"),
    (3, 1, D3, "work"),
    (3, 3, D3, "work"),
    (3, 4, D3, "work"),
]


def test_wears_values_on_a_known_diary() -> None:
    stats = closet_stats(CLOSET, LOG)
    wears = {r.item_id: r.wears for r in stats.items}
    assert wears == {1: 2, 2: 1, 3: 3, 4: 3, 5: 0}
    assert [r.item_id for r in stats.items] == [3, 4, 1, 2, 5]  # most worn first; ties by id
    assert [r.item_id for r in stats.most_worn] == [3, 4, 1, 2]  # never-worn items are not "most worn"
    assert [r.item_id for r in stats.least_worn][:2] == [5, 2]
    assert [r.item_id for r in stats.never_worn] == [5]
    assert {r.item_id: r.last_worn for r in stats.items}[2] == D2
    assert (stats.outfits_worn, stats.first_day, stats.last_day) == (3, D1, D3)
    cpw = {r.item_id: r.cost_per_wear for r in stats.items}
    assert cpw == {1: 20.0, 2: 10.0, 3: 30.0, 4: None, 5: 120.0}  # never worn: the whole price
    assert [r.item_id for r in stats.best_value] == [2, 1, 3]
    assert [r.item_id for r in stats.worst_value] == [5, 3, 1, 2]


def test_colour_mix_and_category_balance() -> None:
    stats = closet_stats(CLOSET, LOG)
    mix = {c.name: c.share for c in stats.colour_mix}
    assert mix == pytest.approx({"white": 1.75 / 5, "navy": 0.75 / 5, "red": 0.2, "blue": 0.1, "black": 0.2})
    assert stats.colour_mix[0].name == "white" and stats.colour_mix[0].hex == "#ffffff"  # its purest swatch
    assert ("jeans", 1, 3) in stats.categories and ("trousers", 1, 0) in stats.categories
    occasions = {o: (n, w) for o, n, w in stats.occasions}
    assert occasions["work"][1] == 2 and occasions["casual"][1] == 1 and occasions["party"][1] == 0
    assert occasions["work"][0] >= 2  # shirt and trousers suit work at least
    data = stats.to_json()
    assert data["item_wears"] == 9 and data["never_worn"] == [5] and data["from"] == "2026-01-01"


def test_empty_closet_and_diary() -> None:
    stats = closet_stats([], [])
    assert stats.items == () and stats.colour_mix == () and stats.first_day is None
    assert stats.to_json()["most_worn"] == []


def test_plots_are_drawn_and_not_blank(tmp_path: Path) -> None:
    written = write_plots(closet_stats(CLOSET, LOG), tmp_path / "plots")
    assert sorted(p.name for p in written) == ["categories.png", "colours.png", "cost_per_wear.png", "wears.png"]
    for path in written:
        pixels = np.asarray(Image.open(path).convert("L"))
        assert pixels.shape[0] >= 400 and pixels.std() > 10, path  # drawn, not a blank canvas
    # the colour plot paints the closet's colours: red (#c03030) bars are there
    rgb = np.asarray(Image.open(tmp_path / "plots" / "colours.png").convert("RGB")).astype(int)
    assert (np.abs(rgb - [0xC0, 0x30, 0x30]).sum(axis=2) < 30).sum() > 500


def test_wears_are_ticked_in_whole_numbers_and_no_prices_points_to_edit() -> None:
    from wardrobe_app.services.stats_plots import value_figure, wears_figure

    once = [(1, 1, D1, "work"), (1, 3, D1, "work")]  # every worn item worn once: matplotlib ticked 0.2, 0.4, ...
    fig = wears_figure(closet_stats(CLOSET, once))
    fig.canvas.draw()
    ticks = fig.axes[0].get_xticks()
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks)
    unpriced = [i for i in CLOSET if i.price is None]
    texts = [t.get_text() for t in value_figure(closet_stats(unpriced, [])).axes[0].texts]
    assert any("Edit…" in t for t in texts)


def test_plots_name_items_by_title_not_by_id() -> None:
    from wardrobe_app.services.stats_plots import versatility_figure, wears_figure

    twins = [*CLOSET, item(6, "t-shirt", Group.TOP, [("red", "#c03030", 1.0)])]  # a second red t-shirt
    stats = closet_stats(twins, LOG)

    class Found:
        threshold = 0.6

        def of(self, item_id: int) -> int:
            return item_id

    for figure in (wears_figure(stats), versatility_figure(stats, Found())):  # type: ignore[arg-type]
        shown = [t.get_text() for t in figure.axes[0].get_yticklabels()]
        assert len(shown) == len(twins) == len(set(shown))  # one bar per item, none merged
        assert "red t-shirt, 1st" in shown and "red t-shirt, 2nd" in shown
        assert not any(f"({i.id})" in s for s in shown for i in twins)
    assert stats.to_json()["items"][0]["label"] in {i.label for i in twins}  # --json keeps the plain labels


def test_wears_plot_says_nothing_was_worn_yet() -> None:
    from wardrobe_app.services.stats_plots import wears_figure

    figure = wears_figure(closet_stats(CLOSET, []))
    said = [t.get_text() for t in figure.axes[0].texts]
    assert any("nothing worn yet" in s and "Wore it" in s for s in said)
    assert not figure.axes[0].patches  # no empty bars on a meaningless axis


def test_category_and_occasion_names_read_as_the_window_shows_them() -> None:
    from wardrobe_app.services.stats_plots import categories_figure

    coats = [*CLOSET, item(6, "outwear", Group.TOP, [("grey", "#808080", 1.0)])]
    top, bottom = categories_figure(closet_stats(coats, LOG)).axes[:2]
    categories = [t.get_text() for t in top.get_xticklabels()]
    assert "Outerwear" in categories and "T-shirt" in categories and "outwear" not in categories
    assert [t.get_text() for t in bottom.get_xticklabels()][:2] == ["Casual", "Work"]
