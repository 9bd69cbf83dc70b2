// Times the single-row projections that bound decoding: every GPT-2 124M
// matrix once, as one decoded token reads them, fp32 (MKL addmv) and bf16
// (Fabula's kernel). Prints GB/s of weights streamed.
#include "core/gemv.h"

#include <ATen/Parallel.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    at::set_num_threads(threads);
    std::printf("threads %d, parallel backend: %s\n", at::get_num_threads(), at::get_parallel_info().substr(0, 400).c_str());
    const int64_t C = 768;
    std::vector<std::pair<int64_t, int64_t>> shapes;
    for (int l = 0; l < 12; ++l) shapes.insert(shapes.end(), {{3 * C, C}, {C, C}, {4 * C, C}, {C, 4 * C}});
    shapes.push_back({50257, C});
    for (auto dtype : {at::kFloat, at::kBFloat16}) {
        std::vector<at::Tensor> w, b, x;
        double bytes = 0;
        for (auto [o, i] : shapes) {
            w.push_back(at::randn({o, i}).to(dtype));
            b.push_back(at::randn({o}));
            x.push_back(at::randn({i}));
            bytes += double(o * i) * (dtype == at::kFloat ? 4 : 2);
        }
        double best = 1e9;
        for (int rep = 0; rep < 10; ++rep) {
            auto t0 = std::chrono::steady_clock::now();
            for (size_t k = 0; k < w.size(); ++k) fabula::kernels::gemv(w[k], x[k], b[k]);
            best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        }
        std::printf("%s: %.2f ms per token, %.1f GB/s (bf16 kernel: %s)\n", dtype == at::kFloat ? "fp32" : "bf16",
                    best * 1e3, bytes / best / 1e9, fabula::kernels::bf16_gemv_isa());
    }
}
