#include "core/lora.h"

#include "core/atomic_folder.h"
#include "core/error.h"
#include "core/json_file.h"
#include "core/model_tensors.h"
#include "core/safetensors.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace fabula {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPrefix = "base_model.model.";
constexpr const char* kA = ".lora_A.weight";
constexpr const char* kB = ".lora_B.weight";

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string module_of(const TensorSpec& spec) {
    return ends_with(spec.name, ".weight") ? spec.name.substr(0, spec.name.size() - 7) : std::string();
}

// Linear projections of the table with their module names: the candidates for adapters.
std::vector<std::pair<std::string, const TensorSpec*>> linear_modules(const std::vector<TensorSpec>& table) {
    std::vector<std::pair<std::string, const TensorSpec*>> out;
    for (const TensorSpec& s : table) {
        const std::string m = module_of(s);
        // An untied lm_head is listed as a Linear; the tied one is the embedding and is not in the table.
        if (s.kind == TensorSpec::Kind::Linear && !m.empty()) out.emplace_back(m, &s);
    }
    return out;
}

std::string shape_text(const std::vector<int64_t>& shape) {
    std::string s = "(";
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + ")";
}

} // namespace

double LoraSettings::scale() const { return rslora ? alpha / std::sqrt(double(r)) : alpha / double(r); }

std::vector<std::string> default_lora_targets(const ModelConfig& c) {
    if (c.family == Family::Gpt2) return {"c_attn"};
    return {"q_proj", "v_proj"}; // PEFT's mapping for gpt_neo, gptj, llama, mistral and qwen2
}

bool lora_targets_module(const std::vector<std::string>& targets, const std::string& module) {
    for (const std::string& t : targets)
        if (module == t || ends_with(module, "." + t)) return true;
    return false;
}

std::vector<std::string> lora_modules(const ModelConfig& config, const std::vector<std::string>& targets) {
    const std::vector<TensorSpec> table = tensor_table(config);
    const auto linears = linear_modules(table);
    const bool all_linear = targets.size() == 1 && targets[0] == "all-linear";
    std::vector<std::string> out;
    for (const auto& [m, spec] : linears) {
        // PEFT's "all-linear" leaves out the output layer.
        if (all_linear ? m != "lm_head" : lora_targets_module(targets, m)) out.push_back(m);
    }
    if (out.empty()) {
        std::string names;
        std::set<std::string> seen;
        for (const auto& [m, spec] : linears) {
            const std::string leaf = m.substr(m.rfind('.') + 1);
            if (seen.insert(leaf).second) names += (names.empty() ? "" : ", ") + leaf;
        }
        std::string given;
        for (const auto& t : targets) given += (given.empty() ? "" : ",") + t;
        throw UsageError("--lora-targets " + given + " matches no projection of this " + config.model_type +
                         " model; its projections are " + names);
    }
    return out;
}

std::string lora_a_name(const std::string& module) { return kPrefix + module + kA; }
std::string lora_b_name(const std::string& module) { return kPrefix + module + kB; }

bool AdapterFolder::is_adapter(const fs::path& dir) {
    std::error_code ec;
    return fs::is_regular_file(dir / kAdapterConfigFile, ec);
}

