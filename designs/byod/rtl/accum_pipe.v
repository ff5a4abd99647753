// A registered saturating accumulator: the example of a design brought to roma-pd as
// Verilog (two files, an include, a define) with its own clock port and SDC.
`include "accum_defs.vh"

module accum_pipe (
    input  wire                  clk_core,
    input  wire                  rst_n,
    input  wire                  en,
    input  wire [`WIDTH-1:0]     din,
    output reg  [`ACC_WIDTH-1:0] acc,
    output reg                   saturated
);
    reg  [`WIDTH-1:0]     sample;
    wire [`ACC_WIDTH-1:0] next;
    wire                  ovf;

    sat_add #(.W(`ACC_WIDTH)) add (
        .a(acc), .b({{(`ACC_WIDTH - `WIDTH){1'b0}}, sample}), .y(next), .ovf(ovf));

    always @(posedge clk_core) begin
        if (!rst_n) begin
            sample <= 0;
            acc <= 0;
            saturated <= 1'b0;
        end else begin
            sample <= din;
            if (en) begin
                acc <= next;
                saturated <= saturated | ovf;
            end
        end
    end
endmodule
