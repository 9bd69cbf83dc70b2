// Decoding's matrix-vector kernels (core/gemv.cpp): every kernel this CPU
// can run, plus the portable fallback, for fp32, bf16 and fp16 weights
// against at::mv in double over the same (rounded) weights, on shapes around
// the vector widths and the threads' row split, with and without a bias.
// Then decoding's attention over a KV cache against softmax(q Kᵀ) V written
// out in double, for every head size around the vector widths, grouped
// queries, windows and the three cache types; a prompt's attention
// (core/prompt_attention.cpp) and GELU (core/gelu.cpp) the same way.
#include "check.h"
#include "core/gemv.h"

#include <ATen/Parallel.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

using namespace fabula::kernels;

namespace {

const std::vector<std::string> kAllKernels = {"avx512bf16", "avx512", "avx2", "portable"};

bool runnable(const std::string& name) {
    for (const auto& k : gemv_kernels_available())
        if (k == name) return true;
    return false;
}

template <class F> void for_each_kernel(F fn) {
    const std::string before = gemv_kernel();
    for (const auto& name : kAllKernels) {
        if (!runnable(name)) {
            static std::set<std::string> said;
            if (said.insert(name).second) std::printf("SKIP gemv kernel %s: this CPU cannot run it\n", name.c_str());
            continue;
        }
        use_gemv_kernel(name);
        CHECK_EQ(std::string(gemv_kernel()), name);
        if (name != "avx512bf16") {
            fn(name);
            continue;
        }
        // Its dot product comes in two widths (one chosen by vendor): both.
        const int bits_before = bf16_dot_bits();
        for (int bits : {512, 256}) {
            use_bf16_dot_bits(bits);
            fn(name + "/" + std::to_string(bits));
        }
        use_bf16_dot_bits(bits_before);
    }
    use_gemv_kernel(before);
}

const std::vector<std::pair<int64_t, int64_t>> kShapes = {
    {1, 1}, {1, 7}, {3, 15}, {5, 16}, {7, 17}, {17, 31}, {4, 32}, {9, 33}, {67, 100}, {130, 768}, {65, 3072}, {33, 1001},
};

} // namespace

TEST_CASE(registry_lists_portable_last_and_refuses_unknown_names) {
    const auto names = gemv_kernels_available();
    CHECK(!names.empty());
    CHECK_EQ(names.back(), std::string("portable"));
    CHECK_EQ(std::string(gemv_kernel()), names.front());
    CHECK_EQ(std::string(bf16_gemv_isa()), names.front());
    CHECK_THROWS_WITH(std::invalid_argument, use_gemv_kernel("sse9"), "unknown gemv kernel 'sse9'");
    CHECK_THROWS_WITH(std::invalid_argument, use_bf16_dot_bits(128), "must be 256 or 512 bits");
    for (const auto& name : kAllKernels)
        if (!runnable(name)) CHECK_THROWS_WITH(std::invalid_argument, use_gemv_kernel(name), "cannot run on this CPU");
    std::printf("gemv kernels here:");
    for (const auto& n : names) std::printf(" %s", n.c_str());
    std::printf("\n");
}

TEST_CASE(every_kernel_matches_at_mv_for_every_weight_type) {
    at::manual_seed(7);
    for (auto dtype : {at::kFloat, at::kBFloat16, at::kHalf}) {
        // x in fp32, and in the weights' type as a 16-bit model passes it
        // (bf16 x is what takes the avx512bf16 dot product).
        std::vector<at::ScalarType> xtypes{at::kFloat};
        if (dtype != at::kFloat) xtypes.push_back(dtype);
        for (auto xtype : xtypes) {
            for (auto [rows, cols] : kShapes) {
                const at::Tensor w = (at::randn({rows, cols}) * 0.1).to(dtype);
                const at::Tensor x = at::randn({cols}).to(xtype);
                const at::Tensor b = at::randn({rows});
                // The reference sees the weights and x exactly as stored.
                const at::Tensor wd = w.to(at::kDouble), xd = x.to(at::kDouble);
                const at::Tensor want = at::mv(wd, xd);
                // fp32 accumulation over cols terms: a few ulps of sum |w x|.
                const at::Tensor bound = at::mv(wd.abs(), xd.abs()) * (double(cols) * 1.2e-7) + 1e-30;
                for_each_kernel([&](const std::string& name) {
                    const at::Tensor y = gemv(w, x, {}), yb = gemv(w, x, b);
                    CHECK_EQ(y.scalar_type(), at::kFloat);
                    CHECK_EQ(y.size(0), rows);
                    const at::Tensor err = (y.to(at::kDouble) - want).abs();
                    if (!(err <= bound).all().item<bool>())
                        ::fabula_test::fail(__FILE__, __LINE__,
                                            name + " " + std::string(c10::toString(dtype)) + " weights, " +
                                                std::string(c10::toString(xtype)) + " x, " + std::to_string(rows) +
                                                "x" + std::to_string(cols) + ": off by " +
                                                std::to_string((err - bound).max().item<double>()) +
                                                " beyond the bound");
                    CHECK(at::equal(yb, y + b));
                });
            }
        }
    }
}

