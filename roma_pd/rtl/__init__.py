"""RTL generators: Amaranth components for the tiles, their golden models, simulation
helpers and synthesis statistics."""
from ._content import content_words, load_weights, pack_words, random_weights, unpack_word
from ._gates import Asap7Gates, GateBuilder, or_tree_cost
from ._golden import fp16_bits, lunit_group
from ._lunit import GROUP, NAN32, LUnit
from ._mac import MAC
from ._registry import (GENERATORS, build_component, check_params, generate,
                        generator_names, tile_blocks, TILE_ROLES)
from ._rom import BLOCK, BROM, LogicROM, StdROM, rom_analytics
from ._sim import group_e_max, read_rom, run_lunit, run_tile_sim
from ._tile import SRAM_MACROS, VARIANTS, Compute, SramStore, Tile, sram_macros
from ._workload import WORKLOAD, PortActivity, has_workload, port_activity

__all__ = ["MAC", "StdROM", "BROM", "LogicROM", "LUnit", "BLOCK", "GROUP", "NAN32",
           "rom_analytics", "Asap7Gates", "GateBuilder", "or_tree_cost",
           "random_weights", "load_weights", "pack_words", "unpack_word", "content_words",
           "lunit_group", "fp16_bits", "read_rom", "run_lunit", "group_e_max", "run_tile_sim",
           "Tile", "Compute", "SramStore", "VARIANTS", "SRAM_MACROS", "sram_macros",
           "GENERATORS", "generate", "generator_names", "build_component", "check_params",
           "tile_blocks", "TILE_ROLES", "PortActivity", "port_activity",
           "has_workload", "WORKLOAD"]
