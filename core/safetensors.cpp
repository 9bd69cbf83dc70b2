#include "core/safetensors.h"

#include "core/atomic_file.h"
#include "core/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fabula {

std::string_view dtype_name(DType d) {
    switch (d) {
    case DType::F32: return "F32";
    case DType::F16: return "F16";
    case DType::BF16: return "BF16";
    }
    return "?";
}

size_t dtype_size(DType d) { return d == DType::F32 ? 4 : 2; }

int64_t TensorInfo::numel() const {
    int64_t n = 1;
    for (int64_t s : shape) n *= s;
    return n;
}

std::vector<TensorInfo> parse_safetensors(std::span<const std::byte> file, const std::string& path,
                                          uint64_t* data_offset) {
    if (file.size() < 8) throw FileError(path, "truncated safetensors file: shorter than its 8-byte header length");
    uint64_t header_len = 0;
    for (int i = 7; i >= 0; --i) header_len = (header_len << 8) | std::to_integer<uint64_t>(file[i]);
    if (header_len > file.size() - 8)
        throw FileError(path, "safetensors header length " + std::to_string(header_len) +
                                  " runs past the end of the file (" + std::to_string(file.size()) +
                                  " bytes): the file is truncated or not a safetensors file");
    const char* hdr = reinterpret_cast<const char*>(file.data() + 8);
    nlohmann::json j = nlohmann::json::parse(hdr, hdr + header_len, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        throw FileError(path, "safetensors header is not a valid JSON object");
    const uint64_t data_start = 8 + header_len;
    const uint64_t data_size = file.size() - data_start;

    std::vector<TensorInfo> out;
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (it.key() == "__metadata__") continue;
        const std::string& name = it.key();
        const auto& t = it.value();
        auto bad = [&](const std::string& why) { return FileError(path, "tensor '" + name + "': " + why); };
        if (!t.is_object() || !t.contains("dtype") || !t.contains("shape") || !t.contains("data_offsets"))
            throw bad("header entry lacks dtype, shape or data_offsets");
        if (!t["dtype"].is_string()) throw bad("dtype is not a string");
        TensorInfo info;
        info.name = name;
        std::string dt = t["dtype"].get<std::string>();
        if (dt == "F32") info.dtype = DType::F32;
        else if (dt == "F16") info.dtype = DType::F16;
        else if (dt == "BF16") info.dtype = DType::BF16;
        else throw bad("unsupported dtype " + dt + " (Fabula reads F32, F16 and BF16)");
        if (!t["shape"].is_array()) throw bad("shape is not a list");
        uint64_t numel = 1;
        for (const auto& d : t["shape"]) {
            if (!d.is_number_unsigned()) throw bad("shape holds a value that is not a non-negative integer");
            uint64_t v = d.get<uint64_t>();
            // Also after a 0, where the product no longer grows: shapes are int64.
            if (v > uint64_t(std::numeric_limits<int64_t>::max()) ||
                (v != 0 && numel > std::numeric_limits<uint64_t>::max() / 8 / v))
                throw bad("shape is absurdly large");
            numel *= v;
            info.shape.push_back(static_cast<int64_t>(v));
        }
        const auto& off = t["data_offsets"];
        if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() || !off[1].is_number_unsigned())
            throw bad("data_offsets is not a pair of non-negative integers");
        info.begin = off[0].get<uint64_t>();
        info.end = off[1].get<uint64_t>();
        if (info.begin > info.end) throw bad("data_offsets end before they begin");
        if (info.end > data_size)
            throw bad("data_offsets [" + std::to_string(info.begin) + ", " + std::to_string(info.end) +
                      ") run past the end of the data (" + std::to_string(data_size) +
                      " bytes): the file is truncated");
        if (info.end - info.begin != numel * dtype_size(info.dtype))
            throw bad("holds " + std::to_string(info.end - info.begin) + " bytes but its shape and dtype need " +
                      std::to_string(numel * dtype_size(info.dtype)));
        out.push_back(std::move(info));
    }
    std::vector<const TensorInfo*> by_offset;
    for (const auto& t : out) by_offset.push_back(&t);
    std::sort(by_offset.begin(), by_offset.end(), [](auto* a, auto* b) { return a->begin < b->begin; });
    for (size_t i = 1; i < by_offset.size(); ++i)
        if (by_offset[i]->begin < by_offset[i - 1]->end)
            throw FileError(path, "tensors '" + by_offset[i - 1]->name + "' and '" + by_offset[i]->name +
                                      "' overlap in the file");
    if (data_offset) *data_offset = data_start;
    return out;
}

