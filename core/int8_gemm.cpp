// GCC 12 flags the AVX-512 intrinsics' own _mm512_undefined_*() as maybe
// uninitialized once inlined (GCC bug 105593); see core/int8.cpp.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include "core/int8_gemm.h"

#include <ATen/Parallel.h>

#include <immintrin.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace fabula::kernels::int8_detail {

namespace {

constexpr int64_t G = 32;

// The SIMD kernels hold output columns in the lanes of 32-bit integer
// accumulators, so neither operand ever needs a horizontal sum: a panel of
// the weights is repacked per call (a few per cent of the products' time)
// so that one vector load gives each lane's column the next 4 (bytes) or 2
// (int16) values of k, and one broadcast gives every lane the same values of
// one activation row. Each group's 32 products stay exact in int32 and are
// scaled once, as the decode kernels do.
//
// The u8 x s8 dot instructions (vpdpbusd) want one unsigned operand: the
// activations go in as q + 128 (their sign bit flipped), and the extra
// 128 * sum(w) of each column and group starts the group's accumulator
// negated. AVX2's u8 x s8 pairs (vpmaddubsw) saturate int16 with that
// offset, so AVX2 widens both sides to int16 (vpmaddwd) instead: exact, and
// no compensation.
struct Layout {
    int nr;      // output columns per panel (lanes x vectors)
    int steps;   // 32-bit lane steps per group of 32 k
    int elem;    // bytes per value: 1 (int8 / u8) or 2 (int16)
    bool offset; // activations as u8 = q + 128, with the compensation
};

constexpr Layout kVnni512{32, 8, 1, true};
constexpr Layout kVnni256{16, 8, 1, true};
constexpr Layout kAvx2{16, 16, 2, false};

// One whole group for the VNNI tiles on AVX-512: the same maximum, fp32
// product and round-to-nearest-even as quantize_group (so the same bytes),
// stored as u8 = q + 128. The AVX2 quantizer and a byte loop were a tenth of
// an int8 prompt.
__attribute__((target("avx512f,avx512bw"))) float quantize_group_u8_avx512(const float* v, uint8_t* out) {
    const __m512 a = _mm512_loadu_ps(v), b = _mm512_loadu_ps(v + 16);
    const float amax = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_abs_ps(a), _mm512_abs_ps(b)));
    if (amax == 0) {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), _mm256_set1_epi8(char(0x80)));
        return 0;
    }
    const __m512 inv = _mm512_set1_ps(127.0f / amax), lo = _mm512_set1_ps(-127.0f), hi = _mm512_set1_ps(127.0f);
    const __m512 ra = _mm512_roundscale_ps(_mm512_mul_ps(a, inv), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m512 rb = _mm512_roundscale_ps(_mm512_mul_ps(b, inv), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m128i qa = _mm512_cvtepi32_epi8(_mm512_cvtps_epi32(_mm512_min_ps(_mm512_max_ps(ra, lo), hi)));
    const __m128i qb = _mm512_cvtepi32_epi8(_mm512_cvtps_epi32(_mm512_min_ps(_mm512_max_ps(rb, lo), hi)));
    const __m128i flip = _mm_set1_epi8(char(0x80));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_xor_si128(qa, flip));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16), _mm_xor_si128(qb, flip));
    return amax / 127.0f;
}

