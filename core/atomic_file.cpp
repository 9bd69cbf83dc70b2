#include "core/atomic_file.h"

#include "core/error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <unistd.h>

namespace fabula {

namespace {
std::string os_error() { return std::strerror(errno); }
} // namespace

AtomicFileWriter::AtomicFileWriter(std::filesystem::path path) : path_(std::move(path)) {
    std::random_device rd;
    tmp_ = path_;
    tmp_ += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rd());
    fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) throw FileError(path_.string(), "cannot create: " + os_error());
}

AtomicFileWriter::~AtomicFileWriter() {
    if (fd_ >= 0) {
        ::close(fd_);
        ::unlink(tmp_.c_str());
    }
}

void AtomicFileWriter::write(const void* data, size_t size) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        ssize_t n = ::write(fd_, p, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw FileError(path_.string(), "cannot write: " + os_error());
        }
        p += n;
        size -= static_cast<size_t>(n);
    }
}

void AtomicFileWriter::commit() {
    if (::fsync(fd_) != 0) throw FileError(path_.string(), "cannot write: " + os_error());
    if (::close(fd_) != 0) {
        fd_ = -1;
        ::unlink(tmp_.c_str());
        throw FileError(path_.string(), "cannot write: " + os_error());
    }
    fd_ = -1;
    if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
        std::string why = os_error();
        ::unlink(tmp_.c_str());
        throw FileError(path_.string(), "cannot replace: " + why);
    }
    // Make the rename itself durable.
    int dir = ::open(path_.parent_path().empty() ? "." : path_.parent_path().c_str(), O_RDONLY | O_DIRECTORY);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
    AtomicFileWriter w(path);
    w.write(content.data(), content.size());
    w.commit();
}

} // namespace fabula
