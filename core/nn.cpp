#include "core/nn.h"

#include "core/device.h"
#include "core/error.h"
#include "core/gemv.h"
#include "core/weight_files.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <ATen/core/grad_mode.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <cstring>
#include <exception>
#include <mutex>
#include <thread>

namespace fabula::nn {

namespace {
thread_local bool adapter_training = false;
thread_local AdapterMode::Use adapter_use = AdapterMode::Use::Trained;
} // namespace

AdapterMode::AdapterMode(bool training, Use use) : saved_training_(adapter_training), saved_use_(adapter_use) {
    adapter_training = training;
    adapter_use = use;
}

AdapterMode::Use AdapterMode::current() { return adapter_use; }

AdapterMode::~AdapterMode() {
    adapter_training = saved_training_;
    adapter_use = saved_use_;
}

namespace {

at::Tensor base_linear(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b);

// A single row (decoding) is a matrix-vector product over the int8 rows;
// more rows (a prompt, an evaluation window) go through the tiled path.
at::Tensor int8_linear(const at::Tensor& x, const kernels::Int8Matrix& m, const at::Tensor& b) {
    std::vector<int64_t> shape(x.sizes().begin(), x.sizes().end());
    shape.back() = m.rows;
    const at::Tensor xf = x.to(at::kFloat).contiguous();
    at::Tensor y = x.numel() == x.size(-1) ? kernels::gemv_int8(m, xf.reshape({-1}), b)
                                           : kernels::linear_int8(m, xf.reshape({-1, m.cols}), b);
    return y.to(x.scalar_type()).view(shape);
}

} // namespace

at::Tensor Linear::operator()(const at::Tensor& x) const {
    at::Tensor y = int8 ? int8_linear(x, *int8, bias) : base_linear(x, weight, bias);
    if (adapters.empty() || adapter_use == AdapterMode::Use::None) return y;
    const bool reference = adapter_use == AdapterMode::Use::Reference;
    // PEFT's order: y + B(A(dropout(x))) * scale, one adapter after another.
    for (const LoraAdapter& a : adapters) {
        if (a.reference != reference) continue;
        at::Tensor h = a.dropout > 0 && adapter_training ? at::dropout(x, a.dropout, true) : x;
        h = at::linear(at::linear(h.to(a.a.scalar_type()), a.a), a.b);
        y = y + (h * a.scale).to(y.scalar_type());
    }
    return y;
}

namespace {

at::Tensor base_linear(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b) {
    // A single row without autograd is a matrix-vector product, which reads
    // each weight once and is twice as fast as the GEMM path.
    if (x.is_cpu() && x.numel() == x.size(-1) && !at::GradMode::is_enabled()) {
        std::vector<int64_t> shape(x.sizes().begin(), x.sizes().end());
        shape.back() = w.size(0);
        at::Tensor row = x.reshape({-1});
        // bf16 weights on a CPU with a bf16 dot product: the activation is
        // rounded to bf16 for the product, as the prompt's GEMM below does
        // (and a bf16 Hugging Face model everywhere), so the weights are
        // read without being widened; the sums stay fp32.
        if (w.scalar_type() == at::kBFloat16 && row.scalar_type() == at::kFloat && kernels::gemv_has_bf16_dot())
            row = row.to(at::kBFloat16);
        return kernels::gemv(w, row, b).to(x.scalar_type()).view(shape);
    }
    if (x.scalar_type() != w.scalar_type()) {
        // Low-precision weights with fp32 activations. CPUs without native
        // bf16/fp16 arithmetic emulate it at a crawl, so there the weights are
        // widened instead (one pass over them per chunk of tokens).
        static const bool native = cpu_has_fast_bf16();
        if (x.is_cpu() && !native) return at::linear(x, w.to(x.scalar_type()), b);
        at::Tensor y = at::linear(x.to(w.scalar_type()), w).to(x.scalar_type());
        return b.defined() ? y.add_(b) : y;
    }
    return at::linear(x, w, b);
}

} // namespace

at::Tensor layer_norm(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b, double eps) {
    return at::layer_norm(x, {x.size(-1)}, w, b, eps);
}

at::Tensor rms_norm(const at::Tensor& x, const at::Tensor& w, double eps) {
    at::Tensor h = x.to(at::kFloat);
    h = h * at::rsqrt(h.pow(2).mean({-1}, /*keepdim=*/true) + eps);
    return w * h.to(x.scalar_type());
}

at::Tensor activation(const at::Tensor& x, const std::string& kind) {
    if (kind == "gelu") return at::gelu(x);
    if (kind == "relu") return at::relu(x);
    if (kind == "silu" || kind == "swish") return at::silu(x);
    if (kind == "quick_gelu") return x * at::sigmoid(1.702 * x);
    // gelu_new, gelu_pytorch_tanh, gelu_fast: GPT-2's tanh approximation
    if (x.is_cpu() && x.scalar_type() == at::kFloat && !at::GradMode::is_enabled()) return kernels::gelu_tanh(x);
    return at::gelu(x, "tanh");
}

namespace {

// Dropout's multiplier per element: 0 or 1 / (1 − p). torch's CPU bernoulli_
// runs element by element on one thread (on AMD CPUs always: its MKL path is
// for Intel's), and attention dropout alone drew ~75 M of them per GPT-2
// step, the largest cost after the GEMMs. A counter-based hash (splitmix64)
// of one seed from the default generator is parallel and as reproducible:
// the checkpointed generator state still decides every mask. fp32, so that
// the products forward and backward stay vectorised.
at::Tensor dropout_multiplier(const at::Tensor& like, double p) {
    uint64_t seed;
    {
        at::Generator gen = at::globalContext().defaultGenerator(at::kCPU);
        std::lock_guard<std::mutex> lock(gen.mutex());
        seed = gen.get<at::CPUGeneratorImpl>()->random64();
    }
    at::Tensor mask = at::empty(like.sizes(), like.options().dtype(at::kFloat));
    float* out = mask.data_ptr<float>();
    const auto threshold = uint32_t(std::min(p, 1.0) * 4294967295.0);
    const auto scale = float(1.0 / (1.0 - p));
    at::parallel_for(0, mask.numel(), int64_t(1) << 16, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
            uint64_t z = seed + uint64_t(i) * 0x9E3779B97F4A7C15ull;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
            out[i] = uint32_t((z ^ (z >> 31)) >> 32) >= threshold ? scale : 0.0f;
        }
    });
    return like.scalar_type() == at::kFloat ? mask : mask.to(like.scalar_type());
}

} // namespace

