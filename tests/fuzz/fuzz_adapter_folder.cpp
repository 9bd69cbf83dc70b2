// A LoRA adapter folder (core/lora.h): adapter_config.json, a NUL byte, then
// adapter_model.safetensors. An accepted adapter has a rank in range, a
// finite scale and dropout below one, and for every module it names both
// matrices, A of shape (r, in) and B of shape (out, r).
#include "core/lora.h"
#include "core/safetensors.h"
#include "fuzz_support.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace fabula;

namespace {

const std::filesystem::path& folder() {
    static const std::filesystem::path dir = [] {
        const char* tmp = std::getenv("FABULA_FUZZ_TMP"); // in memory, and removed after the run
        auto d = std::filesystem::path(tmp ? tmp : "/tmp") / ("adapter-" + std::to_string(getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    return dir;
}

void write(const std::filesystem::path& p, std::string_view bytes) {
    std::ofstream(p, std::ios::binary | std::ios::trunc).write(bytes.data(), std::streamsize(bytes.size()));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto [config, weights] = fabula_fuzz::split_at_nul(fabula_fuzz::as_text(data, size));
    write(folder() / kAdapterConfigFile, config);
    write(folder() / kAdapterWeightsFile, weights);
    const auto a = fabula_fuzz::accepted([&] { return AdapterFolder::inspect(folder()); },
                                         (folder() / kAdapterConfigFile).string(),
                                         (folder() / kAdapterWeightsFile).string());
    if (!a) return 0;
    FUZZ_CHECK(a->settings.r >= 1 && a->settings.r <= 65536);
    FUZZ_CHECK(std::isfinite(a->settings.scale()));
    FUZZ_CHECK(a->settings.dropout >= 0 && a->settings.dropout < 1);
    FUZZ_CHECK(!a->modules.empty());
    SafetensorsFile file(folder() / kAdapterWeightsFile);
    for (const std::string& m : a->modules) {
        const TensorInfo* A = file.find(lora_a_name(m));
        const TensorInfo* B = file.find(lora_b_name(m));
        FUZZ_CHECK(A && B && A->shape.size() == 2 && B->shape.size() == 2);
        FUZZ_CHECK(A->shape[0] == a->settings.r && B->shape[1] == a->settings.r);
    }
    return 0;
}
