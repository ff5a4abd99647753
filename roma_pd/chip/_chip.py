"""Chip area and power per weight-store variant, from the scaling model, fakeram7 facts
and a stated decode workload.

The chip is built from tiles: a ROM bank of ``tile.width`` bits per word feeding
``tile.width / weight_bits`` L-Unit lanes, each bank read once per cycle while its lanes
work. The workload fixes how many lanes are needed (MACs per token x tokens/s / clock);
the ROM size fixes how deep each bank is. Dynamic power is energy per operation times
operations per second, so it follows the token rate; leakage is always on.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ._capacity import kv_bytes_per_token, lora_bytes, rom_bytes
from ._config import MB
from ._scaling import ScalingModel, compute_block
from ._sram import SramFacts

__all__ = ["Workload", "workload_of", "chip_parts", "variant_rates", "PAPER_AREA_MM2", "PAPER_POWER_W",
           "VARIANTS", "fused_ratio", "tile_area"]

PAPER_AREA_MM2 = 503.7
PAPER_POWER_W = 33.1
VARIANTS = ("sram", "rom", "brom", "fused")
_STORE_ROLE = {"rom": "stdrom", "brom": "brom", "fused": "brom"}


@dataclass(frozen=True)
class Workload:
    """Per-second operation counts of the decode workload and the tiling they imply."""
    model: str
    tokens_per_s: float
    rom_bits_read: float          # per token: weights, scales and zero points
    lunit_macs: float             # per token
    lora_macs: float
    attention_macs: float
    vector_ops: float
    hunit_bytes: float            # SRAM bytes read or written per token (LoRA, KV)
    lanes_per_tile: int
    tiles: int
    tile_depth: float             # words per ROM bank
    rom_bits: float               # the chip's ROM


def workload_of(config) -> Workload:
    """The workload's per-token counts and the L-Unit tiling, from the model's shape."""
    m, w, clock = config.workload_shape(), config.workload, config.clock_mhz * 1e6
    lora = lora_bytes(m, w.lora_rank, config.lora.modules, 1.0)   # params = MACs
    attention = 2 * m.layers * m.heads * m.head_dim * w.kv_tokens
    vector = m.layers * (config.vector.ops_per_hidden * m.hidden
                         + config.vector.ops_per_intermediate * m.intermediate
                         + config.vector.ops_per_score * m.heads * w.kv_tokens)
    kv = kv_bytes_per_token(m, config.kv.bytes_per_value)
    hunit = lora * config.lora.bytes_per_param + kv * (w.kv_tokens + 1)
    lanes_per_tile = config.tile.width // m.weight_bits
    lanes = math.ceil(m.linear_params * w.tokens_per_s / clock)
    tiles = math.ceil(lanes / lanes_per_tile)
    rom_bits = config.rom_bytes * 8
    return Workload(m.name, w.tokens_per_s, rom_bytes(m)["total"] * 8, m.linear_params,
                    lora, attention, vector, hunit, lanes_per_tile, tiles,
                    rom_bits / (tiles * config.tile.width), rom_bits)


def fused_ratio(blocks: pd.DataFrame) -> pd.Series:
    """Per size: fused tile area / (B-ROM block + compute block of that width)."""
    area = blocks.set_index("block")["area_um2"]
    out = {}
    for _, r in blocks[blocks["role"] == "fused"].iterrows():
        brom = area.get(f"brom_{r['depth']}x{r['width']}")
        comp = compute_block(blocks, r["depth"], r["width"])
        if brom is not None and comp is not None:
            out[r["block"]] = r["area_um2"] / (brom + comp["area_um2"])
    return pd.Series(out, dtype=float)


def _nz(x: float | None) -> float:
    """A slope of a fit: 0 for a term the fit does not have; NaN (a slope the data could
    not determine, nothing varied) stays NaN, so what it enters is unknown, not smaller."""
    return 0.0 if x is None else x


def _intercept(fit) -> float:
    # a dropped intercept is a proportional fit by design (too few blocks), so 0
    c = fit.coef.get("1")
    return 0.0 if c is None or math.isnan(c) else c


def _linear(fit, count: float, **x) -> float:
    """``count`` blocks: the intercept once per block, the slopes on the totals."""
    total = _intercept(fit) * count
    for term, value in x.items():
        total += _nz(fit.coef.get(term)) * value
    return total


def _shared(fit, term: str) -> float:
    """A store fit's row (depth) or column (width) slope. Dropped (NaN) means the data
    could not tell it apart: every block had one width, so it is in the intercept or the
    bit slope, and the fit without it is the model."""
    c = fit.coef.get(term)
    return 0.0 if c is None or math.isnan(c) else c


def _store(fit, count: float, bits: float, depth: float, width: float) -> float:
    """``count`` ROM banks of ``bits`` bits, ``depth`` rows and ``width`` columns in all:
    the intercept once per bank, the slopes on the totals."""
    return _intercept(fit) * count + _nz(fit.coef.get("bits")) * bits \
        + _shared(fit, "depth") * depth + _shared(fit, "width") * width


def _bank_totals(config, wl: Workload) -> dict[str, float]:
    """The store fits' regressors summed over the chip's ROM banks: bits, rows (depth)
    and columns (width)."""
    return {"bits": wl.rom_bits, "depth": wl.tiles * wl.tile_depth,
            "width": wl.tiles * config.tile.width}


def _row(variant, part, area_um2, leak_uw, dyn_pj_per_s, basis) -> dict:
    return {"variant": variant, "part": part, "area_mm2": area_um2 / 1e6,
            "leakage_w": leak_uw / 1e6, "dynamic_w": dyn_pj_per_s / 1e12,
            "power_w": leak_uw / 1e6 + dyn_pj_per_s / 1e12, "basis": basis}


def _lunit_rows(variant, config, model, sram, wl, ratio) -> list[dict]:
    """L-Unit ROM and compute of one variant (one fused row for ``fused``)."""
    tps, lanes = wl.tokens_per_s, wl.tiles * wl.lanes_per_tile
    comp_cycle = model.get("compute", "cycle_pj")
    compute = (_linear(model.get("compute", "area_um2"), wl.tiles, lanes=lanes),
               _linear(model.get("compute", "leakage_uw"), wl.tiles, lanes=lanes),
               wl.lunit_macs * tps / wl.lanes_per_tile
               * comp_cycle.predict(lanes=wl.lanes_per_tile))
    if variant == "sram":
        store = (wl.rom_bits * sram.area_um2_per_bit, wl.rom_bits / sram.bits
                 * sram.leakage_uw, wl.rom_bits_read * tps / sram.width * sram.access_pj)
        basis = f"{sram.macro} per bit (LEF area, liberty power)"
    else:
        role = _STORE_ROLE[variant]
        read = model.get(role, "read_fj_per_bit").predict(
            log2_depth=math.log2(wl.tile_depth))
        banks = _bank_totals(config, wl)
        store = (_store(model.get(role, "area_um2"), wl.tiles, **banks),
                 _store(model.get(role, "leakage_uw"), wl.tiles, **banks),
                 wl.rom_bits_read * tps * read / 1e3)
        basis = f"{role} fit, {wl.tiles} banks of {wl.tile_depth:.0f} words"
    if variant == "fused":
        if ratio is None:
            raise ValueError("the sweep has no finished fused block to scale by")
        return [_row(variant, "L-Unit (fused ROM + compute)", ratio * (store[0] + compute[0]),
                     store[1] + compute[1], store[2] + compute[2],
                     f"(B-ROM + compute) x measured fused ratio {ratio:.3f}")]
    return [_row(variant, "L-Unit ROM", *store, basis),
            _row(variant, "L-Unit compute", *compute, f"compute fit, {lanes} lanes")]


def _shared_rows(variant, config, model, sram, wl) -> list[dict]:
    """H-Unit SRAM and compute, vector units: the same for every weight store."""
    f, tps = config.clock_mhz * 1e6, wl.tokens_per_s
    per_lane = {t: model.get("compute", t).predict(lanes=wl.lanes_per_tile)
                / wl.lanes_per_tile for t in ("area_um2", "leakage_uw", "cycle_pj")}

    def sram_part(bits):
        return bits * sram.area_um2_per_bit, bits / sram.bits * sram.leakage_uw

    rows = [_row(variant, "H-Unit SRAM", *sram_part(config.sram_lora_kv_mb * MB * 8),
                 wl.hunit_bytes * 8 / sram.width * sram.access_pj * tps,
                 f"{config.sram_lora_kv_mb:g} MiB of {sram.macro}")]
    k = config.h_unit.lane_cost_factor
    h_macs = (wl.lora_macs + wl.attention_macs) * tps
    h_lanes = math.ceil(h_macs / f)
    rows.append(_row(variant, "H-Unit compute", k * h_lanes * per_lane["area_um2"],
                     k * h_lanes * per_lane["leakage_uw"], k * h_macs * per_lane["cycle_pj"],
                     f"{h_lanes} lanes = LoRA + attention MACs at the token rate, "
                     f"x{k:g} an L-Unit lane"))
    v_lanes = config.vector_units * config.vector.lanes_per_unit
    v_area, v_leak = sram_part(config.sram_intermediate_mb * MB * 8)
    rows.append(_row(variant, "vector units", v_area + v_lanes * per_lane["area_um2"],
                     v_leak + v_lanes * per_lane["leakage_uw"],
                     wl.vector_ops * tps * (per_lane["cycle_pj"]
                                            + 16 / sram.width * sram.access_pj),
                     f"{config.sram_intermediate_mb:g} MiB SRAM + {v_lanes} lanes; "
                     "one FP16 operand read per op"))
    return rows


def tile_area(model: ScalingModel, variant: str, depth: int, width: int,
              weight_bits: int, ratio: float | None) -> float:
    """Core area (um^2) of one ``depth`` x ``width`` tile as the chip model builds it:
    the store fit at its bits, rows and columns plus the compute fit at its lanes;
    ``fused`` is B-ROM plus compute times the measured fused ratio.

    Raises
    ------
    ValueError
        a fit the variant needs is missing, or ``fused`` without a ratio.
    """
    lanes = width // weight_bits
    store = _store(model.get(_STORE_ROLE[variant], "area_um2"), 1, depth * width, depth,
                   width)
    compute = _linear(model.get("compute", "area_um2"), 1, lanes=lanes)
    if variant != "fused":
        return store + compute
    if ratio is None:
        raise ValueError("the sweep has no finished fused block to scale by")
    return ratio * (store + compute)


def chip_parts(config, model: ScalingModel, sram: SramFacts, workload: Workload,
               ratio: float | None) -> pd.DataFrame:
    """Area (mm^2) and power (W: leakage, dynamic) of every part, for each variant the
    sweep supports; the others are in ``.attrs['skipped']`` with the reason."""
    rows, skipped = [], {}
    for variant in VARIANTS:
        try:
            done = _lunit_rows(variant, config, model, sram, workload, ratio) \
                + _shared_rows(variant, config, model, sram, workload)
        except ValueError as exc:
            skipped[variant] = str(exc)
            continue
        a, p = config.overhead.area_fraction, config.overhead.power_fraction
        power = p * sum(r["power_w"] for r in done)
        done.append({"variant": variant, "part": "interconnect and overhead",
                     "area_mm2": a * sum(r["area_mm2"] for r in done), "leakage_w": 0.0,
                     "dynamic_w": power, "power_w": power,
                     "basis": f"assumed {a:.0%} of area, {p:.0%} of power"})
        rows += done
    out = pd.DataFrame(rows)
    out.attrs["skipped"] = skipped
    return out


def _per_bit(fit, depth: float, width: float) -> float:
    """A store fit's marginal cost per bit of a ``depth`` x ``width`` bank: the bit term
    plus the row terms shared by its ``width`` columns and the column terms by its
    ``depth`` rows (the intercept, once per bank, left out)."""
    return _nz(fit.coef.get("bits")) + _shared(fit, "depth") / width \
        + _shared(fit, "width") / depth


def variant_rates(model: ScalingModel, sram: SramFacts, wl: Workload,
                  ratio: float | None, width: int) -> pd.DataFrame:
    """Per variant: the marginal area and energy per ROM bit (of the chip's
    ``wl.tile_depth`` x ``width`` bank) and per compute lane the chip model uses (read
    energy at the chip's bank depth)."""
    lanes = wl.lanes_per_tile
    comp = {t: model.get("compute", t) for t in ("area_um2", "leakage_uw", "cycle_pj")}
    lane = {"um2_per_lane": comp["area_um2"].predict(lanes=lanes) / lanes,
            "nw_per_lane": comp["leakage_uw"].predict(lanes=lanes) / lanes * 1e3,
            "fj_per_mac": comp["cycle_pj"].predict(lanes=lanes) / lanes * 1e3}
    rows = [{"variant": "sram", "um2_per_bit": sram.area_um2_per_bit,
             "pw_leak_per_bit": sram.leakage_uw / sram.bits * 1e6,
             "fj_per_bit_read": sram.access_pj / sram.width * 1e3, **lane}]
    for variant, role in _STORE_ROLE.items():
        try:
            area, leak = model.get(role, "area_um2"), model.get(role, "leakage_uw")
            read = model.get(role, "read_fj_per_bit").predict(
                log2_depth=math.log2(wl.tile_depth))
        except ValueError:
            continue
        scale = ratio if variant == "fused" and ratio is not None else 1.0
        if variant == "fused" and ratio is None:
            continue
        rows.append({"variant": variant,
                     "um2_per_bit": scale * _per_bit(area, wl.tile_depth, width),
                     "pw_leak_per_bit": _per_bit(leak, wl.tile_depth, width) * 1e6,
                     "fj_per_bit_read": read, **lane,
                     "um2_per_lane": scale * lane["um2_per_lane"]})
    return pd.DataFrame(rows)