// Rows of x quantized per group (the decode path's bytes), stored as the
// kernel reads them: int8, u8 with the offset, or int16.
void prepare_rows(const Layout& L, const float* x, int64_t n, int64_t cols, int64_t groups, uint8_t* a, float* sx) {
    const int64_t row_bytes = groups * G * L.elem;
    at::parallel_for(0, n, 16, [&](int64_t i0, int64_t i1) {
        int8_t q[G];
        static const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
        for (int64_t i = i0; i < i1; ++i) {
            uint8_t* out = a + i * row_bytes;
            for (int64_t g = 0; g < groups; ++g) {
                if (avx512 && L.elem == 1 && L.offset && (g + 1) * G <= cols) {
                    sx[i * groups + g] = quantize_group_u8_avx512(x + i * cols + g * G, out + g * G);
                    continue;
                }
                sx[i * groups + g] = quantize_group(x + i * cols + g * G, std::min(G, cols - g * G), q);
                if (L.elem == 2) {
                    int16_t* o = reinterpret_cast<int16_t*>(out) + g * G;
                    for (int64_t t = 0; t < G; ++t) o[t] = q[t];
                } else {
                    // The sign bits flipped eight bytes at a time (a byte loop cost
                    // as much as the quantizing).
                    uint64_t w[G / 8];
                    std::memcpy(w, q, G);
                    if (L.offset)
                        for (uint64_t& v : w) v ^= 0x8080808080808080ull;
                    std::memcpy(out + g * G, w, G);
                }
            }
        }
    });
}

// Columns [n0, n0 + L.nr) of the weights in the kernel's order: for each
// group, step and column, one 32-bit lane of k values; columns past the
// matrix are zero (scale 0), so the tiles never branch on them.
void pack_panel(const Layout& L, const int8_t* wq, const float* ws, int64_t rows, int64_t groups, int64_t n0,
                uint8_t* bp, float* sw, int32_t* comp) {
    const int64_t kp = groups * G;
    const int per = 4 / L.elem;
    for (int j = 0; j < L.nr; ++j) {
        const int64_t r = n0 + j;
        if (r >= rows) {
            for (int64_t g = 0; g < groups; ++g) {
                for (int s = 0; s < L.steps; ++s) std::memset(bp + ((g * L.steps + s) * L.nr + j) * 4, 0, 4);
                sw[g * L.nr + j] = 0;
                comp[g * L.nr + j] = 0;
            }
            continue;
        }
        const int8_t* src = wq + r * kp;
        for (int64_t g = 0; g < groups; ++g) {
            int32_t sum = 0;
            for (int s = 0; s < L.steps; ++s) {
                const int8_t* k = src + g * G + s * per;
                uint8_t* dst = bp + ((g * L.steps + s) * L.nr + j) * 4;
                if (L.elem == 1) {
                    std::memcpy(dst, k, 4);
                    sum += int32_t(k[0]) + k[1] + k[2] + k[3];
                } else {
                    const int16_t v[2] = {k[0], k[1]};
                    std::memcpy(dst, v, 4);
                }
            }
            sw[g * L.nr + j] = ws[r * groups + g];
            comp[g * L.nr + j] = L.offset ? -128 * sum : 0;
        }
    }
}

