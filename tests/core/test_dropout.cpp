// Training's dropout and attention with dropout (core/nn.cpp): the share of
// kept elements, their scale, the gradient, reproducibility from the default
// generator's state, and the attention's math against torch's SDPA.
#include "check.h"
#include "core/nn.h"

#include <ATen/core/grad_mode.h>

#include <string>

using namespace fabula;

namespace {

double max_diff(const at::Tensor& a, const at::Tensor& b) { return (a - b).abs().max().item<double>(); }

} // namespace

TEST_CASE(dropout_keeps_one_minus_p_scaled_and_its_gradient_is_the_mask) {
    at::manual_seed(1);
    at::Tensor x = (at::rand({1 << 20}) + 0.5).requires_grad_(true);
    const double p = 0.1;
    at::Tensor y = nn::dropout(x, p);
    at::Tensor kept = y.detach().ne(0);
    const double share = kept.to(at::kDouble).mean().item<double>();
    CHECK_NEAR(share, 1 - p, 0.002); // 6 standard deviations of a fair coin's share
    // Neither half of the positions is favoured (a hash with a short period would be).
    CHECK_NEAR(kept.slice(0, 0, kept.size(0), 2).to(at::kDouble).mean().item<double>(), 1 - p, 0.003);
    CHECK_NEAR(kept.slice(0, 1, kept.size(0), 2).to(at::kDouble).mean().item<double>(), 1 - p, 0.003);
    at::Tensor xd = x.detach();
    CHECK(max_diff(y.detach(), at::where(kept, xd / (1 - p), at::zeros_like(xd))) < 1e-6);
    y.sum().backward();
    CHECK(max_diff(x.grad(), kept.to(at::kFloat) / (1 - p)) < 1e-6);
}

TEST_CASE(dropout_masks_follow_the_default_generator) {
    at::Tensor x = at::ones({4096});
    at::manual_seed(7);
    at::Tensor a = nn::dropout(x, 0.5), b = nn::dropout(x, 0.5);
    at::manual_seed(7);
    at::Tensor a2 = nn::dropout(x, 0.5);
    CHECK(at::equal(a, a2));  // restoring the state restores the masks (resume)
    CHECK(!at::equal(a, b));  // and every call draws a new one
    CHECK(at::equal(nn::dropout(x, 0.0), x));
    CHECK_EQ(nn::dropout(x, 1.0).abs().sum().item<double>(), 0.0);
}

namespace {

void attention_case(int64_t H_kv, int window) {
    const int64_t B = 2, H = 4, T = 9, D = 8;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(3);
    at::Tensor q0 = at::randn({B, H, T, D}, gen, {}), k0 = at::randn({B, H_kv, T, D}, gen, {}),
               v0 = at::randn({B, H_kv, T, D}, gen, {}), g = at::randn({B, T, H * D}, gen, {});
    auto run = [&](double p) {
        at::Tensor q = q0.clone().requires_grad_(true), k = k0.clone().requires_grad_(true),
                   v = v0.clone().requires_grad_(true);
        at::Tensor y = nn::attention(q, k, v, nullptr, 0, window, 0.3, p);
        (y * g).sum().backward();
        return std::vector<at::Tensor>{y.detach(), q.grad(), k.grad(), v.grad()};
    };
    // A dropout probability below the mask's resolution keeps everything:
    // the training path's math, against SDPA's fused kernel.
    auto mine = run(1e-12), ref = run(0.0);
    const char* names[] = {"output", "d q", "d k", "d v"};
    for (size_t i = 0; i < mine.size(); ++i)
        if (!(max_diff(mine[i], ref[i]) < 1e-5))
            ::fabula_test::fail(__FILE__, __LINE__,
                                std::string(names[i]) + " differs, H_kv " + std::to_string(H_kv) + ", window " +
                                    std::to_string(window) + ": " + std::to_string(max_diff(mine[i], ref[i])));
}

} // namespace

TEST_CASE(attention_with_dropout_computes_causal_windowed_and_grouped_attention) {
    attention_case(4, 0);
    attention_case(2, 0); // grouped-query
    attention_case(4, 3); // GPT-Neo's local layers
}

TEST_CASE(attention_dropout_drops_probabilities_not_rows) {
    at::manual_seed(2);
    const int64_t T = 64;
    at::Tensor q = at::zeros({1, 1, T, 4}), k = at::zeros({1, 1, T, 4});
    at::Tensor v = at::ones({1, 1, T, 4});
    // Uniform attention over ones: each output is the kept share of the
    // weights, scaled back, so it averages 1 over many queries.
    at::Tensor y = nn::attention(q, k, v, nullptr, 0, 0, 1.0, 0.5);
    CHECK(y.min().item<double>() >= 0);
    CHECK_NEAR(y.narrow(1, T / 2, T / 2).mean().item<double>(), 1.0, 0.15);
    CHECK(max_diff(y, at::ones_like(y)) > 0.01); // something was dropped
}

FABULA_TEST_MAIN
