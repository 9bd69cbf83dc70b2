#pragma once
// A checkpoint's tensors as published: one model.safetensors, or shards
// named by model.safetensors.index.json. Every file is memory-mapped; its
// header is checked before any byte of data is used.
#include "core/model_tensors.h"
#include "core/safetensors.h"

#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace fabula {

class WeightFiles {
public:
    // `weights` is model.safetensors or model.safetensors.index.json.
    // Throws FileError naming the file (a shard the index names but the
    // folder lacks, a tensor the index puts in a shard that lacks it).
    explicit WeightFiles(const std::filesystem::path& weights);

    struct Entry {
        const SafetensorsFile* file = nullptr;
        const TensorInfo* info = nullptr;
    };
    // The tensor under its name or one of tensor_name_aliases(); file null if absent.
    Entry find(const std::string& name) const;
    // Finds every tensor of the table and checks its shape; throws FileError
    // naming the file and the tensor. Returns them in table order.
    std::vector<Entry> resolve(const std::vector<TensorSpec>& table) const;

    const std::string& path() const { return path_; }
    uint64_t data_bytes() const; // of all tensors, in the files' precision
    DType main_dtype() const;    // the precision of most bytes

private:
    std::string path_;
    std::vector<std::unique_ptr<SafetensorsFile>> files_;
    std::unordered_map<std::string, Entry> by_name_;
};

} // namespace fabula
