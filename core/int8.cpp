// GCC 12 flags the AVX-512 intrinsics' own _mm512_undefined_*() as maybe
// uninitialized once inlined (GCC bug 105593, fixed in 13); the location it
// names is inside the system header, so the switch has to come first.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "core/int8.h"

#include "core/gemv.h"
#include "core/int8_gemm.h"

#include <ATen/Parallel.h>
#include <c10/util/Half.h>

#include <cpuid.h>
#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace fabula::kernels {

namespace {

constexpr int64_t G = kInt8Group;

// The scale of a group whose largest magnitude is amax, and the factor its
// values are multiplied by before rounding. Activations keep the fp32
// scale; weights store theirs in fp16 (llama.cpp's q8_0: 34 bytes per 32
// weights), so their bytes are rounded against that stored scale. A scale
// below fp16's least (max |w| under 4e-6) is 0: the group stays zeros.
struct GroupScale {
    float scale, inv;
};
inline GroupScale group_scale(float amax, bool fp16_scale) {
    if (!fp16_scale) return {amax / 127.0f, amax == 0 ? 0.0f : 127.0f / amax};
    const float s = float(c10::Half(amax / 127.0f));
    return {s, s == 0 ? 0.0f : 1.0f / s};
}

// Symmetric round-to-nearest of one group of 32 values (the padding is
// already zero); returns the scale. Weights and activations share it, so the
// integer products mean the same on every kernel. No FMA contraction (GCC's
// default under -march flags): quantize_group_avx2 rounds the same product.
__attribute__((optimize("fp-contract=off"))) float quantize_group(const float* v, int64_t n, int8_t* q,
                                                                 bool fp16_scale = false) {
    float amax = 0;
    for (int64_t i = 0; i < n; ++i) amax = std::max(amax, std::fabs(v[i]));
    const auto [scale, inv] = group_scale(amax, fp16_scale);
    if (scale == 0) {
        std::memset(q, 0, G);
        return 0;
    }
    // Round to nearest even by adding and removing 1.5 * 2^23 (exact for
    // |v| < 2^22): std::nearbyint is a libm call per element here, which
    // cost more than the whole product for a decoded token's x.
    constexpr float magic = 12582912.0f;
    for (int64_t i = 0; i < n; ++i) {
        const float r = (v[i] * inv + magic) - magic;
        q[i] = int8_t(std::clamp(r, -127.0f, 127.0f));
    }
    for (int64_t i = n; i < G; ++i) q[i] = 0;
    return scale;
}

inline float half_to_float(uint16_t h) { return float(c10::Half(h, c10::Half::from_bits())); }

// The activation vector as the kernels want it: quantized per group, its
// magnitudes as unsigned bytes and its sign bits (u8 x s8 instructions), and
// padded with zero groups to a multiple of 16 so the wide kernels never need
// a mask on the x side.
struct QuantizedX {
    std::vector<int8_t> q;
    std::vector<uint8_t> mag;
    std::vector<uint64_t> neg; // bit i of word k: q[64 k + i] < 0
    std::vector<float> scale;
    int64_t groups = 0;
};

// The magnitudes and sign bits the x86 kernels read, from the quantized
// bytes: a per-byte loop here cost as much as a small product.
void signs_portable(QuantizedX& x) {
    for (size_t i = 0; i < x.q.size(); ++i) {
        const int8_t v = x.q[i];
        x.mag[i] = uint8_t(v < 0 ? -v : v);
        if (v < 0) x.neg[i / 64] |= uint64_t(1) << (i % 64);
    }
}

__attribute__((target("avx512f,avx512bw"))) void signs_avx512(QuantizedX& x) {
    for (size_t i = 0; i < x.q.size(); i += 64) {
        const __m512i v = _mm512_loadu_si512(x.q.data() + i);
        _mm512_storeu_si512(x.mag.data() + i, _mm512_abs_epi8(v));
        x.neg[i / 64] = _mm512_movepi8_mask(v);
    }
}

// quantize_group for a whole group, vectorized: the same maximum, the same
// fp32 product and the same round-to-nearest-even, so the same bytes.
__attribute__((target("avx2,fma"))) float quantize_group_avx2(const float* v, int8_t* q, bool fp16_scale = false) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 f[4], m = _mm256_setzero_ps();
    for (int k = 0; k < 4; ++k) {
        f[k] = _mm256_loadu_ps(v + 8 * k);
        m = _mm256_max_ps(m, _mm256_andnot_ps(sign, f[k]));
    }
    __m128 h = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
    h = _mm_max_ps(h, _mm_movehl_ps(h, h));
    h = _mm_max_ss(h, _mm_shuffle_ps(h, h, 1));
    const auto [scale, factor] = group_scale(_mm_cvtss_f32(h), fp16_scale);
    if (scale == 0) {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(q), _mm256_setzero_si256());
        return 0;
    }
    const __m256 inv = _mm256_set1_ps(factor), lo = _mm256_set1_ps(-127.0f), hi = _mm256_set1_ps(127.0f);
    __m256i i32[4];
    for (int k = 0; k < 4; ++k) {
        __m256 r = _mm256_round_ps(_mm256_mul_ps(f[k], inv), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        i32[k] = _mm256_cvtps_epi32(_mm256_min_ps(_mm256_max_ps(r, lo), hi));
    }
    // packs work within 128-bit lanes: the permute puts the bytes back in order.
    const __m256i p16a = _mm256_packs_epi32(i32[0], i32[1]), p16b = _mm256_packs_epi32(i32[2], i32[3]);
    const __m256i p8 = _mm256_packs_epi16(p16a, p16b);
    const __m256i ordered = _mm256_permutevar8x32_epi32(p8, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(q), ordered);
    return scale;
}

