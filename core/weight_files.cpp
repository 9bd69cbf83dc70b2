#include "core/weight_files.h"

#include "core/error.h"
#include "core/json_file.h"

#include <nlohmann/json.hpp>

#include <map>

namespace fabula {

namespace fs = std::filesystem;

namespace {

std::string shape_text(const std::vector<int64_t>& s) {
    std::string r = "[";
    for (size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
    return r + "]";
}

} // namespace

WeightFiles::WeightFiles(const fs::path& weights) : path_(weights.string()) {
    auto add = [&](const fs::path& file) {
        files_.push_back(std::make_unique<SafetensorsFile>(file));
        for (const TensorInfo& t : files_.back()->tensors()) by_name_[t.name] = {files_.back().get(), &t};
    };
    if (weights.filename() != "model.safetensors.index.json") {
        add(weights);
        return;
    }
    const nlohmann::json index = read_json_file(weights);
    const auto map = index.find("weight_map");
    if (!index.is_object() || map == index.end() || !map->is_object() || map->empty())
        throw FileError(path_, "has no \"weight_map\" naming the shard of each tensor");
    std::map<std::string, std::vector<std::string>> shards; // file -> tensors it must hold
    for (const auto& [tensor, file] : map->items()) {
        if (!file.is_string()) throw FileError(path_, "the shard of '" + tensor + "' is not a file name");
        const std::string name = file.get<std::string>();
        // A shard is a file beside the index, never a path elsewhere.
        if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
            throw FileError(path_, "shard name \"" + name + "\" is not a file in this folder");
        shards[name].push_back(tensor);
    }
    for (const auto& [name, tensors] : shards) {
        const fs::path file = weights.parent_path() / name;
        std::error_code ec;
        if (!fs::exists(file, ec))
            throw FileError(file.string(), "missing: " + weights.filename().string() + " names this shard");
        add(file);
        for (const std::string& t : tensors)
            if (!files_.back()->find(t))
                throw FileError(file.string(), "lacks tensor '" + t + "', which the index puts there");
    }
}

WeightFiles::Entry WeightFiles::find(const std::string& name) const {
    if (auto it = by_name_.find(name); it != by_name_.end()) return it->second;
    for (const std::string& alias : tensor_name_aliases(name))
        if (auto it = by_name_.find(alias); it != by_name_.end()) return it->second;
    return {};
}

std::vector<WeightFiles::Entry> WeightFiles::resolve(const std::vector<TensorSpec>& table) const {
    std::vector<Entry> out;
    out.reserve(table.size());
    for (const TensorSpec& spec : table) {
        Entry e = find(spec.name);
        if (!e.file) {
            std::string why = "missing tensor '" + spec.name + "'";
            if (spec.name == "lm_head.weight") why += " (tie_word_embeddings is false)";
            throw FileError(path_, why);
        }
        if (e.info->shape != spec.file_shape())
            throw FileError(e.file->path(), "tensor '" + spec.name + "' has shape " + shape_text(e.info->shape) +
                                                ", config.json needs " + shape_text(spec.file_shape()));
        out.push_back(e);
    }
    return out;
}

uint64_t WeightFiles::data_bytes() const {
    uint64_t n = 0;
    for (const auto& f : files_)
        for (const TensorInfo& t : f->tensors()) n += t.end - t.begin;
    return n;
}

DType WeightFiles::main_dtype() const {
    std::map<DType, uint64_t> bytes;
    for (const auto& f : files_)
        for (const TensorInfo& t : f->tensors()) bytes[t.dtype] += t.end - t.begin;
    DType best = DType::F32;
    uint64_t most = 0;
    for (const auto& [d, n] : bytes)
        if (n > most) best = d, most = n;
    return best;
}

} // namespace fabula