// pack_panel for kVnni512 and a whole panel. Two groups of 16 rows are one
// 16 x 16 transpose of 4-byte values (64 bytes of k from each row in, one
// vector per step out) in four rounds of in-register shuffles; one dot with
// ones sums each lane's bytes for the compensation. Gathers, which took the
// same values from memory 16 at a time, cost a sixth of the products' time.
__attribute__((target("avx512f,avx512bw,avx512vnni"))) void pack_panel_vnni512(const int8_t* wq, const float* ws,
                                                                            int64_t groups, int64_t n0, uint8_t* bp,
                                                                            float* sw, int32_t* comp) {
    const int64_t kp = groups * G;
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i scales_at = _mm512_mullo_epi32(lane, _mm512_set1_epi32(int(groups)));
    const __m512i ones = _mm512_set1_epi8(1), zero = _mm512_setzero_si512();
    for (int h = 0; h < 2; ++h) {
        const int8_t* base = wq + (n0 + 16 * h) * kp;
        const float* sbase = ws + (n0 + 16 * h) * groups;
        for (int64_t g = 0; g < groups; g += 2) {
            const bool pair = g + 1 < groups;
            const __mmask16 take = pair ? __mmask16(0xffff) : __mmask16(0x00ff);
            __m512i r[16], t[16];
            for (int j = 0; j < 16; ++j) r[j] = _mm512_maskz_loadu_epi32(take, base + j * kp + g * G);
            // Rounds 1-2: within each 128-bit lane L, t[4q + c] holds rows
            // 4q..4q+3 of value 4L + c.
            for (int q = 0; q < 4; ++q) {
                const __m512i a0 = _mm512_unpacklo_epi32(r[4 * q], r[4 * q + 1]);
                const __m512i a1 = _mm512_unpackhi_epi32(r[4 * q], r[4 * q + 1]);
                const __m512i a2 = _mm512_unpacklo_epi32(r[4 * q + 2], r[4 * q + 3]);
                const __m512i a3 = _mm512_unpackhi_epi32(r[4 * q + 2], r[4 * q + 3]);
                t[4 * q] = _mm512_unpacklo_epi64(a0, a2);
                t[4 * q + 1] = _mm512_unpackhi_epi64(a0, a2);
                t[4 * q + 2] = _mm512_unpacklo_epi64(a1, a3);
                t[4 * q + 3] = _mm512_unpackhi_epi64(a1, a3);
            }
            // Rounds 3-4: value 4L + c gathers lane L of t[c], t[4 + c],
            // t[8 + c], t[12 + c]; value v is step v % 8 of group g + v / 8,
            // at step (g * 8 + v) of the panel either way.
            __m512i sum0 = zero, sum1 = zero;
            for (int c = 0; c < 4; ++c) {
                const __m512i lo01 = _mm512_shuffle_i32x4(t[c], t[4 + c], 0x44);
                const __m512i hi01 = _mm512_shuffle_i32x4(t[c], t[4 + c], 0xEE);
                const __m512i lo23 = _mm512_shuffle_i32x4(t[8 + c], t[12 + c], 0x44);
                const __m512i hi23 = _mm512_shuffle_i32x4(t[8 + c], t[12 + c], 0xEE);
                const __m512i v[4] = {_mm512_shuffle_i32x4(lo01, lo23, 0x88), _mm512_shuffle_i32x4(lo01, lo23, 0xDD),
                                      _mm512_shuffle_i32x4(hi01, hi23, 0x88), _mm512_shuffle_i32x4(hi01, hi23, 0xDD)};
                for (int L = 0; L < 4; ++L) {
                    const int value = 4 * L + c;
                    if (value >= 8 && !pair) continue;
                    _mm512_storeu_si512(bp + (g * 8 + value) * 128 + 64 * h, v[L]);
                    if (value < 8) sum0 = _mm512_dpbusd_epi32(sum0, ones, v[L]);
                    else sum1 = _mm512_dpbusd_epi32(sum1, ones, v[L]);
                }
            }
            _mm512_storeu_si512(comp + g * 32 + 16 * h, _mm512_sub_epi32(zero, _mm512_slli_epi32(sum0, 7)));
            _mm512_storeu_ps(sw + g * 32 + 16 * h, _mm512_i32gather_ps(scales_at, sbase + g, 4));
            if (pair) {
                _mm512_storeu_si512(comp + (g + 1) * 32 + 16 * h, _mm512_sub_epi32(zero, _mm512_slli_epi32(sum1, 7)));
                _mm512_storeu_ps(sw + (g + 1) * 32 + 16 * h, _mm512_i32gather_ps(scales_at, sbase + g + 1, 4));
            }
        }
    }
}

