#include "core/atomic_folder.h"

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/json_file.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FABULA_VERSION
#define FABULA_VERSION "0.0.0"
#endif

namespace fabula {

namespace fs = std::filesystem;

namespace {

std::atomic<bool> g_exchange_disabled{false};
constexpr std::string_view kTmpTag = ".fabula-tmp-";

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A file an AtomicFileWriter was writing when it was killed: NAME.tmp-PID-N.
bool is_fabula_partial_file(std::string_view name) {
    const auto at = name.rfind(".tmp-");
    return at != std::string_view::npos && is_fabula_file_name(name.substr(0, at));
}

void fsync_path(const fs::path& p, bool directory) {
    const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0));
    if (fd < 0) throw FileError(p.string(), std::string("cannot open to flush: ") + std::strerror(errno));
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0 && err != EINVAL) throw FileError(p.string(), std::string("cannot flush to disk: ") + std::strerror(err));
}

fs::path parent_of(const fs::path& p) {
    fs::path parent = p.parent_path();
    return parent.empty() ? fs::path(".") : parent;
}

// renameat2 with flags; false with errno set when the filesystem or kernel
// lacks the flag (EINVAL, ENOSYS) or the call failed otherwise.
bool rename2(const fs::path& from, const fs::path& to, unsigned flags) {
    return ::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), flags) == 0;
}

bool unsupported(int err) { return err == EINVAL || err == ENOSYS || err == ENOTSUP; }

std::string today() {
    char buf[32];
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// The files a folder's fabula.json lists as written with it (the feedback
// sets' .jsonl, whose names alone would not tell them from the writer's),
// each only while it still has the size Fabula wrote.
std::set<std::string> listed_in_marker(const fs::path& dir) {
    std::set<std::string> out;
    try {
        const auto marker = nlohmann::json::parse(read_file(dir / kFolderMarker));
        for (const auto& file : marker.at("files")) {
            const std::string name = file.at("name").get<std::string>();
            std::error_code ec;
            if (fs::file_size(dir / name, ec) == file.at("bytes").get<uint64_t>() && !ec) out.insert(name);
        }
    } catch (const std::exception&) {
        // No or a damaged marker lists nothing: only the names Fabula knows go.
    }
    return out;
}

// After a swap, `old` holds what the destination held: Fabula's files are
// removed, anything else moves back beside the new files.
void retire_old_folder(const fs::path& old, const fs::path& dest) {
    std::error_code ec;
    const std::set<std::string> listed = listed_in_marker(old);
    for (const auto& e : fs::directory_iterator(old, ec)) {
        const std::string name = e.path().filename().string();
        if (e.is_regular_file() && (is_fabula_file_name(name) || is_fabula_partial_file(name) || listed.count(name))) {
            fs::remove(e.path(), ec);
        } else if (!fs::exists(dest / name)) {
            fs::rename(e.path(), dest / name, ec);
        }
    }
    fs::remove(old, ec); // only succeeds when empty
}

} // namespace

std::string fabula_version() { return FABULA_VERSION; }

bool is_fabula_file_name(std::string_view n) {
    static const std::set<std::string_view> names = {
        kFolderMarker, "config.json", "generation_config.json", "model.safetensors", "model.safetensors.index.json",
        "vocab.json", "merges.txt", "tokenizer.json", "tokenizer.model", "tokenizer_config.json",
        "special_tokens_map.json", "added_tokens.json", "adapter_config.json", "adapter_model.safetensors",
        "optimizer.safetensors", "trainer_state.json"};
    if (names.count(n)) return true;
    // Shards: model-00001-of-00003.safetensors.
    constexpr std::string_view pre = "model-", mid = "-of-", post = ".safetensors";
    if (n.size() == pre.size() + 5 + mid.size() + 5 + post.size() && n.substr(0, pre.size()) == pre &&
        n.substr(n.size() - post.size()) == post) {
        const auto body = n.substr(pre.size(), 5 + mid.size() + 5);
        return all_digits(body.substr(0, 5)) && body.substr(5, mid.size()) == mid && all_digits(body.substr(5 + mid.size()));
    }
    return false;
}

bool is_temporary_folder_name(std::string_view name) {
    const auto at = name.rfind(kTmpTag);
    return name.size() > 1 && name[0] == '.' && at != std::string_view::npos && at > 0 &&
           name.size() - at - kTmpTag.size() == 6;
}

FolderState inspect_destination(const fs::path& dir, std::string* foreign) {
    std::error_code ec;
    const auto st = fs::symlink_status(dir, ec);
    if (ec || st.type() == fs::file_type::not_found) return FolderState::Missing;
    if (st.type() != fs::file_type::directory) return FolderState::NotAFolder;
    bool any = false, marker = false, only_ours = true;
    std::string first_foreign;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        any = true;
        const std::string name = e.path().filename().string();
        if (name == kFolderMarker && e.is_regular_file()) marker = true;
        if (!(e.is_regular_file() && is_fabula_file_name(name))) {
            if (only_ours) first_foreign = name;
            only_ours = false;
        }
    }
    if (ec) {
        if (foreign) *foreign = ec.message();
        return FolderState::Foreign;
    }
    if (!any) return FolderState::Empty;
    if (foreign) *foreign = first_foreign;
    // With the marker the folder is Fabula's even when the writer put notes
    // beside the model; those are carried over, never removed.
    return marker || only_ours ? FolderState::Fabula : FolderState::Foreign;
}