void quantize_x(const float* x, int64_t cols, int64_t groups, QuantizedX& out) {
    const int64_t padded = (groups + 15) / 16 * 16; // whole 512-byte blocks
    out.groups = groups;
    out.q.assign(size_t(padded * G), 0);
    out.mag.resize(size_t(padded * G));
    out.neg.assign(size_t(padded * G / 64), 0);
    out.scale.assign(size_t(padded), 0.0f);
    static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    for (int64_t g = 0; g < groups; ++g) {
        const int64_t n = std::min(G, cols - g * G);
        out.scale[size_t(g)] = avx2 && n == G ? quantize_group_avx2(x + g * G, out.q.data() + g * G)
                                              : quantize_group(x + g * G, n, out.q.data() + g * G);
    }
    static const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
    if (avx512)
        signs_avx512(out);
    else
        signs_portable(out);
}

// A kernel computes y[r] for r in [r0, r1): per group an exact int32 dot of
// the row's bytes with x's, then y = sum_g dot_g * (sw[r, g] * sx[g]).
using Kernel = void (*)(const int8_t* q, const uint16_t* sw, int64_t groups, const QuantizedX& x, float* y, int64_t r0,
                        int64_t r1);

void kernel_portable(const int8_t* q, const uint16_t* sw, int64_t groups, const QuantizedX& x, float* y, int64_t r0,
                     int64_t r1) {
    const int8_t* xq = x.q.data();
    const float* sx = x.scale.data();
    for (int64_t r = r0; r < r1; ++r) {
        const int8_t* wr = q + r * groups * G;
        const uint16_t* sr = sw + r * groups;
        float acc = 0;
        for (int64_t g = 0; g < groups; ++g) {
            int32_t d = 0;
            for (int64_t i = 0; i < G; ++i) d += int32_t(wr[g * G + i]) * int32_t(xq[g * G + i]);
            acc += float(d) * (half_to_float(sr[g]) * sx[g]);
        }
        y[r] = acc;
    }
}

// The x86 kernels take 8 (AVX2) or 16 (AVX-512) groups at a time: one
// vector of per-lane partial sums per group (or pair of groups), then a
// shuffle tree reduces them to one exact int32 per group, converted once and
// scaled by sw * sx. A group's dot is at most 32 * 127 * 127 < 2^24, so the
// conversion is exact and only the float sum over groups can round
// differently from the portable kernel.

