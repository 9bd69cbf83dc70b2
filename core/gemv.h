#pragma once
// y = W x + b for a single row, the whole cost of decoding one token.
// Internal to the engine (includes ATen).
#include <ATen/ATen.h>

namespace fabula::kernels {

// w: [out, in] (fp32 or bf16), x: [in] fp32 contiguous, b: [out] fp32 or undefined.
// Returns y: [out] fp32.
at::Tensor gemv(const at::Tensor& w, const at::Tensor& x, const at::Tensor& b);

// Which bf16 kernel this CPU runs ("avx512", "avx2" or "none").
const char* bf16_gemv_isa();

} // namespace fabula::kernels