void check_destination(const fs::path& dest, bool overwrite, std::string_view option) {
    std::string foreign;
    switch (inspect_destination(dest, &foreign)) {
    case FolderState::Missing:
    case FolderState::Empty: return;
    case FolderState::NotAFolder: throw UsageError(dest.string() + " exists and is not a folder; choose another place");
    case FolderState::Fabula:
        if (overwrite) return;
        throw UsageError(dest.string() + " already holds a model; add " + std::string(option) +
                         " to replace it, or choose a new folder");
    case FolderState::Foreign:
        throw UsageError(dest.string() + " is not empty and was not written by Fabula (it holds " + foreign +
                         "); Fabula does not replace it: choose a new or empty folder");
    }
}

bool remove_fabula_folder(const fs::path& dir) {
    std::error_code ec;
    bool left = false;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (e.is_regular_file() && (is_fabula_file_name(name) || is_fabula_partial_file(name)))
            fs::remove(e.path(), ec);
        else
            left = true;
    }
    if (ec) return false;
    return fs::remove(dir, ec) && !left;
}

int remove_stale_temporaries(const fs::path& parent) {
    std::error_code ec;
    std::vector<fs::path> found;
    for (const auto& e : fs::directory_iterator(parent, ec))
        if (e.is_directory() && !e.is_symlink() && is_temporary_folder_name(e.path().filename().string()))
            found.push_back(e.path());
    int removed = 0;
    for (const auto& p : found) removed += remove_fabula_folder(p) ? 1 : 0;
    return removed;
}

AtomicFolderWriter::AtomicFolderWriter(fs::path dest, bool overwrite) : dest_(std::move(dest)), overwrite_(overwrite) {
    while (!dest_.empty() && !dest_.has_filename()) dest_ = dest_.parent_path(); // "out/" -> "out"
    if (dest_.empty()) throw UsageError("no destination folder given");
    check_destination(dest_, overwrite_);
    const fs::path parent = parent_of(dest_);
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec) throw FileError(parent.string(), "cannot create the folder: " + ec.message());
    std::string tmpl = (parent / ("." + dest_.filename().string() + std::string(kTmpTag) + "XXXXXX")).string();
    if (!::mkdtemp(tmpl.data())) throw FileError(parent.string(), std::string("cannot write here: ") + std::strerror(errno));
    tmp_ = tmpl;
    ::chmod(tmp_.c_str(), 0755); // mkdtemp's 0700 would hide the model from other tools of the writer's
}

AtomicFolderWriter::~AtomicFolderWriter() {
    if (committed_) return;
    std::error_code ec;
    fs::remove_all(tmp_, ec); // made by mkdtemp above: nobody else's
}

void AtomicFolderWriter::commit(std::string_view kind, const nlohmann::json& card) {
    nlohmann::json files = nlohmann::json::array();
    std::vector<fs::path> written;
    for (const auto& e : fs::directory_iterator(tmp_)) {
        if (!e.is_regular_file()) continue;
        written.push_back(e.path());
        if (e.path().filename() != kFolderMarker)
            files.push_back({{"name", e.path().filename().string()}, {"bytes", e.file_size()}});
    }
    std::sort(files.begin(), files.end());
    nlohmann::json marker = {{"written_by", "Fabula"}, {"version", fabula_version()}, {"kind", kind},
                             {"created", today()}, {"files", files}};
    if (!card.empty()) marker["card"] = card;
    write_file_atomically(tmp_ / kFolderMarker, marker.dump(2) + "\n");
    for (const auto& f : written) fsync_path(f, false);
    fsync_path(tmp_, true);

    // The destination may have changed since the constructor looked.
    check_destination(dest_, overwrite_);
    const fs::path parent = parent_of(dest_);
    const bool exists = inspect_destination(dest_) != FolderState::Missing;
    committed_ = true; // from here tmp_ may hold the old folder: never remove_all it
    if (!exists) {
        if (rename2(tmp_, dest_, RENAME_NOREPLACE) || (unsupported(errno) && ::rename(tmp_.c_str(), dest_.c_str()) == 0)) {
            fsync_path(parent, true);
            return;
        }
        committed_ = false;
        throw FileError(dest_.string(), std::string("cannot move the finished folder into place: ") + std::strerror(errno));
    }
    if (!g_exchange_disabled && rename2(tmp_, dest_, RENAME_EXCHANGE)) {
        fsync_path(parent, true);
        retire_old_folder(tmp_, dest_);
        fsync_path(dest_, true);
        return;
    }
    if (!g_exchange_disabled && !unsupported(errno)) {
        committed_ = false;
        throw FileError(dest_.string(), std::string("cannot replace the folder: ") + std::strerror(errno));
    }
    // No atomic swap here: each file is replaced atomically, the marker last,
    // and the old folder's other Fabula files (e.g. shards of a bigger model)
    // go only after every new file is in place.
    std::set<std::string> names;
    std::vector<fs::path> order = written;
    std::stable_partition(order.begin(), order.end(), [](const fs::path& p) { return p.filename() != kFolderMarker; });
    for (const auto& f : order) {
        names.insert(f.filename().string());
        if (::rename(f.c_str(), (dest_ / f.filename()).c_str()) != 0)
            throw FileError((dest_ / f.filename()).string(), std::string("cannot replace: ") + std::strerror(errno));
    }
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dest_, ec)) {
        const std::string name = e.path().filename().string();
        if (e.is_regular_file() && is_fabula_file_name(name) && !names.count(name)) fs::remove(e.path(), ec);
    }
    fs::remove_all(tmp_, ec); // empty now, and ours
    fsync_path(dest_, true);
}

void set_folder_exchange_disabled_for_tests(bool disabled) { g_exchange_disabled = disabled; }

} // namespace fabula