#define FABULA_INT8_KERNEL_256(NAME, TARGET, PRODUCT)                                                              \
    __attribute__((target(TARGET))) void NAME(const int8_t* q, const uint16_t* sw, int64_t groups, const QuantizedX& x, \
                                              float* y, int64_t r0, int64_t r1) {                                   \
        const int8_t* xq = x.q.data();                                                                            \
        const uint8_t* xm = x.mag.data();                                                                         \
        const float* sx = x.scale.data();                                                                         \
        [[maybe_unused]] const __m256i ones = _mm256_set1_epi16(1);                                               \
        const int64_t full = groups / 8 * 8;                                                                      \
        for (int64_t r = r0; r < r1; ++r) {                                                                       \
            const int8_t* wr = q + r * groups * G;                                                                \
            const uint16_t* sr = sw + r * groups;                                                                 \
            __m256 acc = _mm256_setzero_ps();                                                                     \
            for (int64_t g = 0; g < groups; g += 8) {                                                             \
                const int64_t n = std::min<int64_t>(8, groups - g);                                               \
                __m256i v[8];                                                                                     \
                for (int k = 0; k < 8; ++k) {                                                                     \
                    if (k >= n) {                                                                                 \
                        v[k] = _mm256_setzero_si256();                                                            \
                        continue;                                                                                 \
                    }                                                                                             \
                    const __m256i w = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wr + (g + k) * G));     \
                    const __m256i xs = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xq + (g + k) * G));    \
                    const __m256i xa = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xm + (g + k) * G));    \
                    const __m256i ws = _mm256_sign_epi8(w, xs);                                                   \
                    v[k] = PRODUCT;                                                                               \
                }                                                                                                 \
                const __m256i h0 = _mm256_hadd_epi32(v[0], v[1]), h1 = _mm256_hadd_epi32(v[2], v[3]);             \
                const __m256i h2 = _mm256_hadd_epi32(v[4], v[5]), h3 = _mm256_hadd_epi32(v[6], v[7]);             \
                const __m256i y0 = _mm256_hadd_epi32(h0, h1), y1 = _mm256_hadd_epi32(h2, h3);                     \
                const __m256i t = _mm256_add_epi32(_mm256_permute2x128_si256(y0, y1, 0x20),                       \
                                                   _mm256_permute2x128_si256(y0, y1, 0x31));                      \
                __m256 s;                                                                                         \
                if (g < full) {                                                                                   \
                    s = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(sr + g)));               \
                } else {                                                                                          \
                    alignas(16) uint16_t tail[8] = {};                                                            \
                    for (int64_t k = 0; k < n; ++k) tail[k] = sr[g + k];                                          \
                    s = _mm256_cvtph_ps(_mm_load_si128(reinterpret_cast<const __m128i*>(tail)));                  \
                }                                                                                                 \
                s = _mm256_mul_ps(s, _mm256_loadu_ps(sx + g));                                                    \
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(t), s, acc);                                             \
            }                                                                                                     \
            __m128 h = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));                    \
            h = _mm_hadd_ps(h, h);                                                                                \
            h = _mm_hadd_ps(h, h);                                                                                \
            y[r] = _mm_cvtss_f32(h);                                                                              \
        }                                                                                                         \
    }

// |x| times w with x's sign: u8 x s8 pairs fit int16 (2 * 127 * 127), then
// pairs of those summed to int32.
FABULA_INT8_KERNEL_256(kernel_avx2, "avx2,fma,f16c", _mm256_madd_epi16(_mm256_maddubs_epi16(xa, ws), ones))
FABULA_INT8_KERNEL_256(kernel_avxvnni, "avx2,fma,f16c,avxvnni", _mm256_dpbusd_avx_epi32(_mm256_setzero_si256(), xa, ws))
// AVX512_VNNI's EVEX form of the same 256-bit dot, for Zen 4 (no AVX-VNNI).
FABULA_INT8_KERNEL_256(kernel_avx512vnni_ymm, "avx2,fma,f16c,avx512f,avx512vl,avx512vnni",
                       _mm256_dpbusd_epi32(_mm256_setzero_si256(), xa, ws))
