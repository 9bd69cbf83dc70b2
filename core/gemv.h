#pragma once
// y = W x + b for a single row, the whole cost of decoding one token.
// Internal to the engine (includes ATen).
#include <ATen/ATen.h>

#include <string>
#include <vector>

namespace fabula::kernels {

// w: [out, in] (fp32, bf16 or fp16), x: [in] fp32 contiguous, b: [out] fp32 or undefined.
// Returns y: [out] fp32.
at::Tensor gemv(const at::Tensor& w, const at::Tensor& x, const at::Tensor& b);

// The kernels this CPU can run for gemv, best first, always ending with
// "portable" (e.g. {"avx2", "avx512", "portable"}; one name covers the
// fp32, bf16 and fp16 weights), the one in use, and (for tests) forcing one;
// an unknown or unsupported name throws std::invalid_argument.
std::vector<std::string> gemv_kernels_available();
const char* gemv_kernel();
void use_gemv_kernel(const std::string& name);

// The kernel in use (gemv_kernel(); kept for the benchmarks' output).
const char* bf16_gemv_isa();

} // namespace fabula::kernels
