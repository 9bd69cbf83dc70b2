#pragma once
// int8 weights for decoding and evaluation: each row of a projection in
// groups of 32 with one fp16 scale per group (llama.cpp's q8_0 layout:
// 8.5 bits per weight), and the products with them. Internal to the engine (includes ATen).
#include <ATen/ATen.h>

#include <string>
#include <vector>

namespace fabula::kernels {

constexpr int64_t kInt8Group = 32;

struct Int8Matrix {
    at::Tensor q;      // int8 [rows, cols_padded], cols padded with zeros to a multiple of 32
    at::Tensor scales; // fp16 [rows, cols_padded / 32]; w ≈ q * scale, symmetric, scale = max|w| / 127 in fp16
    int64_t rows = 0, cols = 0;
    bool defined() const { return q.defined(); }
    int64_t bytes() const; // q and scales
};

// Quantizes a [rows, cols] matrix of any floating type (on the CPU).
Int8Matrix quantize_int8(const at::Tensor& w);
// Back to fp32 [rows, cols] (tests).
at::Tensor dequantize_int8(const Int8Matrix& m);

// y = W x + b for x: [cols] fp32 contiguous -> y: [rows] fp32. x is
// quantized per group of 32 (symmetric, as llama.cpp's q8_0 activations)
// and the dot products are integer, so the result equals the portable
// kernel's on every CPU up to float rounding of the scales' products.
at::Tensor gemv_int8(const Int8Matrix& w, const at::Tensor& x, const at::Tensor& b);
// Y = X Wᵀ + b for X: [n, cols] fp32 (prompts): each row quantized and
// multiplied as gemv_int8 does it (core/int8_gemm.h), on the integer GEMM
// of the kernel in use, so a prompt's logits match decoding row by row.
at::Tensor linear_int8(const Int8Matrix& w, const at::Tensor& x, const at::Tensor& b);

// The int8 dot-product kernels this CPU can run, best first, always ending
// with "portable" (e.g. {"avx512vnni", "avx512vnni256", "avxvnni", "avx2", "portable"}), the
// one in use, and (for tests) forcing one; an unknown or unsupported name
// throws std::invalid_argument.
std::vector<std::string> int8_kernels_available();
const char* int8_kernel();
void use_int8_kernel(const std::string& name);

} // namespace fabula::kernels
