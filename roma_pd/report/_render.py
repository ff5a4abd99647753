from __future__ import annotations

from pathlib import Path

__all__ = ["render_png"]


def render_png(gds: Path, lyp: Path, out: Path, size: int = 1600,
               hide: tuple[str, ...] = ()) -> Path:
    """Draw ``gds`` with the layer colours of ``lyp`` into a PNG, without a display.

    Parameters
    ----------
    hide : layer specs such as ``"100/0"`` to leave out (e.g. the boundary).
    """
    if size < 1:
        raise ValueError(f"size must be a positive number of pixels, not {size!r}")
    import klayout.lay as lay
    view = lay.LayoutView()
    view.load_layout(str(gds), True)
    view.load_layer_props(str(lyp))
    if hide:
        it = view.begin_layers()
        while not it.at_end():
            node = it.current()
            if node.source.split("@")[0] in hide:
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