AdapterFolder AdapterFolder::inspect(const fs::path& dir) {
    AdapterFolder a;
    a.dir = dir;
    const fs::path config_file = dir / kAdapterConfigFile;
    const std::string cf = config_file.string();
    if (!is_adapter(dir)) throw FileError(cf, "is missing: this folder is not a LoRA adapter");
    a.source = read_json_file(config_file);
    const nlohmann::json& j = a.source;
    if (!j.is_object()) throw FileError(cf, "is not a JSON object");
    auto text = [&](const char* key) {
        return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
    };
    const std::string type = text("peft_type");
    if (type != "LORA")
        throw FileError(cf, "peft_type is \"" + type + "\": Fabula reads LoRA adapters only");
    const std::string task = text("task_type");
    if (!task.empty() && task != "CAUSAL_LM")
        throw FileError(cf, "task_type is \"" + task + "\": Fabula reads adapters for causal language models");
    if (j.value("use_dora", false)) throw FileError(cf, "is a DoRA adapter (use_dora), which Fabula does not read");
    if (text("bias") != "" && text("bias") != "none")
        throw FileError(cf, "trains biases (bias \"" + text("bias") + "\"), which Fabula does not read");
    if (j.value("lora_bias", false)) throw FileError(cf, "has lora_bias, which Fabula does not read");
    for (const char* key : {"rank_pattern", "alpha_pattern"})
        if (j.contains(key) && j[key].is_object() && !j[key].empty())
            throw FileError(cf, std::string(key) + " sets ranks per module, which Fabula does not read");
    if (j.contains("modules_to_save") && j["modules_to_save"].is_array() && !j["modules_to_save"].empty())
        throw FileError(cf, "saves whole modules (modules_to_save), which Fabula does not read");
    if (!j.contains("r") || !j["r"].is_number_integer() || j["r"].get<int64_t>() < 1 || j["r"].get<int64_t>() > 65536)
        throw FileError(cf, "r must be a whole number from 1 to 65536");
    a.settings.r = j["r"].get<int>();
    if (!j.contains("lora_alpha") || !j["lora_alpha"].is_number())
        throw FileError(cf, "lora_alpha must be a number");
    a.settings.alpha = j["lora_alpha"].get<double>();
    if (j.contains("lora_dropout") && j["lora_dropout"].is_number()) a.settings.dropout = j["lora_dropout"].get<double>();
    if (!std::isfinite(a.settings.alpha) || !(a.settings.dropout >= 0 && a.settings.dropout < 1))
        throw FileError(cf, "lora_alpha must be finite and lora_dropout from 0 to below 1");
    a.settings.rslora = j.value("use_rslora", false);
    if (j.contains("target_modules")) {
        if (j["target_modules"].is_string()) a.settings.targets = {j["target_modules"].get<std::string>()};
        if (j["target_modules"].is_array())
            for (const auto& t : j["target_modules"])
                if (t.is_string()) a.settings.targets.push_back(t.get<std::string>());
    }
    a.base_model = text("base_model_name_or_path");

    const fs::path weights = dir / kAdapterWeightsFile;
    if (!fs::exists(weights)) throw FileError(weights.string(), "is missing (the adapter's weights)");
    SafetensorsFile file(weights);
    std::map<std::string, std::pair<const TensorInfo*, const TensorInfo*>> found;
    for (const TensorInfo& t : file.tensors()) {
        const bool is_a = ends_with(t.name, kA), is_b = ends_with(t.name, kB);
        if ((!is_a && !is_b) || t.name.rfind(kPrefix, 0) != 0)
            throw FileError(weights.string(), "holds \"" + t.name + "\", which is not a LoRA A or B matrix of a "
                            "causal language model");
        const std::string module = t.name.substr(std::string(kPrefix).size(),
                                                 t.name.size() - std::string(kPrefix).size() - std::string(kA).size());
        auto& slot = found[module];
        (is_a ? slot.first : slot.second) = &t;
        if (t.shape.size() != 2)
            throw FileError(weights.string(), "\"" + t.name + "\" has shape " + shape_text(t.shape) + ", not a matrix");
    }
    for (const auto& [module, ab] : found) {
        if (!ab.first || !ab.second)
            throw FileError(weights.string(), "has " + std::string(ab.first ? "lora_A" : "lora_B") + " for " + module +
                            " but no " + (ab.first ? "lora_B" : "lora_A"));
        if (ab.first->shape[0] != a.settings.r || ab.second->shape[1] != a.settings.r)
            throw FileError(weights.string(), module + ": lora_A " + shape_text(ab.first->shape) + " and lora_B " +
                            shape_text(ab.second->shape) + " do not have rank r = " +
                            std::to_string(a.settings.r) + " as " + kAdapterConfigFile + " says");
        a.modules.push_back(module);
    }
    if (a.modules.empty()) throw FileError(weights.string(), "holds no adapter weights");

    a.name = dir.filename().string();
    if (a.name == "adapter" && dir.has_parent_path()) a.name = dir.parent_path().filename().string(); // RUN/adapter
    if (fs::exists(dir / kFolderMarker)) {
        const nlohmann::json marker = nlohmann::json::parse(read_file(dir / kFolderMarker), nullptr, false);
        if (marker.is_object() && marker.contains("card") && marker["card"].is_object() &&
            marker["card"].contains("voice") && marker["card"]["voice"].is_string() &&
            !marker["card"]["voice"].get<std::string>().empty())
            a.name = marker["card"]["voice"].get<std::string>();
    }
    return a;
}

