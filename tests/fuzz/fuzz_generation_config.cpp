// generation_config.json (core/model_config.h). Every default that is set
// must be exactly the value the file wrote (nothing truncated or wrapped), and
// every default the file leaves out or sets to null stays unset.
#include "core/json_file.h"
#include "core/model_config.h"
#include "fuzz_support.h"

using namespace fabula;
using nlohmann::json;

namespace {

template <typename T>
void same(const json& j, const char* key, const std::optional<T>& value) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        FUZZ_CHECK(!value);
        return;
    }
    FUZZ_CHECK(value.has_value());
    if constexpr (std::is_same_v<T, bool>)
        FUZZ_CHECK(it->is_boolean() && it->get<bool>() == *value);
    else
        FUZZ_CHECK(it->is_number() && it->get<double>() == static_cast<double>(*value));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string name = "generation_config.json";
    const auto text = fabula_fuzz::as_text(data, size);
    std::optional<json> j;
    const auto g = fabula_fuzz::accepted(
        [&] {
            j = parse_json_text(text, name);
            return GenerationDefaults::from_json(*j, name);
        },
        name);
    if (!g) return 0;

    FUZZ_CHECK(j->is_object());
    same(*j, "do_sample", g->do_sample);
    same(*j, "temperature", g->temperature);
    same(*j, "top_p", g->top_p);
    same(*j, "repetition_penalty", g->repetition_penalty);
    same(*j, "top_k", g->top_k);
    same(*j, "max_new_tokens", g->max_new_tokens);
    same(*j, "max_length", g->max_length);
    // eos_token_id may also be a list (several stop ids), which Fabula leaves
    // to config.json; only a single id is taken.
    if (g->eos_token_id)
        FUZZ_CHECK(j->at("eos_token_id").is_number_integer() &&
                   j->at("eos_token_id").get<double>() == double(*g->eos_token_id));
    return 0;
}