TEST_CASE(zero_rows_give_zero_and_threads_do_not_change_results) {
    at::manual_seed(8);
    at::Tensor w = at::randn({1000, 200});
    w[500].zero_();
    const at::Tensor x = at::randn({200});
    const int threads = at::get_num_threads();
    for_each_kernel([&](const std::string&) {
        at::set_num_threads(1);
        const at::Tensor one = gemv(w, x, {});
        at::set_num_threads(2);
        const at::Tensor two = gemv(w, x, {});
        CHECK(at::equal(one, two));
        CHECK_EQ(one[500].item<float>(), 0.0f);
    });
    at::set_num_threads(threads);
}

// The chunks shrink as the rows run out: every row must still be handed
// out exactly once, in chunks that start at multiples of 16, whatever the
// row count and row size (the lm_head's 50257 rows, tails of a few rows).
TEST_CASE(parallel_rows_hands_out_every_row_once) {
    const int threads = at::get_num_threads();
    at::set_num_threads(2);
    for (int64_t rows : {1, 16, 17, 100, 768, 1001, 50257})
        for (int64_t row_bytes : {4, 768, 3072, 12288, 1 << 20}) {
            std::vector<std::atomic<int>> hits(static_cast<size_t>(rows));
            std::atomic<bool> aligned{true};
            parallel_rows(rows, row_bytes, [&](int64_t r0, int64_t r1) {
                if (r0 % 16 != 0 || r1 <= r0 || r1 > rows) aligned = false;
                for (int64_t r = r0; r < r1; ++r) hits[size_t(r)].fetch_add(1);
            });
            CHECK(aligned.load());
            int64_t wrong = 0;
            for (auto& h : hits) wrong += h.load() != 1;
            if (wrong)
                ::fabula_test::fail(__FILE__, __LINE__,
                                    std::to_string(wrong) + " of " + std::to_string(rows) +
                                        " rows not handed out once (" + std::to_string(row_bytes) + " bytes a row)");
        }
    at::set_num_threads(threads);
}

TEST_CASE(non_contiguous_weights_take_the_library_path) {
    const at::Tensor w = at::randn({40, 30}).t(); // [30, 40], not contiguous
    const at::Tensor x = at::randn({40});
    for_each_kernel([&](const std::string&) {
        CHECK((gemv(w, x, {}) - at::mv(w, x)).abs().max().item<double>() <= 1e-5);
    });
}

