// GCC 12 flags the AVX-512 intrinsics' own _mm512_undefined_*() as maybe
// uninitialized once inlined (GCC bug 105593, fixed in 13); the location it
// names is inside the system header, so the switch has to come first
// (for _mm512_reduce_add_ps it is the definite -Wuninitialized).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include "core/gemv.h"

#include <ATen/Parallel.h>
#include <c10/util/BFloat16.h>
#include <c10/util/Half.h>

#include <cpuid.h>
#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace fabula::kernels {

namespace {

// Decoding reads every weight once per token, so these kernels are written
// for memory bandwidth: 16-bit -> fp32 is a shift (bf16) or one conversion
// instruction (fp16), a few rows are in flight at once so each x load is
// reused and the core keeps several streams open, and the rows are split
// across the threads in contiguous ranges.

inline float bf16_to_f32(uint16_t h) {
    uint32_t u = uint32_t(h) << 16;
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

// What a kernel reads: the weights' element type and its widening to fp32
// (scalar, 8 lanes of AVX2, 16 lanes of AVX-512, the last with a lane mask
// for the row's tail).
struct F32 {
    using T = float;
    static float one(const T* p) { return *p; }
    __attribute__((target("avx2,fma"))) static __m256 v8(const T* p) { return _mm256_loadu_ps(p); }
    __attribute__((target("avx512f,avx512bw,avx512vl"))) static __m512 v16(const T* p, __mmask16 m) {
        return _mm512_maskz_loadu_ps(m, p);
    }
};
struct BF16 {
    using T = uint16_t;
    static float one(const T* p) { return bf16_to_f32(*p); }
    __attribute__((target("avx2,fma"))) static __m256 v8(const T* p) {
        __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
    }
    __attribute__((target("avx512f,avx512bw,avx512vl"))) static __m512 v16(const T* p, __mmask16 m) {
        __m256i h = _mm256_maskz_loadu_epi16(m, p);
        return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
    }
};
struct F16 {
    using T = uint16_t;
    static float one(const T* p) {
        c10::Half h;
        std::memcpy(&h, p, 2);
        return float(h);
    }
    __attribute__((target("avx2,fma,f16c"))) static __m256 v8(const T* p) {
        return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    }
    __attribute__((target("avx512f,avx512bw,avx512vl"))) static __m512 v16(const T* p, __mmask16 m) {
        return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, p));
    }
};

// b: the bias or null, added here rather than by a library call per product.
template <class L>
void gemv_portable(const void* wv, const float* x, float* y, const float* b, int64_t cols, int64_t r0, int64_t r1) {
    const auto* w = static_cast<const typename L::T*>(wv);
    for (int64_t r = r0; r < r1; ++r) {
        float s = 0;
        for (int64_t c = 0; c < cols; ++c) s += L::one(w + r * cols + c) * x[c];
        y[r] = b ? s + b[r] : s;
    }
}

__attribute__((target("avx2,fma"))) inline float hsum256(__m256 v) {
    __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
    lo = _mm_add_ps(lo, hi);
    lo = _mm_hadd_ps(lo, lo);
    lo = _mm_hadd_ps(lo, lo);
    return _mm_cvtss_f32(lo);
}

