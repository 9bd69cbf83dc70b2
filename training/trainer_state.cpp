#include "training/trainer_state.h"

#include "core/error.h"
#include "core/json_file.h"

#include <cmath>

namespace fabula::training {

namespace {

std::string to_hex(const std::vector<uint8_t>& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string s;
    s.reserve(bytes.size() * 2);
    for (uint8_t b : bytes) {
        s.push_back(digits[b >> 4]);
        s.push_back(digits[b & 15]);
    }
    return s;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

struct Reader {
    const nlohmann::json& j;
    const std::string& path;

    [[noreturn]] void bad(const std::string& what) const {
        throw FileError(path, "is not a usable checkpoint state: " + what);
    }
    const nlohmann::json& field(const char* name) const {
        auto it = j.find(name);
        if (it == j.end()) bad(std::string("no \"") + name + "\"");
        return *it;
    }
    int64_t count(const char* name) const {
        const auto& v = field(name);
        if (!v.is_number_integer() || (v.is_number_integer() && !v.is_number_unsigned() && v.get<int64_t>() < 0))
            bad(std::string("\"") + name + "\" must be a whole number of 0 or more");
        if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX)) bad(std::string("\"") + name + "\" is too large");
        return v.get<int64_t>();
    }
    double number(const char* name, double fallback) const {
        auto it = j.find(name);
        if (it == j.end()) return fallback;
        if (!it->is_number() || !std::isfinite(it->get<double>())) bad(std::string("\"") + name + "\" must be a number");
        return it->get<double>();
    }
    std::vector<uint8_t> hex(const char* name, bool required) const {
        auto it = j.find(name);
        if (it == j.end()) {
            if (required) bad(std::string("no \"") + name + "\"");
            return {};
        }
        if (!it->is_string()) bad(std::string("\"") + name + "\" must be a hex string");
        const std::string& s = it->get_ref<const std::string&>();
        if (s.size() % 2) bad(std::string("\"") + name + "\" has an odd number of hex digits");
        std::vector<uint8_t> out(s.size() / 2);
        for (size_t i = 0; i < out.size(); ++i) {
            const int hi = hex_value(s[2 * i]), lo = hex_value(s[2 * i + 1]);
            if (hi < 0 || lo < 0) bad(std::string("\"") + name + "\" is not lowercase hex");
            out[i] = uint8_t(hi << 4 | lo);
        }
        return out;
    }
};

} // namespace

std::string serialize(const TrainerState& s) {
    nlohmann::json j = {
        {"step", s.step},
        {"total_steps", s.total_steps},
        {"optimizer_steps", s.optimizer_steps},
        {"epoch", s.epoch},
        {"elapsed_s", s.elapsed_s},
        {"sampler", {{"epoch", s.sampler_epoch}, {"index", s.sampler_index}}},
        {"rng_cpu", to_hex(s.rng_cpu)},
        {"loss_scale", s.loss_scale},
        {"loss_scale_good_steps", s.loss_scale_good_steps},
        {"settings", s.settings},
    };
    if (!s.rng_cuda.empty()) j["rng_cuda"] = to_hex(s.rng_cuda);
    return j.dump(2) + "\n";
}

TrainerState parse_trainer_state(std::string_view text, const std::string& path) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) throw FileError(path, "is not a usable checkpoint state: not valid JSON");
    if (!j.is_object()) throw FileError(path, "is not a usable checkpoint state: not a JSON object");
    Reader r{j, path};
    TrainerState s;
    s.step = r.count("step");
    s.total_steps = r.count("total_steps");
    if (s.step > s.total_steps) r.bad("step " + std::to_string(s.step) + " is past the run's " +
                                      std::to_string(s.total_steps) + " steps");
    s.optimizer_steps = j.contains("optimizer_steps") ? r.count("optimizer_steps") : 0;
    s.epoch = r.number("epoch", 0);
    s.elapsed_s = r.number("elapsed_s", 0);
    const auto& sampler = r.field("sampler");
    if (!sampler.is_object()) r.bad("\"sampler\" must be an object");
    Reader sr{sampler, path};
    s.sampler_epoch = uint64_t(sr.count("epoch"));
    s.sampler_index = uint64_t(sr.count("index"));
    s.rng_cpu = r.hex("rng_cpu", true);
    if (s.rng_cpu.empty()) r.bad("\"rng_cpu\" is empty");
    s.rng_cuda = r.hex("rng_cuda", false);
    s.loss_scale = r.number("loss_scale", s.loss_scale);
    if (!(s.loss_scale > 0)) r.bad("\"loss_scale\" must be above 0");
    const double good = r.number("loss_scale_good_steps", 0);
    if (good < 0 || good > 1e9) r.bad("\"loss_scale_good_steps\" is out of range");
    s.loss_scale_good_steps = int(good);
    if (auto it = j.find("settings"); it != j.end()) {
        if (!it->is_object()) r.bad("\"settings\" must be an object");
        s.settings = *it;
    }
    return s;
}

TrainerState read_trainer_state(const std::filesystem::path& file) {
    return parse_trainer_state(read_file(file), file.string());
}

const std::vector<std::string>& resume_invariant_settings() {
    static const std::vector<std::string> names = {
        "model", "from-scratch", "config", "data", "block-size", "batching", "batch-size", "grad-accum",
        "lr", "warmup-steps", "weight-decay", "epochs", "max-steps", "val-fraction", "precision", "seed",
        "dropout", "objective", "ref", "beta", "desirable-weight", "undesirable-weight", "lm-mix", "stories",
        "lora-r", "lora-alpha", "lora-dropout", "lora-targets", "use-rslora", "adapter"};
    return names;
}

std::vector<std::string> resume_conflicts(const nlohmann::json& before, const nlohmann::json& now) {
    std::vector<std::string> out;
    auto shown = [](const nlohmann::json* v) {
        if (!v) return std::string("(not recorded)");
        if (v->is_string()) return v->get<std::string>();
        return v->dump();
    };
    for (const auto& name : resume_invariant_settings()) {
        const nlohmann::json* a = before.contains(name) ? &before.at(name) : nullptr;
        const nlohmann::json* b = now.contains(name) ? &now.at(name) : nullptr;
        if (!a && !b) continue;
        if (a && b && *a == *b) continue;
        // Numbers compare by value: 5e-05 written as a double equals 5e-05 read back.
        if (a && b && a->is_number() && b->is_number() && a->get<double>() == b->get<double>()) continue;
        const std::string what = name == "data" ? "the stories (tokenized data)" : "--" + name;
        out.push_back(what + ": " + shown(a) + " then, " + shown(b) + " now");
    }
    return out;
}

} // namespace fabula::training
