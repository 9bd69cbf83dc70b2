#pragma once
// The integer GEMM behind linear_int8 (core/int8.cpp): prompts and
// evaluation windows against int8 weights. Internal to core/int8.cpp and
// its tests' figures; the public face is core/int8.h.
#include <cstdint>

namespace fabula::kernels::int8_detail {

// One group of (at most) 32 values quantized exactly as decoding quantizes
// its activation vector (symmetric, round to nearest even, zero padding to
// 32 bytes), so a prompt's rows and a decoded token's x get the same bytes
// on every CPU; returns the scale (0 for an all-zero group).
float quantize_group(const float* v, int64_t n, int8_t* q);

// The instruction set a GEMM runs on; each matches the int8 gemv kernel of
// the same name (core/int8.h's int8_kernel()).
enum class GemmIsa { avx512vnni, avxvnni, avx2, portable };

// y[i, r] = sum_g sx[i, g] * sw[r, g] * (xq[i, g, :] . wq[r, g, :]) + bias[r]:
// x [n, cols] fp32 is quantized here per row and group of 32 (as gemv_int8
// quantizes its vector), each group's dot is exact in int32, and the groups
// are combined in fp32 in their order, as gemv_int8 combines them for one
// row. wq [rows, groups * 32] int8 and ws [rows, groups] are Int8Matrix's
// q and scales; bias may be null; y is [n, rows]. Threads over the output
// columns (at::parallel_for).
void gemm(GemmIsa isa, const float* x, int64_t n, int64_t cols, const int8_t* wq, const float* ws, int64_t rows,
          int64_t groups, const float* bias, float* y);

} // namespace fabula::kernels::int8_detail
