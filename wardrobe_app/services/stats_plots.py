"""The plots of ``wardrobe stats --png``: matplotlib figures drawn off-screen (Agg), saved as PNG files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from wardrobe_app.domain import DataDirError, WardrobeError, category_title

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from wardrobe_app.services.stats import ClosetStats
    from wardrobe_app.services.versatility import Versatility

#: Items shown in the wears plot (the most worn, then the least worn, when the closet is bigger).
WEARS_SHOWN = 15
VALUE_SHOWN = 10


def _figure(height: float = 4.5) -> Figure:
    from matplotlib.figure import Figure  # no pyplot: no global state, no GUI backend

    return Figure(figsize=(8, height), dpi=100, layout="constrained")


def _message(fig: Figure, ax: Axes, text: str) -> Figure:
    """A figure that says why there is nothing to plot (and what to do about it) instead of empty axes."""
    ax.text(0.5, 0.5, text, ha="center", va="center")
    ax.set_axis_off()
    return fig


def wears_figure(stats: ClosetStats) -> Figure:
    """Horizontal bars: the most worn items and the least worn ones."""
    fig = _figure(6)
    ax = fig.add_subplot()
    rows = list(stats.items)
    if not any(r.wears for r in rows):  # empty bars on an axis from -0.05 to 0.05 said nothing
        return _message(fig, ax, "nothing worn yet: press Wore it on an outfit, or log a day on the Calendar tab")
    if len(rows) > 2 * WEARS_SHOWN:
        rows = rows[:WEARS_SHOWN] + rows[-WEARS_SHOWN:]
    labels = [r.title or r.label for r in rows][::-1]
    ax.barh(labels, [r.wears for r in rows][::-1], color="#4a78a8")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # wears are counted: no 0.2, 0.4, ... ticks
    ax.set_xlabel("wears")
    ax.set_title("Wears per item" + (" (most and least worn)" if len(rows) < len(stats.items) else ""))
    ax.tick_params(axis="y", labelsize=7)
    return fig


def value_figure(stats: ClosetStats) -> Figure:
    """Cost per wear of the best and worst value items (priced items only)."""
    fig = _figure()
    ax = fig.add_subplot()
    rows = list(stats.best_value) + [r for r in stats.worst_value if r not in stats.best_value]
    rows = sorted(rows, key=lambda r: r.cost_per_wear or 0.0)[: 2 * VALUE_SHOWN]
    if not rows:
        return _message(fig, ax, "no prices yet: set them with Edit… in the closet (or wardrobe set ID --price P)")
    ax.barh(
        [r.title or r.label for r in rows],
        [r.cost_per_wear or 0.0 for r in rows],
        color=["#5a9e5a" if r in stats.best_value else "#c0504d" for r in rows],
    )
    ax.set_xlabel("cost per wear")
    ax.set_title("Cost per wear: best (green) and worst (red) value")
    ax.tick_params(axis="y", labelsize=7)
    return fig


def colours_figure(stats: ClosetStats) -> Figure:
    """The closet's colour mix, each bar in its colour."""
    fig = _figure()
    ax = fig.add_subplot()
    mix = stats.colour_mix
    ax.bar([c.name for c in mix], [100 * c.share for c in mix], color=[c.hex for c in mix], edgecolor="#444444")
    ax.set_ylabel("% of the closet")
    ax.set_title("Colour mix")
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    return fig


def _paired_bars(ax: Axes, names: list[str], first: list[int], second: list[int], labels: tuple[str, str]) -> None:
    """Two shares side by side per name (each as % of its own total), so unlike counts compare."""
    x = range(len(names))
    for offset, values, label, colour in ((-0.2, first, labels[0], "#4a78a8"), (0.2, second, labels[1], "#e0a040")):
        total = sum(values) or 1
        ax.bar([i + offset for i in x], [100 * v / total for v in values], width=0.4, label=label, color=colour)
    ax.set_xticks(list(x), names)
    ax.set_ylabel("%")
    ax.legend(fontsize=8)


