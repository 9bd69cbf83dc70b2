// The header of a .safetensors file (core/safetensors.h). Every accepted file
// must describe tensors that lie inside the data section, do not overlap, and
// hold exactly dtype size x shape bytes; the target then touches the first and
// last byte of each, so ASan sees any range that leaves the input.
#include "core/safetensors.h"
#include "fuzz_support.h"

#include <algorithm>
#include <set>

using namespace fabula;

namespace {

// dtype size x shape, or nothing when it does not fit in 64 bits.
std::optional<uint64_t> byte_size(const TensorInfo& t) {
    unsigned __int128 n = t.dtype == DType::F32 ? 4 : 2;
    bool zero = false, huge = false;
    for (int64_t d : t.shape) {
        FUZZ_CHECK(d >= 0);
        if (d == 0) zero = true;
        n *= static_cast<uint64_t>(d);
        if (n > UINT64_MAX) huge = true, n = 1; // keep multiplying without overflow
    }
    if (zero) return 0;
    if (huge) return std::nullopt;
    return static_cast<uint64_t>(n);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string name = "fuzz.safetensors";
    const std::span<const std::byte> file(reinterpret_cast<const std::byte*>(data), size);
    uint64_t data_offset = 0;
    const auto tensors = fabula_fuzz::accepted([&] { return parse_safetensors(file, name, &data_offset); }, name);
    if (!tensors) return 0;

    FUZZ_CHECK(size >= 8);
    uint64_t header_len = 0;
    for (int i = 0; i < 8; ++i) header_len |= uint64_t(data[i]) << (8 * i);
    FUZZ_CHECK(header_len <= size - 8);
    FUZZ_CHECK(data_offset == 8 + header_len);
    const uint64_t data_size = size - data_offset;

    std::set<std::string> names;
    unsigned touched = 0;
    for (const TensorInfo& t : *tensors) {
        FUZZ_CHECK(t.name != "__metadata__");
        FUZZ_CHECK(names.insert(t.name).second);
        FUZZ_CHECK(t.dtype == DType::F32 || t.dtype == DType::F16 || t.dtype == DType::BF16);
        FUZZ_CHECK(dtype_size(t.dtype) == (t.dtype == DType::F32 ? 4u : 2u));
        FUZZ_CHECK(t.begin <= t.end && t.end <= data_size);
        const std::optional<uint64_t> bytes = byte_size(t);
        FUZZ_CHECK(bytes && *bytes == t.end - t.begin);
        FUZZ_CHECK(t.numel() >= 0 && uint64_t(t.numel()) * dtype_size(t.dtype) == *bytes);
        if (t.end > t.begin) touched += data[data_offset + t.begin] + data[data_offset + t.end - 1];
    }
    // Pairwise, rather than the parser's sorted sweep.
    for (size_t i = 0; i < tensors->size(); ++i)
        for (size_t k = i + 1; k < tensors->size(); ++k) {
            const TensorInfo &a = (*tensors)[i], &b = (*tensors)[k];
            if (a.begin == a.end || b.begin == b.end) continue;
            FUZZ_CHECK(std::max(a.begin, b.begin) >= std::min(a.end, b.end));
        }
    fabula_fuzz::keep(touched);
    return 0;
}
