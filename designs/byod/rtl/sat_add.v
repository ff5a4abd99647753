// Unsigned saturating adder: y = min(a + b, 2^W - 1).
module sat_add #(parameter W = 8) (
    input  wire [W-1:0] a,
    input  wire [W-1:0] b,
    output wire [W-1:0] y,
    output wire         ovf
);
    wire [W:0] sum = {1'b0, a} + {1'b0, b};
    assign ovf = sum[W];
    assign y = ovf ? {W{1'b1}} : sum[W-1:0];
endmodule