// pack_panel for kAvx2 and a whole panel: a gather takes 4 bytes of k from
// 8 rows, shifts sign-extend them to int16 and blends pair them by step.
__attribute__((target("avx2,fma"))) void pack_panel_avx2(const int8_t* wq, const float* ws, int64_t groups,
                                                         int64_t n0, uint8_t* bp, float* sw) {
    const int64_t kp = groups * G;
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i rows_at = _mm256_mullo_epi32(lane, _mm256_set1_epi32(int(kp)));
    const __m256i scales_at = _mm256_mullo_epi32(lane, _mm256_set1_epi32(int(groups)));
    for (int h = 0; h < 2; ++h) {
        const int8_t* base = wq + (n0 + 8 * h) * kp;
        const float* sbase = ws + (n0 + 8 * h) * groups;
        for (int64_t g = 0; g < groups; ++g) {
            for (int t = 0; t < 8; ++t) {
                const __m256i v =
                    _mm256_i32gather_epi32(reinterpret_cast<const int*>(base + g * G + 4 * t), rows_at, 1);
                const __m256i even = _mm256_srai_epi16(_mm256_slli_epi16(v, 8), 8); // k 0, 2 of the 4
                const __m256i odd = _mm256_srai_epi16(v, 8);                         // k 1, 3
                const __m256i s0 = _mm256_blend_epi16(even, _mm256_slli_epi32(odd, 16), 0xAA);
                const __m256i s1 = _mm256_blend_epi16(_mm256_srli_epi32(even, 16), odd, 0xAA);
                _mm256_storeu_si256(reinterpret_cast<__m256i*>(bp + ((g * 16 + 2 * t) * 16 + 8 * h) * 4), s0);
                _mm256_storeu_si256(reinterpret_cast<__m256i*>(bp + ((g * 16 + 2 * t + 1) * 16 + 8 * h) * 4), s1);
            }
            _mm256_storeu_ps(sw + g * 16 + 8 * h, _mm256_i32gather_ps(sbase + g, scales_at, 4));
        }
    }
}

// One tile: rows [0, MR) of a (row stride lda bytes) against a packed
// panel, into y (row stride ldy floats), nvalid of the panel's columns.
using TileFn = void (*)(const uint8_t* a, int64_t lda, const float* sx, int64_t groups, const uint8_t* bp,
                        const float* sw, const int32_t* comp, const float* bias, float* y, int64_t ldy, int nvalid);

inline int32_t load4(const uint8_t* p) {
    int32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

// 6 rows x 32 columns: 12 int32 and 12 fp32 accumulators, 2 weight vectors
// and a broadcast fill the 32 registers.
template <int MR>
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,fma"))) void tile_avx512vnni(
    const uint8_t* a, int64_t lda, const float* sx, int64_t groups, const uint8_t* bp, const float* sw,
    const int32_t* comp, const float* bias, float* y, int64_t ldy, int nvalid) {
    __m512 f[MR][2];
#pragma GCC unroll 8
    for (int m = 0; m < MR; ++m) f[m][0] = f[m][1] = _mm512_setzero_ps();
    for (int64_t g = 0; g < groups; ++g) {
        const __m512i c0 = _mm512_loadu_si512(comp + g * 32), c1 = _mm512_loadu_si512(comp + g * 32 + 16);
        __m512i acc[MR][2];
#pragma GCC unroll 8
        for (int m = 0; m < MR; ++m) {
            acc[m][0] = c0;
            acc[m][1] = c1;
        }
        const uint8_t* bg = bp + g * 8 * 128;
        const uint8_t* ag = a + g * G;
#pragma GCC unroll 8
        for (int s = 0; s < 8; ++s) {
            const __m512i w0 = _mm512_loadu_si512(bg + s * 128), w1 = _mm512_loadu_si512(bg + s * 128 + 64);
#pragma GCC unroll 8
            for (int m = 0; m < MR; ++m) {
                const __m512i av = _mm512_set1_epi32(load4(ag + m * lda + 4 * s));
                acc[m][0] = _mm512_dpbusd_epi32(acc[m][0], av, w0);
                acc[m][1] = _mm512_dpbusd_epi32(acc[m][1], av, w1);
            }
        }
        const __m512 s0 = _mm512_loadu_ps(sw + g * 32), s1 = _mm512_loadu_ps(sw + g * 32 + 16);
#pragma GCC unroll 8
        for (int m = 0; m < MR; ++m) {
            const __m512 xs = _mm512_set1_ps(sx[m * groups + g]);
            f[m][0] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(acc[m][0]), _mm512_mul_ps(s0, xs), f[m][0]);
            f[m][1] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(acc[m][1]), _mm512_mul_ps(s1, xs), f[m][1]);
        }
    }
    const __mmask16 k0 = nvalid >= 16 ? __mmask16(0xffff) : __mmask16((1u << nvalid) - 1);
    const __mmask16 k1 = nvalid >= 32 ? __mmask16(0xffff) : nvalid > 16 ? __mmask16((1u << (nvalid - 16)) - 1) : 0;
    if (bias) {
        const __m512 b0 = _mm512_maskz_loadu_ps(k0, bias), b1 = _mm512_maskz_loadu_ps(k1, bias + 16);
#pragma GCC unroll 8
        for (int m = 0; m < MR; ++m) {
            f[m][0] = _mm512_add_ps(f[m][0], b0);
            f[m][1] = _mm512_add_ps(f[m][1], b1);
        }
    }
