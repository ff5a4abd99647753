"""Opens and shorts of a routed layout against its netlist, by KLayout extraction.

The routed layout's metal and cut layers are connected into nets geometrically; each
terminal of each signal net (a cell pin or a block pin) is probed. A net whose
terminals fall into more than one extracted net is open (a terminal that touches no
metal counts as a piece of its own); an extracted net reached from two netlist nets is
a short.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import klayout.db as kdb

from ..pdk import TechFacts

__all__ = ["Connectivity", "check_connectivity"]


@dataclass
class Connectivity:
    """Result of the check: counts and the first offenders by name."""
    nets: int = 0
    terminals: int = 0
    opens: list[str] = field(default_factory=list)
    shorts: list[tuple[str, str]] = field(default_factory=list)


def check_connectivity(layout: kdb.Layout, tech: TechFacts,
                       terminals: dict[str, list[dict]],
                       top_layer: str | None = None) -> Connectivity:
    """Check ``terminals`` (net -> [{"boxes": [[layer, x0, y0, x1, y1], ...]}]) against
    the geometry of ``layout``'s top cell and everything below it.

    The top cell is flattened in place: probing a hierarchy would give the unconnected
    pins of two instances of one cell the same extracted net.

    Raises
    ------
    ValueError
        When no net has two terminals to check: a check of nothing would pass.
    """
    layout.top_cell().flatten(True)
    names = tech.metal_names
    stop = names.index(top_layer) + 1 if top_layer else len(names)
    metals = tech.metals[:stop]
    l2n = kdb.LayoutToNetlist(kdb.RecursiveShapeIterator(layout, layout.top_cell(), []))
    layers = {}
    for m in metals:
        li = layout.find_layer(*m.gds)
        layers[m.name] = l2n.make_layer(li if li is not None else layout.layer(*m.gds),
                                        m.name)
        l2n.connect(layers[m.name])
    for c in tech.cuts:
        if c.below in layers and c.above in layers:
            li = layout.find_layer(*c.gds)
            cut = l2n.make_layer(li if li is not None else layout.layer(*c.gds), c.name)
            l2n.connect(cut)
            l2n.connect(layers[c.below], cut)
            l2n.connect(cut, layers[c.above])
    l2n.extract_netlist()

    result = Connectivity()
    owner: dict[int, str] = {}
    shorts = set()
    for net, terms in terminals.items():
        if len(terms) < 2:
            continue
        result.nets += 1
        clusters = set()
        for term in terms:
            hit = None
            for layer, x0, y0, x1, y1 in term["boxes"]:
                if layer not in layers:
                    continue
                hit = l2n.probe_net(layers[layer], kdb.DPoint((x0 + x1) / 2, (y0 + y1) / 2))
                if hit is not None:
                    break
            result.terminals += 1
            clusters.add(hit.cluster_id if hit is not None else ("floating", id(term)))
        if len(clusters) > 1:
            result.opens.append(net)
        for cid in clusters:
            if isinstance(cid, tuple):
                continue
            if cid in owner and owner[cid] != net:
                shorts.add(tuple(sorted((owner[cid], net))))
            owner[cid] = net
    result.shorts = sorted(shorts)
    if not result.nets:     # fail closed: an empty terminals file is no proof
        raise ValueError(f"connectivity check found no net with two or more terminals "
                         f"among {len(terminals)} nets; the layout cannot be judged "
                         "connected")
    return result