#undef FABULA_INT8_KERNEL_256

// AVX-512 has no byte sign instruction; x's sign bits are a mask instead,
// negating w where x < 0 before the u8 x s8 dot (w is never -128).
// PF > 0 prefetches the row's bytes PF ahead (Intel: see registry()).
template <int PF>
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) void kernel_avx512vnni(const int8_t* q, const uint16_t* sw,
                                                                              int64_t groups, const QuantizedX& x,
                                                                              float* y, int64_t r0, int64_t r1) {
    const uint8_t* xm = x.mag.data();
    const uint64_t* xn = x.neg.data();
    const float* sx = x.scale.data();
    const __m512i zero = _mm512_setzero_si512();
    const __m512i order = _mm512_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15);
    const int64_t full = groups / 16 * 16;
    for (int64_t r = r0; r < r1; ++r) {
        const int8_t* wr = q + r * groups * G;
        const uint16_t* sr = sw + r * groups;
        __m512 acc = _mm512_setzero_ps();
        for (int64_t g = 0; g < groups; g += 16) {
            const bool whole = g < full;
            const int64_t bytes = (std::min<int64_t>(16, groups - g)) * G;
            if constexpr (PF > 0)
                for (int k = 0; k < 8; ++k) _mm_prefetch(reinterpret_cast<const char*>(wr + g * G) + PF + 64 * k, _MM_HINT_T0);
            __m512i v[8];
            for (int k = 0; k < 8; ++k) {
                const int64_t left = bytes - 64 * k;
                const __mmask64 m = whole || left >= 64 ? ~__mmask64(0) : left > 0 ? (__mmask64(1) << left) - 1 : 0;
                const __m512i w = _mm512_maskz_loadu_epi8(m, wr + g * G + 64 * k);
                const __m512i xa = _mm512_loadu_si512(xm + g * G + 64 * k);
                const __m512i ws = _mm512_mask_sub_epi8(w, __mmask64(xn[(g * G) / 64 + k]), zero, w);
                v[k] = _mm512_dpbusd_epi32(zero, xa, ws);
            }
            __m512i u[4];
            for (int k = 0; k < 4; ++k)
                u[k] = _mm512_add_epi32(_mm512_unpacklo_epi32(v[2 * k], v[2 * k + 1]),
                                        _mm512_unpackhi_epi32(v[2 * k], v[2 * k + 1]));
            const __m512i z0 = _mm512_add_epi32(_mm512_unpacklo_epi64(u[0], u[1]), _mm512_unpackhi_epi64(u[0], u[1]));
            const __m512i z1 = _mm512_add_epi32(_mm512_unpacklo_epi64(u[2], u[3]), _mm512_unpackhi_epi64(u[2], u[3]));
            const __m512i t = _mm512_add_epi32(_mm512_shuffle_i32x4(z0, z1, _MM_SHUFFLE(2, 0, 2, 0)),
                                               _mm512_shuffle_i32x4(z0, z1, _MM_SHUFFLE(3, 1, 3, 1)));
            const __m512i d = _mm512_permutexvar_epi32(order, t);
            const __mmask16 sm = whole ? __mmask16(0xffff) : __mmask16((1u << (groups - g)) - 1);
            const __m512 s = _mm512_mul_ps(_mm512_cvtph_ps(_mm256_maskz_loadu_epi16(sm, sr + g)), _mm512_loadu_ps(sx + g));
            acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(d), s, acc);
        }
        y[r] = _mm512_reduce_add_ps(acc);
    }
}

bool has_avx2() { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }
bool has_avx512vnni() {
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vnni");
}
bool has_avx512vnni_vl() { return has_avx512vnni() && __builtin_cpu_supports("avx512vl"); }
// GCC 12's __builtin_cpu_supports has no "avxvnni": CPUID leaf 7, sub-leaf
// 1, EAX bit 4 (the OS saving YMM state is implied by AVX2 being usable).
bool has_avxvnni() {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid_count(7, 1, &a, &b, &c, &d)) return false;
    return (a & (1u << 4)) != 0 && has_avx2();
}

