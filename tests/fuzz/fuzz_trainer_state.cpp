// A checkpoint's trainer_state.json (training/trainer_state.h). An accepted
// state is one a run could be at, and it survives serialize() unchanged: the
// written text parses to the same state and is written again byte for byte.
#include "training/trainer_state.h"
#include "fuzz_support.h"

#include <cmath>

using namespace fabula::training;

namespace {

bool same(const TrainerState& a, const TrainerState& b) {
    return a.step == b.step && a.total_steps == b.total_steps && a.optimizer_steps == b.optimizer_steps &&
           a.epoch == b.epoch && a.elapsed_s == b.elapsed_s && a.sampler_epoch == b.sampler_epoch &&
           a.sampler_index == b.sampler_index && a.rng_cpu == b.rng_cpu && a.rng_cuda == b.rng_cuda &&
           a.loss_scale == b.loss_scale && a.loss_scale_good_steps == b.loss_scale_good_steps &&
           a.settings == b.settings;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string name = "trainer_state.json";
    const auto text = fabula_fuzz::as_text(data, size);
    const auto s = fabula_fuzz::accepted([&] { return parse_trainer_state(text, name); }, name);
    if (!s) return 0;

    FUZZ_CHECK(s->step >= 0 && s->step <= s->total_steps && s->optimizer_steps >= 0);
    FUZZ_CHECK(std::isfinite(s->epoch) && std::isfinite(s->elapsed_s));
    FUZZ_CHECK(!s->rng_cpu.empty());
    FUZZ_CHECK(std::isfinite(s->loss_scale) && s->loss_scale > 0);
    FUZZ_CHECK(s->loss_scale_good_steps >= 0);
    FUZZ_CHECK(s->settings.is_object());

    const std::string written = serialize(*s);
    const auto back = fabula_fuzz::accepted([&] { return parse_trainer_state(written, name); }, name);
    FUZZ_CHECK(back && same(*back, *s));
    FUZZ_CHECK(serialize(*back) == written);
    return 0;
}
