#include "training/optimizer.h"

#include <ATen/core/grad_mode.h>

#include <algorithm>
#include <cmath>

namespace fabula::training {

namespace {

bool fusable(const at::Tensor& p, const at::Tensor& g, const at::Tensor& m, const at::Tensor& v) {
    const auto type = p.scalar_type();
    if (!(p.is_cpu() || p.is_cuda()) || (type != at::kFloat && type != at::kDouble)) return false;
    for (const at::Tensor* t : {&p, &g, &m, &v})
        if (t->scalar_type() != type || t->device() != p.device() || !t->is_contiguous() || t->is_sparse())
            return false;
    return true;
}

} // namespace

AdamW::AdamW(std::vector<at::Tensor> params, std::vector<bool> decay, AdamWSettings settings)
    : params_(std::move(params)), decay_(std::move(decay)), s_(settings) {
    for (const auto& p : params_) {
        m_.push_back(at::zeros_like(p, at::MemoryFormat::Contiguous).detach());
        v_.push_back(at::zeros_like(p, at::MemoryFormat::Contiguous).detach());
    }
}

void AdamW::step(double lr) {
    at::NoGradGuard no_grad;
    ++steps_;
    const double bc1 = 1.0 - std::pow(s_.beta1, double(steps_));
    const double bc2 = 1.0 - std::pow(s_.beta2, double(steps_));
    const double step_size = lr / bc1;
    const double bc2_sqrt = std::sqrt(bc2);
    // torch's fused kernel does the update below in one pass over each
    // tensor, where the separate ops would make eight (and a temporary).
    std::vector<at::Tensor> fused[2][4]; // [decayed][param, grad, exp_avg, exp_avg_sq]
    for (size_t i = 0; i < params_.size(); ++i) {
        at::Tensor p = params_[i];
        const at::Tensor& g = p.grad();
        if (!g.defined()) continue;
        if (fusable(p, g, m_[i], v_[i])) {
            auto& group = fused[decay_[i] && s_.weight_decay != 0 ? 1 : 0];
            group[0].push_back(p);
            group[1].push_back(g);
            group[2].push_back(m_[i]);
            group[3].push_back(v_[i]);
            continue;
        }
        if (decay_[i] && s_.weight_decay != 0) p.mul_(1.0 - lr * s_.weight_decay);
        m_[i].lerp_(g, 1.0 - s_.beta1);
        v_[i].mul_(s_.beta2).addcmul_(g, g, 1.0 - s_.beta2);
        at::Tensor denom = (v_[i].sqrt() / bc2_sqrt).add_(s_.eps);
        p.addcdiv_(m_[i], denom, -step_size);
    }
    for (int decayed = 0; decayed < 2; ++decayed) {
        auto& group = fused[decayed];
        if (group[0].empty()) continue;
        // The kernel reads the step count (after this step's increment) from a tensor per parameter.
        at::Tensor step_count = at::full({}, double(steps_), group[0].front().options().dtype(at::kFloat));
        std::vector<at::Tensor> counts(group[0].size(), step_count);
        at::_fused_adamw_(group[0], group[1], group[2], group[3], {}, counts, lr, s_.beta1, s_.beta2,
                          decayed ? s_.weight_decay : 0.0, s_.eps, /*amsgrad=*/false, /*maximize=*/false);
    }
}

void AdamW::zero_grad() {
    for (auto& p : params_)
        if (p.grad().defined()) p.mutable_grad().reset();
}

double linear_schedule(int64_t step, int64_t warmup, int64_t total) {
    if (step < warmup) return double(step) / double(std::max<int64_t>(1, warmup));
    return std::max(0.0, double(total - step) / double(std::max<int64_t>(1, total - warmup)));
}

double clip_grad_norm(const std::vector<at::Tensor>& params, double max_norm) {
    at::NoGradGuard no_grad;
    std::vector<at::Tensor> norms;
    for (const auto& p : params)
        if (p.grad().defined()) norms.push_back(p.grad().norm(2).to(at::kFloat));
    if (norms.empty()) return 0.0;
    at::Tensor total = at::stack(norms).norm(2);
    const double total_norm = total.item<double>();
    // torch multiplies by min(1, max_norm / (norm + 1e-6)) computed as a tensor.
    at::Tensor coef = (max_norm / (total + 1e-6)).clamp_max(1.0);
    for (const auto& p : params)
        if (p.grad().defined()) p.grad().mul_(coef.to(p.grad().scalar_type()));
    return total_norm;
}

bool LossScaler::unscale(const std::vector<at::Tensor>& params) {
    at::NoGradGuard no_grad;
    bool finite = true;
    for (const auto& p : params) {
        if (!p.grad().defined()) continue;
        p.grad().mul_(1.0 / scale);
        if (!at::isfinite(p.grad()).all().item<bool>()) finite = false;
    }
    if (!finite) {
        scale *= 0.5;
        good_steps = 0;
        return false;
    }
    if (++good_steps >= growth_interval) {
        scale *= 2.0;
        good_steps = 0;
    }
    return true;
}

} // namespace fabula::training
