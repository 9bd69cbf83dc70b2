// The int8 weights (core/int8.cpp): the group quantizer against its rule,
// and every dot-product kernel this CPU can run against exact integer
// references, a double-precision reference and the portable kernel, over odd
// shapes, zero rows and biases; the prompt path's integer GEMM on every
// kernel against exact integer products, the double reference and decoding
// each row alone.
#include "check.h"
#include "core/int8.h"
#include "core/int8_gemm.h"

#include <c10/util/Half.h>

#include <ATen/Parallel.h>

#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

using namespace fabula::kernels;

namespace {

const std::vector<std::string> kAllKernels = {"avx512vnni", "avx512vnni256", "avxvnni", "avx2", "portable"};

bool runnable(const std::string& name) {
    for (const auto& k : int8_kernels_available())
        if (k == name) return true;
    return false;
}

// Runs fn once per kernel this CPU can run, and says which it skips.
template <class F> void for_each_kernel(F fn) {
    const std::string before = int8_kernel();
    for (const auto& name : kAllKernels) {
        if (!runnable(name)) {
            static std::set<std::string> said;
            if (said.insert(name).second) std::printf("SKIP int8 kernel %s: this CPU cannot run it\n", name.c_str());
            continue;
        }
        use_int8_kernel(name);
        CHECK_EQ(std::string(int8_kernel()), name);
        fn(name);
    }
    use_int8_kernel(before);
}

// Shapes around the kernels' block sizes (8 and 16 groups of 32) and the
// threads' row split.
const std::vector<std::pair<int64_t, int64_t>> kShapes = {
    {1, 1}, {1, 32}, {3, 31}, {5, 33}, {7, 64}, {17, 100}, {1, 256}, {67, 257}, {130, 512}, {33, 800}, {5, 1000}, {200, 768},
};

// Integer matrices whose every group holds a +-127, so every scale is
// exactly 1, the quantized values are the integers themselves and any
// correct kernel's result is the exact integer dot (< 2^24, exact in fp32).
at::Tensor integer_matrix(int64_t rows, int64_t cols) {
    at::Tensor m = at::randint(-127, 128, {rows, cols}, at::TensorOptions().dtype(at::kFloat));
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; c += kInt8Group) m[r][c] = ((r + c) % 2) ? 127.0f : -127.0f;
    return m;
}

double max_abs_diff(const at::Tensor& a, const at::Tensor& b) {
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

// x as the kernels quantize it: per group of 32, an fp32 scale (weights
// keep theirs in fp16; activations are quantized afresh for each product).
struct QuantizedRow {
    std::vector<int8_t> q;
    std::vector<float> scale;
};
QuantizedRow quantize_row(const at::Tensor& x) {
    const at::Tensor xf = x.to(at::kFloat).contiguous().view({-1});
    const int64_t cols = xf.size(0), groups = (cols + kInt8Group - 1) / kInt8Group;
    QuantizedRow r{std::vector<int8_t>(size_t(groups * kInt8Group)), std::vector<float>(size_t(groups))};
    for (int64_t g = 0; g < groups; ++g)
        r.scale[size_t(g)] = int8_detail::quantize_group(xf.data_ptr<float>() + g * kInt8Group,
                                                        std::min(kInt8Group, cols - g * kInt8Group),
                                                        r.q.data() + g * kInt8Group);
    return r;
}

// y = sum_g sw * sx * (q_w . q_x) in double, from the stored bytes and
// scales of both operands; also returns sum_g |terms| per row, which bounds
// the fp32 combine's rounding.
void reference(const Int8Matrix& w, const QuantizedRow& xq, std::vector<double>& y, std::vector<double>& mag) {
    const int64_t groups = w.scales.size(1);
    y.assign(size_t(w.rows), 0);
    mag.assign(size_t(w.rows), 0);
    auto q = w.q.accessor<int8_t, 2>();
    const at::Tensor sf = w.scales.to(at::kFloat);
    auto s = sf.accessor<float, 2>();
    for (int64_t r = 0; r < w.rows; ++r)
        for (int64_t g = 0; g < groups; ++g) {
            int64_t d = 0;
            for (int64_t i = 0; i < kInt8Group; ++i)
                d += int64_t(q[r][g * kInt8Group + i]) * xq.q[size_t(g * kInt8Group + i)];
            const double t = double(s[r][g]) * double(xq.scale[size_t(g)]) * double(d);
            y[size_t(r)] += t;
            mag[size_t(r)] += std::fabs(t);
        }
}

} // namespace