#pragma GCC unroll 8
    for (int m = 0; m < MR; ++m) {
        _mm512_mask_storeu_ps(y + m * ldy, k0, f[m][0]);
        _mm512_mask_storeu_ps(y + m * ldy + 16, k1, f[m][1]);
    }
}

// 4 rows x 16 columns on 16 registers: the 8 int32 accumulators, weights
// and broadcast stay in registers, the fp32 sums go through the stack.
#define FABULA_INT8_TILE_256(NAME, TARGET, STEPS, OFFSET, DOT)                                                   \
    template <int MR>                                                                                           \
    __attribute__((target(TARGET))) void NAME(const uint8_t* a, int64_t lda, const float* sx, int64_t groups,   \
                                              const uint8_t* bp, const float* sw, const int32_t* comp,          \
                                              const float* bias, float* y, int64_t ldy, int nvalid) {           \
        __m256 f[MR][2];                                                                                        \
        _Pragma("GCC unroll 8") for (int m = 0; m < MR; ++m) f[m][0] = f[m][1] = _mm256_setzero_ps();           \
        for (int64_t g = 0; g < groups; ++g) {                                                                  \
            __m256i c0 = _mm256_setzero_si256(), c1 = _mm256_setzero_si256();                                   \
            if (OFFSET) {                                                                                       \
                c0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(comp + g * 16));                       \
                c1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(comp + g * 16 + 8));                   \
            }                                                                                                   \
            __m256i acc[MR][2];                                                                                 \
            _Pragma("GCC unroll 8") for (int m = 0; m < MR; ++m) {                                              \
                acc[m][0] = c0;                                                                                 \
                acc[m][1] = c1;                                                                                 \
            }                                                                                                   \
            const uint8_t* bg = bp + g * (STEPS) * 64;                                                          \
            const uint8_t* ag = a + g * (STEPS) * 4;                                                            \
            _Pragma("GCC unroll 16") for (int s = 0; s < (STEPS); ++s) {                                        \
                const __m256i w0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bg + s * 64));           \
                const __m256i w1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bg + s * 64 + 32));      \
                _Pragma("GCC unroll 8") for (int m = 0; m < MR; ++m) {                                          \
                    const __m256i av = _mm256_set1_epi32(load4(ag + m * lda + 4 * s));                          \
                    acc[m][0] = DOT(acc[m][0], av, w0);                                                         \
                    acc[m][1] = DOT(acc[m][1], av, w1);                                                         \
                    /* Otherwise GCC reassociates the integer adds: every   */                                  \
                    /* product first, spilled to the stack, then a tree.    */                                  \
                    asm("" : "+x"(acc[m][0]), "+x"(acc[m][1]));                                                 \
                }                                                                                               \
            }                                                                                                   \
            const __m256 s0 = _mm256_loadu_ps(sw + g * 16), s1 = _mm256_loadu_ps(sw + g * 16 + 8);              \
            _Pragma("GCC unroll 8") for (int m = 0; m < MR; ++m) {                                              \
                const __m256 xs = _mm256_set1_ps(sx[m * groups + g]);                                           \
                f[m][0] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(acc[m][0]), _mm256_mul_ps(s0, xs), f[m][0]);       \
                f[m][1] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(acc[m][1]), _mm256_mul_ps(s1, xs), f[m][1]);       \
            }                                                                                                   \
        }                                                                                                       \
        alignas(32) float b[16] = {};                                                                           \
        if (bias)                                                                                               \
            for (int j = 0; j < nvalid; ++j) b[j] = bias[j];                                                    \
        const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);                                        \
        for (int m = 0; m < MR; ++m) {                                                                          \
            const __m256 r0 = bias ? _mm256_add_ps(f[m][0], b0) : f[m][0];                                      \
            const __m256 r1 = bias ? _mm256_add_ps(f[m][1], b1) : f[m][1];                                      \
            if (nvalid == 16) {                                                                                 \
                _mm256_storeu_ps(y + m * ldy, r0);                                                              \
                _mm256_storeu_ps(y + m * ldy + 8, r1);                                                          \
            } else {                                                                                            \
                alignas(32) float t[16];                                                                        \
                _mm256_store_ps(t, r0);                                                                         \
                _mm256_store_ps(t + 8, r1);                                                                     \
                std::memcpy(y + m * ldy, t, size_t(nvalid) * sizeof(float));                                   \
            }                                                                                                   \
        }                                                                                                       \
    }