struct KernelInfo {
    const char* name;
    Kernel fn;
    bool (*runnable)();
    int8_detail::GemmIsa gemm; // the prompt path's kernel on the same instructions
};

bool always() { return true; }

// The int8 rows' prefetch distance on Intel, as the gemv kernels' (core/gemv.cpp).
constexpr int PF_INTEL = 4096;

// Best first. On Zen 4 (AMD's family 25), which splits 512-bit work in two,
// the 256-bit VNNI kernel leads: a 124M token's products took 3.8-4.5 ms
// against 4.3-4.6 for avx512vnni and 3.8-4.3 for avx2 (kernels_bench,
// 2 threads, all near the read bandwidth), and its prompt GEMM is the VNNI
// one, twice avx2's there (300 against 150 GMAC/s). Elsewhere the
// full-width kernel leads.
const std::vector<KernelInfo>& registry() {
    static const std::vector<KernelInfo> k = [] {
        const KernelInfo zmm{"avx512vnni", cpu_is_intel() ? kernel_avx512vnni<PF_INTEL> : kernel_avx512vnni<0>,
                             has_avx512vnni, int8_detail::GemmIsa::avx512vnni};
        const KernelInfo ymm{"avx512vnni256", kernel_avx512vnni_ymm, has_avx512vnni_vl, int8_detail::GemmIsa::avx512vnni};
        const KernelInfo vex{"avxvnni", kernel_avxvnni, has_avxvnni, int8_detail::GemmIsa::avxvnni};
        const KernelInfo avx2{"avx2", kernel_avx2, has_avx2, int8_detail::GemmIsa::avx2};
        const KernelInfo portable{"portable", kernel_portable, always, int8_detail::GemmIsa::portable};
        if (cpu_is_amd_family_25()) return std::vector<KernelInfo>{ymm, zmm, vex, avx2, portable};
        return std::vector<KernelInfo>{zmm, ymm, vex, avx2, portable};
    }();
    return k;
}

const KernelInfo* best_kernel() {
    __builtin_cpu_init();
    for (const auto& k : registry())
        if (k.runnable()) return &k;
    return &registry().back();
}

std::atomic<const KernelInfo*>& current() {
    static std::atomic<const KernelInfo*> c{best_kernel()};
    return c;
}

} // namespace

float int8_detail::quantize_group(const float* v, int64_t n, int8_t* q) {
    static const bool avx2 = has_avx2();
    return avx2 && n == G ? quantize_group_avx2(v, q) : kernels::quantize_group(v, n, q);
}

namespace {

// A weight group, its scale in fp16 as stored (see group_scale).
uint16_t quantize_weight_group(const float* v, int64_t n, int8_t* q) {
    static const bool avx2 = has_avx2();
    const float scale = avx2 && n == G ? quantize_group_avx2(v, q, true) : quantize_group(v, n, q, true);
    return c10::Half(scale).x; // exact: the scale already is an fp16 value
}

} // namespace

int64_t Int8Matrix::bytes() const {
    return (q.defined() ? q.numel() : 0) + (scales.defined() ? scales.numel() * 2 : 0);
}

Int8Matrix quantize_int8(const at::Tensor& w) {
    if (w.dim() != 2 || !w.is_floating_point())
        throw std::invalid_argument("quantize_int8: expects a 2-D floating-point matrix");
    const at::Tensor wf = w.to(at::kCPU, at::kFloat).contiguous();
    const int64_t rows = wf.size(0), cols = wf.size(1);
    const int64_t groups = (cols + G - 1) / G;
    Int8Matrix m;
    m.rows = rows;
    m.cols = cols;
    m.q = at::empty({rows, groups * G}, at::TensorOptions().dtype(at::kChar));
    m.scales = at::empty({rows, groups}, at::TensorOptions().dtype(at::kHalf));
    const float* src = wf.data_ptr<float>();
    int8_t* q = m.q.data_ptr<int8_t>();
    auto* s = reinterpret_cast<uint16_t*>(m.scales.data_ptr<at::Half>());
    at::parallel_for(0, rows, 16, [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r)
            for (int64_t g = 0; g < groups; ++g)
                s[r * groups + g] =
                    quantize_weight_group(src + r * cols + g * G, std::min(G, cols - g * G), q + (r * groups + g) * G);
    });
    return m;
}

