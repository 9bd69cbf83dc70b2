#include "training/optimizer.h"

#include <ATen/core/grad_mode.h>

#include <algorithm>
#include <cmath>

namespace fabula::training {

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
    for (size_t i = 0; i < params_.size(); ++i) {
        at::Tensor p = params_[i];
        const at::Tensor& g = p.grad();
        if (!g.defined()) continue;
        if (decay_[i] && s_.weight_decay != 0) p.mul_(1.0 - lr * s_.weight_decay);
        m_[i].lerp_(g, 1.0 - s_.beta1);
        v_[i].mul_(s_.beta2).addcmul_(g, g, 1.0 - s_.beta2);
        at::Tensor denom = (v_[i].sqrt() / bc2_sqrt).add_(s_.eps);
        p.addcdiv_(m_[i], denom, -step_size);
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