at::Tensor dropout(const at::Tensor& x, double p) {
    if (p <= 0) return x;
    if (!x.is_cpu()) return at::dropout(x, p, true);
    if (p >= 1) return x * 0;
    return x * dropout_multiplier(x, p);
}

namespace {

// q (B, H, T, D) at positions past.. against keys and values (B, KV, past + T, D):
// the library's attention, (B, H, T, D).
at::Tensor library_attention(const at::Tensor& q, at::Tensor k, at::Tensor v, int64_t past, int window, double scale,
                             double dropout_p) {
    const int64_t B = q.size(0), H = q.size(1), T = q.size(2), D = q.size(3), S = past + T;
    const bool gqa = k.size(1) != H;
    at::Tensor y;
    if (dropout_p > 0 && q.is_cpu()) {
        // Training with attention dropout: torch's fused CPU kernel takes no
        // dropout, so SDPA would run this same math with torch's slow dropout.
        if (gqa) k = k.repeat_interleave(H / k.size(1), 1), v = v.repeat_interleave(H / v.size(1), 1);
        auto opts = at::TensorOptions().dtype(at::kLong).device(q.device());
        at::Tensor qpos = at::arange(past, S, opts).unsqueeze(1), kpos = at::arange(S, opts).unsqueeze(0);
        at::Tensor hidden = kpos > qpos;
        if (window > 0) hidden = hidden | ((qpos - kpos) >= window);
        // The mask (0 or −inf) is the GEMM's accumulator and the scale its
        // alpha: one pass over the scores instead of three.
        at::Tensor bias = at::zeros({T, S}, q.options()).masked_fill_(hidden, -std::numeric_limits<double>::infinity());
        at::Tensor scores = at::baddbmm(bias, q.reshape({B * H, T, D}), k.reshape({B * H, S, D}).transpose(1, 2),
                                        /*beta=*/1, /*alpha=*/scale);
        y = at::bmm(dropout(at::softmax(scores, -1), dropout_p), v.reshape({B * H, S, D})).view({B, H, T, D});
    } else if (T == 1 && window > 0 && S > window) {
        // One new token sees the last `window` keys: no mask needed.
        y = at::scaled_dot_product_attention(q, k.narrow(2, S - window, window), v.narrow(2, S - window, window), {},
                                             dropout_p, false, scale, gqa);
    } else if ((window <= 0 || S <= window) && (past == 0 || T == 1)) {
        y = at::scaled_dot_product_attention(q, k, v, {}, dropout_p, /*is_causal=*/T > 1, scale, gqa);
    } else {
        // Query i sits at position past + i and sees keys j <= past + i
        // (and within the window).
        auto opts = at::TensorOptions().dtype(at::kLong).device(q.device());
        at::Tensor qpos = at::arange(past, S, opts).unsqueeze(1), kpos = at::arange(S, opts).unsqueeze(0);
        at::Tensor mask = kpos <= qpos;
        if (window > 0) mask = mask & ((qpos - kpos) < window);
        y = at::scaled_dot_product_attention(q, k, v, mask, dropout_p, false, scale, gqa);
    }
    return y;
}

// Queries per call of the library's CPU attention for a long prompt: one
// causal call over 512 queries took half as long again as two calls of 256
// (the second under a mask), on 2 cores with torch 2.13.
constexpr int64_t kPromptQueryBlock = 256;

} // namespace

