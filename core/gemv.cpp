// GCC 12 flags the AVX-512 intrinsics' own _mm512_undefined_*() as maybe
// uninitialized once inlined (GCC bug 105593, fixed in 13); the location it
// names is inside the system header, so the switch has to come first.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "core/gemv.h"

#include <ATen/Parallel.h>
#include <c10/util/Half.h>

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <cstring>
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

template <class L> void gemv_portable(const void* wv, const float* x, float* y, int64_t cols, int64_t r0, int64_t r1) {
    const auto* w = static_cast<const typename L::T*>(wv);
    for (int64_t r = r0; r < r1; ++r) {
        float s = 0;
        for (int64_t c = 0; c < cols; ++c) s += L::one(w + r * cols + c) * x[c];
        y[r] = s;
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
__attribute__((target("avx2,fma,f16c"))) void gemv_avx2(const void* wv, const float* x, float* y, int64_t cols,
                                                       int64_t r0, int64_t r1) {
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
        y[r] = s;
    }
}

// One row at a time, as the AVX2 kernel, with two accumulators; the row's
// tail is a masked load, so every column goes through the same vector path.
// (Four rows at once, sharing each x load, measured slower for bf16 on
// Zen 4; a software prefetch slowed every shape.)
template <class L>
__attribute__((target("avx512f,avx512bw,avx512vl"))) void gemv_avx512(const void* wv, const float* x, float* y,
                                                                     int64_t cols, int64_t r0, int64_t r1) {
    const auto* w = static_cast<const typename L::T*>(wv);
    const int64_t cv = cols & ~int64_t(31);
    for (int64_t r = r0; r < r1; ++r) {
        const auto* wr = w + r * cols;
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
        for (int64_t c = 0; c < cv; c += 32) {
            a0 = _mm512_fmadd_ps(L::v16(wr + c, 0xffff), _mm512_loadu_ps(x + c), a0);
            a1 = _mm512_fmadd_ps(L::v16(wr + c + 16, 0xffff), _mm512_loadu_ps(x + c + 16), a1);
        }
        for (int64_t c = cv; c < cols; c += 16) {
            const __mmask16 m = __mmask16((1u << std::min<int64_t>(16, cols - c)) - 1);
            a0 = _mm512_fmadd_ps(L::v16(wr + c, m), _mm512_maskz_loadu_ps(m, x + c), a0);
        }
        y[r] = _mm512_reduce_add_ps(_mm512_add_ps(a0, a1));
    }
}

using Kernel = void (*)(const void*, const float*, float*, int64_t, int64_t, int64_t);

struct GemvKernel {
    const char* name;
    Kernel f32, bf16, f16;
    bool (*runnable)();
};

bool has_avx512() { return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl"); }
bool has_avx2() { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c"); }
bool always() { return true; }

// AVX2 first: on Zen 4 (the AVX-512 machine measured) its 256-bit loads
// stream the weights as fast as 512-bit ones, and a whole GPT-2 124M token
// came out about 10 % quicker with it (bench/native/kernels_bench.cpp); the
// AVX-512 kernel stays for its masked tails and for CPUs where it wins.
const std::vector<GemvKernel>& registry() {
    static const std::vector<GemvKernel> k = {
        {"avx2", gemv_avx2<F32>, gemv_avx2<BF16>, gemv_avx2<F16>, has_avx2},
        {"avx512", gemv_avx512<F32>, gemv_avx512<BF16>, gemv_avx512<F16>, has_avx512},
        {"portable", gemv_portable<F32>, gemv_portable<BF16>, gemv_portable<F16>, always},
    };
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

} // namespace

const char* bf16_gemv_isa() { return current().load()->name; }
const char* gemv_kernel() { return current().load()->name; }

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

at::Tensor gemv(const at::Tensor& w, const at::Tensor& x, const at::Tensor& b) {
    const int64_t rows = w.size(0), cols = w.size(1);
    const GemvKernel& k = *current().load();
    const auto type = w.scalar_type();
    const Kernel fn = type == at::kFloat ? k.f32 : type == at::kBFloat16 ? k.bf16 : type == at::kHalf ? k.f16 : nullptr;
    if (!w.device().is_cpu() || !w.is_contiguous() || !fn) {
        at::Tensor xw = x.scalar_type() == w.scalar_type() ? x : x.to(w.scalar_type());
        at::Tensor y = b.defined() ? at::addmv(b.to(w.scalar_type()), w, xw) : at::mv(w, xw);
        return y.scalar_type() == at::kFloat ? y : y.to(at::kFloat);
    }
    at::Tensor y = at::empty({rows}, x.options());
    const float* xp = x.data_ptr<float>();
    float* yp = y.data_ptr<float>();
    const void* wp = w.data_ptr();
    // Grain of 64 rows: the smallest matrices (768 rows) still use both cores.
    at::parallel_for(0, rows, 64, [&](int64_t r0, int64_t r1) { fn(wp, xp, yp, cols, r0, r1); });
    if (b.defined()) y.add_(b);
    return y;
}

} // namespace fabula::kernels