namespace {

struct AttentionCase {
    int64_t B, H, Hkv, D, pos, window;
    double scale;
};

// Every D around the 8- and 16-lane widths (and the 4-row V passes around
// short histories), grouped queries, windows shorter and longer than the
// history, and scores large enough that most weights underflow.
const std::vector<AttentionCase> kAttentionCases = {
    {1, 1, 1, 1, 0, 0, 1.0},     {1, 2, 2, 7, 2, 0, 0.4},      {1, 3, 3, 8, 3, 0, 0.35},
    {2, 4, 4, 16, 4, 0, 0.25},   {1, 4, 2, 17, 5, 0, 0.24},    {1, 2, 1, 31, 15, 0, 0.18},
    {1, 12, 12, 64, 16, 0, 0.125}, {1, 12, 12, 64, 600, 0, 0.125}, {1, 8, 2, 64, 99, 16, 0.125},
    {2, 6, 3, 80, 40, 1, 0.11},  {1, 4, 1, 128, 257, 300, 0.09}, {1, 2, 2, 256, 70, 0, 0.0625},
    {1, 4, 4, 64, 130, 0, 3.0},  {1, 3, 1, 33, 19, 7, 1.0},
};

// The cache after appending, and softmax(scale q Kᵀ) V over the visible
// positions, both in double from the values exactly as stored.
at::Tensor reference_attention(const at::Tensor& q, const at::Tensor& kc, const at::Tensor& vc, int64_t pos,
                               int64_t window, double scale) {
    const int64_t H = q.size(1), Hkv = kc.size(1), lo = window > 0 ? std::max<int64_t>(0, pos + 1 - window) : 0;
    at::Tensor k = kc.narrow(2, lo, pos + 1 - lo).to(at::kDouble), v = vc.narrow(2, lo, pos + 1 - lo).to(at::kDouble);
    k = k.repeat_interleave(H / Hkv, 1);
    v = v.repeat_interleave(H / Hkv, 1);
    const at::Tensor scores = at::matmul(q.to(at::kDouble), k.transpose(2, 3)) * scale; // (B, H, 1, n)
    const at::Tensor w = at::softmax(scores, -1);
    return at::matmul(w, v).transpose(1, 2).reshape({q.size(0), 1, H * q.size(3)});
}

// Every kernel on every case, q, k, v in `type` and the caches in `ctype`,
// against the double reference over the cache as the append must leave it
// (k, v rounded to ctype), within want · rel + 1e-5.
void check_decode_attention(at::ScalarType type, at::ScalarType ctype, double rel) {
    for (const AttentionCase& c : kAttentionCases) {
        const int64_t Tmax = c.pos + 3;
        const at::Tensor kc0 = at::randn({c.B, c.Hkv, Tmax, c.D}).to(ctype);
        const at::Tensor vc0 = at::randn({c.B, c.Hkv, Tmax, c.D}).to(ctype);
        // q, k, v as the families make them: (B, 1, H, D) views transposed to (B, H, 1, D).
        const at::Tensor q = at::randn({c.B, 1, c.H, c.D}).to(type).transpose(1, 2);
        const at::Tensor k = at::randn({c.B, 1, c.Hkv, c.D}).to(type).transpose(1, 2);
        const at::Tensor v = at::randn({c.B, 1, c.Hkv, c.D}).to(type).transpose(1, 2);
        at::Tensor kwant = kc0.clone(), vwant = vc0.clone();
        kwant.narrow(2, c.pos, 1).copy_(k);
        vwant.narrow(2, c.pos, 1).copy_(v);
        const at::Tensor want = reference_attention(q, kwant, vwant, c.pos, c.window, c.scale);
        const std::string what = std::string(c10::toString(type)) + " over a " + c10::toString(ctype) + " cache B" +
                                 std::to_string(c.B) + " H" + std::to_string(c.H) + "/" + std::to_string(c.Hkv) +
                                 " D" + std::to_string(c.D) + " pos " + std::to_string(c.pos) + " window " +
                                 std::to_string(c.window);
        for_each_kernel([&](const std::string& name) {
            at::Tensor kc = kc0.clone(), vc = vc0.clone();
            const at::Tensor y = decode_attention(q, k, v, kc, vc, c.pos, c.window, c.scale);
            if (!y.defined()) ::fabula_test::fail(__FILE__, __LINE__, name + " " + what + ": not taken");
            CHECK_EQ(y.scalar_type(), type);
            CHECK(y.sizes() == at::IntArrayRef({c.B, 1, c.H * c.D}));
            CHECK(at::equal(kc, kwant));
            CHECK(at::equal(vc, vwant));
            const at::Tensor err = (y.to(at::kDouble) - want).abs();
            if (!(err <= want.abs() * rel + 1e-5).all().item<bool>())
                ::fabula_test::fail(__FILE__, __LINE__,
                                    name + " " + what + ": off by " + std::to_string(err.max().item<double>()));
        });
    }
}

} // namespace

TEST_CASE(decode_attention_matches_softmax_attention_for_every_kernel_and_cache_type) {
    at::manual_seed(9);
    // fp32: the sums' rounding; 16-bit: also the output's one rounding to the type.
    check_decode_attention(at::kFloat, at::kFloat, 0);
    check_decode_attention(at::kBFloat16, at::kBFloat16, 1.0 / 256);
    check_decode_attention(at::kHalf, at::kHalf, 1.0 / 2048);
}

// fp32 activations over a 16-bit cache (int8 and 16-bit weights on the
// CPU): the new k, v are rounded into the cache, and the result (fp32) is
// the exact attention over the cache as it then holds them, up to the sums.
TEST_CASE(decode_attention_over_a_16_bit_cache_with_fp32_activations) {
    at::manual_seed(11);
    check_decode_attention(at::kFloat, at::kHalf, 1e-5);
    check_decode_attention(at::kFloat, at::kBFloat16, 1e-5);
}