at::Tensor attention(const at::Tensor& q, at::Tensor k, at::Tensor v, KVCache* cache, int layer, int window,
                     double scale, double dropout_p) {
    const int64_t B = q.size(0), H = q.size(1), T = q.size(2), D = q.size(3);
    const int64_t past = cache ? cache->length : 0;
    const bool cpu_inference = q.is_cpu() && dropout_p <= 0 && !at::GradMode::is_enabled();
    if (cache && T == 1 && cpu_inference) {
        // Decoding: the library route (copies into the cache, narrowing,
        // SDPA's dispatch) cost ~20 µs a layer before any arithmetic and
        // streamed the cache at half the read bandwidth; one kernel appends
        // to the cache and attends in a single pass per head.
        at::Tensor y = kernels::decode_attention(q, k, v, cache->k[size_t(layer)], cache->v[size_t(layer)], past,
                                                 window, scale);
        if (y.defined()) return y;
    }
    if (cache) {
        cache->k[size_t(layer)].narrow(2, past, T).copy_(k);
        cache->v[size_t(layer)].narrow(2, past, T).copy_(v);
        k = cache->k[size_t(layer)].narrow(2, 0, past + T);
        v = cache->v[size_t(layer)].narrow(2, 0, past + T);
    }
    if (T > 1 && cpu_inference) {
        at::Tensor y = kernels::prompt_attention(q, k, v, past, window, scale); // reads a 16-bit cache as it is
        if (y.defined()) return y;
    }
    // A 16-bit cache under fp32 activations: the library attends in one type.
    if (k.scalar_type() != q.scalar_type()) k = k.to(q.scalar_type()), v = v.to(q.scalar_type());
    if (T > kPromptQueryBlock && cpu_inference) {
        std::vector<at::Tensor> blocks;
        for (int64_t i0 = 0; i0 < T; i0 += kPromptQueryBlock) {
            const int64_t n = std::min(kPromptQueryBlock, T - i0);
            blocks.push_back(library_attention(q.narrow(2, i0, n), k.narrow(2, 0, past + i0 + n),
                                               v.narrow(2, 0, past + i0 + n), past + i0, window, scale, dropout_p));
        }
        return at::cat(blocks, 2).transpose(1, 2).reshape({B, T, H * D});
    }
    return library_attention(q, k, v, past, window, scale, dropout_p).transpose(1, 2).reshape({B, T, H * D});
}

const at::Tensor& Weights::operator[](const std::string& name) const {
    for (size_t i = 0; i < specs.size(); ++i)
        if (specs[i].name == name) return tensors[i];
    throw std::logic_error("the tensor table has no '" + name + "'");
}

at::Tensor Weights::get(const std::string& name) const {
    for (size_t i = 0; i < specs.size(); ++i)
        if (specs[i].name == name) return tensors[i];
    return {};
}

bool Weights::has(const std::string& name) const {
    if (int8.count(name)) return true;
    return std::any_of(specs.begin(), specs.end(), [&](const TensorSpec& s) { return s.name == name; });
}

Linear Weights::linear(const std::string& prefix) const {
    const std::string name = prefix + ".weight";
    Linear l;
    if (auto q = int8.find(name); q != int8.end()) l.int8 = q->second;
    else l.weight = (*this)[name];
    l.bias = get(prefix + ".bias");
    auto it = adapters.find(prefix);
    if (it != adapters.end()) l.adapters = it->second;
    return l;
}

Linear Weights::tied_head(const std::string& embedding, const at::Tensor& bias) const {
    Linear l{(*this)[embedding], bias, {}, {}};
    if (auto q = int8.find(embedding); q != int8.end()) l.int8 = q->second;
    return l;
}

const char* tied_embedding_name(const ModelConfig& c) {
    return c.family == Family::Llama ? "model.embed_tokens.weight" : "transformer.wte.weight";
}

