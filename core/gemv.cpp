#include "core/gemv.h"

#include <ATen/Parallel.h>

#include <immintrin.h>

#include <cstring>

namespace fabula::kernels {

namespace {

// Decoding reads every weight once per token, so the bf16 kernels are written
// for memory bandwidth: bf16 -> fp32 is a 16-bit shift, four rows are in
// flight at once so each x load is reused, and rows are split across threads.

__attribute__((target("avx2,fma"))) inline float hsum256(__m256 v) {
    __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
    lo = _mm_add_ps(lo, hi);
    lo = _mm_hadd_ps(lo, lo);
    lo = _mm_hadd_ps(lo, lo);
    return _mm_cvtss_f32(lo);
}

__attribute__((target("avx2,fma"))) inline __m256 bf16x8_to_f32(const uint16_t* p) {
    __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
}

inline float bf16_to_f32(uint16_t h) {
    uint32_t u = uint32_t(h) << 16;
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

__attribute__((target("avx2,fma"))) void gemv_bf16_avx2(const uint16_t* w, const float* x, float* y, int64_t rows,
                                                       int64_t cols, int64_t r0, int64_t r1) {
    const int64_t cv = cols & ~int64_t(15);
    int64_t r = r0;
    for (; r + 4 <= r1; r += 4) {
        const uint16_t* w0 = w + r * cols;
        const uint16_t *w1 = w0 + cols, *w2 = w1 + cols, *w3 = w2 + cols;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        __m256 b0 = _mm256_setzero_ps(), b1 = _mm256_setzero_ps(), b2 = _mm256_setzero_ps(), b3 = _mm256_setzero_ps();
        for (int64_t c = 0; c < cv; c += 16) {
            __m256 xa = _mm256_loadu_ps(x + c), xb = _mm256_loadu_ps(x + c + 8);
            a0 = _mm256_fmadd_ps(bf16x8_to_f32(w0 + c), xa, a0);
            b0 = _mm256_fmadd_ps(bf16x8_to_f32(w0 + c + 8), xb, b0);
            a1 = _mm256_fmadd_ps(bf16x8_to_f32(w1 + c), xa, a1);
            b1 = _mm256_fmadd_ps(bf16x8_to_f32(w1 + c + 8), xb, b1);
            a2 = _mm256_fmadd_ps(bf16x8_to_f32(w2 + c), xa, a2);
            b2 = _mm256_fmadd_ps(bf16x8_to_f32(w2 + c + 8), xb, b2);
            a3 = _mm256_fmadd_ps(bf16x8_to_f32(w3 + c), xa, a3);
            b3 = _mm256_fmadd_ps(bf16x8_to_f32(w3 + c + 8), xb, b3);
        }
        float s0 = hsum256(_mm256_add_ps(a0, b0)), s1 = hsum256(_mm256_add_ps(a1, b1));
        float s2 = hsum256(_mm256_add_ps(a2, b2)), s3 = hsum256(_mm256_add_ps(a3, b3));
        for (int64_t c = cv; c < cols; ++c) {
            s0 += bf16_to_f32(w0[c]) * x[c];
            s1 += bf16_to_f32(w1[c]) * x[c];
            s2 += bf16_to_f32(w2[c]) * x[c];
            s3 += bf16_to_f32(w3[c]) * x[c];
        }
        y[r] = s0;
        y[r + 1] = s1;
        y[r + 2] = s2;
        y[r + 3] = s3;
    }
    for (; r < r1; ++r) {
        const uint16_t* wr = w + r * cols;
        __m256 a = _mm256_setzero_ps();
        for (int64_t c = 0; c < cv; c += 8) a = _mm256_fmadd_ps(bf16x8_to_f32(wr + c), _mm256_loadu_ps(x + c), a);
        float s = hsum256(a);
        for (int64_t c = cv; c < cols; ++c) s += bf16_to_f32(wr[c]) * x[c];
        y[r] = s;
    }
    (void)rows;
}

__attribute__((target("avx512f,avx512bw"))) inline __m512 bf16x16_to_f32(const uint16_t* p) {
    __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
}

__attribute__((target("avx512f,avx512bw"))) void gemv_bf16_avx512(const uint16_t* w, const float* x, float* y,
                                                                 int64_t rows, int64_t cols, int64_t r0, int64_t r1) {
    const int64_t cv = cols & ~int64_t(15);
    int64_t r = r0;
    for (; r + 4 <= r1; r += 4) {
        const uint16_t* w0 = w + r * cols;
        const uint16_t *w1 = w0 + cols, *w2 = w1 + cols, *w3 = w2 + cols;
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        for (int64_t c = 0; c < cv; c += 16) {
            __m512 xv = _mm512_loadu_ps(x + c);
            a0 = _mm512_fmadd_ps(bf16x16_to_f32(w0 + c), xv, a0);
            a1 = _mm512_fmadd_ps(bf16x16_to_f32(w1 + c), xv, a1);
            a2 = _mm512_fmadd_ps(bf16x16_to_f32(w2 + c), xv, a2);
            a3 = _mm512_fmadd_ps(bf16x16_to_f32(w3 + c), xv, a3);
        }
        float s0 = _mm512_reduce_add_ps(a0), s1 = _mm512_reduce_add_ps(a1);
        float s2 = _mm512_reduce_add_ps(a2), s3 = _mm512_reduce_add_ps(a3);
        for (int64_t c = cv; c < cols; ++c) {
            s0 += bf16_to_f32(w0[c]) * x[c];
            s1 += bf16_to_f32(w1[c]) * x[c];
            s2 += bf16_to_f32(w2[c]) * x[c];
            s3 += bf16_to_f32(w3[c]) * x[c];
        }
        y[r] = s0;
        y[r + 1] = s1;
        y[r + 2] = s2;
        y[r + 3] = s3;
    }
    for (; r < r1; ++r) {
        const uint16_t* wr = w + r * cols;
        __m512 a = _mm512_setzero_ps();
        for (int64_t c = 0; c < cv; c += 16) a = _mm512_fmadd_ps(bf16x16_to_f32(wr + c), _mm512_loadu_ps(x + c), a);
        float s = _mm512_reduce_add_ps(a);
        for (int64_t c = cv; c < cols; ++c) s += bf16_to_f32(wr[c]) * x[c];
        y[r] = s;
    }
    (void)rows;
}

void gemv_bf16_scalar(const uint16_t* w, const float* x, float* y, int64_t, int64_t cols, int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
        float s = 0;
        for (int64_t c = 0; c < cols; ++c) s += bf16_to_f32(w[r * cols + c]) * x[c];
        y[r] = s;
    }
}

using Kernel = void (*)(const uint16_t*, const float*, float*, int64_t, int64_t, int64_t, int64_t);

struct Choice {
    Kernel fn;
    const char* name;
};

Choice choose() {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")) return {gemv_bf16_avx512, "avx512"};
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return {gemv_bf16_avx2, "avx2"};
    return {gemv_bf16_scalar, "none"};
}

const Choice& kernel() {
    static const Choice c = choose();
    return c;
}

} // namespace

const char* bf16_gemv_isa() { return kernel().name; }

at::Tensor gemv(const at::Tensor& w, const at::Tensor& x, const at::Tensor& b) {
    const int64_t rows = w.size(0), cols = w.size(1);
    if (w.scalar_type() != at::kBFloat16 || !w.device().is_cpu()) {
        at::Tensor xw = x.scalar_type() == w.scalar_type() ? x : x.to(w.scalar_type());
        at::Tensor y = b.defined() ? at::addmv(b.to(w.scalar_type()), w, xw) : at::mv(w, xw);
        return y.scalar_type() == at::kFloat ? y : y.to(at::kFloat);
    }
    at::Tensor y = b.defined() ? b.clone() : at::zeros({rows}, x.options());
    at::Tensor acc = at::empty({rows}, x.options());
    const auto* wp = reinterpret_cast<const uint16_t*>(w.data_ptr<at::BFloat16>());
    const float* xp = x.data_ptr<float>();
    float* ap = acc.data_ptr<float>();
    Kernel fn = kernel().fn;
    // Grain of 64 rows keeps per-task overhead small against ~50 µs matrices.
    at::parallel_for(0, rows, 64, [&](int64_t r0, int64_t r1) { fn(wp, xp, ap, rows, cols, r0, r1); });
    y.add_(acc);
    return y;
}

} // namespace fabula::kernels