TEST_CASE(registry_lists_portable_last_and_refuses_unknown_names) {
    const auto names = int8_kernels_available();
    CHECK(!names.empty());
    CHECK_EQ(names.back(), std::string("portable"));
    CHECK_EQ(std::string(int8_kernel()), names.front());
    CHECK_THROWS_WITH(std::invalid_argument, use_int8_kernel("sse9"), "unknown int8 kernel 'sse9'");
    for (const auto& name : kAllKernels)
        if (!runnable(name)) CHECK_THROWS_WITH(std::invalid_argument, use_int8_kernel(name), "cannot run on this CPU");
    std::printf("int8 kernels here:");
    for (const auto& n : names) std::printf(" %s", n.c_str());
    std::printf("\n");
}

TEST_CASE(quantize_follows_the_group_rule_and_round_trips_within_half_a_step) {
    at::manual_seed(1);
    for (auto [rows, cols] : kShapes) {
        at::Tensor w = at::randn({rows, cols}) * at::rand({rows, 1}) * 3;
        if (rows > 2) w[1].zero_();
        const Int8Matrix m = quantize_int8(w);
        const int64_t groups = (cols + 31) / 32;
        CHECK_EQ(m.rows, rows);
        CHECK_EQ(m.cols, cols);
        CHECK_EQ(m.q.size(1), groups * 32);
        CHECK_EQ(m.scales.size(1), groups);
        CHECK_EQ(m.bytes(), rows * groups * 32 + rows * groups * 2);
        CHECK_EQ(m.scales.scalar_type(), at::kHalf);
        auto q = m.q.accessor<int8_t, 2>();
        const at::Tensor sf = m.scales.to(at::kFloat);
        auto s = sf.accessor<float, 2>();
        auto wa = w.accessor<float, 2>();
        const at::Tensor back = dequantize_int8(m);
        CHECK_EQ(back.size(0), rows);
        CHECK_EQ(back.size(1), cols);
        auto ba = back.accessor<float, 2>();
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t g = 0; g < groups; ++g) {
                float amax = 0;
                for (int64_t c = g * 32; c < std::min(cols, g * 32 + 32); ++c) amax = std::max(amax, std::fabs(wa[r][c]));
                CHECK_EQ(s[r][g], float(c10::Half(amax / 127.0f))); // stored in fp16
                for (int64_t c = g * 32; c < g * 32 + 32; ++c) {
                    if (c >= cols) {
                        CHECK_EQ(int(q[r][c]), 0); // padding
                        continue;
                    }
                    CHECK(q[r][c] >= -127 && q[r][c] <= 127);
                    // Half a quantization step, plus fp32 rounding of w / scale.
                    CHECK_NEAR(ba[r][c], wa[r][c], s[r][g] * (0.5 + 1e-5));
                    CHECK_EQ(ba[r][c], float(q[r][c]) * s[r][g]);
                }
            }
        if (rows > 2) {
            CHECK_EQ(m.scales[1].abs().max().item<float>(), 0.0f);
            CHECK_EQ(back[1].abs().max().item<float>(), 0.0f);
        }
    }
    // Other floating types quantize as their fp32 values.
    at::Tensor w = at::randn({9, 70});
    const Int8Matrix a = quantize_int8(w.to(at::kBFloat16)), b = quantize_int8(w.to(at::kBFloat16).to(at::kFloat));
    CHECK(at::equal(a.q, b.q));
    CHECK(at::equal(a.scales, b.scales));
    CHECK_THROWS_WITH(std::invalid_argument, quantize_int8(at::zeros({3})), "2-D");
}

TEST_CASE(every_kernel_gives_the_exact_integer_dot) {
    at::manual_seed(2);
    for (auto [rows, cols] : kShapes) {
        const at::Tensor wi = integer_matrix(rows, cols);
        const at::Tensor xi = integer_matrix(1, cols).view({cols});
        const Int8Matrix m = quantize_int8(wi);
        CHECK_EQ(m.scales.min().item<float>(), 1.0f);
        CHECK_EQ(m.scales.max().item<float>(), 1.0f); // 127 / 127, exact in fp16
        const at::Tensor want = at::mv(wi.to(at::kLong), xi.to(at::kLong)).to(at::kDouble);
        for_each_kernel([&](const std::string& name) {
            const at::Tensor y = gemv_int8(m, xi, {});
            CHECK_EQ(y.size(0), rows);
            if (max_abs_diff(y, want) != 0)
                ::fabula_test::fail(__FILE__, __LINE__,
                                    name + " differs from the integer dot at " + std::to_string(rows) + "x" +
                                        std::to_string(cols) + " by " + std::to_string(max_abs_diff(y, want)));
        });
    }
}

