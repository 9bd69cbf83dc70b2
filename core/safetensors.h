#pragma once
// Reading .safetensors files: an 8-byte little-endian header length, a JSON
// header naming each tensor's dtype, shape and byte range, then the data.
// Everything in the header is untrusted and checked before any byte is used.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fabula {

enum class DType { F32, F16, BF16 };
std::string_view dtype_name(DType);
size_t dtype_size(DType);

struct TensorInfo {
    std::string name;
    DType dtype;
    std::vector<int64_t> shape;
    uint64_t begin = 0; // byte offsets into the data section
    uint64_t end = 0;
    int64_t numel() const;
};

// Parses and validates the header of a whole file held in memory. `path` is
// only used in messages. Throws FileError.
std::vector<TensorInfo> parse_safetensors(std::span<const std::byte> file, const std::string& path,
                                          uint64_t* data_offset = nullptr);

// A memory-mapped .safetensors file; the mapping lives as long as the object.
class SafetensorsFile {
public:
    explicit SafetensorsFile(const std::filesystem::path& path); // throws FileError
    ~SafetensorsFile();
    SafetensorsFile(const SafetensorsFile&) = delete;
    SafetensorsFile& operator=(const SafetensorsFile&) = delete;

    const std::vector<TensorInfo>& tensors() const { return tensors_; }
    const TensorInfo* find(std::string_view name) const;
    const std::byte* data(const TensorInfo& t) const { return base_ + data_offset_ + t.begin; }
    const std::string& path() const { return path_; }
    // Drops the mapped pages of a tensor already copied out, so that loading
    // holds one copy of the weights, not two. Reading it again faults the
    // pages back in from the file.
    void release(const TensorInfo& t) const;
    // Faults a tensor's pages in at once (MADV_POPULATE_READ where the kernel
    // has it): far cheaper than one page fault per 4 KiB on first use.
    void prefetch(const TensorInfo& t) const;

private:
    std::string path_;
    const std::byte* base_ = nullptr;
    size_t size_ = 0;
    uint64_t data_offset_ = 0;
    std::vector<TensorInfo> tensors_;
};

// Writes tensors to a .safetensors file atomically (temp file + rename).
struct TensorToWrite {
    std::string name;
    DType dtype;
    std::vector<int64_t> shape;
    const void* data;
};
void write_safetensors(const std::filesystem::path& path, const std::vector<TensorToWrite>& tensors,
                       const std::vector<std::pair<std::string, std::string>>& metadata = {});

} // namespace fabula
