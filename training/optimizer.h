#pragma once
// The Hugging Face Trainer's optimisation: AdamW (torch.optim.AdamW's update),
// a linear schedule with warm-up, gradient clipping by global norm, and
// dynamic loss scaling for fp16. Internal to training/ (includes ATen).
#include <ATen/ATen.h>

#include <string>
#include <vector>

namespace fabula::training {

struct AdamWSettings {
    double beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0.0;
};

class AdamW {
public:
    // decay[i]: whether params[i] gets weight decay (HF: not biases or norms).
    AdamW(std::vector<at::Tensor> params, std::vector<bool> decay, AdamWSettings settings);
    void step(double lr); // uses params[i].grad()
    void zero_grad();
    int64_t steps() const { return steps_; }

    // For checkpoints: the moments, in parameter order.
    std::vector<at::Tensor>& exp_avg() { return m_; }
    std::vector<at::Tensor>& exp_avg_sq() { return v_; }
    void set_steps(int64_t s) { steps_ = s; }

private:
    std::vector<at::Tensor> params_, m_, v_;
    std::vector<bool> decay_;
    AdamWSettings s_;
    int64_t steps_ = 0;
};

// get_linear_schedule_with_warmup's factor for an optimizer step (0-based).
double linear_schedule(int64_t step, int64_t warmup, int64_t total);

// torch.nn.utils.clip_grad_norm_: scales the gradients so their global L2
// norm is at most max_norm; returns the norm before clipping.
double clip_grad_norm(const std::vector<at::Tensor>& params, double max_norm);

// torch.amp.GradScaler's dynamic loss scale for fp16 training.
struct LossScaler {
    double scale = 65536.0;
    int good_steps = 0;
    int growth_interval = 2000;
    // Divides the gradients by the scale; false (and the scale halves) when
    // any is inf or NaN, and the step must be skipped.
    bool unscale(const std::vector<at::Tensor>& params);
};

} // namespace fabula::training