namespace {

at::ScalarType scalar_type(DType d) {
    switch (d) {
    case DType::F32: return at::kFloat;
    case DType::F16: return at::kHalf;
    case DType::BF16: return at::kBFloat16;
    }
    return at::kFloat;
}

// Copies a tensor out of the mapped file into memory of its own, converted
// and, for Conv1D weights, transposed to [out, in], then drops the file's
// pages. The mapping is read straight from the page cache when the data is
// aligned (the usual case: the reference writer pads the header).
at::Tensor read_tensor(const WeightFiles::Entry& e, const TensorSpec& spec, at::ScalarType target,
                       const at::Device& device) {
    const TensorInfo& t = *e.info;
    const auto type = scalar_type(t.dtype);
    const void* data = e.file->data(t);
    at::Tensor src;
    if (reinterpret_cast<uintptr_t>(data) % dtype_size(t.dtype) == 0) {
        src = at::from_blob(const_cast<void*>(data), t.shape, at::TensorOptions().dtype(type));
    } else {
        src = at::empty(t.shape, at::TensorOptions().dtype(type));
        std::memcpy(src.data_ptr(), data, t.end - t.begin);
    }
    if (spec.file_transposed) src = src.t();
    at::Tensor out = at::empty(src.sizes(), at::TensorOptions().dtype(target).device(device));
    out.copy_(src);
    e.file->release(t);
    return out;
}

} // namespace

namespace {

// Runs one(i) for every tensor, spread over the cores (the copies, the
// transposes of the Conv1D weights and the quantizing are independent).
// Progress is reported from the calling thread.
void for_each_tensor(size_t count, const std::function<void(size_t)>& one,
                     const std::function<void(double)>& progress) {
    std::atomic<size_t> next{0}, done{0};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto work = [&](bool report) {
        for (size_t i; (i = next.fetch_add(1)) < count;) {
            try {
                one(i);
            } catch (...) {
                std::lock_guard<std::mutex> lock(error_mutex);
                if (!error) error = std::current_exception();
            }
            const size_t n = done.fetch_add(1) + 1;
            if (report && progress) progress(double(n) / double(count));
        }
    };
    std::vector<std::thread> helpers;
    for (int i = 1; i < std::min(available_cores(), 8); ++i) helpers.emplace_back(work, false);
    work(true);
    for (auto& h : helpers) h.join();
    if (error) std::rethrow_exception(error);
    if (progress) progress(1.0);
}

bool usable_in_place(const WeightFiles::Entry& e, const TensorSpec& s, at::ScalarType target) {
    const TensorInfo& t = *e.info;
    return !s.file_transposed && scalar_type(t.dtype) == target &&
           reinterpret_cast<uintptr_t>(e.file->data(t)) % dtype_size(t.dtype) == 0;
}

// A tensor straight from the mapping (kept alive by `files`), read-only.
at::Tensor mapped(const std::shared_ptr<const WeightFiles>& files, const WeightFiles::Entry& e) {
    const TensorInfo& t = *e.info;
    at::Tensor out = at::from_blob(const_cast<std::byte*>(e.file->data(t)), t.shape, [files](void*) {},
                                   at::TensorOptions().dtype(scalar_type(t.dtype)));
    e.file->prefetch(t);
    return out;
}

} // namespace

Weights load_weights(const ModelFolder& folder, at::ScalarType wtype, at::ScalarType atype, const at::Device& device,
                     const std::function<void(double)>& progress, bool read_only) {
    // Shared with every tensor used from the mapping: the files stay mapped
    // as long as one of them lives.
    const auto files = std::make_shared<const WeightFiles>(folder.weights);
    Weights w;
    w.specs = tensor_table(folder.config);
    const std::vector<WeightFiles::Entry> entries = files->resolve(w.specs);
    w.tensors.resize(w.specs.size());
    for_each_tensor(entries.size(), [&](size_t i) {
        const TensorSpec& s = w.specs[i];
        const at::ScalarType target = s.is_matrix() ? wtype : atype;
        if (read_only && device.is_cpu() && usable_in_place(entries[i], s, target))
            w.tensors[i] = mapped(files, entries[i]);
        else
            w.tensors[i] = read_tensor(entries[i], s, target, device);
    }, progress);
    return w;
}

