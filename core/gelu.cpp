// GCC 12 flags the AVX-512 intrinsics' own _mm512_undefined_*() as maybe
// uninitialized once inlined (GCC bug 105593); see core/int8.cpp.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
// GPT-2's GELU (the tanh approximation) for inference on the CPU, written
// as x · σ(2u) = x / (1 + e^(−2u)), u = √(2/π) (x + 0.044715 x³), which is
// the same function as 0.5 x (1 + tanh u) without tanh's cancellation for
// negative x. torch's CPU gelu calls a tanh accurate to 1 ulp (Sleef), and
// took 5-6 % of a 512-token int8 prompt on Zen 4; one exp and one division
// per value cost a third of that.
#include "core/gemv.h"
#include "core/vec_exp.h"

#include <immintrin.h>

#include <cmath>
#include <cstring>

namespace fabula::kernels {

namespace {

constexpr float kA = 0.7978845608028654f; // √(2/π)
constexpr float kB = 0.044715f;

float gelu_one(float x) {
    const float u = kA * (x + kB * x * x * x);
    return x / (1.0f + std::exp(-2.0f * u)); // e^t overflows to inf: x / inf is ±0, as it should be
}

void gelu_portable(const float* x, float* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) y[i] = gelu_one(x[i]);
}

__attribute__((target("avx512f"))) void gelu_avx512(const float* x, float* y, int64_t n) {
    const __m512 a = _mm512_set1_ps(kA), b = _mm512_set1_ps(kB), m2 = _mm512_set1_ps(-2.0f);
    const __m512 hi = _mm512_set1_ps(88.0f), one = _mm512_set1_ps(1.0f);
    int64_t i = 0;
    for (; i < n; i += 16) {
        const __mmask16 k = n - i >= 16 ? __mmask16(0xffff) : __mmask16((1u << (n - i)) - 1);
        const __m512 v = _mm512_maskz_loadu_ps(k, x + i);
        const __m512 v2 = _mm512_mul_ps(v, v);
        const __m512 u = _mm512_mul_ps(_mm512_mul_ps(a, v), _mm512_fmadd_ps(b, v2, one));
        const __m512 raw = _mm512_mul_ps(m2, u);
        // Past 88 (exp512's clamp) the value is x / e^t with e^t beyond fp32: ±0, as e = inf gives.
        const __m512 e = _mm512_mask_mov_ps(vec::exp512(raw), _mm512_cmp_ps_mask(raw, hi, _CMP_GT_OQ),
                                            _mm512_set1_ps(INFINITY));
        _mm512_mask_storeu_ps(y + i, k, _mm512_div_ps(v, _mm512_add_ps(one, e)));
    }
}

__attribute__((target("avx2,fma"))) void gelu_avx2(const float* x, float* y, int64_t n) {
    const __m256 a = _mm256_set1_ps(kA), b = _mm256_set1_ps(kB), m2 = _mm256_set1_ps(-2.0f);
    const __m256 hi = _mm256_set1_ps(88.0f), one = _mm256_set1_ps(1.0f);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 v = _mm256_loadu_ps(x + i);
        const __m256 v2 = _mm256_mul_ps(v, v);
        const __m256 u = _mm256_mul_ps(_mm256_mul_ps(a, v), _mm256_fmadd_ps(b, v2, one));
        const __m256 raw = _mm256_mul_ps(m2, u);
        const __m256 e = _mm256_blendv_ps(vec::exp256(raw), _mm256_set1_ps(INFINITY),
                                          _mm256_cmp_ps(raw, hi, _CMP_GT_OQ));
        _mm256_storeu_ps(y + i, _mm256_div_ps(v, _mm256_add_ps(one, e)));
    }
    for (; i < n; ++i) y[i] = gelu_one(x[i]);
}

} // namespace

at::Tensor gelu_tanh(const at::Tensor& x) {
    const at::Tensor in = x.contiguous();
    at::Tensor out = at::empty_like(in);
    const float* src = in.data_ptr<float>();
    float* dst = out.data_ptr<float>();
    const int bits = vector_bits();
    void (*f)(const float*, float*, int64_t) = bits == 512 ? gelu_avx512 : bits == 256 ? gelu_avx2 : gelu_portable;
    at::parallel_for(0, in.numel(), 1 << 14, [&](int64_t i0, int64_t i1) { f(src + i0, dst + i0, i1 - i0); });
    return out;
}

} // namespace fabula::kernels
