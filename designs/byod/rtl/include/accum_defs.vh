// Widths of the accumulator example. WIDTH comes from the config's defines:; the
// default here makes a run without it visibly different (4-bit samples).
`ifndef WIDTH
`define WIDTH 4
`endif
`define ACC_WIDTH (`WIDTH + 4)
