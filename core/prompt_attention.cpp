// GCC 12 flags the AVX-512 intrinsics' own _mm512_undefined_*() as maybe
// uninitialized once inlined (GCC bug 105593); see core/int8.cpp.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
// A prompt's causal attention on the CPU, flash-attention style: for each
// tile of queries, blocks of keys one after another, the softmax kept
// online (running maximum and sum per query), so scores never leave the
// registers and L1, and only the keys a query may see are computed (torch's
// CPU kernel for 256 queries at a time computed every key of the block under
// a mask, and at 35-60 GMAC/s was a fifth of an int8 prompt).
//
//   scores  s = scale · q Kᵀ   keys in the vector lanes: K is transposed
//                               once per head, so each lane's dot product
//                               runs down its own column (no horizontal sums)
//   softmax m' = max(m, max s), l' = l e^(m − m') + Σ e^(s − m'),
//           o' = o e^(m − m') + e^(s − m') V
//   result  o / l
#include "core/gemv.h"
#include "core/vec_exp.h"

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <vector>

namespace fabula::kernels {

namespace {

struct Avx512 {
    using F = __m512;
    static constexpr int W = 16;
    __attribute__((target("avx512f"), always_inline)) static F zero() { return _mm512_setzero_ps(); }
    __attribute__((target("avx512f"), always_inline)) static F set1(float x) { return _mm512_set1_ps(x); }
    __attribute__((target("avx512f"), always_inline)) static F load(const float* p) { return _mm512_loadu_ps(p); }
    __attribute__((target("avx512f"), always_inline)) static void store(float* p, F v) { _mm512_storeu_ps(p, v); }
    __attribute__((target("avx512f"), always_inline)) static F load(const uint16_t* p) { // fp16
        return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
    }
    __attribute__((target("avx512f"), always_inline)) static F fma(F a, F b, F c) { return _mm512_fmadd_ps(a, b, c); }
    __attribute__((target("avx512f"), always_inline)) static F mul(F a, F b) { return _mm512_mul_ps(a, b); }
    __attribute__((target("avx512f"), always_inline)) static F add(F a, F b) { return _mm512_add_ps(a, b); }
    __attribute__((target("avx512f"), always_inline)) static F max(F a, F b) { return _mm512_max_ps(a, b); }
    __attribute__((target("avx512f"), always_inline)) static float hmax(F a) { return _mm512_reduce_max_ps(a); }
    __attribute__((target("avx512f"), always_inline)) static float hsum(F a) { return _mm512_reduce_add_ps(a); }
    // Lanes whose key index (first + lane) lies in [lo, hi] keep v; the rest get −inf.
    __attribute__((target("avx512f"), always_inline)) static F visible(F v, int first, int lo, int hi) {
        const __m512i idx = _mm512_add_epi32(_mm512_set1_epi32(first),
                                             _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
        const __mmask16 k = _mm512_cmp_epi32_mask(idx, _mm512_set1_epi32(hi), _MM_CMPINT_LE) &
                            _mm512_cmp_epi32_mask(idx, _mm512_set1_epi32(lo), _MM_CMPINT_NLT);
        return _mm512_mask_mov_ps(_mm512_set1_ps(-std::numeric_limits<float>::infinity()), k, v);
    }
    // e^(s − m) for s >= −inf: 0 exactly where s is −inf.
    __attribute__((target("avx512f"), always_inline)) static F exp_minus(F s, float m) {
        const __mmask16 live = _mm512_cmp_ps_mask(s, _mm512_set1_ps(-std::numeric_limits<float>::infinity()), _CMP_NEQ_OQ);
        return _mm512_maskz_mov_ps(live, vec::exp512(_mm512_sub_ps(s, _mm512_set1_ps(m))));
    }
};

struct Avx2 {
    using F = __m256;
    static constexpr int W = 8;
    __attribute__((target("avx2,fma,f16c"), always_inline)) static F zero() { return _mm256_setzero_ps(); }
    __attribute__((target("avx2,fma,f16c"), always_inline)) static F set1(float x) { return _mm256_set1_ps(x); }
    __attribute__((target("avx2,fma,f16c"), always_inline)) static F load(const float* p) { return _mm256_loadu_ps(p); }
    __attribute__((target("avx2,fma,f16c"), always_inline)) static void store(float* p, F v) { _mm256_storeu_ps(p, v); }
    __attribute__((target("avx2,fma,f16c"), always_inline)) static F load(const uint16_t* p) { // fp16
        return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    }
    __attribute__((target("avx2,fma,f16c"), always_inline)) static F fma(F a, F b, F c) { return _mm256_fmadd_ps(a, b, c); }
    __attribute__((target("avx2,fma,f16c"), always_inline)) static F mul(F a, F b) { return _mm256_mul_ps(a, b); }
    __attribute__((target("avx2,fma,f16c"), always_inline)) static F add(F a, F b) { return _mm256_add_ps(a, b); }
    __attribute__((target("avx2,fma,f16c"), always_inline)) static F max(F a, F b) { return _mm256_max_ps(a, b); }
    __attribute__((target("avx2,fma,f16c"), always_inline)) static float hmax(F a) {
        __m128 h = _mm_max_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
        h = _mm_max_ps(h, _mm_movehl_ps(h, h));
        return _mm_cvtss_f32(_mm_max_ss(h, _mm_shuffle_ps(h, h, 1)));
    }
    __attribute__((target("avx2,fma,f16c"), always_inline)) static float hsum(F a) {
        __m128 h = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
        h = _mm_add_ps(h, _mm_movehl_ps(h, h));
        return _mm_cvtss_f32(_mm_add_ss(h, _mm_shuffle_ps(h, h, 1)));
    }
    __attribute__((target("avx2,fma,f16c"), always_inline)) static F visible(F v, int first, int lo, int hi) {
        const __m256i idx = _mm256_add_epi32(_mm256_set1_epi32(first), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        const __m256i in = _mm256_andnot_si256(_mm256_cmpgt_epi32(idx, _mm256_set1_epi32(hi)),
                                               _mm256_cmpgt_epi32(idx, _mm256_set1_epi32(lo - 1)));
        return _mm256_blendv_ps(_mm256_set1_ps(-std::numeric_limits<float>::infinity()), v, _mm256_castsi256_ps(in));
    }
    __attribute__((target("avx2,fma,f16c"), always_inline)) static F exp_minus(F s, float m) {
        const __m256 live = _mm256_cmp_ps(s, _mm256_set1_ps(-std::numeric_limits<float>::infinity()), _CMP_NEQ_OQ);
        return _mm256_and_ps(live, vec::exp256(_mm256_sub_ps(s, _mm256_set1_ps(m))));
    }
};

struct Problem {
    const float* q;  // (B, H, T, D) with strides below
    int64_t q_b, q_h, q_t;
    const float* kt; // (B, KV, D, Sp): K transposed, zero past S
    int64_t sp;
    const void* v;   // (B, KV, S, D), fp32 or fp16 (a 16-bit cache), with strides below
    int64_t v_b, v_h, v_t;
    float* y;        // (B, T, H, D) contiguous
    int64_t B, H, KV, T, S, D, past, window;
    float scale;
};

// One tile: queries t0 .. t0 + MR − 1 (the last ones repeated past T, not
// stored) of head h in batch b; o (MR x D) and pbuf (MR x keys per block) are the
// thread's scratch.
#define FABULA_PROMPT_ATTENTION_TILE(NAME, TARGET, VEC, ROWS, VECTORS, VALUE)                                      \
    __attribute__((target(TARGET))) void NAME(const Problem& p, int64_t b, int64_t h, int64_t t0, float* o,        \
                                              float* pbuf) {                                                        \
        using V = VEC;                                                                                              \
        using F = V::F;                                                                                             \
        constexpr int MR = ROWS, NV = VECTORS, NB = NV * V::W; /* queries per tile, keys per block */              \
        const int64_t D = p.D, kvh = h / (p.H / p.KV);                                                              \
        const float* q[MR];                                                                                         \
        int pos[MR], lo[MR];                                                                                        \
        for (int m = 0; m < MR; ++m) {                                                                              \
            const int64_t t = std::min(t0 + m, p.T - 1);                                                             \
            q[m] = p.q + b * p.q_b + h * p.q_h + t * p.q_t;                                                          \
            pos[m] = int(p.past + t);                                                                                \
            lo[m] = p.window > 0 ? std::max(0, pos[m] - int(p.window) + 1) : 0;                                      \
        }                                                                                                           \
        const float* kt = p.kt + (b * p.KV + kvh) * D * p.sp;                                                       \
        const VALUE* vh = static_cast<const VALUE*>(p.v) + b * p.v_b + kvh * p.v_h;                                 \
        float mx[MR], l[MR];                                                                                        \
        for (int m = 0; m < MR; ++m) mx[m] = -std::numeric_limits<float>::infinity(), l[m] = 0;                     \
        std::fill(o, o + MR * D, 0.0f);                                                                             \
        const int first_key = *std::min_element(lo, lo + MR) / NB * NB;                                             \
        const int last_key = pos[MR - 1];                                                                            \
        for (int j0 = first_key; j0 <= last_key; j0 += NB) {                                                        \
            F s[MR][NV];                                                                                            \
            _Pragma("GCC unroll 8") for (int m = 0; m < MR; ++m)                                                    \
                _Pragma("GCC unroll 4") for (int c = 0; c < NV; ++c) s[m][c] = V::zero();                           \
            for (int64_t d = 0; d < D; ++d) {                                                                       \
                F k[NV];                                                                                            \
                _Pragma("GCC unroll 4") for (int c = 0; c < NV; ++c) k[c] = V::load(kt + d * p.sp + j0 + c * V::W); \
                _Pragma("GCC unroll 8") for (int m = 0; m < MR; ++m) {                                              \
                    const F qb = V::set1(q[m][d]);                                                                  \
                    _Pragma("GCC unroll 4") for (int c = 0; c < NV; ++c) s[m][c] = V::fma(qb, k[c], s[m][c]);       \
                }                                                                                                   \
            }                                                                                                       \
            float corr[MR];                                                                                         \
            _Pragma("GCC unroll 8") for (int m = 0; m < MR; ++m) {                                                  \
                const F sc = V::set1(p.scale);                                                                      \
                F top = V::set1(-std::numeric_limits<float>::infinity());                                           \
                _Pragma("GCC unroll 4") for (int c = 0; c < NV; ++c) {                                              \
                    s[m][c] = V::visible(V::mul(s[m][c], sc), j0 + c * V::W, lo[m], pos[m]);                        \
                    top = V::max(top, s[m][c]);                                                                     \
                }                                                                                                   \
                const float nm = std::max(mx[m], V::hmax(top));                                                     \
                if (nm == -std::numeric_limits<float>::infinity()) { /* nothing seen yet */                         \
                    corr[m] = 1;                                                                                    \
                    _Pragma("GCC unroll 4") for (int c = 0; c < NV; ++c) V::store(pbuf + m * NB + c * V::W, V::zero()); \
                    continue;                                                                                       \
                }                                                                                                   \
                corr[m] = std::exp(mx[m] - nm);                                                                     \
                mx[m] = nm;                                                                                         \
                F sum = V::zero();                                                                                  \
                _Pragma("GCC unroll 4") for (int c = 0; c < NV; ++c) {                                              \
                    const F e = V::exp_minus(s[m][c], nm);                                                          \
                    sum = V::add(sum, e);                                                                           \
                    V::store(pbuf + m * NB + c * V::W, e);                                                          \
                }                                                                                                   \
                l[m] = l[m] * corr[m] + V::hsum(sum);                                                               \
            }                                                                                                       \
            const int nk = int(std::min<int64_t>(NB, p.S - j0));                                                    \
            for (int64_t d = 0; d < D; d += 2 * V::W) {                                                             \
                F acc[MR][2];                                                                                       \
                _Pragma("GCC unroll 8") for (int m = 0; m < MR; ++m) {                                              \
                    const F c = V::set1(corr[m]);                                                                   \
                    acc[m][0] = V::mul(V::load(o + m * D + d), c);                                                  \
                    acc[m][1] = V::mul(V::load(o + m * D + d + V::W), c);                                           \
                }                                                                                                   \
                for (int j = 0; j < nk; ++j) {                                                                      \
                    const VALUE* vr = vh + (j0 + j) * p.v_t + d;                                                    \
                    const F v0 = V::load(vr), v1 = V::load(vr + V::W);                                              \
                    _Pragma("GCC unroll 8") for (int m = 0; m < MR; ++m) {                                          \
                        const F pb = V::set1(pbuf[m * NB + j]);                                                     \
                        acc[m][0] = V::fma(pb, v0, acc[m][0]);                                                      \
                        acc[m][1] = V::fma(pb, v1, acc[m][1]);                                                      \
                    }                                                                                               \
                }                                                                                                   \
                _Pragma("GCC unroll 8") for (int m = 0; m < MR; ++m) {                                              \
                    V::store(o + m * D + d, acc[m][0]);                                                             \
                    V::store(o + m * D + d + V::W, acc[m][1]);                                                      \
                }                                                                                                   \
            }                                                                                                       \
        }                                                                                                           \
        for (int m = 0; m < MR && t0 + m < p.T; ++m) {                                                              \
            const F inv = V::set1(1.0f / l[m]);                                                                     \
            float* out = p.y + ((b * p.T + t0 + m) * p.H + h) * D;                                                  \
            for (int64_t d = 0; d < D; d += V::W) V::store(out + d, V::mul(V::load(o + m * D + d), inv));           \
        }                                                                                                           \
    }

// Measured on Zen 4 (fabula-kernels-bench prompt-attention): AVX-512 8
// queries x 32 keys, AVX2 (16 registers) 6 x 16.
constexpr int kRows512 = 8, kVectors512 = 2, kRows256 = 6, kVectors256 = 2;
FABULA_PROMPT_ATTENTION_TILE(tile_avx512, "avx512f", Avx512, kRows512, kVectors512, float)
FABULA_PROMPT_ATTENTION_TILE(tile_avx512_f16, "avx512f", Avx512, kRows512, kVectors512, uint16_t)
FABULA_PROMPT_ATTENTION_TILE(tile_avx2, "avx2,fma,f16c", Avx2, kRows256, kVectors256, float)
FABULA_PROMPT_ATTENTION_TILE(tile_avx2_f16, "avx2,fma,f16c", Avx2, kRows256, kVectors256, uint16_t)
#undef FABULA_PROMPT_ATTENTION_TILE

} // namespace

at::Tensor prompt_attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, int64_t past,
                            int64_t window, double scale) {
    const int bits = vector_bits();
    if (bits == 0 || !q.is_cpu() || q.dim() != 4 || k.dim() != 4 || v.dim() != 4) return {};
    const bool avx512 = bits == 512;
    const int64_t MR = avx512 ? kRows512 : kRows256, NB = avx512 ? kVectors512 * 16 : kVectors256 * 8;
    const int64_t dims = avx512 ? 32 : 16; // the P V tile's width
    const int64_t B = q.size(0), H = q.size(1), T = q.size(2), D = q.size(3), KV = k.size(1), S = k.size(2);
    const bool half = v.scalar_type() == at::kHalf;
    if (q.scalar_type() != at::kFloat || (k.scalar_type() != at::kFloat && k.scalar_type() != at::kHalf) ||
        v.scalar_type() != k.scalar_type() ||
        D % dims != 0 || q.stride(3) != 1 || v.stride(3) != 1 || k.size(0) != B || v.sizes() != k.sizes() ||
        k.size(3) != D || H % KV != 0 || S != past + T || S >= (int64_t(1) << 30))
        return {};
    // K transposed per head, padded with zeros to whole blocks of keys.
    const int64_t sp = (S + NB - 1) / NB * NB;
    at::Tensor kt = at::empty({B, KV, D, sp}, q.options());
    kt.narrow(3, 0, S).copy_(k.transpose(2, 3));
    if (sp > S) kt.narrow(3, S, sp - S).zero_();
    at::Tensor y = at::empty({B, T, H, D}, q.options());
    const Problem p{q.data_ptr<float>(), q.stride(0), q.stride(1), q.stride(2), kt.data_ptr<float>(), sp,
                    v.data_ptr(), v.stride(0), v.stride(1), v.stride(2), y.data_ptr<float>(), B, H, KV, T,
                    S, D, past, window, float(scale)};
    // Tiles handed out from the last queries (which see the most keys) to
    // the first, so the threads finish together.
    const int64_t tiles = (T + MR - 1) / MR, items = tiles * B * H;
    std::atomic<int64_t> next{0};
    at::parallel_for(0, at::get_num_threads(), 1, [&](int64_t, int64_t) {
        std::vector<float> o(size_t(MR * D)), pbuf(size_t(MR * NB));
        for (int64_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < items;) {
            const int64_t tile = tiles - 1 - i / (B * H), bh = i % (B * H);
            const auto tile_fn = avx512 ? (half ? tile_avx512_f16 : tile_avx512) : (half ? tile_avx2_f16 : tile_avx2);
            tile_fn(p, bh / H, bh % H, tile * MR, o.data(), pbuf.data());
        }
    });
    return y.view({B, T, H * D});
}

} // namespace fabula::kernels