at::Tensor dequantize_int8(const Int8Matrix& m) {
    const int64_t groups = m.scales.size(1);
    at::Tensor out = at::empty({m.rows, m.cols}, at::TensorOptions().dtype(at::kFloat));
    const int8_t* q = m.q.data_ptr<int8_t>();
    const auto* s = reinterpret_cast<const uint16_t*>(m.scales.data_ptr<at::Half>());
    float* o = out.data_ptr<float>();
    const int64_t cols = m.cols;
    at::parallel_for(0, m.rows, 16, [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r)
            for (int64_t c = 0; c < cols; ++c) o[r * cols + c] = float(q[r * groups * G + c]) * half_to_float(s[r * groups + c / G]);
    });
    return out;
}

at::Tensor gemv_int8(const Int8Matrix& w, const at::Tensor& x, const at::Tensor& b) {
    if (x.numel() != w.cols) throw std::invalid_argument("gemv_int8: x has the wrong length");
    const at::Tensor xf = x.to(at::kCPU, at::kFloat).contiguous();
    const int64_t groups = w.scales.size(1);
    thread_local QuantizedX qx;
    quantize_x(xf.data_ptr<float>(), w.cols, groups, qx);
    at::Tensor y = at::empty({w.rows}, at::TensorOptions().dtype(at::kFloat));
    const int8_t* q = w.q.data_ptr<int8_t>();
    const auto* s = reinterpret_cast<const uint16_t*>(w.scales.data_ptr<at::Half>());
    float* yp = y.data_ptr<float>();
    const Kernel fn = current().load()->fn;
    const QuantizedX& xr = qx;
    kernels::parallel_rows(w.rows, groups * (G + 2), [&](int64_t r0, int64_t r1) { fn(q, s, groups, xr, yp, r0, r1); });
    if (b.defined()) y.add_(b.to(at::kFloat));
    return y;
}

at::Tensor linear_int8(const Int8Matrix& w, const at::Tensor& x, const at::Tensor& b) {
    if (x.size(-1) != w.cols) throw std::invalid_argument("linear_int8: x has the wrong width");
    const at::Tensor xf = x.to(at::kCPU, at::kFloat).reshape({-1, w.cols}).contiguous();
    const at::Tensor bf = b.defined() ? b.to(at::kCPU, at::kFloat).contiguous() : b;
    const int64_t n = xf.size(0);
    at::Tensor y = at::empty({n, w.rows}, xf.options());
    // Each row quantized as gemv_int8 quantizes x, and integer products:
    // a prompt's rows get what decoding them one at a time would. The
    // panels take fp32 scales (the widening is exact; 1/32 of the weights).
    const at::Tensor ws = w.scales.to(at::kFloat).contiguous();
    int8_detail::gemm(current().load()->gemm, xf.data_ptr<float>(), n, w.cols, w.q.data_ptr<int8_t>(),
                      ws.data_ptr<float>(), w.rows, w.scales.size(1), bf.defined() ? bf.data_ptr<float>() : nullptr,
                      y.data_ptr<float>());
    std::vector<int64_t> shape(x.sizes().begin(), x.sizes().end());
    shape.back() = w.rows;
    return y.view(shape);
}

std::vector<std::string> int8_kernels_available() {
    std::vector<std::string> out;
    for (const auto& k : registry())
        if (k.runnable()) out.emplace_back(k.name);
    return out;
}

const char* int8_kernel() { return current().load()->name; }

void use_int8_kernel(const std::string& name) {
    for (const auto& k : registry())
        if (name == k.name) {
            if (!k.runnable()) throw std::invalid_argument("int8 kernel '" + name + "' cannot run on this CPU");
            current().store(&k);
            return;
        }
    throw std::invalid_argument("unknown int8 kernel '" + name + "'");
}

} // namespace fabula::kernels