// One row at a time, read strictly in address order (the hardware
// prefetcher streams it), with four accumulators to hide the FMA latency.
template <class L>
__attribute__((target("avx2,fma,f16c"))) void gemv_avx2(const void* wv, const float* x, float* y, const float* b,
                                                       int64_t cols, int64_t r0, int64_t r1) {
    const auto* w = static_cast<const typename L::T*>(wv);
    const int64_t cv = cols & ~int64_t(31);
    for (int64_t r = r0; r < r1; ++r) {
        const auto* wr = w + r * cols;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        for (int64_t c = 0; c < cv; c += 32) {
            a0 = _mm256_fmadd_ps(L::v8(wr + c), _mm256_loadu_ps(x + c), a0);
            a1 = _mm256_fmadd_ps(L::v8(wr + c + 8), _mm256_loadu_ps(x + c + 8), a1);
            a2 = _mm256_fmadd_ps(L::v8(wr + c + 16), _mm256_loadu_ps(x + c + 16), a2);
            a3 = _mm256_fmadd_ps(L::v8(wr + c + 24), _mm256_loadu_ps(x + c + 24), a3);
        }
        float s = hsum256(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
        for (int64_t c = cv; c < cols; ++c) s += L::one(wr + c) * x[c];
        y[r] = b ? s + b[r] : s;
    }
}

// N rows at a time sharing each x load, the row's tail a masked load, so
// every column goes through the same vector path. PF > 0 prefetches each
// row's stream PF bytes ahead. On an Intel Xeon (Sapphire Rapids class, 2
// threads, a whole 124M token's fp32 products) four rows with an 8 KiB
// prefetch read 21.7-22.8 GB/s where one row without read 17.9-18.5 and the
// plain streaming read 19.4-20.8: the hardware prefetcher alone keeps too
// few lines in flight there. On Zen 4 both measured slower, so AMD keeps one
// row and no prefetch (see registry()).
template <class L, int N, int PF>
__attribute__((target("avx512f,avx512bw,avx512vl"))) inline void rows_avx512(const typename L::T* wr, const float* x,
                                                                            float* y, const float* b, int64_t cols) {
    constexpr int kLines = 32 * int(sizeof(typename L::T)) / 64; // cache lines a row advances per step of 32
    const int64_t cv = cols & ~int64_t(31);
    __m512 a[N][2];
#pragma GCC unroll 4
    for (int i = 0; i < N; ++i) a[i][0] = a[i][1] = _mm512_setzero_ps();
    for (int64_t c = 0; c < cv; c += 32) {
        const __m512 x0 = _mm512_loadu_ps(x + c), x1 = _mm512_loadu_ps(x + c + 16);
#pragma GCC unroll 4
        for (int i = 0; i < N; ++i) {
            const auto* wi = wr + i * cols + c;
            if constexpr (PF > 0)
#pragma GCC unroll 2
                for (int l = 0; l < kLines; ++l)
                    _mm_prefetch(reinterpret_cast<const char*>(wi) + PF + 64 * l, _MM_HINT_T0);
            a[i][0] = _mm512_fmadd_ps(L::v16(wi, 0xffff), x0, a[i][0]);
            a[i][1] = _mm512_fmadd_ps(L::v16(wi + 16, 0xffff), x1, a[i][1]);
        }
    }
    for (int64_t c = cv; c < cols; c += 16) {
        const __mmask16 m = __mmask16((1u << std::min<int64_t>(16, cols - c)) - 1);
        const __m512 xv = _mm512_maskz_loadu_ps(m, x + c);
#pragma GCC unroll 4
        for (int i = 0; i < N; ++i) a[i][0] = _mm512_fmadd_ps(L::v16(wr + i * cols + c, m), xv, a[i][0]);
    }
#pragma GCC unroll 4
    for (int i = 0; i < N; ++i) {
        const float s = _mm512_reduce_add_ps(_mm512_add_ps(a[i][0], a[i][1]));
        y[i] = b ? s + b[i] : s;
    }
}

template <class L, int N, int PF>
__attribute__((target("avx512f,avx512bw,avx512vl"))) void gemv_avx512(const void* wv, const float* x, float* y,
                                                                     const float* b, int64_t cols, int64_t r0,
                                                                     int64_t r1) {
    const auto* w = static_cast<const typename L::T*>(wv);
    int64_t r = r0;
    for (; r + N <= r1; r += N) rows_avx512<L, N, PF>(w + r * cols, x, y + r, b ? b + r : nullptr, cols);
    for (; r < r1; ++r) rows_avx512<L, 1, PF>(w + r * cols, x, y + r, b ? b + r : nullptr, cols);
}

// AVX512_BF16, when x is bf16 too (a bf16 model's activations are): each 32
// weights are one vdpbf16ps, which multiplies the pairs exactly and adds
// them into fp32 lanes, instead of two widenings and two FMAs. Widening was
// what held the bf16 kernel above to ~0.8 of the read bandwidth (Emerald
// Rapids, 2 threads) while the fp32 one streamed at the read's speed.
// Four accumulators: 768 columns are only six turns of the loop. One row
// at a time (four measured slower) with a 4 KiB prefetch on Intel: 20 %
// quicker there (16.8-17.6 against 20.9-21.3 GB/s for a 124M token's bf16
// products, 2 threads), above the plain streaming read.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16"))) inline __m512bh bh(__m512i v) {
    return reinterpret_cast<__m512bh&>(v);
}