Weights load_weights_int8(const ModelFolder& folder, const std::function<void(double)>& progress) {
    const auto files = std::make_shared<const WeightFiles>(folder.weights);
    Weights w;
    w.specs = tensor_table(folder.config);
    const std::vector<WeightFiles::Entry> entries = files->resolve(w.specs);
    w.tensors.resize(w.specs.size());
    std::vector<std::shared_ptr<const kernels::Int8Matrix>> quantized(w.specs.size());
    const std::string tied = folder.config.tie_word_embeddings ? tied_embedding_name(folder.config) : "";
    const at::Device cpu(at::kCPU);
    for_each_tensor(entries.size(), [&](size_t i) {
        const TensorSpec& s = w.specs[i];
        const WeightFiles::Entry& e = entries[i];
        const at::ScalarType stored = scalar_type(e.info->dtype);
        if (s.kind == TensorSpec::Kind::Vector) {
            w.tensors[i] = usable_in_place(e, s, at::kFloat) ? mapped(files, e) : read_tensor(e, s, at::kFloat, cpu);
            return;
        }
        if (s.kind == TensorSpec::Kind::Embedding) {
            w.tensors[i] = usable_in_place(e, s, stored) ? mapped(files, e) : read_tensor(e, s, stored, cpu);
            if (s.name == tied)
                quantized[i] = std::make_shared<kernels::Int8Matrix>(kernels::quantize_int8(w.tensors[i]));
            return;
        }
        // A projection: quantized from the mapping where it can be (through
        // one float copy, also of a transposed Conv1D weight), then only the
        // int8 rows stay.
        at::Tensor f;
        if (reinterpret_cast<uintptr_t>(e.file->data(*e.info)) % dtype_size(e.info->dtype) == 0) {
            f = at::from_blob(const_cast<std::byte*>(e.file->data(*e.info)), e.info->shape,
                              at::TensorOptions().dtype(stored));
            if (s.file_transposed) f = f.t();
        } else {
            f = read_tensor(e, s, at::kFloat, cpu);
        }
        quantized[i] = std::make_shared<kernels::Int8Matrix>(kernels::quantize_int8(f));
        f.reset();
        e.file->release(*e.info);
    }, progress);
    for (size_t i = 0; i < w.specs.size(); ++i)
        if (quantized[i]) w.int8[w.specs[i].name] = std::move(quantized[i]);
    return w;
}

std::map<std::string, LoraAdapter> load_adapter(const AdapterFolder& adapter, const Weights& base, double weight,
                                                at::ScalarType type, const at::Device& device) {
    const SafetensorsFile file(adapter.dir / kAdapterWeightsFile);
    const double scale = adapter.settings.scale() * weight;
    std::map<std::string, LoraAdapter> out;
    TensorSpec plain; // PEFT stores A (r, in) and B (out, r) untransposed, Conv1D or not
    for (const std::string& module : adapter.modules) {
        if (!base.has(module + ".weight"))
            throw FileError(adapter.dir.string(), "adapts " + module + ", which this model does not have");
        LoraAdapter a;
        a.a = read_tensor({&file, file.find(lora_a_name(module))}, plain, type, device);
        a.b = read_tensor({&file, file.find(lora_b_name(module))}, plain, type, device);
        a.scale = scale;
        a.dropout = adapter.settings.dropout;
        out[module] = a;
    }
    return out;
}

Weights init_weights(const ModelConfig& c, uint64_t seed, const at::Device& device) {
    at::NoGradGuard no_grad;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    auto opts = at::TensorOptions().dtype(at::kFloat);
    Weights w;
    w.specs = tensor_table(c);
    for (const TensorSpec& s : w.specs) {
        at::Tensor t;
        switch (s.init) {
        case TensorSpec::Init::Normal: t = at::normal(0.0, s.init_std, s.shape, gen, opts); break;
        case TensorSpec::Init::Zeros: t = at::zeros(s.shape, opts); break;
        case TensorSpec::Init::Ones: t = at::ones(s.shape, opts); break;
        }
        // nn.Embedding(padding_idx) starts the padding row at zero (Llama family).
        const auto pad = c.source.find("pad_token_id");
        if (c.family == Family::Llama && s.kind == TensorSpec::Kind::Embedding && pad != c.source.end() &&
            pad->is_number_integer() && pad->get<int64_t>() >= 0 && pad->get<int64_t>() < s.shape[0] &&
            s.name == "model.embed_tokens.weight")
            t[pad->get<int64_t>()].zero_();
        w.tensors.push_back(t.to(device));
    }
    return w;
}

std::unique_ptr<Network> make_network(const ModelConfig& c, const Weights& w) {
    switch (c.family) {
    case Family::Gpt2: return make_gpt2(c, w);
    case Family::GptNeo: return make_gpt_neo(c, w);
    case Family::GptJ: return make_gptj(c, w);
    case Family::Llama: return make_llama(c, w);
    }
    throw std::logic_error("no network for this family");
}

} // namespace fabula::nn
