#include "core/causal_lm.h"

#include "core/error.h"
#include "core/nn.h"
#include "core/weight_files.h"

#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <cstdio>
#include <map>

namespace fabula {

namespace {

at::ScalarType scalar_type(Precision p) {
    switch (p) {
    case Precision::BF16: return at::kBFloat16;
    case Precision::FP16: return at::kHalf;
    default: return at::kFloat;
    }
}

int64_t bytes_per_value(Precision p) { return p == Precision::FP32 ? 4 : 2; }

// OpenMP's thread count is per calling thread; the model may be driven from a
// worker thread that never set it.
void use_threads(int n) {
    thread_local int current = -1;
    if (current != n) {
        at::set_num_threads(n);
        current = n;
    }
}

std::string gigabytes(int64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f GB", double(bytes) / 1e9);
    return buf;
}

struct Plan {
    Placement placement;
    MemoryNeed need;
};

// Bytes of one [rows, cols] matrix in int8: a byte per weight (the rows
// padded to whole groups) and an fp16 scale per group.
int64_t int8_matrix_bytes(int64_t rows, int64_t cols) {
    const int64_t groups = (cols + kernels::kInt8Group - 1) / kernels::kInt8Group;
    return rows * groups * (kernels::kInt8Group + 2);
}

// int8 as nn::load_weights_int8 holds it: every projection (and a tied
// output layer's copy of the embedding) in int8, embeddings as stored,
// norms and biases fp32.
int64_t int8_weight_bytes(const ModelFolder& folder) {
    const ModelConfig& c = folder.config;
    const auto stored = int64_t(dtype_size(WeightFiles(folder.weights).main_dtype()));
    const std::string tied = c.tie_word_embeddings ? nn::tied_embedding_name(c) : "";
    int64_t bytes = 0;
    for (const TensorSpec& s : tensor_table(c)) {
        const bool matrix = s.shape.size() == 2;
        switch (s.kind) {
        case TensorSpec::Kind::Linear: bytes += matrix ? int8_matrix_bytes(s.shape[0], s.shape[1]) : s.numel(); break;
        case TensorSpec::Kind::Embedding:
            bytes += s.numel() * stored;
            if (s.name == tied && matrix) bytes += int8_matrix_bytes(s.shape[0], s.shape[1]);
            break;
        case TensorSpec::Kind::Vector: bytes += s.numel() * 4; break;
        }
    }
    return bytes;
}

// The KV cache's type. On the CPU activations stay fp32, and so does the
// cache of an fp32 model (the parity with Hugging Face); under int8 or
// 16-bit weights it is fp16, as llama.cpp keeps it: a decoded token reads
// the whole cache, so at 512 tokens of GPT-2 124M an fp32 cache was 38 MB
// a token next to the int8 weights' 140 MB.
at::ScalarType kv_cache_type(const Placement& p) {
    if (p.device == DeviceKind::CUDA) return scalar_type(p.precision); // the activations' type there
    return p.precision == Precision::FP32 ? at::kFloat : at::kHalf;
}

// Auto precision on the CPU (after resolve_placement's bf16 or fp32):
// - fp32 weights that would not fit (over 90 % of the free memory) stay in
//   a 16-bit file's precision (computed as the bf16 path does);
// - int8, when the weights still would not fit, or when their 16-bit size
//   is over 2 GiB (1.07 B parameters: GPT-2 XL, TinyLlama and up), where
//   reading the weights for every token is what makes decoding slow.
// Small models (every test model, GPT-2 up to medium) keep fp32 / bf16.
// The KV cache takes at most a quarter of what is left after the weights,
// so a 32k-context model does not reserve the machine.
Plan plan(const ModelFolder& folder, const EngineOptions& o) {
    Plan p;
    p.placement = resolve_placement(o.device, o.precision, o.threads);
    const ModelConfig& c = folder.config;
    const int64_t params = c.parameter_count();
    p.need.available_bytes = available_memory_bytes();
    const int64_t avail = p.need.available_bytes;
    const bool cpu = p.placement.device == DeviceKind::CPU;
    const auto too_big = [&](Precision q) { return avail > 0 && params * bytes_per_value(q) > avail * 9 / 10; };
    if (o.precision == Precision::Auto && cpu && p.placement.precision == Precision::FP32 && too_big(Precision::FP32)) {
        const DType file = WeightFiles(folder.weights).main_dtype();
        if (file == DType::BF16) p.placement.precision = Precision::BF16;
        if (file == DType::F16) p.placement.precision = Precision::FP16;
    }
    constexpr int64_t kSlow16BitBytes = int64_t(2) << 30;
    if (o.precision == Precision::Auto && cpu && (too_big(p.placement.precision) || params * 2 > kSlow16BitBytes))
        p.placement.precision = Precision::Int8;
    p.need.precision = p.placement.precision;
    p.need.weight_bytes = p.placement.precision == Precision::Int8 ? int8_weight_bytes(folder)
                                                                    : params * bytes_per_value(p.placement.precision);
    const int64_t per_token = 2LL * c.n_layer * c.kv_heads() * c.head_dim() *
                              int64_t(c10::elementSize(kv_cache_type(p.placement)));
    int context = c.n_positions;
    if (o.max_context > 0) context = std::min(context, o.max_context);
    if (o.max_context <= 0 && avail > 0) {
        const int64_t budget = std::max<int64_t>(0, avail - p.need.weight_bytes) / 4;
        context = int(std::min<int64_t>(context, std::max<int64_t>(256, budget / per_token)));
        context = std::min(context, c.n_positions);
    }
    p.need.context = context;
    p.need.cache_bytes = per_token * context;
    return p;
}

} // namespace

struct CausalLM::Impl {
    ModelFolder folder;
    ModelConfig config;
    std::vector<AdapterChoice> adapters;
    Placement placement;
    int context = 0;
    at::Device device{at::kCPU};
    nn::Weights weights;
    std::unique_ptr<nn::Network> network;
    nn::KVCache cache;
    at::ScalarType activation_type = at::kFloat; // also the adapters'
    at::ScalarType kv_type = at::kFloat;

