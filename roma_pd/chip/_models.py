"""Shapes of the LLMs ROMA holds: the linear layers of each transformer block."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ModelShape", "LLAMA32_3B", "LLAMA3_8B", "MODELS", "LORA_TARGETS"]

LORA_TARGETS = ("q", "k", "v", "o", "gate", "up", "down")


@dataclass(frozen=True)
class ModelShape:
    """A Llama-style decoder: grouped-query attention and a gated MLP.

    ``weight_bits`` is the ROM quantization the paper uses for the model.
    """
    name: str
    layers: int
    hidden: int
    heads: int
    kv_heads: int
    head_dim: int
    intermediate: int
    vocab: int
    tied_embeddings: bool
    weight_bits: int

    def linears(self) -> dict[str, tuple[int, int]]:
        """(in, out) features of each projection of one block."""
        h, q, kv, i = self.hidden, self.heads * self.head_dim, \
            self.kv_heads * self.head_dim, self.intermediate
        return {"q": (h, q), "k": (h, kv), "v": (h, kv), "o": (q, h),
                "gate": (h, i), "up": (h, i), "down": (i, h)}

    @property
    def linear_params(self) -> int:
        return self.layers * sum(a * b for a, b in self.linears().values())

    @property
    def embedding_params(self) -> int:
        """Token embedding plus output head (one table when tied)."""
        return self.vocab * self.hidden * (1 if self.tied_embeddings else 2)


# Published configurations (Hugging Face config.json of each model).
LLAMA32_3B = ModelShape("Llama3.2-3B", layers=28, hidden=3072, heads=24, kv_heads=8,
                        head_dim=128, intermediate=8192, vocab=128256,
                        tied_embeddings=True, weight_bits=4)
LLAMA3_8B = ModelShape("Llama3-8B", layers=32, hidden=4096, heads=32, kv_heads=8,
                       head_dim=128, intermediate=14336, vocab=128256,
                       tied_embeddings=False, weight_bits=2)
MODELS = {m.name: m for m in (LLAMA32_3B, LLAMA3_8B)}