TEST_CASE(every_kernel_matches_the_double_reference_and_the_portable_kernel) {
    at::manual_seed(3);
    for (auto [rows, cols] : kShapes) {
        at::Tensor w = at::randn({rows, cols}) * 0.05;
        if (rows > 3) w[2].zero_();
        at::Tensor x = at::randn({cols}) * 2;
        const at::Tensor b = at::randn({rows});
        const Int8Matrix m = quantize_int8(w);
        const QuantizedRow xq = quantize_row(x);
        std::vector<double> ref, mag;
        reference(m, xq, ref, mag);
        use_int8_kernel("portable");
        const at::Tensor portable = gemv_int8(m, x, {});
        for_each_kernel([&](const std::string& name) {
            const at::Tensor y = gemv_int8(m, x, {}), yb = gemv_int8(m, x, b);
            auto ya = y.accessor<float, 1>();
            auto pa = portable.accessor<float, 1>();
            for (int64_t r = 0; r < rows; ++r) {
                // The fp32 combine over the groups rounds at most (groups + 2)
                // ulps of sum |terms|; an integer dot off by one would be far
                // outside that.
                const double tol = double(m.scales.size(1) + 2) * 6e-8 * mag[size_t(r)] + 1e-30;
                if (!(std::fabs(ya[r] - ref[size_t(r)]) <= tol) || !(std::fabs(ya[r] - pa[r]) <= 2 * tol))
                    ::fabula_test::fail(__FILE__, __LINE__,
                                        name + " row " + std::to_string(r) + " of " + std::to_string(rows) + "x" +
                                            std::to_string(cols) + ": " + std::to_string(ya[r]) + " vs reference " +
                                            std::to_string(ref[size_t(r)]) + ", portable " + std::to_string(pa[r]));
            }
            // The bias is added once, in fp32.
            CHECK(at::equal(yb, y + b));
            if (rows > 3) CHECK_EQ(y[2].item<float>(), 0.0f);
            // Quantization error stays small against the fp32 product.
            const at::Tensor exact = at::mv(w, x);
            CHECK(max_abs_diff(y, exact) <= 0.02 * (exact.abs().max().item<double>() + 1e-3) + 1e-6);
        });
    }
}

TEST_CASE(zero_activations_give_zero_and_length_is_checked) {
    const Int8Matrix m = quantize_int8(at::randn({40, 96}));
    for_each_kernel([&](const std::string&) {
        CHECK_EQ(gemv_int8(m, at::zeros({96}), {}).abs().max().item<float>(), 0.0f);
        CHECK_THROWS_WITH(std::invalid_argument, gemv_int8(m, at::zeros({95}), {}), "wrong length");
    });
}

TEST_CASE(results_do_not_depend_on_the_thread_count) {
    at::manual_seed(4);
    const Int8Matrix m = quantize_int8(at::randn({1000, 320}));
    const at::Tensor x = at::randn({320});
    const int threads = at::get_num_threads();
    for_each_kernel([&](const std::string&) {
        at::set_num_threads(1);
        const at::Tensor one = gemv_int8(m, x, {});
        at::set_num_threads(2);
        CHECK(at::equal(gemv_int8(m, x, {}), one));
    });
    at::set_num_threads(threads);
}

// Prompt shapes around the GEMM's blocks: 6 or 4 rows a tile, 32 or 16
// columns a panel, groups of 32 (and a partial last one).
const std::vector<int64_t> kPromptRows = {1, 2, 3, 4, 5, 6, 7, 13, 64};
const std::vector<std::pair<int64_t, int64_t>> kPromptShapes = {{1, 1}, {17, 33}, {33, 64}, {40, 100}, {70, 257}, {96, 768}};

TEST_CASE(every_prompt_kernel_gives_the_exact_integer_products) {
    at::manual_seed(6);
    for (auto [rows, cols] : kPromptShapes) {
        const at::Tensor wi = integer_matrix(rows, cols);
        const Int8Matrix m = quantize_int8(wi);
        // Integer biases keep the sums exact.
        const at::Tensor b = at::randint(-1000, 1000, {rows}, at::TensorOptions().dtype(at::kFloat));
        for (int64_t n : kPromptRows) {
            at::Tensor xi = integer_matrix(n, cols);
            // Rows at the extremes: the u8 offset's compensation is largest
            // where every value is -127 or 127.
            xi[0].fill_(-127);
            if (n > 1) xi[1].fill_(127);
            const at::Tensor want = at::mm(xi.to(at::kLong), wi.to(at::kLong).t()).to(at::kDouble);
            for_each_kernel([&](const std::string& name) {
                const at::Tensor y = linear_int8(m, xi, {}), yb = linear_int8(m, xi, b);
                CHECK_EQ(y.size(0), n);
                CHECK_EQ(y.size(1), rows);
                const double d = max_abs_diff(y, want), db = max_abs_diff(yb, want + b.to(at::kDouble));
                if (d != 0 || db != 0)
                    ::fabula_test::fail(__FILE__, __LINE__,
                                        name + " differs from the integer product at " + std::to_string(n) + "x" +
                                            std::to_string(cols) + " by " + std::to_string(rows) + ": " +
                                            std::to_string(d) + ", with the bias " + std::to_string(db));
            });
        }
    }
}

