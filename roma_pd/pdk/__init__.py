"""PDK access: where ASAP7 lives, which files a flow step needs, and the technology facts."""
from ._tech import CutLayer, MetalLayer, TechFacts, read_tech_facts
from ._asap7 import Asap7, load_pdk, PDK_ENV
from ._policy import CellPolicy

__all__ = ["Asap7", "load_pdk", "PDK_ENV", "TechFacts", "MetalLayer", "CutLayer",
           "read_tech_facts", "CellPolicy"]
