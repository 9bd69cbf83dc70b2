// The fused output layer + loss against autograd through the plain formula
// (logits, log-softmax, cross-entropy): the values and the gradients of every
// tensor, for heads with and without bias, trainable and frozen, several
// chunks, ignored rows, and each family's network (tied, untied, biased).
#include "check.h"
#include "core/nn.h"
#include "training/fused_loss.h"

#include <ATen/core/grad_mode.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using namespace fabula;
using namespace fabula::training;

namespace {

double max_diff(const at::Tensor& a, const at::Tensor& b) { return (a - b).abs().max().item<double>(); }
double max_abs(const at::Tensor& a) { return a.abs().max().item<double>(); }

void check_close(const at::Tensor& got, const at::Tensor& want, const std::string& what) {
    if (!want.defined()) {
        if (got.defined() && max_abs(got) != 0) ::fabula_test::fail(__FILE__, __LINE__, what + ": unexpected gradient");
        return;
    }
    if (!got.defined()) ::fabula_test::fail(__FILE__, __LINE__, what + ": no gradient");
    const double d = max_diff(got, want), tol = 1e-5 * (1 + max_abs(want));
    if (!(d <= tol))
        ::fabula_test::fail(__FILE__, __LINE__, what + ": off by " + std::to_string(d) + " (tolerance " +
                                                    std::to_string(tol) + ")");
}

at::Tensor leaf(at::Tensor t, bool grad) { return t.detach().clone().requires_grad_(grad); }

struct Head {
    at::Tensor h, w, b;
};

// Rows 2, 5 and the last have no target; the others cover the vocabulary's ends.
at::Tensor targets(int64_t N, int64_t V, at::Generator& gen) {
    at::Tensor t = at::randint(V, {N}, gen, at::TensorOptions().dtype(at::kLong));
    t[0] = 0;
    t[1] = V - 1;
    t[2] = -100;
    t[5] = -100;
    t[N - 1] = -100;
    return t;
}

void nll_sum_case(bool bias, bool train_head, int64_t chunk_elements) {
    const int64_t N = 13, C = 8, V = 37;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(7);
    at::Tensor h0 = at::randn({N, C}, gen, {}), w0 = at::randn({V, C}, gen, {}), b0 = at::randn({V}, gen, {});
    at::Tensor t = targets(N, V, gen);
    const double upstream = 0.37; // the trainer divides by the token count

    Head ref{leaf(h0, true), leaf(w0, train_head), bias ? leaf(b0, train_head) : at::Tensor()};
    at::Tensor logits = at::linear(ref.h, ref.w, ref.b);
    at::Tensor want = at::cross_entropy_loss(logits, t, {}, at::Reduction::Sum, -100);
    (want * upstream).backward();

    Head mine{leaf(h0, true), leaf(w0, train_head), bias ? leaf(b0, train_head) : at::Tensor()};
    at::Tensor got = fused_head_nll_sum(mine.h, OutputHead{mine.w, mine.b}, t, chunk_elements);
    (got * upstream).backward();

    CHECK_NEAR(got.item<double>(), want.item<double>(), 1e-5 * std::abs(want.item<double>()));
    check_close(mine.h.grad(), ref.h.grad(), "d hidden");
    check_close(mine.w.grad(), train_head ? ref.w.grad() : at::Tensor(), "d weight");
    if (bias) check_close(mine.b.grad(), train_head ? ref.b.grad() : at::Tensor(), "d bias");
    for (int64_t r : {2, 5, 12}) CHECK_EQ(max_abs(mine.h.grad()[r]), 0.0); // rows without a target
}

} // namespace

TEST_CASE(nll_sum_equals_cross_entropy_in_one_chunk_and_in_many) {
    for (bool bias : {false, true})
        for (bool train_head : {true, false})
            for (int64_t chunk : {int64_t(16) << 20, int64_t(37 * 3), int64_t(1)}) nll_sum_case(bias, train_head, chunk);
}