TEST_CASE(decode_attention_is_the_same_on_one_thread_and_two) {
    at::manual_seed(10);
    const at::Tensor kc0 = at::randn({1, 12, 700, 64}), vc0 = at::randn({1, 12, 700, 64});
    const at::Tensor q = at::randn({1, 12, 1, 64}), k = at::randn({1, 12, 1, 64}), v = at::randn({1, 12, 1, 64});
    const int threads = at::get_num_threads();
    for_each_kernel([&](const std::string&) {
        at::Tensor kc = kc0.clone(), vc = vc0.clone();
        at::set_num_threads(1);
        const at::Tensor one = decode_attention(q, k, v, kc, vc, 650, 0, 0.125);
        at::set_num_threads(2);
        const at::Tensor two = decode_attention(q, k, v, kc, vc, 650, 0, 0.125);
        CHECK(at::equal(one, two));
    });
    at::set_num_threads(threads);
}

TEST_CASE(decode_attention_leaves_other_layouts_untouched) {
    const at::Tensor kc0 = at::randn({1, 2, 8, 16}), vc0 = at::randn({1, 2, 8, 16});
    const at::Tensor q = at::randn({1, 2, 1, 16}), k = at::randn({1, 2, 1, 16}), v = at::randn({1, 2, 1, 16});
    at::Tensor kc = kc0.clone(), vc = vc0.clone();
    // A cache in another type, a non-contiguous cache, two new tokens, H not a multiple of H_kv, past the end.
    CHECK(!decode_attention(q, k, v, kc.to(at::kDouble), vc.to(at::kDouble), 3, 0, 1.0).defined());
    CHECK(!decode_attention(q, k, v, kc.transpose(2, 3), vc.transpose(2, 3), 3, 0, 1.0).defined());
    CHECK(!decode_attention(q, at::randn({1, 2, 2, 16}), at::randn({1, 2, 2, 16}), kc, vc, 3, 0, 1.0).defined());
    CHECK(!decode_attention(at::randn({1, 3, 1, 16}), k, v, kc, vc, 3, 0, 1.0).defined());
    CHECK(!decode_attention(q, k, v, kc, vc, 8, 0, 1.0).defined());
    CHECK(!decode_attention(q.to(at::kBFloat16), k, v, kc, vc, 3, 0, 1.0).defined());
    CHECK(at::equal(kc, kc0));
    CHECK(at::equal(vc, vc0));
}

FABULA_TEST_MAIN

// GPT-2's GELU (tanh form) against the formula in double, on every kernel
// set: values across the curve, the tails where it saturates to x and to −0,
// and lengths that end inside a vector; and against torch's own gelu.
TEST_CASE(gelu_tanh_matches_the_formula_in_double_for_every_kernel) {
    at::manual_seed(12);
    for (int64_t n : {int64_t(1), int64_t(7), int64_t(16), int64_t(33), int64_t(100003)}) {
        at::Tensor x = at::randn({n}) * 4;
        const float edges[] = {0.0f, -0.0f, 1e-30f, -1e-30f, 30.0f, -30.0f, 1e4f, -1e4f, 3.4e38f, -3.4e38f, -5.0f};
        for (int64_t i = 0; i < std::min<int64_t>(n, 11); ++i) x[i] = edges[i];
        const at::Tensor xd = x.to(at::kDouble);
        const at::Tensor two_u = 2 * 0.7978845608028654 * (xd + 0.044715 * xd.pow(3));
        // 0.5 x (1 + tanh u) written as x σ(2u): double's tanh rounds to −1 in the negative tail.
        const at::Tensor want = xd / (1 + at::exp(-two_u));
        const at::Tensor torch_gelu = at::gelu(x, "tanh");
        for_each_kernel([&](const std::string& name) {
            const at::Tensor y = gelu_tanh(x);
            CHECK_EQ(y.numel(), n);
            // A few ulps of the value, and of e^(−2u): its argument's own
            // rounding (an ulp of 2u) scales the result by up to |2u| ulps.
            const at::Tensor err = (y.to(at::kDouble) - want).abs();
            const at::Tensor bound = want.abs() * 2.4e-7 * (2 + two_u.abs().clamp_max(100)) + 1e-37;
            const bool bad = (err > bound).any().item<bool>() || !at::isfinite(y).all().item<bool>();
            if (bad) {
                const int64_t i = (err - bound).argmax().item<int64_t>();
                ::fabula_test::fail(__FILE__, __LINE__,
                                    name + ": gelu(" + std::to_string(x[i].item<float>()) + ") = " +
                                        std::to_string(y[i].item<float>()) + ", want " +
                                        std::to_string(want[i].item<double>()));
            }
            CHECK(at::allclose(y, torch_gelu, 1e-6, 1e-6));
        });
    }
}

