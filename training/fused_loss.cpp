#include "training/fused_loss.h"

#include "core/nn.h"

#include <ATen/autocast_mode.h>
#include <ATen/core/grad_mode.h>

#include <algorithm>

namespace fabula::training {

namespace {

bool wants_grad(const at::Tensor& t) { return t.defined() && t.requires_grad() && at::GradMode::is_enabled(); }

bool head_needs_grad(const at::Tensor& hidden, const OutputHead& head) {
    return wants_grad(hidden) || wants_grad(head.weight) || wants_grad(head.bias);
}

int64_t chunk_rows(int64_t chunk_elements, int64_t V) {
    return std::max<int64_t>(1, chunk_elements / std::max<int64_t>(1, V));
}

// Without autograd only the values are needed: the logits exist one chunk
// of rows at a time, and rows without a target are never projected.
at::Tensor nll_values(const at::Tensor& h2, const OutputHead& head, const at::Tensor& target, int64_t rows) {
    at::NoGradGuard no_grad;
    at::Tensor nll = at::zeros({h2.size(0)}, h2.options());
    at::Tensor valid = target.ne(-100).nonzero().squeeze(1);
    at::Tensor hv = h2.index_select(0, valid), tv = target.index_select(0, valid).unsqueeze(1);
    at::Tensor nll_v = at::empty({valid.size(0)}, h2.options());
    for (int64_t r0 = 0; r0 < valid.size(0); r0 += rows) {
        const int64_t n = std::min(rows, valid.size(0) - r0);
        at::Tensor ls = at::log_softmax(at::linear(hv.narrow(0, r0, n), head.weight, head.bias), 1);
        nll_v.narrow(0, r0, n).copy_(ls.gather(1, tv.narrow(0, r0, n)).squeeze(1).neg());
    }
    return nll.index_copy_(0, valid, nll_v);
}

// Overwrites the logits z (N, V) with d nll / d z = softmax(z) − onehot(target)
// (with `negate`: its negative, d log p / d z), zero on rows without a target,
// a chunk of rows at a time, so that no second (N, V) tensor is made. Off the
// target entries the products are the ones torch's log-softmax backward
// computes, so the gradients are the unfused formula's. Returns −log p(target)
// per row (0 without a target).
at::Tensor logits_to_gradient(at::Tensor z, const at::Tensor& target, bool negate, int64_t rows) {
    at::NoGradGuard no_grad;
    const int64_t N = z.size(0);
    at::Tensor valid = target.ne(-100);
    at::Tensor safe = target.masked_fill(valid.logical_not(), 0).unsqueeze(1);
    at::Tensor nll = at::empty({N}, z.options());
    for (int64_t r0 = 0; r0 < N; r0 += rows) {
        const int64_t n = std::min(rows, N - r0);
        at::Tensor zc = z.narrow(0, r0, n), tc = safe.narrow(0, r0, n);
        at::Tensor none = valid.narrow(0, r0, n).logical_not().unsqueeze(1);
        at::Tensor ls = at::log_softmax(zc, 1);
        nll.narrow(0, r0, n).copy_(ls.gather(1, tc).neg_().masked_fill_(none, 0).squeeze(1));
        at::exp_out(zc, ls);
        zc.scatter_(1, tc, zc.gather(1, tc).sub_(1));
        if (none.any().item<bool>()) zc.masked_fill_(none, 0);
        if (negate) zc.neg_();
    }
    return nll;
}

} // namespace

bool fused_head_applies(const at::Tensor& hidden, const OutputHead& head) {
    if (!head.weight.defined() || head.weight.dim() != 2) return false;
    if (hidden.scalar_type() != at::kFloat || head.weight.scalar_type() != at::kFloat) return false;
    if (head.bias.defined() && head.bias.scalar_type() != at::kFloat) return false;
    if (hidden.size(-1) != head.weight.size(1)) return false;
    return !at::autocast::is_autocast_enabled(hidden.device().type());
}

std::optional<OutputHead> output_head(const nn::Weights& weights, const nn::Network& network,
                                      const at::Tensor& probe) {
    for (const char* module : {"lm_head", "transformer.wte", "model.embed_tokens"}) {
        auto it = weights.adapters.find(module);
        if (it != weights.adapters.end() && !it->second.empty()) return std::nullopt;
    }
    OutputHead head{weights.get("lm_head.weight"), weights.get("lm_head.bias")};
    for (const char* tied : {"transformer.wte.weight", "model.embed_tokens.weight"})
        if (!head.weight.defined()) head.weight = weights.get(tied);
    if (!fused_head_applies(probe, head)) return std::nullopt;
    at::NoGradGuard no_grad;
    at::Tensor row = probe.detach().reshape({1, 1, -1});
    at::Tensor mine = at::linear(row, head.weight, head.bias);
    at::Tensor theirs = network.logits(row).to(at::kFloat);
    if (!theirs.sizes().equals(mine.sizes())) return std::nullopt;
    const double scale = 1.0 + mine.abs().max().item<double>();
    if (!((mine - theirs).abs().max().item<double>() <= 1e-4 * scale)) return std::nullopt;
    return head;
}

// The logits come from at::linear under autograd, which keeps h and W for
// its backward but not its output. That output is then overwritten with its
// own gradient G, and dot(z, G) − dot(z, G) (the second detached) adds zero to
// the value while its backward hands upstream · G to linear's backward: the
// GEMMs are the unfused formula's, and the log-softmax, the logits' second
// copy and the log-softmax's gradient are never made.
at::Tensor fused_head_nll_sum(const at::Tensor& hidden, const OutputHead& head, const at::Tensor& target,
                              int64_t chunk_elements) {
    const int64_t C = hidden.size(-1), rows = chunk_rows(chunk_elements, head.weight.size(0));
    at::Tensor t = target.reshape({-1});
    if (!head_needs_grad(hidden, head)) return nll_values(hidden.detach().reshape({-1, C}), head, t, rows).sum();
    at::Tensor z = at::linear(hidden.reshape({-1, C}), head.weight, head.bias);
    at::Tensor g = z.detach();
    at::Tensor nll = logits_to_gradient(g, t, /*negate=*/false, rows);
    at::Tensor carrier = at::dot(z.view({-1}), g.view({-1}));
    return nll.sum() + (carrier - carrier.detach());
}

at::Tensor fused_head_sequence_logprobs(const at::Tensor& hidden, const OutputHead& head, const at::Tensor& target,
                                        int64_t chunk_elements) {
    const int64_t B = hidden.size(0), T = hidden.size(1), C = hidden.size(2), V = head.weight.size(0);
    const int64_t rows = chunk_rows(chunk_elements, V);
    at::Tensor t = target.reshape({-1});
    if (!head_needs_grad(hidden, head))
        return nll_values(hidden.detach().reshape({-1, C}), head, t, rows).view({B, T}).sum(1).neg();
    at::Tensor z = at::linear(hidden.reshape({-1, C}), head.weight, head.bias);
    at::Tensor g = z.detach();
    at::Tensor logp = logits_to_gradient(g, t, /*negate=*/true, rows).view({B, T}).sum(1).neg();
    // One dot product per sequence: each sequence's upstream factor reaches its rows only.
    at::Tensor carrier = at::bmm(z.view({B, 1, T * V}), g.view({B, T * V, 1})).view({B});
    return logp + (carrier - carrier.detach());
}

} // namespace fabula::training
