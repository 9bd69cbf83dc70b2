// Decoding's matrix-vector kernels (core/gemv.cpp): every kernel this CPU
// can run, plus the portable fallback, for fp32, bf16 and fp16 weights
// against at::mv in double over the same (rounded) weights, on shapes around
// the vector widths and the threads' row split, with and without a bias.
#include "check.h"
#include "core/gemv.h"

#include <ATen/Parallel.h>

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

using namespace fabula::kernels;

namespace {

const std::vector<std::string> kAllKernels = {"avx512", "avx2", "portable"};

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
        fn(name);
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
    for (const auto& name : kAllKernels)
        if (!runnable(name)) CHECK_THROWS_WITH(std::invalid_argument, use_gemv_kernel(name), "cannot run on this CPU");
    std::printf("gemv kernels here:");
    for (const auto& n : names) std::printf(" %s", n.c_str());
    std::printf("\n");
}

TEST_CASE(every_kernel_matches_at_mv_for_every_weight_type) {
    at::manual_seed(7);
    for (auto dtype : {at::kFloat, at::kBFloat16, at::kHalf}) {
        for (auto [rows, cols] : kShapes) {
            const at::Tensor w = (at::randn({rows, cols}) * 0.1).to(dtype);
            const at::Tensor x = at::randn({cols});
            const at::Tensor b = at::randn({rows});
            // The reference sees the weights exactly as stored.
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
                                        name + " " + std::string(c10::toString(dtype)) + " " + std::to_string(rows) +
                                            "x" + std::to_string(cols) + ": off by " +
                                            std::to_string((err - bound).max().item<double>()) + " beyond the bound");
                CHECK(at::equal(yb, y + b));
            });
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

TEST_CASE(non_contiguous_weights_take_the_library_path) {
    const at::Tensor w = at::randn({40, 30}).t(); // [30, 40], not contiguous
    const at::Tensor x = at::randn({40});
    for_each_kernel([&](const std::string&) {
        CHECK((gemv(w, x, {}) - at::mv(w, x)).abs().max().item<double>() <= 1e-5);
    });
}

FABULA_TEST_MAIN