namespace {

// softmax(scale q Kᵀ + mask) V in double: query i at position past + i sees
// keys j <= past + i (and past + i − j < window when window > 0).
at::Tensor attention_in_double(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, int64_t past,
                               int64_t window, double scale) {
    const int64_t H = q.size(1), T = q.size(2), S = k.size(2), group = H / k.size(1);
    const at::Tensor qd = q.to(at::kDouble);
    const at::Tensor kd = k.to(at::kDouble).repeat_interleave(group, 1), vd = v.to(at::kDouble).repeat_interleave(group, 1);
    at::Tensor s = at::matmul(qd, kd.transpose(2, 3)) * scale;
    const at::Tensor qpos = at::arange(past, past + T).unsqueeze(1), kpos = at::arange(S).unsqueeze(0);
    at::Tensor hidden = kpos > qpos;
    if (window > 0) hidden = hidden | ((qpos - kpos) >= window);
    s = s.masked_fill(hidden, -std::numeric_limits<double>::infinity());
    return at::matmul(at::softmax(s, -1), vd).transpose(1, 2).reshape({q.size(0), T, H * q.size(3)});
}

} // namespace

// A prompt's attention on every kernel set against the double reference:
// head sizes, lengths around the tile (6 queries) and key block (32 or 16),
// a cached past, windows, grouped queries, and q as the strided view the
// models pass. The portable set (and head sizes a set does not take) hand
// back an undefined tensor for the library path.
TEST_CASE(prompt_attention_matches_softmax_attention_in_double_for_every_kernel) {
    at::manual_seed(13);
    struct Case {
        int64_t B, H, KV, T, past, D, window;
    };
    const Case cases[] = {{1, 2, 2, 1, 0, 64, 0},   {1, 2, 2, 7, 0, 64, 0},   {2, 4, 2, 37, 0, 64, 0},
                          {1, 3, 3, 40, 29, 32, 0}, {1, 2, 1, 13, 50, 128, 0}, {1, 2, 2, 45, 0, 64, 5},
                          {1, 2, 2, 9, 40, 64, 17}, {1, 2, 2, 70, 0, 48, 0},  {1, 12, 12, 300, 212, 64, 0}};
    for (const Case& c : cases) {
        const int64_t S = c.past + c.T;
        // q as a block's split of one projection: (B, T, H, D) viewed as (B, H, T, D).
        const at::Tensor q = (at::randn({c.B, c.T, c.H, c.D}) * 2).transpose(1, 2);
        const at::Tensor k = at::randn({c.B, c.KV, S, c.D}) * 2, v = at::randn({c.B, c.KV, S, c.D});
        const double scale = 1 / std::sqrt(double(c.D));
        // A 16-bit cache as stored (int8 weights keep one): the reference over the same rounded values.
        for (const at::ScalarType ctype : {at::kFloat, at::kHalf}) {
            const at::Tensor kc = k.to(ctype), vc = v.to(ctype);
            const at::Tensor want = attention_in_double(q, kc, vc, c.past, c.window, scale);
            for_each_kernel([&](const std::string& name) {
                const at::Tensor y = prompt_attention(q, kc, vc, c.past, c.window, scale);
                const bool takes = name != "portable" && c.D % (name == "avx2" ? 16 : 32) == 0;
                CHECK_EQ(y.defined(), takes);
                if (!y.defined()) return;
                CHECK(y.sizes() == want.sizes());
                const double d = (y.to(at::kDouble) - want).abs().max().item<double>();
                if (d > 2e-5)
                    ::fabula_test::fail(__FILE__, __LINE__,
                                        name + ": T " + std::to_string(c.T) + " past " + std::to_string(c.past) +
                                            " D " + std::to_string(c.D) + " window " + std::to_string(c.window) +
                                            (ctype == at::kHalf ? " (fp16 cache)" : "") + " differs by " +
                                            std::to_string(d));
            });
        }
    }
    // Another cache type, or k and v of different types: the library's path.
    const at::Tensor q = at::randn({1, 2, 4, 64}), k = at::randn({1, 2, 4, 64});
    CHECK(!prompt_attention(q, k.to(at::kBFloat16), k.to(at::kBFloat16), 0, 0, 0.125).defined());
    CHECK(!prompt_attention(q, k, k.to(at::kHalf), 0, 0, 0.125).defined());
}
