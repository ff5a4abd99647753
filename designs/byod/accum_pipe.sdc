# Constraints of the accum_pipe example. OpenSTA reads SDC times in the liberty's
# unit: picoseconds for ASAP7.
create_clock -name core -period 1000 [get_ports clk_core]
set_input_delay 100 -clock core [delete_from_list [all_inputs] [get_ports clk_core]]
set_output_delay 100 -clock core [all_outputs]