def categories_figure(stats: ClosetStats) -> Figure:
    """Share of items and of wears per category; share of items suiting each occasion and of outfits worn for it."""
    fig = _figure(7)
    top, bottom = fig.subplots(2, 1)
    cats = stats.categories
    _paired_bars(
        top,
        [category_title(c if c != "unclassified" else None) for c, _, _ in cats],
        [n for _, n, _ in cats],
        [w for _, _, w in cats],
        ("% of the items", "% of the wears"),
    )
    top.tick_params(axis="x", labelrotation=45, labelsize=8)
    top.set_title("Category balance")
    occ = stats.occasions
    _paired_bars(
        bottom,
        [o.capitalize() for o, _, _ in occ],  # as the outfit board names them
        [n for _, n, _ in occ],
        [w for _, _, w in occ],
        ("% of the items that suit it", "% of the outfits worn"),
    )
    bottom.set_title("Occasions")
    return fig


def versatility_figure(stats: ClosetStats, found: Versatility) -> Figure:
    """Good outfits each item is part of: the most versatile items and the least."""
    fig = _figure(6)
    ax = fig.add_subplot()
    rows = sorted(stats.items, key=lambda r: (-found.of(r.item_id), r.item_id))
    if len(rows) > 2 * WEARS_SHOWN:
        rows = rows[:WEARS_SHOWN] + rows[-WEARS_SHOWN:]
    if not rows:
        return _message(fig, ax, "no items yet")
    ax.barh([r.title or r.label for r in rows][::-1], [found.of(r.item_id) for r in rows][::-1], color="#7a5aa8")
    ax.set_xlabel(f"good outfits it is in (score >= {found.threshold:g}, all occasions)")
    ax.set_title("Versatility" + (" (most and least versatile)" if len(rows) < len(stats.items) else ""))
    ax.tick_params(axis="y", labelsize=7)
    return fig


FIGURES = {
    "wears": wears_figure,
    "cost_per_wear": value_figure,
    "colours": colours_figure,
    "categories": categories_figure,
}


#: Written into every plot (a PNG text chunk): a file of a plot's name without it is the person's, never replaced.
PLOT_MARK = "Wardrobe stats --png"


def write_plots(stats: ClosetStats, folder: Path) -> list[Path]:
    """Save every plot as ``folder/<name>.png`` (the folder is made); the paths written.

    Plots an earlier run wrote are replaced (also those of a version before the mark: matplotlib PNGs of those
    names); a file of the same name that is not a plot (the person's own ``colours.png`` in ~/Pictures), or a
    link, is never replaced: WardrobeError, and nothing is written.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirError(f"cannot make the folder {folder} for the plots: {exc.strerror or exc}") from exc
    theirs = [name for name in FIGURES if not _ours_or_free(folder / f"{name}.png")]
    if theirs:
        names = " and ".join(f"{n}.png" for n in theirs)
        raise WardrobeError(
            f"a file named {names} that is not a Wardrobe plot is in {folder}; move it or pick another folder "
            "for the plots (nothing was replaced)"
            if len(theirs) == 1
            else f"files named {names} that are not Wardrobe plots are in {folder}; move them or pick another "
            "folder for the plots (nothing was replaced)"
        )
    written = []
    for name, draw in FIGURES.items():
        path = folder / f"{name}.png"
        try:
            draw(stats).savefig(path, metadata={"Software": PLOT_MARK})
        except OSError as exc:
            raise DataDirError(f"cannot write {path}: {exc.strerror or exc}") from exc
        written.append(path)
    return written


def _ours_or_free(path: Path) -> bool:
    """True when nothing is at ``path`` yet, or a plot an earlier ``stats --png`` wrote (a regular file, not a link)."""
    if path.is_symlink():
        return False
    if not path.exists():
        return True
    if not path.is_file():
        return False
    from PIL import Image

    try:
        with Image.open(path) as image:
            is_png, software = image.format == "PNG", str(image.info.get("Software", ""))
    except Exception:  # not an image at all: certainly not one of ours
        return False
    # a plot of a version before the mark carries matplotlib's own Software chunk (under one of the plots' names)
    return is_png and (software == PLOT_MARK or software.lower().startswith("matplotlib"))