SafetensorsFile::SafetensorsFile(const std::filesystem::path& path) : path_(path.string()) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw FileError(path_, std::string("cannot open: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw FileError(path_, "not a regular file");
    }
    size_ = static_cast<size_t>(st.st_size);
    if (size_ > 0) {
        void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            ::close(fd);
            throw FileError(path_, std::string("cannot map into memory: ") + std::strerror(errno));
        }
        base_ = static_cast<const std::byte*>(p);
    }
    ::close(fd);
    try {
        tensors_ = parse_safetensors({base_, size_}, path_, &data_offset_);
    } catch (...) {
        if (base_) ::munmap(const_cast<std::byte*>(base_), size_);
        throw;
    }
}

SafetensorsFile::~SafetensorsFile() {
    if (base_) ::munmap(const_cast<std::byte*>(base_), size_);
}

void SafetensorsFile::release(const TensorInfo& t) const {
    static const uintptr_t page = uintptr_t(::sysconf(_SC_PAGESIZE));
    // Only whole pages inside the tensor: a neighbour may still be needed.
    const uintptr_t begin = (reinterpret_cast<uintptr_t>(data(t)) + page - 1) & ~(page - 1);
    const uintptr_t end = (reinterpret_cast<uintptr_t>(data(t)) + (t.end - t.begin)) & ~(page - 1);
    if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

void SafetensorsFile::prefetch(const TensorInfo& t) const {
    static const uintptr_t page = uintptr_t(::sysconf(_SC_PAGESIZE));
    const uintptr_t begin = reinterpret_cast<uintptr_t>(data(t)) & ~(page - 1);
    const uintptr_t end = reinterpret_cast<uintptr_t>(data(t)) + (t.end - t.begin);
    if (end <= begin) return;
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
    if (::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_READ) != 0)
        ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_WILLNEED);
}

const TensorInfo* SafetensorsFile::find(std::string_view name) const {
    for (const auto& t : tensors_)
        if (t.name == name) return &t;
    return nullptr;
}

void write_safetensors(const std::filesystem::path& path, const std::vector<TensorToWrite>& tensors,
                       const std::vector<std::pair<std::string, std::string>>& metadata) {
    nlohmann::json header = nlohmann::json::object();
    if (!metadata.empty()) {
        nlohmann::json meta = nlohmann::json::object();
        for (const auto& [k, v] : metadata) meta[k] = v;
        header["__metadata__"] = meta;
    }
    uint64_t offset = 0;
    std::vector<uint64_t> sizes;
    for (const auto& t : tensors) {
        uint64_t n = dtype_size(t.dtype);
        for (int64_t s : t.shape) n *= static_cast<uint64_t>(s);
        header[t.name] = {{"dtype", dtype_name(t.dtype)}, {"shape", t.shape}, {"data_offsets", {offset, offset + n}}};
        offset += n;
        sizes.push_back(n);
    }
    std::string h = header.dump();
    // Pad with spaces so the data section starts 8-byte aligned, as the
    // reference writer does; readers can then map tensors without copying.
    while ((8 + h.size()) % 8 != 0) h.push_back(' ');
    uint64_t len = h.size();
    unsigned char len_bytes[8];
    for (int i = 0; i < 8; ++i) len_bytes[i] = static_cast<unsigned char>(len >> (8 * i));
    AtomicFileWriter w(path);
    w.write(len_bytes, 8);
    w.write(h.data(), h.size());
    for (size_t i = 0; i < tensors.size(); ++i) w.write(tensors[i].data, sizes[i]);
    w.commit();
}

} // namespace fabula
