#pragma once
// SHA-256, so that a cache key built from a writer's stories and tokenizer
// cannot collide by accident the way a 64-bit hash of many megabytes could.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fabula::training {

class Sha256 {
public:
    Sha256();
    void update(const void* data, std::size_t size);
    void update(std::string_view s) { update(s.data(), s.size()); }
    // Also hashes the length first, so that a sequence of fields hashes
    // differently from the same bytes split another way.
    void update_field(std::string_view s);
    std::array<std::uint8_t, 32> finish();

    static std::string hex(const std::array<std::uint8_t, 32>& digest);

private:
    void block(const std::uint8_t* p);
    std::array<std::uint32_t, 8> h_;
    std::array<std::uint8_t, 64> buf_{};
    std::size_t buf_len_ = 0;
    std::uint64_t total_ = 0;
};

} // namespace fabula::training