void AdapterFolder::check_fits(const ModelFolder& base) const {
    const std::vector<TensorSpec> table = tensor_table(base.config);
    std::map<std::string, const TensorSpec*> by_module;
    for (const auto& [m, spec] : linear_modules(table)) by_module[m] = spec;
    const fs::path weights = dir / kAdapterWeightsFile;
    SafetensorsFile file(weights);
    const std::string made_for = base_model.empty() ? "an unnamed base model" : "\"" + base_model + "\"";
    auto refuse = [&](const std::string& why) {
        throw FileError(dir.string(), "is an adapter for " + made_for + " and does not fit the model in " +
                                          base.dir.string() + ": " + why);
    };
    for (const std::string& module : modules) {
        auto it = by_module.find(module);
        if (it == by_module.end()) refuse("that model has no projection " + module);
        const TensorInfo* A = file.find(lora_a_name(module));
        const TensorInfo* B = file.find(lora_b_name(module));
        const int64_t out = it->second->shape[0], in = it->second->shape[1];
        if (A->shape[1] != in || B->shape[0] != out)
            refuse(module + " is " + shape_text({out, in}) + " (out, in) there, but the adapter's lora_A is " +
                   shape_text(A->shape) + " and lora_B " + shape_text(B->shape));
    }
}

nlohmann::json peft_adapter_config(const LoraSettings& s, const std::vector<std::string>& targets,
                                   const std::string& base_model_name_or_path, bool fan_in_fan_out) {
    std::vector<std::string> sorted = targets;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    const nlohmann::json null;
    nlohmann::json j = {
        {"alora_invocation_tokens", null},
        {"alpha_pattern", nlohmann::json::object()},
        {"arrow_config", null},
        {"auto_mapping", null},
        {"base_model_name_or_path", base_model_name_or_path.empty() ? null : nlohmann::json(base_model_name_or_path)},
        {"bias", "none"},
        {"corda_config", null},
        {"ensure_weight_tying", false},
        {"eva_config", null},
        {"exclude_modules", null},
        {"fan_in_fan_out", fan_in_fan_out},
        {"inference_mode", true},
        {"init_lora_weights", true},
        {"kasa_config", null},
        {"layer_replication", null},
        {"layers_pattern", null},
        {"layers_to_transform", null},
        {"loftq_config", nlohmann::json::object()},
        {"lora_alpha", s.alpha == std::floor(s.alpha) ? nlohmann::json(int64_t(s.alpha)) : nlohmann::json(s.alpha)},
        {"lora_bias", false},
        {"lora_dropout", s.dropout},
        {"lora_ga_config", null},
        {"megatron_config", null},
        {"megatron_core", "megatron.core"},
        {"modules_to_save", null},
        {"monteclora_config", null},
        {"peft_type", "LORA"},
        {"peft_version", "0.21.2"},
        {"qalora_group_size", 16},
        {"r", s.r},
        {"rank_pattern", nlohmann::json::object()},
        {"revision", null},
        {"target_modules", sorted},
        {"target_parameters", null},
        {"task_type", "CAUSAL_LM"},
        {"trainable_token_indices", null},
        {"use_bdlora", null},
        {"use_dora", false},
        {"use_qalora", false},
        {"use_rslora", s.rslora},
        {"velora_config", null},
    };
    return j;
}

} // namespace fabula
