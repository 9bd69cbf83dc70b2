#pragma once
// Writes that must never leave a half-written file behind: the content goes to
// a temporary file in the same folder, is flushed to disk, then renamed over
// the target, so readers see the old file or the new one, never a mix.
#include <filesystem>
#include <string_view>

namespace fabula {

// Throws FileError (with the path and the OS reason, e.g. "No space left on device").
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// For large files written piecewise: open() a temp file, write(), then commit().
// If commit() is never reached, the destructor removes the temp file.
class AtomicFileWriter {
public:
    explicit AtomicFileWriter(std::filesystem::path path);
    ~AtomicFileWriter();
    AtomicFileWriter(const AtomicFileWriter&) = delete;
    AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
    void write(const void* data, size_t size);
    void commit();

private:
    std::filesystem::path path_, tmp_;
    int fd_ = -1;
};

} // namespace fabula
