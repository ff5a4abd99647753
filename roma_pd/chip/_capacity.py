"""Capacity: does a model fit the ROM, and how many KV tokens fit the SRAM.

ROM: every quantized weight takes ``weight_bits``; every group of 128 weights adds an
FP16 scale and a zero point of ``zero_bits`` (the paper: UInt2). KV cache: K and V of
every layer's KV heads per token, FP16 by default. LoRA: rank ``r`` adapters on the
named projections, ``r * (in + out)`` parameters each, FP8 by default.

Sizes are binary (``GB`` = 2^30, ``MB`` = 2^20 bytes; see ``_config``): the ``*_gb``
and ``sram_mb`` columns are GiB and MiB.
"""
from __future__ import annotations

import pandas as pd

from ._config import GB, MB
from ._models import LORA_TARGETS, ModelShape

__all__ = ["paper_kv_points", "PAPER_KV_TOKENS", "rom_bytes", "lora_bytes", "kv_bytes_per_token", "max_kv_tokens",
           "LORA_MODULES", "rom_fit", "kv_capacity"]

GROUP = 128
# The paper's maximum KV tokens: (model, LoRA rank, SRAM MB) -> tokens
PAPER_KV_TOKENS = {("Llama3.2-3B", 16, 64): 736, ("Llama3.2-3B", 16, 256): 3808,
                   ("Llama3.2-3B", 64, 64): 0}
LORA_MODULES = LORA_TARGETS


def rom_bytes(model: ModelShape, with_embeddings: bool = False, scale_bits: int = 16,
              zero_bits: int = 2, group: int = GROUP) -> dict:
    """Bytes of the quantized weights, their scales and zero points."""
    params = model.linear_params + (model.embedding_params if with_embeddings else 0)
    if params % group:
        raise ValueError(f"parameters must fill whole groups of {group}, not {params}")
    groups = params // group
    out = {"params": params, "groups": groups,
           "weights": params * model.weight_bits / 8,
           "scales": groups * scale_bits / 8, "zero_points": groups * zero_bits / 8}
    out["total"] = out["weights"] + out["scales"] + out["zero_points"]
    return out


def lora_bytes(model: ModelShape, rank: int, modules=LORA_MODULES,
               bytes_per_param: float = 1.0) -> float:
    """Bytes of rank-``rank`` LoRA adapters on ``modules`` of every layer."""
    shapes = model.linears()
    unknown = [m for m in modules if m not in shapes]
    if unknown:
        raise ValueError(f"LoRA modules must be among {list(shapes)}, not {unknown[0]!r}")
    if rank < 0:
        raise ValueError(f"rank must be non-negative, not {rank!r}")
    per_layer = sum(rank * sum(shapes[m]) for m in modules)
    return model.layers * per_layer * bytes_per_param


def kv_bytes_per_token(model: ModelShape, bytes_per_value: float = 2.0) -> float:
    return 2 * model.layers * model.kv_heads * model.head_dim * bytes_per_value


def max_kv_tokens(model: ModelShape, sram_bytes: float, rank: int, modules=LORA_MODULES,
                  lora_bytes_per_param: float = 1.0, kv_bytes_per_value: float = 2.0) -> int:
    """KV tokens that fit in ``sram_bytes`` after the LoRA adapters (0 if they do not)."""
    free = sram_bytes - lora_bytes(model, rank, modules, lora_bytes_per_param)
    return max(0, int(free // kv_bytes_per_token(model, kv_bytes_per_value)))


def rom_fit(config) -> pd.DataFrame:
    """Per model: ROM bytes of the linear layers, and with the embeddings too, against
    the chip's ROM."""
    rows = []
    for model in config.model_shapes():
        lin, emb = rom_bytes(model), rom_bytes(model, with_embeddings=True)
        rows.append({"model": model.name, "weight_bits": model.weight_bits,
                     "linear_gb": lin["total"] / GB, "with_embeddings_gb": emb["total"] / GB,
                     "rom_gb": config.rom_gb,
                     "linear_fits": lin["total"] <= config.rom_bytes,
                     "with_embeddings_fits": emb["total"] <= config.rom_bytes})
    return pd.DataFrame(rows)


def kv_capacity(config, sram_mb: list[float]) -> pd.DataFrame:
    """Maximum KV tokens per model, LoRA rank and SRAM size (the form of Figure 10)."""
    rows = []
    for model in config.model_shapes():
        for rank in config.lora.ranks:
            for mb in sram_mb:
                rows.append({"model": model.name, "rank": rank, "sram_mb": mb,
                             "kv_tokens": max_kv_tokens(
                                 model, mb * MB, rank, config.lora.modules,
                                 config.lora.bytes_per_param, config.kv.bytes_per_value)})
    return pd.DataFrame(rows)


def paper_kv_points(config) -> pd.DataFrame:
    """The paper's KV-token figures beside ours (MB read as 10^6 and as 2^20 bytes),
    and the KV bytes per token and LoRA bytes its two rank-16 points imply (MiB)."""
    rows = []
    shapes = {m.name: m for m in config.model_shapes()}
    for (name, rank, mb), tokens in PAPER_KV_TOKENS.items():
        if name not in shapes:
            continue
        m = shapes[name]
        args = (config.lora.modules, config.lora.bytes_per_param, config.kv.bytes_per_value)
        rows.append({"model": name, "rank": rank, "sram_mb": mb, "paper_tokens": tokens,
                     "ours_mb": max_kv_tokens(m, mb * 1e6, rank, *args),
                     "ours_mib": max_kv_tokens(m, mb * 2 ** 20, rank, *args)})
    out = pd.DataFrame(rows)
    for (name, rank), g in out[out["paper_tokens"] > 0].groupby(["model", "rank"]):
        if len(g) >= 2:
            (s1, t1), (s2, t2) = g[["sram_mb", "paper_tokens"]].to_numpy()[:2]
            per_token = (s2 - s1) * 2 ** 20 / (t2 - t1)
            sel = (out["model"] == name) & (out["rank"] == rank)
            out.loc[sel, "implied_kv_bytes"] = per_token
            out.loc[sel, "implied_lora_bytes"] = s1 * 2 ** 20 - t1 * per_token
    return out