template <int PF>
__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16"))) void gemv_bf16_dot_avx512(
    const void* wv, const uint16_t* x, float* y, const float* b, int64_t cols, int64_t r0, int64_t r1) {
    const auto* w = static_cast<const uint16_t*>(wv);
    const int64_t cv = cols & ~int64_t(127);
    for (int64_t r = r0; r < r1; ++r) {
        const uint16_t* wr = w + r * cols;
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        for (int64_t c = 0; c < cv; c += 128) {
            if constexpr (PF > 0)
#pragma GCC unroll 4
                for (int l = 0; l < 4; ++l) _mm_prefetch(reinterpret_cast<const char*>(wr + c) + PF + 64 * l, _MM_HINT_T0);
            a0 = _mm512_dpbf16_ps(a0, bh(_mm512_loadu_si512(wr + c)), bh(_mm512_loadu_si512(x + c)));
            a1 = _mm512_dpbf16_ps(a1, bh(_mm512_loadu_si512(wr + c + 32)), bh(_mm512_loadu_si512(x + c + 32)));
            a2 = _mm512_dpbf16_ps(a2, bh(_mm512_loadu_si512(wr + c + 64)), bh(_mm512_loadu_si512(x + c + 64)));
            a3 = _mm512_dpbf16_ps(a3, bh(_mm512_loadu_si512(wr + c + 96)), bh(_mm512_loadu_si512(x + c + 96)));
        }
        for (int64_t c = cv; c < cols; c += 32) {
            const int64_t left = std::min<int64_t>(32, cols - c);
            const __mmask32 m = left == 32 ? ~__mmask32(0) : __mmask32((1u << left) - 1);
            a0 = _mm512_dpbf16_ps(a0, bh(_mm512_maskz_loadu_epi16(m, wr + c)), bh(_mm512_maskz_loadu_epi16(m, x + c)));
        }
        const float s = _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
        y[r] = b ? s + b[r] : s;
    }
}

// The same product in 256-bit halves, for AMD's family 25 (Zen 4), which
// runs 512-bit instructions as two 256-bit halves anyway: there the ymm
// form streamed a 124M token's bf16 products 10-15 % faster (7.2-7.9
// against 8.4-8.8 ms, 2 threads; two or four rows at once and a prefetch
// were slower still), presumably for the cheaper reduction per row and the
// shorter dependency on each accumulator.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16"))) inline __m256bh bh(__m256i v) {
    return reinterpret_cast<__m256bh&>(v);
}
__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16"))) inline __m256bh load_bh(const uint16_t* p) {
    return bh(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
}

__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16"))) void gemv_bf16_dot_ymm(
    const void* wv, const uint16_t* x, float* y, const float* b, int64_t cols, int64_t r0, int64_t r1) {
    const auto* w = static_cast<const uint16_t*>(wv);
    const int64_t cv = cols & ~int64_t(63);
    for (int64_t r = r0; r < r1; ++r) {
        const uint16_t* wr = w + r * cols;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        for (int64_t c = 0; c < cv; c += 64) {
            a0 = _mm256_dpbf16_ps(a0, load_bh(wr + c), load_bh(x + c));
            a1 = _mm256_dpbf16_ps(a1, load_bh(wr + c + 16), load_bh(x + c + 16));
            a2 = _mm256_dpbf16_ps(a2, load_bh(wr + c + 32), load_bh(x + c + 32));
            a3 = _mm256_dpbf16_ps(a3, load_bh(wr + c + 48), load_bh(x + c + 48));
        }
        for (int64_t c = cv; c < cols; c += 16) {
            const __mmask16 m = __mmask16((1u << std::min<int64_t>(16, cols - c)) - 1);
            a0 = _mm256_dpbf16_ps(a0, bh(_mm256_maskz_loadu_epi16(m, wr + c)), bh(_mm256_maskz_loadu_epi16(m, x + c)));
        }
        const __m256 s8 = _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
        __m128 s = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
        s = _mm_hadd_ps(s, s);
        s = _mm_hadd_ps(s, s);
        const float t = _mm_cvtss_f32(s);
        y[r] = b ? t + b[r] : t;
    }
}

// ---- Decoding's attention: one query over one head's cached keys and values.
// The scores go to a buffer (one pass over K), their exponentials are taken in
// place, and the weighted sum of V is a second pass: each cached byte is read
// once per token and nothing but the scores leaves the registers. While
// the scores stream K, each row of V is prefetched into L2, so two streams
// are in flight and the second pass reads from the cache (20 % quicker
// from memory on one Zen 4 core).

