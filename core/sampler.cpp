#include "core/sampler.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fabula {

namespace {
constexpr float kRemoved = -std::numeric_limits<float>::infinity();
}

void SamplingSettings::validate() const {
    auto bad = [](const std::string& m) { throw UsageError(m); };
    if (!(temperature >= 0) || !std::isfinite(temperature)) bad("temperature must be 0 or more (0 means greedy)");
    if (top_k < 0) bad("top-k must be 0 (off) or more");
    if (!(top_p > 0 && top_p <= 1)) bad("top-p must be in (0, 1]");
    if (!(repetition_penalty > 0) || !std::isfinite(repetition_penalty)) bad("repetition penalty must be above 0");
    if (max_new_tokens < 1) bad("max new tokens must be at least 1");
    if (min_new_tokens < 0 || min_new_tokens > max_new_tokens) bad("min new tokens must be between 0 and max new tokens");
    for (const auto& s : stop_strings)
        if (s.empty()) bad("a stop string may not be empty");
}

Sampler::Sampler(SamplingSettings settings, int usable_vocab, std::vector<int32_t> end_ids)
    : s_(std::move(settings)), usable_vocab_(usable_vocab), end_ids_(std::move(end_ids)), rng_(s_.seed) {}

void Sampler::process(std::span<float> logits, std::span<const int32_t> history, int new_tokens) const {
    const int V = static_cast<int>(logits.size());
    for (int i = std::min(usable_vocab_, V); i < V; ++i) logits[i] = kRemoved;

    if (s_.repetition_penalty != 1.0) {
        // Each distinct id is penalised once, however often it occurred.
        const float p = static_cast<float>(s_.repetition_penalty);
        seen_.assign(V, 0);
        for (int32_t id : history) {
            if (id < 0 || id >= V || seen_[id]) continue;
            seen_[id] = 1;
            logits[id] = logits[id] < 0 ? logits[id] * p : logits[id] / p;
        }
    }
    if (new_tokens < s_.min_new_tokens)
        for (int32_t id : end_ids_)
            if (id >= 0 && id < V) logits[id] = kRemoved;
    if (s_.is_greedy()) return;

    if (s_.temperature != 1.0) {
        const float t = static_cast<float>(s_.temperature);
        for (float& x : logits) x /= t;
    }
    if (s_.top_k > 0 && s_.top_k < V) {
        // Keep every logit >= the k-th largest, ties included, like torch.topk's threshold.
        std::vector<float> copy(logits.begin(), logits.end());
        std::nth_element(copy.begin(), copy.begin() + (s_.top_k - 1), copy.end(), std::greater<float>());
        const float kth = copy[s_.top_k - 1];
        for (float& x : logits)
            if (x < kth) x = kRemoved;
    }
    if (s_.top_p < 1.0) {
        // Sort the survivors ascending and drop those whose cumulative
        // probability stays <= 1 - top_p; the most likely token always stays.
        scratch_.clear();
        float maxv = kRemoved;
        for (int i = 0; i < V; ++i)
            if (logits[i] != kRemoved) {
                scratch_.emplace_back(logits[i], i);
                maxv = std::max(maxv, logits[i]);
            }
        std::sort(scratch_.begin(), scratch_.end(), [](auto& a, auto& b) { return a.first < b.first; });
        double total = 0;
        for (auto& [v, i] : scratch_) total += std::exp(double(v) - maxv);
        double cum = 0;
        const double threshold = 1.0 - s_.top_p;
        for (size_t r = 0; r + 1 < scratch_.size(); ++r) {
            cum += std::exp(double(scratch_[r].first) - maxv) / total;
            if (cum <= threshold) logits[scratch_[r].second] = kRemoved;
            else break;
        }
    }
}

int32_t Sampler::next(std::span<float> logits, std::span<const int32_t> history, int new_tokens) {
    process(logits, history, new_tokens);
    const int V = static_cast<int>(logits.size());
    if (s_.is_greedy()) return static_cast<int32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
    float maxv = *std::max_element(logits.begin(), logits.end());
    double total = 0;
    for (int i = 0; i < V; ++i)
        if (logits[i] != kRemoved) total += std::exp(double(logits[i]) - maxv);
    double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng_) * total;
    int32_t last = 0;
    for (int i = 0; i < V; ++i) {
        if (logits[i] == kRemoved) continue;
        last = i;
        u -= std::exp(double(logits[i]) - maxv);
        if (u <= 0) return i;
    }
    return last;
}

} // namespace fabula
