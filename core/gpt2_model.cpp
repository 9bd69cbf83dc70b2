#include "core/gpt2_model.h"

#include "core/error.h"
#include "core/gpt2_forward.h"

#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>

#include <cstring>

namespace fabula {

namespace {

at::ScalarType scalar_type(Precision p) {
    switch (p) {
    case Precision::BF16: return at::kBFloat16;
    case Precision::FP16: return at::kHalf;
    default: return at::kFloat;
    }
}

// OpenMP's thread count is per calling thread; the model may be driven from a
// worker thread that never set it.
void use_threads(int n) {
    thread_local int current = -1;
    if (current != n) {
        at::set_num_threads(n);
        current = n;
    }
}

} // namespace

struct Gpt2Model::Impl {
    ModelConfig config;
    Placement placement;
    at::Device device{at::kCPU};
    gpt2::Weights weights;
    gpt2::KVCache cache;

    std::vector<float> run(std::span<const int32_t> ids, bool all) {
        c10::InferenceMode guard;
        use_threads(placement.threads);
        const int64_t T = static_cast<int64_t>(ids.size());
        if (T == 0) throw UsageError("nothing to run: no tokens");
        if (cache.length + T > config.n_positions)
            throw UsageError("the text is longer than the model's context of " + std::to_string(config.n_positions) +
                             " tokens");
        for (int32_t id : ids)
            if (id < 0 || id >= config.vocab_size)
                throw UsageError("token id " + std::to_string(id) + " is outside the model's vocabulary");
        if (cache.k.empty()) allocate_cache();
        std::vector<int64_t> ids64(ids.begin(), ids.end());
        at::Tensor input = at::from_blob(ids64.data(), {1, T}, at::kLong).to(device);
        at::Tensor h = gpt2::hidden_states(weights, config, input, &cache, nullptr);
        if (!all) h = h.narrow(1, T - 1, 1);
        at::Tensor out = gpt2::logits(weights, h).to(at::kCPU, at::kFloat).contiguous();
        const float* p = out.data_ptr<float>();
        return std::vector<float>(p, p + out.numel());
    }

    void allocate_cache() {
        const int64_t H = config.n_head, D = config.head_dim(), P = config.n_positions;
        auto opts = at::TensorOptions().dtype(weights.ln_f_w.scalar_type()).device(device);
        cache.k.clear();
        cache.v.clear();
        for (int l = 0; l < config.n_layer; ++l) {
            cache.k.push_back(at::empty({1, H, P, D}, opts));
            cache.v.push_back(at::empty({1, H, P, D}, opts));
        }
        cache.length = 0;
    }
};

Gpt2Model::Gpt2Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Gpt2Model::~Gpt2Model() = default;

std::unique_ptr<Gpt2Model> Gpt2Model::load(const ModelFolder& folder, const EngineOptions& options,
                                           const std::function<void(double)>& progress) {
    auto impl = std::make_unique<Impl>();
    impl->config = folder.config;
    impl->placement = resolve_placement(options.device, options.precision, options.threads);
    impl->device = impl->placement.device == DeviceKind::CUDA ? at::Device(at::kCUDA, 0) : at::Device(at::kCPU);
    use_threads(impl->placement.threads);

    c10::InferenceMode guard;
    const at::ScalarType wtype = scalar_type(impl->placement.precision);
    // On the CPU, activations, norms and biases stay fp32 and only the large
    // matrices are stored in low precision: decoding is bound by reading them.
    const at::ScalarType atype = impl->placement.device == DeviceKind::CUDA ? wtype : at::kFloat;
    impl->weights = gpt2::load_weights(folder, wtype, atype, impl->device, progress);
    impl->allocate_cache();
    return std::unique_ptr<Gpt2Model>(new Gpt2Model(std::move(impl)));
}

const ModelConfig& Gpt2Model::config() const { return impl_->config; }
const Placement& Gpt2Model::placement() const { return impl_->placement; }
int Gpt2Model::position() const { return static_cast<int>(impl_->cache.length); }
void Gpt2Model::reset() { impl_->cache.length = 0; }

void Gpt2Model::rewind(int position) {
    if (position < 0 || position > impl_->cache.length) throw UsageError("cannot rewind past the cached tokens");
    impl_->cache.length = position;
}

std::vector<float> Gpt2Model::forward(std::span<const int32_t> ids) { return impl_->run(ids, false); }
std::vector<float> Gpt2Model::forward_all(std::span<const int32_t> ids) { return impl_->run(ids, true); }

} // namespace fabula