// e^x for the scores minus their maximum (x <= 0): Cephes' expf (range
// reduction by ln 2 in two parts, degree-5 polynomial), within 2 ulp of
// std::exp; far below -87 the result is 0 or a denormal, as expf gives.
__attribute__((target("avx512f,avx512bw,avx512vl"))) inline __m512 exp_avx512(__m512 x) {
    x = _mm512_max_ps(x, _mm512_set1_ps(-103.9f));
    const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    p = _mm512_fmadd_ps(_mm512_mul_ps(p, r), r, _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    return _mm512_scalef_ps(p, n); // p · 2^n, underflowing gracefully
}

// The same in AVX2, whose 2^n is built in the exponent bits, so x stops at
// e^-87.3 (1e-38: nothing next to the maximum's e^0 = 1 in the sum).
__attribute__((target("avx2,fma"))) inline __m256 exp_avx2(__m256 x) {
    x = _mm256_max_ps(x, _mm256_set1_ps(-87.33f));
    const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_fmadd_ps(_mm256_mul_ps(p, r), r, _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    const __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(e));
}

// One head: out[D] = softmax(scale · K q) V over the n rows of k and v
// ([n, D] each, contiguous); s holds n scores (the AVX-512 kernel rounds n
// up to 16 for its masked loads, so s has room for that).
template <class L>
void attend_portable(const float* q, const void* kv, const void* vv, int64_t n, int64_t D, float scale, float* s,
                     float* out) {
    const auto* k = static_cast<const typename L::T*>(kv);
    const auto* v = static_cast<const typename L::T*>(vv);
    float m = -std::numeric_limits<float>::infinity();
    for (int64_t j = 0; j < n; ++j) {
        float a = 0;
        for (int64_t d = 0; d < D; ++d) a += L::one(k + j * D + d) * q[d];
        s[j] = a * scale;
        m = std::max(m, s[j]);
    }
    float total = 0;
    for (int64_t j = 0; j < n; ++j) total += (s[j] = std::exp(s[j] - m));
    std::fill(out, out + D, 0.0f);
    for (int64_t j = 0; j < n; ++j)
        for (int64_t d = 0; d < D; ++d) out[d] += s[j] * L::one(v + j * D + d);
    for (int64_t d = 0; d < D; ++d) out[d] /= total;
}

template <class L>
__attribute__((target("avx2,fma,f16c"))) void attend_avx2(const float* q, const void* kv, const void* vv, int64_t n,
                                                          int64_t D, float scale, float* s, float* out) {
    const auto* k = static_cast<const typename L::T*>(kv);
    const auto* v = static_cast<const typename L::T*>(vv);
    const int64_t dv = D & ~int64_t(7);
    float m = -std::numeric_limits<float>::infinity();
    const auto* vb = reinterpret_cast<const char*>(v);
    const int64_t row_bytes = D * int64_t(sizeof(typename L::T));
    for (int64_t j = 0; j < n; ++j) {
        const auto* kj = k + j * D;
        for (int64_t c = 0; c < row_bytes; c += 64) _mm_prefetch(vb + j * row_bytes + c, _MM_HINT_T1);
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
        int64_t d = 0;
        for (; d + 16 <= dv; d += 16) {
            a0 = _mm256_fmadd_ps(L::v8(kj + d), _mm256_loadu_ps(q + d), a0);
            a1 = _mm256_fmadd_ps(L::v8(kj + d + 8), _mm256_loadu_ps(q + d + 8), a1);
        }
        if (d < dv) a0 = _mm256_fmadd_ps(L::v8(kj + d), _mm256_loadu_ps(q + d), a0);
        float a = hsum256(_mm256_add_ps(a0, a1));
        for (d = dv; d < D; ++d) a += L::one(kj + d) * q[d];
        s[j] = a * scale;
        m = std::max(m, s[j]);
    }
    const __m256 mv = _mm256_set1_ps(m);
    __m256 sum = _mm256_setzero_ps();
    int64_t j = 0;
    for (; j + 8 <= n; j += 8) {
        const __m256 e = exp_avx2(_mm256_sub_ps(_mm256_loadu_ps(s + j), mv));
        _mm256_storeu_ps(s + j, e);
        sum = _mm256_add_ps(sum, e);
    }
    float total = hsum256(sum);
    for (; j < n; ++j) total += (s[j] = std::exp(s[j] - m));
    std::fill(out, out + D, 0.0f);
    // Four rows of V per pass over out: a quarter of the load/store round trips.
    for (j = 0; j + 4 <= n; j += 4) {
        const __m256 p0 = _mm256_set1_ps(s[j]), p1 = _mm256_set1_ps(s[j + 1]), p2 = _mm256_set1_ps(s[j + 2]),
                     p3 = _mm256_set1_ps(s[j + 3]);
        const auto* vj = v + j * D;
        for (int64_t d = 0; d < dv; d += 8) {
            __m256 o = _mm256_loadu_ps(out + d);
            o = _mm256_fmadd_ps(p0, L::v8(vj + d), o);
            o = _mm256_fmadd_ps(p1, L::v8(vj + D + d), o);
            o = _mm256_fmadd_ps(p2, L::v8(vj + 2 * D + d), o);
            o = _mm256_fmadd_ps(p3, L::v8(vj + 3 * D + d), o);
            _mm256_storeu_ps(out + d, o);
        }
        for (int64_t d = dv; d < D; ++d)
            out[d] += s[j] * L::one(vj + d) + s[j + 1] * L::one(vj + D + d) + s[j + 2] * L::one(vj + 2 * D + d) +
                      s[j + 3] * L::one(vj + 3 * D + d);
    }
    for (; j < n; ++j) {
        const __m256 p = _mm256_set1_ps(s[j]);
        const auto* vj = v + j * D;
        for (int64_t d = 0; d < dv; d += 8)
            _mm256_storeu_ps(out + d, _mm256_fmadd_ps(p, L::v8(vj + d), _mm256_loadu_ps(out + d)));
        for (int64_t d = dv; d < D; ++d) out[d] += s[j] * L::one(vj + d);
    }
    const __m256 inv = _mm256_set1_ps(1.0f / total);
    for (int64_t d = 0; d < dv; d += 8) _mm256_storeu_ps(out + d, _mm256_mul_ps(_mm256_loadu_ps(out + d), inv));
    for (int64_t d = dv; d < D; ++d) out[d] *= 1.0f / total;
}

template <class L>
__attribute__((target("avx512f,avx512bw,avx512vl"))) void attend_avx512(const float* q, const void* kv,
                                                                       const void* vv, int64_t n, int64_t D,
                                                                       float scale, float* s, float* out) {
    const auto* k = static_cast<const typename L::T*>(kv);
    const auto* v = static_cast<const typename L::T*>(vv);
    auto lanes = [](int64_t left) { return __mmask16((1u << std::min<int64_t>(16, left)) - 1); };
    float m = -std::numeric_limits<float>::infinity();
    const auto* vb = reinterpret_cast<const char*>(v);
    const int64_t row_bytes = D * int64_t(sizeof(typename L::T));
    for (int64_t j = 0; j < n; ++j) {
        const auto* kj = k + j * D;
        for (int64_t c = 0; c < row_bytes; c += 64) _mm_prefetch(vb + j * row_bytes + c, _MM_HINT_T1);
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
        int64_t d = 0;
        for (; d + 32 <= D; d += 32) {
            a0 = _mm512_fmadd_ps(L::v16(kj + d, 0xffff), _mm512_loadu_ps(q + d), a0);
            a1 = _mm512_fmadd_ps(L::v16(kj + d + 16, 0xffff), _mm512_loadu_ps(q + d + 16), a1);
        }
        for (; d < D; d += 16) {
            const __mmask16 t = lanes(D - d);
            a0 = _mm512_fmadd_ps(L::v16(kj + d, t), _mm512_maskz_loadu_ps(t, q + d), a0);
        }
        s[j] = _mm512_reduce_add_ps(_mm512_add_ps(a0, a1)) * scale;
        m = std::max(m, s[j]);
    }
    const __m512 mv = _mm512_set1_ps(m);
    __m512 sum = _mm512_setzero_ps();
    for (int64_t j = 0; j < n; j += 16) {
        const __mmask16 t = lanes(n - j);
        const __m512 e = exp_avx512(_mm512_sub_ps(_mm512_maskz_loadu_ps(t, s + j), mv));
        _mm512_mask_storeu_ps(s + j, t, e);
        sum = _mm512_mask_add_ps(sum, t, sum, e);
    }
    const float total = _mm512_reduce_add_ps(sum);
    std::fill(out, out + D, 0.0f);
    int64_t j = 0;
    for (; j + 4 <= n; j += 4) {
        const __m512 p0 = _mm512_set1_ps(s[j]), p1 = _mm512_set1_ps(s[j + 1]), p2 = _mm512_set1_ps(s[j + 2]),
                     p3 = _mm512_set1_ps(s[j + 3]);
        const auto* vj = v + j * D;
        for (int64_t d = 0; d < D; d += 16) {
            const __mmask16 t = lanes(D - d);
            __m512 o = _mm512_maskz_loadu_ps(t, out + d);
            o = _mm512_fmadd_ps(p0, L::v16(vj + d, t), o);
            o = _mm512_fmadd_ps(p1, L::v16(vj + D + d, t), o);
            o = _mm512_fmadd_ps(p2, L::v16(vj + 2 * D + d, t), o);
            o = _mm512_fmadd_ps(p3, L::v16(vj + 3 * D + d, t), o);
            _mm512_mask_storeu_ps(out + d, t, o);
        }
    }
    for (; j < n; ++j) {
        const __m512 p = _mm512_set1_ps(s[j]);
        const auto* vj = v + j * D;
        for (int64_t d = 0; d < D; d += 16) {
            const __mmask16 t = lanes(D - d);
            _mm512_mask_storeu_ps(out + d, t, _mm512_fmadd_ps(p, L::v16(vj + d, t), _mm512_maskz_loadu_ps(t, out + d)));
        }
    }
    const __m512 inv = _mm512_set1_ps(1.0f / total);
    for (int64_t d = 0; d < D; d += 16) {
        const __mmask16 t = lanes(D - d);
        _mm512_mask_storeu_ps(out + d, t, _mm512_mul_ps(_mm512_maskz_loadu_ps(t, out + d), inv));
    }
}

using Kernel = void (*)(const void*, const float*, float*, const float*, int64_t, int64_t, int64_t);
using Attend = void (*)(const float*, const void*, const void*, int64_t, int64_t, float, float*, float*);
using Bf16Dot = void (*)(const void*, const uint16_t*, float*, const float*, int64_t, int64_t, int64_t);

struct GemvKernel {
    const char* name;
    Kernel f32, bf16, f16;
    Attend attend_f32, attend_bf16, attend_f16;
    bool (*runnable)();
    Bf16Dot bf16_dot = nullptr;     // bf16 weights times bf16 x, where the CPU has a dot product for them
    Bf16Dot bf16_dot_ymm = nullptr; // the same in 256-bit halves
};

bool has_avx512() { return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl"); }
bool has_avx2() { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c"); }
bool has_avx512_bf16() { return has_avx512() && __builtin_cpu_supports("avx512bf16"); }
bool always() { return true; }


// Best first, by what was measured (bench/native/kernels_bench.cpp, 2
// threads, GPT-2 124M's matrices): on Zen 4 the AVX2 kernels stream the
// weights as fast as the AVX-512 ones and a whole token came out about 10 %
// quicker with them; on an Intel Xeon (Sapphire Rapids class) AVX-512 read
// fp32 weights 15-20 % faster (28.7 against 23.9 GB/s) and bf16 10 % faster.
// So AVX2 leads on AMD's family 25 only; the AVX-512 kernel is the default
// everywhere else it runs (Zen 5's full-width units included). Where the CPU
// has AVX512_BF16, "avx512bf16" leads: the best of those for everything but
// bf16 weights times bf16 x, which take its dot-product kernel.
const std::vector<GemvKernel>& registry() {
    static const std::vector<GemvKernel> k = [] {
        const GemvKernel avx2{"avx2", gemv_avx2<F32>, gemv_avx2<BF16>, gemv_avx2<F16>, attend_avx2<F32>,
                              attend_avx2<BF16>, attend_avx2<F16>, has_avx2};
        const bool amd = cpu_is_amd_family_25();
        // Prefetching and four rows at once only where they were measured faster (Intel).
        const bool intel = !amd && cpu_is_intel();
        const GemvKernel avx512{"avx512",
                                intel ? gemv_avx512<F32, 4, 8192> : gemv_avx512<F32, 1, 0>,
                                intel ? gemv_avx512<BF16, 4, 8192> : gemv_avx512<BF16, 1, 0>,
                                intel ? gemv_avx512<F16, 4, 8192> : gemv_avx512<F16, 1, 0>,
                                attend_avx512<F32>,
                                attend_avx512<BF16>,
                                attend_avx512<F16>,
                                has_avx512};
        const GemvKernel portable{"portable", gemv_portable<F32>, gemv_portable<BF16>, gemv_portable<F16>,
                                  attend_portable<F32>, attend_portable<BF16>, attend_portable<F16>, always};
        GemvKernel dot = amd ? avx2 : avx512;
        dot.name = "avx512bf16";
        dot.runnable = has_avx512_bf16;
        dot.bf16_dot = intel ? gemv_bf16_dot_avx512<4096> : gemv_bf16_dot_avx512<0>;
        dot.bf16_dot_ymm = gemv_bf16_dot_ymm;
        if (amd) return std::vector<GemvKernel>{dot, avx2, avx512, portable};
        return std::vector<GemvKernel>{dot, avx512, avx2, portable};
    }();
    return k;
}

std::atomic<const GemvKernel*>& current() {
    static std::atomic<const GemvKernel*> c{[] {
        __builtin_cpu_init();
        for (const auto& k : registry())
            if (k.runnable()) return &k;
        return &registry().back();
    }()};
    return c;
}

// The dot product's width: ymm on AMD's family 25 (see gemv_bf16_dot_ymm).
std::atomic<int>& dot_bits() {
    static std::atomic<int> bits{cpu_is_amd_family_25() ? 256 : 512};
    return bits;
}

} // namespace

int bf16_dot_bits() { return dot_bits().load(); }

void use_bf16_dot_bits(int bits) {
    if (bits != 256 && bits != 512) throw std::invalid_argument("bf16 dot product width must be 256 or 512 bits");
    dot_bits().store(bits);
}

bool cpu_is_amd_family_25() {
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx)) return false;
    const bool amd = ebx == 0x68747541 && edx == 0x69746e65 && ecx == 0x444d4163; // "AuthenticAMD"
    if (!amd || !__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
    const unsigned base = (eax >> 8) & 0xf, family = base == 0xf ? base + ((eax >> 20) & 0xff) : base;
    return family == 25;
}

bool cpu_is_intel() {
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    return __get_cpuid(0, &eax, &ebx, &ecx, &edx) && ebx == 0x756e6547 && edx == 0x49656e69 &&
           ecx == 0x6c65746e; // "GenuineIntel"
}

const char* bf16_gemv_isa() { return current().load()->name; }
const char* gemv_kernel() { return current().load()->name; }

int vector_bits() {
    const std::string name = current().load()->name;
    if (name == "portable") return 0;
    // AMD's "avx512bf16" set is AVX2's gemv with the bf16 dot; the rest runs 512 bits there too.
    return name != "avx2" && has_avx512() ? 512 : 256;
}
bool gemv_has_bf16_dot() { return current().load()->bf16_dot != nullptr; }

std::vector<std::string> gemv_kernels_available() {
    std::vector<std::string> out;
    for (const auto& k : registry())
        if (k.runnable()) out.emplace_back(k.name);
    return out;
}

void use_gemv_kernel(const std::string& name) {
    for (const auto& k : registry())
        if (name == k.name) {
            if (!k.runnable()) throw std::invalid_argument("gemv kernel '" + name + "' cannot run on this CPU");
            current().store(&k);
            return;
        }
    throw std::invalid_argument("unknown gemv kernel '" + name + "'");
}

at::Tensor gemv(const at::Tensor& w, const at::Tensor& xin, const at::Tensor& b) {
    const int64_t rows = w.size(0), cols = w.size(1);
    const GemvKernel& k = *current().load();
    const auto type = w.scalar_type();
    const Kernel fn = type == at::kFloat ? k.f32 : type == at::kBFloat16 ? k.bf16 : type == at::kHalf ? k.f16 : nullptr;
    if (!w.device().is_cpu() || !w.is_contiguous() || !fn) {
        at::Tensor xw = xin.scalar_type() == w.scalar_type() ? xin : xin.to(w.scalar_type());
        at::Tensor y = b.defined() ? at::addmv(b.to(w.scalar_type()), w, xw) : at::mv(w, xw);
        return y.scalar_type() == at::kFloat ? y : y.to(at::kFloat);
    }
    const bool dot = k.bf16_dot && type == at::kBFloat16 && xin.scalar_type() == at::kBFloat16;
    const at::Tensor x = (dot ? xin : xin.to(at::kFloat)).contiguous();
    at::Tensor y = at::empty({rows}, x.options().dtype(at::kFloat));
    float* yp = y.data_ptr<float>();
    const void* wp = w.data_ptr();
    const bool fused_bias =
        b.defined() && b.is_cpu() && b.scalar_type() == at::kFloat && b.is_contiguous() && b.numel() == rows;
    const float* bp = fused_bias ? b.data_ptr<float>() : nullptr;
    if (dot) {
        const auto* xp = static_cast<const uint16_t*>(x.data_ptr());
        const Bf16Dot f = dot_bits().load() == 256 ? k.bf16_dot_ymm : k.bf16_dot;
        parallel_rows(rows, cols * 2, [&](int64_t r0, int64_t r1) { f(wp, xp, yp, bp, cols, r0, r1); });
    } else {
        const float* xp = x.data_ptr<float>();
        const int64_t row_bytes = cols * int64_t(w.element_size());
        parallel_rows(rows, row_bytes, [&](int64_t r0, int64_t r1) { fn(wp, xp, yp, bp, cols, r0, r1); });
    }
    if (b.defined() && !fused_bias) y.add_(b);
    return y;
}

namespace {

bool attention_type(at::ScalarType t) { return t == at::kFloat || t == at::kBFloat16 || t == at::kHalf; }

// n values of type `from` as type `to` (fp32, bf16 or fp16), through fp32.
void convert_row(const char* src, at::ScalarType from, char* dst, at::ScalarType to, int64_t n) {
    if (from == to) {
        std::memcpy(dst, src, size_t(n * c10::elementSize(from)));
        return;
    }
    for (int64_t i = 0; i < n; ++i) {
        const float f = from == at::kFloat      ? reinterpret_cast<const float*>(src)[i]
                        : from == at::kBFloat16 ? float(reinterpret_cast<const c10::BFloat16*>(src)[i])
                                                : float(reinterpret_cast<const c10::Half*>(src)[i]);
        if (to == at::kFloat) reinterpret_cast<float*>(dst)[i] = f;
        else if (to == at::kBFloat16) reinterpret_cast<c10::BFloat16*>(dst)[i] = c10::BFloat16(f);
        else reinterpret_cast<c10::Half*>(dst)[i] = c10::Half(f);
    }
}

} // namespace

at::Tensor decode_attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const at::Tensor& k_cache,
                            const at::Tensor& v_cache, int64_t pos, int64_t window, double scale) {
    const auto type = q.scalar_type(), ctype = k_cache.scalar_type();
    const auto same = [&](const at::Tensor& t, at::ScalarType want) {
        return t.device().is_cpu() && t.scalar_type() == want;
    };
    if (q.dim() != 4 || k.dim() != 4 || v.dim() != 4 || k_cache.dim() != 4 || !same(q, type) || !same(k, type) ||
        !same(v, type) || !same(k_cache, ctype) || !same(v_cache, ctype) || !k_cache.is_contiguous() ||
        !v_cache.is_contiguous() || k_cache.sizes() != v_cache.sizes() || !attention_type(type) ||
        !attention_type(ctype))
        return {};
    const int64_t B = q.size(0), H = q.size(1), D = q.size(3), Hkv = k_cache.size(1), Tmax = k_cache.size(2);
    for (const at::Tensor* t : {&k, &v})
        if (t->size(0) != B || t->size(1) != Hkv || t->size(2) != 1 || t->size(3) != D || t->stride(3) != 1)
            return {};
    if (q.size(2) != 1 || q.stride(3) != 1 || k_cache.size(0) != B || k_cache.size(3) != D || Hkv == 0 ||
        H % Hkv != 0 || pos < 0 || pos >= Tmax)
        return {};
    const GemvKernel& kern = *current().load();
    const Attend fn = ctype == at::kFloat ? kern.attend_f32 : ctype == at::kBFloat16 ? kern.attend_bf16 : kern.attend_f16;
    const int64_t es = int64_t(q.element_size()), ces = int64_t(k_cache.element_size());
    auto* kc = static_cast<char*>(k_cache.data_ptr());
    auto* vc = static_cast<char*>(v_cache.data_ptr());
    const auto* kp = static_cast<const char*>(k.data_ptr());
    const auto* vp = static_cast<const char*>(v.data_ptr());
    for (int64_t b = 0; b < B; ++b)
        for (int64_t g = 0; g < Hkv; ++g) {
            const int64_t at_pos = ((b * Hkv + g) * Tmax + pos) * D * ces;
            convert_row(kp + (b * k.stride(0) + g * k.stride(1)) * es, type, kc + at_pos, ctype, D);
            convert_row(vp + (b * v.stride(0) + g * v.stride(1)) * es, type, vc + at_pos, ctype, D);
        }
    const int64_t lo = window > 0 ? std::max<int64_t>(0, pos + 1 - window) : 0, n = pos + 1 - lo;
    at::Tensor y = at::empty({B, 1, H * D}, q.options());
    auto* yp = static_cast<char*>(y.data_ptr());
    const auto* qp = static_cast<const char*>(q.data_ptr());
    const int64_t rep = H / Hkv;
    // Below ~64 KiB of cache per thread the fork costs more than it saves.
    const int64_t grain = std::max<int64_t>(1, (int64_t(16) << 10) / std::max<int64_t>(1, n * D));
    at::parallel_for(0, B * H, grain, [&](int64_t i0, int64_t i1) {
        thread_local std::vector<float> buf;
        buf.resize(size_t(n + 16 + 2 * D));
        float *s = buf.data(), *qf = s + n + 16, *of = qf + D;
        for (int64_t i = i0; i < i1; ++i) {
            const int64_t b = i / H, h = i % H, g = h / rep;
            const char* qh = qp + (b * q.stride(0) + h * q.stride(1)) * es;
            char* yh = yp + (b * H + h) * D * es;
            float* o = type == at::kFloat ? reinterpret_cast<float*>(yh) : of;
            convert_row(qh, type, reinterpret_cast<char*>(qf), at::kFloat, D);
            const int64_t base = ((b * Hkv + g) * Tmax + lo) * D * ces;
            fn(qf, kc + base, vc + base, n, D, float(scale), s, o);
            if (type != at::kFloat) convert_row(reinterpret_cast<const char*>(of), at::kFloat, yh, type, D);
        }
    });
    return y;
}

} // namespace fabula::kernels
