#include "core/gpt2_forward.h"

#include "core/device.h"
#include "core/gemv.h"

#include <ATen/core/grad_mode.h>

#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <thread>
#include <cstring>

namespace fabula::gpt2 {

std::vector<std::pair<std::string, at::Tensor*>> Weights::named() {
    std::vector<std::pair<std::string, at::Tensor*>> out = {{"wte.weight", &wte}, {"wpe.weight", &wpe}};
    for (size_t i = 0; i < h.size(); ++i) {
        const std::string p = "h." + std::to_string(i) + ".";
        Block& b = h[i];
        out.insert(out.end(), {{p + "ln_1.weight", &b.ln_1_w},       {p + "ln_1.bias", &b.ln_1_b},
                               {p + "attn.c_attn.weight", &b.c_attn_w}, {p + "attn.c_attn.bias", &b.c_attn_b},
                               {p + "attn.c_proj.weight", &b.attn_proj_w}, {p + "attn.c_proj.bias", &b.attn_proj_b},
                               {p + "ln_2.weight", &b.ln_2_w},       {p + "ln_2.bias", &b.ln_2_b},
                               {p + "mlp.c_fc.weight", &b.c_fc_w},   {p + "mlp.c_fc.bias", &b.c_fc_b},
                               {p + "mlp.c_proj.weight", &b.mlp_proj_w}, {p + "mlp.c_proj.bias", &b.mlp_proj_b}});
    }
    out.emplace_back("ln_f.weight", &ln_f_w);
    out.emplace_back("ln_f.bias", &ln_f_b);
    if (lm_head.defined()) out.emplace_back("lm_head.weight", &lm_head);
    return out;
}

namespace {

// x (..., in) -> (..., out). A single row without autograd is a matrix-vector
// product, which reads each weight once and is twice as fast as the GEMM path.
at::Tensor linear(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b) {
    if (x.is_cpu() && x.numel() == x.size(-1) && !at::GradMode::is_enabled()) {
        std::vector<int64_t> shape(x.sizes().begin(), x.sizes().end());
        shape.back() = w.size(0);
        return kernels::gemv(w, x.reshape({-1}).to(at::kFloat).contiguous(), b).to(x.scalar_type()).view(shape);
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

at::Tensor layer_norm(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b, double eps) {
    return at::layer_norm(x, {x.size(-1)}, w, b, eps);
}

at::Tensor activation(const at::Tensor& x, const std::string& kind) {
    if (kind == "gelu") return at::gelu(x);
    if (kind == "relu") return at::relu(x);
    if (kind == "quick_gelu") return x * at::sigmoid(1.702 * x);
    return at::gelu(x, "tanh"); // gelu_new, gelu_pytorch_tanh, gelu_fast: GPT-2's tanh approximation
}

at::Tensor dropout(const at::Tensor& x, double p) { return p > 0 ? at::dropout(x, p, true) : x; }

// Causal self-attention. x: (B, T, C) -> (B, T, C).
at::Tensor attention(const Block& blk, const ModelConfig& c, int layer, const at::Tensor& x, KVCache* cache,
                     double attn_p) {
    const int64_t B = x.size(0), T = x.size(1), C = x.size(2), H = c.n_head, D = C / H;
    at::Tensor qkv = linear(x, blk.c_attn_w, blk.c_attn_b); // (B, T, 3C)
    auto parts = qkv.split(C, -1);
    at::Tensor q = parts[0].view({B, T, H, D}).transpose(1, 2); // (B, H, T, D)
    at::Tensor k = parts[1].view({B, T, H, D}).transpose(1, 2);
    at::Tensor v = parts[2].view({B, T, H, D}).transpose(1, 2);
    const int64_t past = cache ? cache->length : 0;
    if (cache) {
        cache->k[layer].narrow(2, past, T).copy_(k);
        cache->v[layer].narrow(2, past, T).copy_(v);
        k = cache->k[layer].narrow(2, 0, past + T);
        v = cache->v[layer].narrow(2, 0, past + T);
    }
    double scale = c.scale_attn_weights ? 1.0 / std::sqrt(double(D)) : 1.0;
    if (c.scale_attn_by_inverse_layer_idx) scale /= double(layer + 1);
    at::Tensor y;
    if (past == 0 || T == 1) {
        y = at::scaled_dot_product_attention(q, k, v, {}, attn_p, /*is_causal=*/T > 1, scale);
    } else {
        // A chunk after cached tokens: query i sits at position past + i and
        // sees keys 0 .. past + i.
        at::Tensor mask = at::ones({T, past + T}, x.options().dtype(at::kBool)).tril(past);
        y = at::scaled_dot_product_attention(q, k, v, mask, attn_p, false, scale);
    }
    y = y.transpose(1, 2).reshape({B, T, C});
    return linear(y, blk.attn_proj_w, blk.attn_proj_b);
}

at::Tensor mlp(const Block& blk, const ModelConfig& c, const at::Tensor& x) {
    return linear(activation(linear(x, blk.c_fc_w, blk.c_fc_b), c.activation), blk.mlp_proj_w, blk.mlp_proj_b);
}

} // namespace

at::Tensor hidden_states(const Weights& w, const ModelConfig& c, const at::Tensor& ids, KVCache* cache,
                         const Dropout* drop) {
    const int64_t T = ids.size(1);
    const int64_t past = cache ? cache->length : 0;
    const auto act = w.ln_f_w.scalar_type();
    at::Tensor pos = at::arange(past, past + T, ids.options());
    at::Tensor x = at::embedding(w.wte, ids).to(act) + at::embedding(w.wpe, pos).to(act); // (B, T, C)
    if (drop) x = dropout(x, drop->embd);
    for (int l = 0; l < c.n_layer; ++l) {
        const Block& b = w.h[l];
        at::Tensor a = attention(b, c, l, layer_norm(x, b.ln_1_w, b.ln_1_b, c.layer_norm_epsilon), cache,
                                 drop ? drop->attn : 0.0);
        x = x + (drop ? dropout(a, drop->resid) : a);
        at::Tensor m = mlp(b, c, layer_norm(x, b.ln_2_w, b.ln_2_b, c.layer_norm_epsilon));
        x = x + (drop ? dropout(m, drop->resid) : m);
    }
    if (cache) cache->length = past + T;
    return layer_norm(x, w.ln_f_w, w.ln_f_b, c.layer_norm_epsilon);
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
// and, for Conv1D weights, transposed to [out, in]. The mapping is read
// straight from the page cache when the data is aligned (the usual case: the
// reference writer pads the header); otherwise it is first copied aligned.
at::Tensor read_tensor(const SafetensorsFile& f, const TensorInfo& t, at::ScalarType target, bool transpose,
                       const at::Device& device) {
    const auto type = scalar_type(t.dtype);
    const void* data = f.data(t);
    at::Tensor src;
    if (reinterpret_cast<uintptr_t>(data) % dtype_size(t.dtype) == 0) {
        src = at::from_blob(const_cast<void*>(data), t.shape, at::TensorOptions().dtype(type));
    } else {
        src = at::empty(t.shape, at::TensorOptions().dtype(type));
        std::memcpy(src.data_ptr(), data, t.end - t.begin);
    }
    if (transpose) src = src.t();
    at::Tensor out = at::empty(src.sizes(), at::TensorOptions().dtype(target).device(device));
    out.copy_(src);
    return out;
}

} // namespace

Weights load_weights(const ModelFolder& folder, at::ScalarType wtype, at::ScalarType atype, const at::Device& device,
                     const std::function<void(double)>& progress) {
    SafetensorsFile file(folder.weights);
    const Gpt2Tensors t = resolve_gpt2_tensors(file, folder.config);
    struct Job {
        const TensorInfo* info;
        bool matrix, transpose;
        at::Tensor* dest;
    };
    Weights w;
    w.h.resize(t.blocks.size());
    std::vector<Job> jobs = {{t.wte, true, false, &w.wte}, {t.wpe, true, false, &w.wpe}};
    for (size_t i = 0; i < t.blocks.size(); ++i) {
        const BlockTensors& b = t.blocks[i];
        Block& blk = w.h[i];
        jobs.insert(jobs.end(), {{b.ln_1_w, false, false, &blk.ln_1_w},       {b.ln_1_b, false, false, &blk.ln_1_b},
                                 {b.c_attn_w, true, true, &blk.c_attn_w},     {b.c_attn_b, false, false, &blk.c_attn_b},
                                 {b.attn_proj_w, true, true, &blk.attn_proj_w}, {b.attn_proj_b, false, false, &blk.attn_proj_b},
                                 {b.ln_2_w, false, false, &blk.ln_2_w},       {b.ln_2_b, false, false, &blk.ln_2_b},
                                 {b.c_fc_w, true, true, &blk.c_fc_w},         {b.c_fc_b, false, false, &blk.c_fc_b},
                                 {b.mlp_proj_w, true, true, &blk.mlp_proj_w}, {b.mlp_proj_b, false, false, &blk.mlp_proj_b}});
    }
    jobs.insert(jobs.end(), {{t.ln_f_w, false, false, &w.ln_f_w}, {t.ln_f_b, false, false, &w.ln_f_b}});
    if (t.lm_head) jobs.push_back({t.lm_head, true, false, &w.lm_head});

    // The copies (and the transposes of the Conv1D weights) are independent:
    // spread them over the cores. Progress is reported from the calling thread.
    std::atomic<size_t> next{0}, done{0};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto work = [&](bool report) {
        for (size_t i; (i = next.fetch_add(1)) < jobs.size();) {
            try {
                const Job& j = jobs[i];
                *j.dest = read_tensor(file, *j.info, j.matrix ? wtype : atype, j.transpose, device);
            } catch (...) {
                std::lock_guard<std::mutex> lock(error_mutex);
                if (!error) error = std::current_exception();
            }
            const size_t n = done.fetch_add(1) + 1;
            if (report && progress) progress(double(n) / double(jobs.size()));
        }
    };
    std::vector<std::thread> helpers;
    for (int i = 1; i < std::min(available_cores(), 8); ++i) helpers.emplace_back(work, false);
    work(true);
    for (auto& h : helpers) h.join();
    if (error) std::rethrow_exception(error);
    if (progress) progress(1.0);
    return w;
}

at::Tensor logits(const Weights& w, const at::Tensor& hidden) { return linear(hidden, w.output_embedding(), at::Tensor()); }

} // namespace fabula::gpt2
