#pragma once
// The output layer and the token loss together: the (rows, vocabulary)
// logits of a batch are the largest tensors of a training step (205 MB for
// GPT-2 at 2 x 512), and the plain formula holds them four times at its peak
// (the logits, the log-softmax, and the gradients of both). Here the logits
// are held once, overwritten by their own gradient in chunks of rows, plus
// the one gradient tensor linear's backward needs. Without autograd (eval)
// they exist one chunk at a time. Internal to training/ (includes ATen).
#include <ATen/ATen.h>

#include <optional>

namespace fabula::nn {
struct Weights;
class Network;
} // namespace fabula::nn

namespace fabula::training {

// logits = h Wᵀ + b.
struct OutputHead {
    at::Tensor weight; // [V, C]
    at::Tensor bias;   // [V] or undefined
};

// Whether the fused functions below may stand in for `head` on `hidden`:
// fp32 throughout and no autocast (which would run the projection in 16 bits).
bool fused_head_applies(const at::Tensor& hidden, const OutputHead& head);

// The network's output layer as the tensor table holds it (lm_head.weight, or
// the token embedding when tied, and lm_head.bias), when it carries no
// adapters and its logits for `probe` (one hidden row) are the network's own:
// a family whose logits are more than h Wᵀ + b gets none.
std::optional<OutputHead> output_head(const nn::Weights& weights, const nn::Network& network,
                                      const at::Tensor& probe);

// Σ over rows with a target (−100: none) of −log softmax(h Wᵀ + b)[target].
// hidden: (..., C); target: hidden's leading shape, int64. The result is a
// scalar whose autograd gradient, for any upstream factor, is the exact one
// with respect to hidden, W and b (those that require it). Temporaries beyond
// the logits are chunks of at most `chunk_elements`.
at::Tensor fused_head_nll_sum(const at::Tensor& hidden, const OutputHead& head, const at::Tensor& target,
                              int64_t chunk_elements = int64_t(16) << 20);

// Per sequence, Σ over its positions with a target of log softmax(h Wᵀ + b)[target].
// hidden: (B, T, C); target: (B, T). Returns (B,), each with its own gradient.
at::Tensor fused_head_sequence_logprobs(const at::Tensor& hidden, const OutputHead& head, const at::Tensor& target,
                                        int64_t chunk_elements = int64_t(16) << 20);

} // namespace fabula::training