// int16 pairs, multiplied and summed to int32 (2 * 127 * 127 fits).
#define FABULA_DOT_AVX2(acc, a, w) _mm256_add_epi32(acc, _mm256_madd_epi16(a, w))
#define FABULA_DOT_AVXVNNI(acc, a, w) _mm256_dpbusd_avx_epi32(acc, a, w)
FABULA_INT8_TILE_256(tile_avx2, "avx2,fma", 16, false, FABULA_DOT_AVX2)
FABULA_INT8_TILE_256(tile_avxvnni, "avx2,fma,avxvnni", 8, true, FABULA_DOT_AVXVNNI)
#undef FABULA_DOT_AVX2
#undef FABULA_DOT_AVXVNNI
#undef FABULA_INT8_TILE_256

constexpr TileFn kTilesVnni512[] = {nullptr,
                                    tile_avx512vnni<1>,
                                    tile_avx512vnni<2>,
                                    tile_avx512vnni<3>,
                                    tile_avx512vnni<4>,
                                    tile_avx512vnni<5>,
                                    tile_avx512vnni<6>};
constexpr TileFn kTilesVnni256[] = {nullptr, tile_avxvnni<1>, tile_avxvnni<2>, tile_avxvnni<3>, tile_avxvnni<4>};
constexpr TileFn kTilesAvx2[] = {nullptr, tile_avx2<1>, tile_avx2<2>, tile_avx2<3>, tile_avx2<4>};

