#pragma once
// The one way Fabula writes a folder (an exported model, a run's model/, a
// checkpoint): everything goes into a fresh, uniquely named sibling, is
// flushed to disk, and only then moves into place. An existing Fabula folder
// is swapped in one step (renameat2 RENAME_EXCHANGE), so there is never a
// moment with no model at the destination, and the old copy is removed file
// by file afterwards. Fabula removes only files it writes: a destination
// holding anything else is refused, never emptied.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace fabula {

// Written into every folder Fabula creates: who wrote it, the version, the
// files, and (for models) a card telling one export from another.
inline constexpr const char* kFolderMarker = "fabula.json";

std::string fabula_version();

// Names Fabula writes into model, adapter and checkpoint folders (config.json,
// model.safetensors, shards and their index, tokenizer files, ...).
bool is_fabula_file_name(std::string_view name);

// What a destination holds, as far as replacing it is concerned.
enum class FolderState { Missing, Empty, Fabula, Foreign, NotAFolder };
// Fabula: every entry is a file Fabula writes (by name, or listed in its
// fabula.json). Foreign: anything else; `foreign` names one such entry.
FolderState inspect_destination(const std::filesystem::path& dir, std::string* foreign = nullptr);

// Throws UsageError naming `dest` unless it may be written: missing or empty,
// or `overwrite` and a Fabula folder. `option` is how the writer asks to
// replace ("--overwrite").
void check_destination(const std::filesystem::path& dest, bool overwrite, std::string_view option = "--overwrite");

// Removes a folder Fabula wrote: only the files Fabula writes, then the
// folder if it is empty. Anything else stays where it is. Returns false
// when something was left.
bool remove_fabula_folder(const std::filesystem::path& dir);

// Leftovers of writers that were killed: the temporary siblings named by
// AtomicFolderWriter under `parent` (never a finished folder). Returns how
// many were removed.
int remove_stale_temporaries(const std::filesystem::path& parent);
bool is_temporary_folder_name(std::string_view name);

class AtomicFolderWriter {
public:
    // Checks the destination first (check_destination), then creates the
    // temporary sibling. Throws FileError when the parent is not writable.
    AtomicFolderWriter(std::filesystem::path dest, bool overwrite);
    ~AtomicFolderWriter(); // without commit(): removes the temporary folder
    AtomicFolderWriter(const AtomicFolderWriter&) = delete;
    AtomicFolderWriter& operator=(const AtomicFolderWriter&) = delete;

    // Write the folder's files here.
    const std::filesystem::path& dir() const { return tmp_; }
    const std::filesystem::path& destination() const { return dest_; }

    // Writes fabula.json {"written_by", "version", "kind", "files", "card"},
    // fsyncs every file, the folder and its parent, and moves it into place.
    void commit(std::string_view kind, const nlohmann::json& card = nlohmann::json::object());

private:
    std::filesystem::path dest_, tmp_;
    bool overwrite_ = false;
    bool committed_ = false;
};

// For tests: make the swap take the file-by-file path, as on a filesystem
// without RENAME_EXCHANGE.
void set_folder_exchange_disabled_for_tests(bool disabled);

} // namespace fabula
