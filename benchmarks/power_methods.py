#!/usr/bin/env python3
"""The two power methods side by side on synthesized blocks (no wires): OpenSTA's power
with every net at the uniform activity, and with the simulated workload's input
activities propagated through the cells. The uniform-equivalent activity is the uniform
activity that would give the workload's switching power (switching power is linear in
a uniform activity), so it shows how much activity propagation puts on the nets.

    ROMA_PDK_ROOT=../shared/pdk scripts/in-env python benchmarks/power_methods.py \
        [--blocks mac compute:64x32 brom:256x32] [--build build/power_methods]

Synthesizes each block with `roma-pd run --to synth`, then runs OpenSTA on its netlist.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import yaml

from roma_pd.flow import parse_power, sta_script
from roma_pd.flow._libcache import unpacked_liberty
from roma_pd.flow._sta import UNIFORM, WORKLOAD
from roma_pd.pdk import load_pdk
from roma_pd.rtl import port_activity

UNIFORM_ACTIVITY = 0.1


def _config(spec: str) -> tuple[str, str, dict]:
    gen, _, size = spec.partition(":")
    if not size:
        return f"pm_{gen}", gen, {}
    depth, width = (int(v) for v in size.split("x"))
    return f"pm_{gen}_{depth}x{width}", gen, {"depth": depth, "width": width}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--blocks", nargs="+", default=["mac", "brom:256x32",
                                                     "compute:64x32"])
    ap.add_argument("--build", type=Path, default=Path("build/power_methods"))
    args = ap.parse_args()
    pdk = load_pdk()
    libs = [str(unpacked_liberty(lib, args.build / ".cache" / "liberty"))
            for lib in pdk.liberty_files]
    print("| block | cells | uniform mW | workload mW | workload switching / uniform "
          "| uniform-equivalent activity | mean input activity |")
    print("|---|---|---|---|---|---|---|")
    for spec in args.blocks:
        name, gen, params = _config(spec)
        cfg = args.build / f"{name}.yaml"
        cfg.parent.mkdir(parents=True, exist_ok=True)
        cfg.write_text(yaml.safe_dump({"name": name, "generator": gen, "params": params,
                                       "density": 0.5}))
        subprocess.run([sys.executable, "-m", "roma_pd", "run", str(cfg), "--to", "synth",
                        "--build", str(args.build)], check=True,
                       stdout=subprocess.DEVNULL)
        node = args.build / name / "job0" / "synth" / "0" / "outputs"
        netlist = node / f"{name}.vg"
        activity = port_activity(gen, params)
        script = sta_script(libs, str(netlist), name, 2.0, UNIFORM_ACTIVITY,
                            pdk.time_unit_ns, ports=activity.bits)
        tcl = args.build / f"{name}.sta.tcl"
        tcl.write_text(script)
        log = subprocess.run(["sta", "-no_init", "-exit", str(tcl)], capture_output=True,
                             text=True).stdout
        uni, work = parse_power(log, UNIFORM), parse_power(log, WORKLOAD)
        cells = netlist.read_text().count("_ASAP7_75t_")
        ratio = work["switching"] / uni["switching"]
        mean_in = sum(a for a, _ in activity.bits.values()) / len(activity.bits)
        print(f"| {name} | {cells} | {uni['total'] * 1e3:.4f} | {work['total'] * 1e3:.4f} "
              f"| {ratio:.2f} | {UNIFORM_ACTIVITY * ratio:.3f} | {mean_in:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