TEST_CASE(every_prompt_kernel_matches_the_double_reference_and_decodes_row_by_row) {
    at::manual_seed(7);
    for (auto [rows, cols] : kPromptShapes) {
        at::Tensor w = at::randn({rows, cols}) * 0.05;
        if (rows > 3) w[2].zero_();
        const at::Tensor b = at::randn({rows});
        const Int8Matrix m = quantize_int8(w);
        for (int64_t n : {int64_t(1), int64_t(7), int64_t(13)}) {
            at::Tensor x = at::randn({n, cols}) * 2;
            if (n > 3) x[3].zero_();
            std::vector<std::vector<double>> ref(static_cast<size_t>(n)), mag(static_cast<size_t>(n));
            for (int64_t i = 0; i < n; ++i) reference(m, quantize_row(x[i]), ref[size_t(i)], mag[size_t(i)]);
            const at::Tensor exact = at::linear(x, w);
            for_each_kernel([&](const std::string& name) {
                const at::Tensor y = linear_int8(m, x, {}), yb = linear_int8(m, x, b);
                auto ya = y.accessor<float, 2>();
                for (int64_t i = 0; i < n; ++i) {
                    // Decoding the row alone, on the same instructions.
                    const at::Tensor one = gemv_int8(m, x[i].contiguous(), {});
                    auto oa = one.accessor<float, 1>();
                    for (int64_t r = 0; r < rows; ++r) {
                        const double tol = double(m.scales.size(1) + 2) * 6e-8 * mag[size_t(i)][size_t(r)] + 1e-30;
                        const double want = ref[size_t(i)][size_t(r)];
                        if (!(std::fabs(ya[i][r] - want) <= tol) || !(std::fabs(ya[i][r] - oa[r]) <= 2 * tol))
                            ::fabula_test::fail(__FILE__, __LINE__,
                                                name + " row " + std::to_string(i) + " column " + std::to_string(r) +
                                                    " of " + std::to_string(n) + "x" + std::to_string(cols) + " by " +
                                                    std::to_string(rows) + ": " + std::to_string(ya[i][r]) +
                                                    " vs reference " + std::to_string(want) + ", gemv " +
                                                    std::to_string(oa[r]));
                    }
                }
                // The bias is added once, in fp32; zero rows and columns stay zero.
                CHECK(at::equal(yb, y + b));
                if (rows > 3) CHECK_EQ(y.select(1, 2).abs().max().item<float>(), 0.0f);
                if (n > 3) CHECK_EQ(y[3].abs().max().item<float>(), 0.0f);
                CHECK(max_abs_diff(y, exact) <= 0.02 * (exact.abs().max().item<double>() + 1e-3) + 1e-6);
            });
        }
    }
}

TEST_CASE(linear_int8_keeps_leading_dimensions_and_checks_the_width) {
    at::manual_seed(8);
    const Int8Matrix m = quantize_int8(at::randn({50, 70}));
    const at::Tensor b = at::randn({50});
    for_each_kernel([&](const std::string&) {
        const at::Tensor x3 = at::randn({2, 3, 70});
        const at::Tensor y3 = linear_int8(m, x3, b);
        CHECK_EQ(y3.dim(), 3);
        CHECK_EQ(y3.size(0), 2);
        CHECK_EQ(y3.size(1), 3);
        CHECK_EQ(y3.size(2), 50);
        CHECK(at::equal(y3, linear_int8(m, x3.reshape({6, 70}), b).view({2, 3, 50})));
        CHECK_EQ(linear_int8(m, at::zeros({0, 70}), b).size(0), 0);
        CHECK_THROWS_WITH(std::invalid_argument, linear_int8(m, at::zeros({4, 69}), b), "wrong width");
    });
}

TEST_CASE(prompt_results_do_not_depend_on_the_thread_count) {
    at::manual_seed(9);
    const Int8Matrix m = quantize_int8(at::randn({1000, 320}));
    const at::Tensor x = at::randn({37, 320}), b = at::randn({1000});
    const int threads = at::get_num_threads();
    for_each_kernel([&](const std::string&) {
        at::set_num_threads(1);
        const at::Tensor one = linear_int8(m, x, b);
        at::set_num_threads(2);
        CHECK(at::equal(linear_int8(m, x, b), one));
    });
    at::set_num_threads(threads);
}

FABULA_TEST_MAIN
