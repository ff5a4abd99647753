from __future__ import annotations

from pathlib import Path

__all__ = ["render_png", "lyp_layers", "resolve_layers"]


def lyp_layers(lyp: Path) -> dict[str, list[str]]:
    """The layer names of a KLayout ``.lyp`` and the sources (``"19/0"``) of each.

    A name is the first word of a layer entry's ``<name>`` (``"M1 pin - 19/251"`` is
    ``M1``), so one name covers every purpose (drawing, pin, label, ...) of that layer.
    """
    import klayout.lay as lay
    view = lay.LayoutView()
    view.load_layer_props(str(lyp))
    layers: dict[str, list[str]] = {}
    it = view.begin_layers()
    while not it.at_end():
        node = it.current()
        words = node.name.split()
        if words and not node.has_children() and node.source_layer >= 0:
            layers.setdefault(words[0], []).append(
                f"{node.source_layer}/{node.source_datatype}")
        it.next()
    return layers


def resolve_layers(names: str, available: dict[str, list[str]]) -> tuple[str, ...]:
    """The sources of the comma-separated layer ``names`` (``"M2,V1"``, any case).

    Raises
    ------
    ValueError
        naming an unknown layer and listing the valid ones.
    """
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    if not wanted:
        raise ValueError(f"--layers must name at least one layer, not {names!r}; valid: "
                         + ", ".join(available))
    by_case = {k.upper(): k for k in available}
    sources: list[str] = []
    for name in wanted:
        if name.upper() not in by_case:
            raise ValueError(f"--layers: unknown layer {name!r}; valid: "
                             + ", ".join(available))
        sources += available[by_case[name.upper()]]
    return tuple(sources)


def render_png(gds: Path, lyp: Path, out: Path, size: int = 1600,
               hide: tuple[str, ...] = (), only: tuple[str, ...] | None = None,
               text: bool = True) -> Path:
    """Draw ``gds`` with the layer colours of ``lyp`` into a PNG, without a display.

    Parameters
    ----------
    hide : layer specs such as ``"100/0"`` to leave out (e.g. the boundary).
    only : layer specs to show; every other layer is hidden (``None``: all).
    text : draw text labels (KLayout's ``text-visible``).
    """
    if size < 1:
        raise ValueError(f"size must be a positive number of pixels, not {size!r}")
    import klayout.lay as lay
    view = lay.LayoutView()
    view.load_layout(str(gds), True)
    view.load_layer_props(str(lyp))
    if not text:
        view.set_config("text-visible", "false")
    if hide or only is not None:
        it = view.begin_layers()
        while not it.at_end():
            node = it.current()
            spec = node.source.split("@")[0]
            if spec in hide or (only is not None and spec not in only):
                node.visible = False
            it.next()
    view.max_hier()
    view.zoom_fit()
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp.png")
    try:
        view.save_image(str(tmp), size, size)
        if not tmp.is_file() or tmp.stat().st_size == 0:
            raise RuntimeError(f"KLayout wrote no image to {tmp}")
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)     # never leave a partial or empty PNG behind
    return out