TEST_CASE(nll_sum_without_grad_mode_is_the_value_alone) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(3);
    at::Tensor h = at::randn({9, 8}, gen, {}).requires_grad_(true), w = at::randn({21, 8}, gen, {});
    at::Tensor t = at::randint(21, {9}, gen, at::TensorOptions().dtype(at::kLong));
    at::NoGradGuard no_grad;
    at::Tensor got = fused_head_nll_sum(h, OutputHead{w, {}}, t, 21 * 2);
    CHECK(!got.requires_grad());
    CHECK_NEAR(got.item<double>(), at::cross_entropy_loss(at::linear(h, w), t, {}, at::Reduction::Sum).item<double>(),
               1e-4);
}

TEST_CASE(nothing_to_predict_gives_zero_and_zero_gradients) {
    at::Tensor h = at::randn({4, 8}).requires_grad_(true), w = at::randn({11, 8}).requires_grad_(true);
    at::Tensor got = fused_head_nll_sum(h, OutputHead{w, {}}, at::full({4}, -100, at::kLong));
    got.backward();
    CHECK_EQ(got.item<double>(), 0.0);
    CHECK_EQ(max_abs(h.grad()), 0.0);
    CHECK_EQ(max_abs(w.grad()), 0.0);
}

namespace {

void sequence_case(bool bias, bool train_head) {
    const int64_t B = 3, T = 7, C = 8, V = 29;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(11);
    at::Tensor h0 = at::randn({B, T, C}, gen, {}), w0 = at::randn({V, C}, gen, {}), b0 = at::randn({V}, gen, {});
    at::Tensor t = at::randint(V, {B, T}, gen, at::TensorOptions().dtype(at::kLong));
    t.index_put_({0, 0}, -100);
    t.index_put_({2, at::indexing::Slice(3, T)}, -100);
    at::Tensor upstream = at::tensor({0.5, -1.25, 2.0}); // DPO weighs chosen and rejected apart

    Head ref{leaf(h0, true), leaf(w0, train_head), bias ? leaf(b0, train_head) : at::Tensor()};
    at::Tensor mask = t.ne(-100);
    at::Tensor lp = at::log_softmax(at::linear(ref.h, ref.w, ref.b), -1).gather(-1, t.clamp_min(0).unsqueeze(-1));
    at::Tensor want = (lp.squeeze(-1) * mask).sum(1);
    (want * upstream).sum().backward();

    for (int64_t chunk : {int64_t(16) << 20, int64_t(V * 4), int64_t(1)}) {
        Head mine{leaf(h0, true), leaf(w0, train_head), bias ? leaf(b0, train_head) : at::Tensor()};
        at::Tensor got = fused_head_sequence_logprobs(mine.h, OutputHead{mine.w, mine.b}, t, chunk);
        (got * upstream).sum().backward();
        check_close(got, want, "log-probabilities");
        check_close(mine.h.grad(), ref.h.grad(), "d hidden");
        check_close(mine.w.grad(), train_head ? ref.w.grad() : at::Tensor(), "d weight");
        if (bias) check_close(mine.b.grad(), train_head ? ref.b.grad() : at::Tensor(), "d bias");
        at::NoGradGuard no_grad;
        check_close(fused_head_sequence_logprobs(mine.h, OutputHead{mine.w, mine.b}, t, chunk), want, "eval");
    }
}

} // namespace

TEST_CASE(sequence_logprobs_equal_log_softmax_per_sequence_with_any_upstream) {
    for (bool bias : {false, true})
        for (bool train_head : {true, false}) sequence_case(bias, train_head);
}