    std::vector<float> run(std::span<const int32_t> ids, bool all) {
        c10::InferenceMode guard;
        use_threads(placement.threads);
        const int64_t T = static_cast<int64_t>(ids.size());
        if (T == 0) throw UsageError("nothing to run: no tokens");
        if (cache.length + T > context)
            throw UsageError("the text is longer than the model's context of " + std::to_string(context) + " tokens");
        for (int32_t id : ids)
            if (id < 0 || id >= config.vocab_size)
                throw UsageError("token id " + std::to_string(id) + " is outside the model's vocabulary");
        if (cache.k.empty()) allocate_cache();
        std::vector<int64_t> ids64(ids.begin(), ids.end());
        at::Tensor input = at::from_blob(ids64.data(), {1, T}, at::kLong).to(device);
        at::Tensor h = network->hidden_states(input, &cache, nullptr);
        if (!all) h = h.narrow(1, T - 1, 1);
        at::Tensor out = network->logits(h).to(at::kCPU, at::kFloat).contiguous();
        const float* p = out.data_ptr<float>();
        return std::vector<float>(p, p + out.numel());
    }

    void allocate_cache() {
        const int64_t H = config.kv_heads(), D = config.head_dim();
        auto opts = at::TensorOptions().dtype(kv_type).device(device);
        cache.k.clear();
        cache.v.clear();
        for (int l = 0; l < config.n_layer; ++l) {
            cache.k.push_back(at::empty({1, H, context, D}, opts));
            cache.v.push_back(at::empty({1, H, context, D}, opts));
        }
        cache.length = 0;
    }
};

CausalLM::CausalLM(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CausalLM::~CausalLM() = default;

MemoryNeed CausalLM::memory_need(const ModelFolder& folder, const EngineOptions& options) {
    return plan(folder, options).need;
}

std::unique_ptr<CausalLM> CausalLM::load(const ModelFolder& folder, const EngineOptions& options,
                                         const std::function<void(double)>& progress) {
    const Plan p = plan(folder, options);
    if (p.placement.device == DeviceKind::CPU && p.need.available_bytes > 0 &&
        p.need.weight_bytes + p.need.cache_bytes > p.need.available_bytes)
        throw UsageError(folder.dir.string() + ": this " + family_name(folder.config.family) + " model needs " +
                         gigabytes(p.need.weight_bytes) + " for its weights in " + to_string(p.need.precision) +
                         " and " + gigabytes(p.need.cache_bytes) + " for " + std::to_string(p.need.context) +
                         " tokens of context, but only " + gigabytes(p.need.available_bytes) +
                         " of memory is available");
    auto impl = std::make_unique<Impl>();
    impl->folder = folder;
    impl->config = folder.config;
    impl->placement = p.placement;
    impl->context = p.need.context;
    impl->device = p.placement.device == DeviceKind::CUDA ? at::Device(at::kCUDA, 0) : at::Device(at::kCPU);
    use_threads(impl->placement.threads);

    c10::InferenceMode guard;
    const at::ScalarType wtype = scalar_type(impl->placement.precision);
    // On the CPU, activations, norms and biases stay fp32 and only the large
    // matrices are stored in low precision: decoding is bound by reading them.
    const at::ScalarType atype = impl->placement.device == DeviceKind::CUDA ? wtype : at::kFloat;
    impl->activation_type = atype;
    impl->kv_type = kv_cache_type(impl->placement);
    impl->weights = impl->placement.precision == Precision::Int8
                        ? nn::load_weights_int8(folder, progress)
                        : nn::load_weights(folder, wtype, atype, impl->device, progress, /*read_only=*/true);
    impl->network = nn::make_network(impl->config, impl->weights);
    impl->allocate_cache();
    return std::unique_ptr<CausalLM>(new CausalLM(std::move(impl)));
}

const ModelConfig& CausalLM::config() const { return impl_->config; }
const Placement& CausalLM::placement() const { return impl_->placement; }
int CausalLM::context_length() const { return impl_->context; }
int CausalLM::position() const { return static_cast<int>(impl_->cache.length); }
void CausalLM::reset() { impl_->cache.length = 0; }

void CausalLM::rewind(int position) {
    if (position < 0 || position > impl_->cache.length) throw UsageError("cannot rewind past the cached tokens");
    impl_->cache.length = position;
}

void CausalLM::set_adapters(const std::vector<AdapterChoice>& choices) {
    // Everything is read and checked before the working voice is touched.
    std::map<std::string, std::vector<nn::LoraAdapter>> merged;
    {
        c10::InferenceMode guard;
        for (const AdapterChoice& c : choices) {
            const AdapterFolder folder = AdapterFolder::inspect(c.dir);
            folder.check_fits(impl_->folder);
            for (auto& [module, a] : nn::load_adapter(folder, impl_->weights, c.weight, impl_->activation_type, impl_->device))
                merged[module].push_back(a);
        }
    }
    impl_->weights.adapters = std::move(merged);
    impl_->network = nn::make_network(impl_->config, impl_->weights);
    impl_->adapters = choices;
    impl_->cache.length = 0;
}

const std::vector<AdapterChoice>& CausalLM::adapters() const { return impl_->adapters; }

std::vector<float> CausalLM::forward(std::span<const int32_t> ids) { return impl_->run(ids, false); }
std::vector<float> CausalLM::forward_all(std::span<const int32_t> ids) { return impl_->run(ids, true); }

} // namespace fabula