// Each thread takes whole panels of columns, packs one at a time (it stays
// in L1/L2) and runs every row block against it; x's prepared rows are
// shared (L2/L3). One parallel region for the products, as at::linear has.
void run_simd(const Layout& L, const TileFn* tiles, int mr, const uint8_t* a, const float* sx, int64_t n,
              int64_t groups, const int8_t* wq, const float* ws, int64_t rows, const float* bias, float* y) {
    const int64_t panels = (rows + L.nr - 1) / L.nr;
    const int64_t lda = groups * G * L.elem;
    at::parallel_for(0, panels, 1, [&](int64_t p0, int64_t p1) {
        thread_local std::vector<uint8_t> bp;
        thread_local std::vector<float> sw;
        thread_local std::vector<int32_t> comp;
        bp.resize(size_t(groups * L.steps * L.nr * 4));
        sw.resize(size_t(groups * L.nr));
        comp.resize(size_t(groups * L.nr));
        for (int64_t p = p0; p < p1; ++p) {
            const int64_t n0 = p * L.nr;
            const int nvalid = int(std::min<int64_t>(L.nr, rows - n0));
            if (tiles == kTilesVnni512 && nvalid == L.nr)
                pack_panel_vnni512(wq, ws, groups, n0, bp.data(), sw.data(), comp.data());
            else if (tiles == kTilesAvx2 && nvalid == L.nr)
                pack_panel_avx2(wq, ws, groups, n0, bp.data(), sw.data()); // no compensation to pack
            else
                pack_panel(L, wq, ws, rows, groups, n0, bp.data(), sw.data(), comp.data());
            for (int64_t i0 = 0; i0 < n; i0 += mr) {
                const int m = int(std::min<int64_t>(mr, n - i0));
                tiles[m](a + i0 * lda, lda, sx + i0 * groups, groups, bp.data(), sw.data(), comp.data(),
                         bias ? bias + n0 : nullptr, y + i0 * rows + n0, rows, nvalid);
            }
        }
    });
}

// The reference every SIMD kernel must equal up to the fp32 combine's
// rounding (and exactly where every scale is 1).
void run_portable(const int8_t* a, const float* sx, int64_t n, int64_t groups, const int8_t* wq, const float* ws,
                  int64_t rows, const float* bias, float* y) {
    at::parallel_for(0, rows, 16, [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r) {
            const int8_t* w = wq + r * groups * G;
            for (int64_t i = 0; i < n; ++i) {
                const int8_t* x = a + i * groups * G;
                float acc = 0;
                for (int64_t g = 0; g < groups; ++g) {
                    int32_t d = 0;
                    for (int64_t t = 0; t < G; ++t) d += int32_t(w[g * G + t]) * int32_t(x[g * G + t]);
                    acc += float(d) * (ws[r * groups + g] * sx[i * groups + g]);
                }
                y[i * rows + r] = bias ? acc + bias[r] : acc;
            }
        }
    });
}

} // namespace

void gemm(GemmIsa isa, const float* x, int64_t n, int64_t cols, const int8_t* wq, const float* ws, int64_t rows,
          int64_t groups, const float* bias, float* y) {
    if (n <= 0 || rows <= 0) return;
    const Layout L = isa == GemmIsa::avx512vnni ? kVnni512 : isa == GemmIsa::avxvnni ? kVnni256 : kAvx2;
    const int elem = isa == GemmIsa::portable ? 1 : L.elem;
    thread_local std::vector<uint8_t> a;
    thread_local std::vector<float> sx;
    a.resize(size_t(n * groups * G * elem));
    sx.resize(size_t(n * groups));
    if (isa == GemmIsa::portable) {
        prepare_rows(Layout{1, 1, 1, false}, x, n, cols, groups, a.data(), sx.data());
        run_portable(reinterpret_cast<const int8_t*>(a.data()), sx.data(), n, groups, wq, ws, rows, bias, y);
        return;
    }
    prepare_rows(L, x, n, cols, groups, a.data(), sx.data());
    switch (isa) {
    case GemmIsa::avx512vnni:
        return run_simd(L, kTilesVnni512, 6, a.data(), sx.data(), n, groups, wq, ws, rows, bias, y);
    case GemmIsa::avxvnni:
        return run_simd(L, kTilesVnni256, 4, a.data(), sx.data(), n, groups, wq, ws, rows, bias, y);
    default:
        return run_simd(L, kTilesAvx2, 4, a.data(), sx.data(), n, groups, wq, ws, rows, bias, y);
    }
}

} // namespace fabula::kernels::int8_detail
