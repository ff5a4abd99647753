"""``python -m roma_pd.metrics``: print docs/METRICS.md, the table of every metric with
its ORFS-style key and unit, from the definitions (for the PDK of ``$ROMA_PDK_ROOT``)."""
from ..pdk import load_pdk
from ._schema import metric_definitions
from ._table import METRICS_FILE, metric_names_markdown

HEADER = f"""# Metrics

Every metric a run records, generated from `roma_pd/metrics/_schema.py` by
`python -m roma_pd.metrics > docs/METRICS.md` (ASAP7 layers). `{METRICS_FILE}` holds
each metric under both names, and `units` maps every name to its unit ('' for a count
or a ratio, `-` in this table). ORFS-style keys follow OpenROAD-flow-scripts'
`<stage>__<category>__<metric>`; the layout is `finish`; timing and power read the
routed wires' parasitics (a SPEF the metrics step writes; no coupling).

"""


def main() -> None:
    print(HEADER + metric_names_markdown(metric_definitions(load_pdk().tech)), end="")


if __name__ == "__main__":
    main()
