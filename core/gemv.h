#pragma once
// Decoding's kernels: y = W x + b for a single row, most of the cost of a
// token, and the new token's attention over the KV cache. Internal to the
// engine (includes ATen).
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace fabula::kernels {

// w: [out, in] (fp32, bf16 or fp16), x: [in] fp32 or the weights' type, b:
// [out] fp32 or undefined. Returns y: [out] fp32. Products are exact and sums
// fp32 whatever x's type, so passing x as stored (a bf16 model's bf16
// activations) loses nothing and lets bf16 weights use a bf16 dot product.
at::Tensor gemv(const at::Tensor& w, const at::Tensor& x, const at::Tensor& b);

// One new token's attention over the cache, without a library call per
// step: appends k, v (B, H_kv, 1, D) at position `pos` of k_cache and
// v_cache (B, H_kv, T_max, D, contiguous), then attends q (B, H, 1, D; H a
// multiple of H_kv, grouped-query) to the positions [pos + 1 − window, pos]
// (window <= 0: [0, pos]) with scores scaled by `scale`. Softmax and sums in
// fp32 whatever the types: q, k, v and the result share one (fp32, bf16 or
// fp16), the two caches one, which may differ (fp32 activations over a
// 16-bit cache: k and v are rounded to it as they are appended); the heads
// are spread over the threads. Returns (B, 1, H·D) in q's type, or an
// undefined tensor, having touched nothing, for tensors in another layout.
at::Tensor decode_attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const at::Tensor& k_cache,
                            const at::Tensor& v_cache, int64_t pos, int64_t window, double scale);

// The vector width of the kernel set in use for the elementwise and
// attention kernels outside gemv (GELU, prompt_attention): 512 for the
// AVX-512 sets, 256 for "avx2", 0 for "portable". Forcing a set with
// use_gemv_kernel forces these too, so the tests run each width.
int vector_bits();

// A prompt's causal attention: q (B, H, T, D) at positions past .. past +
// T − 1 against k, v (B, KV, past + T, D; H a multiple of KV), each query
// seeing the keys at or before its position (and within `window` of it when
// window > 0), scores scaled by `scale`; q fp32, k and v fp32 or fp16 (a
// 16-bit cache, read as it is), softmax and sums in fp32.
// Returns (B, T, H·D), or an undefined tensor for what it does not take
// (another type or layout, D not a multiple of 32 on AVX-512 or 16 on AVX2,
// the portable kernel set: the library's attention then).
at::Tensor prompt_attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, int64_t past,
                            int64_t window, double scale);

// GPT-2's GELU (tanh approximation) of fp32 x for inference, within a few
// ulps of the exact function; on the kernel set in use (gemv_kernel():
// AVX-512, AVX2 or portable), so the tests run each.
at::Tensor gelu_tanh(const at::Tensor& x);

// rows [0, rows) handed to the threads in chunks that shrink as the rows
// run out (each a fraction of what is left, down to about 64 KiB of weights
// of row_bytes each, in whole multiples of 16 rows): long runs keep each
// thread's stream sequential for the prefetchers, and a thread that gets
// less of the memory bandwidth takes fewer of the last, small chunks, so the
// other waits at the end for a small one at most. (Eight equal chunks per
// thread left the first thread waiting ~3 % of a token: the lm_head's were
// 9 MiB each; equal 64 KiB chunks were 5-10 % slower, the streams broken.)
// f(r0, r1) runs on every thread at once; chunks are contiguous and start at
// multiples of 16.
template <class F>
void parallel_rows(int64_t rows, int64_t row_bytes, const F& f) {
    const int64_t threads = at::get_num_threads();
    constexpr int64_t kChunkBytes = 64 << 10, kRows = 16;
    if (threads <= 1 || rows <= kRows) {
        f(0, rows);
        return;
    }
    const int64_t least = std::max<int64_t>(1, kChunkBytes / (std::max<int64_t>(1, row_bytes) * kRows)) * kRows;
    std::atomic<int64_t> next{0};
    at::parallel_for(0, threads, 1, [&](int64_t, int64_t) {
        for (;;) {
            int64_t r0 = next.load(std::memory_order_relaxed), r1;
            do {
                if (r0 >= rows) return;
                const int64_t share = (rows - r0) / (2 * threads) / kRows * kRows;
                r1 = std::min(rows, r0 + std::max(least, share));
            } while (!next.compare_exchange_weak(r0, r1, std::memory_order_relaxed));
            f(r0, r1);
        }
    });
}

// The kernels this CPU can run for gemv, best first, always ending with
// "portable" (e.g. {"avx512bf16", "avx512", "avx2", "portable"}; one name covers the
// fp32, bf16 and fp16 weights and decode_attention), the one in use, and
// (for tests) forcing one; an unknown or unsupported name throws
// std::invalid_argument.
std::vector<std::string> gemv_kernels_available();
const char* gemv_kernel();
void use_gemv_kernel(const std::string& name);

// Whether the kernel in use has a dot product for bf16 weights times bf16 x
// (AVX512_BF16), which reads the weights without widening them.
bool gemv_has_bf16_dot();

// That dot product's vector width, 512 or 256 bits: 256 on AMD's family 25
// (Zen 4 splits 512-bit work in two; the ymm form measured faster there),
// 512 elsewhere. Tests and benchmarks force each; other widths throw
// std::invalid_argument.
int bf16_dot_bits();
void use_bf16_dot_bits(int bits);

// Whether the CPU is Intel's: the kernels' software prefetching (and four
// rows at once in the fp32 and 16-bit widening kernels) were measured
// faster there and slower on Zen 4, so they are chosen by vendor.
bool cpu_is_intel();

// Whether the CPU is AMD's family 25 (Zen 3 and Zen 4; Zen 4 runs AVX-512
// as two 256-bit halves), where several kernels have a 256-bit form that
// measured faster.
bool cpu_is_amd_family_25();

// The kernel in use (gemv_kernel(); kept for the benchmarks' output).
const char* bf16_gemv_isa();

} // namespace fabula::kernels