namespace {

// One family's network on fresh weights: the fused loss over output_head()
// against cross-entropy over network.logits(), gradients of every tensor.
void family_case(const nlohmann::json& config_json, bool expect_bias) {
    const ModelConfig c = ModelConfig::from_json(config_json, "test");
    const int64_t B = 2, T = 9;
    auto make = [&] {
        nn::Weights w = nn::init_weights(c, 5, at::kCPU);
        at::NoGradGuard no_grad;
        auto gen = at::make_generator<at::CPUGeneratorImpl>(9);
        for (at::Tensor& x : w.tensors) x.copy_(at::randn(x.sizes(), gen, {}) * 0.3); // biases non-zero too
        for (at::Tensor& x : w.tensors) x.requires_grad_(true);
        return w;
    };
    auto gen = at::make_generator<at::CPUGeneratorImpl>(1);
    at::Tensor ids = at::randint(c.vocab_size, {B, T}, gen, at::TensorOptions().dtype(at::kLong));
    at::Tensor labels = ids.narrow(1, 1, T - 1).clone();
    labels.index_put_({1, at::indexing::Slice(0, 3)}, -100);

    nn::Weights ref_w = make();
    auto ref_net = nn::make_network(c, ref_w);
    at::Tensor ref_h = ref_net->hidden_states(ids, nullptr, nullptr).narrow(1, 0, T - 1);
    at::Tensor want = at::cross_entropy_loss(ref_net->logits(ref_h).reshape({-1, c.vocab_size}), labels.reshape({-1}),
                                             {}, at::Reduction::Sum, -100);
    (want * 0.1).backward();

    nn::Weights w = make();
    auto net = nn::make_network(c, w);
    at::Tensor h = net->hidden_states(ids, nullptr, nullptr).narrow(1, 0, T - 1);
    auto head = output_head(w, *net, h[0][0]);
    CHECK(head.has_value());
    CHECK_EQ(head->bias.defined(), expect_bias);
    at::Tensor got = fused_head_nll_sum(h, *head, labels, c.vocab_size * 5);
    (got * 0.1).backward();

    CHECK_NEAR(got.item<double>(), want.item<double>(), 1e-5 * std::abs(want.item<double>()));
    for (size_t i = 0; i < w.tensors.size(); ++i) check_close(w.tensors[i].grad(), ref_w.tensors[i].grad(), w.specs[i].name);

    // An adapter on the output layer is more than h Wᵀ + b: no fused head.
    w.adapters["lm_head"] = {nn::LoraAdapter{at::zeros({1, c.n_embd}), at::zeros({c.vocab_size, 1}), 1.0, 0.0}};
    CHECK(!output_head(w, *net, h[0][0]).has_value());
}

} // namespace

TEST_CASE(families_tied_untied_and_biased_heads_match_their_networks) {
    family_case({{"model_type", "gpt2"}, {"n_layer", 1}, {"n_head", 2}, {"n_embd", 16}, {"vocab_size", 41},
                 {"n_positions", 16}},
                false);
    family_case({{"model_type", "gpt2"}, {"n_layer", 1}, {"n_head", 2}, {"n_embd", 16}, {"vocab_size", 41},
                 {"n_positions", 16}, {"tie_word_embeddings", false}},
                false);
    family_case({{"model_type", "gptj"}, {"n_layer", 1}, {"n_head", 2}, {"n_embd", 16}, {"vocab_size", 41},
                 {"n_positions", 16}, {"rotary_dim", 4}, {"tie_word_embeddings", false}},
                true);
    family_case({{"model_type", "llama"}, {"num_hidden_layers", 1}, {"num_attention_heads", 2},
                 {"num_key_value_heads", 1}, {"hidden_size", 16}, {"intermediate_size", 24}, {"vocab_size", 41},
                 {"max_position_embeddings", 16}, {"tie_word_embeddings", true}},
                false);
}

TEST_CASE(a_head_that_is_not_the_networks_is_refused) {
    const ModelConfig c = ModelConfig::from_json(
        {{"model_type", "gpt2"}, {"n_layer", 1}, {"n_head", 2}, {"n_embd", 16}, {"vocab_size", 41}, {"n_positions", 16}},
        "test");
    nn::Weights w = nn::init_weights(c, 5, at::kCPU);
    auto net = nn::make_network(c, w);
    nn::Weights other = nn::init_weights(c, 6, at::kCPU); // different embedding: its h Wᵀ are not net's logits
    CHECK(output_head(w, *net, at::randn({16})).has_value());
    CHECK(!output_head(other, *net, at::randn({16})).has_value());
}

FABULA_TEST_MAIN
