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

// One row at a time, so the weights are read strictly in address order (the
// hardware prefetcher then streams them), with four accumulators to hide the
// FMA latency and a software prefetch a few rows ahead.
__attribute__((target("avx2,fma"))) void gemv_bf16_avx2(const uint16_t* w, const float* x, float* y, int64_t rows,
                                                       int64_t cols, int64_t r0, int64_t r1) {
    const int64_t cv = cols & ~int64_t(31);
    for (int64_t r = r0; r < r1; ++r) {
        const uint16_t* wr = w + r * cols;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        for (int64_t c = 0; c < cv; c += 32) {
            _mm_prefetch(reinterpret_cast<const char*>(wr + c) + 1024, _MM_HINT_T0);
            a0 = _mm256_fmadd_ps(bf16x8_to_f32(wr + c), _mm256_loadu_ps(x + c), a0);
            a1 = _mm256_fmadd_ps(bf16x8_to_f32(wr + c + 8), _mm256_loadu_ps(x + c + 8), a1);
            a2 = _mm256_fmadd_ps(bf16x8_to_f32(wr + c + 16), _mm256_loadu_ps(x + c + 16), a2);
            a3 = _mm256_fmadd_ps(bf16x8_to_f32(wr + c + 24), _mm256_loadu_ps(x + c + 24), a3);
        }
        float s = hsum256(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
        for (int64_t c = cv; c < cols; ++c) s += bf16_to_f32(wr[c]) * x[c];
        y[r] = s;
    }
    (void)rows;
}

__attribute__((target("avx2,fma"))) void gemv_f32_avx2(const float* w, const float* x, float* y, int64_t cols,
                                                      int64_t r0, int64_t r1) {
    const int64_t cv = cols & ~int64_t(31);
    for (int64_t r = r0; r < r1; ++r) {
        const float* wr = w + r * cols;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        for (int64_t c = 0; c < cv; c += 32) {
            _mm_prefetch(reinterpret_cast<const char*>(wr + c) + 1024, _MM_HINT_T0);
            _mm_prefetch(reinterpret_cast<const char*>(wr + c) + 1088, _MM_HINT_T0);
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(wr + c), _mm256_loadu_ps(x + c), a0);
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(wr + c + 8), _mm256_loadu_ps(x + c + 8), a1);
            a2 = _mm256_fmadd_ps(_mm256_loadu_ps(wr + c + 16), _mm256_loadu_ps(x + c + 16), a2);
            a3 = _mm256_fmadd_ps(_mm256_loadu_ps(wr + c + 24), _mm256_loadu_ps(x + c + 24), a3);
        }
        float s = hsum256(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
        for (int64_t c = cv; c < cols; ++c) s += wr[c] * x[c];
        y[r] = s;
    }
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
    static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    const bool f32 = w.scalar_type() == at::kFloat, bf16 = w.scalar_type() == at::kBFloat16;
    if (!w.device().is_cpu() || !w.is_contiguous() || !(bf16 || (f32 && avx2))) {
        at::Tensor xw = x.scalar_type() == w.scalar_type() ? x : x.to(w.scalar_type());
        at::Tensor y = b.defined() ? at::addmv(b.to(w.scalar_type()), w, xw) : at::mv(w, xw);
        return y.scalar_type() == at::kFloat ? y : y.to(at::kFloat);
    }
    at::Tensor y = at::empty({rows}, x.options());
    const float* xp = x.data_ptr<float>();
    float* yp = y.data_ptr<float>();
    // Grain of 64 rows: the smallest matrices (768 rows) still use both cores.
    if (f32) {
        const float* wp = w.data_ptr<float>();
        at::parallel_for(0, rows, 64, [&](int64_t r0, int64_t r1) { gemv_f32_avx2(wp, xp, yp, cols, r0, r1); });
    } else {
        const auto* wp = reinterpret_cast<const uint16_t*>(w.data_ptr<at::BFloat16>());
        Kernel fn = kernel().fn;
        at::parallel_for(0, rows, 64, [&](int64_t r0, int64_t r1) { fn(wp, xp, yp, rows, cols, r0, r1); });
    }
    if (b.defined()) y.add_(b);
    return y;
}

} // namespace fabula::kernels
