#pragma once
// The pieces every family's forward is written with: one Linear for every
// projection, the norms, the attention over a KV cache, the weights as the
// tensor table loaded them. Shared by inference (KV cache, no grad) and
// training (autograd, dropout). Internal: includes ATen, so only the
// engine's and the trainer's .cpp files include it.
#include "core/int8.h"
#include "core/lora.h"
#include "core/model_config.h"
#include "core/model_folder.h"
#include "core/model_tensors.h"

#include <ATen/ATen.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace fabula::nn {

// One low-rank adapter on a projection: adds scale · B A dropout(x).
struct LoraAdapter {
    at::Tensor a;     // [r, in]
    at::Tensor b;     // [out, r]
    double scale = 1; // alpha / r (alpha / sqrt(r) with rsLoRA), times the voice's mixing weight
    double dropout = 0;
    // A frozen copy of the adapter a run started from: applied only in
    // AdapterMode's reference mode, so that a preference objective's
    // reference is the starting model also when a voice is trained further.
    bool reference = false;
};

// y = x Wᵀ + b (+ the adapters). Every projection of every family goes
// through here, so the decoding kernels, int8 weights and adapters plug in once.
struct Linear {
    at::Tensor weight; // [out, in]; undefined when int8 holds it (a tied head: the embedding)
    at::Tensor bias;   // [out] or undefined
    std::vector<LoraAdapter> adapters;
    // Set: the product runs on these int8 weights instead of `weight` (no
    // autograd through them); the adapters still add their fp32 update.
    std::shared_ptr<const kernels::Int8Matrix> int8;
    at::Tensor operator()(const at::Tensor& x) const;
};

// Per thread, for the scope's life: whether adapter dropout is active (like
// module.train()) and which adapters apply: the trained ones, none (PEFT's
// disable_adapter()), or the reference copies (the starting model of a run
// that continues a voice; with none, the base). Scopes nest.
class AdapterMode {
public:
    enum class Use { Trained, None, Reference };
    AdapterMode(bool training, Use use);
    ~AdapterMode();
    static Use current(); // in this thread, now
    AdapterMode(const AdapterMode&) = delete;
    AdapterMode& operator=(const AdapterMode&) = delete;

private:
    bool saved_training_;
    Use saved_use_;
};

at::Tensor layer_norm(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b, double eps);
at::Tensor rms_norm(const at::Tensor& x, const at::Tensor& w, double eps); // Llama's, computed in fp32
at::Tensor activation(const at::Tensor& x, const std::string& kind);
at::Tensor dropout(const at::Tensor& x, double p); // identity for p == 0

// Keys and values of every layer for positions [0, length): [B, H_kv, T_max, D].
struct KVCache {
    std::vector<at::Tensor> k, v;
    int64_t length = 0;
};

struct Dropout {
    double embd = 0, attn = 0, resid = 0;
};

// Causal attention of q (B, H, T, D) over this layer's keys and values,
// after appending k, v (B, H_kv, T, D) to the cache when there is one.
// window > 0: each query sees only the last `window` positions (itself
// included). H may be a multiple of H_kv (grouped-query attention).
// Returns (B, T, H * D).
at::Tensor attention(const at::Tensor& q, at::Tensor k, at::Tensor v, KVCache* cache, int layer, int window,
                     double scale, double dropout_p);

// The model's tensors in tensor-table order, by name.
struct Weights {
    std::vector<TensorSpec> specs;
    std::vector<at::Tensor> tensors;
    // Adapters by module (tensor name without ".weight"); linear() attaches them.
    std::map<std::string, std::vector<LoraAdapter>> adapters;
    // int8 weights by tensor name (load_weights_int8): a quantized
    // projection's float tensor is then undefined. A tied output layer's
    // copy is under the embedding's name, whose float tensor stays for the lookup.
    std::map<std::string, std::shared_ptr<const kernels::Int8Matrix>> int8;

    const at::Tensor& operator[](const std::string& name) const;
    at::Tensor get(const std::string& name) const; // undefined when the table has no such tensor
    bool has(const std::string& name) const;       // in the table (as a float tensor or int8)
    Linear linear(const std::string& prefix) const;
    // The output layer tied to `embedding` (a tensor name), with its int8 copy when there is one.
    Linear tied_head(const std::string& embedding, const at::Tensor& bias = {}) const;
};

// Reads every tensor of a checked folder, in the table's layout: matrices
// become `matrix_type`, norms and biases `vector_type`. Each tensor is
// converted on its own and the file's pages are released behind it.
// read_only (inference): a tensor already in its place's type and layout
// is used straight from the mapping, without a copy.
Weights load_weights(const ModelFolder& folder, at::ScalarType matrix_type, at::ScalarType vector_type,
                     const at::Device& device, const std::function<void(double)>& progress = {},
                     bool read_only = false);

// The same for int8 (inference on the CPU): every projection (Kind::Linear,
// and the tied output layer's copy of the embedding) quantized to int8 as it
// is read, its float copy dropped at once, so the peak stays near the int8
// model plus one tensor per loading thread; embeddings as stored, norms and
// biases fp32.
Weights load_weights_int8(const ModelFolder& folder, const std::function<void(double)>& progress = {});

// The embedding a tied output layer shares in this family's table.
const char* tied_embedding_name(const ModelConfig& config);

// An adapter folder's tensors for these weights (checked by
// AdapterFolder::check_fits first), in `type` on `device`, scaled by
// `weight` (for mixing voices). Keys are modules, as Weights::adapters.
std::map<std::string, LoraAdapter> load_adapter(const AdapterFolder& adapter, const Weights& base, double weight,
                                                at::ScalarType type, const at::Device& device);

// A new model initialised the way transformers initialises the family.
Weights init_weights(const ModelConfig& config, uint64_t seed, const at::Device& device);

// One family's forward pass.
class Network {
public:
    virtual ~Network() = default;
    // ids: (B, T) int64. With a cache, the T tokens follow its `length`
    // tokens and are appended to it. Returns the final hidden states (B, T, C).
    virtual at::Tensor hidden_states(const at::Tensor& ids, KVCache* cache, const Dropout* dropout) const = 0;
    // Logits (B, T, V) from hidden states.
    virtual at::Tensor logits(const at::Tensor& hidden) const = 0;
};

// The family's network over `weights` (which it shares, not copies: the
// trainer's updates are seen by it).
std::unique_ptr<Network> make_network(const ModelConfig& config, const Weights& weights);

// One per family, in core/families/.
std::unique_ptr<Network> make_gpt2(const ModelConfig&, const Weights&);
std::unique_ptr<Network> make_gpt_neo(const ModelConfig&, const Weights&);
std::unique_ptr<Network> make_gptj(const ModelConfig&, const Weights&);
std::unique_ptr<Network> make_llama(const ModelConfig&, const Weights&);

} // namespace fabula::nn
